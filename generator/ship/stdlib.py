"""A trimmed Python standard library for the browser: only the files the site's Python imports.

Pyodide's ``python_stdlib.zip`` holds the whole library; the engine imports a fifth of it. The
files kept are listed in ``stdlib_modules.txt`` (what Pyodide imports at its start plus what every
entry point of ``generator/browser`` imports, recorded in real Pyodide by ``tests/test_stdlib.py``,
which also runs every entry point on the trimmed zip alone). The zip is written deterministically:
entries sorted by name, one fixed timestamp, and each file's compressed bytes copied unchanged from
the pinned package, so the same package and list give the same bytes on any machine (no zlib).
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path

MODULE_LIST = Path(__file__).with_name("stdlib_modules.txt")
TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the zip format's first day: no build clock in the bytes
_DOS_DATE = ((TIMESTAMP[0] - 1980) << 9) | (TIMESTAMP[1] << 5) | TIMESTAMP[2]
_DOS_TIME = (TIMESTAMP[3] << 11) | (TIMESTAMP[4] << 5) | (TIMESTAMP[5] // 2)
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # central directory entry
_END = struct.Struct("<4s4H2LH")  # end of central directory


def listed_files(path: Path = MODULE_LIST) -> list[str]:
    """The stdlib files the site keeps, as paths inside the zip (comments and blank lines skipped)."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def _folders(names: Iterable[str]) -> set[str]:
    """Every folder entry (``a/``, ``a/b/``) the files sit in, as the package's zip has them."""
    return {name[: n + 1] for name in names for n, char in enumerate(name) if char == "/"}


def _raw(source: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """An entry's stored bytes, still compressed as the package has them."""
    fp = source.fp
    assert fp is not None
    fp.seek(info.header_offset)
    header = _LOCAL.unpack(fp.read(_LOCAL.size))
    fp.seek(header[-2] + header[-1], 1)  # past the name and the extra field
    return fp.read(info.compress_size)


def trimmed_stdlib(source: Path, keep: Iterable[str]) -> bytes:
    """The zip of ``source`` (Pyodide's stdlib) holding only ``keep`` and their folders; raise on a name it lacks."""
    files = set(keep)
    with zipfile.ZipFile(source) as package:
        infos = {info.filename: info for info in package.infolist()}
        missing = sorted(files - infos.keys())
        if missing:
            raise KeyError(f"{source}: no {', '.join(missing)} (is stdlib_modules.txt for another Pyodide?)")
        names = sorted(files | (_folders(files) & infos.keys()))
        body, directory = bytearray(), bytearray()
        for name in names:
            info, encoded = infos[name], name.encode("ascii")
            offset = len(body)
            fields = (20, 0, info.compress_type, _DOS_TIME, _DOS_DATE, info.CRC, info.compress_size, info.file_size)
            body += _LOCAL.pack(b"PK\x03\x04", *fields, len(encoded), 0) + encoded + _raw(package, info)
            directory += _CENTRAL.pack(
                b"PK\x01\x02", 0x0314, *fields, len(encoded), 0, 0, 0, 0, info.external_attr, offset
            )
            directory += encoded
    end = _END.pack(b"PK\x05\x06", 0, 0, len(names), len(names), len(directory), len(body), 0)
    return bytes(body + directory + end)
