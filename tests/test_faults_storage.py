"""Issue 11, the storage faults, in headless Chromium: what a teacher typed is never lost, replaced or
left behind, with a full localStorage, two tabs, a damaged or newer record, or a shared computer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_e2e import ANSWERS, PAGE, answer_all

PLAN = "templates/individual-development-plan.html"
LESSON = "templates/reflective-lesson-analysis.html"
RESULTS = "assessments/my-results.html"
DRAFT = "kasibi:v1:draft:cycle-self-assessment"
HISTORY = "kasibi:v1:history"
DONE = "[data-result][data-status=done]"
ENGINE_WAIT = 90_000

# Fills this origin's localStorage the way another intranet app would, down to the last character.
FILL_STORAGE = """() => {
  let n = 0;
  for (let size = 1 << 20; size >= 1; ) {
    try { localStorage.setItem(`other-app:${n++}`, "x".repeat(size)); } catch { size = Math.floor(size / 2); }
  }
}"""
FREE_STORAGE = """() => Object.keys(localStorage).filter((k) => k.startsWith("other-app:"))
  .forEach((k) => localStorage.removeItem(k))"""
SITE_KEYS = "() => Object.keys(localStorage).filter((k) => k.startsWith('kasibi:')).sort()"


@pytest.fixture
def context(browser):
    context = browser.new_context(accept_downloads=True)
    context.errors = []
    yield context
    context.close()


def open_page(context, url: str):
    page = context.new_page()
    page.on("pageerror", lambda error: context.errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(url)
    return page


def stale(page) -> None:
    """This tab stops hearing other tabs (as when two tabs write at the same moment)."""
    page.add_init_script("addEventListener('storage', (e) => e.stopImmediatePropagation(), true)")


def stored(page, key: str):
    return page.evaluate("(key) => JSON.parse(localStorage.getItem(key))", key)


def downloaded(page, selector: str) -> bytes:
    with page.expect_download(timeout=30_000) as download:
        page.click(selector)
    return Path(download.value.path()).read_bytes()


def complete_and_save(page) -> None:
    answer_all(page)
    page.wait_for_selector(DONE, timeout=ENGINE_WAIT)
    page.click("[data-action=save]")
    page.wait_for_selector("[data-action=save][disabled]")


def test_defect_1_plan_reopened_not_wiped(context, serve):
    server = serve()
    page = open_page(context, server.url(PAGE))
    answer_all(page)
    page.wait_for_selector(DONE, timeout=ENGINE_WAIT)
    page.click("[data-action=plan]")
    page.wait_for_url(f"**/{PLAN}")
    page.wait_for_function("document.querySelector('[data-notice]').textContent.includes('»')")
    page.fill("[name='header:teacher']", "Әсем Ғалымқызы")
    page.fill("[name='diagnosis:goals']", "Сабақта зерттеу әдісін қолдану")
    first_copy = page.input_value("[data-copy-select]")

    page.go_back()
    page.wait_for_selector("[data-action=plan]", timeout=ENGINE_WAIT)
    page.click("[data-action=plan]")
    page.wait_for_url(f"**/{PLAN}")
    page.wait_for_function("document.querySelector('[data-notice]').textContent.includes('бұрын жасалған')")
    assert page.input_value("[data-copy-select]") == first_copy
    assert page.input_value("[name='header:teacher']") == "Әсем Ғалымқызы"
    assert page.input_value("[name='diagnosis:goals']") == "Сабақта зерттеу әдісін қолдану"
    assert page.eval_on_selector_all("[data-copy-select] option", "os => os.length") == 1

    # Another result is a fresh prefill: it gets a copy of its own, the typed plan stays.
    page.go_back()
    page.check("input[name=analysis-level][value='5']")
    page.check("input[name=design-level][value='5']")
    page.wait_for_selector("[data-growth-zone=action]", timeout=ENGINE_WAIT)
    page.click("[data-action=plan]")
    page.wait_for_url(f"**/{PLAN}")
    page.wait_for_function("document.querySelectorAll('[data-copy-select] option').length === 2")
    assert page.input_value("[data-copy-select]") != first_copy
    plan = stored(page, "kasibi:v1:doc:individual-development-plan")
    assert plan["copies"][first_copy]["values"]["header"]["teacher"] == "Әсем Ғалымқызы"
    assert context.errors == []


def test_defect_5a_full_storage_says_so_and_offers_what_was_typed(context, serve):
    page = open_page(context, serve().url(PAGE))
    page.check("input[name=action-level][value='2']")
    page.evaluate(FILL_STORAGE)
    page.check("input[name=analysis-level][value='4']")
    alert = page.locator("[data-storage-alert]")
    alert.wait_for(state="visible")
    assert "орын жоқ" in alert.inner_text()
    assert "сақталып жатыр" not in page.inner_text("[data-engine-status]")
    unsaved = json.loads(downloaded(page, "[data-action=download-unsaved]"))
    assert unsaved["kind"] == "kasibi-unsaved"
    assert unsaved["values"][DRAFT]["answers"] == {"action-level": 2, "analysis-level": 4}

    # A template says it too, and its own notice does not pretend the text was kept.
    lesson = open_page(context, serve().url(LESSON))
    lesson.locator("form.kasibi-doc textarea").first.fill("Сабақтың мақсаты")
    lesson.locator("[data-storage-alert]").wait_for(state="visible")
    assert "сақталмады" in lesson.inner_text("[data-notice]")
    values = json.loads(downloaded(lesson, "[data-action=download-unsaved]"))["values"]
    assert "Сабақтың мақсаты" in json.dumps(values, ensure_ascii=False)

    # Space freed: the next change is kept and the alert goes.
    page.evaluate(FREE_STORAGE)
    page.check("input[name=reflection-level][value='3']")
    alert.wait_for(state="hidden")
    assert stored(page, DRAFT)["answers"] == {"action-level": 2, "analysis-level": 4, "reflection-level": 3}
    assert context.errors == []


def test_defect_5b_full_storage_still_reads_results_drafts_and_copies(context, serve):
    server = serve()
    page = open_page(context, server.url(PAGE))
    complete_and_save(page)
    lesson = open_page(context, server.url(LESSON))
    lesson.locator("form.kasibi-doc textarea").first.fill("Сақталған мәтін")
    page.evaluate(FILL_STORAGE)

    page.reload()
    for stage, value in ANSWERS.items():
        assert page.is_checked(f"input[name={stage}-level][value='{value}']")
    lesson.reload()
    assert lesson.locator("form.kasibi-doc textarea").first.input_value() == "Сақталған мәтін"
    results = open_page(context, server.url(RESULTS))
    results.wait_for_selector("[data-record]")
    exported = json.loads(downloaded(results, "[data-action=export]"))
    assert len(exported["records"]) == 1
    assert exported["records"][0]["instrument"] == "cycle-self-assessment"
    assert context.errors == []


def test_defect_5c_damaged_draft_with_full_storage_is_kept_and_the_page_works(context, serve):
    page = open_page(context, serve().url(PAGE))
    damaged = '{"format":1,"instrument":"cycle-self-assessment","answers":"' + "ә" * 2000
    page.evaluate("raw => localStorage.setItem('kasibi:v1:draft:cycle-self-assessment', raw)", damaged)
    # Full but for a few hundred characters: a small write fits, a copy of the damaged value does not.
    page.evaluate("localStorage.setItem('other-app:room', 'x'.repeat(300))")
    page.evaluate(FILL_STORAGE)
    page.evaluate("localStorage.removeItem('other-app:room')")
    page.reload()
    assert "оқу мүмкін болмады" in page.inner_text(".kasibi-notice")
    answer_all(page)
    page.wait_for_selector(DONE, timeout=ENGINE_WAIT)
    assert page.evaluate("localStorage.getItem('kasibi:v1:draft:cycle-self-assessment')") == damaged
    alert = page.locator("[data-storage-alert]")
    assert alert.get_attribute("data-reason") == "damaged"
    unsaved = json.loads(downloaded(page, "[data-action=download-unsaved]"))
    assert unsaved["values"][DRAFT]["answers"]["trial-level"] == ANSWERS["trial"]

    page.reload()  # every reload still works, and the damaged value is still there
    assert "оқу мүмкін болмады" in page.inner_text(".kasibi-notice")
    assert page.evaluate("localStorage.getItem('kasibi:v1:draft:cycle-self-assessment')") == damaged
    assert context.errors == []


def three_tabs(context, url: str):
    """Two tabs that hear each other's changes, and a late one that does not (it stands for a tab whose
    storage event has not arrived yet)."""
    first, second = open_page(context, url), open_page(context, url)
    late = context.new_page()
    stale(late)
    late.goto(url)
    return first, second, late


def test_defect_6_copy_made_in_one_tab_survives_typing_in_another(context, serve):
    first, second, late = three_tabs(context, serve().url(LESSON))

    first.fill("[data-copy-name]", "Сабақ А")
    first.click("[data-action=new-copy]")
    first.locator("form.kasibi-doc textarea").first.fill("А сабағының мәтіні")
    # A tab that did not hear of it types in its own copy: «Сабақ А» and its text stay.
    late.locator("form.kasibi-doc textarea").first.fill("Ж")
    record = stored(late, "kasibi:v1:doc:reflective-lesson-analysis")
    assert set(record["copies"]) == {"Сабақ А", "№1"}
    assert "А сабағының мәтіні" in json.dumps(record["copies"]["Сабақ А"], ensure_ascii=False)
    assert "Ж" in json.dumps(record["copies"]["№1"], ensure_ascii=False)

    # A tab that hears of it follows and says so.
    second.wait_for_function("document.querySelector('[data-notice]').textContent.includes('басқа қойындыда')")
    assert second.input_value("[data-copy-select]") == "Сабақ А"
    assert second.locator("form.kasibi-doc textarea").first.input_value() == "А сабағының мәтіні"
    assert second.eval_on_selector_all("[data-copy-select] option", "os => os.map((o) => o.value).sort()") == [
        "Сабақ А",
        "№1",
    ]
    assert context.errors == []


def test_defect_6_answers_typed_in_two_tabs_are_both_kept(context, serve):
    first, second, late = three_tabs(context, serve().url(PAGE))

    first.check("input[name=action-level][value='2']")
    late.check("input[name=reflection-level][value='3']")  # a tab that heard nothing overwrites nothing
    assert stored(late, DRAFT)["answers"] == {"action-level": 2, "reflection-level": 3}

    notice = second.locator("[data-tab-notice]")
    notice.wait_for(state="visible")
    assert "басқа қойындыда" in notice.inner_text()
    assert second.is_checked("input[name=action-level][value='2']")
    assert second.is_checked("input[name=reflection-level][value='3']")
    second.check("input[name=analysis-level][value='1']")
    first.wait_for_function("document.querySelector('input[name=analysis-level][value=\"1\"]').checked")
    assert stored(first, DRAFT)["answers"] == {"action-level": 2, "analysis-level": 1, "reflection-level": 3}
    assert context.errors == []


def test_defect_9_over_long_template_value_gets_a_kazakh_message_before_download(context, serve):
    page = open_page(context, serve().url(LESSON))
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    area = page.locator("form.kasibi-doc textarea").first
    area.fill("ә" * 10_001)
    notice = page.locator("[data-notice]")
    assert "тым ұзын" in notice.inner_text() and "10000" in notice.inner_text()
    page.click("[data-action=docx]")  # refused on the page, before the engine is asked
    assert "тым ұзын" in notice.inner_text()
    assert "expected" not in notice.inner_text() and "Error" not in notice.inner_text()
    assert downloads == []
    assert context.errors == []


def test_defect_11_delete_everything_from_every_page_and_shared_computer(context, serve):
    server = serve()
    page = open_page(context, server.url(PAGE))
    complete_and_save(page)
    page.evaluate("""() => {
      localStorage.setItem('kasibi:v1:doc:research-plan', JSON.stringify({format: 1, template_version: 1,
        current: 'Мектеп', copies: {'Мектеп': {values: {}, updated: null}, 'Екінші': {values: {}, updated: null}}}));
      localStorage.setItem('kasibi:v1:prefill:individual-development-plan', '{"format":1,"data":{}}');
      localStorage.setItem('kasibi:v1:corrupt:history:1', 'x');
      localStorage.setItem('other-app:kept', 'not ours');
    }""")
    confirms = []
    guide = context.new_page()
    guide.on("dialog", lambda dialog: (confirms.append(dialog.message), dialog.accept()))
    guide.goto(server.url("model/cycle/action.html"))
    guide.click(".md-footer [data-action=device-data]")
    counts = guide.inner_text("[data-device-counts]")
    for line in ("нәтижелер: 1", "жауаптары: 1", "құжаттар: 1 (2 көшірме)", "нәтижелер: 1", "көшірмелері: 1"):
        assert line in counts
    with guide.expect_navigation():
        guide.click("[data-action=delete-everything]")
    assert "нәтижелер: 1" in confirms[0] and "құжаттар: 1 (2 көшірме)" in confirms[0]
    assert guide.evaluate(SITE_KEYS) == []
    assert guide.evaluate("localStorage.getItem('other-app:kept')") == "not ours"

    # My results reaches the same action.
    results = open_page(context, server.url(RESULTS))
    assert results.locator("[data-results-root] [data-action=device-data]").count() == 1

    # A shared computer: nothing stays after the tab is closed, and every form says so.
    page.reload()
    page.click(".md-footer [data-action=device-data]")
    with page.expect_navigation():
        page.click("[data-device-shared]")
    assert "жабылғанда өшеді" in page.inner_text("[data-shared-note]")
    page.check("input[name=action-level][value='2']")
    assert page.evaluate(SITE_KEYS) == ["kasibi:v1:device"]
    assert page.evaluate("sessionStorage.getItem('kasibi:v1:draft:cycle-self-assessment')") is not None
    page.close()
    reopened = open_page(context, server.url(PAGE))
    assert not reopened.is_checked("input[name=action-level][value='2']")
    assert "жабылғанда өшеді" in reopened.inner_text(".md-footer")
    assert context.errors == []


def test_defect_13_history_in_a_newer_format_is_kept_and_explained(context, serve):
    server = serve()
    newer = json.dumps({"format": 99, "records": [{"id": "from-the-future"}]})
    page = open_page(context, server.url(RESULTS))
    page.evaluate("raw => localStorage.setItem('kasibi:v1:history', raw)", newer)
    page.reload()
    assert page.evaluate("localStorage.getItem('kasibi:v1:history')") == newer
    assert page.evaluate("Object.keys(localStorage).filter((k) => k.includes(':corrupt:'))") == []
    alert = page.locator("[data-storage-alert]")
    alert.wait_for(state="visible")
    assert "жаңарақ нұсқасы" in alert.inner_text()
    assert "жаңарақ нұсқасы" in page.inner_text("[data-results-root] [data-notice]")

    assessment = open_page(context, server.url(PAGE))  # saving must not write over the newer history
    answer_all(assessment)
    assessment.wait_for_selector(DONE, timeout=ENGINE_WAIT)
    assessment.click("[data-action=save]")
    assert "мүмкін болмады" in assessment.inner_text(".kasibi-report__actions [role=status]")
    assert "жаңарақ нұсқасы" in assessment.inner_text("[data-storage-alert]")
    assert assessment.evaluate("localStorage.getItem('kasibi:v1:history')") == newer
    assert assessment.evaluate("Object.keys(localStorage).filter((k) => k.includes(':corrupt:'))") == []
    assert context.errors == []
