"""The MkDocs plugin: a thin adapter between MkDocs and the generator.

Everything it does is delegated: ``schema`` validates and compiles instruments,
``render`` draws forms, ``i18n`` provides the interface strings, ``runtime``
finds the pinned Pyodide files. The plugin only decides *when* (which build
hook) and *where* (which site path) each of those happens.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import documents, docx, engine
from .blocks.placeholder import PLACEHOLDER
from .checker import ValidationError
from .i18n import Catalogue, CatalogueError, load_catalogue
from .offline import OfflinePatchError, make_offline
from .render import render_catalogue, render_instrument, render_results, render_template
from .runtime import RuntimeMissingError, runtime_files
from .schema import load_folder
from .template_schema import load_templates

INSTRUMENTS_PATH = "assets/instruments"
TEMPLATES_PATH = "assets/templates"
ENGINE_PATH = "assets/engine"
ENGINE_MODULES = (engine, documents, docx)  # the Python the browser runs, as the package `kasibi`
PYODIDE_PATH = "assets/pyodide"
FORM_BLOCK = re.compile(r"^/// (instrument|template) \|", re.MULTILINE)
FORM_PAGE_BOOST = 0.25


class KasibiConfig(base.Config):
    assessments = c.Dir(exists=True, default="assessments")
    templates = c.Dir(exists=True, default="templates")
    site_src = c.Dir(exists=True, default="site_src")
    pyodide = c.Type(str, default="node_modules/pyodide")


class KasibiPlugin(BasePlugin[KasibiConfig]):
    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.instruments: dict[str, dict] = {}
        self.templates: dict[str, dict] = {}
        self.placed: dict[str, str] = {}
        self._theme_dir: str | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Material ships no Kazakh and the search plugin reads its language strings
        # during its own on_config, so the partial must be in the theme before that.
        try:
            self.catalogue = load_catalogue(Path(self.config.site_src) / "i18n", config.theme["language"])
        except CatalogueError as error:
            raise PluginError(str(error)) from None
        self._theme_dir = tempfile.mkdtemp(prefix="kasibi-theme-")
        partial = Path(self._theme_dir, "partials", "languages", f"{self.catalogue.lang}.html")
        partial.parent.mkdir(parents=True)
        partial.write_text(self.catalogue.material_partial(), encoding="utf-8")
        config.theme.dirs.insert(0, self._theme_dir)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # Instruments link to guidance pages, so they are checked and compiled once
        # the pages are known: a link to a missing page fails the build here.
        pages = {file.src_uri for file in files.documentation_pages()}

        def link(target: str) -> str:
            path, _, anchor = target.partition("#")
            url = files.get_file_from_path(path).url
            return url + (f"#{anchor}" if anchor else "")

        try:
            self.instruments = load_folder(Path(self.config.assessments), config.theme["language"], link, pages)
            self.templates = load_templates(Path(self.config.templates), self.catalogue.ui, config.theme["language"])
            runtime = runtime_files(Path(config.config_file_path).parent / self.config.pyodide)
        except ValidationError as error:
            raise PluginError(f"invalid instruments or templates:\n{error}") from None
        except RuntimeMissingError as error:
            raise PluginError(str(error)) from None
        # Catalogues link to assessments/<id>/ and templates/<id>/: each piece of data needs its page.
        for folder, ids, source in (
            ("assessments", self.instruments, self.config.assessments),
            ("templates", self.templates, self.config.templates),
        ):
            missing = [i for i in ids if f"{folder}/{i}.md" not in pages]
            if missing:
                names = ", ".join(f"docs/{folder}/{i}.md" for i in missing)
                raise PluginError(f"{source}: no page places {', '.join(missing)}; write {names}")
        for instrument_id, instrument in self.instruments.items():
            content = json.dumps(instrument, ensure_ascii=False, separators=(",", ":"))
            files.append(File.generated(config, f"{INSTRUMENTS_PATH}/{instrument_id}.json", content=content))
        # The results page reads this list to recognise imported results and to link back.
        catalogue = [
            {"id": i["id"], "title": i["title"], "version": i["version"], "kind": i["kind"]}
            for i in self.instruments.values()
        ]
        files.append(
            File.generated(config, f"{INSTRUMENTS_PATH}/index.json", content=json.dumps(catalogue, ensure_ascii=False))
        )
        # Blank Word files are written here, by the same writer the browser uses for filled copies.
        for template_id, template in self.templates.items():
            content = json.dumps(template, ensure_ascii=False, separators=(",", ":"))
            files.append(File.generated(config, f"{TEMPLATES_PATH}/{template_id}.json", content=content))
            files.append(
                File.generated(config, f"{TEMPLATES_PATH}/{template_id}.docx", content=docx.build_docx(template))
            )
        for module in ENGINE_MODULES:
            name = Path(module.__file__).name
            files.append(File.generated(config, f"{ENGINE_PATH}/{name}", abs_src_path=module.__file__))
        for path in runtime:
            files.append(File.generated(config, f"{PYODIDE_PATH}/{path.name}", abs_src_path=str(path)))
        for kind in ("js", "css"):
            for path in sorted(Path(self.config.site_src, kind).glob(f"*.{kind}")):
                files.append(File.generated(config, f"assets/{kind}/{path.name}", abs_src_path=str(path)))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A page that is mostly a form ranks after the guidance it comes from: someone searching
        # «рефлексия» wants the explanation first, the tool second.
        if FORM_BLOCK.search(markdown):
            page.meta.setdefault("search", {}).setdefault("boost", FORM_PAGE_BOOST)
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Blocks are drawn after Markdown so their HTML is never re-parsed as Markdown.
        def draw(match: re.Match) -> str:
            kind, block_id = match.group("kind", "id")
            if kind == "my-results":
                return render_results(self.catalogue)
            if kind in ("instrument-list", "template-list"):
                return render_catalogue(self._catalogue_entries(kind, page), self.catalogue)
            if kind == "template":
                if block_id not in self.templates:
                    known = ", ".join(sorted(self.templates)) or "none"
                    raise PluginError(f"{page.file.src_uri}: unknown template {block_id!r} (known: {known})")
                src = f"{TEMPLATES_PATH}/{block_id}"
                blank = get_relative_url(f"{src}.docx", page.url)
                return render_template(self.templates[block_id], self.catalogue, src, blank)
            if block_id not in self.instruments:
                known = ", ".join(sorted(self.instruments)) or "none"
                raise PluginError(f"{page.file.src_uri}: unknown instrument {block_id!r} (known: {known})")
            self.placed[block_id] = page.file.src_uri
            return render_instrument(self.instruments[block_id], self.catalogue, f"{INSTRUMENTS_PATH}/{block_id}.json")

        return PLACEHOLDER.sub(draw, html)

    def _catalogue_entries(self, kind: str, page: Page) -> list[dict]:
        ui = self.catalogue.ui

        def href(path: str) -> str:
            return get_relative_url(path, page.url)

        if kind == "instrument-list":
            return [
                {
                    "title": i["title"],
                    "summary": i["summary"],
                    "href": href(f"assessments/{i['id']}/"),
                    "facts": [
                        ui["about.minutes_short"].replace("{minutes}", str(i["minutes"])) if i["minutes"] else "",
                        ui[f"provenance.{i['provenance']['kind']}"],
                    ],
                }
                for i in self.instruments.values()
            ]
        return [
            {
                "title": t["title"],
                "summary": t["summary"],
                "href": href(f"templates/{t['id']}/"),
                "facts": t["sources"][:1],
                "docx": href(f"{TEMPLATES_PATH}/{t['id']}.docx"),
            }
            for t in self.templates.values()
        ]

    def on_post_build(self, config: MkDocsConfig) -> None:
        # Vendor files are final only now; strip the CDN fallbacks they carry.
        try:
            make_offline(Path(config.site_dir))
        except OfflinePatchError as error:
            raise PluginError(str(error)) from None

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        # Authors edit instruments and browser code while `mkdocs serve` runs.
        server.watch(self.config.assessments)
        server.watch(self.config.templates)
        server.watch(self.config.site_src)
        return server

    def on_shutdown(self) -> None:
        # The generated language partial lives in a temporary theme folder.
        if self._theme_dir:
            shutil.rmtree(self._theme_dir, ignore_errors=True)
