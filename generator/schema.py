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

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import engine
from .checker import IDENT, Checker, Problem, is_number, join, kind_of, load_checked, load_each, text_resolver

INSTRUMENT_KINDS = ("assessment", "survey")
PROVENANCE_KINDS = ("source", "published", "authored")
ITEM_TYPES = ("choice", "checks", "rating", "text")
AGGREGATES = ("sum", "mean", "percent")
CHARTS = ("bars", "radar", "ladder", "none")
TIES = ("first", "last")


# --- validation ------------------------------------------------------------


def validate(data: Any, file: str, expected_id: str | None = None, pages: set[str] | None = None) -> list[Problem]:
    """Every problem in one instrument's data (empty when it is valid).

    ``pages`` (paths under docs/) lets guide links be checked; None skips that check.
    """
    check = Checker(file, pages)
    top = ("id", "version", "kind", "title", "summary", "provenance", "sections")
    optional = ("minutes", "sources", "intro", "band_sets", "scales", "rules", "report")
    if not check.mapping(data, "", top, optional):
        return check.problems
    instrument_id = check.ident(data, "id", "")
    if expected_id and instrument_id and instrument_id != expected_id:
        check.fail("id", f"must match the file name {expected_id!r}", data, "id")
    if not isinstance(data.get("version"), int) or isinstance(data.get("version"), bool) or data["version"] < 1:
        check.fail("version", "expected a whole number from 1", data, "version")
    check.choice(data, "kind", "", INSTRUMENT_KINDS)
    check.text(data, "title", "")
    check.text(data, "summary", "")
    check.text(data, "intro", "", required=False)
    if "minutes" in data and not (isinstance(data["minutes"], int) and 0 < data["minutes"] <= 120):
        check.fail("minutes", "expected whole minutes from 1 to 120", data, "minutes")
    if "sources" in data:
        for i, source in enumerate(check.listing(data, "sources", "")):
            if not isinstance(source, str) or not source.strip():
                check.fail(f"sources[{i}]", "expected a citation text", data, "sources")
    _provenance(check, data.get("provenance"))
    items = _sections(check, data.get("sections"))
    band_sets = _band_sets(check, data.get("band_sets", {}))
    scales = _scales(check, data, items, band_sets)
    _rules(check, data, items, scales)
    report = data.get("report")
    if report is not None and check.mapping(report, "report", (), ("chart", "plan")):
        if "chart" in report:
            check.choice(report, "chart", "report", CHARTS)
        if "plan" in report:
            check.ident(report, "plan", "report")
    return check.problems


def _provenance(check: Checker, node: Any) -> None:
    if node is None or not check.mapping(node, "provenance", ("kind", "method"), ("citation",)):
        return
    check.choice(node, "kind", "provenance", PROVENANCE_KINDS)
    check.text(node, "method", "provenance")
    # A published key or a rule stated in a source must say where it comes from.
    if node.get("kind") in ("published", "source") or "citation" in node:
        check.text(node, "citation", "provenance")


def _sections(check: Checker, node: Any) -> dict[str, dict]:
    """Validate sections and items; return the valid items by id (with their section id)."""
    items: dict[str, dict] = {}
    section_ids: dict[str, str] = {}
    item_ids: dict[str, str] = {}
    if not isinstance(node, list) or not node:
        check.fail("sections", "expected a list of at least 1", node)
        return items
    for s, section in enumerate(node):
        path = f"sections[{s}]"
        if not check.mapping(section, path, ("id", "title", "items"), ("intro", "guide", "lists")):
            continue
        section_id = check.ident(section, "id", path)
        check.unique(section_ids, section_id, f"{path}.id", "section id", section, "id")
        check.text(section, "title", path)
        check.text(section, "intro", path, required=False)
        if "guide" in section:
            _guide(check, section, path)
        if "lists" in section and check.mapping(section["lists"], f"{path}.lists", (), tuple(section["lists"])):
            for name, entries in section["lists"].items():
                if not IDENT.match(str(name)) or not isinstance(entries, list) or not entries:
                    check.fail(f"{path}.lists.{name}", "expected an id with a list of texts", section["lists"], name)
                    continue
                for e, entry in enumerate(entries):
                    check.text_value(entry, f"{path}.lists.{name}[{e}]", section["lists"], name)
        for i, item in enumerate(check.listing(section, "items", path)):
            item_path = f"{path}.items[{i}]"
            item_id = _item(check, item, item_path)
            check.unique(item_ids, item_id, f"{item_path}.id", "item id", item, "id")
            if item_id and item_id not in items:
                items[item_id] = {"node": item, "path": item_path, "section": section_id}
    return items


