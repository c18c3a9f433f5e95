"""Precompressed siblings (``.br`` and ``.gz``) of the built site's files, so no host has to configure compression.

A server that knows them (nginx ``gzip_static``/``brotli_static``, the Apache rules in ``.htaccess``,
``make serve``) sends ``file.br`` or ``file.gz`` to a browser that accepts it, with the file's own type;
any other server sends the plain files, which stay as they are. The bytes are deterministic: gzip
without a name or time, Brotli at a fixed quality, so two builds of the same sources give the same files.
A sibling is written only where it saves at least a tenth (the stdlib zip and Word files already are
compressed) and only for files above ``MIN_BYTES`` (below that, headers outweigh the saving).
Brotli's best quality takes about a minute for the 10 MB WebAssembly file: large files' results are kept
in a cache folder by the content's digest, so the next build (and every test build) reuses them; builds
running side by side take turns on each entry, so a file is compressed once.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import brotli

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None

MIN_BYTES = 1024
MIN_SAVING = 0.10
ENCODINGS = {".br": lambda data: brotli.compress(data, quality=11), ".gz": lambda data: gzip.compress(data, 9, mtime=0)}
CODERS = f"brotli{brotli.__version__}-zlib{zlib.ZLIB_RUNTIME_VERSION}"
CACHED_FROM = 64 * 1024  # bytes: smaller files compress in milliseconds
# .bin: the engine's start-up snapshot, gzip inside (snapshot.py)
ALREADY_COMPRESSED = (".br", ".gz", ".png", ".jpg", ".jpeg", ".webp", ".woff", ".woff2", ".docx", ".zip", ".bin")


def _encoded(data: bytes, suffix: str, cache: Path | None) -> bytes:
    if cache is None or len(data) < CACHED_FROM:
        return ENCODINGS[suffix](data)
    kept = cache / f"{hashlib.sha256(data).hexdigest()}-{CODERS}{suffix}"  # another coder version, another key
    return kept_or_made(kept, lambda: ENCODINGS[suffix](data))


def kept_or_made(kept: Path, make: Callable[[], bytes]) -> bytes:
    """The bytes in the cache file ``kept``, or ``make()``'s, then kept there. Builds side by side wait
    for the first one's result instead of repeating it."""
    kept.parent.mkdir(parents=True, exist_ok=True)
    with _only_one_build(kept):
        if kept.is_file():
            return kept.read_bytes()
        made = make()
        partial = kept.with_name(f"{kept.name}.{os.getpid()}")  # a build stopped midway leaves no half file
        partial.write_bytes(made)
        partial.replace(kept)
        return made


@contextmanager
def _only_one_build(kept: Path) -> Iterator[None]:
    if fcntl is None:  # Windows: two builds at once may both make the file; the result is the same
        yield
        return
    with open(kept.with_name(kept.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def compress_site(site: Path, cache: Path | None = None) -> dict[str, int]:
    """Write the siblings in ``site``; return the bytes saved per encoding (for the build log and the bench)."""
    saved = dict.fromkeys(ENCODINGS, 0)
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if path.suffix in ALREADY_COMPRESSED or path.stat().st_size < MIN_BYTES:
            continue
        data = path.read_bytes()
        for suffix in ENCODINGS:
            packed = _encoded(data, suffix, cache)
            if len(packed) <= (1 - MIN_SAVING) * len(data):
                path.with_name(path.name + suffix).write_bytes(packed)
                saved[suffix] += len(data) - len(packed)
    return saved
