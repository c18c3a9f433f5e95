"""The site in several languages: the first at the site's root, every other one (an edition) under ``<lang>/``.

An edition is built on its own into a folder of its own, with its pages' addresses already under ``<lang>/``,
so every link from its pages to the shared files (the theme's, the bundle's) points at the site root. ``merge``
then moves it into the site: its pages, its language's data, its search index. Nothing here imports MkDocs.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path

from generator.build.offline import apply_patches
from generator.build.search_index import INDEX

# What an edition's build writes that the site has once, from the first language's build; its sitemap goes to its
# folder, where its pages' Material looks for it.
NOT_MERGED = ("404.html",)
MOVED = ("sitemap.xml", "sitemap.xml.gz")
CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)


# Material fetches a sitemap beside each hreflang link, made for links to a language's home, to find the same page
# there; ours lead to the same page already, and the fetch (of the page's folder's sitemap.xml, which no site has)
# only failed on every page. A bundle without this code fails the build: a Material upgrade is noticed.
SWITCH_PATCH = {"assets/javascripts/bundle.*.min.js": {'b(()=>M("link[rel=alternate]"))': "b(()=>[])"}}


class EditionError(Exception):
    """An edition cannot join the site; the message names the file."""


def edition_url(lang: str, url: str) -> str:
    """A page's URL in ``lang``'s edition."""
    return f"{lang}/{url}"


def alternates(page: str, editions: dict[str, dict[str, str]], names: dict[str, str]) -> list[dict[str, str]]:
    """The same page in each language, for the language switch and ``hreflang``: ``page`` is its source path
    (``concept/sel.md``), ``editions`` each language's pages (source path: URL) in the site's order, ``names`` each
    language's own name. A page one edition lacks links to that edition's home page."""
    return [
        {"name": names[lang], "lang": lang, "link": pages.get(page) or pages["index.md"]}
        for lang, pages in editions.items()
    ]


def search_base(html: str, lang: str, page_url: str) -> str:
    """An edition's page with Material's ``base`` (where its search finds ``search/search_index.json``) set to the
    edition's folder, so a Russian page searches the Russian index."""
    match = CONFIG_SCRIPT.search(html)
    if not match:
        raise EditionError(f"{page_url}: no __config script; has the theme changed?")
    config = json.loads(match.group(2))
    config["base"] = posixpath.relpath(lang, posixpath.dirname(page_url) or ".")
    replaced = json.dumps(config, ensure_ascii=False, separators=(",", ":"))
    return html[: match.start(2)] + replaced + html[match.end(2) :]


def merge(built: Path, site: Path, lang: str) -> None:
    """Move the edition built in ``built`` into ``site``: its pages and language data, its sitemap into its folder,
    and its search index as ``<lang>/search/search_index.json`` (locations relative to the edition's folder). A
    file both builds wrote (the theme's, the bundle's) must be the same file; a difference fails the build, never a
    silent overwrite."""
    index = built / INDEX
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        for doc in data["docs"]:
            doc["location"] = doc["location"].removeprefix(f"{lang}/")
        target = site / lang / INDEX
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        index.unlink()
    for name in MOVED:
        if (built / name).is_file():
            shutil.move(built / name, site / lang / name)
    for path in sorted(p for p in built.rglob("*") if p.is_file()):
        relative = path.relative_to(built)
        if relative.as_posix() in NOT_MERGED:
            continue
        target = site / relative
        if target.exists():
            if target.read_bytes() != path.read_bytes():
                raise EditionError(f"{relative.as_posix()}: the {lang} edition wrote another file than the site has")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)


def patch_language_switch(site: Path) -> list[str]:
    """Drop Material's sitemap fetch for the language switch (SWITCH_PATCH); return what changed."""
    return apply_patches(site, SWITCH_PATCH, "language switch's sitemap fetch dropped")
