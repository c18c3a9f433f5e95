"""Issue 21 in Chromium: one backup file of everything this device keeps, restored on another device
without losing anything; hostile backups refused with nothing changed; a copy named «__proto__» kept;
the at-risk notice where the browser may erase the data, at most once a week; the next diagnosis as
an .ics event."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_faults_import import OFF_SITE, PAYLOADS, UNCHANGED, results_file, saved

SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.5 Mobile/15E148 Safari/604.1"
)
CONTROL = "".join(chr(c) for c in range(32) if chr(c) not in "\r\n") + "\x7f"
PLAN = "individual-development-plan"
ROUTE = "route-sheet-moderator"


def site_keys(page) -> dict:
    """Every record this site keeps, parsed (the backup's own date aside)."""
    raw = page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
      .filter((k) => k.startsWith('kasibi:') && k !== 'kasibi:v1:backup').map((k) => [k, localStorage.getItem(k)]))""")
    return {key: json.loads(value) for key, value in raw.items()}  # parsed here: «__proto__» stays a key


def document_record(copies: dict, current: str) -> dict:
    return {"format": 1, "template_version": 1, "current": current, "copies": copies}


def copy_of(values: dict, updated: str = "2026-11-02T08:00:00.000Z") -> dict:
    return {"values": values, "updated": updated}


@pytest.fixture
def device(browser, serve):
    """My results in a fresh browser profile (another device), storage empty; no engine needed."""
    contexts = []

    def open_device(**options):
        context = browser.new_context(accept_downloads=True, **options)
        context.route("**/assets/pyodide-*/**", lambda route: route.abort())
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(serve().url("assessments/my-results.html"))
        page.evaluate("localStorage.clear()")
        return page

    yield open_device
    for context in contexts:
        context.close()


def plant(page, records: dict, ready: str = "[data-backup-download]") -> None:
    """Records written straight into storage, then the page opened again until `ready` shows."""
    texts = {key: json.dumps(value, ensure_ascii=False) for key, value in records.items()}
    page.evaluate("r => Object.entries(r).forEach(([k, v]) => localStorage.setItem(k, v))", texts)
    page.reload()
    page.wait_for_selector(ready)


def backup(page, tmp_path: Path) -> Path:
    with page.expect_download() as download:
        page.click("[data-results-root] .kasibi-backup [data-backup-download]")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def restore(page, path: Path) -> str:
    page.evaluate("document.querySelector('[data-results-root] [data-backup-status]').replaceChildren()")
    page.set_input_files("[data-results-root] [data-backup-restore] input[type=file]", str(path))
    page.wait_for_function("document.querySelector('[data-results-root] [data-backup-status]').textContent")
    return page.inner_text("[data-results-root] [data-backup-status]")


@pytest.fixture
def everything(instruments) -> dict:
    """Results, a draft and three template copies: one with every control character, one of 10,000 characters,
    one named «__proto__»."""
    flagship = instruments["cycle-self-assessment"]
    records = [saved(flagship, 1, "a1", 40), saved(instruments["lesson-balance-wheel"], 2, "b2", 3)]
    draft = saved(flagship, 3, "d", 1)
    return {
        "kasibi:v1:history": {"format": 1, "records": records},
        "kasibi:v1:draft:cycle-self-assessment": {
            "format": 1,
            "instrument": draft["instrument"],
            "instrument_version": draft["instrument_version"],
            "saved_at": draft["completed_at"],
            "answers": draft["answers"],
            "result": None,
        },
        f"kasibi:v1:doc:{PLAN}": document_record(
            {
                "2026–2027": copy_of({"header": {"name": f"Айгүл {CONTROL} Серікқызы"}}),
                "__proto__": copy_of({"goals": "ұ" * 10_000}),
            },
            "2026–2027",
        ),
        f"kasibi:v1:doc:{ROUTE}": document_record(
            {"Бірінші жыл": copy_of({"header": {"name": "Айгүл"}})}, "Бірінші жыл"
        ),
    }


def test_everything_backed_up_restores_equal_on_another_device_and_twice_adds_nothing(device, everything, tmp_path):
    first = device()
    plant(first, everything)
    kept = site_keys(first)
    assert kept == everything  # what was planted reads back (the «__proto__» copy included)
    assert first.inner_text("[data-backup-last]").endswith("әлі жасалмаған.")
    path = backup(first, tmp_path)
    today = datetime.now().strftime("%d.%m.%Y")
    assert path.name == f"Кәсіби даму — сақтық көшірме {today}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["kind"] == "kasibi-backup" and data["format"] == 1 and "сақтық көшірмесі" in data["about"]
    assert today in first.inner_text("[data-backup-last]")

    second = device()
    says = restore(second, path)
    assert "2 жаңа нәтиже, 1 аяқталмаған жауап, құжаттардың 3 көшірмесі" in says, says
    assert site_keys(second) == kept
    assert second.locator("details.kasibi-saved").count() == 2  # My results drew what came back
    assert restore(second, path).startswith("Файлдағының бәрі осы құрылғыда бұрыннан бар")
    assert site_keys(second) == kept
    assert first.errors == [] and second.errors == []


def test_a_copy_of_the_same_name_with_other_values_is_kept_under_a_new_name_and_said(device, everything, tmp_path):
    first = device()
    plant(first, everything)
    path = backup(first, tmp_path)
    other = device()
    mine = {"2026–2027": copy_of({"header": {"name": "Басқа мұғалім"}}), "Менің көшірмем": copy_of({"goals": "өз"})}
    plant(other, {f"kasibi:v1:doc:{PLAN}": document_record(mine, "Менің көшірмем")})
    says = restore(other, path)
    copies = site_keys(other)[f"kasibi:v1:doc:{PLAN}"]["copies"]
    assert copies["2026–2027"] == mine["2026–2027"] and copies["Менің көшірмем"] == mine["Менің көшірмем"]
    assert copies["2026–2027 (2)"] == everything[f"kasibi:v1:doc:{PLAN}"]["copies"]["2026–2027"]
    assert copies["__proto__"]["values"]["goals"] == "ұ" * 10_000
    assert "«2026–2027» деген басқа көшірме бар, сондықтан файлдағысы «2026–2027 (2)» деп сақталды" in says
    assert site_keys(other)[f"kasibi:v1:doc:{PLAN}"]["current"] == "Менің көшірмем"  # this device's choice stays


WHERE = ("copy name", "value", "cell", "current", "template", "draft answer", "draft instrument", "result")


def hostile_backups(backup_data: dict) -> list[tuple[str, dict]]:
    """The import fault suite's payloads in every field a backup carries that is later drawn or put into Word."""
    cases = []
    for payload in PAYLOADS:
        for where in (
            "copy name",
            "value",
            "cell",
            "current",
            "template",
            "draft answer",
            "draft instrument",
            "result",
        ):
            data = copy.deepcopy(backup_data)
            doc = data["documents"][PLAN]
            if where == "copy name":
                doc["copies"][payload + "\n"] = doc["copies"]["2026–2027"]
            elif where == "value":
                doc["copies"]["2026–2027"]["values"]["header"] = {"name": {"toString": payload}}
            elif where == "cell":
                doc["copies"]["2026–2027"]["values"]["rows"] = [{"c<script>": payload}]
            elif where == "current":
                doc["current"] = {"x": payload}
            elif where == "template":
                data["documents"][payload] = doc
            elif where == "draft answer":
                data["drafts"]["cycle-self-assessment"]["answers"]["action-level"] = {"x": payload}
            elif where == "draft instrument":
                data["drafts"][payload] = data["drafts"]["cycle-self-assessment"]
            else:
                data["results"][0]["result"]["scales"][0]["guide"] = payload
            cases.append((f"{where}: {payload}", data))
    return cases


