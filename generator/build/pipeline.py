"""The site build as the generator's own steps, which no site engine owns.

An engine that renders the Markdown pages (MkDocs through ``plugin.py``, or another) drives them so:

1. ``SiteBuild(sources)``: the interface strings and the bundle (what pages link: styles, scripts, the theme's
   language partial).
2. ``prepare(pages)``, once it knows the pages (their source paths and URLs): instruments, templates and the
   attestation checklist checked and compiled, and every file the generator adds to the site.
3. ``draw(html, page_path, page_url)`` on each rendered page: the blocks' placeholders become forms and lists.
4. ``finish(site_dir, theme_dirs)`` on the finished site folder: vendor files made offline, the search index,
   scripts checked against the CSP, the service worker, compression.

Every failure is a ``BuildError`` whose message names the file. Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from generator import browser
from generator.blocks.placeholder import PLACEHOLDER
from generator.build import app_manifest, publish
from generator.build.bundle import Bundle, Edition, ReleaseError
from generator.build.editions import alternates, patch_language_switch
from generator.build.offline import OfflinePatchError, make_offline
from generator.build.page_scripts import UnknownScriptError, check_scripts
from generator.build.render import (
    render_catalogue,
    render_instrument,
    render_portfolio,
    render_results,
    render_school,
    render_template,
)
from generator.build.search_index import prepare_search
from generator.formats.checker import ValidationError
from generator.formats.checklist import load_checklist
from generator.formats.i18n import CatalogueError, load_catalogue
from generator.formats.instrument import load_folder
from generator.formats.template import load_templates
from generator.ship import stdlib
from generator.ship.compress import compress_site
from generator.ship.runtime import RuntimeMissingError, runtime_files

FORM_BLOCK = re.compile(r"^/// (instrument|template) \|", re.MULTILINE)
UNREAD_BLOCK = re.compile(r"^<p>///[ \t]*[a-z][^\n<]*", re.MULTILINE)
HEADING = re.compile(r"<h([1-6])[\s>]")
ONCE_PER_PAGE = ("instrument", "template", "my-results", "school", "portfolio")


class BuildError(Exception):
    """A build step cannot go on; the message names the file to fix."""


@dataclass(frozen=True)
class Sources:
    """Where the project's inputs are (plain paths) and what to build."""

    root: Path  # the project folder: node_modules/ and pyproject.toml
    lang: str
    favicon: Path
    assessments: Path
    templates: Path
    attestation: Path
    site_src: Path
    pyodide: Path
    cache: Path  # big files' .br/.gz, the snapshot and the icons, kept by digest between builds
    version: str | None = None  # the release; None: $KASIBI_VERSION, else pyproject.toml's

    @classmethod
    def of_project(cls, root: Path, lang: str = "kk") -> Sources:
        """The project's usual layout (as mkdocs.yml sets it)."""
        return cls(
            root=root,
            lang=lang,
            favicon=root / "docs/assets/favicon.svg",
            assessments=root / "assessments",
            templates=root / "templates",
            attestation=root / "attestation",
            site_src=root / "site_src",
            pyodide=root / "node_modules/pyodide",
            cache=root / ".cache/precompressed",
        )

    def release(self) -> str:
        if self.version or os.environ.get("KASIBI_VERSION"):
            return self.version or os.environ["KASIBI_VERSION"]
        pyproject = self.root / "pyproject.toml"
        try:
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        except (OSError, tomllib.TOMLDecodeError, KeyError) as error:
            raise BuildError(f"{pyproject}: no [project] version to name the release ({error!r})") from None


def relative_url(target: str, page_url: str) -> str:
    """``target`` (a site path) as a link from the page at ``page_url``."""
    folder = posixpath.dirname(page_url)
    return posixpath.relpath("/" + target, "/" + folder) + ("/" if target.endswith("/") else "")


def page_urls(docs: Path) -> dict[str, str]:
    """Each Markdown page under ``docs`` and its URL, as pages ending in .html (mkdocs.yml: use_directory_urls)."""
    return {
        p.relative_to(docs).as_posix(): p.relative_to(docs).with_suffix(".html").as_posix() for p in docs.rglob("*.md")
    }


def engine_start(markdown: str) -> str | None:
    """When a page's engine starts: with the page for an instrument (a result is what it is for), after load for a
    template (only Word and the count need it), never for a page without a form."""
    form = FORM_BLOCK.search(markdown)
    if not form:
        return None
    return "early" if form.group(1) == "instrument" else "after-load"


