"""The report: what the page draws, prints and writes to Word of a summary, privacy rules applied.

Privacy (``report``): no figure for a group of fewer than MIN_GROUP teachers (an instrument's whole staff
or a subgroup by a fact). A breakdown by a fact partitions the staff (teachers who did not give the fact
are one more group): groups of MIN_GROUP or more are shown, the rest merge into "other", and the whole
breakdown is hidden when "other" would hold 1 to MIN_GROUP - 1 teachers, since then subtraction from the
total would give a small group away.
"""

from __future__ import annotations

import json
from collections import Counter

from .school_common import CYCLE, FACTS, Json, RefusedError, _has_growth_zone, _items, _key, _zone_scales
from .school_files import Aggregator, examine

MIN_GROUP = 5
ADMIN = "admin-cycle-audit"  # Table 2's administration actions (the priorities), kept as this audit's items
NOT_GIVEN = "not-given"  # the group of teachers who did not give a fact
OTHER = "other"  # small groups merged


def _quantile(histogram: dict[str, int], p: float) -> float:
    """The p-quantile of the values a histogram counts, interpolated between ranks (as statistics.quantiles
    with method="inclusive")."""
    values = sorted((float(value), count) for value, count in histogram.items() if count)
    n = sum(count for _, count in values)
    position = (n - 1) * p
    low, fraction = int(position), position - int(position)

    def at(rank: int) -> float:
        seen = 0
        for value, count in values:
            seen += count
            if rank < seen:
                return value
        return values[-1][0]

    low_value = at(low)
    result = low_value + (at(low + 1) - low_value) * fraction if fraction else low_value
    return float(_key(round(result, 2)))


def _percent(count: int, n: int) -> int:
    return round(100 * count / n) if n else 0


def breakdown(groups: dict[str, int], total: int) -> list[tuple[str, list[str]]] | None:
    """The groups a breakdown by one fact may show, as (label key, values merged in it), or None when hidden.

    Teachers who did not give the fact form the NOT_GIVEN group; groups under MIN_GROUP merge into OTHER;
    the breakdown is hidden when OTHER holds 1 to MIN_GROUP - 1 teachers or fewer than two groups remain.
    """
    sizes = {**{value: n for value, n in groups.items() if n}, NOT_GIVEN: total - sum(groups.values())}
    shown = [(value, [value]) for value, n in sizes.items() if n >= MIN_GROUP and value != NOT_GIVEN]
    if sizes[NOT_GIVEN] >= MIN_GROUP:
        shown.append((NOT_GIVEN, [NOT_GIVEN]))
    small = [value for value, n in sizes.items() if 0 < n < MIN_GROUP]
    if small:
        if sum(sizes[value] for value in small) < MIN_GROUP:
            return None
        shown.append((OTHER, small))
    return shown if len(shown) > 1 else None


def _scale_rows(instrument: Json, part: Json) -> list[Json]:
    rows = []
    for scale in instrument["scales"]:
        data = part["scales"].get(scale["id"])
        if not data:
            continue
        n = sum(data["histogram"].values())
        rows.append(
            {
                "id": scale["id"],
                "title": scale["title"],
                "median": _quantile(data["histogram"], 0.5),
                "q1": _quantile(data["histogram"], 0.25),
                "q3": _quantile(data["histogram"], 0.75),
                "bands": [
                    {
                        "id": band["id"],
                        "label": band["label"],
                        "count": data["bands"].get(band["id"], 0),
                        "percent": _percent(data["bands"].get(band["id"], 0), n),
                    }
                    for band in scale["bands"]
                ],
            }
        )
    return rows


def _priorities(instruments: dict[str, Json], instrument: Json, zones: list[Json]) -> list[Json]:
    """The most frequent growth zone(s) (all tied at the top) with Table 1's forms and methods (the
    cycle's section lists) and Table 2's administration actions (the administration audit's items)."""
    top = max((zone["count"] for zone in zones), default=0)
    sections = {section["id"]: section for section in instrument["sections"]}
    admin = {section["id"]: section for section in instruments.get(ADMIN, {"sections": []})["sections"]}
    specs = {scale["id"]: scale for scale in instrument["scales"]}
    out = []
    for zone in zones:
        if top and zone["count"] == top:
            section_id = specs[zone["id"]]["section"]
            steps = [item["prompt"] for item in admin.get(section_id, {"items": []})["items"]]
            forms = sections[section_id].get("lists", {}).get("methods", [])
            out.append({**zone, "forms": forms, "admin_steps": steps})
    return out


