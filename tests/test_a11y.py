"""axe-core finds nothing on any built page, on a phone (390 px) and a desktop (1280 px), in the light and the dark
scheme, and every group of fields and of table rows is named as it should be; from the keyboard, Tab reaches a wide
table on a phone and the arrow keys scroll it, and a table that fits is no tab stop.

States only a teacher's data reaches are audited where that data is made: a filled self-assessment and its report
(test_e2e.py, test_instruments_e2e.py), saved reports in both schemes (test_looks_numbers.py), the school summary
(test_school_e2e.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import greedy_cover

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules/axe-core/axe.min.js"
# Two passes cover both widths and both schemes. A page's rules fall in three kinds: those that read colours (they
# differ by scheme, not by width), those that depend on the width (a table that scrolls), and
# the rest (the same markup at any width and in any scheme). The phone in the light scheme runs every rule on every
# page; the desktop in the dark scheme runs the colour rules and the width rules on the fewest pages that show every
# kind of element the site has (`covering_pages`): a colour comes from an element's kind, not from its words.
COLOURS = ["color-contrast", "link-in-text-block"]
WIDTH_RULES = ["scrollable-region-focusable"]
PASSES = {
    "phone-light": (390, "light", "{resultTypes: ['violations']}"),
    "desktop-dark": (
        1280,
        "dark",
        f"{{resultTypes: ['violations'], runOnly: {{type: 'rule', values: {COLOURS + WIDTH_RULES}}}}}",
    ),
}
# Each pass in this many runs over its pages, which pytest-xdist spreads over its processes.
RUNS = [("phone-light", 0, 2), ("phone-light", 1, 2), ("desktop-dark", 0, 1)]
SCHEMES = {"light": "default", "dark": "slate"}  # the computer's setting → Material's palette
# What axe does not judge: a group of fields is named by its legend; a group header row (scope="rowgroup") opens its
# own tbody, so it labels the rows of its group and no other.
STRUCTURE = """() => [
  ...[...document.querySelectorAll("fieldset")].filter((f) => f.firstElementChild?.tagName !== "LEGEND")
    .map((f) => `fieldset without a legend: ${f.outerHTML.slice(0, 80)}`),
  ...[...document.querySelectorAll("th[scope=rowgroup]")]
    .filter((th) => th.closest("tbody")?.rows[0] !== th.parentElement)
    .map((th) => `group header not first in its tbody: ${th.textContent}`),
]"""


TAG = re.compile(r"<([a-z][a-z0-9-]*)\b([^>]*)>")
CLASSES = re.compile(r'\bclass="([^"]*)"')
STYLED_BY = re.compile(r'\b(data-[a-z-]+|role="[^"]*"|type="[^"]*")')  # what the site's CSS also selects on


def built_pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def kinds_of_element(page: str) -> set[str]:
    """Each element of the page as its tag, classes and the attributes CSS selects on (not their words)."""
    kinds = set()
    for tag, attrs in TAG.findall(page):
        classes = CLASSES.search(attrs)
        kind = ".".join([tag, *sorted(classes.group(1).split() if classes else [])])
        kinds.add(kind + "".join(sorted(set(STYLED_BY.findall(attrs)))))
    return kinds


def edition_pages(site: Path, edition: str = "") -> list[str]:
    """The pages of an edition: the Kazakh one at the root (""), or the Russian one ("ru/")."""
    return [path for path in built_pages(site) if path.startswith("ru/") == (edition == "ru/")]


def covering_pages(site: Path, edition: str = "") -> list[str]:
    """Few pages of an edition that together show every kind of element of its pages."""
    pages = edition_pages(site, edition)
    return greedy_cover({path: kinds_of_element((site / path).read_text(encoding="utf-8")) for path in pages})


def audited_pages(site: Path, run: str) -> list[str]:
    """On the phone every Kazakh page, and the Russian pages that show every kind of element (the Russian edition's
    markup is the Kazakh one's; its words differ, and a colour comes from an element's kind, not its words); on the
    desktop in the dark scheme the covering pages of each edition."""
    kazakh = covering_pages(site) if run == "desktop-dark" else edition_pages(site)
    return kazakh + covering_pages(site, "ru/")


@pytest.mark.parametrize(("run", "part", "parts"), RUNS, ids=[f"{r}-{p + 1}of{n}" for r, p, n in RUNS])
def test_axe_finds_nothing_on_any_page(browser, serve, site_dir, run, part, parts):
    width, scheme, rules = PASSES[run]
    server = serve()
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    # The pages as a teacher first sees them: the engine is not needed (and would cost the run a CPU each page).
    context.route("**/assets/pyodide-*/**", lambda route: route.abort())
    page = context.new_page()
    pages = audited_pages(site_dir, run)[part::parts]
    found = []
    for path in pages:
        page.goto(server.url(path))
        assert page.evaluate("document.body.dataset.mdColorScheme") == SCHEMES[scheme], path
        found += [f"{path}: {problem}" for problem in page.evaluate(STRUCTURE)]
        page.add_script_tag(path=str(AXE))
        for v in page.evaluate(f"axe.run(document, {rules})")["violations"]:
            nodes = [(n["target"], n["any"][0]["message"] if n["any"] else "") for n in v["nodes"]]
            found.append(f"{path}: {v['id']} ({v['impact']}) ×{len(nodes)} {nodes[:3]}")
    context.close()
    assert len(pages) > 12
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("edition", ["", "ru/"])
def test_the_covering_pages_show_every_kind_of_element(site_dir, edition):
    def kinds(path: str) -> set[str]:
        return kinds_of_element((site_dir / path).read_text(encoding="utf-8"))

    pages = edition_pages(site_dir, edition)
    every = set().union(*map(kinds, pages))
    chosen = covering_pages(site_dir, edition)
    assert set().union(*map(kinds, chosen)) == every
    assert {"label.kasibi-option", "div.kasibi-options"} <= every  # the forms' own kinds are among them
    assert len(chosen) < len(pages) / 2 and len(pages) >= 78


def test_the_keyboard_reaches_a_wide_table_on_a_phone_and_scrolls_it(browser, serve):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(serve().url("model/vertical.html"))
    name = re.compile(r"^3-кесте\. ")  # the table and its scrolling box are named by the table's caption line
    assert page.get_by_role("table", name=name).count() == 1
    box = page.get_by_role("group", name=name)
    assert box.evaluate("b => b.scrollWidth > b.clientWidth + 100")  # six columns do not fit a phone
    page.locator("p > strong", has_text=name).click()  # on the caption line: Tab goes on from there
    page.keyboard.press("Tab")
    assert box.evaluate("b => b === document.activeElement")
    assert box.evaluate("b => b.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.activeElement.scrollLeft > 0")
    context.close()


def test_a_table_that_fits_is_no_tab_stop(browser, serve):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(serve().url("concept/talis.html"))
    boxes = page.locator(".md-typeset__scrollwrap")
    assert boxes.count() >= 2
    states = boxes.evaluate_all("bs => bs.map(b => [b.tabIndex, b.scrollWidth > b.clientWidth])")
    assert states == [[-1, False]] * boxes.count()  # each fits the page: no scrolling, no tab stop
    context.close()
