"""Every wrong value in every field of every instrument and template is a ``file:line: field: message``.

The fields and the types each accepts are read from the formats' JSON Schemas, walked alongside each real file:
every field the file has, and every optional field it leaves out, gets values of the other JSON types, and, where
the type is right, non-finite and huge numbers, empty text, lists of lists and unknown keys. Each kind of field (say
``sections[].items[](rating).step``) is tried once, in the smallest file that has it, so the run stays short.
Each case must give problems that name the file, a line and the field, and nothing else: no traceback, and no
hang (each case runs under a deadline). The few values a field may legitimately take (an empty list, an empty
mapping) must then compile, serialise as strict JSON and render.
"""

from __future__ import annotations

import json
import math
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator

from generator.browser import docx
from generator.build import render
from generator.formats import instrument as schema
from generator.formats import template as template_schema
from generator.formats.checker import SCHEMAS, Mapping, field_name
from generator.formats.i18n import load_catalogue
from generator.formats.yamlfile import load

CASE_SECONDS = 5.0  # a case takes milliseconds; the deadline only catches a hang
CATALOGUE = load_catalogue(ROOT / "site_src" / "i18n", "kk")
Parts = tuple[str | int, ...]
WRONG_TYPES: dict[str, Any] = {
    "null": None,
    "boolean": True,
    "integer": 7,
    "number": 2.5,
    "string": "abc",
    "array": [["x"]],
    "object": {"k": "v"},
}
NON_FINITE = (math.nan, math.inf, -math.inf)
HUGE = (10**30, -(10**30))
BAD_KEY = "Not An Id!"


class HangError(Exception):
    """A case ran past its deadline."""


@contextmanager
def deadline(seconds: float):
    def expire(signum, frame):
        raise HangError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Field:
    """One place in a file where the fuzzer puts values: an existing value, an absent key or a new key."""

    key: tuple  # the field with list indices folded, so each kind of field is counted once per file
    parent: Any  # the mapping or list that holds it
    slot: str | int
    parts: Parts
    schema: dict


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    kinds = {float: "number", str: "string", list: "array", dict: "object"}
    return next(name for kind, name in kinds.items() if isinstance(value, kind))


class SchemaWalk:
    """Walks a file's data alongside its schema, yielding every field (present or optional) once."""

    def __init__(self, root: dict):
        self.root = root

    def resolve(self, node_schema: Any) -> dict:
        while isinstance(node_schema, dict) and "$ref" in node_schema:
            node_schema = self.root["$defs"][node_schema["$ref"].removeprefix("#/$defs/")]
        return node_schema if isinstance(node_schema, dict) else {}

    def applying(self, value: Any, node_schema: Any) -> list[dict]:
        """The schema and every subschema that applies to ``value``: allOf, if/then/else, its type's anyOf branch."""
        found = [self.resolve(node_schema)]
        for current in found:
            for conditional in [current, *current.get("allOf", [])]:
                if "if" in conditional:
                    holds = Draft202012Validator(conditional["if"]).is_valid(value)
                    chosen = conditional.get("then" if holds else "else")
                    if chosen:
                        found.append(self.resolve(chosen))
            for branch in current.get("anyOf", []):
                if json_type(value) in self.types(branch):
                    found.append(self.resolve(branch))
        return found

    def types(self, node_schema: Any) -> set[str]:
        """The JSON types a field accepts."""
        resolved = self.resolve(node_schema)
        if "type" in resolved:
            kinds = resolved["type"]
            kinds = {kinds} if isinstance(kinds, str) else set(kinds)
            return kinds | {"integer"} if "number" in kinds else kinds
        if "anyOf" in resolved:
            return set().union(*(self.types(branch) for branch in resolved["anyOf"]))
        values = resolved.get("enum", [resolved["const"]] if "const" in resolved else None)
        return {json_type(v) for v in values} if values is not None else set(WRONG_TYPES)

    def fields(self, value: Any, node_schema: Any, parts: Parts = (), key: tuple = ()) -> Iterator[Field]:
        schemas = self.applying(value, node_schema)
        if isinstance(value, dict):
            if isinstance(value.get("type", value.get("kind")), str):  # a union: each kind is its own field
                key = (*key, f"({value.get('type', value.get('kind'))})")
            properties: dict[str, Any] = {}
            for s in schemas:
                for name, sub in s.get("properties", {}).items():
                    properties.setdefault(name, sub)
            extra = next((s["additionalProperties"] for s in schemas if "additionalProperties" in s), None)
            for name in value:
                sub = properties.get(name, extra)
                if isinstance(sub, dict):
                    yield Field((*key, name), value, name, (*parts, name), sub)
                    yield from self.fields(value[name], sub, (*parts, name), (*key, name))
            for name, sub in properties.items():
                if name not in value:
                    yield Field((*key, name), value, name, (*parts, name), sub)
            if extra is False or any("propertyNames" in s for s in schemas):
                yield Field((*key, BAD_KEY), value, BAD_KEY, (*parts, BAD_KEY), {})
        elif isinstance(value, list):
            items = next((s["items"] for s in schemas if "items" in s), None)
            for i, element in enumerate(value if items else []):
                yield Field((*key, "[]"), value, i, (*parts, i), items)
                yield from self.fields(element, items, (*parts, i), (*key, "[]"))

    def wrong_values(self, field: Field) -> tuple[list[Any], list[Any]]:
        """Values the field must refuse, and values it may take (which must then build)."""
        if field.slot == BAD_KEY:
            return ["x"], []
        accepted = self.types(field.schema)
        refused = [value for kind, value in WRONG_TYPES.items() if kind not in accepted]
        # The values that pass a type check: a field that refuses the type already met them above.
        refused += [*NON_FINITE, *HUGE] if accepted & {"number", "integer"} else []
        refused += [""] if "string" in accepted else []
        refused += [[[]]] if "array" in accepted else []
        resolved = self.resolve(field.schema)
        if "enum" in resolved or "const" in resolved:
            refused.append("not-one-of-them")
        maybe = [value for value, kind in (([], "array"), ({}, "object")) if kind in accepted]
        return refused, maybe


