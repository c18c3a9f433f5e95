"""The instrument format: validate one YAML file per instrument and compile it.

Every problem is reported as ``file:line: field.path: what is wrong`` and all of
a file's problems are collected before failing, so an author fixes them in one
pass. ``compile_instrument`` turns a valid file into the plain dict the engine
and the browser read (texts resolved to one language, defaults filled in,
band sets expanded, scale ranges computed).

The format, in short (see assessments/README.md for the full reference):

    id, version, kind, title, summary, provenance{kind, method, citation},
    minutes, sources[], band_sets{name: [band]}, sections[{id, title, intro,
    guide, lists{name: [text]}, items[{id, type, prompt, ...}]}],
    scales[{id, title, section, items[], aggregate, bands, guide}],
    rules[{kind, ...}], report{chart}
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.formats.checker import Checker, Problem, load_checked, load_each, text_resolver

RATING_POINTS = 101  # the most answers a rating offers (0 to 100 by 1)


# --- validation ------------------------------------------------------------
# The schema (generator/formats/schemas/instrument.schema.json) checks every field's type and range; the code below
# checks what refers to something else, and only on the parts the schema found valid.


def validate(
    data: Any, file: str, expected_id: str | None = None, pages: set[str] | None = None, lang: str = "kk"
) -> list[Problem]:
    """Every problem in one instrument's data (empty when it is valid) for the ``lang`` edition.

    ``pages`` (paths under docs/) lets guide links be checked; None skips that check.
    """
    check = Checker(file, pages, lang)
    check.schema(data, "instrument")
    if not isinstance(data, dict):
        return check.problems
    if expected_id and check.clean(("id",)) and data["id"] != expected_id:
        check.fail("id", f"must match the file name {expected_id!r}", data, "id")
    if not check.clean(("sections",)):
        return check.problems
    items = _sections(check, data["sections"])
    if check.clean(("scales",), ("band_sets",)):
        scales = _scales(check, data, items)
        if check.clean(("rules",)):
            _rules(check, data.get("rules", []), items, scales)
    return check.problems


def _sections(check: Checker, sections: list[dict]) -> dict[str, dict]:
    """Unique ids, guide pages and each item's own consistency; return the items by id (with their section)."""
    items: dict[str, dict] = {}
    section_ids: dict[str, str] = {}
    for s, section in enumerate(sections):
        path = f"sections[{s}]"
        check.unique(section_ids, section["id"], f"{path}.id", "section id", section, "id")
        if "guide" in section:
            _guide(check, section, path)
        for i, item in enumerate(section["items"]):
            item_path = f"{path}.items[{i}]"
            if item["id"] in items:
                first = items[item["id"]]["path"]
                check.fail(f"{item_path}.id", f"duplicate item id {item['id']!r} (first at {first})", item, "id")
                continue
            items[item["id"]] = {"node": item, "path": item_path, "section": section["id"]}
            if item["type"] in ("choice", "checks"):
                values: dict[str, str] = {}
                for o, option in enumerate(item["options"]):
                    value_path = f"{item_path}.options[{o}].value"
                    check.unique(values, str(option["value"]), value_path, "option value", option, "value")
            if item["type"] == "rating":
                _rating(check, item, item_path)
    return items


def _rating(check: Checker, item: dict, path: str) -> None:
    if item["min"] >= item["max"]:
        check.fail(f"{path}.max", "must be greater than min", item, "max")
        return
    count = rating_count(item["min"], item["max"], item.get("step", 1))
    if count > RATING_POINTS:
        key = "step" if "step" in item else "max"
        check.fail(
            f"{path}.{key}", f"offers {count} answers from min to max; at most {RATING_POINTS} (raise step)", item, key
        )


def rating_count(low: float, high: float, step: float) -> int:
    """How many answers a rating from ``low`` to ``high`` by ``step`` offers (both ends included)."""
    return math.floor((high - low) / step + 1e-9) + 1


def _guide(check: Checker, node: dict, path: str) -> None:
    page = node["guide"].partition("#")[0]
    if check.pages is not None and page not in check.pages:
        check.fail(f"{path}.guide", f"links to a page that does not exist: docs/{page}", node, "guide")


def _scales(check: Checker, data: dict, items: dict[str, dict]) -> dict[str, dict]:
    scales: dict[str, dict] = {}
    section_ids = {section["id"] for section in data["sections"]}
    band_sets = data.get("band_sets", {})
    for s, scale in enumerate(data.get("scales", [])):
        path = f"scales[{s}]"
        if scale["id"] in scales:
            check.fail(f"{path}.id", f"duplicate scale id {scale['id']!r}", scale, "id")
        scales.setdefault(scale["id"], scale)
        if "section" in scale and scale["section"] not in section_ids:
            check.fail(f"{path}.section", f"names an unknown section {scale['section']!r}", scale, "section")
        if "guide" in scale:
            _guide(check, scale, path)
        bands, bands_path = scale["bands"], f"{path}.bands"
        if isinstance(bands, str):
            if bands not in band_sets:
                check.fail(bands_path, f"names an unknown band set {bands!r}", scale, "bands")
                continue
            bands, bands_path = band_sets[bands], f"band_sets.{bands}"
        scale_range = _scale_range(check, scale, items, path)
        if scale_range:
            _bands(check, bands, bands_path, scale_range)
    return scales


