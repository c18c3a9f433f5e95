"""The search for each language's readers: a UTF-8 plain-text index, loaded when the reader first uses search.

Material writes ``search/search_index.json`` with ``\\uXXXX`` escapes (six bytes for each Cyrillic
letter) and the page HTML of every section. The search needs neither: it tokenises the text and
shows it as a teaser. English stemming, stop words and lunr's trimmer (which strips every
non-ASCII letter, i.e. all of Kazakh, from the ends of words) are switched off.

Material also fetches the whole index on every page view, competing with the page's first paint
on a slow link; its bundle is patched to fetch it when the search box first gets the focus (by a
click, a tap on the search icon, or the keyboard shortcut).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.build.offline import OfflinePatchError, apply_patches

INDEX = "search/search_index.json"
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
# `zi` is the bundle's index stream: subscribed at start-up, it fetched the index at once. The
# stream that replaces it subscribes to the fetch (`ks()`) on the search form's first focus.
LAZY_INDEX = {
    "assets/javascripts/bundle.*.min.js": {
        'zi=document.forms.namedItem("search")?ks():tt': (
            'zi=document.forms.namedItem("search")?new F(r=>{let f=document.forms.namedItem("search"),s,'
            'o=()=>{s=ks().subscribe(r)};return f.addEventListener("focusin",o,{once:!0}),'
            '()=>{f.removeEventListener("focusin",o),s?.unsubscribe()}}).pipe(Z(1)):tt'
        )
    }
}
KEPT_FIELDS = ("location", "title", "text", "boost")  # what Material's search worker reads of a section


def plain(markup: str) -> str:
    """A section's HTML as the words the reader sees."""
    return SPACE.sub(" ", TAG.sub(" ", markup)).strip()  # entities stay: Material shows the teaser as HTML


def compact(index: dict) -> dict:
    # No English stemmer, stop words or ASCII-only trimmer: lunr has no Kazakh, and for Russian (lang ru) Material's
    # worker adds lunr's own Russian trimmer, stop words and stemmer.
    config = {**index["config"], "pipeline": []}
    config["fields"] = {name: field for name, field in config["fields"].items() if name in ("title", "text")}
    docs = [
        {key: plain(value) if key in ("title", "text") else value for key, value in doc.items() if key in KEPT_FIELDS}
        for doc in index["docs"]
    ]
    return {"config": config, "docs": docs}


def prepare_search(site: Path) -> list[str]:
    """Rewrite the built site's indexes (the site's, and each edition's under ``<lang>/``) and make the bundle load
    the index on first use; return what changed."""
    changed = apply_patches(site, LAZY_INDEX, "search index fetched on first use")
    for path in [site / INDEX, *sorted(site.glob(f"*/{INDEX}"))]:
        if not path.is_file():
            continue
        name = path.relative_to(site).as_posix()
        try:
            index = compact(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError) as error:  # not what Material's search writes
            message = f"{name}: not the search plugin's index ({error!r}); has the theme changed?"
            raise OfflinePatchError(message) from None
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        changed.append(f"{name}: {path.stat().st_size} bytes of UTF-8 plain text")
    return changed
