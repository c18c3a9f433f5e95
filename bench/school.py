"""How long the school page takes from files chosen to report drawn, engine warm.

In headless Chromium against the built site on 127.0.0.1: the page is loaded, warmed with one small
set, then given N teachers' share files at once (as a folder would give them); the time runs from the
input's change event to the report region's data-status="done". Goal: 1,000 files under 1 s.
Usage: python -m bench.school [SITE_DIR] [COUNTS...]   (quick mode: COUNTS = 100)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.engine_ready import serve
from tests.support import CHROMIUM, CHROMIUM_ARGS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from school_files import site_instruments, teacher_files  # tests/ holds the file generator

ROOT = Path(__file__).resolve().parents[1]
TIMED = """() => { window.schoolTiming = new Promise((resolve) => {
  const input = document.querySelector("[data-school-files]");
  const region = document.querySelector("[data-school-result]");
  let chosen = 0;
  input.addEventListener("change", () => { chosen = performance.now(); }, { once: true, capture: true });
  new MutationObserver((_, observer) => {
    if (chosen && region.dataset.status !== "pending") {
      observer.disconnect();
      resolve({ ms: performance.now() - chosen, status: region.dataset.status });
    }
  }).observe(region, { attributes: true, attributeFilter: ["data-status"] });
}); }"""


def run(page, files: list[tuple[str, bytes]]) -> dict:
    page.evaluate(TIMED)  # the page times it: from the input's change event to the report's data-status
    payload = [{"name": name, "mimeType": "application/json", "buffer": data} for name, data in files]
    page.set_input_files("[data-school-files]", files=payload)
    return page.evaluate("window.schoolTiming")


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    counts = [int(n) for n in sys.argv[2:]] or [1_000, 10_000]
    instruments = site_instruments(site)
    rng = random.Random(1)
    sets = {n: teacher_files(instruments, rng, n, mixed=False) for n in counts}
    httpd, url = serve(site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url + "practice/school-summary.html")
        run(page, teacher_files(instruments, rng, 20, mixed=False))  # the engine starts and warms up
        print(f"school page, files chosen → report drawn (engine warm; headless Chromium, {time.strftime('%Y-%m-%d')})")
        for n, files in sets.items():
            timing = run(page, files)
            print(f"  {n:>6} files  {timing['ms']:8.0f} ms  ({timing['status']})")
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