def _scale_range(check: Checker, scale: dict, items: dict[str, dict], path: str) -> tuple[float, float] | None:
    """The lowest and highest value the scale can take, or None if its items are unusable."""
    lows, highs = [], []
    for i, item_id in enumerate(scale["items"]):
        found = items.get(item_id)
        if found is None:
            check.fail(f"{path}.items[{i}]", f"names an unknown item {item_id!r}", scale, "items")
            return None
        node = found["node"]
        if node["type"] in ("choice", "rating") and node.get("required") is False:
            check.fail(
                f"{path}.items[{i}]", f"item {item_id!r} is optional; a scale needs every answer", scale, "items"
            )
        span = item_span(node)
        if span is None:
            check.fail(
                f"{path}.items[{i}]",
                f"item {item_id!r} gives no points (free text, or options without points)",
                scale,
                "items",
            )
            return None
        lows.append(span[0])
        highs.append(span[1])
    if scale["aggregate"] == "mean":
        return sum(lows) / len(lows), sum(highs) / len(highs)
    if scale["aggregate"] == "percent":
        if sum(highs) == sum(lows):
            check.fail(f"{path}.items", "a percent scale needs items whose points can vary", scale, "items")
            return None
        return 0, 100
    return sum(lows), sum(highs)


def item_span(item: dict) -> tuple[float, float] | None:
    """The points an item can give (lowest, highest); None for items that give none."""
    if item["type"] == "rating":
        return item["min"], item["max"]
    if item["type"] == "text":
        return None
    points = [_option_points(item, option) for option in item["options"]]
    if None in points:
        return None
    if item["type"] == "checks":
        return sum(p for p in points if p < 0), sum(p for p in points if p > 0)
    return min(points), max(points)


def _option_points(item: dict, option: dict) -> float | None:
    if "points" in option:
        return option["points"]
    if item["type"] == "checks":
        return 1
    value = option["value"]
    return value if isinstance(value, int) else None


def _bands(check: Checker, bands: list[dict], path: str, scale_range: tuple[float, float]) -> None:
    """Bands are [from, to) ranges that must tile the scale's range: no gap, no overlap."""
    low, high = scale_range
    ids: dict[str, str] = {}
    expected = low
    for b, band in enumerate(bands):
        band_path = f"{path}[{b}]"
        check.unique(ids, band["id"], f"{band_path}.id", "band id", band, "id")
        last = b == len(bands) - 1
        if band["from"] > band["to"] or (band["from"] == band["to"] and not last):
            check.fail(f"{band_path}.to", "must be greater than from", band, "to")
        if band["from"] < expected:
            check.fail(f"{band_path}.from", f"overlaps the band before it (which ends at {expected})", band, "from")
        elif band["from"] > expected:
            check.fail(f"{band_path}.from", f"leaves a gap from {expected} to {band['from']}", band, "from")
        expected = band["to"]
    if expected != high:
        check.fail(
            f"{path}[{len(bands) - 1}].to", f"bands must end at the scale's highest value {high}", bands[-1], "to"
        )


TEXT_RULE_FIELDS = ("at_top", "below_first")
_NEEDS_GROWTH_ZONE = ("next-step", "focus-lists")


def _rules(check: Checker, rules: list[dict], items: dict[str, dict], scales: dict[str, dict]) -> None:
    zone_scales: list[str] = []
    for r, rule in enumerate(rules):
        path = f"rules[{r}]"
        kind = rule["kind"]
        named = rule.get("scales", [])
        for s, scale_id in enumerate(named):
            if scale_id not in scales:
                check.fail(f"{path}.scales[{s}]", f"names an unknown scale {scale_id!r}", rule, "scales")
        known = [scale_id for scale_id in named if scale_id in scales]
        if kind == "extremes":
            zone_scales = known
        if kind in _NEEDS_GROWTH_ZONE and not zone_scales:
            check.fail(f"{path}.kind", "needs an 'extremes' rule before it (it works on the growth zone)", rule, "kind")
        if kind == "next-step":
            for scale_id in zone_scales:
                scale_items = scales[scale_id]["items"]
                if len(scale_items) != 1 or items.get(scale_items[0], {}).get("node", {}).get("type") != "choice":
                    check.fail(f"{path}.kind", f"scale {scale_id!r} must rest on exactly one choice item", rule, "kind")
        if kind in ("focus-lists", "evidence"):
            for scale_id in zone_scales if kind == "focus-lists" else known:
                if "section" not in scales[scale_id]:
                    check.fail(f"{path}.kind", f"scale {scale_id!r} has no section to read from", rule, "kind")
        if kind == "ladder":
            for scale_id in known:
                if scales[scale_id]["aggregate"] != "percent":
                    check.fail(f"{path}.scales", f"scale {scale_id!r} must use aggregate: percent", rule, "scales")


