"""What the generator adds to the built site, and where: one list of (site path, content) pairs.

The plugin turns the list into MkDocs files; nothing here imports MkDocs. Paths follow
``bundle.Bundle``: the site's own code and data under the fingerprinted bundle folder, the
Pyodide runtime under its versioned folder, the service worker at the site root.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from generator import browser
from generator.browser import docx
from generator.build.bundle import PYODIDE_DIR, Bundle, Edition
from generator.ship import snapshot, stdlib
from generator.ship.runtime import STDLIB

log = logging.getLogger(__name__)

# The scripts every page loads (site_src/js/<feature>/); each mounts what its page has and imports the rest.
MODULE_SCRIPTS = (
    "assessments/assessment.js",
    "assessments/results.js",
    "documents/document.js",
    "school/school.js",
    "device/device.js",
    "device/offline.js",
    "device/theme-fixes.js",
    "device/install.js",
    "device/language.js",
    "documents/portfolio.js",
)
CLASSIC_SCRIPTS = ("device/file-notice.js",)  # module scripts do not run from file://; this one must
SERVICE_WORKER = "sw.js"


@dataclass(frozen=True)
class SiteFile:
    path: str
    content: str | bytes | None = None
    source: Path | None = None  # copied as it is


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def data_files(
    bundle: Bundle, lang: str, instruments: dict[str, dict], templates: dict[str, dict], checklist: dict | None = None
) -> list[SiteFile]:
    """The files each language has its own copy of: the compiled instruments and their list, the templates (JSON
    and blank Word files) and the attestation checklist, with ``lang``'s texts (``Bundle.data`` says where)."""
    out = [SiteFile(bundle.data(lang, "instruments", f"{i}.json"), _json(data)) for i, data in instruments.items()]
    # The results page reads this list to recognise imported results and to link back.
    index = [
        {"id": i["id"], "title": i["title"], "version": i["version"], "kind": i["kind"]} for i in instruments.values()
    ]
    out.append(SiteFile(bundle.data(lang, "instruments", "index.json"), _json(index)))
    if checklist:  # the attestation page reads it
        out.append(SiteFile(bundle.data(lang, "attestation", "checklist.json"), _json(checklist)))
    for template_id, template in templates.items():
        out.append(SiteFile(bundle.data(lang, "templates", f"{template_id}.json"), _json(template)))
        # Blank Word files are written by the same writer the browser uses for filled copies.
        out.append(SiteFile(bundle.data(lang, "templates", f"{template_id}.docx"), docx.build_docx(template)))
    return out


def site_files(
    bundle: Bundle, site_src: Path, runtime: list[Path], editions: dict[str, Edition], cache: Path | None = None
) -> list[SiteFile]:
    """The files every language shares: the browser's Python and its runtime, scripts, styles and ``build.js``
    (``editions``: each language's strings and pages); ``cache`` keeps the start-up snapshot between builds."""
    # The Python the browser runs, as the package `kasibi` (generator/browser), and the part of the
    # standard library it imports (in the engine folder: it changes with the modules, not with the pin).
    out = [SiteFile(bundle.path("engine", path.name), source=path) for path in browser.module_files()]
    [package_stdlib] = [path for path in runtime if path.name == STDLIB]
    trimmed = stdlib.trimmed_stdlib(package_stdlib, stdlib.listed_files())
    out.append(SiteFile(bundle.path("engine", STDLIB), trimmed))
    runtime = [path for path in runtime if path.name != STDLIB]
    try:
        memory = snapshot.make_snapshot(runtime[0].parent, browser.module_files(), trimmed, cache)
        out.append(SiteFile(bundle.path("engine", snapshot.SNAPSHOT), memory))
    except snapshot.SnapshotError as error:  # a site without it works: the engine starts Python the usual way
        log.warning("%s; the site is built without the engine's start-up snapshot (the engine starts slower)", error)
        memory = None
    out += [SiteFile(f"{PYODIDE_DIR}/{path.name}", source=path) for path in runtime]
    scripts = sorted((site_src / "js").rglob("*.js"))
    out += [SiteFile(bundle.path("js", p.relative_to(site_src / "js").as_posix()), source=p) for p in scripts]
    out += [SiteFile(bundle.path("css", p.name), source=p) for p in sorted((site_src / "css").glob("*.css"))]
    # The worker fetches the Python and the runtime's data files; the .mjs scripts come by import().
    fetched = [*browser.module_files(), *(path for path in runtime if path.suffix != ".mjs")]
    download = sum(path.stat().st_size for path in fetched) + len(trimmed)
    # Restoring the snapshot, the worker fetches it instead of the Python sources.
    with_snapshot = memory and download - sum(path.stat().st_size for path in browser.module_files()) + len(memory)
    out.append(SiteFile(bundle.path("js", "build.js"), bundle.build_module(editions, download, with_snapshot)))
    return out


COMPRESSED_SIBLINGS = (".br", ".gz")  # the server picks them by Accept-Encoding; a cache keeps the decoded file


def service_worker(site: Path, version: str, source: Path, bundle: Bundle) -> str:
    """``sw.js`` for the built ``site``: its version, the files to keep offline (the engine's and its snapshot
    apart), then its code."""
    files = sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.is_file()
        and path.name not in (SERVICE_WORKER, "404.html", "sitemap.xml", "sitemap.xml.gz")
        and path.suffix not in COMPRESSED_SIBLINGS
    )
    engine_folders = (f"{PYODIDE_DIR}/", bundle.path("engine") + "/")
    memory = bundle.path("engine", snapshot.SNAPSHOT)  # kept when the engine's worker asks for it, not before
    engine = [path for path in files if path.startswith(engine_folders) and path != memory]
    precache = ["./", *(path for path in files if not path.startswith(engine_folders))]  # the root is also "./"
    header = (
        f"const VERSION = {json.dumps(version)};\n"
        f"const PRECACHE = {json.dumps(precache, ensure_ascii=False)};\n"
        f"const ENGINE = {json.dumps(engine)};\n"
        f"const SNAPSHOT = {json.dumps(memory)};\n"
    )
    return header + source.read_text(encoding="utf-8")
