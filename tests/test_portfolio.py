"""Issue 22 in Chromium: the attestation page. For each category sought, an empty device shows every item of
the checklist missing, each with a link to a page of the site that makes it; a device holding what the checklist
asks (results, filled copies, log rows by level) shows every item present, with what and when. The choices are
kept on the device and travel in the backup file."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support import HeldFiles
from test_backup import plant
from test_faults_import import saved
from test_school_e2e import pdf_pages
from test_templates import soffice, to_pdf_text  # noqa: F401 - soffice is a fixture

from generator.browser import engine

CATEGORIES = ("pedagog", "moderator", "sarapshy", "zertteushi", "sheber")


@pytest.fixture(scope="module")
def checklist(site_dir: Path) -> dict:
    return json.loads(next(site_dir.glob("assets/kasibi-*/attestation/checklist.json")).read_text(encoding="utf-8"))


def need(item: dict, category: str) -> int:
    return item["categories"].get(category, 0)


@pytest.fixture(scope="module")
def templates(site_dir: Path) -> dict[str, dict]:
    folder = next(site_dir.glob("assets/kasibi-*/templates"))
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def filled(template: dict, text: str) -> dict:
    """Values a teacher might type: `text` in the first place the template's first block takes text."""
    block = template["blocks"][0]
    if block["type"] == "fields":
        return {block["id"]: {block["fields"][0]["id"]: text}}
    if block["type"] == "table":
        column = next(c for c in block["columns"] if c["type"] in ("line", "text"))
        return {block["id"]: [{column["id"]: text}]}
    return {block["id"]: text}


def what_it_asks(checklist: dict, category: str, instruments: dict, templates: dict) -> dict:
    """Storage holding exactly what the checklist of `category` asks for; log rows typed as a teacher would
    (the first word of the level and of the kind, as the log's hints suggest)."""
    words = {entry["id"]: entry["words"][0] for entry in checklist["levels"] + checklist["kinds"]}
    records, documents = [], {}
    for item in checklist["items"]:
        n = need(item, category)
        if not n:
            continue
        if item["kind"] == "instrument":
            records += [saved(instruments[item["ref"]], k, f"{item['id'][:20]}-{k}", 30 + k) for k in range(n)]
        elif item["kind"] == "template":
            copies = documents.setdefault(item["ref"], {})
            for k in range(n):
                values = filled(templates[item["ref"]], f"{item['label']}: толтырылды")
                copies[f"{item['label'][:40]} {k + 1}"] = {"values": values, "updated": None}
        else:
            log = documents.setdefault(item["ref"], {}).setdefault("Журнал", {"values": {"log": []}, "updated": None})
            kind = words[item["kinds"][0]] if item["kinds"] else "курс"
            level = words[item["level"]] if item["level"] else "мектеп"
            log["values"]["log"] += [{"kind": kind, "level": level, "title": f"{item['id']} {k}"} for k in range(n)]
    records.sort(key=lambda r: r["completed_at"])
    planted = {"kasibi:v1:history": {"format": 1, "records": records}}
    for template_id, copies in documents.items():
        planted[f"kasibi:v1:doc:{template_id}"] = {
            "format": 1,
            "template_version": 1,
            "current": next(iter(copies)),
            "copies": copies,
        }
    return planted


# Each item's status and the address of its link (null when it has none).
STATUSES = """rows => Object.fromEntries(rows.map(
  (r) => [r.dataset.portfolioItem, [r.dataset.status, r.querySelector('a')?.href ?? null]]))"""


def items(page) -> dict[str, tuple[str, str | None]]:
    page.wait_for_selector("[data-portfolio][data-ready]", timeout=90_000)
    return page.eval_on_selector_all("[data-portfolio-item]", STATUSES)


