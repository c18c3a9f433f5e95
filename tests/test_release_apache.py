"""The release under Debian's Apache 2.4 as school IT people set it up, with nothing but the shipped files:
Debian's stock configuration (AllowOverride None: site/.htaccess ignored), the override alone (modules
off), the documented setting (AllowOverride FileInfo, `a2enmod rewrite headers`) and AllowOverride All;
each at a sub-path, at a host's root and behind an Alias. The setting the notes gave before is refused by
`configtest`; every setting the notes give now passes it."""

from __future__ import annotations

import gzip
import re
import zipfile
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

import brotli
import pytest
from apache import Apache
from test_release import WATCH_CSP, get, outside, score_flagship, server_check
from test_templates_e2e import TYPED, first_inputs

from generator.build.bundle import PYODIDE_DIR

CONFIGS = {
    "debian-default": ("None", ()),
    "override-only": ("FileInfo", ()),
    "documented": ("FileInfo", ("rewrite", "headers")),
    "all": ("All", ("rewrite", "headers")),
}
HOSTS = ("sub", "root", "alias")
MISSING = ("no-such-page.html", "model/cycle/moved.html", "assets/kasibi-0/js/old.js")
WASM = f"{PYODIDE_DIR}/pyodide.asm.wasm"
TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".png": "image/png",
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
    ".py": "text/plain",
}


@pytest.fixture(scope="module", params=list(CONFIGS))
def apache(request, release):
    override, modules = CONFIGS[request.param]
    server = Apache(release / "site", override, modules)
    server.name = request.param
    with server:
        yield server
    assert "AH00124" not in server.errors()  # no internal redirect loop


@pytest.fixture(scope="module")
def documented(release):
    with Apache(release / "site", *CONFIGS["documented"]) as server:
        yield server


@pytest.fixture(scope="module")
def stock(release):
    with Apache(release / "site", *CONFIGS["debian-default"]) as server:
        yield server


def decoded(headers: dict[str, str], body: bytes) -> bytes:
    coding = headers.get("Content-Encoding")
    return brotli.decompress(body) if coding == "br" else gzip.decompress(body) if coding == "gzip" else body


def test_the_setting_the_notes_gave_before_stops_apache_and_every_setting_they_give_now_passes(release):
    refused = Apache(release / "site", "FileInfo Headers Indexes").configtest()
    assert refused.returncode != 0 and "Illegal override option Headers" in refused.stderr
    htaccess = (release / "site/.htaccess").read_text(encoding="utf-8")
    readme = (release / "README.txt").read_text(encoding="utf-8")
    given = set(re.findall(r"AllowOverride ([A-Za-z ]+?)\s*$", htaccess + readme, re.MULTILINE)) - {"None"}
    assert given == {"FileInfo"}
    for override in [*given, "All"]:
        checked = Apache(release / "site", override, ("rewrite", "headers")).configtest()
        assert checked.returncode == 0, checked.stderr
    assert "a2enmod rewrite headers && apache2ctl configtest" in htaccess + readme


def test_every_file_of_the_zip_answers_200_with_its_type(apache, release):
    site = release / "site"
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    # Apache refuses .ht* files to every visitor by design (Debian's `<FilesMatch "^\\.ht">`).
    files = [path for path in files if not path.endswith((".br", ".gz")) and path != ".htaccess"]
    answers = {path: get(apache.url("sub") + quote(path), "HEAD") for path in files}
    assert len(files) > 150 and {p: status for p, (status, _, _) in answers.items() if status != 200} == {}
    wrong = {}
    for path, (_, headers, _) in answers.items():
        expected = TYPES.get(Path(path).suffix)
        got = headers.get("Content-Type", "").split(";")[0]
        if apache.name == "debian-default" and path.endswith(".py"):
            expected = "text/x-python"  # Debian's mime.types: harmless, the engine reads the text
        if expected and got != expected:
            wrong[path] = got
    assert wrong == {}
    assert get(apache.url("sub"))[0] == 200  # the folder's address opens index.html


