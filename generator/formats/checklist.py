"""The attestation checklist: what a teacher's pack holds for each category sought (attestation/checklist.yml).

One file lists the categories, the levels of generalising experience, the kinds of achievement the achievements
log records, and the items: saved self-assessment results (``instrument``), filled documents (``template``) and
entries of the achievements log at a level (``achievements``), each with the categories it is for, how many,
where the recommendations say so and whether that is the source's or the site's suggestion. The schema
(generator/formats/schemas/checklist.schema.json) checks every field; the code below checks what refers to something
else: the instruments and templates named exist, levels and kinds are the file's own, ids are unique. Problems
read ``file:line: field.path: what is wrong``. ``load_checklist`` returns the compiled checklist as plain data
for the page that draws it.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from generator.formats.checker import Checker, Problem, load_checked, localized

ACHIEVEMENTS_ONLY = ("level", "kinds")


def validate(
    data: Any, file: str, instrument_ids: Collection[str], template_ids: Collection[str], lang: str = "kk"
) -> list[Problem]:
    """Every problem in the checklist's data (empty when it is valid) for the ``lang`` edition."""
    check = Checker(file, lang=lang)
    check.schema(data, "checklist")
    if not isinstance(data, dict):
        return check.problems
    named: dict[str, set[str]] = {}
    for part in ("categories", "levels", "kinds"):
        if check.clean((part,)):
            named[part] = _unique(check, data[part], part)
    if check.clean(("items",)):
        _items(check, data, named, instrument_ids, template_ids)
    return check.problems


def _unique(check: Checker, entries: list[dict], path: str) -> set[str]:
    ids: dict[str, str] = {}
    for e, entry in enumerate(entries):
        check.unique(ids, entry["id"], f"{path}[{e}].id", "id", entry, "id")
    return set(ids)


def _items(
    check: Checker,
    data: dict,
    named: dict[str, set[str]],
    instrument_ids: Collection[str],
    template_ids: Collection[str],
) -> None:
    ids: dict[str, str] = {}
    used: set[str] = set()
    for i, item in enumerate(data["items"]):
        path = f"items[{i}]"
        check.unique(ids, item["id"], f"{path}.id", "item id", item, "id")
        known, folder = (instrument_ids, "assessments") if item["kind"] == "instrument" else (template_ids, "templates")
        if item["ref"] not in known:
            what = "instrument" if item["kind"] == "instrument" else "template"
            check.fail(f"{path}.ref", f"names no {what} in {folder}/: {item['ref']!r}", item, "ref")
        if item["kind"] == "achievements":
            _achievements(check, item, path, named)
        else:
            for key in ACHIEVEMENTS_ONLY:
                if key in item:
                    check.fail(f"{path}.{key}", "only an achievements item has it", item, key)
        categories = item["categories"]
        if isinstance(categories, dict) and "min" in item:
            check.fail(f"{path}.min", "give the number once: in min or per category under categories", item, "min")
        if item["basis"] == "suggestion" and item.get("min_basis") == "source":
            check.fail(f"{path}.min_basis", "a suggested item cannot have a number from the source", item, "min_basis")
        if "categories" in named:
            for c, category in enumerate(categories):
                if category not in named["categories"]:
                    where = f"{path}.categories" + (f".{category}" if isinstance(categories, dict) else f"[{c}]")
                    check.fail(where, f"names a category the file does not list: {category!r}", item, "categories")
        used.update(categories)
    if "categories" in named:
        for category in sorted(named["categories"] - used):
            check.fail("categories", f"category {category!r} has no item", data, "categories")


def _achievements(check: Checker, item: dict, path: str, named: dict[str, set[str]]) -> None:
    if "level" in item and "levels" in named and item["level"] not in named["levels"]:
        check.fail(f"{path}.level", f"names a level the file does not list: {item['level']!r}", item, "level")
    for k, kind in enumerate(item.get("kinds", [])):
        if "kinds" in named and kind not in named["kinds"]:
            check.fail(f"{path}.kinds[{k}]", f"names a kind the file does not list: {kind!r}", item, "kinds")


def compile_checklist(data: dict) -> dict:
    """The plain dict the attestation page reads; ``data`` must be valid.

    ``items`` lists every item with ``categories`` as a mapping (category → how many, whichever way the file gives
    them); each category lists its own items in file order, each with its ``min`` for that category. Levels carry
    their ``rank`` (0 for the nearest).
    """
    levels = [
        {"id": level["id"], "title": level["title"], "rank": rank, "words": list(level.get("words", []))}
        for rank, level in enumerate(data["levels"])
    ]
    kinds = [{"id": kind["id"], "title": kind["title"], "words": list(kind.get("words", []))} for kind in data["kinds"]]
    items = []
    for item in data["items"]:
        categories = item["categories"]
        counts = dict(categories) if isinstance(categories, dict) else dict.fromkeys(categories, item.get("min", 1))
        items.append(
            {
                "id": item["id"],
                "kind": item["kind"],
                "ref": item["ref"],
                "level": item.get("level", ""),
                "kinds": list(item.get("kinds", [])),
                "label": item["label"],
                "note": item.get("note", ""),
                "source": item.get("source", ""),
                "basis": item["basis"],
                "min_basis": item.get("min_basis", item["basis"]),
                "categories": counts,
            }
        )
    categories = [
        {
            "id": category["id"],
            "title": category["title"],
            "items": [
                {**{k: v for k, v in item.items() if k != "categories"}, "min": item["categories"][category["id"]]}
                for item in items
                if category["id"] in item["categories"]
            ],
        }
        for category in data["categories"]
    ]
    return {
        "version": data["version"],
        "title": data["title"],
        "summary": data["summary"],
        "note": data["note"],
        "sources": list(data.get("sources", [])),
        "levels": levels,
        "kinds": kinds,
        "categories": categories,
        "items": items,
    }


def recognise(value: str, entries: list[dict], widest: bool = False) -> str:
    """The id of the entry (a level or a kind) a value typed in the achievements log names, or "" for none.

    An entry is named when one of its ``words`` begins a word of the value (case aside). Kinds: the first named
    entry in the file's order; levels (``widest``): the last, the widest named level. The page's script does the
    same with the compiled ``words``.
    """
    text = value.casefold()
    named = [
        entry["id"]
        for entry in entries
        if any(re.search(rf"(?<!\w){re.escape(word.casefold())}", text) for word in entry.get("words", []))
    ]
    return (named[-1] if widest else named[0]) if named else ""


def load_checklist(
    path: Path, instrument_ids: Collection[str], template_ids: Collection[str], lang: str = "kk"
) -> dict:
    """Validate and compile the checklist with ``lang``'s texts; raise ValidationError naming the file and fields.

    ``instrument_ids`` and ``template_ids`` are the ids of assessments/ and templates/ (their file names).
    """
    data = load_checked(path, lambda data, name: validate(data, name, instrument_ids, template_ids, lang))
    return compile_checklist(localized(data, lang))
