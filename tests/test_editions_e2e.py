"""The Russian edition in Chromium: every instrument completed on its Russian page, with its picture, and shown in
Kazakh on the Kazakh My results (where two attempts made in the two languages compare); every template's Word file
downloaded from its Russian page and read back by LibreOffice in Russian; the language switch, remembered; Russian
search."""

# ruff: noqa: F811  (the page and context fixtures come from test_instruments_e2e)
from __future__ import annotations

import random
import re
from urllib.parse import quote

import pytest
import yaml
from answer_sets import random_answers
from conftest import ROOT
from test_instruments_e2e import context, fill, page, saved_records  # noqa: F401 (fixtures)
from test_templates import soffice, to_pdf_text  # noqa: F401 (a fixture)

from generator.formats.instrument import load_folder
from generator.formats.template import load_templates

KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
NAMES = re.compile(
    "|".join(map(re.escape, yaml.safe_load((ROOT / "coverage_map/terminology_kk_ru.yml").read_text())["names"])), re.I
)
KAZAKH = load_folder(ROOT / "assessments", "kk")
RUSSIAN = load_folder(ROOT / "assessments", "ru")
RU_UI = yaml.safe_load((ROOT / "site_src/i18n/ru.yml").read_text(encoding="utf-8"))["ui"]
TEMPLATES = load_templates(ROOT / "templates", RU_UI, "ru")


def russian(text: str, typed: set[str] = frozenset()) -> list[str]:
    """Kazakh-letter words in a Russian text, apart from listed names and what the teacher typed."""
    for answer in typed:
        text = text.replace(answer, "")
    return re.findall(r"\w*[әғқңөұүһіӘҒҚҢӨҰҮҺІ]\w*", NAMES.sub("", text))


def test_every_instrument_on_its_russian_page_shows_in_kazakh_on_the_kazakh_my_results(page, serve):
    server = serve()
    for n, instrument_id in enumerate(sorted(RUSSIAN)):
        instrument = RUSSIAN[instrument_id]
        answers = random_answers(instrument, random.Random(n))
        page.goto(server.url(f"ru/assessments/{instrument_id}.html"))
        fill(page, instrument, answers)
        page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
        drawn = page.locator("[data-result]")
        report = drawn.inner_text()
        typed = {answer for answer in answers.values() if isinstance(answer, str)}
        assert russian(report, typed) == [], instrument_id
        chart = instrument["report"]["chart"]  # its picture, its profile, its card, its provenance
        assert drawn.locator("svg.kasibi-chart").count() == (0 if chart == "none" else 1), instrument_id
        if instrument["scales"]:
            bands = {band["label"] for scale in instrument["scales"] for band in scale["bands"]}
            assert any(band in report for band in bands), instrument_id
            assert drawn.locator("[data-profile] tbody tr").count() == len(instrument["scales"]) or chart == "none"
        if any(rule["kind"] == "card" for rule in instrument["rules"]):
            assert drawn.locator(".kasibi-card").count() >= 1, instrument_id
        assert drawn.locator("[data-provenance]").get_attribute("data-provenance") == instrument["provenance"]["kind"]
        page.click("[data-action=save]")
    records = saved_records(page)
    assert sorted(r["instrument"] for r in records) == sorted(RUSSIAN) and {r["lang"] for r in records} == {"ru"}

    # One more attempt of the flagship, on its Kazakh page: the two compare on My results.
    page.goto(server.url("assessments/cycle-self-assessment.html"))
    fill(page, KAZAKH["cycle-self-assessment"], random_answers(KAZAKH["cycle-self-assessment"], random.Random(99)))
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    page.click("[data-action=save]")

    page.goto(server.url("assessments/my-results.html"))
    page.wait_for_selector("[data-results-list]:not([aria-busy])", timeout=180_000)
    for instrument_id, instrument in KAZAKH.items():  # said again in Kazakh from the same answers
        heading = page.locator(f"section[data-instrument={instrument_id}] h2")
        heading.filter(has_text=instrument["title"]).wait_for(timeout=180_000)
    group = page.locator("section[data-instrument=career-ladder]")
    group.locator("details summary").first.click()
    shown = group.locator(".kasibi-report__body").first
    shown.locator("table").first.wait_for(timeout=30_000)
    kk_bands = {band["label"] for scale in KAZAKH["career-ladder"]["scales"] for band in scale["bands"]}
    ru_bands = {band["label"] for scale in RUSSIAN["career-ladder"]["scales"] for band in scale["bands"]} - kk_bands
    assert any(band in shown.inner_text() for band in kk_bands)
    assert not any(band in shown.inner_text() for band in ru_bands)
    cycle = page.locator("section[data-instrument=cycle-self-assessment]")
    for box in cycle.locator("input[type=checkbox]").all():
        box.check()
    cycle.locator("button", has_text="салыстыру").click()
    compared = cycle.locator("[data-compare-output]")
    compared.locator("[data-compare]").wait_for(timeout=120_000)
    assert KAZAKH["cycle-self-assessment"]["scales"][0]["title"] in compared.inner_text()
    assert page.errors == []


