"""Shared fixtures: the built site (once per run), a local static server, headless Chromium."""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, QuietHandler, QuietServer

from generator.formats.instrument import load_instrument
from generator.ship.release import build_site as release_build
from generator.ship.release import make_release, source_date

ROOT = Path(__file__).resolve().parents[1]
# Every build in the run (copies of the project in temporary folders too) shares the checkout's compression
# cache: the engine's 10 MB is compressed once, not once per copy.
os.environ.setdefault("KASIBI_COMPRESS_CACHE", str(ROOT / ".cache" / "precompressed"))
# The slow layers, as markers (pyproject.toml): a test is `browser` when it runs headless Chromium and `build`
# when it needs a built site or builds one. `pytest -m "not browser and not build"` is the quick loop (formats,
# engine, CLI and build steps in CPython); a test that builds by itself says so with @pytest.mark.build.
BROWSER_FIXTURES = {"browser", "page", "context"}
BUILD_FIXTURES = {"site_dir", "archive", "two_versions", "release"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if fixtures & BUILD_FIXTURES:
            item.add_marker(pytest.mark.build)


def build_site(out: Path, config: Path = ROOT / "mkdocs.yml", engine: str = "mkdocs") -> subprocess.CompletedProcess:
    """``engine build`` (MkDocs, or ProperDocs: test_second_engine.py) dated as the last commit, as a release is."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(source_date(ROOT))}
    return subprocess.run(
        [sys.executable, "-m", engine, "build", "--strict", "-f", str(config), "-d", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The site built once per run, shared by the run's processes (the first builds it, the others wait);
    KASIBI_SITE=<folder> reuses a build (quick local iterations). Tests read it and never change it."""
    if os.environ.get("KASIBI_SITE"):
        return Path(os.environ["KASIBI_SITE"]).resolve()
    run = shared_folder(tmp_path_factory, worker_id)
    out = run / "site"
    with open(run / "site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (run / "site.built").exists():
            done = build_site(out)
            assert done.returncode == 0, done.stderr
            (run / "site.built").touch()
    return out


def shared_folder(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The run's folder, the same for all its processes (pytest-xdist gives each its own below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if worker_id != "master" else base


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The release zip of version 9.9.9, made once per run (the first process makes it, the others wait)."""
    run = shared_folder(tmp_path_factory, worker_id)
    with open(run / "release.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (run / "release.made").exists():
            made = make_release(ROOT, run / "dist", "9.9.9")
            expected = Path(f"{made}.sha256").read_text(encoding="utf-8").split()
            assert expected == [hashlib.sha256(made.read_bytes()).hexdigest(), made.name]
            (run / "release.made").write_text(made.name, encoding="utf-8")
        return run / "dist" / (run / "release.made").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def two_versions(site_dir: Path, tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> tuple[Path, Path]:
    """Two versions of the site for the tests of an update, which read them: the run's site, and the same
    sources built as version 2.0.0 (once per run)."""
    run = shared_folder(tmp_path_factory, worker_id)
    second = run / "v2"
    with open(run / "versions.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (run / "versions.built").exists():
            assert release_build(ROOT, second, "2.0.0").startswith("2.0.0+")
            (run / "versions.built").touch()
    return site_dir, second


@pytest.fixture(scope="session")
def release(archive: Path) -> Iterator[Path]:
    """The release folder (README.txt, site/, server/), unpacked by `unzip` as an IT person does, in a
    folder any user may enter (pytest's own temporary folders are private to their owner); one per process."""
    unpacked = Path(tempfile.mkdtemp(prefix="kasibi-release-"))
    unpacked.chmod(0o755)
    subprocess.run(["unzip", "-q", str(archive), "-d", str(unpacked)], check=True)
    [folder] = [p for p in unpacked.iterdir() if p.is_dir()]
    yield folder
    shutil.rmtree(unpacked)


@pytest.fixture(scope="session")
def instruments(site_dir: Path) -> dict[str, dict]:
    """The compiled instruments as the built site publishes them (a module may define its own)."""
    folder = next(site_dir.glob("assets/kasibi-*/instruments"))
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json") if p.stem != "index"}


@pytest.fixture(scope="session")
def flagship() -> dict:
    return load_instrument(ROOT / "assessments" / "cycle-self-assessment.yml")


class StaticServer:
    """Serves a folder on 127.0.0.1, optionally under a sub-path (``/kasibi/``) as schools do."""

    def __init__(self, site: Path, root: Path, prefix: str, **options):
        handler_class = type("Handler", (QuietHandler,), options) if options else QuietHandler
        handler = functools.partial(handler_class, directory=str(root))
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/{prefix}"
        self.site = site
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "") -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def serve(site_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """serve(prefix, site=…, extra_headers=…, wasm_type=…) → a StaticServer at http://127.0.0.1:port/<prefix>."""
    servers: dict[tuple, StaticServer] = {}

    def start(prefix: str = "", site: Path = site_dir, **options) -> StaticServer:
        key = (prefix, site, tuple(sorted((k, str(v)) for k, v in options.items())))
        if key not in servers:
            root = site
            if prefix:
                root = tmp_path_factory.mktemp("subpath")
                (root / prefix.strip("/")).parent.mkdir(parents=True, exist_ok=True)
                (root / prefix.strip("/")).symlink_to(site, target_is_directory=True)
            servers[key] = StaticServer(site, root, prefix, **options)
        return servers[key]

    yield start
    for server in servers.values():
        server.close()


class Browser:
    """Chromium whose contexts block service workers unless a test asks for one (service_workers="allow"):
    otherwise every context would fetch and cache the site's 200 files beside the test, on the same CPU."""

    # Playwright's 30 s for a step (a page load, a click) is short for a machine as loaded as CI's, where six
    # Chromiums share two cores; a step that does fail still says so, only later.
    STEP_MS = 90_000

    def __init__(self, chromium) -> None:
        self._chromium = chromium

    def new_context(self, **options):
        context = self._chromium.new_context(**{"service_workers": "block", **options})
        context.set_default_timeout(self.STEP_MS)
        return context

    def new_page(self, **options):
        page = self._chromium.new_page(**{"service_workers": "block", **options})
        page.set_default_timeout(self.STEP_MS)
        return page

    def __getattr__(self, name: str):
        return getattr(self._chromium, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does)")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield Browser(chromium)
        chromium.close()
