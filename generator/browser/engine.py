"""Scoring engine for the self-assessment instruments.

Pure standard library, no I/O, no clock: this one file runs unchanged in CPython
(build, tests, CLI) and in Pyodide (the browser's Web Worker). It takes a
compiled instrument (made by ``generator.formats.instrument.compile_instrument``) and the
teacher's answers. ``compute`` returns ids and numbers only, the same for the instrument
compiled in any language; ``describe`` adds the texts of the instrument's language (the
report's sentences all come from the instrument's data); ``score`` does both, and its
result carries every text the report needs, so a saved result reads the same years later.

Computation, in order:
1. every answer is checked against its item (type, allowed values, range);
2. each item gives points (a choice: its option's points; ticks: the sum of the
   ticked options' points; a rating: the number itself; free text: none);
3. each scale aggregates its items' points (``sum``, ``mean``, or ``percent`` of
   the possible range) and is placed in the band whose ``[from, to)`` range
   holds the value (the last band also holds its ``to``);
4. the instrument's rules, in their order, add conclusions to the result.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

ENGINE_VERSION = "1.0.0"

Result = dict[str, Any]


class AnswerError(ValueError):
    """The answers do not fit the instrument (wrong type, unknown item or value)."""


def score(instrument: dict[str, Any], answers: dict[str, Any]) -> Result:
    """Score ``answers`` (item id → answer) against a compiled ``instrument``, with the instrument's texts."""
    return describe(instrument, compute(instrument, answers))


def compute(instrument: dict[str, Any], answers: dict[str, Any]) -> Result:
    """The result in ids and numbers: which answers count, each scale's value and band, each rule's conclusion."""
    items = {item["id"]: item for section in instrument["sections"] for item in section["items"]}
    given = _checked_answers(items, answers)
    required = [item_id for item_id, item in items.items() if item["required"]]
    missing = [item_id for item_id in required if item_id not in given]
    result: Result = {
        "instrument": instrument["id"],
        "instrument_version": instrument["version"],
        "engine": ENGINE_VERSION,
        "kind": instrument["kind"],
        "chart": instrument["report"]["chart"],
        "answered": len(required) - len(missing),
        "required": len(required),
        "complete": not missing,
        "missing": missing,
    }
    if missing:
        return result
    points = {item_id: _points(items[item_id], answer) for item_id, answer in given.items()}
    result["scales"] = [_scale_result(scale, points) for scale in instrument["scales"]]
    context = _Context(instrument, items, given, {s["id"]: s for s in result["scales"]})
    for rule in instrument["rules"]:
        RULES[rule["kind"]](rule, context, result)
    return result


def describe(instrument: dict[str, Any], computed: Result) -> Result:
    """``computed`` (made by ``compute`` from this instrument in any language) with the texts of ``instrument``'s
    language: titles, bands, the rules' statements and the answers as the form words them."""
    result: Result = json.loads(json.dumps(computed))
    result.update(
        title=instrument["title"],
        plan=instrument["report"].get("plan", ""),
        provenance=instrument["provenance"],
        sources=instrument["sources"],
    )
    if "scales" not in result:
        return result
    specs = {scale["id"]: scale for scale in instrument["scales"]}
    for scale in result["scales"]:
        spec = specs[scale["id"]]
        band = next(band for band in spec["bands"] if band["id"] == scale["band"])
        scale.update(
            title=spec["title"], band_label=band["label"], band_text=band.get("text", ""), guide=spec.get("guide", "")
        )
    items = {item["id"]: item for section in instrument["sections"] for item in section["items"]}
    context = _Context(instrument, items, {}, {s["id"]: s for s in result["scales"]})
    for rule in instrument["rules"]:
        if rule["kind"] in WORDS:
            WORDS[rule["kind"]](rule, context, result)
    return result


def score_json(instrument_json: str, answers_json: str) -> str:
    """JSON in, JSON out: the boundary the Web Worker and the parity tests use."""
    try:
        result = score(json.loads(instrument_json), json.loads(answers_json))
    except AnswerError as error:
        return json.dumps({"error": str(error)}, ensure_ascii=False)
    return json.dumps(result, ensure_ascii=False)