@pytest.mark.parametrize("category", CATEGORIES)
def test_from_an_empty_device_to_every_item_present(browser, serve, checklist, instruments, templates, category):
    context = browser.new_context()
    context.route("**/assets/pyodide-*/**", lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    script = HeldFiles(context, "**/js/documents/portfolio.js")
    page.goto(serve().url("assessments/attestation-prep.html"), wait_until="commit")
    # She chooses before the page's script has run (a slow PC): the script keeps her choice and saves it.
    page.select_option("[data-portfolio] select[name=category]", category)
    script.release()
    empty = items(page)
    expected = {item["id"] for item in checklist["items"] if need(item, category)}
    assert set(empty) == expected and expected
    assert {status for status, _ in empty.values()} == {"missing"}
    for item_id, (_, link) in empty.items():
        assert link, item_id
        response = page.request.get(link)
        assert response.ok, (item_id, link)
        assert "data-instrument-root" in response.text() or "data-template-root" in response.text(), (item_id, link)
    plant(page, what_it_asks(checklist, category, instruments, templates), ready="[data-portfolio][data-ready]")
    assert page.input_value("[data-portfolio] select[name=category]") == category  # the choice was kept
    full = items(page)
    assert {item_id: status for item_id, (status, _) in full.items() if status != "present"} == {}
    assert "Дайын:" in page.inner_text("[data-portfolio-summary]")
    assert errors == []
    context.close()


def test_the_choices_are_kept_and_travel_in_the_backup(browser, serve, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(serve().url("assessments/attestation-prep.html"))
    page.wait_for_selector("[data-portfolio][data-ready]")
    page.select_option("select[name=held]", "moderator")
    page.select_option("select[name=category]", "sarapshy")
    page.fill("input[name=from]", "2021")
    page.fill("input[name=to]", "2025")
    page.fill("input[name=teacher]", "Айгүл Серікқызы")
    page.reload()
    page.wait_for_selector("[data-portfolio][data-ready]")
    assert page.input_value("input[name=teacher]") == "Айгүл Серікқызы"
    assert page.input_value("select[name=category]") == "sarapshy"
    page.goto(serve().url("assessments/my-results.html"))
    with page.expect_download() as download:
        page.click("[data-results-root] .kasibi-backup [data-backup-download]")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["attestation"] == {
        "format": 1,
        "held": "moderator",
        "sought": "sarapshy",
        "from": 2021,
        "to": 2025,
        "teacher": "Айгүл Серікқызы",
    }
    context.close()


def log_rows(n: int) -> list[dict]:
    """`n` achievements as a teacher types them: every level and kind, each with its evidence."""
    levels = ["мектеп", "аудан", "облыс", "республика", "халықаралық"]
    kinds = ["курс", "ашық сабақ", "баяндама", "жарияланым", "оқушы олимпиадасы"]
    return [
        {
            "date": f"2024-{1 + k % 12:02d}-{1 + k % 27:02d}",
            "kind": kinds[k % 5],
            "level": levels[k % 5],
            "title": f"Жетістік № {k + 1}",
            "role": "Баяндамашы",
            "evidence": f"Сертификат № KZ-{1000 + k}",
        }
        for k in range(n)
    ]


@pytest.mark.parametrize("category", ["sarapshy"])
def test_the_pack_as_word_and_as_a_printed_pdf(
    browser,
    serve,
    checklist,
    instruments,
    templates,
    soffice,  # noqa: F811 - the fixture imported above
    tmp_path,
    category,
):
    state = what_it_asks(checklist, category, instruments, templates)
    state["kasibi:v1:doc:achievements-log"]["copies"]["Журнал"]["values"]["log"] = log_rows(30)
    state["kasibi:v1:attestation"] = {
        "format": 1,
        "held": "moderator",
        "sought": category,
        "from": 2022,
        "to": 2026,
        "teacher": "Айгүл Серікқызы",
        "school": "№ 12 мектеп",
        "subject": "Физика",
    }
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(serve().url("assessments/attestation-prep.html"))
    plant(page, state, ready="[data-portfolio][data-ready]")
    parts = page.eval_on_selector_all("[data-pack-part]", "rows => rows.map(r => r.textContent)")
    assert len(parts) >= 5 and any("Жетістіктер журналы" in p for p in parts)
    with page.expect_download(timeout=180_000) as download:
        page.click("[data-portfolio-download=docx]")
    word = tmp_path / "pack.docx"
    download.value.save_as(word)
    assert word.stat().st_size < 2 * 1024 * 1024
    text = " ".join(to_pdf_text(soffice, [word], tmp_path)["pack"].split())
    assert "Аттестаттауға арналған жиынтық: Педагог-сарапшы" in text and "Айгүл Серікқызы" in text
    assert "Кәсіби даму циклі бойынша өзін-өзі бағалау" in text and "Жетістік № 30" in text and "KZ-1029" in text
    assert "Мазмұны" in text and "Қағаз түрінде тіркелетін құжаттар" in text
    # Each result in the pack is what the engine gives for its stored answers (here rescored in CPython).
    for record in state["kasibi:v1:history"]["records"]:
        rescored = engine.score(instruments[record["instrument"]], record["answers"])
        for scale in rescored.get("scales", [])[:5]:
            assert " ".join(scale["band_label"].split()) in text, (record["instrument"], scale["band_label"])
    pages_word = pdf_pages(tmp_path / "pack.pdf")

    page.evaluate("() => { window.print = () => { window.printed = true; }; }")
    page.click("[data-portfolio-print]")
    page.wait_for_function("window.printed === true")
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4")
    printed = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    first = printed.split("\f")[0]
    assert "Айгүл Серікқызы" in first and "Мазмұны" not in first  # the cover alone on page one
    assert "Жетістік № 30" in printed and "Аттестаттауға дайындық" not in first
    assert pdf_pages(pdf) >= len(parts) + 3  # the cover, the contents, each part from a new page, the evidence
    print(
        f"pack: Word {word.stat().st_size} bytes, {pages_word} pages via LibreOffice; "
        f"printed PDF {pdf.stat().st_size} bytes, {pdf_pages(pdf)} pages"
    )
    assert errors == []
    context.close()
