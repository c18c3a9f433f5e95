"""Validation shared by every data format (instruments, templates): problems with file, line and field.

Each format is described by a JSON Schema in ``generator/formats/schemas/`` (the YAML files name it, so an author's
editor checks them too). A ``Checker`` walks one file's parsed YAML against it once, turning every schema error
into a ``file:line: field.path: message`` problem; the format's own code then checks only what a schema cannot
say (cross-references, unique ids), and only on parts the schema found valid, so it never meets a wrong type.
Lines come from ``yamlfile.Mapping``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError as SchemaError

from generator.formats.yamlfile import Mapping, YamlError, load

SCHEMAS = Path(__file__).parent / "schemas"
Parts = tuple[str | int, ...]


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

    def __init__(self, file: str, pages: set[str] | None = None, lang: str = "kk"):
        self.file = file
        self.pages = pages
        self.lang = lang  # an edition in another language needs every text in it too
        self.problems: list[Problem] = []
        self._seen: set[Problem] = set()
        self._invalid: list[Parts] = []

    def fail(self, path: str, message: str, where: Any = None, key: str | None = None) -> None:
        line = 1
        if isinstance(where, Mapping):
            line = where.key_lines.get(key, where.line) if key else where.line
        self._add(Problem(self.file, line, path or "(file)", message))

    def _add(self, problem: Problem) -> None:
        if problem not in self._seen:  # a shared band set or an aliased part is reported once
            self._seen.add(problem)
            self.problems.append(problem)

    def schema(self, data: Any, name: str) -> None:
        """Check ``data`` against ``schemas/<name>.schema.json``; remember which parts are invalid."""
        validator = _validator(name, self.lang)
        for error in validator.iter_errors(data):
            for parts, message, at_key in _explain(error, validator.schema):
                self._invalid.append(parts)
                self._add(Problem(self.file, line_of(data, parts, at_key), field_name(parts), message))
        self.problems.sort(key=lambda problem: problem.line)

    def clean(self, *prefixes: Parts) -> bool:
        """True when the schema found no problem in any of the parts at ``prefixes`` (a key path each)."""
        return not any(parts[: len(prefix)] == prefix for parts in self._invalid for prefix in prefixes)

    def unique(self, seen: dict[str, str], value: str, path: str, what: str, node: dict, key: str) -> None:
        if value in seen:
            self.fail(path, f"duplicate {what} {value!r} (first at {seen[value]})", node, key)
        else:
            seen[value] = path


def join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def field_name(parts: Parts) -> str:
    """``("sections", 0, "id")`` → ``sections[0].id``."""
    name = ""
    for part in parts:
        name = f"{name}[{part}]" if isinstance(part, int) else join(name, part)
    return name or "(file)"


def line_of(data: Any, parts: Parts, at_key: bool) -> int:
    """The line of the value at ``parts``: its key's line, or the line of the mapping itself when it is one
    and the problem is about the mapping as a whole (``at_key`` false: a missing key)."""
    node, line = data, getattr(data, "line", 1) or 1
    for part in parts:
        if isinstance(node, Mapping) and part in node:
            line = node.key_lines.get(part, line)
        elif not (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            break
        node = node[part]
        if isinstance(node, Mapping) and not at_key:
            line = node.line
    return line


def kind_of(node: Any) -> str:
    """What a value is, in an author's words (YAML's spelling for true, false and non-finite numbers)."""
    if node is None:
        return "nothing"
    if isinstance(node, bool):
        return str(node).lower()
    if isinstance(node, float) and not math.isfinite(node):
        spelling = ".nan" if math.isnan(node) else ".inf" if node > 0 else "-.inf"
        return f"{spelling} (a number must be finite)"
    kinds = {dict: "a mapping", list: "a list", str: "text", int: "a whole number", float: "a number"}
    return next((name for kind, name in kinds.items() if isinstance(node, kind)), type(node).__name__)


def is_number(value: Any) -> bool:
    """A finite number that is not a boolean: what every number field of the formats holds."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_integer(checker: Any, value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# JSON has no NaN or infinity, so neither do the formats; YAML's .nan and .inf are refused as numbers.
_Validator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"integer": _is_integer, "number": lambda checker, value: is_number(value)}
    ),
)
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}


@cache
def _validator(name: str, lang: str = "kk") -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    if lang != "kk":
        schema = {**schema, "$defs": {key: _requiring(node, lang) for key, node in schema["$defs"].items()}}
    _Validator.check_schema(schema)
    return _Validator(schema)


