"""The MkDocs adapter: calls the generator's build steps (``pipeline.py``) at MkDocs' hooks and turns their errors
into ``PluginError``. It holds no logic of its own: each hook says when and where in MkDocs a step runs."""

from __future__ import annotations

import shutil
import tempfile
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

from generator.build.pipeline import BuildError, SiteBuild, Sources, engine_start

FORM_PAGE_BOOST = 0.25


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
        self.build: SiteBuild | None = None
        self._theme_dir: str | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Material ships no Kazakh and the search plugin reads its language strings during its own on_config,
        # so the language partial must be in the theme before that.
        root = Path(config.config_file_path).parent
        sources = Sources(
            root=root,
            lang=config.theme["language"],
            favicon=Path(config.docs_dir) / config.theme["favicon"],
            assessments=Path(self.config.assessments),
            templates=Path(self.config.templates),
            attestation=Path(self.config.attestation),
            site_src=Path(self.config.site_src),
            pyodide=root / self.config.pyodide,
            cache=root / self.config.compress_cache,
            version=self.config.version,
        )
        try:
            self.build = SiteBuild(sources)
        except BuildError as error:
            raise PluginError(str(error)) from None
        self._theme_dir = tempfile.mkdtemp(prefix="kasibi-theme-")
        path, text = self.build.language_partial()
        Path(self._theme_dir, path).parent.mkdir(parents=True)
        Path(self._theme_dir, path).write_text(text, encoding="utf-8")
        config.theme.dirs.insert(0, self._theme_dir)
        # Our scripts and styles live in a folder named after their content: pages must name it.
        config.extra["kasibi"] = self.build.theme_extra()
        config.extra_css.extend(self.build.stylesheets())
        for path, kind in self.build.scripts():
            script = ExtraScriptValue(path)
            script.type = kind
            config.extra_javascript.append(script)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # The data is checked and compiled once the pages are known: instruments link to guidance pages.
        pages = {file.src_uri: file.url for file in files.documentation_pages()}
        try:
            published = self.build.prepare(pages)
        except BuildError as error:
            raise PluginError(str(error)) from None
        for item in published:
            source = {"abs_src_path": str(item.source)} if item.source else {"content": item.content}
            files.append(File.generated(config, item.path, **source))
        return files

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # A page that is mostly a form ranks after the guidance it comes from: someone searching «рефлексия» wants
        # the explanation first, the tool second. The theme starts the page's engine as the step says.
        start = engine_start(markdown)
        if start:
            page.meta.setdefault("search", {}).setdefault("boost", FORM_PAGE_BOOST)
            page.meta["kasibi_engine"] = start
        return markdown

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Blocks are drawn after Markdown, so their HTML is never re-parsed as Markdown.
        try:
            return self.build.draw(html, page.file.src_uri, page.url)
        except BuildError as error:
            raise PluginError(str(error)) from None

    # After the search plugin's own on_post_build (default priority 0), which writes the index.
    @event_priority(-50)
    def on_post_build(self, config: MkDocsConfig) -> None:
        try:
            self.build.finish(Path(config.site_dir), [Path(folder) for folder in config.theme.dirs])
        except BuildError as error:
            raise PluginError(str(error)) from None

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        # Authors edit instruments, templates, the checklist and browser code while `mkdocs serve` runs.
        for folder in (self.config.assessments, self.config.templates, self.config.attestation, self.config.site_src):
            server.watch(folder)
        return server

    def on_shutdown(self) -> None:
        # The generated language partial lives in a temporary theme folder.
        if self._theme_dir:
            shutil.rmtree(self._theme_dir, ignore_errors=True)
