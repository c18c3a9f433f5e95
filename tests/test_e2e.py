"""The flagship self-assessment in real headless Chromium, served from 127.0.0.1 (also under a sub-path)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from test_faults_engine import HeldEngine

PAGE = "assessments/cycle-self-assessment.html"
ANSWERS = {"action": 2, "analysis": 1, "reflection": 3, "design": 1, "trial": 5}
EXPECTED = ["Педагог-модератор", "Педагог", "Педагог-сарапшы", "Педагог", "Педагог-шебер"]
AXE = ROOT / "node_modules/axe-core/axe.min.js"


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def outside(page) -> list[str]:
    return [url for url in page.requested if urlsplit(url).hostname != "127.0.0.1" and not url.startswith("data:")]


def answer_all(page) -> None:
    for stage, value in ANSWERS.items():
        page.check(f"input[name={stage}-level][value='{value}']")
    page.check("input[name=design-evidence][value=plan]")


@pytest.mark.parametrize("prefix", ["", "kasibi/"])
def test_complete_reload_and_restore(page, serve, prefix):
    server = serve(prefix)
    held = HeldEngine(page.context)  # restored from its snapshot, the engine may be ready within a second
    page.goto(server.url(PAGE))
    # The form takes answers at once, before Pyodide is ready.
    page.check("input[name=action-level][value='2']")
    assert page.get_attribute("[data-engine-status]", "data-engine-status") == "preparing"
    held.release()
    answer_all(page)
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    report = page.inner_text("[data-result]")
    for category in set(EXPECTED):
        assert category in report
    bands = page.eval_on_selector_all("[data-profile] td[data-band]", "cells => cells.map(c => c.textContent)")
    assert bands == EXPECTED
    assert page.get_attribute("[data-growth-zone]", "data-growth-zone") == "analysis"
    assert page.get_attribute("[data-next-label]", "data-next-label") == "Педагог-модератор"
    assert "сайт авторлары" in page.inner_text(".kasibi-how")
    assert page.locator(".kasibi-chart").count() == 1
    # The guide link resolves inside the site, under the sub-path too.
    href = page.eval_on_selector("[data-profile] a", "a => a.href")
    assert href == server.url("model/cycle/action.html")

    page.reload()
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    for stage, value in ANSWERS.items():
        assert page.is_checked(f"input[name={stage}-level][value='{value}']")
    assert page.is_checked("input[name=design-evidence][value=plan]")
    page.wait_for_selector("[data-engine-status=ready]", timeout=180_000)
    assert (
        page.eval_on_selector_all("[data-profile] td[data-band]", "cells => cells.map(c => c.textContent)") == EXPECTED
    )
    assert outside(page) == []
    assert page.errors == []


def test_keyboard_alone_completes_the_form(page, serve):
    page.goto(serve().url(PAGE))
    page.focus("input[name=action-level][value='1']")
    for stage in ANSWERS:
        page.focus(f"input[name={stage}-level][value='1']")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")  # moves the radio choice to the next statement
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    bands = page.eval_on_selector_all("[data-profile] td[data-band]", "cells => cells.map(c => c.textContent)")
    assert bands == ["Педагог-модератор"] * 5


def test_incomplete_answers_keep_the_report_pending(page, serve):
    page.goto(serve().url(PAGE))
    page.check("input[name=action-level][value='3']")
    page.wait_for_selector("[data-engine-status=ready]", timeout=180_000)
    assert page.get_attribute("[data-result]", "data-status") == "pending"
    assert "2. Талдау" in page.inner_text("[data-result]")


def test_engine_that_cannot_load_says_so_and_keeps_answers(page, serve):
    page.context.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(serve().url(PAGE))
    answer_all(page)
    page.wait_for_selector("[data-engine-status=failed]", timeout=60_000)
    assert "жүктелмеді" in page.inner_text("[data-engine-status]")
    assert page.get_attribute("[data-result]", "data-status") == "error"
    page.context.unroute("**/pyodide.asm.wasm")
    page.reload()
    for stage, value in ANSWERS.items():
        assert page.is_checked(f"input[name={stage}-level][value='{value}']")
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)


def test_corrupted_save_shows_a_message_runs_nothing_and_the_form_still_works(page, serve):
    server = serve()
    page.goto(server.url(PAGE))
    hostile = '{"format":1,"instrument":"cycle-self-assessment","answers":"<img src=x onerror=window.pwned=1>"'
    page.evaluate("raw => localStorage.setItem('kasibi:v1:draft:cycle-self-assessment', raw)", hostile)
    page.reload()
    assert "оқу мүмкін болмады" in page.inner_text(".kasibi-notice")
    assert page.evaluate("window.pwned") is None
    kept = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kasibi:v1:corrupt:'))")
    assert len(kept) == 1 and page.evaluate(f"localStorage.getItem('{kept[0]}')") == hostile
    answer_all(page)
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)


def test_no_accessibility_violations_in_a_filled_form_and_its_report(page, serve):
    """The page as it first opens is audited by tests/test_a11y.py; this is the state answers and the engine make."""
    page.goto(serve().url(PAGE))
    answer_all(page)
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in results["violations"]]
    assert found == []
