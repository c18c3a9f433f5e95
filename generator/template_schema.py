"""The document-template format: one YAML file per template in templates/ (see templates/README.md).

A template is a paper form of the sources (a reflective lesson analysis, a route sheet, a plan): header
fields, tables with fixed or teacher-added rows, free-text boxes. Validation reports every problem as
``file:line: field.path: what is wrong``; compilation resolves texts and fills defaults for the browser,
the Word writer and the completion count.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .checker import Checker, Problem, load_checked, load_each, text_resolver

BLOCK_TYPES = ("fields", "table", "text")
FIELD_TYPES = ("line", "text", "date")
COLUMN_TYPES = ("fixed", "line", "text", "date", "mark")
ORIENTATIONS = ("portrait", "landscape")
MARKS = ("done", "partly", "not")
UI_KEYS = {"sources": "doc.sources", "completion": "doc.completion"}


def validate(data: Any, file: str, expected_id: str | None = None) -> list[Problem]:
    """Every problem in one template's data (empty when it is valid)."""
    check = Checker(file)
    top = ("id", "version", "kind", "title", "summary", "blocks")
    optional = ("intro", "sources", "copy_label", "orientation", "prefill")
    if not check.mapping(data, "", top, optional):
        return check.problems
    template_id = check.ident(data, "id", "")
    if expected_id and template_id and template_id != expected_id:
        check.fail("id", f"must match the file name {expected_id!r}", data, "id")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        check.fail("version", "expected a whole number from 1", data, "version")
    check.choice(data, "kind", "", ("template",))
    for key in ("title", "summary"):
        check.text(data, key, "")
    for key in ("intro", "copy_label"):
        check.text(data, key, "", required=False)
    if "orientation" in data:
        check.choice(data, "orientation", "", ORIENTATIONS)
    for i, source in enumerate(check.listing(data, "sources", "") if "sources" in data else []):
        if not isinstance(source, str) or not source.strip():
            check.fail(f"sources[{i}]", "expected a citation text", data, "sources")
    targets = _blocks(check, data.get("blocks"))
    prefill = data.get("prefill")
    if prefill is not None and check.mapping(
        prefill, "prefill", (), tuple(prefill) if isinstance(prefill, dict) else ()
    ):
        for key, target in prefill.items():
            if target not in targets:
                check.fail(f"prefill.{key}", f"names no field or table column: {target!r}", prefill, key)
    return check.problems


def _blocks(check: Checker, blocks: Any) -> set[str]:
    """Validate the blocks; return the prefill targets they offer (``field`` or ``table.column``)."""
    targets: set[str] = set()
    if not isinstance(blocks, list) or not blocks:
        check.fail("blocks", "expected a list of at least 1", blocks)
        return targets
    ids: dict[str, str] = {}
    for b, block in enumerate(blocks):
        path = f"blocks[{b}]"
        if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
            check.fail(f"{path}.type", f"expected one of: {', '.join(BLOCK_TYPES)}", block, "type")
            continue
        kind = block["type"]
        extra = {"fields": ("fields",), "table": ("columns",), "text": ("label",)}[kind]
        optional = {
            "fields": ("title",),
            "table": ("title", "rows", "repeatable", "min_rows", "example"),
            "text": ("hint", "rows"),
        }[kind]
        check.mapping(block, path, ("id", "type", *extra), optional)
        block_id = check.ident(block, "id", path)
        check.unique(ids, block_id, f"{path}.id", "block id", block, "id")
        check.text(block, "title", path, required=False)
        if kind == "fields":
            targets |= _fields(check, block, path)
        elif kind == "table":
            targets |= {f"{block_id}.{c}" for c in _table(check, block, path)}
        else:
            check.text(block, "label", path)
            check.text(block, "hint", path, required=False)
            targets.add(block_id)
    return targets


def _fields(check: Checker, block: dict, path: str) -> set[str]:
    ids: dict[str, str] = {}
    for f, field in enumerate(check.listing(block, "fields", path)):
        field_path = f"{path}.fields[{f}]"
        if not check.mapping(field, field_path, ("id", "label"), ("type", "hint")):
            continue
        check.unique(ids, check.ident(field, "id", field_path), f"{field_path}.id", "field id", field, "id")
        check.text(field, "label", field_path)
        check.text(field, "hint", field_path, required=False)
        if "type" in field:
            check.choice(field, "type", field_path, FIELD_TYPES)
    return set(ids)


def _table(check: Checker, block: dict, path: str) -> list[str]:
    """Validate a table; return its input column ids."""
    columns: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for c, column in enumerate(check.listing(block, "columns", path)):
        column_path = f"{path}.columns[{c}]"
        if not check.mapping(column, column_path, ("id", "label", "type"), ("width", "hint")):
            continue
        column_id = check.ident(column, "id", column_path)
        check.unique(columns, column_id, f"{column_path}.id", "column id", column, "id")
        check.text(column, "label", column_path)
        check.text(column, "hint", column_path, required=False)
        check.choice(column, "type", column_path, COLUMN_TYPES)
        width = column.get("width", 1)
        if not isinstance(width, int) or isinstance(width, bool) or not 1 <= width <= 10:
            check.fail(f"{column_path}.width", "expected a whole number from 1 to 10", column, "width")
        if column_id:
            kinds[column_id] = column.get("type")
    fixed = {c for c, kind in kinds.items() if kind == "fixed"}
    inputs = [c for c, kind in kinds.items() if kind != "fixed"]
    repeatable = block.get("repeatable", False)
    if not isinstance(repeatable, bool):
        check.fail(f"{path}.repeatable", "expected true or false", block, "repeatable")
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
    body_rows = 0
    for r, row in enumerate(rows if isinstance(rows, list) else []):
        row_path = f"{path}.rows[{r}]"
        if isinstance(row, dict) and "group" in row:
            check.mapping(row, row_path, ("group",))
            check.text(row, "group", row_path)
            continue
        body_rows += 1
        if check.mapping(row, row_path, tuple(sorted(fixed)), tuple(inputs)):
            for key in row:
                check.text(row, key, row_path)
    if "min_rows" in block and not (isinstance(block["min_rows"], int) and 1 <= block["min_rows"] <= 50):
        check.fail(f"{path}.min_rows", "expected a whole number from 1 to 50", block, "min_rows")
    example = block.get("example")
    if example is not None:
        if not isinstance(example, list) or (not repeatable and len(example) != body_rows):
            check.fail(f"{path}.example", f"expected one entry per row ({body_rows})", block, "example")
        else:
            for e, entry in enumerate(example):
                if check.mapping(entry, f"{path}.example[{e}]", (), tuple(inputs)):
                    for key in entry:
                        check.text(entry, key, f"{path}.example[{e}]")
    return inputs


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
                {"id": f["id"], "label": text(f["label"]), "type": f.get("type", "line"), "hint": opt_text(f, "hint")}
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
    data = load_checked(path, lambda data, name: validate(data, name, expected_id=path.stem))
    return compile_template(data, ui, lang)


def load_templates(folder: Path, ui: dict[str, str], lang: str = "kk") -> dict[str, dict]:
    """All templates of a folder by id; every file's problems are reported together."""
    return load_each(sorted(folder.glob("*.yml")), lambda path: load_template(path, ui, lang))