def test_hostile_backups_change_nothing_run_nothing_and_say_so(device, everything, tmp_path, serve):
    first = device()
    plant(first, everything)
    good = json.loads(backup(first, tmp_path).read_text(encoding="utf-8"))
    other = device()
    mine = {f"kasibi:v1:doc:{ROUTE}": document_record({"Менікі": copy_of({"header": {"name": "Сәуле"}})}, "Менікі")}
    plant(other, mine)
    cases = hostile_backups(good)
    cases += [
        ("newer format", {**good, "format": 2}),
        ("another kind", {**good, "kind": "kasibi-school"}),
        ("not an object", [good]),
    ]
    says = {}
    for name, data in cases:
        path = tmp_path / "hostile.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        says[name] = restore(other, path)
        assert UNCHANGED in says[name], (name, says[name])
        assert site_keys(other) == mine, name
    assert "басқа нұсқасынан" in says["newer format"]
    assert "сақтық көшірмесі де, нәтижелер файлы да емес" in says["another kind"]
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (50 * 1024 * 1024))
    assert "тым үлкен" in restore(other, huge) and site_keys(other) == mine
    base = "/" + serve().url().split("/", 3)[3]
    for url in ("assessments/my-results.html", f"templates/{ROUTE}.html"):
        other.goto(serve().url(url))
        assert other.evaluate(OFF_SITE, base) == []
    assert other.evaluate("window.pwned") is None and other.errors == []


