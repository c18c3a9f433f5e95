"""Issue 12, items 9, 11, 12, 13 in Chromium: every chart shows every label whole (at 360 px, 1366 px and in
print), level 1 is a visible bar; numbers have the Kazakh decimal comma; the CSV opens as columns in a kk/ru
Excel; Word files are named by template and copy; a new copy keeps the header fields that do not change; a
new plan is 0 % done; axe finds nothing in the saved reports in the light or the dark scheme; a pasted search
term finds pages.

The saved results on My results are real: each instrument answered at random and scored by the same engine
in CPython (tests/test_parity.py shows Pyodide gives the same), so one page draws every kind of chart."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from test_faults_import import instruments, saved  # noqa: F401 (a fixture and the record helper)

from generator.browser import engine

AXE = ROOT / "node_modules/axe-core/axe.min.js"
CATALOGUE = yaml.safe_load((ROOT / "site_src/i18n/kk.yml").read_text(encoding="utf-8"))
UI, THEME = CATALOGUE["ui"], CATALOGUE["theme"]
SIZES = {"phone": (360, 740), "desktop": (1366, 900), "print": (794, 1123)}

# Every text of every chart against its drawing's box, and against the other texts of that chart.
MEASURE = """() => [...document.querySelectorAll('svg.kasibi-chart')].map((svg) => {
  const box = svg.viewBox.baseVal;
  const texts = [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent, b: t.getBBox() }));
  const outside = texts.filter(({ b }) => b.x < box.x - 0.5 || b.y < box.y - 0.5
    || b.x + b.width > box.x + box.width + 0.5 || b.y + b.height > box.y + box.height + 0.5).map((t) => t.text);
  const overlaps = [];
  texts.forEach((a, i) => texts.slice(i + 1).forEach((c) => {
    const w = Math.min(a.b.x + a.b.width, c.b.x + c.b.width) - Math.max(a.b.x, c.b.x);
    const h = Math.min(a.b.y + a.b.height, c.b.y + c.b.height) - Math.max(a.b.y, c.b.y);
    if (w > 1 && h > 1) overlaps.push(`${a.text} / ${c.text}`);
  }));
  return { title: svg.querySelector('title').textContent, texts: texts.length, outside, overlaps };
})"""


def lowest(instrument: dict) -> dict:
    """The flagship answered at level 1 everywhere (the source's «Педагог»)."""
    record = saved(instrument, 1, "lowest", 3)
    record["answers"] = {f"{s}-level": 1 for s in ("action", "analysis", "reflection", "design", "trial")}
    record["result"] = engine.score(instrument, record["answers"])
    return record


@pytest.fixture(scope="module")
def records(instruments) -> list[dict]:  # noqa: F811
    """Two results of every instrument with scales (a trend each), and the flagship at level 1."""
    scored = [i for i in instruments.values() if i["scales"]]
    out = [saved(i, seed, f"{i['id']}-{seed}", days) for i in scored for seed, days in ((1, 9), (2, 2))]
    return [*out, lowest(instruments["cycle-self-assessment"])]


def open_reports(page) -> None:
    """Every saved result's report drawn (each is drawn when its row is first opened)."""
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    page.wait_for_function(
        "[...document.querySelectorAll('details.kasibi-saved')].every((d) => d.querySelector('.kasibi-how'))",
        timeout=30_000,
    )


@pytest.fixture(scope="module")
def results(browser, serve, records):
    """My results with every report open (no engine needed: reports are drawn from the saved results)."""
    context = browser.new_context(
        accept_downloads=True, service_workers="block", viewport={"width": 1366, "height": 900}
    )
    context.route("**/assets/pyodide-*/**", lambda route: route.abort())
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(serve().url("assessments/my-results.html"))
    page.evaluate("r => localStorage.setItem('kasibi:v1:history', JSON.stringify({format: 1, records: r}))", records)
    page.reload()
    open_reports(page)
    yield page
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_every_chart_shows_every_label_whole(results, instruments, size):  # noqa: F811
    width, height = SIZES[size]
    results.set_viewport_size({"width": width, "height": height})
    results.emulate_media(media="print" if size == "print" else "screen")
    charts = results.evaluate(MEASURE)
    drawn = [i for i in instruments.values() if i["report"]["chart"] != "none"]
    # one chart per drawn report (two results each, three of the flagship) and a trend per instrument with scales
    trends = [i for i in instruments.values() if i["scales"]]
    assert len(charts) == 2 * len(drawn) + 1 + len(trends)
    assert all(c["texts"] for c in charts)
    assert [(c["title"], c["outside"]) for c in charts if c["outside"]] == []
    assert [(c["title"], c["overlaps"]) for c in charts if c["overlaps"]] == []
    assert results.errors == []


def test_level_one_is_a_fifth_of_the_bar_not_an_empty_one(results):
    shares = results.evaluate("""() => [...document.querySelectorAll('[data-record=lowest] .kasibi-chart__row')]
      .map((row) => row.querySelector('.kasibi-chart__bar').getBBox().width
        / row.querySelector('.kasibi-chart__track').getBBox().width)""")
    assert len(shares) == 5
    assert all(abs(share - 0.2) < 0.01 for share in shares)


def test_numbers_have_the_kazakh_decimal_comma(results, records):
    shown = results.evaluate("""() => [...document.querySelectorAll(
      '[data-profile] tbody td:nth-child(3), svg.kasibi-chart text, details.kasibi-saved > summary')]
      .map((e) => e.textContent)""")
    fractions = [s["value"] for r in records for s in r["result"].get("scales", []) if s["value"] != int(s["value"])]
    assert fractions  # the random answers gave decimals to show
    shown = [re.sub(r"\b\d\d\.\d\d\.\d{4}\b", "", text) for text in shown]  # a date «02.12.2026» is not a decimal
    assert [text for text in shown if re.search(r"\d\.\d", text)] == []
    assert sum(bool(re.search(r"\d,\d", text)) for text in shown) >= len(fractions)


def test_csv_opens_as_columns_with_kazakh_headers_and_answers(results, instruments, records):  # noqa: F811
    instrument = instruments["motivation-fetiskin"]
    results.emulate_media(media="screen")
    with results.expect_download() as download:
        results.click("section[data-instrument=motivation-fetiskin] button:has-text('CSV')")
    assert download.value.suggested_filename == f"{instrument['title']}.csv"
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    items = [item for section in instrument["sections"] for item in section["items"]]
    mine = [r for r in records if r["instrument"] == instrument["id"]]
    assert len(body) == len(mine) and all(len(row) == len(header) for row in body)
    assert header[:2] == [UI["results.col_date"], UI["results.col_version"]]
    assert [item["prompt"] for item in items if item["prompt"] in header] == [item["prompt"] for item in items]
    for row, record in zip(body, mine, strict=True):
        assert re.fullmatch(r"\d\d\.\d\d\.20\d\d \d\d:\d\d", row[0])
        for item in items:
            answer = record["answers"][item["id"]]
            assert row[header.index(item["prompt"])] == next(o["text"] for o in item["options"] if o["value"] == answer)
        first = record["result"]["scales"][0]
        assert row[header.index(first["title"])] == f"{first['value']:g}".replace(".", ",")


def template_page(browser, serve, template_id: str):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(serve().url(f"templates/{template_id}.html"))
    page.evaluate("localStorage.clear()")
    page.reload()
    return page


def test_word_file_is_named_by_template_and_copy_and_a_new_copy_keeps_the_header(browser, serve):
    page = template_page(browser, serve, "route-sheet-moderator")
    page.fill("[name='header:teacher']", "Әлиева Гүлнар")
    page.fill("[name='header:subject']", "Математика")
    page.fill("[name='header:year']", "2025–2026")
    page.select_option("[name='route:0:mark']", "done")
    page.fill("[data-copy-name]", "2026–2027")
    page.click("[data-action=new-copy]")
    page.wait_for_function("document.querySelector('[data-copy-select]').value === '2026–2027'")
    assert page.input_value("[name='header:teacher']") == "Әлиева Гүлнар"
    assert page.input_value("[name='header:subject']") == "Математика"
    assert page.input_value("[name='header:year']") == ""  # the year is the copy's own
    assert page.input_value("[name='route:0:mark']") == ""
    page.wait_for_selector("[data-completion]:not([hidden])", timeout=120_000)
    with page.expect_download(timeout=120_000) as download:
        page.click("[data-action=docx]")
    assert download.value.suggested_filename == "Маршруттық парақ — «Педагог-модератор» — 2026–2027.docx"
    with zipfile.ZipFile(download.value.path()) as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Әлиева Гүлнар" in body and "2025–2026" not in body
    page.context.close()


def test_a_new_plan_is_zero_percent_done(browser, serve):
    page = template_page(browser, serve, "individual-development-plan")
    line = page.locator("[data-completion]")
    line.wait_for(state="visible", timeout=120_000)
    assert line.inner_text().startswith("Орындалуы: 0%")
    page.fill("[name='actions:0:activity']", "Lesson Study циклі")
    page.select_option("[name='actions:0:mark']", "partly")
    page.wait_for_function("document.querySelector('[data-completion]').textContent.startsWith('Орындалуы: 50%')")
    page.click("[data-action=new-copy]")
    page.wait_for_function("document.querySelector('[data-copy-select]').options.length === 2")
    page.wait_for_timeout(1500)  # the count of the copy left behind must not come back
    assert line.inner_text().startswith("Орындалуы: 0%")
    page.context.close()


def test_axe_finds_nothing_in_saved_reports_in_the_light_or_the_dark_scheme(browser, serve, records):
    """Every kind of report drawn on My results, on a phone and a desktop; the computer's setting picks the scheme
    (Material's palette follows it). Pages as they first open are audited by tests/test_a11y.py."""
    found = []
    for width in (390, 1366):
        for scheme, material in (("light", "default"), ("dark", "slate")):
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
            context.route("**/assets/pyodide-*/**", lambda route: route.abort())
            page = context.new_page()
            page.goto(serve().url("assessments/my-results.html"))
            page.evaluate(
                "r => localStorage.setItem('kasibi:v1:history', JSON.stringify({format: 1, records: r}))", records
            )
            page.reload()
            assert page.evaluate("document.body.dataset.mdColorScheme") == material
            open_reports(page)
            page.add_script_tag(path=str(AXE))
            for v in page.evaluate("axe.run(document, {resultTypes: ['violations']})")["violations"]:
                nodes = [(n["target"], n["any"][0]["message"] if n["any"] else "") for n in v["nodes"]]
                found.append(f"{width}px {scheme}: {v['id']} ({v['impact']}) {nodes[:3]}")
            context.close()
    assert found == [], "\n".join(found)


def test_a_pasted_search_term_shows_results(browser, serve):
    page = browser.new_page()
    page.goto(serve().url(""))
    page.click(".md-search__input")
    page.wait_for_selector(".md-search__input:focus")
    # the index is ready (Material runs the query once more when it is, which would hide the defect)
    ready = THEME["search.result.placeholder"]
    page.wait_for_function("t => document.querySelector('.md-search-result__meta').textContent.trim() === t", arg=ready)
    # a paste with the mouse: the text changes, no key is pressed
    page.evaluate("""() => { const input = document.querySelector('.md-search__input');
      input.value = 'рефлексия';
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' })); }""")
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    assert page.locator(".md-search-result__item").count() > 0
    page.close()


def test_the_flagship_report_on_a_phone_has_a_profile_header_and_unbroken_values(browser, serve, instruments):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(serve().url("assessments/cycle-self-assessment.html"))
    for n, stage in enumerate(("action", "analysis", "reflection", "design", "trial")):
        page.check(f"input[name={stage}-level][value='{n % 5 + 1}']")
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    table = page.locator("[data-result] [data-profile]")
    assert table.locator("thead th").all_inner_texts() == [
        UI["compare.scale"],
        UI["result.col_band"],
        UI["result.col_value"],
        UI["result.col_guide"],
    ]
    lines = table.evaluate("""(t) => [...t.querySelectorAll('tbody td:nth-child(3)')].map((td) => {
      const range = document.createRange(); range.selectNodeContents(td); return range.getClientRects().length; })""")
    assert lines == [1] * 5
    assert table.evaluate("(t) => t.scrollWidth <= t.clientWidth")
    chart = page.locator("[data-result] svg.kasibi-chart").bounding_box()
    assert chart["width"] > 300 and chart["x"] + chart["width"] <= 360
    context.close()
