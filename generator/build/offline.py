"""Make the built site name no outside host, so it can never call out from a school intranet.

Two vendor files carry CDN fallbacks that a school's offline copy must not have:
- Material's bundle loads a ResizeObserver polyfill from unpkg.com in browsers that lack
  ResizeObserver, and Mermaid from unpkg.com on pages with Mermaid diagrams (we draw SVGs);
- Pyodide's loader defaults its package URL to cdn.jsdelivr.net (we always pass our own).
Each URL is replaced by an inert value; a replacement that finds nothing fails the build, so a
vendor upgrade that moves these strings is noticed, not silently shipped. Source maps are
dropped: they are for debugging the vendor code and repeat the same URLs.
"""

from __future__ import annotations

import re
from pathlib import Path

INERT_SCRIPT = "data:text/javascript,"
PATCHES: dict[str, dict[str, str]] = {
    "assets/javascripts/bundle.*.min.js": {
        "https://unpkg.com/resize-observer-polyfill": INERT_SCRIPT,
        "https://unpkg.com/mermaid@11/dist/mermaid.min.js": INERT_SCRIPT,
    },
    "assets/pyodide-*/pyodide.mjs": {
        "`https://cdn.jsdelivr.net/pyodide/v${U}/full/`": "e.indexURL",
    },
}
SOURCE_MAP_COMMENT = re.compile(r"\n?/[/*]# sourceMappingURL=\S+?\.map(?: \*/)?\s*$")


class OfflinePatchError(RuntimeError):
    """A vendor file no longer holds the string it is expected to hold."""


def apply_patches(site: Path, patches: dict[str, dict[str, str]], what: str) -> list[str]:
    """Replace strings in the built files the glob patterns name; a pattern or a string not found is an error."""
    changed = []
    for pattern, replacements in patches.items():
        files = sorted(site.glob(pattern))
        if not files:
            raise OfflinePatchError(f"{pattern}: not found in the built site")
        for path in files:
            text = path.read_text(encoding="utf-8")
            for old, new in replacements.items():
                if old not in text:
                    raise OfflinePatchError(f"{path.relative_to(site)}: expected {old!r}; has the vendor file changed?")
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
            changed.append(f"{path.relative_to(site)}: {len(replacements)} {what}")
    return changed


def make_offline(site: Path) -> list[str]:
    """Patch ``site`` in place; return what was changed, for the build log."""
    changed = apply_patches(site, PATCHES, "outside URL(s) made inert")
    for path in sorted(site.rglob("*.map")):
        path.unlink()
        changed.append(f"{path.relative_to(site)}: removed")
    for path in sorted(site.rglob("*")):
        if path.suffix in (".js", ".mjs", ".css"):
            text = path.read_text(encoding="utf-8")
            if SOURCE_MAP_COMMENT.search(text):
                path.write_text(SOURCE_MAP_COMMENT.sub("", text), encoding="utf-8")
    return changed
