"""Search finds Kazakh words; pages fit a phone and print without the site's chrome (real Chromium)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

SEARCHES = {
    "рефлексия": {"model/cycle/reflection.html"},
    "тәлімгерлік": {"practice/mentoring.html"},
    "апробация": {"model/cycle/trial.html"},
    "Lesson Study": {"concept/lesson-study.html"},
    "педагог-шебер": {"model/career-logic.html", "implementation/levels.html", "model/vertical.html"},
    "әдіскер": {"practice/methodologist.html"},
    "ЖДЖ": {"templates/individual-development-plan.html", "model/cycle/design.html"},
}
WIDE_PAGES = [
    "model/cycle/index.html",
    "model/cycle/administration.html",
    "implementation/case-rural.html",
    "implementation/appendix.html",
    "assessments/cycle-self-assessment.html",
    "reference/sources.html",
    "assessments/my-results.html",
]


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("query", SEARCHES)
def test_search_finds_the_right_page_first(page, serve, query):
    server = serve()
    page.goto(server.url(f"?q={quote(query)}"))
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    first = page.eval_on_selector(".md-search-result__item > a", "a => a.href")
    path = first.removeprefix(server.url()).split("?")[0].split("#")[0]
    assert path in SEARCHES[query], first


@pytest.mark.parametrize("path", WIDE_PAGES)
def test_page_fits_a_phone_and_tables_scroll_inside_it(browser, serve, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    page.goto(serve().url(path))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
    # a wide table scrolls inside its box (Material's, or the table itself when it has none), which fits the phone
    boxes = page.eval_on_selector_all(
        "article table", "ts => ts.map(t => (t.closest('.md-typeset__scrollwrap') ?? t).getBoundingClientRect().right)"
    )
    assert all(right <= 360 for right in boxes)
    context.close()


@pytest.mark.parametrize("path", ["model/cycle/index.html", "assessments/cycle-self-assessment.html"])
def test_print_shows_the_content_without_site_chrome(page, serve, path):
    page.goto(serve().url(path))
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => [".md-header", ".md-sidebar--primary", ".md-search", ".md-footer"]
            .map(s => document.querySelector(s))
            .filter(Boolean)
            .every(e => !e.checkVisibility())"""
    )
    assert hidden
    assert page.locator("article h1").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
