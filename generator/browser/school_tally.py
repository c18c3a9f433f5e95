"""Tallies: one instrument's counts, as the summary file holds them and as they are read back from one.

A tally is one flat Counter of keys ("n",), ("s", scale id, value), ("i", item id, option value) and
("z", scale id), so one teacher is one C-level Counter.update and two tallies merge by addition.
``_tally_out`` writes it as the summary's <tally> (``school_files``); ``_read_tally`` and ``_read_part``
read a summary's tallies back, checked against the instrument, so a summary counts as the files it was made of.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from . import engine
from .school_common import FACTS, Json, RefusedError, _has_growth_zone, _items, _key


def _teacher_keys(scales: dict[str, str], items: dict[str, list[str]], zone: str | None) -> list[tuple]:
    keys: list[tuple] = [("n",)]
    keys += [("s", scale_id, value) for scale_id, value in scales.items()]
    keys += [("i", item_id, value) for item_id, values in items.items() for value in values]
    if zone is not None:
        keys.append(("z", zone))
    return keys


def _tally_out(tally: Counter, instrument: Json) -> Json:
    bands = {scale["id"]: scale["bands"] for scale in instrument["scales"]}
    out: Json = {"n": tally[("n",)], "scales": {}, "items": {}, "growth_zone": {}}
    for key, count in sorted(tally.items()):
        if count == 0 or key[0] == "n":
            continue
        if key[0] == "s":
            scale = out["scales"].setdefault(key[1], {"histogram": {}, "bands": {}})
            scale["histogram"][key[2]] = count
            band = engine.band_for(bands[key[1]], float(key[2]))["id"]
            scale["bands"][band] = scale["bands"].get(band, 0) + count
        elif key[0] == "i":
            out["items"].setdefault(key[1], {})[key[2]] = count
        else:
            out["growth_zone"][key[1]] = count
    return out


class _Instrument:
    """One instrument's counts: a tally per combination of facts given (few), and what summaries added."""

    def __init__(self, instrument: Json):
        self.instrument = instrument
        self.profiles: dict[tuple, Counter] = {}
        self.total = Counter()  # from summaries
        self.by_fact: dict[str, dict[str, Counter]] = {}  # from summaries

    def add(self, keys: list[tuple], facts: Json) -> None:
        profile = tuple((fact, facts[fact]) for fact in FACTS if fact in facts)
        tally = self.profiles.get(profile)
        if tally is None:
            self.profiles[profile] = tally = Counter()
        tally.update(keys)

    def merge(self, total: Counter, by_fact: dict[str, dict[str, Counter]]) -> None:
        self.total.update(total)
        for fact, groups in by_fact.items():
            for value, tally in groups.items():
                self.by_fact.setdefault(fact, {}).setdefault(value, Counter()).update(tally)

    def out(self) -> Json:
        total = Counter(self.total)
        by_fact = {
            fact: {value: Counter(tally) for value, tally in groups.items()} for fact, groups in self.by_fact.items()
        }
        for profile, tally in self.profiles.items():
            total.update(tally)
            for fact, value in profile:
                by_fact.setdefault(fact, {}).setdefault(value, Counter()).update(tally)
        data = _tally_out(total, self.instrument)
        data["version"] = self.instrument["version"]
        data["by_fact"] = {
            fact: {value: _tally_out(tally, self.instrument) for value, tally in groups.items()}
            for fact, groups in by_fact.items()
        }
        return data


def _number_in(low: float, high: float):
    def allowed(key: str) -> bool:
        try:
            return low <= float(key) <= high and _key(json.loads(key)) == key
        except ValueError:
            return False

    return allowed


TALLY_KEYS = {"n", "scales", "items", "growth_zone"}


def _read_tally(instrument: Json, part: Any) -> Counter:
    """A summary's tally, checked against the instrument: every key one it could hold, every count a
    positive whole number, bands as the histogram gives them, written as this module writes it."""
    if not isinstance(part, dict) or not isinstance(part.get("n"), int):
        raise RefusedError("mismatch")
    specs = {scale["id"]: scale for scale in instrument["scales"]}
    allowed = {("s", s["id"]): _number_in(s["min"], s["max"]) for s in instrument["scales"]}
    for item in _items(instrument).values():
        if item["type"] == "rating":
            allowed["i", item["id"]] = _number_in(item["min"], item["max"])
        elif item["type"] != "text":
            allowed["i", item["id"]] = {_key(option["value"]) for option in item["options"]}.__contains__
    zones = set(specs) if _has_growth_zone(instrument) else set()
    tally = Counter({("n",): part["n"]})
    try:
        for kind, part_name in (("s", "scales"), ("i", "items")):
            for key, counts in part[part_name].items():
                counts = counts["histogram"] if kind == "s" else counts
                check = allowed.get((kind, key))
                for value, count in counts.items():
                    if check is None or not check(value):
                        raise RefusedError("mismatch")
                    tally[kind, key, value] = count
        for zone, count in part["growth_zone"].items():
            if zone not in zones:
                raise RefusedError("mismatch")
            tally["z", zone] = count
    except (AttributeError, KeyError, TypeError):
        raise RefusedError("mismatch") from None
    if any(type(count) is not int or count <= 0 for count in tally.values()):
        raise RefusedError("mismatch")
    shown = {key: part[key] for key in TALLY_KEYS if key in part}
    if _tally_out(tally, instrument) != shown:
        raise RefusedError("mismatch")
    if any(sum(scale["histogram"].values()) != part["n"] for scale in shown["scales"].values()):
        raise RefusedError("mismatch")
    return tally


def _read_part(instrument: Json, part: Json) -> tuple[Counter, dict[str, dict[str, Counter]]]:
    if set(part) != TALLY_KEYS | {"version", "by_fact"} or not isinstance(part["by_fact"], dict):
        raise RefusedError("mismatch")
    total = _read_tally(instrument, part)
    groups: dict[str, dict[str, Counter]] = {}
    for fact, values in part["by_fact"].items():
        if fact not in FACTS or not isinstance(values, dict) or not set(values) <= set(FACTS[fact]):
            raise RefusedError("mismatch")
        groups[fact] = {}
        for value, tally in values.items():
            if not isinstance(tally, dict) or set(tally) != TALLY_KEYS:
                raise RefusedError("mismatch")
            groups[fact][value] = _read_tally(instrument, tally)
        if sum(tally[("n",)] for tally in groups[fact].values()) > total[("n",)]:
            raise RefusedError("mismatch")
    return total, groups
