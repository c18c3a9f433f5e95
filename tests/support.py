"""What tests and benchmarks share: how headless Chromium is started here, a quiet static server."""

from __future__ import annotations

import http.server
from typing import ClassVar

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


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static server; ``headers`` are added to every response, ``wasm_type`` and ``mjs_type`` override the MIME
    types of .wasm and .mjs."""

    headers: ClassVar[dict[str, str]] = {}
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
        for name, value in self.headers.items():
            self.send_header(name, value)
        super().end_headers()