def compare(older: Result, newer: Result) -> Result:
    """What rose and what fell between two complete results of the same instrument."""
    if older.get("instrument") != newer.get("instrument"):
        raise AnswerError("results of different instruments cannot be compared")
    before = {scale["id"]: scale for scale in older.get("scales", [])}
    changes = []
    for scale in newer.get("scales", []):
        old = before.get(scale["id"])
        if old is None:
            continue
        delta = round(scale["value"] - old["value"], 2)
        changes.append(
            {
                "scale": scale["id"],
                "title": scale["title"],
                "before": old["value"],
                "after": scale["value"],
                "delta": delta,
                "before_band": old["band_label"],
                "after_band": scale["band_label"],
                "direction": "up" if delta > 0 else "down" if delta < 0 else "same",
            }
        )
    return {
        "instrument": newer["instrument"],
        "same_version": older.get("instrument_version") == newer.get("instrument_version"),
        "changes": changes,
        "rose": [c["scale"] for c in changes if c["direction"] == "up"],
        "fell": [c["scale"] for c in changes if c["direction"] == "down"],
    }


def compare_json(older_json: str, newer_json: str) -> str:
    """JSON boundary of ``compare`` for the Web Worker."""
    try:
        return json.dumps(compare(json.loads(older_json), json.loads(newer_json)), ensure_ascii=False)
    except (AnswerError, KeyError, TypeError) as error:
        return json.dumps({"error": f"cannot compare: {error}"}, ensure_ascii=False)


# --- answers ---------------------------------------------------------------


def _checked_answers(items: dict[str, dict[str, Any]], answers: Any) -> dict[str, Any]:
    """Return the non-empty answers, each checked against its item."""
    if not isinstance(answers, dict):
        raise AnswerError("answers must be an object of item id → answer")
    given: dict[str, Any] = {}
    for item_id, answer in answers.items():
        item = items.get(item_id)
        if item is None:
            raise AnswerError(f"unknown item {item_id!r}")
        if answer is None or answer == "" or answer == []:
            continue
        _check_answer(item, answer)
        given[item_id] = answer
    return given


def _check_answer(item: dict[str, Any], answer: Any) -> None:
    kind = item["type"]
    if kind == "choice":
        if _option(item, answer) is None:
            raise AnswerError(f"{item['id']}: {answer!r} is not one of its options")
    elif kind == "checks":
        if not isinstance(answer, list) or len(set(map(str, answer))) != len(answer):
            raise AnswerError(f"{item['id']}: expected a list of distinct option values")
        for value in answer:
            if _option(item, value) is None:
                raise AnswerError(f"{item['id']}: {value!r} is not one of its options")
    elif kind == "rating":
        if not _is_number(answer) or not item["min"] <= answer <= item["max"]:
            raise AnswerError(f"{item['id']}: expected a number from {item['min']} to {item['max']}")
    elif kind == "text" and (not isinstance(answer, str) or len(answer) > item["max_length"]):
        raise AnswerError(f"{item['id']}: expected text of at most {item['max_length']} characters")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _option(item: dict[str, Any], value: Any) -> dict[str, Any] | None:
    for option in item["options"]:
        if option["value"] == value and type(option["value"]) is type(value):
            return option
    return None


def _points(item: dict[str, Any], answer: Any) -> float:
    kind = item["type"]
    if kind == "choice":
        return _option(item, answer)["points"]
    if kind == "checks":
        return sum(_option(item, value)["points"] for value in answer)
    if kind == "rating":
        return answer
    return 0


# --- scales ----------------------------------------------------------------


def _scale_result(scale: dict[str, Any], points: dict[str, float]) -> Result:
    values = [points.get(item_id, 0) for item_id in scale["items"]]
    total = sum(values)
    if scale["aggregate"] == "mean":
        value = total / len(values)
    elif scale["aggregate"] == "percent":
        low, high = scale["points_range"]
        value = (total - low) / (high - low) * 100
    else:
        value = total
    value = round(value, 2)
    band = band_for(scale["bands"], value)
    return {
        "id": scale["id"],
        "value": value,
        "min": scale["min"],
        "max": scale["max"],
        "band": band["id"],
        "band_rank": scale["bands"].index(band) + 1,
        "ticks": [b["from"] for b in scale["bands"][1:]],
    }


def band_for(bands: list[dict[str, Any]], value: float) -> dict[str, Any]:
    """The band whose [from, to) range holds ``value``; the last band holds its ``to``."""
    for band in bands:
        if band["from"] <= value < band["to"]:
            return band
    last = bands[-1]
    if value == last["to"]:
        return last
    raise AnswerError(f"value {value} lies outside every band")


# --- rules -----------------------------------------------------------------


class _Context:
    """What rules may read: the instrument, the checked answers and the scale results."""

    def __init__(self, instrument, items, answers, scales):
        self.instrument: dict[str, Any] = instrument
        self.items: dict[str, dict[str, Any]] = items
        self.answers: dict[str, Any] = answers
        self.scales: dict[str, Result] = scales
        self.sections = {section["id"]: section for section in instrument["sections"]}
        self.scale_specs = {scale["id"]: scale for scale in instrument["scales"]}


