"""The intranet release: the zip, unpacked and served (python -m http.server-like and nginx, under
sub-paths, with the recommended CSP), works with no request beyond loopback; offline after one
visit; a wrong .wasm type; file://; and a second deployed version taking over entirely."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, StaticServer

from generator.release import NGINX_DEFAULTS, build_site, make_release, write_server_files

STAGES = ("action", "analysis", "reflection", "design", "trial")
WATCH_CSP = (
    "window.violations = []; addEventListener('securitypolicyviolation', e => violations.push(e.violatedDirective))"
)


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    """The unpacked release folder (README.txt, site/, server/)."""
    dist = tmp_path_factory.mktemp("dist")
    archive = make_release(ROOT, dist, "9.9.9")
    expected = Path(f"{archive}.sha256").read_text(encoding="utf-8").split()
    assert expected == [hashlib.sha256(archive.read_bytes()).hexdigest(), archive.name]
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(dist)
    [folder] = [p for p in dist.iterdir() if p.is_dir()]
    return folder


def score_flagship(page, url: str) -> None:
    page.goto(url + "assessments/cycle-self-assessment.html")
    for stage in STAGES:
        page.check(f"input[name={stage}-level][value='3']")
    page.wait_for_selector("[data-result][data-status=done]", timeout=90_000)
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
    server = serve("shkola/kasibi/", site=release / "site", headers={"Content-Security-Policy": csp})
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


@pytest.fixture(scope="module")
def nginx(release, tmp_path_factory):
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is needed for this test: make test installs it")
    work = tmp_path_factory.mktemp("nginx")
    site = release / "site"
    conf_dir = work / "conf"
    settings = {**NGINX_DEFAULTS, "prefix": "/mektep/", "root": str(site), "mime_include": str(work / "mime.types")}
    write_server_files(site, conf_dir, ROOT / "release", "test", "test.zip", settings)
    shutil.copy(conf_dir / "nginx-mime.types", work / "mime.types")
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    (work / "nginx.conf").write_text(
        f"""{user}
daemon off; worker_processes 1; pid {work}/nginx.pid; error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off; client_body_temp_path {work}/body; proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi; uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
  server {{ listen 127.0.0.1:{port}; {(conf_dir / "nginx.conf").read_text(encoding="utf-8")} }}
}}""",
        encoding="utf-8",
    )
    process = subprocess.Popen([binary, "-p", str(work), "-c", str(work / "nginx.conf")], stderr=subprocess.PIPE)
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/mektep/"
    process.terminate()
    process.wait(timeout=10)


def test_served_by_nginx_under_another_subpath(browser, nginx):
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    response = page.goto(nginx + "index.html")
    assert "Content-Security-Policy" in {k.title(): v for k, v in response.headers.items()} or response.headers.get(
        "content-security-policy"
    )
    score_flagship(page, nginx)
    wasm = page.request.get(nginx + "assets/pyodide-314.0.7/pyodide.asm.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    assert "immutable" in wasm.headers["cache-control"]
    assert page.request.get(nginx + "index.html").headers["cache-control"] == "no-cache"
    assert page.evaluate("violations") == []
    assert outside(requests) == []
    context.close()


def test_offline_after_one_visit(browser, release, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(release / "site", site)
    server = StaticServer(site, tmp_path, "site/")
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url("model/cycle/reflection.html"))
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # installed: every file is cached
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120_000)
    server.close()
    page.reload()
    assert "Рефлексия" in page.inner_text("article h1")
    score_flagship(page, server.url())
    context.close()


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


def test_a_second_version_takes_over_entirely(browser, tmp_path):
    first, second = tmp_path / "v1", tmp_path / "v2"
    assert build_site(ROOT, first, "1.0.0").startswith("1.0.0+")
    assert build_site(ROOT, second, "2.0.0").startswith("2.0.0+")
    live = tmp_path / "www" / "kasibi"
    live.parent.mkdir()
    live.symlink_to(first, target_is_directory=True)
    server = StaticServer(first, tmp_path / "www", "kasibi/")
    context = browser.new_context()
    page = context.new_page()
    score_flagship(page, server.url())
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=120_000)
    assert page.get_attribute("meta[name=kasibi-version]", "content").startswith("1.0.0+")

    live.unlink()  # deploy: the folder is replaced whole
    live.symlink_to(second, target_is_directory=True)
    [old_bundle] = [p.name for p in (first / "assets").glob("kasibi-*")]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.reload()
    score_flagship(page, server.url())
    assert page.get_attribute("meta[name=kasibi-version]", "content").startswith("2.0.0+")
    page.wait_for_selector("[data-engine-status=ready]", timeout=90_000)
    assert page.get_attribute("[data-engine-status]", "data-site-version").startswith("2.0.0+")
    assert not [u for u in requests if old_bundle in u]
    server.close()
    context.close()
