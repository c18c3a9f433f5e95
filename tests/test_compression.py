"""Precompressed siblings (generator/ship/compress.py) and the servers that send them (ship/serve.py, nginx)."""

from __future__ import annotations

import gzip
import threading
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path

import brotli
import pytest
from support import QuietServer

from generator.build.bundle import PYODIDE_DIR
from generator.ship.compress import ALREADY_COMPRESSED, CACHED_FROM, MIN_BYTES, compress_site
from generator.ship.serve import PrecompressedHandler, accepted

DECODE = {".br": brotli.decompress, ".gz": gzip.decompress}
TEXT_LIKE = (".html", ".js", ".mjs", ".css", ".json", ".py", ".wasm", ".svg")
WASM = f"{PYODIDE_DIR}/pyodide.asm.wasm"


def siblings(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.suffix in DECODE}


def test_every_compressible_file_has_siblings_that_give_back_its_bytes(site_dir):
    plain = [p for p in site_dir.rglob("*") if p.is_file() and p.suffix not in DECODE]
    worth = [p for p in plain if p.suffix in TEXT_LIKE and p.stat().st_size >= 4 * MIN_BYTES]
    assert len(worth) > 100
    for path in worth:
        for suffix, decode in DECODE.items():
            sibling = path.with_name(path.name + suffix)
            assert sibling.is_file(), sibling
            assert decode(sibling.read_bytes()) == path.read_bytes(), sibling
    assert not [p for p in plain if p.suffix in ALREADY_COMPRESSED and p.with_name(p.name + ".br").exists()]
    assert not (site_dir / f"{PYODIDE_DIR}/python_stdlib.zip.br").exists()  # a zip gains nothing


def test_compressing_again_with_an_empty_cache_gives_the_same_bytes(site_dir, tmp_path):
    # The run's builds share one cache (conftest), so this compresses the build's files afresh: a page, the
    # stylesheet, the search index, Pyodide's loader (cached sizes), and a small script (never cached).
    # Two whole builds in two folders give the same release zip: test_release_build.py.
    names = ["index.html", "search/search_index.json", f"{PYODIDE_DIR}/pyodide.asm.mjs"]
    names += [p.relative_to(site_dir).as_posix() for p in site_dir.glob("assets/stylesheets/main.*.min.css")]
    names += [p.relative_to(site_dir).as_posix() for p in site_dir.glob("assets/kasibi-*/js/engine/engine-client.js")]
    for name in names:
        (tmp_path / "again" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "again" / name).write_bytes((site_dir / name).read_bytes())
    compress_site(tmp_path / "again", tmp_path / "empty-cache")
    again = siblings(tmp_path / "again")
    assert len(again) == 2 * len(names)
    assert again == {name: data for name, data in siblings(site_dir).items() if name in again}
    assert any((site_dir / name).stat().st_size >= CACHED_FROM for name in names)  # a file the cache keeps


@pytest.fixture(scope="module")
def server(site_dir):
    httpd = QuietServer(("127.0.0.1", 0), partial(PrecompressedHandler, directory=str(site_dir)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, accept: str | None, since: str | None = None):
    headers = {"Accept-Encoding": accept} if accept is not None else {}
    headers |= {"If-Modified-Since": since} if since else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the test's own http server
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return response.headers, response.read()  # a Message: names are case-insensitive


@pytest.mark.parametrize(
    ("accept", "coding"),
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("identity", None), (None, None)],
)
def test_make_serve_sends_the_sibling_the_browser_accepts(server, site_dir, accept, coding):
    headers, body = fetch(server + WASM, accept)
    original = (site_dir / WASM).read_bytes()
    assert headers["Content-Type"] == "application/wasm" and headers["Vary"] == "Accept-Encoding"
    assert headers.get("Content-Encoding") == coding
    assert {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[coding](body) == original
    assert int(headers["Content-Length"]) == len(body)


@pytest.mark.parametrize("accept", ["br", None])
def test_make_serve_answers_a_browser_whose_copy_is_current_with_304_and_no_body(server, accept):
    headers, _ = fetch(server + WASM, accept)
    with pytest.raises(urllib.error.HTTPError) as answer:  # urllib treats a 304 as an error
        fetch(server + WASM, accept, since=headers["Last-Modified"])
    assert answer.value.code == 304 and answer.value.read() == b""
    headers, body = fetch(server + WASM, accept, since="Mon, 01 Jan 2001 00:00:00 GMT")  # an older copy
    assert body and headers.get("Content-Encoding") == accept


def test_make_serve_sends_a_folders_page_compressed_too(server, site_dir):
    headers, body = fetch(server, "gzip")
    assert headers["Content-Encoding"] == "gzip" and headers["Content-Type"].startswith("text/html")
    assert gzip.decompress(body) == (site_dir / "index.html").read_bytes()


@pytest.mark.parametrize("accept", ["br", None])
def test_make_serve_caches_as_the_release_configs_do(server, site_dir, accept):
    fingerprinted = [*site_dir.glob("assets/kasibi-*/engine/snapshot.bin"), *site_dir.glob("assets/javascripts/*.js")]
    for path in (WASM, *(path.relative_to(site_dir).as_posix() for path in fingerprinted)):  # kept for a year
        headers, _ = fetch(server + path, accept)
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable", path
    for path in ("", "index.html", "sw.js", "model/cycle/reflection.html"):  # checked on every visit
        headers, _ = fetch(server + path, accept)
        assert headers["Cache-Control"] == "no-cache", path
    with pytest.raises(urllib.error.HTTPError) as answer:
        fetch(server + "assets/kasibi-0/missing.js", accept)
    assert answer.value.code == 404 and "Cache-Control" not in answer.value.headers  # a 404 is not kept


def test_accept_encoding_is_read_with_its_refusals():
    assert accepted("gzip, deflate, br") == {"gzip", "deflate", "br"}
    assert accepted("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted("") == set()
