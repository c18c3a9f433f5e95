"""Light on slow links (issue 16): a small Kazakh search index fetched on first use, no engine download
from a guidance page, offline after one visit to a self-assessment, nothing extra under Save-Data, and a
click rescored at once. Sizes and times are measured in bench/, not asserted here."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from answer_sets import random_answers
from support import CountingServer, service_worker_ready
from test_instruments_e2e import INSTRUMENTS, fill

from generator.build.bundle import PYODIDE_DIR

GUIDANCE = "model/cycle/reflection.html"
ENGINE_FILE = re.compile(rf"^/({re.escape(PYODIDE_DIR)}/|assets/kasibi-[^/]+/engine/)")
INDEX_BUDGET = 1_600_000  # bytes; Material's own index was 3.6 MB


def sw_lists(site: Path) -> dict[str, list]:
    text = (site / "sw.js").read_text(encoding="utf-8")
    names = ("PRECACHE", "ENGINE", "SNAPSHOT")
    return {name: json.loads(re.search(rf"^const {name} = (.*);$", text, re.M)[1]) for name in names}


def test_search_index_is_plain_kazakh_utf8_with_no_english_pipeline(site_dir):
    raw = (site_dir / "search/search_index.json").read_bytes()
    assert b"\\u04" not in raw and len(raw) < INDEX_BUDGET, len(raw)
    index = json.loads(raw)
    assert index["config"]["pipeline"] == []  # no English stemmer, stop words, or trimmer that eats Cyrillic
    assert all(set(doc) <= {"location", "title", "text", "boost"} for doc in index["docs"])
    assert not [doc["location"] for doc in index["docs"] if re.search(r"<[a-z/][^>]*>", doc["text"])]
    assert any("рефлексия" in doc["text"].lower() for doc in index["docs"])


def test_precache_holds_no_engine_file_and_the_engine_list_holds_all_of_it(site_dir):
    lists = sw_lists(site_dir)
    assert not [path for path in lists["PRECACHE"] if ENGINE_FILE.match("/" + path)]
    assert not [path for path in lists["PRECACHE"] if path.endswith((".br", ".gz"))]
    engine = {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file()}
    engine = {path for path in engine if ENGINE_FILE.match("/" + path) and not path.endswith((".br", ".gz"))}
    assert set(lists["ENGINE"]) == engine - {lists["SNAPSHOT"]} and any(path.endswith(".wasm") for path in engine)
    assert lists["SNAPSHOT"] in engine and lists["SNAPSHOT"].endswith("/engine/snapshot.bin")


def test_the_search_index_is_fetched_when_the_reader_first_searches(browser, serve):
    page = browser.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(serve().url(GUIDANCE), wait_until="networkidle")
    assert not [url for url in asked if "search_index" in url]
    page.keyboard.press("/")
    page.keyboard.type("рефлексия")
    page.wait_for_selector(".md-search-result__item", timeout=60_000)
    assert [url for url in asked if "search_index" in url]
    assert "reflection.html" in page.get_attribute(".md-search-result__item a", "href")
    page.close()


def score(page, instrument_id: str, seed: int) -> None:
    fill(page, INSTRUMENTS[instrument_id], random_answers(INSTRUMENTS[instrument_id], random.Random(seed)))
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)


def test_a_guidance_page_fetches_no_engine_and_one_instrument_visit_makes_everything_offline(browser, site_dir):
    with CountingServer(site_dir) as server:
        context = browser.new_context(service_workers="allow")
        page = context.new_page()
        page.goto(server.url + GUIDANCE)
        service_worker_ready(page)  # installed: its precache is complete
        page.wait_for_timeout(10_000)
        assert len(server.files()) > 50, "the pages were precached"
        assert not [path for path in server.files() if ENGINE_FILE.match(path)]

        page.goto(server.url + "assessments/cycle-self-assessment.html")
        score(page, "cycle-self-assessment", 1)
        lists = sw_lists(site_dir)
        # The engine, and its start-up snapshot (fetched through the worker, for the next start).
        wanted = [server.url + path for path in [*lists["ENGINE"], lists["SNAPSHOT"]]]
        page.wait_for_function(
            """async (wanted) => {
              const cached = new Set();
              for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) cached.add(request.url);
              }
              return wanted.every((url) => cached.has(url));
            }""",
            arg=wanted,
            timeout=120_000,
        )
    context.set_offline(True)  # and the server is gone
    page.goto(server.url + "assessments/lesson-balance-wheel.html")
    score(page, "lesson-balance-wheel", 2)
    assert page.get_attribute("[data-engine-status]", "data-engine-start") == "snapshot"
    page.goto(server.url + "templates/individual-development-plan.html")
    assert page.locator("form").count()
    page.goto(server.url + GUIDANCE)
    assert "Рефлексия" in page.inner_text("article h1")
    context.close()


def test_with_save_data_nothing_is_fetched_beyond_the_page(browser, site_dir):
    with CountingServer(site_dir) as server:
        context = browser.new_context(service_workers="allow")
        context.add_init_script("Object.defineProperty(navigator, 'connection', {value: {saveData: true}})")
        page = context.new_page()
        page.goto(server.url + GUIDANCE)
        page.wait_for_timeout(8_000)  # the offline copy would start 5 s after load
        # What the page itself loads (its scripts' imports, the search worker) may still arrive late on a busy
        # machine, so the check is on what only the offline copy fetches: the worker, other pages, the engine.
        beyond = [path for path in server.files() if path.endswith((".html", "sw.js")) or ENGINE_FILE.match(path)]
        assert beyond == ["/" + GUIDANCE]
        assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r === undefined)")
        context.close()


@pytest.fixture
def instrument_page(browser, serve):
    page = browser.new_page()
    page.add_init_script("""
      const post = Worker.prototype.postMessage;
      window.scoreRequests = 0;
      Worker.prototype.postMessage = function (message, ...rest) {
        if (message?.type === "score") window.scoreRequests++;
        return post.call(this, message, ...rest);
      };""")
    page.goto(serve().url("assessments/lesson-balance-wheel.html"))
    page.wait_for_selector("[data-engine-status=ready]", timeout=180_000)
    yield page
    page.close()


def test_a_click_is_scored_at_once_and_typing_waits_for_a_pause(instrument_page):
    page, instrument = instrument_page, INSTRUMENTS["lesson-balance-wheel"]
    answers = random_answers(instrument, random.Random(3))
    fill(page, instrument, answers)
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    page.clock.install()  # fake timers, but time still flows (a busy machine would fire the typing pause)
    page.clock.pause_at(page.evaluate("Date.now()") + 10)  # from here on, timers run only when the test says
    before = page.evaluate("scoreRequests")
    choice = page.locator("form [role=radiogroup] input:not(:checked)").first
    choice.check()
    page.clock.run_for(1)
    assert page.evaluate("scoreRequests") == before + 1, "a click waited for the typing pause"

    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    before = page.evaluate("scoreRequests")
    page.locator("form textarea").first.press_sequentially("ой")
    page.clock.run_for(100)
    assert page.evaluate("scoreRequests") == before, "each key was scored"
    page.clock.run_for(400)
    assert page.evaluate("scoreRequests") == before + 1


def test_a_template_page_starts_the_engine_after_its_first_paint_and_still_counts_and_writes_word(browser, serve):
    page = browser.new_page()
    events: list[str] = []
    engine = lambda worker: worker.url.endswith("/js/engine/worker.js")  # noqa: E731 - not Material's search worker
    page.on("worker", lambda worker: engine(worker) and events.append("engine"))
    page.on("load", lambda _: events.append("load"))
    page.goto(serve().url("templates/route-sheet-moderator.html"))
    page.wait_for_selector("[data-completion]:not([hidden])", timeout=120_000)  # counted by the engine
    assert events == ["load", "engine"]  # was started from the <head>, competing with the first paint
    assert not page.locator("script[src*='engine-boot']").count()
    with page.expect_download(timeout=90_000) as download:
        page.click("[data-action=docx]")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    page.close()
