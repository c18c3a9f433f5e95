"""The document-template format: one YAML file per template in templates/ (see templates/README.md).

A template is a paper form of the sources (a reflective lesson analysis, a route sheet, a plan): header
fields, tables with fixed or teacher-added rows, free-text boxes. Validation reports every problem as
``file:line: field.path: what is wrong``; compilation resolves texts and fills defaults for the browser,
the Word writer and the completion count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.formats.checker import Checker, Problem, load_checked, load_each, text_resolver

MARKS = ("done", "partly", "not")
UI_KEYS = {"sources": "doc.sources", "completion": "doc.completion"}


# The schema (generator/formats/schemas/template.schema.json) checks every field's type and range; the code below
# checks what refers to something else, and only on the parts the schema found valid.


def validate(data: Any, file: str, expected_id: str | None = None, lang: str = "kk") -> list[Problem]:
    """Every problem in one template's data (empty when it is valid) for the ``lang`` edition."""
    check = Checker(file, lang=lang)
    check.schema(data, "template")
    if not isinstance(data, dict):
        return check.problems
    if expected_id and check.clean(("id",)) and data["id"] != expected_id:
        check.fail("id", f"must match the file name {expected_id!r}", data, "id")
    if not check.clean(("blocks",)):
        return check.problems
    targets = _blocks(check, data["blocks"])
    if check.clean(("prefill",)):
        prefill = data.get("prefill", {})
        for key, target in prefill.items():
            if target not in targets:
                check.fail(f"prefill.{key}", f"names no field or table column: {target!r}", prefill, key)
    return check.problems


def _blocks(check: Checker, blocks: list[dict]) -> set[str]:
    """Unique ids and each table's rows; return the prefill targets they offer (``field`` or ``table.column``)."""
    targets: set[str] = set()
    ids: dict[str, str] = {}
    for b, block in enumerate(blocks):
        path = f"blocks[{b}]"
        check.unique(ids, block["id"], f"{path}.id", "block id", block, "id")
        if block["type"] == "fields":
            targets |= _unique_ids(check, block["fields"], f"{path}.fields", "field id")
        elif block["type"] == "table":
            targets |= {f"{block['id']}.{column}" for column in _table(check, block, path)}
        else:
            targets.add(block["id"])
    return targets


def _unique_ids(check: Checker, entries: list[dict], path: str, what: str) -> set[str]:
    ids: dict[str, str] = {}
    for e, entry in enumerate(entries):
        check.unique(ids, entry["id"], f"{path}[{e}].id", what, entry, "id")
    return set(ids)


def _table(check: Checker, block: dict, path: str) -> list[str]:
    """Check a table's rows against its columns; return its input column ids."""
    _unique_ids(check, block["columns"], f"{path}.columns", "column id")
    fixed = [c["id"] for c in block["columns"] if c["type"] == "fixed"]
    inputs = [c["id"] for c in block["columns"] if c["type"] != "fixed"]
    repeatable = block.get("repeatable", False)
    if not inputs:
        check.fail(f"{path}.columns", "a table needs at least one column to fill in", block, "columns")
    if fixed and repeatable:
        check.fail(
            f"{path}.repeatable",
            "a table with fixed columns has fixed rows; it cannot be repeatable",
            block,
            "repeatable",
        )
    rows = block.get("rows", [])
    if not repeatable and not rows:
        check.fail(f"{path}.rows", "a table that is not repeatable needs its rows", block, "rows")
    body_rows = [row for row in rows if "group" not in row]
    for r, row in enumerate(rows):
        if "group" not in row:
            _cells(check, row, f"{path}.rows[{r}]", required=fixed, allowed=fixed + inputs)
    example = block.get("example")
    if example is not None:
        if not repeatable and len(example) != len(body_rows):
            check.fail(f"{path}.example", f"expected one entry per row ({len(body_rows)})", block, "example")
        for e, entry in enumerate(example):
            _cells(check, entry, f"{path}.example[{e}]", required=[], allowed=inputs)
    return inputs


def _cells(check: Checker, cells: dict, path: str, required: list[str], allowed: list[str]) -> None:
    """A row or example entry names only ``allowed`` columns and gives every ``required`` one."""
    for key in cells:
        if key not in allowed:
            check.fail(f"{path}.{key}", f"unknown key (allowed: {', '.join(allowed)})", cells, key)
    for key in required:
        if key not in cells:
            check.fail(f"{path}.{key}", "missing Kazakh text", cells)


def compile_template(data: dict, ui: dict[str, str], lang: str = "kk") -> dict:
    """The plain dict the browser, the Word writer and the completion count read; ``data`` must be valid.

    ``ui`` is the interface catalogue: marks and document captions are printed in its words.
    """
    text, opt_text = text_resolver(lang)
    blocks = []
    for block in data["blocks"]:
        compiled: dict[str, Any] = {"id": block["id"], "type": block["type"], "title": opt_text(block, "title")}
        if block["type"] == "fields":
            compiled["fields"] = [
                {
                    "id": f["id"],
                    "label": text(f["label"]),
                    "type": f.get("type", "line"),
                    "hint": opt_text(f, "hint"),
                    "keep": f.get("keep", False),  # carried into a new copy (name, subject, school)
                }
                for f in block["fields"]
            ]
        elif block["type"] == "table":
            compiled["columns"] = [
                {
                    "id": c["id"],
                    "label": text(c["label"]),
                    "type": c["type"],
                    "width": c.get("width", 1),
                    "hint": opt_text(c, "hint"),
                }
                for c in block["columns"]
            ]
            compiled["rows"] = [{key: text(value) for key, value in row.items()} for row in block.get("rows", [])]
            compiled["repeatable"] = block.get("repeatable", False)
            compiled["min_rows"] = block.get("min_rows", 3)
            compiled["example"] = [{k: text(v) for k, v in e.items()} for e in block.get("example", [])]
        else:
            compiled.update(label=text(block["label"]), hint=opt_text(block, "hint"), rows=block.get("rows", 6))
        blocks.append(compiled)
    return {
        "id": data["id"],
        "version": data["version"],
        "kind": "template",
        "lang": lang,
        "title": text(data["title"]),
        "summary": text(data["summary"]),
        "intro": opt_text(data, "intro"),
        "sources": [text(s) for s in data.get("sources", [])],
        "copy_label": opt_text(data, "copy_label"),
        "orientation": data.get("orientation", "portrait"),
        "prefill": dict(data.get("prefill", {})),
        "marks": {mark: ui[f"mark.{mark}"] for mark in MARKS},
        "labels": {name: ui[key] for name, key in UI_KEYS.items()},
        "blocks": blocks,
    }


def load_template(path: Path, ui: dict[str, str], lang: str = "kk") -> dict:
    """Validate and compile one template file; raise ValidationError naming the file and fields."""
    data = load_checked(path, lambda data, name: validate(data, name, path.stem, lang))
    return compile_template(data, ui, lang)


def load_templates(folder: Path, ui: dict[str, str], lang: str = "kk") -> dict[str, dict]:
    """All templates of a folder by id; every file's problems are reported together."""
    return load_each(sorted(folder.glob("*.yml")), lambda path: load_template(path, ui, lang))