def _guide(check: Checker, node: dict, path: str) -> None:
    value = node["guide"]
    if not isinstance(value, str) or not re.match(r"^[a-z0-9/_-]+\.md(#[\w-]+)?$", value):
        check.fail(
            join(path, "guide"), "expected a page path under docs/ like model/cycle/action.md#levels", node, "guide"
        )
    elif check.pages is not None and value.partition("#")[0] not in check.pages:
        page = value.partition("#")[0]
        check.fail(join(path, "guide"), f"links to a page that does not exist: docs/{page}", node, "guide")


def _item(check: Checker, item: Any, path: str) -> str | None:
    base = ("id", "type", "prompt")
    extra = {
        "choice": ("options", "hint", "required"),
        "checks": ("options", "hint", "required", "role"),
        "rating": ("min", "max", "step", "min_label", "max_label", "hint", "required"),
        "text": ("hint", "required", "max_length", "rows"),
    }
    if not isinstance(item, dict):
        check.fail(path, f"expected a mapping, found {kind_of(item)}", item)
        return None
    item_type = item.get("type")
    if item_type not in ITEM_TYPES:
        check.fail(f"{path}.type", f"expected one of: {', '.join(ITEM_TYPES)}", item, "type")
        return check.ident(item, "id", path) if "id" in item else None
    check.mapping(item, path, base, extra[item_type])
    item_id = check.ident(item, "id", path)
    check.text(item, "prompt", path)
    check.text(item, "hint", path, required=False)
    if "required" in item and not isinstance(item["required"], bool):
        check.fail(f"{path}.required", "expected true or false", item, "required")
    if item_type in ("choice", "checks"):
        _options(check, item, path, minimum=2 if item_type == "choice" else 1)
    if item_type == "checks" and "role" in item:
        check.choice(item, "role", path, ("evidence",))
    if item_type == "rating":
        ok = check.number(item, "min", path) & check.number(item, "max", path)
        if ok and item["min"] >= item["max"]:
            check.fail(f"{path}.max", "must be greater than min", item, "max")
        if "step" in item and not (is_number(item["step"]) and item["step"] > 0):
            check.fail(f"{path}.step", "expected a positive number", item, "step")
        check.text(item, "min_label", path, required=False)
        check.text(item, "max_label", path, required=False)
    limit = item.get("max_length", 1)
    if item_type == "text" and not (isinstance(limit, int) and not isinstance(limit, bool) and 0 < limit <= 20000):
        check.fail(f"{path}.max_length", "expected a whole number from 1 to 20000", item, "max_length")
    return item_id


def _options(check: Checker, item: dict, path: str, minimum: int) -> None:
    values: dict[str, str] = {}
    for o, option in enumerate(check.listing(item, "options", path, minimum)):
        option_path = f"{path}.options[{o}]"
        if not check.mapping(option, option_path, ("value", "text"), ("label", "points")):
            continue
        value = option.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, str)) or value == "":
            check.fail(f"{option_path}.value", "an option needs a value (a whole number or an id)", option, "value")
        else:
            check.unique(values, str(value), f"{option_path}.value", "option value", option, "value")
        check.text(option, "text", option_path)
        check.text(option, "label", option_path, required=False)
        if "points" in option and not is_number(option["points"]):
            check.fail(f"{option_path}.points", "expected a number", option, "points")


def _band_sets(check: Checker, node: Any) -> dict[str, list]:
    if not isinstance(node, dict):
        check.fail("band_sets", "expected a mapping of name → bands", node)
        return {}
    return {name: bands for name, bands in node.items() if isinstance(bands, list)}


