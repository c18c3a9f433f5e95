"""Validation shared by every data format (instruments, templates): problems with file, line and field.

A ``Checker`` walks one file's parsed YAML and collects every problem before the build fails, so an author
fixes a file in one pass. Lines come from ``yamlfile.Mapping``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .yamlfile import Mapping, YamlError, load

LANGUAGES = ("kk", "ru", "en")
IDENT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TEXT_LIMIT = 4000


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path}: {self.message}"


class ValidationError(Exception):
    """One or more data files are invalid; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class Checker:
    """Walks one file's data, collecting problems with their field path and line."""

    def __init__(self, file: str, pages: set[str] | None = None):
        self.file = file
        self.pages = pages
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str, where: Any = None, key: str | None = None) -> None:
        line = 1
        if isinstance(where, Mapping):
            line = where.key_lines.get(key, where.line) if key else where.line
        problem = Problem(self.file, line, path or "(file)", message)
        if problem not in self.problems:  # a shared band set is checked once per scale using it
            self.problems.append(problem)

    def mapping(self, node: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> bool:
        """Check ``node`` is a mapping with all ``required`` keys and no unknown key."""
        if not isinstance(node, dict):
            self.fail(path, f"expected a mapping, found {kind_of(node)}", node)
            return False
        for key in node:
            if key not in required and key not in optional:
                allowed = ", ".join(required + optional)
                self.fail(join(path, key), f"unknown key (allowed: {allowed})", node, key)
        for key in required:
            if key not in node:
                self.fail(join(path, key), "missing", node)
        return True

    def ident(self, node: dict, key: str, path: str) -> str | None:
        value = node.get(key)
        if not isinstance(value, str) or not IDENT.match(value):
            self.fail(join(path, key), "expected an id of lowercase Latin letters, digits and hyphens", node, key)
            return None
        return value

    def text(self, node: dict, key: str, path: str, required: bool = True) -> None:
        """A text is a string (Kazakh) or a mapping of languages that includes ``kk``."""
        if key not in node:
            if required:
                self.fail(join(path, key), "missing Kazakh text", node)
            return
        self.text_value(node[key], join(path, key), node, key)

    def text_value(self, value: Any, field: str, where: Any, key: str | None = None) -> None:
        """Check one text value; ``where`` and ``key`` locate it for the line number."""
        if isinstance(value, dict):
            for lang in value:
                if lang not in LANGUAGES:
                    self.fail(f"{field}.{lang}", f"unknown language (allowed: {', '.join(LANGUAGES)})", value, lang)
            value = value.get("kk")
        if not isinstance(value, str) or not value.strip():
            self.fail(field, "missing Kazakh text (a colon in unquoted text makes YAML read a mapping)", where, key)
        elif len(value) > TEXT_LIMIT:
            self.fail(field, f"text longer than {TEXT_LIMIT} characters", where, key)

    def choice(self, node: dict, key: str, path: str, allowed: tuple[str, ...]) -> None:
        if node.get(key) not in allowed:
            self.fail(join(path, key), f"expected one of: {', '.join(allowed)}", node, key)

    def number(self, node: dict, key: str, path: str) -> bool:
        if not is_number(node.get(key)):
            self.fail(join(path, key), "expected a number", node, key)
            return False
        return True

    def listing(self, node: dict, key: str, path: str, minimum: int = 1) -> list:
        value = node.get(key)
        if not isinstance(value, list) or len(value) < minimum:
            self.fail(join(path, key), f"expected a list of at least {minimum}", node, key)
            return []
        return value

    def unique(self, seen: dict[str, str], value: str | None, path: str, what: str, node: dict, key: str) -> None:
        if value is None:
            return
        if value in seen:
            self.fail(path, f"duplicate {what} {value!r} (first at {seen[value]})", node, key)
        else:
            seen[value] = path


def join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def kind_of(node: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", type(None): "nothing"}.get(type(node), type(node).__name__)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def text_resolver(lang: str) -> tuple[Callable[[Any], str], Callable[[dict, str], str]]:
    """``text(value)`` picks ``lang`` from a text (falling back to Kazakh); ``opt_text(node, key)`` allows absence."""

    def text(value: Any) -> str:
        return (value.get(lang) or value["kk"]) if isinstance(value, dict) else value

    def opt_text(node: dict, key: str) -> str:
        return text(node[key]) if key in node else ""

    return text, opt_text


def display_name(path: Path) -> str:
    """The path as the author knows it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def load_checked(path: Path, validate: Callable[[Any, str], list[Problem]]) -> Any:
    """Parse one YAML file and validate it; raise ValidationError (never a traceback) on any problem."""
    name = display_name(path)
    try:
        data = load(path)
    except YamlError as error:
        raise ValidationError([Problem(name, error.line, "(file)", f"not valid YAML: {error.message}")]) from None
    problems = validate(data, name)
    if problems:
        raise ValidationError(problems)
    return data


def load_each(paths: list[Path], load_one: Callable[[Path], dict]) -> dict[str, dict]:
    """``load_one`` for every file, by file stem; all files' problems are reported together."""
    loaded: dict[str, dict] = {}
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded[path.stem] = load_one(path)
        except ValidationError as error:
            problems.extend(error.problems)
    if problems:
        raise ValidationError(problems)
    return loaded
