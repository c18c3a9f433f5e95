"""Filled templates: check the values a teacher typed and count a route sheet's completion.

Pure standard library, shipped to the browser with the engine: the page, the Word writer and the
tests all read values through ``check_values``, so a hostile or damaged file is refused the same way
everywhere. Values are ``{block id: ...}``: for fields ``{field id: text}``, for a table a list of rows
``[{column id: text}]`` (one per body row of a fixed table), for a text block the text.
"""

from __future__ import annotations

import json
from typing import Any

TEXT_LIMIT = 10_000
ROW_LIMIT = 200
MARKS = ("done", "partly", "not")


class ValuesError(ValueError):
    """Values that do not fit their template."""


def body_rows(block: dict[str, Any]) -> list[dict[str, str]]:
    """A table's rows without its group headings."""
    return [row for row in block["rows"] if "group" not in row]


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value) > TEXT_LIMIT:
        raise ValuesError(f"{where}: expected text of at most {TEXT_LIMIT} characters")
    return value


def check_values(template: dict[str, Any], values: Any) -> dict[str, Any]:
    """The values, checked against the template; unknown blocks, fields or columns are refused."""
    if not isinstance(values, dict):
        raise ValuesError("values must be an object of block id → value")
    blocks = {block["id"]: block for block in template["blocks"]}
    checked: dict[str, Any] = {}
    for block_id, value in values.items():
        block = blocks.get(block_id)
        if block is None:
            raise ValuesError(f"unknown block {block_id!r}")
        if block["type"] == "text":
            checked[block_id] = _text(value, block_id)
        elif block["type"] == "fields":
            known = {field["id"] for field in block["fields"]}
            if not isinstance(value, dict) or not set(value) <= known:
                raise ValuesError(f"{block_id}: expected an object of its fields")
            checked[block_id] = {k: _text(v, f"{block_id}.{k}") for k, v in value.items()}
        else:
            checked[block_id] = _table_values(block, value)
    return checked


def _table_values(block: dict[str, Any], rows: Any) -> list[dict[str, str]]:
    inputs = {c["id"]: c["type"] for c in block["columns"] if c["type"] != "fixed"}
    limit = ROW_LIMIT if block["repeatable"] else len(body_rows(block))
    if not isinstance(rows, list) or len(rows) > limit:
        raise ValuesError(f"{block['id']}: expected a list of at most {limit} rows")
    checked = []
    for n, row in enumerate(rows):
        if not isinstance(row, dict) or not set(row) <= set(inputs):
            raise ValuesError(f"{block['id']}[{n}]: expected an object of its columns")
        for column, value in row.items():
            _text(value, f"{block['id']}[{n}].{column}")
            if inputs[column] == "mark" and value not in ("", *MARKS):
                raise ValuesError(f"{block['id']}[{n}].{column}: expected one of {', '.join(MARKS)}")
        checked.append(dict(row))
    return checked


def completion(template: dict[str, Any], values: dict[str, Any]) -> dict[str, Any] | None:
    """How much of a marked sheet is done: done counts 1, partly ½, not or empty 0; None without marks.

    Every row of a fixed table counts; a row the teacher added and left blank does not.
    """
    counts = dict.fromkeys((*MARKS, "empty"), 0)
    for block in template["blocks"]:
        if block["type"] != "table":
            continue
        marks = [c["id"] for c in block["columns"] if c["type"] == "mark"]
        rows = values.get(block["id"], [])
        size = len(rows) if block["repeatable"] else len(body_rows(block))
        for n in range(size):
            row = rows[n] if n < len(rows) else {}
            if block["repeatable"] and not any(row.values()):
                continue
            for column in marks:
                counts[row.get(column) or "empty"] += 1
    total = sum(counts.values())
    if not total:
        return None
    percent = round(100 * (counts["done"] + counts["partly"] / 2) / total)
    return {**counts, "total": total, "percent": percent}


def completion_json(template_json: str, values_json: str) -> str:
    """JSON boundary for the Web Worker: ``completion`` of checked values (null without marks)."""
    template = json.loads(template_json)
    return json.dumps(completion(template, check_values(template, json.loads(values_json))))
