"""The teacher's path on a phone (issue 12, items 1-5 and 10): the three starts on the home page's first screen,
the instrument list as cards with the flagship first, the form near the top, the result's headline and actions
first, a printed result of at most two A4 pages for every instrument, My results inside a phone's width."""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import pytest
from answer_sets import random_answers
from conftest import ROOT
from test_instruments_e2e import fill
from test_templates import to_pdf_text

from generator.formats.instrument import load_folder

INSTRUMENTS = load_folder(ROOT / "assessments")
FLAGSHIP = "cycle-self-assessment"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def phone(browser, serve):
    context = browser.new_context(viewport=PHONE, service_workers="block")
    context.add_init_script("window.print = () => {};")  # headless Chromium would print nothing anyway
    page = context.new_page()
    page.goto(serve().url(""))
    yield page
    context.close()


def test_home_shows_the_three_starts_on_the_first_phone_screen(phone, serve):
    phone.goto(serve().url(""))
    starts = phone.evaluate("""() => [...document.querySelectorAll('.md-content a')].filter((a) => {
        const r = a.getBoundingClientRect();
        return r.height > 0 && r.bottom <= innerHeight
          && /(cycle-self-assessment|my-results|templates\\/index)\\.html$/.test(a.href);
      }).map((a) => a.href.split('/').pop())""")
    assert {"cycle-self-assessment.html", "my-results.html", "index.html"} <= set(starts)
    assert "15" in phone.locator(".md-content a[href$='cycle-self-assessment.html']").first.inner_text()


def test_instrument_list_is_cards_flagship_first_words_whole(phone, serve):
    phone.goto(serve().url("assessments/index.html"))
    titles = phone.locator(".md-content .kasibi-catalogue li a:first-of-type")
    assert titles.count() == len(INSTRUMENTS)
    assert titles.first.get_attribute("href").endswith(f"{FLAGSHIP}.html")
    # Every word of every title is narrower than the box it sits in, so no word is broken.
    broken = phone.evaluate("""() => [...document.querySelectorAll('.kasibi-catalogue li a:first-of-type')]
      .flatMap((a) => {
        const box = a.parentElement.clientWidth;
        return a.textContent.trim().split(/\\s+/).filter((word) => {
          const probe = document.createElement('span');
          probe.style.whiteSpace = 'nowrap';
          probe.textContent = word;
          a.append(probe);
          const wide = probe.getBoundingClientRect().width > box;
          probe.remove();
          return wide;
        });
      })""")
    assert broken == []
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    # Each card says how long it takes and who it is for.
    for entry in INSTRUMENTS.values():
        card = phone.locator(f".kasibi-catalogue li:has(a[href$='{entry['id']}.html'])").inner_text()
        assert f"{entry['minutes']} минут" in card and entry["audience"] in card


@pytest.fixture(scope="module")
def flagship(phone, serve):
    phone.goto(serve().url(f"assessments/{FLAGSHIP}.html"))
    phone.evaluate("localStorage.clear()")
    phone.reload()
    first_question = phone.evaluate(
        "document.querySelector('.kasibi-form .kasibi-item').getBoundingClientRect().top / innerHeight"
    )
    instrument = INSTRUMENTS[FLAGSHIP]
    fill(phone, instrument, random_answers(instrument, random.Random(5)))
    phone.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    return {"page": phone, "first_question": first_question}


def test_first_question_is_on_the_first_two_phone_screens(flagship):
    assert flagship["first_question"] < 2  # was 3.2 screens of text before it


def test_the_scoring_explanation_is_shown_once(flagship):
    method = INSTRUMENTS[FLAGSHIP]["provenance"]["method"][:60]
    shown = flagship["page"].evaluate(
        """(method) => [...document.querySelectorAll('.md-content p')]
          .filter((p) => p.textContent.includes(method) && p.checkVisibility()).length""",
        method,
    )
    assert shown == 1