def _rule_extremes(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """Strongest scales (all tied at the top) and one growth zone (the lowest).

    Ties for the growth zone go to the scale listed first in the rule (``ties:
    first``) or last (``ties: last``), so the choice is stated, not arbitrary.
    """
    ids = rule["scales"]
    values = [ctx.scales[scale_id]["value"] for scale_id in ids]
    top, bottom = max(values), min(values)
    lowest = [scale_id for scale_id, value in zip(ids, values, strict=True) if value == bottom]
    result["strongest"] = [scale_id for scale_id, value in zip(ids, values, strict=True) if value == top]
    result["growth_zone"] = lowest[0] if rule["ties"] == "first" else lowest[-1]
    result["growth_zone_ties"] = lowest
    result["all_equal"] = top == bottom


def _rule_floor(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """The band reached on every listed scale: the band of the lowest value."""
    lowest = min((ctx.scales[scale_id] for scale_id in rule["scales"]), key=lambda s: s["value"])
    result["floor"] = {"scale": lowest["id"], "band": lowest["band"], "rank": lowest["band_rank"]}


def _words_floor(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    result["floor"]["label"] = ctx.scales[result["floor"]["scale"]]["band_label"]


def _rule_next_step(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """The statement one option above the answer on the growth zone's choice item."""
    scale_id = result["growth_zone"]
    item = ctx.items[ctx.scale_specs[scale_id]["items"][0]]
    current = _option(item, ctx.answers[item["id"]])
    higher = sorted((o for o in item["options"] if o["points"] > current["points"]), key=lambda o: o["points"])
    result["next_step"] = {
        "scale": scale_id,
        "item": item["id"],
        "current_value": current["value"],
        "next_value": higher[0]["value"] if higher else None,
    }


def _words_next_step(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    step = result["next_step"]
    item = ctx.items[step["item"]]
    current, higher = _option(item, step["current_value"]), step["next_value"]
    higher = None if higher is None else _option(item, higher)
    step.update(
        title=ctx.scales[step["scale"]]["title"],
        current={"label": current["label"], "text": current["text"]},
        next={"label": higher["label"], "text": higher["text"]} if higher else None,
        guide=ctx.scales[step["scale"]]["guide"],
    )
    if not higher:
        step["at_top"] = rule["at_top"]


def _words_focus_lists(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """The growth zone's section lists (e.g. Table 1's forms and methods)."""
    section = ctx.sections[ctx.scale_specs[result["growth_zone"]]["section"]]
    result["focus"] = {name: section["lists"].get(name, []) for name in rule["lists"]}


def _rule_gaps(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """Per scale, the items not yet at their highest answer (e.g. "partly" or "not yet"): a ticks item's unticked
    options that count, a choice or rating item's answer."""
    gaps = []
    for scale_id in rule["scales"]:
        missing: list[dict[str, Any]] = []
        for item_id in ctx.scale_specs[scale_id]["items"]:
            item = ctx.items[item_id]
            answer = ctx.answers.get(item_id)
            if item["type"] == "checks":
                unticked = [o["value"] for o in item["options"] if o["points"] > 0 and o["value"] not in (answer or [])]
                missing += [{"item": item_id, "option": value} for value in unticked]
            elif item["type"] == "choice":
                if _option(item, answer)["points"] < max(o["points"] for o in item["options"]):
                    missing.append({"item": item_id, "answer": answer})
            elif answer < item["max"]:
                missing.append({"item": item_id, "answer": answer})
        gaps.append({"scale": scale_id, "missing": missing})
    result["gaps"] = gaps


def _words_gaps(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    for gap in result["gaps"]:
        words = []
        for entry in gap["missing"]:
            item = ctx.items[entry["item"]]
            if "option" in entry:
                words.append(_option(item, entry["option"])["text"])
            elif item["type"] == "choice":
                chosen = _option(item, entry["answer"])
                words.append(f"{item['prompt']} — {chosen['label'] or chosen['text']}")
            else:
                words.append(f"{item['prompt']} — {entry['answer']}")
        gap.update(title=ctx.scales[gap["scale"]]["title"], items=words)


def _rule_ladder(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """Placement on an ordered ladder of scales: the last step reached while every step below it is reached.

    A step is reached when its scale's value is at least ``threshold``. The next step lists what is still
    unticked on it (and, in words, the section lists named in ``lists``, e.g. recommended activities).
    """
    steps = [
        {"scale": s, "value": ctx.scales[s]["value"], "reached": ctx.scales[s]["value"] >= rule["threshold"]}
        for s in rule["scales"]
    ]
    rank = 0
    while rank < len(steps) and steps[rank]["reached"]:
        rank += 1
    placement: Result = {"rank": rank, "steps": steps, "threshold": rule["threshold"], "next": None}
    if rank < len(steps):
        scale_id = steps[rank]["scale"]
        unticked = [
            {"item": item_id, "option": o["value"]}
            for item_id in ctx.scale_specs[scale_id]["items"]
            if ctx.items[item_id]["type"] == "checks"
            for o in ctx.items[item_id]["options"]
            if o["value"] not in ctx.answers.get(item_id, [])
        ]
        placement["next"] = {"scale": scale_id, "unticked": unticked}
    result["ladder"] = placement


def _words_ladder(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    placement = result["ladder"]
    for step in placement["steps"]:
        step["title"] = ctx.scales[step["scale"]]["title"]
    rank, steps = placement["rank"], placement["steps"]
    placement["label"] = steps[rank - 1]["title"] if rank else rule["below_first"]
    step = placement["next"]
    if step:
        spec = ctx.scale_specs[step["scale"]]
        section = ctx.sections.get(spec["section"], {"lists": {}})
        step.update(
            title=ctx.scales[step["scale"]]["title"],
            missing=[_option(ctx.items[entry["item"]], entry["option"])["text"] for entry in step["unticked"]],
            lists={name: section["lists"].get(name, []) for name in rule.get("lists", [])},
            guide=ctx.scales[step["scale"]]["guide"],
        )


def _rule_card(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """Every answer, in the form's order: the saved card of a reflection or survey."""
    result["card"] = [
        {"item": item["id"], "value": ctx.answers[item["id"]]}
        for section in ctx.instrument["sections"]
        for item in section["items"]
        if item["id"] in ctx.answers
    ]


def _words_card(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """Each answer in readable form, under its section and question."""
    sections = {item["id"]: section for section in ctx.instrument["sections"] for item in section["items"]}
    for entry in result["card"]:
        item, answer = ctx.items[entry["item"]], entry["value"]
        if item["type"] == "choice":
            text = _option(item, answer)["text"]
        elif item["type"] == "checks":
            text = "; ".join(o["text"] for o in item["options"] if o["value"] in answer)
        else:
            text = str(answer)
        entry.update(section=sections[item["id"]]["title"], prompt=item["prompt"], answer=text)


def _rule_evidence(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """Per scale: which evidence the teacher ticked and which is still to collect."""
    evidence = []
    for scale_id in rule["scales"]:
        section = ctx.sections[ctx.scale_specs[scale_id]["section"]]
        for item in section["items"]:
            if item["type"] != "checks" or item.get("role") != "evidence":
                continue
            ticked = ctx.answers.get(item["id"], [])
            evidence.append(
                {
                    "scale": scale_id,
                    "item": item["id"],
                    "ticked": [o["value"] for o in item["options"] if o["value"] in ticked],
                    "unticked": [o["value"] for o in item["options"] if o["value"] not in ticked],
                }
            )
    result["evidence"] = evidence


def _words_evidence(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    for entry in result["evidence"]:
        item = ctx.items[entry["item"]]
        entry.update(
            title=ctx.scales[entry["scale"]]["title"],
            have=[_option(item, value)["text"] for value in entry["ticked"]],
            missing=[_option(item, value)["text"] for value in entry["unticked"]],
        )


def _rule_none(rule: dict[str, Any], ctx: _Context, result: Result) -> None:
    """A rule that concludes nothing in numbers (its words come from the instrument: ``WORDS``)."""


RULES: dict[str, Callable[[dict[str, Any], _Context, Result], None]] = {
    "extremes": _rule_extremes,
    "floor": _rule_floor,
    "next-step": _rule_next_step,
    "focus-lists": _rule_none,
    "evidence": _rule_evidence,
    "gaps": _rule_gaps,
    "ladder": _rule_ladder,
    "card": _rule_card,
}
"""Rule kinds an instrument may use; the schema checks names against this table."""

# What each rule's conclusion says, in the instrument's language (``describe``).
WORDS: dict[str, Callable[[dict[str, Any], _Context, Result], None]] = {
    "floor": _words_floor,
    "next-step": _words_next_step,
    "focus-lists": _words_focus_lists,
    "evidence": _words_evidence,
    "gaps": _words_gaps,
    "ladder": _words_ladder,
    "card": _words_card,
}
