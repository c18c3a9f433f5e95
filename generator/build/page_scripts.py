"""The scripts a built page may run: the theme's own, and the site's script files.

The Content-Security-Policy allows inline scripts by their hashes, so a script is allowed only if
the theme's templates hold it: each ``<script>`` written in a template is a pattern in which a
template expression (``{{ base_url }}``) may stand for a relative URL and nothing else. A page
with any other inline script (say, raw HTML in a Markdown page), or a script from another host,
fails the build: it is never given a hash.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

TEMPLATE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<text>.*?)</script>", re.S)
TEMPLATE_EXPRESSION = re.compile(r"\{\{.*?\}\}")
URL_VALUE = r"[\w./%~-]*"  # what a template expression may print inside a theme script: a relative URL
DATA_TYPES = ("application/json", "application/ld+json")


class UnknownScriptError(ValueError):
    """A page holds a script the theme does not emit."""


class _Scripts(HTMLParser):
    """Collects every ``<script>``: its attributes and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def page_scripts(html: str) -> list[tuple[dict[str, str | None], str]]:
    parser = _Scripts()
    parser.feed(html)
    parser.close()
    return parser.scripts


def theme_scripts(theme_dirs: list[Path]) -> list[re.Pattern]:
    """A pattern for each inline script written in the theme's templates."""
    patterns = set()
    for folder in theme_dirs:
        for template in sorted(folder.rglob("*.html")):
            for script in TEMPLATE_SCRIPT.finditer(template.read_text(encoding="utf-8")):
                attrs = script["attrs"]
                if "src=" in attrs or any(kind in attrs for kind in DATA_TYPES):
                    continue
                parts = TEMPLATE_EXPRESSION.split(script["text"])
                patterns.add(URL_VALUE.join(re.escape(part) for part in parts))
    return [re.compile(pattern) for pattern in sorted(patterns)]


def _executes(attrs: dict[str, str | None]) -> bool:
    return (attrs.get("type") or "").lower() not in DATA_TYPES


def _is_own(src: str) -> bool:
    return not re.match(r"^([a-z][a-z0-9+.-]*:|//)", src.strip(), re.I)


def check_scripts(site: Path, theme_dirs: list[Path]) -> list[str]:
    """The text of every inline script in ``site``'s pages; raise UnknownScriptError naming the page
    of any script the theme (``theme_dirs``) does not emit, or one loaded from another host."""
    known = theme_scripts(theme_dirs)
    found = set()
    for page in sorted(site.rglob("*.html")):
        for attrs, text in page_scripts(page.read_text(encoding="utf-8")):
            where = page.relative_to(site).as_posix()
            if attrs.get("src") is not None:
                if not _is_own(attrs["src"] or ""):
                    raise UnknownScriptError(
                        f"{where}: a script from another host ({attrs['src']}): ship it in site_src/js/"
                    )
                continue
            if not _executes(attrs):
                continue
            if not any(pattern.fullmatch(text) for pattern in known):
                raise UnknownScriptError(
                    f"{where}: an inline <script> the theme does not emit ({text.strip()[:60]!r}…): "
                    "pages cannot hold scripts; write it as a file in site_src/js/"
                )
            found.add(text)
    return sorted(found)


def script_hashes(scripts: list[str]) -> list[str]:
    """CSP source expressions allowing exactly these inline scripts."""
    return sorted(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in scripts
    )
