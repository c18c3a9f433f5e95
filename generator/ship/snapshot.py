"""The engine's start-up snapshot: Pyodide's memory right after the site's Python is imported.

Restoring it lets the browser's worker skip Python's own start (about 1.7 s of CPU on a 2-core PC,
before a single answer is scored). The build makes it in Node with the pinned Pyodide (``snapshot.mjs``)
and publishes it gzip-compressed (about 6.4 MB, from 31 MB) as ``engine/snapshot.bin``: a name no
server takes for an encoding, so every host sends the bytes as they are and the worker unpacks them
(``DecompressionStream``). The same inputs give the same bytes; the result is kept in the cache folder
by the inputs' digest, so the next build (and every test build) reuses it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.ship.compress import kept_or_made

SCRIPT = Path(__file__).with_name("snapshot.mjs")
SNAPSHOT = "snapshot.bin"
NODE_SECONDS = 300  # a loaded 2-core machine takes about 10 s
NODE_MAJOR = 18  # Debian 12's and Ubuntu 24.04's; the pinned Pyodide asks for it too


class SnapshotError(RuntimeError):
    """Node is missing or could not make the snapshot."""


def _digest(pyodide_dir: Path, modules: list[Path], stdlib_zip: bytes) -> str:
    digest = hashlib.sha256(SCRIPT.read_bytes())
    for path in (*(pyodide_dir / name for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")), *modules):
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    digest.update(hashlib.sha256(stdlib_zip).digest())
    return digest.hexdigest()


def _run_node(pyodide_dir: Path, modules: list[Path], stdlib_zip: bytes) -> bytes:
    node = shutil.which("node")
    if node is None:
        raise SnapshotError(
            f"node not found: the build makes the engine's start-up snapshot with Node.js {NODE_MAJOR} or newer"
        )
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    major = version.lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < NODE_MAJOR:
        found = version or "(no version)"
        raise SnapshotError(f"Node.js {found} cannot make the snapshot: it needs {NODE_MAJOR} or newer")
    with tempfile.TemporaryDirectory(prefix="kasibi-snapshot-") as tmp:
        engine = Path(tmp)
        (engine / "python_stdlib.zip").write_bytes(stdlib_zip)
        for path in modules:
            shutil.copy(path, engine / path.name)
        out = engine / SNAPSHOT
        command = [node, "--input-type=module", "-", str(pyodide_dir.resolve()), str(engine), str(out)]
        try:
            subprocess.run(
                command + [path.stem for path in modules],
                input=SCRIPT.read_bytes(),
                capture_output=True,
                check=True,
                timeout=NODE_SECONDS,
                cwd=tmp,
                env={"PATH": os.environ.get("PATH", "")},  # nothing of this machine's environment in the bytes
            )
        except subprocess.CalledProcessError as error:
            last = error.stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise SnapshotError(f"{SCRIPT}: Node could not make the snapshot: {' | '.join(last)}") from None
        except subprocess.TimeoutExpired:
            raise SnapshotError(f"{SCRIPT}: Node took more than {NODE_SECONDS} s to make the snapshot") from None
        return out.read_bytes()


def make_snapshot(pyodide_dir: Path, modules: list[Path], stdlib_zip: bytes, cache: Path | None = None) -> bytes:
    """The gzip-compressed snapshot of Pyodide in ``pyodide_dir`` with ``modules`` imported as ``kasibi``."""

    def make() -> bytes:
        return gzip.compress(_run_node(pyodide_dir, modules, stdlib_zip), 9, mtime=0)

    if cache is None:
        return make()
    return kept_or_made(cache / f"snapshot-{_digest(pyodide_dir, modules, stdlib_zip)}.bin", make)