def test_an_old_results_export_still_restores_its_results(device, instruments, tmp_path):
    page = device()
    path = tmp_path / "old.json"
    path.write_text(
        json.dumps(results_file([saved(instruments["cycle-self-assessment"], 5, "r5", 2)])), encoding="utf-8"
    )
    assert "1 жаңа нәтиже" in restore(page, path)
    assert len(site_keys(page)["kasibi:v1:history"]["records"]) == 1


def test_a_copy_named_proto_keeps_what_is_typed_in_it(browser, serve):
    context = browser.new_context()
    context.route("**/assets/pyodide-*/**", lambda route: route.abort())
    page = context.new_page()
    page.goto(serve().url(f"templates/{PLAN}.html"))
    page.fill("[data-copy-name]", "__proto__")
    page.click("[data-action=new-copy]")
    field = page.locator("form.kasibi-doc textarea").first
    field.fill("Жоспардың мәтіні")
    page.reload()
    page.select_option("[data-copy-select]", "__proto__")
    assert page.locator("form.kasibi-doc textarea").first.input_value() == "Жоспардың мәтіні"
    stored = json.loads(page.evaluate(f"localStorage.getItem('kasibi:v1:doc:{PLAN}')"))["copies"]
    assert "__proto__" in stored and "Жоспардың мәтіні" in json.dumps(stored, ensure_ascii=False)
    context.close()


def test_the_at_risk_notice_under_safari_once_a_week_and_never_where_storage_is_persisted(device, everything):
    safari = device(user_agent=SAFARI)
    safari.clock.install(time=datetime(2026, 12, 7, 9, tzinfo=UTC))
    safari.reload()
    safari.wait_for_selector("[data-backup-checked]")
    assert safari.locator("[data-backup-reminder]").count() == 0  # nothing kept yet: nothing to lose
    plant(safari, everything)
    safari.wait_for_selector("[data-backup-reminder]")
    assert "әлі жасалмаған" in safari.inner_text("[data-backup-reminder]")
    safari.clock.set_fixed_time(datetime(2026, 12, 10, 9, tzinfo=UTC))
    safari.reload()
    safari.wait_for_selector("[data-backup-checked]")
    assert safari.locator("[data-backup-reminder]").count() == 0  # three days later: not again
    safari.clock.set_fixed_time(datetime(2026, 12, 14, 10, tzinfo=UTC))
    safari.reload()
    safari.wait_for_selector("[data-backup-reminder]")  # a week later: once more

    # Headless Chromium in a fresh profile never grants persistence (its own measures: an installed app, a
    # bookmark, site engagement; neither CDP's grants of durableStorage / persistent-storage nor notifications
    # change that here), so the browser's answer is given as a browser that granted it would give it.
    kept = device()
    kept.context.add_init_script("StorageManager.prototype.persisted = async () => true")
    plant(kept, everything)
    kept.wait_for_selector("[data-backup-checked]")
    assert kept.evaluate("navigator.storage.persisted()") is True
    assert kept.locator("[data-backup-reminder]").count() == 0


def test_the_next_diagnosis_goes_to_a_calendar_a_year_later_with_the_instruments_page(device, instruments, tmp_path):
    page = device()
    record = saved(instruments["cycle-self-assessment"], 7, "c7", 0)
    record["completed_at"] = "2026-12-07T09:00:00.000Z"
    plant(page, {"kasibi:v1:history": {"format": 1, "records": [record]}})
    page.click("details.kasibi-saved summary")
    page.wait_for_selector("[data-next-date]")
    assert page.input_value("[data-next-date]") == "2027-12-07"
    page.fill("[data-next-date]", "2027-11-20")
    with page.expect_download() as download:
        page.click("[data-action=calendar]")
    text = Path(download.value.path()).read_bytes()
    lines = text.decode("utf-8").split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = text.decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert "DTSTART;VALUE=DATE:20271120" in unfolded and "DTEND;VALUE=DATE:20271121" in unfolded
    [url] = [line[4:] for line in unfolded if line.startswith("URL:")]
    assert url.endswith("assessments/cycle-self-assessment.html") and url.startswith("http://127.0.0.1")
    assert any(line.startswith("SUMMARY:Қайта диагностика: ") for line in unfolded)
    assert download.value.suggested_filename.endswith(".ics")
