"""Release size and the bytes of a first visit, measured at the server (bytes actually sent).

Builds the release zip, unpacks it, serves site/ on 127.0.0.1 and opens pages in headless Chromium
with an empty cache. Prints: the zip and unpacked sizes; for a guidance page and for an instrument
page, the bytes sent until the page is usable (the engine ready, for the instrument) and until the
service worker has cached the whole site for offline use.
Usage: python -m bench.release_size [RELEASE.zip]  (without a zip, it makes one from the sources)
"""

from __future__ import annotations

import functools
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from generator.ship.release import make_release
from tests.support import CHROMIUM, CHROMIUM_ARGS, QuietHandler, QuietServer

ROOT = Path(__file__).resolve().parents[1]


class CountingHandler(QuietHandler):
    sent = 0

    def copyfile(self, source, outputfile):
        data = source.read()
        CountingHandler.sent += len(data)
        outputfile.write(data)


def mb(n: int) -> str:
    return f"{n / 1_000_000:6.2f} MB"


def visit(browser, url: str, ready: str | None) -> tuple[int, int, str]:
    CountingHandler.sent = 0
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    start = ""
    if ready:
        page.wait_for_selector(ready, timeout=120_000)
        # Unthrottled, the engine fetches its start-up snapshot at once (6.4 MB) rather than after it is ready.
        start = f" (engine from: {page.get_attribute('[data-engine-status]', 'data-engine-start')})"
    usable = CountingHandler.sent
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.close()
    return usable, CountingHandler.sent, start


def main(given: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(given[0]) if given else make_release(ROOT, Path(tmp, "dist"))
        with zipfile.ZipFile(archive) as zipped:
            unpacked = sum(info.file_size for info in zipped.infolist())
            # The precompressed siblings ship so the host need not compress: what they add to the download.
            siblings = sum(i.compress_size for i in zipped.infolist() if i.filename.endswith((".br", ".gz")))
            zipped.extractall(tmp)
        [site] = Path(tmp).glob("kasibi-*/site")
        httpd = QuietServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{httpd.server_address[1]}/"
        print(f"zip {archive.name}: {mb(archive.stat().st_size)}; unpacked {mb(unpacked)}")
        print(f"  of the zip, the .br/.gz siblings: {mb(siblings)}")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path, ready in (
                ("guidance page", "model/cycle/reflection.html", None),
                ("instrument page", "assessments/cycle-self-assessment.html", "[data-engine-status=ready]"),
            ):
                usable, total, start = visit(browser, url + path, ready)
                print(
                    f"first visit, {name:16} usable after {mb(usable)}{start};"
                    f" whole site cached offline after {mb(total)}"
                )
            browser.close()
        httpd.shutdown()


if __name__ == "__main__":
    main(sys.argv[1:])
