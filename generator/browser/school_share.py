"""The share file (teacher → school), made by ``share_json``; serialised canonically (sorted keys, ``,``/``:``)::

    {"format": "kasibi-share", "format_version": 1, "share_id": 32 lowercase hex digits, "month": "YYYY-MM",
     "instrument": {"id", "version"},
     "answers": {item id: answer}        only choice, checks and rating items: free text never enters
     "scales": [{"id", "value", "band"}], "growth_zone": scale id | null,
     "facts": {"category"?, "subject"?, "experience"?, "name"?}}   only the facts the teacher gave (FACTS)

The school reads it back in ``school_files`` (``examine``), which scores the answers again and checks the facts
with ``checked_facts``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from . import engine
from .school_common import FACTS, FORMAT_VERSION, Json, _has_growth_zone, _items, canonical

SHARE = "kasibi-share"
NAME_MAX = 80
SHARE_KEYS = {
    "format",
    "format_version",
    "share_id",
    "month",
    "instrument",
    "answers",
    "scales",
    "growth_zone",
    "facts",
}
SHARE_ID = re.compile(r"[0-9a-f]{32}")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def checked_facts(facts: Any) -> Json:
    """The facts as a share file holds them: only known ones, with known values; empty ones dropped."""
    if not isinstance(facts, dict):
        raise ValueError("facts must be an object")
    out: Json = {}
    for fact, value in facts.items():
        if value in (None, ""):
            continue
        if fact == "name":
            if not isinstance(value, str) or not value.strip() or len(value.strip()) > NAME_MAX:
                raise ValueError(f"name: expected text of 1 to {NAME_MAX} characters")
            out[fact] = value.strip()
            continue
        values = FACTS.get(fact)
        if values is None:
            raise ValueError(f"unknown fact {fact!r}")
        if value not in values:
            raise ValueError(f"{fact}: {value!r} is not one of {', '.join(values)}")
        out[fact] = value
    return out


def share(instrument: Json, answers: Json, result: Json, facts: Json, share_id: str, month: str) -> Json:
    """The teacher's file for the school: scored again here from the answers, free text left out."""
    if result.get("instrument") != instrument["id"] or result.get("instrument_version") != instrument["version"]:
        raise ValueError("the result is not of this instrument and version")
    if not SHARE_ID.fullmatch(share_id or "") or not MONTH.fullmatch(month or ""):
        raise ValueError("share id must be 32 hex digits and month YYYY-MM")
    items = _items(instrument)
    if all(item["type"] == "text" for item in items.values()):
        raise ValueError("this instrument has only free-text answers: nothing goes to the school")
    kept = {i: a for i, a in answers.items() if i in items and items[i]["type"] != "text" and a not in (None, "", [])}
    scored = engine.score(instrument, kept)
    if not scored["complete"]:
        raise ValueError("the result is not complete")
    scales = [{"id": s["id"], "value": s["value"], "band": s["band"]} for s in scored["scales"]]
    if [(s["id"], s["value"]) for s in result.get("scales", [])] != [(s["id"], s["value"]) for s in scales]:
        raise ValueError("the result does not match its answers")
    return {
        "format": SHARE,
        "format_version": FORMAT_VERSION,
        "share_id": share_id,
        "month": month,
        "instrument": {"id": instrument["id"], "version": instrument["version"]},
        "answers": kept,
        "scales": scales,
        "growth_zone": scored.get("growth_zone"),
        "facts": checked_facts(facts),
    }


def share_json(
    instrument_json: str, answers_json: str, result_json: str, facts_json: str, share_id: str, month: str
) -> str:
    """JSON boundary of ``share`` (the worker's "share" message); raises ValueError on bad input."""
    return canonical(
        share(
            json.loads(instrument_json),
            json.loads(answers_json),
            json.loads(result_json),
            json.loads(facts_json),
            share_id,
            month,
        )
    )


def share_contents(instrument: Json, facts: Json) -> Json:
    """What the share file will hold, shown before it is saved: the instrument, how many answers go in and how many
    free-text ones stay out, whether a growth zone goes in, the facts given and the name (the page says it all in
    its language)."""
    items = _items(instrument).values()
    given = checked_facts(facts)
    return {
        "title": instrument["title"],
        "version": instrument["version"],
        "answers": sum(1 for item in items if item["type"] != "text"),
        "texts": sum(1 for item in items if item["type"] == "text"),
        "growth_zone": _has_growth_zone(instrument),
        "facts": {fact: given[fact] for fact in FACTS if fact in given},
        "name": given.get("name"),
    }


def share_contents_json(instrument_json: str, facts_json: str) -> str:
    """JSON boundary of ``share_contents``."""
    return json.dumps(share_contents(json.loads(instrument_json), json.loads(facts_json)), ensure_ascii=False)