class SiteBuild:
    """One language's build. The site's first language (``parent`` None) publishes the shared files and finishes
    the site; another language's edition (``parent``: the first's build) shares its bundle and adds its pages and
    its language's data."""

    def __init__(self, sources: Sources, parent: SiteBuild | None = None) -> None:
        self.sources = sources
        self.parent = parent
        try:
            self.catalogue = load_catalogue(sources.site_src / "i18n", sources.lang)
            self.bundle = parent.bundle if parent else Bundle.of(sources.release(), self._inputs())
        except (CatalogueError, ReleaseError) as error:
            raise BuildError(str(error)) from None
        self.instruments: dict[str, dict] = {}
        self.templates: dict[str, dict] = {}
        self.checklist: dict = {}
        self.pages: dict[str, str] = {}
        self.editions: dict[str, dict[str, str]] = {}  # every language's pages (source path: URL), this site's first
        self.names: dict[str, str] = {}  # every language's name in itself, for the language switch

    def _inputs(self) -> list[Path]:
        folders = (self.sources.site_src, self.sources.assessments, self.sources.templates)
        inputs = [p for folder in folders for p in Path(folder).rglob("*") if p.is_file()]
        return inputs + browser.module_files() + [stdlib.MODULE_LIST]  # the trimmed stdlib is in the bundle

    def theme_extra(self) -> dict:
        """What the theme's templates read (``config.extra.kasibi`` in MkDocs)."""
        return {
            "version": self.bundle.label,
            "bundle": self.bundle.root,
            "ui": self.catalogue.ui,  # the theme's own pages (404, notices) speak the catalogue's language
            "app": app_manifest.page_links(),  # every page names the manifest, its iOS icon and theme colours
        }

    def language_partial(self) -> tuple[str, str]:
        """Material ships no Kazakh: its language partial (path in a theme folder, text)."""
        return f"partials/languages/{self.catalogue.lang}.html", self.catalogue.material_partial()

    def stylesheets(self) -> list[str]:
        return [self.bundle.path("css", p.name) for p in sorted((self.sources.site_src / "css").glob("*.css"))]

    def scripts(self) -> list[tuple[str, str]]:
        """Each script every page loads, with its type ("module" or "")."""
        return [
            (self.bundle.path("js", name), "module" if name in publish.MODULE_SCRIPTS else "")
            for name in (*publish.MODULE_SCRIPTS, *publish.CLASSIC_SCRIPTS)
        ]

    @property
    def lang(self) -> str:
        return self.catalogue.lang

    def prepare(
        self, pages: dict[str, str], editions: dict[str, dict[str, str]] | None = None
    ) -> list[publish.SiteFile]:
        """Check and compile the data, then list the files to add. ``pages``: each Markdown page's source path
        (``assessments/index.md``) and its URL; instruments link to guidance pages, so a link to a missing page
        fails here. ``editions``: the other languages' pages, the same way (the browser code links to them)."""
        sources = self.sources

        def link(target: str) -> str:
            path, _, anchor = target.partition("#")
            return pages[path] + (f"#{anchor}" if anchor else "")

        try:
            self.instruments = load_folder(sources.assessments, sources.lang, link, set(pages))
            self.templates = load_templates(sources.templates, self.catalogue.ui, sources.lang)
            self.checklist = load_checklist(
                sources.attestation / "checklist.yml", self.instruments, self.templates, sources.lang
            )
            runtime = runtime_files(sources.pyodide) if self.parent is None else []
        except ValidationError as error:
            raise BuildError(f"invalid instruments, templates or checklist:\n{error}") from None
        except RuntimeMissingError as error:
            raise BuildError(str(error)) from None
        # Catalogues and buttons link to each instrument's and template's page: each needs one.
        for folder, ids, source in (
            ("assessments", self.instruments, sources.assessments),
            ("templates", self.templates, sources.templates),
        ):
            missing = [i for i in ids if f"{folder}/{i}.md" not in pages]
            if missing:
                names = ", ".join(f"docs/{folder}/{i}.md" for i in missing)
                raise BuildError(f"{source}: no page places {', '.join(missing)}; write {names}")
        self.pages = self._page_keys(pages)
        data = publish.data_files(self.bundle, self.lang, self.instruments, self.templates, self.checklist)
        if self.parent is not None:
            self.editions, self.names = self.parent.editions, self.parent.names
            return data  # the first language's build publishes what every language shares
        self.editions = {self.lang: pages, **(editions or {})}
        try:
            strings = {self.lang: Edition(self.catalogue.ui, self.pages)}
            for lang, their_pages in (editions or {}).items():
                strings[lang] = Edition(
                    load_catalogue(sources.site_src / "i18n", lang).ui, self._page_keys(their_pages)
                )
            self.names = {lang: edition.ui["language.name"] for lang, edition in strings.items()}
            shared = publish.site_files(self.bundle, sources.site_src, runtime, strings, sources.cache)
            return (
                data
                + shared
                + app_manifest.app_files(sources.favicon, self.catalogue, sources.root / "node_modules", sources.cache)
            )
        except CatalogueError as error:
            raise BuildError(str(error)) from None
        except app_manifest.AppIconError as error:
            raise BuildError(str(error)) from None

    def alternates(self, page: str) -> list[dict[str, str]]:
        """The page at source path ``page`` in every language (Material's ``extra.alternate``)."""
        return alternates(page, self.editions, self.names) if len(self.editions) > 1 else []

    def _page_keys(self, pages: dict[str, str]) -> dict[str, str]:
        """The pages the browser code links to, by key, among ``pages`` (source path: URL)."""
        keyed = {
            "assessments": "assessments/index.md",
            "my-results": "assessments/my-results.md",
            **{f"assessment:{i}": f"assessments/{i}.md" for i in self.instruments},
            **{f"template:{t}": f"templates/{t}.md" for t in self.templates},
        }
        return {key: pages[path] for key, path in keyed.items() if path in pages}

    def draw(self, html: str, page_path: str, page_url: str) -> str:
        """A rendered page with its blocks drawn (after Markdown, so their HTML is never re-parsed as Markdown)."""
        # A block Markdown did not recognise (`/// instrument |` without its id) is left as a paragraph.
        unread = UNREAD_BLOCK.search(html)
        if unread:
            raise BuildError(
                f"{page_path}: block not understood: {unread.group(0).removeprefix('<p>')!r} "
                "(write `/// instrument | <id>` or `/// template | <id>`, then `///` on its own line)"
            )
        placed: set[tuple[str, str]] = set()

        def block(match: re.Match) -> str:
            kind, block_id = match.group("kind", "id")
            if (kind, block_id) in placed and kind in ONCE_PER_PAGE:
                # Two copies of one form would share their element ids and their saved draft.
                raise BuildError(f"{page_path}: {kind} {block_id!r} is placed twice; a page holds it once")
            placed.add((kind, block_id))
            # Cards are headings one level below the heading the list sits under (h1 → h2): never a skipped level.
            above = HEADING.findall(html, 0, match.start())
            return self._block(kind, block_id, page_path, page_url, min(int(above[-1]) + 1 if above else 2, 6))

        return PLACEHOLDER.sub(block, html)

    def _block(self, kind: str, block_id: str, page_path: str, page_url: str, level: int) -> str:
        if kind == "my-results":
            return render_results(self.catalogue)
        if kind == "school":
            return render_school(self.catalogue)
        if kind == "portfolio":
            checklist = self.bundle.data(self.lang, "attestation", "checklist.json")
            return render_portfolio(self.checklist, self.catalogue, checklist)
        if kind in ("instrument-list", "template-list"):
            return render_catalogue(self._catalogue_entries(kind, page_url), self.catalogue, level)
        data = self.templates if kind == "template" else self.instruments
        if block_id not in data:
            known = ", ".join(sorted(data)) or "none"
            raise BuildError(f"{page_path}: unknown {kind} {block_id!r} (known: {known})")
        if kind == "template":
            src = self.bundle.data(self.lang, "templates", block_id)
            return render_template(data[block_id], self.catalogue, src, relative_url(f"{src}.docx", page_url))
        src = self.bundle.data(self.lang, "instruments", f"{block_id}.json")
        return render_instrument(data[block_id], self.catalogue, src)

    def _catalogue_entries(self, kind: str, page_url: str) -> list[dict]:
        ui = self.catalogue.ui

        def href(key: str) -> str:
            return relative_url(self.pages[key], page_url)

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
                "docx": relative_url(self.bundle.data(self.lang, "templates", f"{t['id']}.docx"), page_url),
            }
            for t in self.templates.values()
        ]

    def finish(self, site: Path, theme_dirs: list[Path]) -> None:
        """On the finished ``site`` folder (the engine's search index written): strip the CDN fallbacks, make the
        index Kazakh and lazy, check every inline script against the theme's, write the service worker with every
        file of this build, then compress every file (the service worker too): hosts need not compress."""
        try:
            make_offline(site)
            patch_language_switch(site)
            prepare_search(site)
            check_scripts(site, theme_dirs)
        except (OfflinePatchError, UnknownScriptError) as error:
            raise BuildError(str(error)) from None
        digest = hashlib.sha256()
        for path in sorted(p for p in site.rglob("*") if p.is_file() and p.name != publish.SERVICE_WORKER):
            digest.update(path.relative_to(site).as_posix().encode())
            digest.update(path.read_bytes())
        version = f"{self.bundle.label}-{digest.hexdigest()[:10]}"
        source = self.sources.site_src / publish.SERVICE_WORKER
        (site / publish.SERVICE_WORKER).write_text(
            publish.service_worker(site, version, source, self.bundle), encoding="utf-8"
        )
        compress_site(site, self.sources.cache)
