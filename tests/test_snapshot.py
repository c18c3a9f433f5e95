"""The engine's start-up snapshot (issue 16): the build makes the same bytes again from scratch in another
folder; a browser restores it at once on a fast link and on any link from the next start, scores as Python
started as usual does, starts Python as usual when the snapshot is broken, and never fetches it with Save-Data.
(That the snapshot scores every instrument as CPython does is checked in Node: test_parity.py.)"""

from __future__ import annotations

import gzip
import logging
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from answer_sets import random_answers
from conftest import ROOT
from support import CountingServer, emulate_link
from test_instruments_e2e import INSTRUMENTS, fill

from generator import browser as browser_package
from generator.build.bundle import Bundle, Edition
from generator.build.publish import site_files
from generator.formats.i18n import load_ui
from generator.ship import snapshot
from generator.ship.runtime import runtime_files
from generator.ship.snapshot import SnapshotError, make_snapshot

FLAGSHIP = "cycle-self-assessment"
PAGE = f"assessments/{FLAGSHIP}.html"
READY = "[data-engine-status=ready]"


def engine_dir(site: Path) -> Path:
    [folder] = site.glob("assets/kasibi-*/engine")
    return folder


def started(page) -> str:
    page.wait_for_selector(READY, timeout=180_000)
    return page.get_attribute("[data-engine-status]", "data-engine-start")


def report(page, answers: dict) -> str:
    fill(page, INSTRUMENTS[FLAGSHIP], answers)
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    return page.inner_text("[data-result]")


def test_the_snapshot_is_made_again_from_scratch_in_another_folder_with_the_same_bytes(site_dir, tmp_path):
    modules = []
    for path in browser_package.module_files():
        modules.append(tmp_path / path.name)
        shutil.copy(path, modules[-1])
    stdlib_zip = (engine_dir(site_dir) / "python_stdlib.zip").read_bytes()
    made = make_snapshot(ROOT / "node_modules/pyodide", modules, stdlib_zip, cache=None)
    assert made == (engine_dir(site_dir) / snapshot.SNAPSHOT).read_bytes()
    heap = gzip.decompress(made)
    assert heap.startswith(b"\0snp") and len(heap) > 16 * 2**20, len(heap)  # Pyodide's header, then the heap


def test_without_node_the_build_says_what_to_install(monkeypatch, site_dir):
    monkeypatch.setattr(snapshot.shutil, "which", lambda name: None)
    stdlib_zip = (engine_dir(site_dir) / "python_stdlib.zip").read_bytes()
    with pytest.raises(SnapshotError, match=r"node not found: .*Node\.js 18"):
        make_snapshot(ROOT / "node_modules/pyodide", browser_package.module_files(), stdlib_zip, cache=None)


def node_that(tmp_path: Path, version: str, crash: str) -> Path:
    """A `node` that says `version` and, asked to run anything, ends in a native crash (Debian's Node 18 unpacked
    without its node-* packages does)."""
    node = tmp_path / "bin" / "node"
    node.parent.mkdir()
    node.write_text(f'#!/bin/sh\n[ "$1" = --version ] && echo {version} && exit 0\necho "{crash}" >&2\nexit 134\n')
    node.chmod(0o755)
    return node.parent


@pytest.mark.parametrize(
    ("version", "says"),
    [
        ("v16.20.2", r"Node\.js v16\.20\.2 cannot make the snapshot: it needs 18 or newer"),
        ("v22.1.0", r"snapshot\.mjs: Node could not make the snapshot: .*15: 0x7f \[libc\.so\.6\]"),
    ],
)
def test_a_node_that_cannot_make_it_is_named_and_the_site_is_built_without_it(
    tmp_path, monkeypatch, caplog, site_dir, version, says
):
    bin_dir = node_that(tmp_path, version, "14: 0x7e [node]\n15: 0x7f [libc.so.6]")
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    stdlib_zip = (engine_dir(site_dir) / "python_stdlib.zip").read_bytes()
    with pytest.raises(SnapshotError, match=says):
        make_snapshot(ROOT / "node_modules/pyodide", browser_package.module_files(), stdlib_zip, cache=None)
    # The step that lists the site's files goes on without it, says so in one line, and the worker never asks.
    bundle = Bundle.of("0.1.0", [])
    runtime = runtime_files(ROOT / "node_modules/pyodide")
    ui = load_ui(ROOT / "site_src/i18n", "kk")
    with caplog.at_level(logging.WARNING, logger="generator.build.publish"):
        files = {f.path: f for f in site_files(bundle, ROOT / "site_src", runtime, {"kk": Edition(ui, {})})}
    [warning] = caplog.records
    assert re.search(says, warning.getMessage()) and "without the engine's start-up snapshot" in warning.getMessage()
    assert bundle.path("engine", snapshot.SNAPSHOT) not in files
    assert bundle.path("engine", "engine.py") in files
    build = files[bundle.path("js", "build.js")].content
    assert '"downloadWithSnapshot": null' in build


