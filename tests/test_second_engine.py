"""A second engine (issue 24): ProperDocs, MkDocs 1.x's maintained continuation, builds the site our build steps
make under MkDocs, file for file and byte for byte, except the line that names the engine and the service worker's
version, which is a digest of every byte. Any other difference is something of ours that depends on the engine: the
test names its files."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
from conftest import build_site

ENGINE_LINE = re.compile(rb'<meta name="generator" content="[^"]*">')
SERVICE_WORKER_VERSION = re.compile(rb'^const VERSION = "[^"]*";$', re.MULTILINE)
UNPACK = {".br": brotli.decompress, ".gz": gzip.decompress}


def site_files(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())


def engine_free(path: Path) -> bytes:
    """The file's bytes (a .br or .gz sibling unpacked) without the engine's name and what follows from it."""
    data = path.read_bytes()
    if path.suffix in UNPACK and path.with_suffix("").exists():
        data = UNPACK[path.suffix](data)
    return SERVICE_WORKER_VERSION.sub(b"", ENGINE_LINE.sub(b"", data))


def test_properdocs_builds_the_same_site(site_dir, tmp_path):
    out = tmp_path / "site"
    done = build_site(out, engine="properdocs")
    assert done.returncode == 0, done.stderr
    assert site_files(out) == site_files(site_dir)
    assert b"ProperDocs" in (out / "index.html").read_bytes()  # the engine it names is the other one
    differing = [name for name in site_files(out) if engine_free(out / name) != engine_free(site_dir / name)]
    assert differing == []
