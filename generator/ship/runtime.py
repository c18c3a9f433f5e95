"""The pinned Pyodide runtime, taken from the npm package and published with the site.

Only the files the engine needs are published: the package's console pages load
scripts from a CDN and must never reach a school's intranet. The standard library is not
published whole: generator/ship/stdlib.py trims it to what the site's Python imports.
"""

from __future__ import annotations

import json
from pathlib import Path

PYODIDE_VERSION = "314.0.8"
STDLIB = "python_stdlib.zip"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", STDLIB, "pyodide-lock.json")


class RuntimeMissingError(RuntimeError):
    """The npm package is absent or not the pinned version."""


def runtime_files(package_dir: Path) -> list[Path]:
    """The runtime files of the pinned package; raise RuntimeMissingError saying how to fix it."""
    manifest = package_dir / "package.json"
    hint = "run `npm ci` in the project folder (see README)"
    if not manifest.is_file():
        raise RuntimeMissingError(f"{package_dir}: the npm package 'pyodide' is not installed; {hint}")
    version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    if version != PYODIDE_VERSION:
        raise RuntimeMissingError(
            f"{manifest}: pyodide {version} is installed, the site pins {PYODIDE_VERSION}; {hint}"
        )
    paths = [package_dir / name for name in RUNTIME_FILES]
    missing = [path.name for path in paths if not path.is_file()]
    if missing:
        raise RuntimeMissingError(f"{package_dir}: missing {', '.join(missing)}; {hint}")
    return paths