@pytest.mark.parametrize("host", HOSTS)
def test_headers_compression_and_the_404_page_in_each_configuration(apache, release, host):
    base, applied = apache.url(host), apache.name in ("documented", "all")
    original = (release / "site" / WASM).read_bytes()
    for accept, precompressed in (("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br"), (None, None)):
        status, headers, body = get(base + WASM, accept=accept)
        coding = headers.get("Content-Encoding")
        assert status == 200 and headers["Content-Type"] == "application/wasm"
        assert decoded(headers, body) == original
        if applied:
            assert coding == precompressed and headers.get("Content-Length") == str(len(body))
            assert "Accept-Encoding" in headers.get("Vary", "")
        else:  # Debian's mod_deflate compresses on the fly (gzip only, never br)
            assert coding == ("gzip" if accept and "gzip" in accept else None)
    status, headers, _ = get(base + "index.html", accept="gzip")
    assert headers["Content-Type"].startswith("text/html")  # a .gz sibling is not application/x-gzip
    assert ("Content-Security-Policy" in headers) is applied
    assert headers.get("Cache-Control") == ("no-cache" if applied else None)
    status, headers, _ = get(base + WASM, "HEAD")
    assert ("immutable" in headers.get("Cache-Control", "")) is applied
    for missing in MISSING:
        status, headers, body = get(base + missing, accept="gzip")
        assert status == 404
        assert ("data-kasibi-home" in decoded(headers, body).decode("utf-8", "replace")) is applied
        assert "immutable" not in headers.get("Cache-Control", "")


def test_the_flagship_scores_and_a_template_downloads_as_word(browser, stock, documented):
    for server in (stock, documented):
        url = server.url("sub")
        context = browser.new_context(accept_downloads=True)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r, requests=requests: requests.append(r.url))
        score_flagship(page, url)
        page.goto(url + "templates/individual-development-plan.html")
        first_inputs(page)[0].fill(TYPED)
        with page.expect_download(timeout=90_000) as download:
            page.click("[data-action=docx]")
        with zipfile.ZipFile(download.value.path()) as word:
            assert TYPED in word.read("word/document.xml").decode("utf-8")
        assert page.evaluate("violations") == [] and outside(requests) == []
        context.close()


CHECKED_HERE = ("csp", "long-cache", "compression", "not-found", "apache")
VERDICTS = {
    "debian-default": {"csp": "warn", "long-cache": "warn", "compression": "ok", "not-found": "warn", "apache": "warn"},
    "override-only": {"csp": "warn", "long-cache": "warn", "compression": "ok", "not-found": "warn", "apache": "warn"},
    "documented": dict.fromkeys(CHECKED_HERE, "ok"),
    "all": dict.fromkeys(CHECKED_HERE, "ok"),
}
SAYS = {
    "debian-default": ("AllowOverride FileInfo", "a2enmod rewrite headers"),
    "override-only": ("mod_rewrite, mod_headers", "a2enmod rewrite headers"),
    "documented": ("mod_rewrite, mod_headers",),
    "all": ("mod_rewrite, mod_headers",),
}


def test_the_self_check_says_what_apache_applies_and_how_to_fix_the_rest(browser, apache):
    page = browser.new_page()
    statuses = server_check(page, apache.url("sub"))
    assert {check: statuses[check] for check in CHECKED_HERE} == VERDICTS[apache.name]
    assert all(statuses[f"mime.{ext}"] == "ok" for ext in ("wasm", "mjs", "json", "docx"))
    row = page.inner_text("[data-check=apache] td")
    assert all(text in row for text in SAYS[apache.name]), row
    if apache.name == "debian-default":
        assert "Apache бұл файлды елемейді" in row and "Apache не читает этот файл" in row
        for check in ("long-cache", "not-found"):
            fixes = page.inner_text(f"[data-check={check}] td")
            assert all(server in fixes for server in ("Apache", "nginx", "IIS")), fixes
    page.close()


# IIS is not here: its web.config is read against IIS's defaults instead. The sections a site's own
# web.config may set when applicationHost.config is as installed (overrideModeDefault="Allow"); e.g.
# httpCompression is AppHostOnly, and httpErrors is locked on Windows Server 2008.
IIS_DELEGATED = {"staticContent", "urlCompression", "defaultDocument", "httpProtocol"}


def test_the_iis_web_config_uses_only_delegated_sections_and_never_adds_a_duplicate(release):
    tree = ElementTree.parse(release / "site/web.config")  # noqa: S314 - our own build's file
    for server in tree.getroot().iter("system.webServer"):
        assert {section.tag for section in server} <= IIS_DELEGATED
    keys = {"mimeMap": "fileExtension", "add": "name"}
    for parent in tree.getroot().iter():
        children = list(parent)
        for before, entry in zip([None, *children], children, strict=False):
            key = keys.get(entry.tag)
            if key and parent.tag in ("staticContent", "customHeaders"):
                assert before is not None and before.tag == "remove" and before.get(key) == entry.get(key), entry.attrib
