"""How long until a teacher's answers can be scored, against the bare Pyodide floor.

Side by side in one run, in headless Chromium against the built site on 127.0.0.1:
- bare:   a page whose module worker only runs loadPyodide() from the site's runtime;
- ours:   the instrument page until its engine reports ready, then answering every question (on this
          unthrottled link the engine restores the build's start-up snapshot, the first time too);
- ours, no snapshot: the same site without its snapshot, so Python starts as usual;
- clicks: with the engine warm, a click on another option until the result is drawn again
          (median and 95th percentile: a click must feel instant; typing keeps its pause).
Each is measured cold (new browser context: empty cache) and warm (reload in the same context).
Prints milliseconds and the ratio ours / bare. Usage: python -m bench.engine_ready [SITE_DIR] [ROUNDS]
(ROUNDS=1 is the quick mode CI runs, so a bench that no longer works fails the build.)
"""

from __future__ import annotations

import functools
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from generator.build.bundle import PYODIDE_DIR
from tests.support import CHROMIUM, CHROMIUM_ARGS, QuietHandler, QuietServer

ROOT = Path(__file__).resolve().parents[1]
BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>bare</title>
<script type="module">
const worker = new Worker(new URL("./bare-worker.js", location.href), {type: "module"});
worker.onmessage = () => { window.readyMs = performance.now(); };  // from the navigation's start, as ours
</script>"""
BARE_WORKER = f"""import {{ loadPyodide }} from "./{PYODIDE_DIR}/pyodide.mjs";
const runtime = new URL("./{PYODIDE_DIR}/", import.meta.url).href;
await loadPyodide({{ indexURL: runtime, packageBaseUrl: runtime }});
postMessage("ready");"""
OURS = """() => new Promise((resolve) => {
  const line = document.querySelector("[data-engine-status]");
  const done = () => resolve(performance.now());
  if (line.dataset.engineStatus === "ready") done();
  new MutationObserver(() => line.dataset.engineStatus === "ready" && done())
    .observe(line, { attributes: true });
})"""
# One click on an option the question does not have yet, timed in the page until the report is done again.
CLICKS = """async (count) => {
  const report = document.querySelector("[data-result]");
  const groups = [...document.querySelectorAll("form[data-instrument] [role=radiogroup][data-required]")];
  const times = [];
  for (let n = 0; n < count; n++) {
    const option = [...groups[n % groups.length].querySelectorAll("input")].find((input) => !input.checked);
    const drawn = new Promise((resolve) => new MutationObserver((_, observer) => {
      if (report.dataset.status === "done") { observer.disconnect(); resolve(); }
    }).observe(report, { attributes: true, attributeFilter: ["data-status"] }));
    const started = performance.now();
    option.click();
    await drawn;
    times.push(performance.now() - started);
  }
  return times;
}"""
# Answer as a teacher does, by clicking: the third statement of every required question.
ANSWER_ALL = "form[data-instrument] [role=radiogroup][data-required] label:nth-of-type(3) input"


def serve(folder: Path) -> tuple[QuietServer, str]:
    httpd = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


def bare(page, url: str) -> float:
    page.goto(url + "bare.html")
    page.wait_for_function("window.readyMs !== undefined", timeout=120_000)
    return page.evaluate("window.readyMs")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ours(page, url: str) -> tuple[float, float, str]:
    page.goto(url + "assessments/cycle-self-assessment.html")
    ready = page.evaluate(OURS)
    start = page.get_attribute("[data-engine-status]", "data-engine-start")
    started = page.evaluate("performance.now()")
    for choice in page.locator(ANSWER_ALL).all():
        choice.click()
    page.wait_for_selector("[data-result][data-status=done]", timeout=60_000)
    scored = page.evaluate("performance.now()") - started
    return ready, scored, start  # performance.now() counts from the navigation start


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, "site")
        shutil.copytree(site, copy)
        # The floor is Pyodide as its package ships it: the whole stdlib (the site publishes a trimmed one).
        shutil.copy(ROOT / "node_modules/pyodide/python_stdlib.zip", copy / PYODIDE_DIR)
        (copy / "bare.html").write_text(BARE_PAGE, encoding="utf-8")
        (copy / "bare-worker.js").write_text(BARE_WORKER, encoding="utf-8")
        without = Path(tmp, "without-snapshot")
        shutil.copytree(copy, without)
        for path in without.glob("assets/kasibi-*/engine/snapshot.bin"):
            path.unlink()
        servers = {"": serve(copy), ", no snapshot": serve(without)}
        kinds = [("bare", bare, ""), ("ours", ours, ""), ("ours", ours, ", no snapshot")]
        samples: dict[str, list[float]] = {}
        starts: dict[str, list[str]] = {}  # how each of ours started (data-engine-start)
        clicks: list[float] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(rounds):
                for name, measure, variant in kinds:
                    url = servers[variant][1]
                    context = browser.new_context()
                    page = context.new_page()
                    for temperature in ("cold", "warm"):
                        took = measure(page, url)
                        samples.setdefault(f"{name}{variant} {temperature}", []).append(
                            took if name == "bare" else took[0]
                        )
                        if name == "ours":
                            samples.setdefault(f"answering all{variant}", []).append(took[1])
                            starts.setdefault(f"ours{variant} {temperature}", []).append(took[2])
                    if name == "ours" and not variant:
                        clicks += page.evaluate(CLICKS, 20)
                    context.close()
            browser.close()
        for httpd, _ in servers.values():
            httpd.shutdown()
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(f"rounds: {rounds} (medians, ms; headless Chromium, 127.0.0.1, {time.strftime('%Y-%m-%d')})")
    for name, value in median.items():
        print(f"  {name:28} {value:8.0f}")
    print(
        f"  click to result              {statistics.median(clicks):8.0f} median, {percentile(clicks, 0.95):.0f} p95"
        f" ({len(clicks)} clicks)"
    )
    for name, values in starts.items():
        print(f"  {name + ', started from':28} {', '.join(f'{s} ×{values.count(s)}' for s in sorted(set(values)))}")
    for variant in ("", ", no snapshot"):
        for temperature in ("cold", "warm"):
            ratio = median[f"ours{variant} {temperature}"] / median[f"bare {temperature}"]
            print(f"  ours{variant}/bare {temperature:8} {ratio:8.2f}")


if __name__ == "__main__":
    main()