@dataclass
class Format:
    name: str
    folder: str
    validate: Callable[[Any, str, str], list]
    build: Callable[[dict], None]


def build_instrument(data: dict) -> None:
    compiled = schema.compile_instrument(data)
    json.dumps(compiled, allow_nan=False)
    render.render_instrument(compiled, CATALOGUE, "x.json")


def build_template(data: dict) -> None:
    compiled = template_schema.compile_template(data, CATALOGUE.ui)
    json.dumps(compiled, allow_nan=False)
    docx.build_docx(compiled)
    render.render_template(compiled, CATALOGUE, "x", "x.docx")


FORMATS = {
    "instrument": Format("instrument", "assessments", schema.validate, build_instrument),
    "template": Format("template", "templates", template_schema.validate, build_template),
}


def substituted(field: Field, value: Any):
    """Put ``value`` in the field for the duration of a ``with`` block, then restore the file's data."""

    @contextmanager
    def put():
        present = isinstance(field.parent, list) or field.slot in field.parent
        before = field.parent[field.slot] if present else None
        field.parent[field.slot] = value
        try:
            yield
        finally:
            if present:
                field.parent[field.slot] = before
            else:
                del field.parent[field.slot]

    return put()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_wrong_value_in_every_field_names_file_line_and_field(fmt):
    form = FORMATS[fmt]
    walk = SchemaWalk(json.loads((SCHEMAS / f"{form.name}.schema.json").read_text(encoding="utf-8")))
    files = sorted((ROOT / form.folder).glob("*.yml"), key=lambda path: path.stat().st_size)
    fields = cases = 0
    failures: list[str] = []
    seen: set[tuple] = set()
    for path in files:
        data = load(path)
        assert isinstance(data, Mapping) and form.validate(data, path.name, path.stem) == [], path
        shape = re.compile(rf"^{re.escape(path.name)}:[1-9]\d*: \S.*: \S")
        for field in walk.fields(data, walk.root):
            if field.key in seen:
                continue
            seen.add(field.key)
            fields += 1
            refused, maybe = walk.wrong_values(field)
            name = field_name(field.parts)
            for value, must_refuse in [(v, True) for v in refused] + [(v, False) for v in maybe]:
                cases += 1
                case = f"{path.name}: {name} = {value!r}"
                try:
                    with substituted(field, value), deadline(CASE_SECONDS):
                        problems = [str(p) for p in form.validate(data, path.name, path.stem)]
                        if not problems and not must_refuse:
                            form.build(data)
                except Exception as error:  # the point of the test: no case may raise
                    failures.append(f"{case}: {type(error).__name__}: {error}")
                    continue
                if must_refuse and not problems:
                    failures.append(f"{case}: accepted")
                elif bad := [p for p in problems if not shape.match(p)]:
                    failures.append(f"{case}: malformed {bad}")
                elif must_refuse and not any(p.split(": ", 2)[1].startswith(name) for p in problems):
                    failures.append(f"{case}: no problem names {name}: {problems}")
    print(f"{fmt}s: {len(files)} files, {fields} fields, {cases} cases (field × wrong value), {len(failures)} failed")
    assert not failures, "\n".join(failures[:40])
    assert fields >= 100 and cases >= 5 * fields  # the walk reached the fields, not just the top