def test_a_fast_link_restores_the_snapshot_at_once(browser, site_dir):
    with CountingServer(site_dir) as server:
        context = browser.new_context()
        page = context.new_page()
        emulate_link(context, page, 100, 2)  # a school's LAN
        page.goto(server.url + PAGE)
        assert started(page) == "snapshot"
        fetched = server.files()
        assert [path for path in fetched if path.endswith("/engine/snapshot.bin")]
        assert not [path for path in fetched if path.endswith(".py")], "the snapshot holds the site's Python"
        assert report(page, random_answers(INSTRUMENTS[FLAGSHIP], random.Random(5)))
        context.close()


def test_a_slow_link_starts_python_then_keeps_the_snapshot_and_the_next_start_scores_the_same(browser, site_dir):
    size = (engine_dir(site_dir) / snapshot.SNAPSHOT).stat().st_size
    answers = random_answers(INSTRUMENTS[FLAGSHIP], random.Random(6))
    with CountingServer(site_dir) as server:
        context = browser.new_context()
        page = context.new_page()
        emulate_link(context, page, 5, 60)  # Chromium estimates 5 Mbit/s; round trips beyond a LAN's
        page.goto(server.url + PAGE)
        assert started(page) == "start"
        first = report(page, answers)
        # After the start, the snapshot is fetched for the next one (6.4 MB: about 10 s at 5 Mbit/s).
        snapshot_path = next(p for p in server.files() if p.endswith("/engine/snapshot.bin"))
        page.wait_for_function(
            "async (url) => (await fetch(url, {cache: 'only-if-cached', mode: 'same-origin'})).ok",
            arg=server.url + snapshot_path.lstrip("/"),
            timeout=120_000,
        )
        assert server.counts()[snapshot_path] >= size
        page.reload()
        assert started(page) == "snapshot"
        assert report(page, answers) == first  # the draft's answers, scored by the restored engine
        context.close()


@pytest.mark.parametrize(
    "broken", [b"not a gzip stream", gzip.compress(bytes(64 * 1024), mtime=0)], ids=["not-gzip", "wrong-memory"]
)
def test_a_broken_snapshot_starts_python_as_usual(browser, serve, broken):
    context = browser.new_context()
    context.route("**/engine/snapshot.bin", lambda route: route.fulfill(body=broken))
    page = context.new_page()
    emulate_link(context, page, 100, 2)
    page.goto(serve().url(PAGE))
    assert started(page) == "start"
    assert report(page, random_answers(INSTRUMENTS[FLAGSHIP], random.Random(7)))
    context.close()


SAVE_DATA = "Object.defineProperty(WorkerNavigator.prototype, 'connection', {get: () => ({saveData: true})});\n"


def test_with_save_data_the_snapshot_is_never_fetched(browser, site_dir):
    with CountingServer(site_dir) as server:
        context = browser.new_context()

        def save_data(route) -> None:  # the worker's own navigator says Save-Data (init scripts miss workers)
            original = route.fetch()
            route.fulfill(response=original, body=SAVE_DATA + original.text())

        context.route("**/js/engine/worker.js", save_data)
        page = context.new_page()
        emulate_link(context, page, 100, 2)  # fast, yet
        page.goto(server.url + PAGE)
        assert started(page) == "start"
        page.wait_for_timeout(3000)  # the fetch for later would start at once
        assert not [path for path in server.files() if path.endswith("/engine/snapshot.bin")]
        context.close()
