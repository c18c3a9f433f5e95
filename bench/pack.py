"""How long the attestation pack takes, from the click to the Word file, engine warm.

In headless Chromium against the built site on 127.0.0.1: a device holding what the checklist of one category
asks for (results, filled copies) and an achievements log of N rows; the page is loaded and the pack made once
(the engine starts and warms up), then made RUNS more times; the time runs from the button's click to the Word
file handed to the browser (URL.createObjectURL of the .docx). Goal: the 30-row pack in 2 s or less.
Usage: python -m bench.pack [SITE_DIR] [ROWS] [RUNS]   (quick mode: ROWS = 30, RUNS = 1)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.engine_ready import serve
from tests.support import CHROMIUM, CHROMIUM_ARGS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_portfolio import log_rows, what_it_asks  # tests/ holds the device's contents

ROOT = Path(__file__).resolve().parents[1]
CATEGORY = "sarapshy"
TIMED = """() => { window.packTiming = new Promise((resolve) => {
  const button = document.querySelector("[data-portfolio-download=docx]");
  let clicked = 0;
  button.addEventListener("click", () => { clicked = performance.now(); }, { once: true, capture: true });
  const made = URL.createObjectURL;
  URL.createObjectURL = (blob) => {
    URL.createObjectURL = made;
    resolve({ ms: performance.now() - clicked, bytes: blob.size });
    return made(blob);
  };
}); }"""


def compiled(site: Path, folder: str) -> dict[str, dict]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in next(site.glob(f"assets/kasibi-*/{folder}")).glob("*.json")
    }


def timed(page) -> dict:
    page.evaluate(TIMED)
    with page.expect_download(timeout=180_000):
        page.click("[data-portfolio-download=docx]")
    return page.evaluate("window.packTiming")


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    checklist = json.loads(next(site.glob("assets/kasibi-*/attestation/checklist.json")).read_text(encoding="utf-8"))
    instruments = {k: v for k, v in compiled(site, "instruments").items() if k != "index"}
    state = what_it_asks(checklist, CATEGORY, instruments, compiled(site, "templates"))
    state["kasibi:v1:doc:achievements-log"]["copies"]["Журнал"]["values"]["log"] = log_rows(rows)
    httpd, url = serve(site)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(accept_downloads=True)
        page.goto(url + "assessments/attestation-prep.html")
        texts = {key: json.dumps(value, ensure_ascii=False) for key, value in state.items()}
        page.evaluate("r => Object.entries(r).forEach(([k, v]) => localStorage.setItem(k, v))", texts)
        page.reload()
        page.wait_for_selector("[data-portfolio][data-ready]")
        parts = page.locator("[data-pack-part]").count()
        first = timed(page)  # the engine starts here
        times = [timed(page) for _ in range(runs)]
        when = time.strftime("%Y-%m-%d")
        print(f"attestation pack, click → Word file ({CATEGORY}, {parts} parts; headless Chromium, {when})")
        print(f"  first (engine starting)  {first['ms']:8.0f} ms  {first['bytes']:>9,} bytes")
        median = statistics.median(t["ms"] for t in times)
        size = times[-1]["bytes"]
        print(f"  {rows} log rows, warm      {median:8.0f} ms  {size:>9,} bytes  (median of {runs}; goal ≤ 2000 ms)")
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