def test_every_template_gives_its_word_file_in_russian_from_its_russian_page(context, serve, soffice, tmp_path):
    """The blank file of every template, and a filled one (written by the engine in the page), read back by
    LibreOffice: each in Russian."""
    server = serve()
    page = context.new_page()
    files = []
    for template_id in sorted(TEMPLATES):
        page.goto(server.url(f"ru/templates/{template_id}.html"))
        with page.expect_download() as download:
            page.click("a[data-blank]")
        files.append(tmp_path / f"{template_id}.docx")
        download.value.save_as(files[-1])
    page.goto(server.url("ru/templates/individual-development-plan.html"))
    typed = "Заполнено в русской версии: Асем Галимовна"
    page.locator("form.kasibi-doc textarea, form.kasibi-doc input[type=text]").first.fill(typed)
    with page.expect_download(timeout=120_000) as download:
        page.click("[data-action=docx]")
    files.append(tmp_path / "filled.docx")
    download.value.save_as(files[-1])
    texts = to_pdf_text(soffice, files, tmp_path / "pdf")
    for path in files:
        template = TEMPLATES[path.stem if path.stem != "filled" else "individual-development-plan"]
        text = " ".join(texts[path.stem].split())
        assert " ".join(template["title"].split()) in text, path.stem
        assert russian(text) == [], path.stem
    assert typed in " ".join(texts["filled"].split())
    page.close()


def test_the_language_switch_leads_to_the_same_page_and_the_choice_is_remembered(page, serve):
    server = serve()
    page.goto(server.url("model/cycle/reflection.html"))
    assert page.get_attribute("html", "lang") == "kk"
    page.hover(".md-header .md-select")
    page.click(".md-select__link[hreflang=ru]")
    page.wait_for_url("**/ru/model/cycle/reflection.html")
    assert page.get_attribute("html", "lang") == "ru"
    page.goto(server.url(""))  # the site's home: the chosen language's
    page.wait_for_url("**/ru/index.html")
    page.hover(".md-header .md-select")
    page.click(".md-select__link[hreflang=kk]")
    page.wait_for_url("**/index.html")
    page.goto(server.url(""))
    assert page.get_attribute("html", "lang") == "kk" and "/ru/" not in page.url
    assert page.errors == []


def test_the_root_opens_kazakh_for_a_new_visitor(page, serve):
    page.goto(serve().url(""))
    assert page.get_attribute("html", "lang") == "kk" and "/ru/" not in page.url


# A word as a teacher types it, in any form (the Russian stemmer finds «апробации» under «апробация»), and the page
# that must be among the first three results.
RU_SEARCHES = {
    "рефлексия": "ru/model/cycle/reflection.html",
    "наставник": "ru/practice/mentoring.html",
    "методиста": "ru/practice/methodologist.html",
    "апробации": "ru/model/cycle/trial.html",
    "Lesson Study": "ru/concept/lesson-study.html",
}


@pytest.mark.parametrize("query", RU_SEARCHES)
def test_russian_search_finds_the_russian_page(page, serve, query):
    server = serve()
    page.goto(server.url(f"ru/index.html?q={quote(query)}"))
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    found = page.eval_on_selector_all(".md-search-result__item > a", "as => as.map(a => a.href)")
    pages = list(dict.fromkeys(href.removeprefix(server.url()).split("?")[0].split("#")[0] for href in found))
    assert RU_SEARCHES[query] in pages[:3], pages[:5]
    assert all(path.startswith("ru/") for path in pages)