def _scales(check: Checker, data: dict, items: dict[str, dict], band_sets: dict[str, list]) -> dict[str, dict]:
    scales: dict[str, dict] = {}
    scale_ids: dict[str, str] = {}
    section_ids = {s.get("id") for s in data.get("sections") or [] if isinstance(s, dict)}
    for s, scale in enumerate(data.get("scales") or []):
        path = f"scales[{s}]"
        if not check.mapping(scale, path, ("id", "title", "items", "aggregate", "bands"), ("section", "guide")):
            continue
        scale_id = check.ident(scale, "id", path)
        check.unique(scale_ids, scale_id, f"{path}.id", "scale id", scale, "id")
        check.text(scale, "title", path)
        check.choice(scale, "aggregate", path, AGGREGATES)
        if "section" in scale and scale["section"] not in section_ids:
            check.fail(f"{path}.section", f"names an unknown section {scale['section']!r}", scale, "section")
        if "guide" in scale:
            _guide(check, scale, path)
        scale_range = _scale_range(check, scale, items, path)
        bands = scale.get("bands")
        bands_path = f"band_sets.{bands}" if isinstance(bands, str) else f"{path}.bands"
        if isinstance(bands, str):
            if bands not in band_sets:
                check.fail(f"{path}.bands", f"names an unknown band set {bands!r}", scale, "bands")
                bands = None
            else:
                bands = band_sets[bands]
        if scale_range and isinstance(bands, list):
            _bands(check, bands, bands_path, scale_range, scale)
        elif not isinstance(bands, list) and "bands" in scale and not isinstance(scale["bands"], str):
            check.fail(f"{path}.bands", "expected a list of bands or the name of a band set", scale, "bands")
        if scale_id:
            scales[scale_id] = scale
    return scales


def _scale_range(check: Checker, scale: dict, items: dict[str, dict], path: str) -> tuple[float, float] | None:
    """The lowest and highest value the scale can take, or None if its items are unusable."""
    lows, highs = [], []
    for i, item_id in enumerate(check.listing(scale, "items", path)):
        found = items.get(item_id) if isinstance(item_id, str) else None
        if found is None:
            check.fail(f"{path}.items[{i}]", f"names an unknown item {item_id!r}", scale, "items")
            return None
        node = found["node"]
        if node.get("type") in ("choice", "rating") and node.get("required") is False:
            check.fail(
                f"{path}.items[{i}]", f"item {item_id!r} is optional; a scale needs every answer", scale, "items"
            )
        span = item_span(found["node"])
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
    if not lows:
        return None
    if scale.get("aggregate") == "mean":
        return sum(lows) / len(lows), sum(highs) / len(highs)
    if scale.get("aggregate") == "percent":
        if sum(highs) == sum(lows):
            check.fail(f"{path}.items", "a percent scale needs items whose points can vary", scale, "items")
            return None
        return 0, 100
    return sum(lows), sum(highs)


def item_span(item: dict) -> tuple[float, float] | None:
    """The points an item can give (lowest, highest); None for items that give none."""
    if item.get("type") == "rating":
        return item.get("min"), item.get("max")
    points = [_option_points(item, option) for option in item.get("options") or [] if isinstance(option, dict)]
    if not points or None in points:
        return None
    if item.get("type") == "checks":
        return sum(p for p in points if p < 0), sum(p for p in points if p > 0)
    return min(points), max(points)


def _option_points(item: dict, option: dict) -> float | None:
    if is_number(option.get("points")):
        return option["points"]
    if item.get("type") == "checks":
        return 1
    value = option.get("value")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bands(check: Checker, bands: list, path: str, scale_range: tuple[float, float], scale: dict) -> None:
    """Bands are [from, to) ranges that must tile the scale's range: no gap, no overlap."""
    low, high = scale_range
    ids: dict[str, str] = {}
    expected = low
    for b, band in enumerate(bands):
        band_path = f"{path}[{b}]"
        if not check.mapping(band, band_path, ("id", "from", "to", "label"), ("text",)):
            return
        check.unique(ids, check.ident(band, "id", band_path), f"{band_path}.id", "band id", band, "id")
        check.text(band, "label", band_path)
        check.text(band, "text", band_path, required=False)
        if not (check.number(band, "from", band_path) & check.number(band, "to", band_path)):
            return
        last = b == len(bands) - 1
        if band["from"] > band["to"] or (band["from"] == band["to"] and not last):
            check.fail(f"{band_path}.to", "must be greater than from", band, "to")
        if band["from"] < expected:
            check.fail(f"{band_path}.from", f"overlaps the band before it (which ends at {expected})", band, "from")
        elif band["from"] > expected:
            check.fail(f"{band_path}.from", f"leaves a gap from {expected} to {band['from']}", band, "from")
        expected = band["to"]
    if not bands:
        check.fail(path, "expected at least one band", scale, "bands")
    elif expected != high:
        check.fail(
            f"{path}[{len(bands) - 1}].to", f"bands must end at the scale's highest value {high}", bands[-1], "to"
        )


