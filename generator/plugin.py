"""The MkDocs adapter: calls the generator's build steps (``pipeline.py``) at MkDocs' hooks and turns their errors
into ``PluginError``. It holds no logic of its own: each hook says when and where in MkDocs a step runs."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as build_site
from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.yaml import yaml_load

from generator.build.editions import EditionError, edition_url, merge, search_base
from generator.build.pipeline import BuildError, SiteBuild, Sources, engine_start, page_urls

FORM_PAGE_BOOST = 0.25


@dataclass(frozen=True)
class EditionSource:
    """Another language's edition as its config file says: its language and its pages' folder."""

    path: Path
    lang: str
    docs_dir: Path

    @classmethod
    def read(cls, path: Path) -> EditionSource:
        try:
            with path.open("rb") as file:
                data = yaml_load(file)  # MkDocs' own reading: INHERIT and !ENV as a build reads them
            return cls(path, data["theme"]["language"], path.parent / data["docs_dir"])
        except (OSError, KeyError, TypeError) as error:
            raise PluginError(f"{path}: not an edition's config (theme.language and docs_dir): {error!r}") from None


class KasibiConfig(base.Config):
    assessments = c.Dir(exists=True, default="assessments")
    templates = c.Dir(exists=True, default="templates")
    attestation = c.Dir(exists=True, default="attestation")  # checklist.yml: what each category's pack holds
    site_src = c.Dir(exists=True, default="site_src")
    pyodide = c.Type(str, default="node_modules/pyodide")
    version = c.Optional(c.Type(str))  # the release; default: pyproject.toml's, or $KASIBI_VERSION
    compress_cache = c.Type(str, default=".cache/precompressed")  # big files' .br/.gz and the snapshot, by digest
    editions = c.ListOfItems(c.File(exists=True), default=[])  # the site in other languages: their mkdocs configs


class KasibiPlugin(BasePlugin[KasibiConfig]):
    # No on_startup or on_shutdown: MkDocs would then keep one instance for every config it loads, and an edition's
    # config (loaded during this build) would take this build's instance.
    def __init__(self) -> None:
        self.build: SiteBuild | None = None
        self.parent: SiteBuild | None = None  # set when this plugin builds another language's edition
        self._editions: list[EditionSource] = []
        self._theme_dir: tempfile.TemporaryDirectory | None = None  # removed with the plugin or the next build's

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
        if self.config.editions and self.parent:
            raise PluginError(f"{config.config_file_path}: an edition cannot have editions of its own")
        try:
            self.build = SiteBuild(sources, self.parent)
        except BuildError as error:
            raise PluginError(str(error)) from None
        # Each edition's language and pages are read now; the edition is built after this site (on_post_build).
        # Its config is loaded only then: MkDocs keeps one instance of a plugin with on_startup (the search) for
        # every config it loads, and loading the edition's now would hand this site's search the edition's config.
        self._editions = [EditionSource.read(Path(path)) for path in self.config.editions]
        self._theme_dir = tempfile.TemporaryDirectory(prefix="kasibi-theme-")
        path, text = self.build.language_partial()
        Path(self._theme_dir.name, path).parent.mkdir(parents=True)
        Path(self._theme_dir.name, path).write_text(text, encoding="utf-8")
        config.theme.dirs.insert(0, self._theme_dir.name)
        # Our scripts and styles live in a folder named after their content: pages must name it.
        config.extra["kasibi"] = self.build.theme_extra()
        config.extra_css.extend(self.build.stylesheets())
        for path, kind in self.build.scripts():
            script = ExtraScriptValue(path)
            script.type = kind
            config.extra_javascript.append(script)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # An edition's pages and figures are addressed under <lang>/ from the start, so their links to the shared
        # theme and bundle files lead to the site root. The data is checked and compiled once the pages are
        # known: instruments link to guidance pages.
        if self.parent:
            for file in files:
                if file.src_dir == config.docs_dir and file.generated_by is None:
                    dest, url = file.dest_uri, file.url
                    file.dest_uri, file.url = edition_url(self.build.lang, dest), edition_url(self.build.lang, url)
                    file.__dict__.pop("abs_dest_path", None)
        pages = {file.src_uri: file.url for file in files.documentation_pages()}
        editions = {
            edition.lang: {src: edition_url(edition.lang, url) for src, url in page_urls(edition.docs_dir).items()}
            for edition in self._editions
        }
        try:
            published = self.build.prepare(pages, editions)
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

    def on_page_context(self, context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
        # The language switch and the hreflang links lead to this page in each language (Material reads them from
        # extra.alternate, which is set for each page as it is rendered).
        config.extra["alternate"] = self.build.alternates(page.file.src_uri)
        return context

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        # An edition's search reads the edition's own index (<lang>/search/).
        if not self.parent:
            return output
        try:
            return search_base(output, self.build.lang, page.url)
        except EditionError as error:
            raise PluginError(str(error)) from None

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Blocks are drawn after Markdown, so their HTML is never re-parsed as Markdown.
        try:
            return self.build.draw(html, page.file.src_uri, page.url)
        except BuildError as error:
            raise PluginError(str(error)) from None

    # After the search plugin's own on_post_build (default priority 0), which writes the index.
    # An edition's site is finished by the first language's build, once the edition is merged into it.
    @event_priority(-50)
    def on_post_build(self, config: MkDocsConfig) -> None:
        if self.parent:
            return
        try:
            for source in self._editions:
                with tempfile.TemporaryDirectory(prefix="kasibi-edition-") as folder:
                    edition = load_config(config_file=str(source.path), site_dir=folder, strict=config.strict)
                    if "kasibi" not in edition.plugins:
                        raise PluginError(f"{source.path}: an edition needs the kasibi plugin")
                    edition.plugins["kasibi"].parent = self.build
                    build_site(edition)
                    merge(Path(folder), Path(config.site_dir), source.lang)
            self.build.finish(Path(config.site_dir), [Path(folder) for folder in config.theme.dirs])
        except (BuildError, EditionError) as error:
            raise PluginError(str(error)) from None

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder) -> LiveReloadServer:
        # Authors edit instruments, templates, the checklist and browser code while `mkdocs serve` runs.
        for folder in (self.config.assessments, self.config.templates, self.config.attestation, self.config.site_src):
            server.watch(folder)
        for edition in self._editions:
            server.watch(str(edition.docs_dir))
            server.watch(str(edition.path))
        return server