def _heat_map(part: Json, zones: list[Json]) -> Json | None:
    """Growth zone × category: the share of each shown category group whose growth zone is the stage."""
    given = part["by_fact"].get("category", {})
    groups = {v: (given[v]["n"], Counter(given[v]["growth_zone"])) for v in FACTS["category"] if v in given}
    missing = Counter(part["growth_zone"])
    for _, counts in groups.values():
        missing.subtract(counts)  # the teachers who did not give their category: the staff minus every group
    groups[NOT_GIVEN] = (part["n"] - sum(n for n, _ in groups.values()), missing)
    shown = breakdown({value: n for value, (n, _) in groups.items() if value != NOT_GIVEN}, part["n"])
    if shown is None:
        return None
    columns, cells = [], [[] for _ in zones]
    for key, values in shown:
        n = sum(groups[value][0] for value in values)
        counts = sum((groups[value][1] for value in values), Counter())
        columns.append(key)  # a category, NOT_GIVEN or OTHER: the page names it
        for row, zone in enumerate(zones):
            cells[row].append(round(counts[zone["id"]] / n, 2))
    return {"rows": [zone["title"] for zone in zones], "columns": columns, "cells": cells}


def _questions(instrument: Json, part: Json) -> list[Json]:
    """The App. А survey's purpose: every question's answers with percentages of the teachers."""
    out = []
    for item in _items(instrument).values():
        if item["type"] == "text":
            continue
        counts = part["items"].get(item["id"], {})
        if item["type"] == "rating":
            options = [(key, key) for key in sorted(counts, key=float)]
        else:
            options = [(_key(o["value"]), o["label"] or o["text"]) for o in item["options"]]
        rows = [
            {
                "value": key,
                "label": label,
                "count": counts.get(key, 0),
                "percent": _percent(counts.get(key, 0), part["n"]),
            }
            for key, label in options
        ]
        out.append({"id": item["id"], "prompt": item["prompt"], "options": rows})
    return out


def _comparison(instrument: Json, now: list[Json], earlier: Json | None) -> list[Json]:
    part = (earlier or {}).get("instruments", {}).get(instrument["id"])
    if not part or part.get("version") != instrument["version"] or part.get("n", 0) < MIN_GROUP:
        return []
    before = {row["id"]: row for row in _scale_rows(instrument, part)}
    out = []
    for row in now:
        old = before.get(row["id"])
        if old is None:
            continue
        delta = round(row["median"] - old["median"], 2)
        direction = "up" if delta > 0 else "down" if delta < 0 else "same"
        out.append(
            {
                "scale": row["id"],
                "title": row["title"],
                "before": old["median"],
                "after": row["median"],
                "delta": delta,
                "direction": direction,
            }
        )
    return out


def _instrument_report(instruments: dict[str, Json], instrument: Json, part: Json, earlier: Json | None) -> Json:
    out: Json = {
        "id": instrument["id"],
        "title": instrument["title"],
        "version": instrument["version"],
        "n": part["n"],
        "min_group": MIN_GROUP,
        "hidden": part["n"] < MIN_GROUP,
    }
    if out["hidden"]:
        return out
    out["scales"] = _scale_rows(instrument, part)
    if _has_growth_zone(instrument):
        zones = [
            {
                "id": s["id"],
                "title": s["title"],
                "count": part["growth_zone"].get(s["id"], 0),
                "percent": _percent(part["growth_zone"].get(s["id"], 0), part["n"]),
            }
            for s in _zone_scales(instrument)
        ]
        out["growth_zones"] = zones
        if instrument["id"] == CYCLE:
            out["priorities"] = _priorities(instruments, instrument, zones)
            out["heat_map"] = _heat_map(part, _zone_scales(instrument))
    if instrument["kind"] == "survey":
        out["questions"] = _questions(instrument, part)
    out["comparison"] = _comparison(instrument, out["scales"], earlier)
    return out


def report(summary: Json, instruments: dict[str, Json], earlier: Json | None = None, named: Json | None = None) -> Json:
    """What the school page shows of a summary (made by ``aggregate`` with these instruments)."""
    shown = [
        _instrument_report(instruments, instruments[key], part, earlier)
        for key, part in summary["instruments"].items()
        if key in instruments and instruments[key]["version"] == part["version"]
    ]
    return {
        "min_group": MIN_GROUP,
        "counted": len(summary["share_ids"]),
        "instruments": shown,
        "rejected": summary["rejected"],
        "named": named,
    }


def read_summary(text: str, instruments: dict[str, Json]) -> Json:
    """A summary file's text, checked as the aggregation checks it; raises RefusedError."""
    examined = examine(text.encode(), instruments)
    if examined[0] != "summary":
        raise RefusedError(examined[1] if examined[0] == "refused" else "not-ours")
    aggregator = Aggregator(instruments)
    aggregator.count("summary", examined)
    return aggregator.summary()


def report_json(summary_json: str, instruments_json: str, earlier_json: str = "", named_json: str = "") -> str:
    """JSON boundary of ``report``. ``earlier_json``: an earlier summary file's text (or ""); a file that is
    not a summary is left out and ``earlier`` says "rejected". ``named_json``: what ``pairs_files`` gave for
    the same files (or "")."""
    instruments = json.loads(instruments_json)
    summary = read_summary(summary_json, instruments)
    earlier, status = None, "none"
    if earlier_json:
        try:
            earlier, status = read_summary(earlier_json, instruments), "used"
        except RefusedError:
            status = "rejected"
    result = report(summary, instruments, earlier, json.loads(named_json) if named_json else None)
    result["earlier"] = status
    return json.dumps(result, ensure_ascii=False)