LANGUAGE_NAMES = {"ru": "Russian", "en": "English"}


def _requiring(node: dict, lang: str) -> dict:
    """A text's definition (a Kazakh string, or a mapping of languages) as the ``lang`` edition needs it: a mapping
    that has ``lang`` too; any other definition as it is."""
    mappings = [option for option in node.get("anyOf", []) if option.get("required") == ["kk"]]
    if not mappings:
        return node
    name = LANGUAGE_NAMES.get(lang, lang)
    return {
        **mappings[0],
        "required": ["kk", lang],
        "errorMessage": f"missing {name} text: write it as {{kk: …, {lang}: …}}",
    }


def _resolve(schema: dict, root: dict) -> dict:
    """A subschema with its local ``$ref`` (``#/$defs/name``) followed."""
    while isinstance(schema, dict) and schema.get("$ref", "").startswith("#/$defs/"):
        schema = root["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    return schema if isinstance(schema, dict) else {}


def _explain(error: SchemaError, root: dict) -> Iterator[tuple[Parts, str, bool]]:
    """One jsonschema error as (field parts, message, whether the line is the last key's)."""
    parts: Parts = tuple(error.absolute_path)
    schema, keyword, instance = error.schema, error.validator, error.instance
    custom = schema.get("errorMessage") if isinstance(schema, dict) else None
    if "propertyNames" in error.absolute_schema_path:  # the error is about a key, not its value
        yield (*parts, str(instance)), custom or error.message, True
    elif keyword == "required":
        properties = schema.get("properties", {})
        for key in (k for k in error.validator_value if k not in instance):
            title = _resolve(properties.get(key, {}), root).get("title")
            yield (*parts, key), f"missing {title}" if title else "missing", False
    elif keyword == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        for key in (k for k in instance if k not in allowed):
            yield (*parts, key), f"unknown key (allowed: {', '.join(allowed)})", True
    elif keyword in ("anyOf", "oneOf"):
        # Explain the one branch of the value's type (a text that is too long); else what was expected.
        fitting = {i for i in range(len(error.validator_value))} - {
            e.relative_schema_path[0] for e in error.context if e.validator == "type" and not e.relative_path
        }
        if len(fitting) == 1:
            [branch] = fitting
            for sub in error.context:
                if sub.relative_schema_path[0] == branch:
                    yield from _explain(sub, root)
        else:
            yield parts, custom or f"expected {_expected(error.validator_value, root)}, found {kind_of(instance)}", True
    elif keyword == "type":
        yield parts, f"{custom or 'expected ' + _expected([schema], root)}, found {kind_of(instance)}", True
    elif keyword == "enum":
        yield parts, custom or f"expected one of: {', '.join(map(str, error.validator_value))}", True
    elif keyword == "minItems":
        yield parts, f"expected a list of at least {error.validator_value}", True
    elif keyword == "maxLength":
        yield parts, f"text longer than {error.validator_value} characters", True
    else:
        yield parts, custom or error.message, True


def _expected(options: list, root: dict) -> str:
    names: list[str] = []
    for option in options:
        kinds = _resolve(option, root).get("type", [])
        for kind in [kinds] if isinstance(kinds, str) else kinds:
            if _TYPE_NAMES[kind] not in names:
                names.append(_TYPE_NAMES[kind])
    return " or ".join(names) or "another value"


TEXT_LANGUAGES = {"kk", "ru", "en"}  # the keys of a text in several languages (schemas: $defs/text)


def text_resolver(lang: str) -> tuple[Callable[[Any], str], Callable[[dict, str], str]]:
    """``text(value)`` picks ``lang`` from a text (falling back to Kazakh); ``opt_text(node, key)`` allows absence."""

    def text(value: Any) -> str:
        return (value.get(lang) or value["kk"]) if isinstance(value, dict) else value

    def opt_text(node: dict, key: str) -> str:
        return text(node[key]) if key in node else ""

    return text, opt_text


def localized(value: Any, lang: str) -> Any:
    """``value`` with every text (a ``{kk: …, ru: …}`` mapping) replaced by its ``lang`` string (Kazakh when
    absent), for data whose compiled form keeps the file's shape (the attestation checklist)."""
    if isinstance(value, dict):
        if "kk" in value and set(value) <= TEXT_LANGUAGES:
            return value.get(lang) or value["kk"]
        return {key: localized(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [localized(item, lang) for item in value]
    return value


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
