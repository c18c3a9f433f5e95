"""A school's real links: bytes on the wire and time to a usable page, with the service worker and without.

Serves a built site on 127.0.0.1 (counting the bytes the server sends, each file by name) and opens
it in headless Chromium with the link throttled through the DevTools protocol (it throttles the
page's Web Worker too). Prints, for the goals of issue 16:
- a guidance page, first visit: bytes until it is loaded; bytes with the search used once; what the
  service worker fetched in the minute after (and whether any of it was an engine file); LCP;
- an instrument page, first visit: bytes until the engine is ready, and the time to ready on each
  link, with the share of moments the status showed download progress, and how the engine started
  (restoring the start-up snapshot, fetched at once on a fast link, or Python's own start);
- a repeat visit: engine ready with the service worker in control against the same browser without
  it, side by side (medians), and their ratio, unthrottled and (not in quick mode) on slow 4G.
The first visits are measured on the Kazakh page and on the same page of the Russian edition (ru/), side by side
(quick mode: the guidance page in Kazakh, the instrument page in Russian).
Usage: python -m bench.network [SITE_DIR] [ROUNDS] [PROFILES]  (PROFILES: comma-separated names;
quick mode, as CI runs it: ROUNDS=1 PROFILES=intranet, and the minute after load cut to 15 s.)
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.support import CHROMIUM, CHROMIUM_ARGS, CountingServer, emulate_link

ROOT = Path(__file__).resolve().parents[1]
# name: (download bit/s, upload bit/s, round trip ms); slow 4G is Lighthouse's mobile profile.
PROFILES = {"intranet": (100e6, 100e6, 2), "slow 4G": (1.6e6, 750e3, 150), "3G": (400e3, 400e3, 400)}
GUIDANCE = "model/cycle/reflection.html"
INSTRUMENT = "assessments/cycle-self-assessment.html"
SECOND_INSTRUMENT = "assessments/lesson-balance-wheel.html"
READY = "[data-engine-status=ready]"
ENGINE_FILE = ("assets/pyodide-", "/engine/")
LCP = """() => new Promise((resolve) => new PerformanceObserver((list) => {
  const entries = list.getEntries(); resolve(entries[entries.length - 1].startTime);
}).observe({ type: "largest-contentful-paint", buffered: true }))"""
PROGRESS = r"/\d/.test(document.querySelector('[data-engine-status]')?.textContent ?? '')"


def throttle(context, page, profile: str) -> None:
    down, up, rtt = PROFILES[profile]
    emulate_link(context, page, down / 1e6, rtt, up / 1e6)


def mb(n: int) -> str:
    return f"{n / 1_000_000:6.2f} MB"


def guidance_first_visit(browser, server: CountingServer, after_s: float, edition: str = "") -> None:
    context = browser.new_context()
    page = context.new_page()
    throttle(context, page, "slow 4G")
    server.reset()
    page.goto(server.url + edition + GUIDANCE, wait_until="load")
    lcp = page.evaluate(LCP)
    page.wait_for_timeout(1000)
    loaded = server.sent
    server.reset()
    page.wait_for_timeout(after_s * 1000)
    later, files = server.sent, server.files()
    engine = [f for f in files if any(part in f for part in ENGINE_FILE)]
    context.close()
    name = f"{edition}{GUIDANCE}"
    print(
        f"guidance page {name}, first visit: {mb(loaded)} on the wire until loaded; LCP on slow 4G {lcp / 1000:.2f} s"
    )
    print(f"  in the {after_s:.0f} s after: {mb(later)} in {len(files)} files, of them engine files: {len(engine)}")

    context = browser.new_context(service_workers="block")
    page = context.new_page()
    server.reset()
    page.goto(server.url + edition + GUIDANCE, wait_until="load")
    page.keyboard.press("/")
    page.keyboard.type("рефлексия")
    page.wait_for_selector(".md-search-result__item", timeout=60_000)
    print(f"  with the search used once: {mb(server.sent)}")
    context.close()


# The moment the status line says ready, in the page's own clock (from the navigation's start).
READY_AT = """new MutationObserver((_, observer) => {
  if (!document.querySelector("[data-engine-status=ready]")) return;
  window.readyAt = performance.now();
  observer.disconnect();
}).observe(document, { subtree: true, attributes: true, childList: true });"""


def instrument_first_visit(browser, server: CountingServer, profile: str, edition: str = "") -> None:
    context = browser.new_context()
    context.add_init_script(READY_AT)
    page = context.new_page()
    throttle(context, page, profile)
    server.reset()
    started = time.monotonic()
    page.goto(server.url + edition + INSTRUMENT, wait_until="commit")
    samples = []
    while not page.locator(READY).count():
        samples.append(page.evaluate(PROGRESS))
        page.wait_for_timeout(500)
        if time.monotonic() - started > 600:
            raise TimeoutError(f"{profile}: the engine was not ready in 10 minutes")
    ready = page.evaluate("window.readyAt") / 1000
    start = page.get_attribute("[data-engine-status]", "data-engine-start")
    # The server counts what it writes, ahead of the browser's throttled reading: the snapshot fetched for the
    # next start (after ready) would be counted at once, so it is set apart unless this start restored it.
    later = sum(n for path, n in server.counts().items() if path.endswith("/engine/snapshot.bin"))
    sent = server.sent - (later if start == "start" else 0)
    context.close()
    shown = f"{sum(samples)}/{len(samples)}" if samples else "-"
    print(
        f"instrument page {edition}{INSTRUMENT}, first visit, {profile:8}: engine ready in {ready:6.2f} s"
        f" after {mb(sent)} on the wire"
        f" (from: {start}{f'; then the snapshot for the next start, {mb(later)}' if start == 'start' else ''});"
        f" progress shown in {shown} samples"
    )


def ready_ms(page, url: str) -> float:
    page.goto(url)
    page.wait_for_selector(READY, timeout=120_000)
    return page.evaluate("performance.now()")  # from the navigation's start


def engine_cached(page) -> bool:
    return page.evaluate("""async () => {
      for (const name of await caches.keys()) {
        const keys = await (await caches.open(name)).keys();
        if (keys.some((request) => request.url.endsWith(".wasm"))) return true;
      }
      return false;
    }""")


def repeat_visits(browser, server: CountingServer, rounds: int, profile: str | None = None) -> None:
    """Engine ready on a repeat visit, with and without the service worker; on ``profile``'s link when given
    (then the browser's HTTP cache pays a round trip for each file it revalidates, the worker's cache none)."""
    url = server.url + INSTRUMENT
    with_worker = browser.new_context()
    without = browser.new_context(service_workers="block")
    pages = {"worker": with_worker.new_page(), "no worker": without.new_page()}
    for page in pages.values():
        ready_ms(page, url)
    page = pages["worker"]
    deadline = time.monotonic() + 120
    while not (page.evaluate("Boolean(navigator.serviceWorker.controller)") and engine_cached(page)):
        if time.monotonic() > deadline:
            raise TimeoutError("the service worker did not take over and cache the engine in 2 minutes")
        page.wait_for_timeout(500)
        page.reload()
    if profile:
        throttle(with_worker, pages["worker"], profile)
        throttle(without, pages["no worker"], profile)
    samples: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(max(rounds, 1) * 2):
        for name, page in pages.items():
            samples[name].append(ready_ms(page, url))
    controlled = pages["worker"].evaluate("Boolean(navigator.serviceWorker.controller)")
    starts = {name: page.get_attribute("[data-engine-status]", "data-engine-start") for name, page in pages.items()}
    with_worker.close()
    without.close()
    median = {name: statistics.median(values) for name, values in samples.items()}
    print(
        f"repeat visit{', ' + profile if profile else ''}, engine ready"
        f" (median of {len(samples['worker'])}; worker in control: {controlled}):"
        f" with the worker {median['worker']:.0f} ms, without {median['no worker']:.0f} ms,"
        f" ratio {median['worker'] / median['no worker']:.2f} (from: {starts['worker']} / {starts['no worker']})"
    )


def main() -> None:
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    profiles = sys.argv[3].split(",") if len(sys.argv) > 3 else list(PROFILES)
    quick = rounds == 1 and profiles == ["intranet"]
    with CountingServer(site) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        compression = "br/gz siblings" if next(site.rglob("*.wasm.br"), None) else "none (plain files only)"
        print(f"site {site} ({time.strftime('%Y-%m-%d')}; precompressed: {compression})")
        editions = ["", "ru/"]
        for edition in editions[:1] if quick else editions:
            guidance_first_visit(browser, server, 15 if quick else 60, edition)
        for profile in profiles:
            for edition in editions[1:] if quick else editions:
                instrument_first_visit(browser, server, profile, edition)
        repeat_visits(browser, server, rounds)
        if not quick:
            repeat_visits(browser, server, rounds, "slow 4G")
        browser.close()


if __name__ == "__main__":
    main()