def test_result_leads_with_the_headline_and_the_actions(flagship):
    page = flagship["page"]
    page.evaluate("document.querySelector('[data-result]').scrollIntoView()")
    tops = page.evaluate("""() => Object.fromEntries(
        ['[data-headline]', '[data-action=save]', '[data-action=print-report]']
        .map((s) => [s, document.querySelector(s)?.getBoundingClientRect().bottom ?? 1e9]))""")
    assert all(bottom <= PHONE["height"] for bottom in tops.values()), tops
    headline = page.locator("[data-headline]").inner_text()
    zone = page.locator("[data-growth-zone]").get_attribute("data-growth-zone")
    zone_title = next(s["title"] for s in INSTRUMENTS[FLAGSHIP]["scales"] if s["id"] == zone)
    assert zone_title in headline


def test_the_one_page_report_downloads_as_word_with_name_date_and_growth_zone(flagship, tmp_path):
    page = flagship["page"]
    page.fill("[data-report-name]", "Айгүл Сәрсенова")
    with page.expect_download(timeout=90_000) as download:
        page.click("[data-action=report-docx]")
    word = tmp_path / download.value.suggested_filename
    download.value.save_as(word)
    title = INSTRUMENTS[FLAGSHIP]["title"]
    assert word.name.endswith(".docx") and word.name.startswith(title[:20])
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed: make test installs it"
    text = " ".join(to_pdf_text(soffice, [word], tmp_path)[word.stem].split())
    zone = page.locator("[data-growth-zone]").get_attribute("data-growth-zone")
    zone_title = next(s["title"] for s in INSTRUMENTS[FLAGSHIP]["scales"] if s["id"] == zone)
    today = page.evaluate("new Date().toLocaleDateString('ru-RU')")  # dd.mm.yyyy, as the report writes it
    assert "Айгүл Сәрсенова" in text and zone_title in text and today in text, text[:2000]
    first_statement = INSTRUMENTS[FLAGSHIP]["sections"][0]["items"][0]["prompt"]
    assert first_statement[:40] not in text  # the one-page report, not every answer


def pdf_pages(page, path) -> int:
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4")
    page.emulate_media(media="screen")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.mark.parametrize("instrument_id", sorted(INSTRUMENTS))
def test_printed_result_is_at_most_two_a4_pages(phone, serve, tmp_path, instrument_id):
    instrument = INSTRUMENTS[instrument_id]
    phone.goto(serve().url(f"assessments/{instrument_id}.html"))
    phone.evaluate("localStorage.clear()")
    phone.reload()
    fill(phone, instrument, random_answers(instrument, random.Random(7)))
    phone.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    assert pdf_pages(phone, tmp_path / "result.pdf") <= 2


def test_my_results_fit_a_phone_with_times_and_named_surveys(phone, serve):
    for instrument_id, seed in ((FLAGSHIP, 1), (FLAGSHIP, 2), ("methodological-work-survey", 3)):
        instrument = INSTRUMENTS[instrument_id]
        phone.goto(serve().url(f"assessments/{instrument_id}.html"))
        fill(phone, instrument, random_answers(instrument, random.Random(seed)))
        phone.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
        phone.click("[data-action=save]")
        phone.wait_for_selector("[data-action=save][disabled]")
    phone.goto(serve().url("assessments/my-results.html"))
    phone.wait_for_selector("details.kasibi-saved")
    summaries = phone.locator("details.kasibi-saved > summary").all_inner_texts()
    assert len(summaries) >= 3 and all(re.search(r"\d{1,2}:\d{2}", s) for s in summaries), summaries
    survey_title = INSTRUMENTS["methodological-work-survey"]["title"]
    assert any(survey_title in s for s in summaries)
    phone.locator("details.kasibi-saved > summary").first.click()
    phone.wait_for_selector("details.kasibi-saved[open] [data-action=print-report]")
    beyond = phone.evaluate("""() => [...document.querySelectorAll('.kasibi-results :is(button, .md-button)')]
        .filter((b) => b.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((b) => b.textContent)""")
    assert beyond == []
