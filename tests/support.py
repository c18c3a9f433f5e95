"""What tests and benchmarks share: how headless Chromium is started here, quiet static servers."""

from __future__ import annotations

import functools
import json
import re
import threading
from collections import Counter
from pathlib import Path
from typing import ClassVar

from generator.ship.serve import PrecompressedHandler, QuietServer

CHROMIUM = "/usr/bin/chromium"  # Debian's package: Playwright cannot download a browser here
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class QuietHandler(PrecompressedHandler):
    """A static server that sends precompressed siblings as ``make serve`` does; ``extra_headers`` are added to every
    response, ``wasm_type`` and ``mjs_type`` override the MIME types of .wasm and .mjs."""

    extra_headers: ClassVar[dict[str, str]] = {}  # not `headers`: that is the request's, set on every request
    wasm_type = "application/wasm"
    mjs_type = "text/javascript"

    def log_message(self, *args) -> None:
        pass

    def guess_type(self, path) -> str:
        if str(path).endswith(".wasm"):
            return self.wasm_type
        if str(path).endswith(".mjs"):
            return self.mjs_type
        return super().guess_type(path)

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()


class HeldFiles:
    """Holds requests for the files matching `patterns` until the test releases them (then lets every later one
    through): what a page does before they arrive, it does while they are held."""

    def __init__(self, context, *patterns: str) -> None:
        self.held: list = []
        self.open = False
        for pattern in patterns:
            context.route(pattern, self.arrive)

    def arrive(self, route) -> None:
        if self.open:
            route.continue_()
        else:
            self.held.append(route)

    def hold(self) -> None:
        self.open = False

    def release(self) -> None:
        self.open = True
        for route in self.held:
            route.continue_()
        self.held.clear()


def emulate_link(context, page, down_mbit: float, round_trip_ms: float, up_mbit: float | None = None) -> None:
    """DevTools throttling of ``page`` and its Web Workers; Chromium's estimate of the link follows it."""
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    rates = {"downloadThroughput": down_mbit * 1e6 / 8, "uploadThroughput": (up_mbit or down_mbit) * 1e6 / 8}
    session.send("Network.emulateNetworkConditions", {"offline": False, "latency": round_trip_ms, **rates})


class _CountingWriter:
    def __init__(self, raw, count) -> None:
        self.raw, self.count = raw, count

    def write(self, data) -> int:
        self.count(len(data))
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class CountingServer:
    """``with CountingServer(site) as server``: ``server.url``, ``server.sent`` (bytes, headers included); it sends
    precompressed siblings as ``make serve`` does."""

    def __init__(self, site: Path) -> None:
        counts: Counter[str] = Counter()
        self._counts = counts

        class Handler(QuietHandler):
            def setup(self) -> None:
                super().setup()
                self.wfile = _CountingWriter(self.wfile, lambda n: counts.update({self.path.split("?")[0]: n}))

        self.httpd = QuietServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def __enter__(self) -> CountingServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def sent(self) -> int:
        return sum(self._counts.values())

    def files(self) -> list[str]:
        return sorted(path for path in self._counts if path)

    def counts(self) -> dict[str, int]:
        """Bytes sent per path, headers included."""
        return dict(self._counts)

    def reset(self) -> None:
        self._counts.clear()


def greedy_cover(kinds: dict[str, set]) -> list[str]:
    """Few names whose kinds together are every kind (greedy: the name adding the most kinds not yet covered,
    ties broken by name, until none is left). A check that depends on kinds, not on each name, runs on these."""
    left, chosen = set().union(*kinds.values()), []
    while left:
        best = max(sorted(kinds), key=lambda name: len(kinds[name] & left))
        chosen.append(best)
        left -= kinds[best]
    return chosen


def service_worker_ready(page, timeout: float = 180_000) -> None:
    """Wait until the page's service worker is active (installed: its precache complete); a worker that never
    registers fails after ``timeout`` ms, where awaiting ``navigator.serviceWorker.ready`` alone waits for ever."""
    page.evaluate(
        """(ms) => Promise.race([
             navigator.serviceWorker.ready.then(() => true),
             new Promise((_, reject) => setTimeout(() => reject(new Error(`no service worker after ${ms} ms`)), ms)),
           ])""",
        timeout,
    )


def import_file(page, folder: Path, name: str, data: bytes | str | dict | list) -> str:
    """Import a file on My results as a teacher does and return the notice it gives (not one left from before:
    the notice is hidden first, so the wait is for this import's)."""
    page.evaluate("document.querySelector('[data-notice]').hidden = true")
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page.set_input_files("input[data-action=import]", str(path))
    page.wait_for_selector("[data-notice]:not([hidden])")
    return page.inner_text("[data-notice]")


# --- the two editions: tests about the Kazakh wording read only the Kazakh ---------------------------------------

RUSSIAN_SPAN = re.compile(r'<span lang="ru">(.*?)</span>')
RUSSIAN_VALUE = re.compile(r"^(\s*)(?:- )?ru:(?=\s|$)")
RUSSIAN_INLINE = re.compile(r',\s*ru:\s*(?:"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'|[^,}]*)')


def kazakh_lines(path: Path) -> list[str]:
    """A file's lines with every Russian text blanked (a ``ru:`` value of a YAML text, on its line or below it),
    so line numbers stay those of the file. Markdown pages are Kazakh (the Russian ones are under docs/ru/)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if path.suffix != ".yml":
        return [RUSSIAN_SPAN.sub(r"\1", line) for line in lines]  # a phrase marked as Russian reads as its words
    out, inside = [], None  # inside: the indent of the ru: key whose value is being skipped
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if inside is not None and (not line.strip() or indent > inside):
            out.append("")
            continue
        inside = None
        match = RUSSIAN_VALUE.match(line)
        if match:
            inside = len(match.group(1))
            out.append("")
            continue
        out.append(RUSSIAN_INLINE.sub("", line))
    return out


def kazakh_pages(docs: Path) -> list[Path]:
    """The Kazakh edition's Markdown pages (docs/ without docs/ru/)."""
    return sorted(p for p in docs.rglob("*.md") if p.relative_to(docs).parts[0] != "ru")


def first_language_only(project: Path) -> None:
    """A copy of the project built without its other languages (a test of something else than the editions:
    the Russian edition's build and compression would only cost the run its minutes)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.strip().startswith("editions:")]
    assert len(lines) == len(text.splitlines()) - 1, "mkdocs.yml names its editions on one line"
    config.unlink()  # a symlink to the checkout's, or a copy
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")


def item_kinds(instrument: dict) -> set[tuple[str, bool]]:
    """The kinds of item an instrument's form shows: each type, required or not."""
    return {(item["type"], item["required"]) for section in instrument["sections"] for item in section["items"]}


def block_kinds(template: dict) -> set[tuple[str, str]]:
    """The kinds of part a template's form shows: each block type and the types of its fields and columns."""
    kinds = {("block", block["type"]) for block in template["blocks"]}
    for block in template["blocks"]:
        kinds |= {(block["type"], part.get("type", "")) for part in block.get("fields", []) + block.get("columns", [])}
    return kinds
