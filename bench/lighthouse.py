"""An outside judge: Lighthouse 12 (pinned in package.json) with its mobile defaults, on Debian's chromium.

Serves the built site twice on 127.0.0.1, as plain files (``python -m http.server``, what the issue
measured) and with the precompressed siblings (``make serve``), and runs Lighthouse on a guidance page,
the flagship self-assessment and a template page. Prints, for each, the four category scores (median of
the runs) and the metrics of the median run. Usage: python -m bench.lighthouse [SITE_DIR] [RUNS]
(RUNS=1 is the quick mode CI runs: one run of the guidance page, compressed.)
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from tests.support import CHROMIUM, QuietHandler, QuietServer

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "node_modules/.bin/lighthouse"
PAGES = {
    "guidance": "index.html",
    "flagship": "assessments/cycle-self-assessment.html",
    "template": "templates/individual-development-plan.html",
}
METRICS = {  # audit: how it is printed
    "largest-contentful-paint": "LCP {:.2f} s",
    "first-contentful-paint": "FCP {:.2f} s",
    "total-blocking-time": "TBT {:.0f} ms",
    "cumulative-layout-shift": "CLS {:.3f}",
    "speed-index": "SI {:.2f} s",
    "total-byte-weight": "{:.2f} MB",
}
SCALE = {"s": 1000, "MB": 1_000_000}


class Plain(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def serving(site: Path, handler) -> tuple[QuietServer, str]:
    httpd = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def lighthouse(url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "report.json")
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
             "--chrome-flags=--headless=new --no-sandbox"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        return json.loads(out.read_text(encoding="utf-8"))


def summary(reports: list[dict]) -> str:
    scores = {name: statistics.median(r["categories"][name]["score"] * 100 for r in reports)
              for name in reports[0]["categories"]}  # fmt: skip
    performance = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])
    median_run = performance[len(performance) // 2]["audits"]
    metrics = ", ".join(
        shape.format(median_run[audit]["numericValue"] / SCALE.get(shape.split()[-1], 1))
        for audit, shape in METRICS.items()
    )
    return " ".join(f"{name} {value:.0f}" for name, value in scores.items()) + f"; {metrics}"


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    servers = {"compressed": QuietHandler} if runs == 1 else {"plain files": Plain, "compressed": QuietHandler}
    pages = {"guidance": PAGES["guidance"]} if runs == 1 else PAGES
    print(f"Lighthouse 12, mobile defaults, median of {runs} run(s); site {site}")
    for server_name, handler in servers.items():
        httpd, url = serving(site, handler)
        for page_name, path in pages.items():
            print(f"  {server_name:11} {page_name:9} {summary([lighthouse(url + path) for _ in range(runs)])}")
        httpd.shutdown()
        httpd.server_close()


if __name__ == "__main__":
    main()
