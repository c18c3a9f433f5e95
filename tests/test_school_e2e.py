"""The school summary page in headless Chromium: teachers' files in, the school's report out.

One page load serves the parity loop and the privacy checks; the zip test prints, downloads the Word
report and the prefilled plan and reads both back through LibreOffice; the share test goes through
the «Мектепке беру» dialog on a real result. No request may leave 127.0.0.1.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from school_files import SENTINEL, random_facts, share_file, site_instruments, teacher_files, zipped
from test_templates import KAZAKH, soffice, to_pdf_text  # noqa: F401 - soffice is a fixture

from generator.browser import aggregate

PARITY_SETS = 100
ROOT = Path(__file__).resolve().parents[1]
RESULT = "[data-school-result]"
LOCAL = ("data:", "blob:")


@pytest.fixture(scope="module")
def instruments(site_dir: Path) -> dict[str, dict]:
    return site_instruments(site_dir)


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(accept_downloads=True)
    context.requested = []
    context.on("request", lambda request: context.requested.append(request.url))
    yield context
    outside = [u for u in context.requested if urlsplit(u).hostname != "127.0.0.1" and not u.startswith(LOCAL)]
    context.close()
    assert outside == [], outside


@pytest.fixture(scope="module")
def school(context, serve):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(serve().url("practice/school-summary.html"))
    yield page
    assert page.errors == []
    page.close()


def choose(page, files: list[tuple[str, bytes]], selector: str = "[data-school-files]") -> str:
    """Choose the files on the page and wait for the report; the status it ends with."""
    page.eval_on_selector(RESULT, "region => { region.dataset.status = 'stale'; }")
    payload = [{"name": name, "mimeType": "application/octet-stream", "buffer": data} for name, data in files]
    page.set_input_files(selector, files=payload)
    page.wait_for_selector(f"{RESULT}:is([data-status=done], [data-status=error])", timeout=120_000)
    return page.get_attribute(RESULT, "data-status")


def downloaded(page, selector: str) -> bytes:
    with page.expect_download(timeout=90_000) as download:
        page.click(selector)
    return Path(download.value.path()).read_bytes()


def expected_summary(files: list[tuple[str, bytes]], instruments: dict[str, dict]) -> bytes:
    return aggregate.aggregate_json(files, instruments).encode()


def test_browser_summary_equals_the_cli_byte_for_byte(school, instruments, tmp_path):
    rng = random.Random(14)
    for n in range(PARITY_SETS):
        files = teacher_files(instruments, rng, rng.randint(1, 25))
        assert choose(school, files) == "done", school.inner_text(RESULT)
        got = downloaded(school, "[data-school-download=summary]")
        assert got == expected_summary(files, instruments), f"set {n}"
    # The last set once more through the command line itself, each file named as the page names it.
    folder = tmp_path / "files"
    folder.mkdir()
    for name, data in files:
        (folder / name).write_bytes(data)
    out = tmp_path / "summary.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "aggregate",
            *(str(folder / name) for name, _ in files),
            "--json",
            str(out),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert out.read_bytes() == got


def test_a_chosen_folder_gives_the_summary_the_cli_gives_for_it(school, instruments, tmp_path):
    folder = tmp_path / "Мектепке"
    (folder / "9-сынып").mkdir(parents=True)
    files = teacher_files(instruments, random.Random(11), 30)
    for n, (name, data) in enumerate(files):
        (folder / ("9-сынып" if n % 3 else "") / name).write_bytes(data)
    school.eval_on_selector(RESULT, "region => { region.dataset.status = 'stale'; }")
    school.set_input_files("[data-school-folder]", folder)
    school.wait_for_selector(f"{RESULT}[data-status=done]", timeout=120_000)
    out = tmp_path / "summary.json"
    subprocess.run(
        [sys.executable, "-m", "generator", "aggregate", str(folder), "--json", str(out)], check=True, cwd=ROOT
    )
    assert downloaded(school, "[data-school-download=summary]") == out.read_bytes()
    assert "Мектепке/9-сынып/" in school.inner_text("[data-school-rejected]")


def test_school_summaries_dropped_together_equal_the_flat_summary(school, instruments):
    rng = random.Random(7)
    for _ in range(3):
        files = teacher_files(instruments, rng, rng.randint(20, 60), mixed=False)
        cut = rng.randint(1, len(files) - 1)
        parts = [files[:cut], files[cut:]]
        summaries = [(f"mektep-{n}.json", expected_summary(part, instruments)) for n, part in enumerate(parts)]
        assert choose(school, summaries) == "done"
        assert downloaded(school, "[data-school-download=summary]") == expected_summary(files, instruments)


def test_earlier_summary_shows_what_rose_and_fell(school, instruments):
    rng = random.Random(8)
    earlier = [(f"e{n}.json", share_file(instruments, rng, "cycle-self-assessment")) for n in range(12)]
    now = [(f"n{n}.json", share_file(instruments, rng, "cycle-self-assessment")) for n in range(12)]
    assert choose(school, now) == "done"
    assert school.locator("[data-school-table=compare]").count() == 0
    assert (
        choose(school, [("last-year.json", expected_summary(earlier, instruments))], "[data-school-earlier]") == "done"
    )
    rows = school.locator("[data-school-instrument=cycle-self-assessment] [data-school-table=compare] tbody tr")
    assert rows.count() == 5
    assert choose(school, [("not-a-summary.json", now[0][1])], "[data-school-earlier]") == "done"
    assert school.locator("[data-school-table=compare]").count() == 0


def test_four_teachers_show_no_figure(school, instruments):
    rng = random.Random(4)
    files = [(f"t{n}.json", share_file(instruments, rng, "cycle-self-assessment")) for n in range(4)]
    assert choose(school, files) == "done"
    section = school.locator("[data-school-instrument=cycle-self-assessment]")
    assert section.locator("[data-school-hidden]").count() == 1
    assert section.locator("svg, table").count() == 0
    assert "%" not in section.inner_text()


def test_a_breakdown_that_would_give_a_small_group_away_is_hidden(school, instruments):
    rng = random.Random(9)

    def staff(**groups: int) -> list[tuple[str, bytes]]:
        facts = [{"category": category} for category, n in groups.items() for _ in range(n)]
        return [(f"c{n}.json", share_file(instruments, rng, "cycle-self-assessment", f)) for n, f in enumerate(facts)]

    heat = "[data-school-instrument=cycle-self-assessment] svg.kasibi-chart >> nth=1"
    assert choose(school, staff(pedagog=8, moderator=6)) == "done"
    assert "Педагог-модератор" in school.locator(heat).text_content()
    # 2 moderators: shown as "other" they are the staff minus the 8 others, so nothing is broken down.
    assert choose(school, staff(pedagog=8, moderator=2)) == "done"
    assert school.locator("[data-school-instrument=cycle-self-assessment] svg.kasibi-chart").count() == 1


def test_named_mode_only_when_every_file_carries_a_name(school, instruments):
    rng = random.Random(5)
    named = [
        (f"n{k}.json", share_file(instruments, rng, "cycle-self-assessment", {"name": f"Мұғалім {k}"}))
        for k in range(8)
    ]
    assert choose(school, named) == "done"
    assert school.locator("[data-school-named]").count() == 1
    assert "Мұғалім 0" in school.inner_text("[data-school-named]")
    assert "Мұғалім".encode() not in downloaded(school, "[data-school-download=summary]")  # names never leave
    unnamed = [*named[:-1], ("anon.json", share_file(instruments, rng, "cycle-self-assessment"))]
    assert choose(school, unnamed) == "done"
    assert school.locator("[data-school-named]").count() == 0
    assert "Мұғалім" not in school.inner_text(RESULT)


def test_the_drawn_report_has_no_serious_accessibility_violation(school, instruments):
    rng = random.Random(12)
    files = [
        (f"a{n}.json", share_file(instruments, rng, "cycle-self-assessment", random_facts(rng))) for n in range(30)
    ]
    assert choose(school, files) == "done"
    # A hovered or focused md-button takes the theme's accent (deep orange) under white text: site-wide.
    school.mouse.move(0, 0)
    school.evaluate("document.activeElement?.blur()")
    school.add_script_tag(path=str(ROOT / "node_modules/axe-core/axe.min.js"))
    results = school.evaluate("axe.run(document.querySelector('[data-school]'), {resultTypes: ['violations']})")
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:4])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_no_free_text_reaches_the_page(school, instruments):
    rng = random.Random(6)
    files = teacher_files(instruments, rng, 30, mixed=False)
    assert choose(school, files) == "done"
    assert SENTINEL not in school.content()


def answer_survey(page) -> None:
    """Answer every required question (its first option) and type the sentinel into every text box."""
    for group in page.locator("form[data-instrument] [data-required]").all():
        group.locator("input").first.check()
    for box in page.locator("form[data-instrument] textarea").all():
        box.fill(SENTINEL)


def test_share_button_saves_only_the_chosen_facts_and_no_free_text(context, serve, instruments):
    page = context.new_page()
    page.goto(serve().url("assessments/methodological-work-survey.html"))
    # What she typed for her attestation pack (the cover, the achievements log) stays on her device too.
    kept = {
        "kasibi:v1:attestation": {"format": 1, "sought": "sarapshy", "teacher": SENTINEL, "school": SENTINEL},
        "kasibi:v1:doc:achievements-log": {
            "format": 1,
            "template_version": 1,
            "current": "Ж",
            "copies": {"Ж": {"values": {"log": [{"title": SENTINEL, "evidence": SENTINEL}]}, "updated": None}},
        },
    }
    page.evaluate("r => Object.entries(r).forEach(([k, v]) => localStorage.setItem(k, JSON.stringify(v)))", kept)
    page.reload()
    answer_survey(page)
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    page.click("[data-result] [data-action=share]")
    dialog = page.locator("[data-share-dialog]")
    dialog.locator("[data-share-contents] li").first.wait_for(timeout=60_000)
    dialog.locator("select[name=category]").select_option("expert")
    # A name typed without ticking named mode stays out of the file.
    dialog.locator("[name=name]").evaluate("input => { input.disabled = false; input.value = 'Айгүл'; }")
    data = downloaded(page, "[data-share-save]")
    text = data.decode("utf-8")
    share = json.loads(text)
    assert SENTINEL not in text and "Айгүл" not in text
    assert share["format"] == "kasibi-share" and share["instrument"]["id"] == "methodological-work-survey"
    assert share["facts"] == {"category": "expert"}
    survey = instruments["methodological-work-survey"]
    free = {i["id"] for s in survey["sections"] for i in s["items"] if i["type"] == "text"}
    assert share["answers"] and not free & set(share["answers"])
    page.close()


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_sixty_files_in_a_zip_print_word_and_plan(school, instruments, soffice, tmp_path):  # noqa: F811
    rng = random.Random(60)
    files = teacher_files(instruments, rng, 60, mixed=False)
    assert choose(school, [("mektep.zip", zipped(files, "WhatsApp Files/"))]) == "done"
    report = school.inner_text(RESULT)
    assert "60" in report and SENTINEL not in report
    assert school.locator(f"{RESULT} svg.kasibi-chart").count() >= 2
    assert SENTINEL.encode() not in downloaded(school, "[data-school-download=summary]")

    school.emulate_media(media="print")
    pdf = tmp_path / "school.pdf"
    school.pdf(path=str(pdf), format="A4")
    school.emulate_media(media="screen")
    assert 1 <= pdf_pages(pdf) <= 3

    word = tmp_path / "school-report.docx"
    word.write_bytes(downloaded(school, "[data-school-download=docx]"))
    school.click("[data-school-download=plan]")
    school.wait_for_selector("form.kasibi-doc", timeout=60_000)
    school.wait_for_selector("[data-notice]:not([hidden])", timeout=60_000)
    priorities = school.input_value("[name='diagnosis:priorities']")
    assert priorities
    plan = tmp_path / "school-plan.docx"
    plan.write_bytes(downloaded(school, "[data-action=docx]"))

    texts = to_pdf_text(soffice, [word, plan], tmp_path)
    for text in texts.values():
        assert sum(letter in text.lower() for letter in KAZAKH) >= 6  # Kazakh letters kept
        assert SENTINEL not in text
    assert "Мектеп бойынша жиынтық" in texts["school-report"]
    assert priorities.splitlines()[0][:20] in " ".join(texts["school-plan"].split())