_RULE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "extremes": (("scales",), ("ties",)),
    "floor": (("scales",), ()),
    "next-step": (("at_top",), ()),
    "focus-lists": (("lists",), ()),
    "evidence": (("scales",), ()),
    "gaps": (("scales",), ()),
    "ladder": (("scales", "threshold", "below_first"), ("lists",)),
    "card": ((), ()),
}
TEXT_RULE_FIELDS = ("at_top", "below_first")
_NEEDS_GROWTH_ZONE = ("next-step", "focus-lists")


def _rules(check: Checker, data: dict, items: dict[str, dict], scales: dict[str, dict]) -> None:
    zone_scales: list[str] = []
    for r, rule in enumerate(data.get("rules") or []):
        path = f"rules[{r}]"
        if not isinstance(rule, dict) or rule.get("kind") not in engine.RULES:
            check.fail(f"{path}.kind", f"expected one of: {', '.join(engine.RULES)}", rule, "kind")
            continue
        kind = rule["kind"]
        required, optional = _RULE_FIELDS[kind]
        check.mapping(rule, path, ("kind", *required), optional)
        for s, scale_id in enumerate(rule.get("scales") or []):
            if scale_id not in scales:
                check.fail(f"{path}.scales[{s}]", f"names an unknown scale {scale_id!r}", rule, "scales")
        if kind == "extremes":
            if len(rule.get("scales") or []) < 2:
                check.fail(f"{path}.scales", "expected at least 2 scales to compare", rule, "scales")
            if "ties" in rule:
                check.choice(rule, "ties", path, TIES)
            zone_scales = [s for s in rule.get("scales") or [] if s in scales]
        if kind in _NEEDS_GROWTH_ZONE and not zone_scales:
            check.fail(f"{path}.kind", "needs an 'extremes' rule before it (it works on the growth zone)", rule, "kind")
        if kind == "next-step":
            check.text(rule, "at_top", path)
            for scale_id in zone_scales:
                scale_items = scales[scale_id].get("items") or []
                node = items.get(scale_items[0], {}).get("node", {}) if scale_items else {}
                if len(scale_items) != 1 or node.get("type") != "choice":
                    check.fail(f"{path}.kind", f"scale {scale_id!r} must rest on exactly one choice item", rule, "kind")
        if kind in ("focus-lists", "evidence"):
            for scale_id in zone_scales if kind == "focus-lists" else rule.get("scales") or []:
                if scale_id in scales and "section" not in scales[scale_id]:
                    check.fail(f"{path}.kind", f"scale {scale_id!r} has no section to read from", rule, "kind")
        if kind in ("focus-lists", "ladder") and not isinstance(rule.get("lists", []), list):
            check.fail(f"{path}.lists", "expected a list of list names", rule, "lists")
        if kind == "ladder":
            check.text(rule, "below_first", path)
            threshold = rule.get("threshold")
            if not (is_number(threshold) and 0 < threshold <= 100):
                check.fail(f"{path}.threshold", "expected a percentage above 0 and at most 100", rule, "threshold")
            for scale_id in rule.get("scales") or []:
                if scale_id in scales and scales[scale_id].get("aggregate") != "percent":
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
    data = load_checked(path, lambda data, name: validate(data, name, expected_id=path.stem, pages=pages))
    return compile_instrument(data, lang, link)


def load_folder(
    folder: Path, lang: str = "kk", link: Callable[[str], str] = lambda p: p, pages: set[str] | None = None
) -> dict[str, dict]:
    """All instruments of a folder by id; every file's problems are reported together."""
    return load_each(sorted(folder.glob("*.yml")), lambda path: load_instrument(path, lang, link, pages))
