"""The benches' static server: serves a built site on 127.0.0.1 and counts what it sends, file by file."""

from __future__ import annotations

import functools
import http.server
import threading
from collections import Counter
from pathlib import Path

from tests.support import QuietHandler


class _CountingWriter:
    def __init__(self, raw, count) -> None:
        self.raw, self.count = raw, count

    def write(self, data) -> int:
        self.count(len(data))
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class CountingServer:
    """``with CountingServer(site) as server``: ``server.url``, ``server.sent`` (bytes, headers included)."""

    compression = "none"

    def __init__(self, site: Path) -> None:
        counts: Counter[str] = Counter()
        self._counts = counts

        class Handler(QuietHandler):
            def setup(self) -> None:
                super().setup()
                self.wfile = _CountingWriter(self.wfile, lambda n: counts.update({self.path.split("?")[0]: n}))

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
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

    def reset(self) -> None:
        self._counts.clear()
