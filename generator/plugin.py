"""The MkDocs plugin: a thin adapter between MkDocs and the generator.

Everything it does is delegated: ``schema`` and ``template_schema`` validate and compile the
data, ``render`` draws forms, ``i18n`` provides the interface strings, ``publish`` lists the
files to add (``app_manifest`` the app's manifest and icons), ``offline`` strips CDN fallbacks.
The plugin only decides *when* (which build hook) and *where* in MkDocs (files, pages, theme)
each of those happens.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import tomllib
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import app_manifest, browser, publish, stdlib
from .blocks.placeholder import PLACEHOLDER
from .bundle import Bundle, ReleaseError
from .checker import ValidationError
from .checklist import load_checklist
from .compress import compress_site
from .i18n import Catalogue, CatalogueError, load_catalogue
from .offline import OfflinePatchError, make_offline
from .page_scripts import UnknownScriptError, check_scripts
from .render import (
    render_catalogue,
    render_instrument,
    render_portfolio,
    render_results,
    render_school,
    render_template,
)
from .runtime import RuntimeMissingError, runtime_files
from .schema import load_folder
from .search_index import prepare_search
from .template_schema import load_templates

FORM_BLOCK = re.compile(r"^/// (instrument|template) \|", re.MULTILINE)
FORM_PAGE_BOOST = 0.25
UNREAD_BLOCK = re.compile(r"^<p>///[ \t]*[a-z][^\n<]*", re.MULTILINE)
HEADING = re.compile(r"<h([1-6])[\s>]")
ONCE_PER_PAGE = ("instrument", "template", "my-results", "school", "portfolio")


class KasibiConfig(base.Config):
    assessments = c.Dir(exists=True, default="assessments")
    templates = c.Dir(exists=True, default="templates")
    attestation = c.Dir(exists=True, default="attestation")  # checklist.yml: what each category's pack holds
    site_src = c.Dir(exists=True, default="site_src")
    pyodide = c.Type(str, default="node_modules/pyodide")
    version = c.Optional(c.Type(str))  # the release; default: pyproject.toml's, or $KASIBI_VERSION
    compress_cache = c.Type(str, default=".cache/precompressed")  # big files' .br/.gz and the snapshot, by digest


class KasibiPlugin(BasePlugin[KasibiConfig]):
    def __init__(self) -> None:
        self.catalogue: Catalogue | None = None
        self.bundle: Bundle | None = None
        self.instruments: dict[str, dict] = {}
        self.templates: dict[str, dict] = {}
        self.checklist: dict = {}
        self._theme_dir: str | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Material ships no Kazakh and the search plugin reads its language strings
        # during its own on_config, so the partial must be in the theme before that.
        site_src = Path(self.config.site_src)
        try:
            self.catalogue = load_catalogue(site_src / "i18n", config.theme["language"])
        except CatalogueError as error:
            raise PluginError(str(error)) from None
        self._theme_dir = tempfile.mkdtemp(prefix="kasibi-theme-")
        partial = Path(self._theme_dir, "partials", "languages", f"{self.catalogue.lang}.html")
        partial.parent.mkdir(parents=True)
        partial.write_text(self.catalogue.material_partial(), encoding="utf-8")
        config.theme.dirs.insert(0, self._theme_dir)
        # Our scripts and styles live in a folder named after their content: pages must name it.
        try:
            self.bundle = Bundle.of(self._release(config), self._inputs())
        except ReleaseError as error:
            raise PluginError(str(error)) from None
        config.extra["kasibi"] = {
            "version": self.bundle.label,
            "bundle": self.bundle.root,
            "ui": self.catalogue.ui,  # the theme's own pages (404, notices) speak the catalogue's language
            "app": app_manifest.page_links(),  # every page names the manifest, its iOS icon and theme colours
        }
        for name in sorted(p.name for p in (site_src / "css").glob("*.css")):
            config.extra_css.append(self.bundle.path("css", name))
        for name in (*publish.MODULE_SCRIPTS, *publish.CLASSIC_SCRIPTS):
            script = ExtraScriptValue(self.bundle.path("js", name))
            script.type = "module" if name in publish.MODULE_SCRIPTS else ""
            config.extra_javascript.append(script)
        return config

    def _release(self, config: MkDocsConfig) -> str:
        if self.config.version or os.environ.get("KASIBI_VERSION"):
            return self.config.version or os.environ["KASIBI_VERSION"]
        pyproject = Path(config.config_file_path).parent / "pyproject.toml"
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]

    def _inputs(self) -> list[Path]:
        folders = (self.config.site_src, self.config.assessments, self.config.templates)
        inputs = [p for folder in folders for p in Path(folder).rglob("*") if p.is_file()]
        return inputs + browser.module_files() + [stdlib.MODULE_LIST]  # the trimmed stdlib is in the bundle

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # Instruments link to guidance pages, so they are checked and compiled once
        # the pages are known: a link to a missing page fails the build here.
        pages = {file.src_uri for file in files.documentation_pages()}

        def url(path: str) -> str:
            return files.get_file_from_path(path).url

        def link(target: str) -> str:
            path, _, anchor = target.partition("#")
            return url(path) + (f"#{anchor}" if anchor else "")

        lang = config.theme["language"]
        try:
            self.instruments = load_folder(Path(self.config.assessments), lang, link, pages)
            self.templates = load_templates(Path(self.config.templates), self.catalogue.ui, lang)
            checklist = Path(self.config.attestation) / "checklist.yml"
            self.checklist = load_checklist(checklist, self.instruments, self.templates)
            runtime = runtime_files(Path(config.config_file_path).parent / self.config.pyodide)
        except ValidationError as error:
            raise PluginError(f"invalid instruments, templates or checklist:\n{error}") from None
        except RuntimeMissingError as error:
            raise PluginError(str(error)) from None
        # Catalogues and buttons link to each instrument's and template's page: each needs one.
        for folder, ids, source in (
            ("assessments", self.instruments, self.config.assessments),
            ("templates", self.templates, self.config.templates),
        ):
            missing = [i for i in ids if f"{folder}/{i}.md" not in pages]
            if missing:
                names = ", ".join(f"docs/{folder}/{i}.md" for i in missing)
                raise PluginError(f"{source}: no page places {', '.join(missing)}; write {names}")
        self.pages = {
            "assessments": url("assessments/index.md"),
            "my-results": url("assessments/my-results.md"),
            **{f"assessment:{i}": url(f"assessments/{i}.md") for i in self.instruments},
            **{f"template:{t}": url(f"templates/{t}.md") for t in self.templates},
        }
        try:
            published = publish.site_files(
                self.bundle,
                Path(self.config.site_src),
                self.instruments,
                self.templates,
                runtime,
                self.catalogue.ui,
                self.pages,
                self._cache(config),
                self.checklist,
            )
            published += app_manifest.app_files(
                Path(config.docs_dir) / config.theme["favicon"],
                self.catalogue,
                Path(config.config_file_path).parent / "node_modules",
                self._cache(config),
            )
        except app_manifest.AppIconError as error:
            raise PluginError(str(error)) from None
        for item in published:
            if item.source:
                files.append(File.generated(config, item.path, abs_src_path=str(item.source)))
            else:
                files.append(File.generated(config, item.path, content=item.content))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A page that is mostly a form ranks after the guidance it comes from: someone searching
        # «рефлексия» wants the explanation first, the tool second.
        form = FORM_BLOCK.search(markdown)
        if form:
            page.meta.setdefault("search", {}).setdefault("boost", FORM_PAGE_BOOST)
            # A result is what an instrument page is for: its engine starts in the <head>. A template
            # page needs the engine only for Word and its count, so it starts it after load (document.js).
            page.meta["kasibi_engine"] = "early" if form.group(1) == "instrument" else "after-load"
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A block Markdown did not recognise (`/// instrument |` without its id) is left as a paragraph.
        unread = UNREAD_BLOCK.search(html)
        if unread:
            raise PluginError(
                f"{page.file.src_uri}: block not understood: {unread.group(0).removeprefix('<p>')!r} "
                "(write `/// instrument | <id>` or `/// template | <id>`, then `///` on its own line)"
            )
        placed: set[tuple[str, str]] = set()

        # Blocks are drawn after Markdown so their HTML is never re-parsed as Markdown.
        def draw(match: re.Match) -> str:
            kind, block_id = match.group("kind", "id")
            if (kind, block_id) in placed and kind in ONCE_PER_PAGE:
                # Two copies of one form would share their element ids and their saved draft.
                raise PluginError(f"{page.file.src_uri}: {kind} {block_id!r} is placed twice; a page holds it once")
            placed.add((kind, block_id))
            if kind == "my-results":
                return render_results(self.catalogue)
            if kind == "school":
                return render_school(self.catalogue)
            if kind == "portfolio":
                src = self.bundle.path("attestation", "checklist.json")
                return render_portfolio(self.checklist, self.catalogue, src)
            if kind in ("instrument-list", "template-list"):
                # Cards are headings one level below the heading the list sits under (h1 → h2): never a skipped level.
                above = HEADING.findall(html, 0, match.start())
                level = min(int(above[-1]) + 1 if above else 2, 6)
                return render_catalogue(self._catalogue_entries(kind, page), self.catalogue, level)
            data = self.templates if kind == "template" else self.instruments
            if block_id not in data:
                known = ", ".join(sorted(data)) or "none"
                raise PluginError(f"{page.file.src_uri}: unknown {kind} {block_id!r} (known: {known})")
            if kind == "template":
                src = self.bundle.path("templates", block_id)
                blank = get_relative_url(f"{src}.docx", page.url)
                return render_template(data[block_id], self.catalogue, src, blank)
            return render_instrument(
                data[block_id], self.catalogue, self.bundle.path("instruments", f"{block_id}.json")
            )

        return PLACEHOLDER.sub(draw, html)

    def _catalogue_entries(self, kind: str, page: Page) -> list[dict]:
        ui = self.catalogue.ui

        def href(key: str) -> str:
            return get_relative_url(self.pages[key], page.url)

        if kind == "instrument-list":
            return [
                {
                    "title": i["title"],
                    "summary": i["summary"],
                    "href": href(f"assessment:{i['id']}"),
                    "facts": [
                        fact
                        for fact in (
                            ui["about.minutes_short"].replace("{minutes}", str(i["minutes"])) if i["minutes"] else "",
                            i["audience"],
                        )
                        if fact
                    ],
                    "featured": i["featured"],
                }
                # the flagship first, the rest in their usual order (sorted is stable)
                for i in sorted(self.instruments.values(), key=lambda i: not i["featured"])
            ]
        return [
            {
                "title": t["title"],
                "summary": t["summary"],
                "href": href(f"template:{t['id']}"),
                "facts": t["sources"][:1],
                "docx": get_relative_url(self.bundle.path("templates", f"{t['id']}.docx"), page.url),
            }
            for t in self.templates.values()
        ]

    # After the search plugin's own on_post_build (default priority 0), which writes the index.
    @event_priority(-50)
    def on_post_build(self, config: MkDocsConfig) -> None:
        # Vendor files and the search index are final only now: strip the CDN fallbacks, make the
        # index Kazakh and lazy, then list every file of this build for the service worker.
        site = Path(config.site_dir)
        try:
            make_offline(site)
            prepare_search(site)
            check_scripts(site, [Path(folder) for folder in config.theme.dirs])
        except (OfflinePatchError, UnknownScriptError) as error:
            raise PluginError(str(error)) from None
        digest = hashlib.sha256()
        for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name != publish.SERVICE_WORKER):
            digest.update(path.relative_to(site).as_posix().encode())
            digest.update(path.read_bytes())
        version = f"{self.bundle.label}-{digest.hexdigest()[:10]}"
        source = Path(self.config.site_src) / publish.SERVICE_WORKER
        (site / publish.SERVICE_WORKER).write_text(
            publish.service_worker(site, version, source, self.bundle), encoding="utf-8"
        )
        # Last, so every file (the service worker too) gets its .br/.gz sibling: hosts need not compress.
        compress_site(site, self._cache(config))

    def _cache(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).parent / self.config.compress_cache

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        # Authors edit instruments, templates and browser code while `mkdocs serve` runs.
        for folder in (self.config.assessments, self.config.templates, self.config.site_src):
            server.watch(folder)
        return server

    def on_shutdown(self) -> None:
        # The generated language partial lives in a temporary theme folder.
        if self._theme_dir:
            shutil.rmtree(self._theme_dir, ignore_errors=True)
