"""The interface catalogues: one YAML file per language in site_src/i18n/.

Each holds ``theme`` (Material's strings, keyed as in Material's en.html) and
``ui`` (our widgets). Material reads its strings from a Jinja partial, so the
build renders the ``theme`` section into one; the ``ui`` section goes to the browser code in the
generated ``build.js`` and is used by the server-side form renderer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from generator.formats.numerals import with_case
from generator.formats.yamlfile import YamlError, load

PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")


class CatalogueError(ValueError):
    """A catalogue file is missing, unreadable or lacks a section."""


@dataclass(frozen=True)
class Catalogue:
    lang: str
    theme: dict[str, str]
    ui: dict[str, str]

    def material_partial(self) -> str:
        """Material's ``partials/languages/<lang>.html``: a macro looking keys up in a dict."""
        table = json.dumps(self.theme, ensure_ascii=False, indent=2)
        return "{% macro t(key) %}{{ " + table + "[key] }}{% endmacro %}\n"


def fill(text: str, **values: object) -> str:
    """Put values into ``{name}`` placeholders; ``{name:dat}`` writes a number with its case ending («10-ға»)."""

    def value(match: re.Match) -> str:
        name, case = match.groups()
        if name not in values:
            return match.group(0)
        return with_case(values[name], case) if case else str(values[name])

    return PLACEHOLDER.sub(value, text)


def load_catalogue(folder: Path, lang: str) -> Catalogue:
    sections = _load_sections(folder, lang, ("theme", "ui"))
    return Catalogue(lang, sections["theme"], sections["ui"])


def load_ui(folder: Path, lang: str) -> dict[str, str]:
    """Only the ``ui`` section: a language the site speaks on one page beside its own (ru.yml)."""
    return _load_sections(folder, lang, ("ui",))["ui"]


def _load_sections(folder: Path, lang: str, names: tuple[str, ...]) -> dict[str, dict[str, str]]:
    path = folder / f"{lang}.yml"
    if not path.is_file():
        raise CatalogueError(f"{path}: no interface catalogue for language {lang!r}")
    try:
        data = load(path)
    except YamlError as error:
        raise CatalogueError(f"{path}: {error}") from None
    sections = {}
    for name in names:
        section = data.get(name) if isinstance(data, dict) else None
        if not isinstance(section, dict) or not all(isinstance(v, str) for v in section.values()):
            raise CatalogueError(f"{path}: {name}: expected a mapping of key → text")
        sections[name] = dict(section)
    return sections
