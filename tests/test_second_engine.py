"""A second engine (issue 24): ProperDocs, MkDocs 1.x's maintained continuation, builds the site our build steps
make under MkDocs, file for file and byte for byte, except the line that names the engine and the service worker's
version, which is a digest of every byte. Any other difference is something of ours that depends on the engine: the
test names its files. The build's first step, run from the command line without any engine, adds the same files."""

from __future__ import annotations

import gzip
import re
from fnmatch import fnmatch
from pathlib import Path

import brotli
from conftest import ROOT, build_site

from generator import cli
from generator.build.bundle import PYODIDE_DIR
from generator.build.offline import PATCHES

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


def test_the_first_step_from_the_command_line_adds_the_files_the_build_adds(site_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.main(["prepare", str(tmp_path)]) == 0
    added = site_files(tmp_path)
    assert len(added) > 90 and all((site_dir / name).is_file() for name in added)
    # The same bytes, except the vendor files the last step makes offline.
    patched = [n for n in added if any(fnmatch(n, pattern) for pattern in PATCHES)]
    assert patched == [f"{PYODIDE_DIR}/pyodide.mjs"]
    assert [n for n in added if n not in patched and (tmp_path / n).read_bytes() != (site_dir / n).read_bytes()] == []
