"""The intranet release: the zip, unpacked with `unzip` and served (python -m http.server-like, and
nginx with unprivileged workers, under sub-paths, with the recommended CSP), works with no request
beyond loopback; every file readable; a missing file is a 404 that is never cached for a year and
shows the site's own Kazakh page; the server self-check page; offline after one visit; a wrong
.wasm type; file://; and a second deployed version taking over entirely."""

from __future__ import annotations

import gzip
import os
import random
import shutil
import socket
import stat
import subprocess
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, urlsplit

import pytest
from answer_sets import random_answers
from conftest import ROOT, StaticServer
from support import CHROMIUM, CHROMIUM_ARGS, block_kinds, greedy_cover, item_kinds
from test_instruments_e2e import INSTRUMENTS, fill
from test_templates import TEMPLATES
from test_templates_e2e import TYPED, first_inputs

from generator.build.bundle import PYODIDE_DIR
from generator.ship.release import NGINX_DEFAULTS, site_version, write_server_files

STAGES = ("action", "analysis", "reflection", "design", "trial")
WATCH_CSP = (
    "window.violations = []; addEventListener('securitypolicyviolation', e => violations.push(e.violatedDirective))"
)


def score_flagship(page, url: str) -> None:
    page.goto(url + "assessments/cycle-self-assessment.html")
    for stage in STAGES:
        page.check(f"input[name={stage}-level][value='3']")
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    assert (
        page.eval_on_selector_all("[data-profile] td[data-band]", "cs => cs.map(c => c.textContent)")
        == ["Педагог-сарапшы"] * 5
    )


def outside(requests: list[str]) -> list[str]:
    return [u for u in requests if urlsplit(u).hostname not in ("127.0.0.1", None) and not u.startswith("data:")]


def test_zip_holds_the_site_the_configs_and_the_notes(release):
    readme = (release / "README.txt").read_text(encoding="utf-8")
    assert "application/wasm" in readme and "IT маманына" in readme and "ИТ-специалиста" in readme
    site = release / "site"
    assert (site / "index.html").exists() and (site / "sw.js").exists()
    assert 'mimeType="application/wasm"' in (site / "web.config").read_text(encoding="utf-8")
    assert "AddType application/wasm .wasm" in (site / ".htaccess").read_text(encoding="utf-8")
    assert "application/wasm" in (release / "server/nginx-mime.types").read_text(encoding="utf-8")
    csp = (release / "server/csp.txt").read_text(encoding="utf-8")
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "unsafe-eval'" not in csp.replace("wasm-unsafe-eval'", "")
    assert not list(site.rglob("console*.html"))


def test_served_under_a_subpath_with_the_csp(browser, serve, release):
    csp = (release / "server/csp.txt").read_text(encoding="utf-8").strip()
    server = serve("shkola/kasibi/", site=release / "site", extra_headers={"Content-Security-Policy": csp})
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url("index.html"))
    score_flagship(page, server.url())
    assert page.evaluate("violations") == []
    assert outside(requests) == []
    context.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Nginx(NamedTuple):
    sub: str  # the site at http://127.0.0.1:<port>/mektep/
    root: str  # the same site at the root of another server
    port: int  # of the sub-path server


@pytest.fixture(scope="module")
def nginx(release, tmp_path_factory) -> Nginx:
    """nginx with the release's configuration, its workers running as an unprivileged user (as
    Debian's www-data) who owns none of the unpacked files: they are served only if readable by all."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is needed for this test: make test installs it")
    work = tmp_path_factory.mktemp("nginx")
    site = release / "site"
    servers = []
    for prefix in ("/mektep/", "/"):
        conf_dir = work / f"conf{len(servers)}"
        settings = {**NGINX_DEFAULTS, "prefix": prefix, "root": str(site), "mime_include": str(work / "mime.types")}
        write_server_files(site, conf_dir, ROOT / "release", "test", "test.zip", settings)
        port = free_port()
        locations = (conf_dir / "nginx.conf").read_text(encoding="utf-8")
        servers.append((port, f"server {{ listen 127.0.0.1:{port}; {locations} }}"))
    shutil.copy(work / "conf0" / "nginx-mime.types", work / "mime.types")
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""  # not root: the workers run as the test's user
    (work / "nginx.conf").write_text(
        f"""{user}
daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off; client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  {" ".join(server for _, server in servers)}
}}""",
        encoding="utf-8",
    )
    process = subprocess.Popen([binary, "-p", str(work), "-c", str(work / "nginx.conf")], stderr=subprocess.PIPE)
    for port, _ in servers:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
    (sub, _), (root, _) = servers
    yield Nginx(f"http://127.0.0.1:{sub}/mektep/", f"http://127.0.0.1:{root}/", sub)
    process.terminate()
    process.wait(timeout=10)


def test_served_by_nginx_under_another_subpath(browser, nginx):
    url = nginx.sub
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto(url + "index.html")
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or response.headers.get(
        "content-security-policy"
    )
    score_flagship(page, url)
    wasm = page.request.get(url + f"{PYODIDE_DIR}/pyodide.asm.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    assert "immutable" in wasm.headers["cache-control"]
    assert page.request.get(url + "index.html").headers["cache-control"] == "no-cache"
    assert page.evaluate("violations") == []
    assert outside(requests) == []
    context.close()


def get(url: str, method: str = "GET", accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body as sent (still encoded if ``accept`` allows it), also of an error response."""
    request = urllib.request.Request(url, method=method, headers={"Accept-Encoding": accept} if accept else {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the test's own http server
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_unzip_gives_folders_and_files_anyone_can_read(archive, release):
    entries = zipfile.ZipFile(archive).infolist()
    folders = {entry.filename for entry in entries if entry.is_dir()}
    assert all(f"{entry.filename.rstrip('/').rsplit('/', 1)[0]}/" in folders for entry in entries)
    modes = {path: stat.S_IMODE(path.stat().st_mode) for path in [release, *release.rglob("*")]}
    assert {path: mode for path, mode in modes.items() if mode != (0o755 if path.is_dir() else 0o644)} == {}


def test_nginx_with_unprivileged_workers_serves_every_file_under_a_subpath(release, nginx):
    site = release / "site"
    files = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    statuses = {path: get(nginx.sub + quote(path))[0] for path in files}
    assert len(files) > 150 and {path: status for path, status in statuses.items() if status != 200} == {}
    assert get(nginx.sub)[0] == 200  # the folder address opens index.html


def test_a_missing_asset_is_a_404_that_is_not_cached_for_a_year(release, nginx):
    [bundle] = [p.name for p in (release / "site/assets").glob("kasibi-*")]
    status, headers, _ = get(f"{nginx.sub}assets/{bundle}/js/still-being-copied.js")
    assert status == 404
    assert "immutable" not in headers.get("Cache-Control", "") and "31536000" not in headers.get("Cache-Control", "")
    status, headers, _ = get(f"{nginx.sub}assets/{bundle}/js/utilities/paths.js")
    assert status == 200 and "immutable" in headers["Cache-Control"]


@pytest.mark.parametrize("where", ["sub", "root"])
@pytest.mark.parametrize("missing", ["no-such-page.html", "model/cycle/moved.html", "assets/kasibi-0/js/old.js"])
def test_a_missing_address_shows_the_kazakh_404_page_styled_and_leading_home(browser, nginx, where, missing):
    base = getattr(nginx, where)
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    response = page.goto(base + missing)
    assert response.status == 404
    assert page.inner_text("article h1") == "Бет табылмады"
    # Material's stylesheet applies: the header sticks and its logo is icon-sized, not page-wide.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert page.locator(".md-header").bounding_box()["height"] < 100
    home = page.locator("[data-kasibi-home]")
    assert home.get_attribute("href") == "index.html" and home.evaluate("a => a.href") == base + "index.html"
    home.click()
    page.wait_for_url(base + "index.html")
    assert page.get_attribute("meta[name=kasibi-version]", "content").startswith("9.9.9+")
    assert page.evaluate("violations") == [] and errors == []
    context.close()


CHECKS = ("mime.wasm", "mime.mjs", "mime.json", "mime.docx", "secure-context", "service-worker", "offline-copy")
CHECKS += ("storage", "version", "csp", "long-cache", "compression", "not-found")
ALL_OK = {**dict.fromkeys(CHECKS, "ok"), "apache": "skip"}  # not Apache: its row says the .htaccess is not for it


def server_check(page, url: str) -> dict[str, str]:
    """Open the self-check page; every check's status once all are done (the report text is printed)."""
    page.goto(url + "server-check.html")
    page.wait_for_selector("[data-server-check][data-done]", timeout=240_000)
    print(page.inner_text("[data-server-check]"))
    return page.eval_on_selector_all(
        "[data-check]", "rows => Object.fromEntries(rows.map(r => [r.dataset.check, r.dataset.status]))"
    )


def test_the_self_check_page_finds_nothing_wrong_with_the_recommended_nginx(browser, nginx):
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    assert server_check(page, nginx.sub) == ALL_OK
    summary = page.inner_text("[data-summary]")
    assert "Сервер дұрыс бапталған." in summary and "Сервер настроен правильно." in summary
    context.close()


def test_the_self_check_page_names_each_wrong_type(browser, serve, release):
    wrong = {".json": "text/plain", ".docx": "application/zip"}
    server = serve(
        "kasibi/",
        site=release / "site",
        wasm_type="application/x-binary",
        mjs_type="application/octet-stream",
        extensions_map=wrong,
    )
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    statuses = server_check(page, server.url())
    expected = {**ALL_OK, "csp": "warn"}
    assert statuses == {**expected, **dict.fromkeys(["mime.wasm", "mime.mjs", "mime.json", "mime.docx"], "fail")}
    rows = {check: page.inner_text(f"[data-check='{check}'] td") for check in statuses}
    for check, served, needed in (
        ("mime.wasm", "application/x-binary", "application/wasm"),
        ("mime.mjs", "application/octet-stream", "text/javascript"),
        ("mime.json", "text/plain", "application/json"),
        ("mime.docx", "application/zip", "wordprocessingml"),
    ):
        assert served in rows[check] and needed in rows[check] and "керек" in rows[check] and "нужен" in rows[check]
    assert "server/csp.txt" in rows["csp"]
    context.close()


@pytest.fixture(scope="module")
def plain_http(browser, nginx):
    """The release at http://kasibi.school/… (a name, not a loopback address): not a secure context,
    as on most school intranets."""
    insecure = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP kasibi.school 127.0.0.1"]
    )
    context = insecure.new_context(accept_downloads=True)
    yield context, f"http://kasibi.school:{nginx.port}/mektep/"
    context.close()
    insecure.close()


def open_watched(context, url: str):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.goto(url)
    return page


# Over plain http what differs is the page's context (no service worker, not a secure context), not an instrument or
# a template: the fewest that show every kind of item or block are used there. Every instrument is completed on its
# page (tests/test_editions_e2e.py) and scores alike in Pyodide and CPython (test_parity.py); every template's Word
# file is read back (test_templates.py, test_editions_e2e.py).
PLAIN_HTTP_INSTRUMENTS = greedy_cover({name: item_kinds(instrument) for name, instrument in INSTRUMENTS.items()})
PLAIN_HTTP_TEMPLATES = greedy_cover({name: block_kinds(template) for name, template in TEMPLATES.items()})


def test_the_plain_http_forms_show_every_kind_of_item_and_block():
    assert set().union(*map(item_kinds, INSTRUMENTS.values())) == set().union(
        *(item_kinds(INSTRUMENTS[name]) for name in PLAIN_HTTP_INSTRUMENTS)
    )
    assert set().union(*map(block_kinds, TEMPLATES.values())) == set().union(
        *(block_kinds(TEMPLATES[name]) for name in PLAIN_HTTP_TEMPLATES)
    )
    assert len(PLAIN_HTTP_INSTRUMENTS) < len(INSTRUMENTS) and len(PLAIN_HTTP_TEMPLATES) < len(TEMPLATES)


@pytest.mark.parametrize("instrument_id", PLAIN_HTTP_INSTRUMENTS)
def test_over_plain_http_an_instrument_scores(plain_http, instrument_id):
    context, url = plain_http
    page = open_watched(context, f"{url}assessments/{instrument_id}.html")
    assert page.evaluate("isSecureContext") is False and page.evaluate("'serviceWorker' in navigator") is False
    fill(
        page, INSTRUMENTS[instrument_id], random_answers(INSTRUMENTS[instrument_id], random.Random(len(instrument_id)))
    )
    page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
    assert page.errors == []
    page.close()


def test_over_plain_http_results_are_kept_compared_and_listed(plain_http):
    context, url = plain_http
    page = open_watched(context, f"{url}assessments/cycle-self-assessment.html")
    for level in ("2", "3"):
        for stage in STAGES:
            page.check(f"input[name={stage}-level][value='{level}']")
        page.wait_for_selector("[data-result][data-status=done]", timeout=180_000)
        page.click("[data-action=save]")
    page.goto(url + "assessments/my-results.html")
    page.wait_for_selector("details.kasibi-saved")
    assert page.locator("details.kasibi-saved").count() == 2
    assert page.errors == []
    page.close()


@pytest.mark.parametrize("template_id", PLAIN_HTTP_TEMPLATES)
def test_over_plain_http_a_template_downloads_as_word(plain_http, template_id):
    context, url = plain_http
    page = open_watched(context, f"{url}templates/{template_id}.html")
    first_inputs(page)[0].fill(TYPED)
    with page.expect_download(timeout=90_000) as download:
        page.click("[data-action=docx]")
    with zipfile.ZipFile(download.value.path()) as word:
        assert TYPED in word.read("word/document.xml").decode("utf-8")
    assert page.errors == []
    page.close()


def test_the_hosting_notes_say_what_plain_http_gives_and_where_the_self_check_is(release):
    kk, ru = (release / "README.txt").read_text(encoding="utf-8").split("РУССКИЙ")
    assert "желісіз де жұмыс істейді." not in kk and "работает и без сети." not in ru  # true only over https
    assert "http://" in kk and "https" in kk and "сертификат" in kk and "желісіз" in kk
    assert "http://" in ru and "https" in ru and "сертификат" in ru and "без сети" in ru
    assert "server-check.html" in kk and "server-check.html" in ru


def test_wrong_wasm_type_still_starts_and_says_what_to_fix(browser, serve):
    server = serve("", wasm_type="application/octet-stream")
    page = browser.new_page()
    score_flagship(page, server.url())
    status = page.inner_text("[data-engine-status]")
    assert "application/wasm" in status and "application/octet-stream" in status
    page.close()


def test_opened_from_files_the_guidance_reads_and_the_tools_say_why_not(browser, release):
    page = browser.new_page()
    page.goto((release / "site/model/cycle/index.html").as_uri())
    assert page.locator("article table").count() >= 1
    assert "веб-серверінен" in page.inner_text(".kasibi-file-notice")
    page.goto((release / "site/assessments/cycle-self-assessment.html").as_uri())
    assert "веб-серверінен" in page.inner_text("[data-engine-status]")
    page.close()


def test_a_second_version_takes_over_entirely(browser, tmp_path, two_versions):
    first, second = two_versions
    live = tmp_path / "www" / "kasibi"
    live.parent.mkdir()
    live.symlink_to(first, target_is_directory=True)
    server = StaticServer(first, tmp_path / "www", "kasibi/")
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    score_flagship(page, server.url())
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120_000)
    assert page.get_attribute("meta[name=kasibi-version]", "content") == site_version(first)

    live.unlink()  # deploy: the folder is replaced whole
    live.symlink_to(second, target_is_directory=True)
    [old_bundle] = [p.name for p in (first / "assets").glob("kasibi-*")]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.reload()
    score_flagship(page, server.url())
    assert page.get_attribute("meta[name=kasibi-version]", "content").startswith("2.0.0+")
    page.wait_for_selector("[data-engine-status=ready]", timeout=180_000)
    assert page.get_attribute("[data-engine-status]", "data-site-version").startswith("2.0.0+")
    assert not [u for u in requests if old_bundle in u]
    server.close()
    context.close()


@pytest.mark.parametrize(("accept", "coding"), [("gzip", "gzip"), (None, None)])
def test_nginx_with_the_shipped_config_sends_the_engine_compressed_to_who_accepts_it(nginx, release, accept, coding):
    wasm = f"{PYODIDE_DIR}/pyodide.asm.wasm"
    headers = {"Accept-Encoding": accept} if accept else {}
    request = urllib.request.Request(nginx.sub + wasm, headers=headers)  # noqa: S310 - the test's nginx
    with urllib.request.urlopen(request) as response:  # noqa: S310
        body, headers = response.read(), response.headers
    original = (release / "site" / wasm).read_bytes()
    assert headers.get("Content-Encoding") == coding and headers["Content-Type"] == "application/wasm"
    assert (gzip.decompress(body) if coding else body) == original
    assert len(body) < len(original) / 2 if coding else len(body) == len(original)