# --- compilation -----------------------------------------------------------


def compile_instrument(data: dict, lang: str = "kk", link: Callable[[str], str] = lambda path: path) -> dict:
    """The plain dict the engine and the browser read; ``data`` must be valid."""

    text, opt_text = text_resolver(lang)

    sections = []
    for section in data["sections"]:
        items = [_compile_item(item, text, opt_text) for item in section["items"]]
        sections.append(
            {
                "id": section["id"],
                "title": text(section["title"]),
                "intro": opt_text(section, "intro"),
                "guide": link(section["guide"]) if "guide" in section else "",
                "lists": {name: [text(e) for e in entries] for name, entries in section.get("lists", {}).items()},
                "items": items,
            }
        )
    items_by_id = {item["id"]: item for section in sections for item in section["items"]}
    guides = {section["id"]: section["guide"] for section in sections}
    band_sets = data.get("band_sets", {})
    scales = []
    for scale in data.get("scales", []):
        bands = band_sets[scale["bands"]] if isinstance(scale["bands"], str) else scale["bands"]
        spans = [item_span(items_by_id[item_id]) for item_id in scale["items"]]
        points_range = [sum(s[0] for s in spans), sum(s[1] for s in spans)]
        low, high = points_range
        if scale["aggregate"] == "mean":
            low, high = low / len(spans), high / len(spans)
        elif scale["aggregate"] == "percent":
            low, high = 0, 100
        scales.append(
            {
                "id": scale["id"],
                "title": text(scale["title"]),
                "section": scale.get("section", ""),
                "items": list(scale["items"]),
                "aggregate": scale["aggregate"],
                "points_range": points_range,
                "min": low,
                "max": high,
                "bands": [
                    {
                        "id": b["id"],
                        "from": b["from"],
                        "to": b["to"],
                        "label": text(b["label"]),
                        "text": opt_text(b, "text"),
                    }
                    for b in bands
                ],
                "guide": link(scale["guide"]) if "guide" in scale else guides.get(scale.get("section"), ""),
            }
        )
    rules = []
    for rule in data.get("rules", []):
        compiled = {key: (text(value) if key in TEXT_RULE_FIELDS else value) for key, value in rule.items()}
        if rule["kind"] == "extremes":
            compiled.setdefault("ties", "first")
        rules.append(compiled)
    provenance = data["provenance"]
    return {
        "id": data["id"],
        "version": data["version"],
        "kind": data["kind"],
        "lang": lang,
        "title": text(data["title"]),
        "summary": text(data["summary"]),
        "intro": opt_text(data, "intro"),
        "minutes": data.get("minutes", 0),
        "audience": opt_text(data, "audience"),
        "featured": data.get("featured", False),
        "sources": [text(s) for s in data.get("sources", [])],
        "provenance": {
            "kind": provenance["kind"],
            "method": text(provenance["method"]),
            "citation": opt_text(provenance, "citation"),
        },
        "sections": sections,
        "scales": scales,
        "rules": rules,
        "report": {
            "chart": data.get("report", {}).get("chart", "bars" if scales else "none"),
            "plan": data.get("report", {}).get("plan", ""),
        },
    }


def _compile_item(item: dict, text: Callable[[Any], str], opt_text: Callable[[dict, str], str]) -> dict:
    compiled = {
        "id": item["id"],
        "type": item["type"],
        "prompt": text(item["prompt"]),
        "hint": opt_text(item, "hint"),
        "required": item.get("required", item["type"] in ("choice", "rating")),
    }
    if item["type"] in ("choice", "checks"):
        compiled["options"] = [
            {
                "value": option["value"],
                "label": opt_text(option, "label"),
                "text": text(option["text"]),
                "points": _option_points(item, option),
            }
            for option in item["options"]
        ]
    if item["type"] == "checks":
        compiled["role"] = item.get("role", "")
    if item["type"] == "rating":
        compiled.update(
            min=item["min"],
            max=item["max"],
            step=item.get("step", 1),
            min_label=opt_text(item, "min_label"),
            max_label=opt_text(item, "max_label"),
        )
    if item["type"] == "text":
        compiled.update(max_length=item.get("max_length", 2000), rows=item.get("rows", 4))
    return compiled


# --- files -----------------------------------------------------------------


def load_instrument(
    path: Path, lang: str = "kk", link: Callable[[str], str] = lambda p: p, pages: set[str] | None = None
) -> dict:
    """Validate and compile one file; raise ValidationError naming the file and fields."""
    data = load_checked(path, lambda data, name: validate(data, name, path.stem, pages, lang))
    return compile_instrument(data, lang, link)


def load_folder(
    folder: Path, lang: str = "kk", link: Callable[[str], str] = lambda p: p, pages: set[str] | None = None
) -> dict[str, dict]:
    """All instruments of a folder by id; every file's problems are reported together."""
    return load_each(sorted(folder.glob("*.yml")), lambda path: load_instrument(path, lang, link, pages))
