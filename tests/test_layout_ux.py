"""A teacher's view of the templates (issue 12): fields look like fields, tables read whole on a desktop,
and a printed form shows every field's whole text (real Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(p.stem for p in (ROOT / "templates").glob("*.yml"))
DESKTOP = {"width": 1366, "height": 768}
LONG_TEXT = "Зерттеушілік дағдыларды дамыту арқылы оқушылардың функционалдық сауаттылығын арттыру, 2025–2026 оқу жылы"

# The contrast of each field's top border against the page, the border's alpha blended over the page colour.
BORDER_CONTRAST = """fields => fields.map(field => {
  const style = getComputedStyle(field);
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const page = rgba(getComputedStyle(document.body).backgroundColor);
  const [r, g, b, a = 1] = rgba(style.borderTopColor);
  const mixed = [r, g, b].map((c, i) => c * a + page[i] * (1 - a));
  const lum = cs => cs.map(c => c / 255).map(c => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(mixed), lum(page.slice(0, 3))].sort((x, y) => y - x);
  const visible = style.borderTopStyle !== "none" && parseFloat(style.borderTopWidth) >= 1;
  return {name: field.name || field.getAttribute("aria-label"), contrast: visible ? (hi + 0.05) / (lo + 0.05) : 0};
})"""

# Words of the table headers that the browser broke across lines: a word's range then has two boxes.
BROKEN_HEADER_WORDS = """headers => headers.flatMap(th => {
  const broken = [];
  const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
})"""

# Fields whose text does not fit them: a text that scrolls, or a mark wider than its select.
CUT_FIELDS = """fields => {
  const canvas = document.createElement("canvas").getContext("2d");
  return fields.filter(field => {
    if (field.tagName === "SELECT") {
      canvas.font = getComputedStyle(field).font;
      return canvas.measureText(field.selectedOptions[0].text).width > field.clientWidth + 1;
    }
    return field.scrollHeight > field.clientHeight + 1 || field.scrollWidth > field.clientWidth + 1;
  }).map(field => field.name);
}"""

LONGEST_MARK = """selects => selects.forEach(select => {
  select.value = [...select.options].reduce((a, o) => (o.text.length > a.text.length ? o : a)).value;
  select.dispatchEvent(new Event("change", {bubbles: true}));
})"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def open_template(page, serve, name: str) -> None:
    page.goto(serve().url(f"templates/{name}.html"))
    page.wait_for_selector(".kasibi-doc [name]")


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_fields_have_a_visible_border(page, serve, name):
    open_template(page, serve, name)
    fields = page.eval_on_selector_all(".kasibi-doc :is(input, textarea, select)", BORDER_CONTRAST)
    assert fields
    faint = [f for f in fields if f["contrast"] < 3]
    assert not faint, f"fields without a border of 3:1 against the page: {faint[:5]}"


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_table_headers_do_not_break_inside_a_word_on_a_desktop(page, serve, name):
    open_template(page, serve, name)
    headers = page.query_selector_all(".kasibi-doc-table thead th")
    if not headers:
        pytest.skip(f"{name} has no table")
    assert not page.eval_on_selector_all(".kasibi-doc-table thead th", BROKEN_HEADER_WORDS)
    overflow = page.eval_on_selector_all(".kasibi-doc-table", "ts => ts.filter(t => t.scrollWidth > t.clientWidth + 1)")
    assert not overflow, "a table is wider than the page"


def test_a_template_uses_the_width_the_table_of_contents_left(page, serve):
    open_template(page, serve, "individual-development-plan")
    form = page.eval_on_selector(".kasibi-doc", "f => f.getBoundingClientRect().right")
    assert form > DESKTOP["width"] * 0.85, f"the form ends at {form} px of {DESKTOP['width']}"


@pytest.mark.parametrize("name", TEMPLATES)
def test_printed_template_shows_every_field_whole(page, serve, name):
    open_template(page, serve, name)
    for field in page.query_selector_all(".kasibi-doc :is(textarea, input:not([type=date]))"):
        field.fill(LONG_TEXT)
    page.eval_on_selector_all(".kasibi-doc select", LONGEST_MARK)
    page.set_viewport_size({"width": 720, "height": 1000})  # A4 less the page margins, at 96 dpi
    page.emulate_media(media="print")
    cut = page.eval_on_selector_all(".kasibi-doc :is(input, textarea, select)", CUT_FIELDS)
    assert not cut, f"fields whose text is cut on paper: {cut[:5]}"
