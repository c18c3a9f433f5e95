"""Serve a built site as a well-configured school server does: each file's precompressed sibling when the browser
accepts it, and the release's caching rules.
``python -m generator.ship.serve SITE_DIR [--port 8000] [--bind 127.0.0.1]`` (what ``make serve`` runs).

For a request that accepts ``br`` (or ``gzip``) and a file with a ``.br`` (``.gz``) sibling, the sibling is
sent with ``Content-Encoding``, the file's own ``Content-Type`` and ``Vary: Accept-Encoding`` (or ``304 Not
Modified`` to a browser whose copy is current, as for a plain file); every other request gets the plain file,
as from any static server. As the release's nginx.conf and .htaccess say: files in the fingerprinted folders
(their names change with every version) may be kept for a year; every other file (pages, the service worker)
is checked on every visit; an error is not kept. A missing address gets the site's own 404 page (the nearest
``404.html`` above it), with status 404.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import functools
import http.server
import os
import re
import sys
from http import HTTPStatus
from pathlib import Path

ENCODINGS = (("br", ".br"), ("gzip", ".gz"))  # the order of preference
REFUSED = re.compile(r";\s*q\s*=\s*0(\.0*)?\s*$")
FINGERPRINTED = re.compile(r"/assets/(kasibi-[0-9a-f]+|pyodide-[0-9.]+|javascripts|stylesheets)/")
KEPT = "public, max-age=31536000, immutable"
CHECKED = "no-cache"


def accepted(header: str) -> set[str]:
    """The codings an Accept-Encoding header allows (``q=0`` refuses one)."""
    codings = set()
    for part in header.split(","):
        name = part.split(";")[0].strip().lower()
        if name and not REFUSED.search(part):
            codings.add(name)
    return codings


class PrecompressedHandler(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        siblings = [(coding, path + suffix) for coding, suffix in ENCODINGS if os.path.isfile(path + suffix)]
        allowed = accepted(self.headers.get("Accept-Encoding", ""))
        for coding, sibling in siblings:
            if coding in allowed or "*" in allowed:
                return self._send_sibling(path, sibling, coding)
        self._vary = bool(siblings)
        return super().send_head()

    def _send_sibling(self, path: str, sibling: str, coding: str):
        modified = int(os.stat(path).st_mtime)
        self._vary = True
        if self._unchanged_since_asked(modified):  # a browser revalidating its copy gets no body again
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.end_headers()
            return None
        body = open(sibling, "rb")  # noqa: SIM115 - the base class closes what send_head returns
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(os.fstat(body.fileno()).st_size))
        self.send_header("Last-Modified", self.date_time_string(modified))
        self.end_headers()
        return body

    def _unchanged_since_asked(self, modified: int) -> bool:
        asked = self.headers.get("If-Modified-Since")
        if not asked or "If-None-Match" in self.headers:
            return False
        try:
            since = email.utils.parsedate_to_datetime(asked)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and modified <= since.timestamp()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self._not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        """The 404.html nearest above the missing address (the site may be a sub-folder of what is served)."""
        root = Path(self.directory)
        folder = Path(self.translate_path(self.path)).parent
        while folder.is_relative_to(root):
            if (folder / "404.html").is_file():
                return folder / "404.html"
            if folder == root:
                break
            folder = folder.parent
        return None

    def send_response(self, code: int, message: str | None = None) -> None:
        super().send_response(code, message)
        if code in (HTTPStatus.OK, HTTPStatus.NOT_MODIFIED):
            self.send_header("Cache-Control", KEPT if FINGERPRINTED.search(self.path.split("?")[0]) else CHECKED)

    def end_headers(self) -> None:
        if getattr(self, "_vary", False):
            self.send_header("Vary", "Accept-Encoding")
            self._vary = False
        super().end_headers()


class QuietServer(http.server.ThreadingHTTPServer):
    """Prints no traceback when a browser closes a connection it no longer needs (a tab closed, a download cut
    short): on a school's server that is no error. Other errors are printed as usual."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m generator.ship.serve", description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site}: no built site here (run `make build` first)")
    handler = functools.partial(PrecompressedHandler, directory=str(args.site))
    with QuietServer((args.bind, args.port), handler) as httpd:
        print(f"Serving {args.site} at http://{args.bind}:{args.port}/ (Ctrl+C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()


if __name__ == "__main__":
    main()
