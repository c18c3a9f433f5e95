"""Named mode: mentoring pairs and Lesson Study groups.

Named mode (``pairs_files``) exists only when every file used is a share that carries the name its teacher
typed; names never reach the summary.
"""

from __future__ import annotations

import json

from .school_common import CYCLE, Json, _zone_scales
from .school_files import Aggregator, _sorted_files

GROUP_SIZE = 4  # colleagues sharing a growth zone per Lesson Study group, joined by one strong on it


def pairs(roster: list[Json] | None, instruments: dict[str, Json]) -> Json | None:
    """From the cycle self-assessment of named teachers: per stage, each colleague whose growth zone it is
    paired with the colleague strongest on it (each mentor once a stage, and only one scoring higher),
    and those sharing the growth zone grouped for Lesson Study with one strong colleague. None unless
    every counted file carried a name (``roster`` is None then)."""
    if roster is None or CYCLE not in instruments:
        return None
    cycle = [entry for entry in roster if entry["instrument"] == CYCLE]
    found: Json = {"pairs": [], "groups": []}
    for scale in _zone_scales(instruments[CYCLE]):
        values = {e["name"]: e["values"][scale["id"]] for e in cycle}
        zoned = sorted({e["name"] for e in cycle if e["growth_zone"] == scale["id"]})
        strong = sorted((name for name in values if name not in zoned), key=lambda name: (-values[name], name))
        free = list(strong)
        for mentee in zoned:
            mentor = next((name for name in free if values[name] > values[mentee]), None)
            if mentor is not None:
                free.remove(mentor)
                found["pairs"].append(
                    {"stage": scale["id"], "title": scale["title"], "mentor": mentor, "mentee": mentee}
                )
        for start in range(0, len(zoned) if len(zoned) >= 2 else 0, GROUP_SIZE):
            members = zoned[start : start + GROUP_SIZE]
            leader = strong[(start // GROUP_SIZE) % len(strong)] if strong else None
            found["groups"].append(
                {"stage": scale["id"], "title": scale["title"], "members": members + ([leader] if leader else [])}
            )
    return found


def pairs_files(names: list[str], blobs: list[bytes], instruments_json: str) -> str:
    """The browser's boundary for named mode: the same files as ``aggregate_files``; JSON ``null`` unless
    every counted file is a share carrying its teacher's name. Pass the result to ``report_json``."""
    instruments = json.loads(instruments_json)
    aggregator = Aggregator(instruments, roster=[])
    for name, data in _sorted_files(names, blobs):
        aggregator.add(name, data)
        if aggregator.roster is None:
            return "null"  # a file without a name (or a summary): named mode is off, no need to read on
    roster = aggregator.roster if aggregator.share_ids else None
    return json.dumps(pairs(roster, instruments), ensure_ascii=False)
