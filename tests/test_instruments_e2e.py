"""What teachers keep of an instrument in Chromium: saved results, comparison, export/import (also hostile files),
the development plan prefilled from a result. Every instrument is completed, with its picture, on its Russian page
(tests/test_editions_e2e.py), and the fewest that show every kind of item on the Kazakh ones over plain http
(tests/test_release.py)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
from answer_sets import random_answers
from conftest import ROOT
from support import import_file

from generator.formats.instrument import load_folder

INSTRUMENTS = load_folder(ROOT / "assessments")
AXE = ROOT / "node_modules/axe-core/axe.min.js"


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(context, serve):
    page = context.new_page()
    page.goto(serve().url(""))
    page.evaluate("localStorage.clear()")
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    page.close()


def fill(page, instrument: dict, answers: dict) -> None:
    """Answer in the form as a teacher would: click the options, type the texts."""
    for section in instrument["sections"]:
        for item in section["items"]:
            answer = answers.get(item["id"])
            if answer is None:
                continue
            if item["type"] == "text":
                page.fill(f"textarea[name='{item['id']}']", answer)
            else:
                for value in answer if isinstance(answer, list) else [answer]:
                    page.check(f"input[name='{item['id']}'][value='{value}']")


def complete(page, serve, instrument_id: str, seed: int) -> dict:
    instrument = INSTRUMENTS[instrument_id]
    page.goto(serve().url(f"assessments/{instrument_id}.html"))
    fill(page, instrument, random_answers(instrument, random.Random(seed)))
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    return instrument


def saved_records(page) -> list:
    return page.evaluate("JSON.parse(localStorage.getItem('kasibi:v1:history') || '{\"records\": []}').records")


def test_repeating_an_instrument_shows_what_rose_and_fell(page, serve):
    complete(page, serve, "cycle-self-assessment", seed=1)
    page.click("[data-action=save]")
    page.evaluate("localStorage.removeItem('kasibi:v1:draft:cycle-self-assessment')")
    complete(page, serve, "cycle-self-assessment", seed=2)
    page.wait_for_selector("[data-compare]", timeout=30_000)
    rows = page.eval_on_selector_all("[data-compare] tbody tr", "rows => rows.map(r => r.dataset.direction)")
    assert len(rows) == 5 and set(rows) <= {"up", "down", "same"}
    page.click("[data-action=save]")
    assert len(saved_records(page)) == 2

    page.goto(serve().url("assessments/my-results.html"))
    group = page.locator("section[data-instrument=cycle-self-assessment]")
    assert group.locator("li").count() == 2 and group.locator("svg.kasibi-chart").count() == 1  # the trend
    for box in group.locator("input[type=checkbox]").all():
        box.check()
    group.locator("button", has_text="салыстыру").click()
    page.wait_for_selector("[data-compare-output] [data-compare]", timeout=60_000)


def test_plan_button_opens_the_development_plan_with_the_growth_zone(page, serve):
    complete(page, serve, "cycle-self-assessment", seed=3)
    zone = page.inner_text("[data-growth-zone]")
    page.click("[data-action=plan]")
    page.wait_for_url("**/templates/individual-development-plan.html")
    page.wait_for_selector("[data-notice]:not([hidden])")
    values = page.eval_on_selector_all("form.kasibi-doc [name]", "els => els.map(e => e.value).join('\\n')")
    assert zone in values
    first_method = page.evaluate(
        "JSON.parse(localStorage.getItem('kasibi:v1:draft:cycle-self-assessment')).result.focus.methods[0]"
    )
    assert first_method in values


def export_file(page) -> dict:
    with page.expect_download() as download:
        page.click("[data-action=export]")
    return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))


def test_export_clear_import_gives_back_the_same_history(page, serve, tmp_path):
    for instrument_id, seed in (("teaching-compass", 4), ("year-end-reflection", 5), ("career-ladder", 6)):
        complete(page, serve, instrument_id, seed)
        page.click("[data-action=save]")
    before = saved_records(page)
    page.goto(serve().url("assessments/my-results.html"))
    exported = export_file(page)
    assert exported["kind"] == "kasibi-results" and len(exported["records"]) == 3
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=delete-all]")
    assert saved_records(page) == []
    notice = import_file(page, tmp_path, "all.json", json.dumps(exported).encode())
    assert "3 жаңа" in notice
    assert saved_records(page) == before
    notice = import_file(page, tmp_path, "again.json", json.dumps(exported).encode())  # merged, not doubled
    assert "0 жаңа" in notice and len(saved_records(page)) == 3

    # The CLI recomputes every saved result in CPython: the browser's Pyodide results match it.
    path = tmp_path / "exported.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    rescore = [sys.executable, "-m", "generator", "score", str(path)]
    done = subprocess.run(rescore, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "3 match, 0 mismatch" in done.stdout, done.stdout
    exported["records"][0]["result"]["scales"][0]["value"] += 1  # tampered with
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(rescore, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "MISMATCH in scales" in done.stdout


def test_hostile_imports_are_refused_and_change_nothing(page, serve, tmp_path):
    complete(page, serve, "sel-competences", seed=7)
    page.click("[data-action=save]")
    page.goto(serve().url("assessments/my-results.html"))
    before = saved_records(page)
    good = export_file(page)
    script = json.loads(json.dumps(good))
    script["records"][0]["title"] = "<img src=x onerror=window.pwned=1><script>window.pwned=2</script>"
    script["records"][0]["id"] = "<script>"
    wrong = {"kind": "something-else", "records": []}
    cases = {
        "script.json": json.dumps(script).encode(),
        "wrong.json": json.dumps(wrong).encode(),
        "truncated.json": json.dumps(good).encode()[:-40],
        "big.json": b"{" + b" " * (50 * 1024 * 1024) + b"}",
    }
    for name, content in cases.items():
        notice = import_file(page, tmp_path, name, content)
        assert "өзгерген жоқ" in notice, (name, notice)
        assert saved_records(page) == before, name
        page.evaluate("document.querySelector('[data-notice]').hidden = true")
    assert page.evaluate("window.pwned") is None
    # A well-formed record whose texts carry markup is kept as text and never runs.
    script["records"][0]["id"] = "harmless-id"
    script["records"][0]["completed_at"] = "2020-09-01T08:00:00.000Z"  # another attempt, not a duplicate
    notice = import_file(page, tmp_path, "markup.json", json.dumps(script).encode())
    assert "1 жаңа" in notice
    page.locator("details.kasibi-saved").first.locator("summary").click()
    assert page.evaluate("window.pwned") is None
    assert page.locator("section[data-instrument=sel-competences] img").count() == 0


def test_a_filled_instrument_and_its_report_fit_a_phone_and_pass_axe(browser, serve):
    """The report as drawn by the engine (the empty pages are audited by tests/test_a11y.py, My results' fit to a
    phone by tests/test_search_and_layout.py)."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(serve().url("assessments/lesson-balance-wheel.html"))
    fill(
        page,
        INSTRUMENTS["lesson-balance-wheel"],
        random_answers(INSTRUMENTS["lesson-balance-wheel"], random.Random(1)),
    )
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in results["violations"]]
    assert found == []
    context.close()
