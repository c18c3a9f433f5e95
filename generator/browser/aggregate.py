"""The school level: teachers' share files, the school (or region) summary, and the report drawn from it.

Pure standard library, no I/O, no clock: the school page runs it in Pyodide and ``python -m generator
aggregate`` in CPython, so the browser's summary download and the CLI's ``--json`` are the same bytes.

Share file (teacher → school), made by ``share_json``; serialised canonically (sorted keys, ``,``/``:``)::

    {"format": "kasibi-share", "format_version": 1, "share_id": 32 lowercase hex digits, "month": "YYYY-MM",
     "instrument": {"id", "version"},
     "answers": {item id: answer}        only choice, checks and rating items: free text never enters
     "scales": [{"id", "value", "band"}], "growth_zone": scale id | null,
     "facts": {"category"?, "subject"?, "experience"?, "name"?}}   only the facts the teacher gave (FACTS)

Summary file (school → region), made by ``aggregate_json``; canonical, with a trailing newline::

    {"format": "kasibi-summary", "format_version": 1,
     "instruments": {id: {"version", "n", <tally>, "by_fact": {fact: {value: {"n", <tally>}}}}},
     "share_ids": [every counted share id, sorted],
     "rejected": [{"name", "code", "reason"}, sorted by name and code]}
    <tally> = "scales": {scale id: {"histogram": {value: count}, "bands": {band id: count}}},
              "items": {item id: {option value (or rating): count}},   a ticked option counts once per teacher
              "growth_zone": {scale id: count}

Values are written as JSON numbers would be (``3``, ``42.86``), option values as given. Counts merge by
addition, so summaries of schools merged together equal the aggregation of all their teachers' files at
once; medians and quartiles always come from the merged histograms. ``share_ids`` are kept whole (not a
digest) so that a later merge drops a teacher counted twice: a summary sharing an id with what is already
counted is refused as a duplicate. The summary FILE keeps exact counts for every group, small ones too,
because region totals must be exact; it never holds a name, a free-text answer or a single teacher's file.
Privacy rules apply to what is shown: ``report`` is the only view of a summary the page draws, prints and
writes to Word.

Reading (``aggregate``): each file is examined (``examine``: pure, so the CLI runs it in worker
processes) and then counted in input order (``Aggregator.count``: duplicates, tallies). Inputs are taken in
the order given (``aggregate_files`` and the CLI both sort
by name first, so the file counted among duplicates is the first by name). A zip is read member by member
(folders inside it, zips inside zips); its members are named ``zip name/member``. Each file is a share,
a summary, or rejected with one of REASONS: not ours, a teacher's own results export, broken JSON,
another format version, an unknown instrument or version, content that does not fit (the answers are
scored again with ``engine.score`` and must give the file's scales and growth zone; facts are checked),
free text (a file with an answer to a free-text item is refused; the text is never read on), a duplicate
share id.

Privacy (``report``): no figure for a group of fewer than MIN_GROUP teachers (an instrument's whole staff
or a subgroup by a fact). A breakdown by a fact partitions the staff (teachers who did not give the fact
are one more group): groups of MIN_GROUP or more are shown, the rest merge into "other", and the whole
breakdown is hidden when "other" would hold 1 to MIN_GROUP - 1 teachers, since then subtraction from the
total would give a small group away. Named mode (``pairs_files``) exists only when every file used is a
share that carries the name its teacher typed; names never reach the summary.

Boundary for the browser (strings and lists in, strings out): ``share_json``, ``share_contents_json``,
``aggregate_files``, ``report_json``, ``pairs_files``. A ValueError (bad input to ``share_json``, a file
given to ``report_json`` that is not a summary) carries a message to show.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from . import engine

SHARE = "kasibi-share"
SUMMARY = "kasibi-summary"
FORMAT_VERSION = 1
MIN_GROUP = 5
CYCLE = "cycle-self-assessment"  # its priorities carry 001 Table 1's forms and methods ...
ADMIN = "admin-cycle-audit"  # ... and Table 2's administration actions, kept as this audit's items

# The optional facts a teacher may add, each value with its Kazakh label (the categories of the
# qualification ladder; subject areas; years of experience). The name is free, up to NAME_MAX characters.
FACTS: dict[str, dict[str, str]] = {
    "category": {
        "pedagog": "Педагог",
        "moderator": "Педагог-модератор",
        "expert": "Педагог-сарапшы",
        "researcher": "Педагог-зерттеуші",
        "master": "Педагог-шебер",
    },
    "subject": {
        "primary": "Бастауыш сынып",
        "languages": "Тілдер және әдебиет",
        "mathematics": "Математика және информатика",
        "sciences": "Жаратылыстану",
        "social": "Адам және қоғам",
        "arts": "Өнер және технология",
        "physical": "Дене шынықтыру",
        "other": "Басқа",
    },
    "experience": {band: f"{band} жыл" for band in ("0-3", "4-10", "11-20", "21+")},
}
FACT_TITLES = {"category": "біліктілік санаты", "subject": "пән саласы", "experience": "педагогтік өтіл"}
NAME_MAX = 80
NOT_GIVEN = "not-given"  # the group of teachers who did not give a fact
OTHER = "other"  # small groups merged
GROUP_LABELS = {NOT_GIVEN: "Көрсетілмеген", OTHER: "Басқалары"}

REASONS = {
    "not-ours": "Бұл файл мектепке арналған файл емес (оны «Мектепке беру» батырмасы жасамаған).",
    "results-export": "Бұл — педагогтің өз нәтижелерінің экспорты; мектепке «Мектепке беру» батырмасымен "
    "жасалған файл керек.",
    "broken": "Файл бүлінген: оны JSON не zip ретінде оқу мүмкін емес.",
    "version": "Файл форматының басқа нұсқасы: сайттың осы нұсқасы оны оқи алмайды.",
    "instrument": "Сайтта мұндай құрал не құралдың бұл нұсқасы жоқ.",
    "mismatch": "Файлдың мазмұны құралға сәйкес келмейді: жауаптардан қайта есептелген нәтиже басқа "
    "не мәліметтер дұрыс емес.",
    "free-text": "Файлда еркін мәтінді жауап бар: мәтін оқылмайды, файл есепке алынбайды.",
    "duplicate": "Бұл файл (не жиынтықтағы бір педагогтің файлы) бұрын есепке алынған.",
}
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
SUMMARY_KEYS = {"format", "format_version", "instruments", "share_ids", "rejected"}
SHARE_ID = re.compile(r"[0-9a-f]{32}")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")

Json = dict[str, Any]


class RefusedError(ValueError):
    """A file the aggregation does not count; ``code`` is one of REASONS."""

    def __init__(self, code: str):
        super().__init__(REASONS[code])
        self.code = code


def canonical(data: Any) -> str:
    """The one serialisation of shares and summaries (no trailing newline)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _key(value: Any) -> str:
    """A histogram or option key: a number as JSON writes it (3.0 → "3"), a string as it is."""
    if type(value) is str:
        return value
    if type(value) is int:
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return repr(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else json.dumps(value)


def _items(instrument: Json) -> dict[str, Json]:
    return {item["id"]: item for section in instrument["sections"] for item in section["items"]}


def _has_growth_zone(instrument: Json) -> bool:
    return any(rule["kind"] == "extremes" for rule in instrument["rules"])


# --- the share file ---------------------------------------------------------


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
        by_label = {label: key for key, label in values.items()}
        if value not in values and value not in by_label:
            raise ValueError(f"{fact}: {value!r} is not one of {', '.join(values)}")
        out[fact] = by_label.get(value, value)
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


def share_contents(instrument: Json, facts: Json) -> list[str]:
    """What the share file will hold, in plain Kazakh, one sentence a line (shown before it is saved)."""
    items = _items(instrument).values()
    kept = sum(1 for item in items if item["type"] != "text")
    texts = sum(1 for item in items if item["type"] == "text")
    lines = [
        f"Құрал: «{instrument['title']}» ({instrument['version']}-нұсқа).",
        f"Таңдау, белгілеу және бағалау сұрақтарына берген жауаптарыңыз ({kept} сұрақ).",
    ]
    if texts:
        lines.append(f"Еркін мәтінмен жазған жауаптарыңыз ({texts} сұрақ) файлға кірмейді.")
    zone = ", өсу аймағыңыз" if _has_growth_zone(instrument) else ""
    lines.append(f"Шкалалар бойынша нәтижелеріңіз бен деңгейлеріңіз{zone}.")
    lines.append("Айы (жылы мен айы) және кездейсоқ нөмір: ол бір файлдың жиынтықта екі рет саналмауы үшін ғана керек.")
    given = checked_facts(facts)
    shown = [f"{FACT_TITLES[fact]} — {FACTS[fact][given[fact]]}" for fact in FACTS if fact in given]
    lines.append(f"Өзіңіз қосқан мәліметтер: {'; '.join(shown)}." if shown else "Өзіңіз туралы мәлімет жоқ.")
    if "name" in given:
        lines.append(
            f"Аты-жөніңіз: {given['name']} (тәлімгерлік жұп пен Lesson Study тобын ұсыну үшін ғана; "
            "мектеп жиынтығының файлына кірмейді)."
        )
    else:
        lines.append("Аты-жөніңіз файлда жоқ.")
    return lines


def share_contents_json(instrument_json: str, facts_json: str) -> str:
    """JSON boundary of ``share_contents``: a JSON list of lines."""
    return json.dumps(share_contents(json.loads(instrument_json), json.loads(facts_json)), ensure_ascii=False)


# --- tallies ----------------------------------------------------------------
# A tally is one flat Counter of keys ("n",), ("s", scale id, value), ("i", item id, option value) and
# ("z", scale id), so one teacher is one C-level Counter.update and two tallies merge by addition.


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


# --- reading files ------------------------------------------------------------


def entries(name: str, data: bytes | BinaryIO) -> Iterator[tuple[str, bytes | None]]:
    """The files a dropped file holds: itself, or a zip's members in name order (None: a broken zip).

    ``data`` is the file's bytes or a seekable binary file (the CLI's, so a big zip is read member by
    member from disk)."""
    head = data[:4] if isinstance(data, bytes) else data.read(4)
    if head != b"PK\x03\x04":
        yield name, data if isinstance(data, bytes) else head + data.read()
        return
    if not isinstance(data, bytes):
        data.seek(0)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
        members = sorted((info for info in archive.infolist() if not info.is_dir()), key=lambda info: info.filename)
        for info in members:
            yield from entries(f"{name}/{info.filename}", archive.read(info))
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        yield name, None


def _instrument(instruments: dict[str, Json], ref: Any, version: Any = None) -> Json:
    if isinstance(ref, dict):
        ref, version = ref.get("id"), ref.get("version")
    instrument = instruments.get(ref) if isinstance(ref, str) else None
    if instrument is None or version != instrument["version"]:
        raise RefusedError("instrument")
    return instrument


def examine(content: bytes | None, instruments: dict[str, Json]) -> tuple:
    """What one file adds, checked but not yet counted (no state: the CLI runs it in worker processes):
    ("share", share id, instrument id, tally keys, facts, scale values, growth zone), ("summary", share ids,
    [(instrument id, total, by fact)], carried rejections) or ("refused", code)."""
    try:
        if content is None:
            raise RefusedError("broken")
        try:
            data = json.loads(content.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise RefusedError("broken") from None
        kind = data.get("format") if isinstance(data, dict) else None
        if kind not in (SHARE, SUMMARY):
            is_export = isinstance(data, dict) and data.get("kind") == "kasibi-results"
            raise RefusedError("results-export" if is_export else "not-ours")
        if data.get("format_version") != FORMAT_VERSION:
            raise RefusedError("version")
        return _examine_share(data, instruments) if kind == SHARE else _examine_summary(data, instruments)
    except RefusedError as refused:
        return ("refused", refused.code)


def _examine_share(data: Json, instruments: dict[str, Json]) -> tuple:
    if set(data) != SHARE_KEYS or not isinstance(data["share_id"], str):
        raise RefusedError("mismatch")
    instrument = _instrument(instruments, data["instrument"])
    answers, facts = data["answers"], data["facts"]
    if not isinstance(answers, dict) or not isinstance(facts, dict):
        raise RefusedError("mismatch")
    items = _items(instrument)
    if any(item_id in items and items[item_id]["type"] == "text" for item_id in answers):
        raise RefusedError("free-text")
    if any(answer in (None, "", []) for answer in answers.values()):
        raise RefusedError("mismatch")
    if not SHARE_ID.fullmatch(data["share_id"]) or not isinstance(data["month"], str):
        raise RefusedError("mismatch")
    if not MONTH.fullmatch(data["month"]):
        raise RefusedError("mismatch")
    try:
        scored = engine.score(instrument, answers)
        if checked_facts(facts) != facts:
            raise ValueError("facts")
    except ValueError:  # engine.AnswerError, or facts that do not fit
        raise RefusedError("mismatch") from None
    expected = [{"id": s["id"], "value": s["value"], "band": s["band"]} for s in scored.get("scales", [])]
    zone = scored.get("growth_zone")
    if not scored["complete"] or data["scales"] != expected or data["growth_zone"] != zone:
        raise RefusedError("mismatch")
    scales = {s["id"]: _key(s["value"]) for s in expected}
    ticked = {i: [_key(v) for v in (a if isinstance(a, list) else [a])] for i, a in answers.items()}
    values = {s["id"]: s["value"] for s in expected}
    return ("share", data["share_id"], instrument["id"], _teacher_keys(scales, ticked, zone), facts, values, zone)


def _examine_summary(data: Json, instruments: dict[str, Json]) -> tuple:
    if set(data) != SUMMARY_KEYS:
        raise RefusedError("mismatch")
    ids, parts, rejected = data["share_ids"], data["instruments"], data["rejected"]
    if not isinstance(ids, list) or not isinstance(parts, dict) or not isinstance(rejected, list):
        raise RefusedError("mismatch")
    if not all(isinstance(i, str) and SHARE_ID.fullmatch(i) for i in ids) or len(set(ids)) != len(ids):
        raise RefusedError("mismatch")
    read = []
    for key, part in parts.items():
        instrument = _instrument(instruments, key, part.get("version") if isinstance(part, dict) else None)
        read.append((key, *_read_part(instrument, part)))
    if sum(total[("n",)] for _, total, _ in read) != len(ids):
        raise RefusedError("mismatch")
    return ("summary", ids, read, [_read_rejected(entry) for entry in rejected])


class Aggregator:
    """Counts share files and summaries as they come, keeping only the counts and the share ids."""

    def __init__(self, instruments: dict[str, Json], roster: list[Json] | None = None):
        self.instruments = instruments
        self.tallies: dict[str, _Instrument] = {}
        self.share_ids: set[str] = set()
        self.rejected: list[Json] = []
        self.read = 0
        self.roster = roster  # named mode: one entry per counted share, None once a file has no name

    def add(self, name: str, data: bytes | BinaryIO) -> None:
        """Examine and count a dropped file (every file of a zip)."""
        for member, content in entries(name, data):
            self.count(member, examine(content, self.instruments))

    def count(self, name: str, examined: tuple) -> str:
        """Count what ``examine`` found in the file ``name``, in input order; returns what it was counted as."""
        self.read += 1
        kind = examined[0]
        if kind == "share":
            _, share_id, instrument_id, keys, facts, values, zone = examined
            if share_id in self.share_ids:
                kind = self._reject(name, "duplicate")
            else:
                self.share_ids.add(share_id)
                self._tally(instrument_id).add(keys, facts)
                if self.roster is not None and "name" in facts:
                    self.roster.append(
                        {"name": facts["name"], "instrument": instrument_id, "values": values, "growth_zone": zone}
                    )
                elif self.roster is not None:
                    self.roster = None
        elif kind == "summary":
            _, ids, read, carried = examined
            if self.share_ids.intersection(ids):
                kind = self._reject(name, "duplicate")
            else:
                self.share_ids.update(ids)
                for instrument_id, total, by_fact in read:
                    self._tally(instrument_id).merge(total, by_fact)
                self.rejected += carried
                self.roster = None  # a summary carries no names
        else:
            self._reject(name, examined[1])
        return kind

    def _reject(self, name: str, code: str) -> str:
        self.rejected.append({"name": name, "code": code, "reason": REASONS[code]})
        return "refused"

    def _tally(self, instrument_id: str) -> _Instrument:
        if instrument_id not in self.tallies:
            self.tallies[instrument_id] = _Instrument(self.instruments[instrument_id])
        return self.tallies[instrument_id]

    def summary(self) -> Json:
        return {
            "format": SUMMARY,
            "format_version": FORMAT_VERSION,
            "instruments": {key: tally.out() for key, tally in sorted(self.tallies.items())},
            "share_ids": sorted(self.share_ids),
            "rejected": sorted(self.rejected, key=lambda r: (r["name"], r["code"])),
        }


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


def _read_rejected(entry: Any) -> Json:
    """A rejected file carried over from a summary; its reason is ours again, never the file's text."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or entry.get("code") not in REASONS:
        raise RefusedError("mismatch")
    return {"name": entry["name"], "code": entry["code"], "reason": REASONS[entry["code"]]}


def aggregate(files: Iterable[tuple[str, bytes]], instruments: dict[str, Json]) -> Json:
    """The summary of share files, zips and summaries, read one at a time in the order given."""
    aggregator = Aggregator(instruments)
    for name, data in files:
        aggregator.add(name, data)
    return aggregator.summary()


def aggregate_json(files: Iterable[tuple[str, bytes]], instruments: dict[str, Json]) -> str:
    """The summary file's text: canonical JSON and a newline (the CLI's --json, the page's download)."""
    return canonical(aggregate(files, instruments)) + "\n"


def _sorted_files(names: Iterable[str], blobs: Iterable[Any]) -> list[tuple[str, bytes]]:
    return sorted(((str(name), bytes(blob)) for name, blob in zip(names, blobs, strict=True)), key=lambda f: f[0])


def aggregate_files(names: list[str], blobs: list[bytes], instruments_json: str) -> str:
    """The browser's boundary: files as names and bytes (any order), instruments as one JSON object by id."""
    return aggregate_json(_sorted_files(names, blobs), json.loads(instruments_json))


# --- the report: what the page draws, prints and writes to Word (privacy rules applied) ---------------


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


def _zone_scales(instrument: Json) -> list[Json]:
    [rule] = [rule for rule in instrument["rules"] if rule["kind"] == "extremes"]
    specs = {scale["id"]: scale for scale in instrument["scales"]}
    return [specs[scale_id] for scale_id in rule["scales"]]


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
        columns.append(FACTS["category"].get(key) or GROUP_LABELS[key])
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


# --- named mode: mentoring pairs and Lesson Study groups ----------------------------------------------

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
