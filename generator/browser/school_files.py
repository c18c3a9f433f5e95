"""Reading files: share files, zips and summaries counted into the summary file.

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
Privacy rules apply to what is shown: ``report`` (``school_report``) is the only view of a summary the page
draws, prints and writes to Word.

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
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from . import engine
from .school_common import FORMAT_VERSION, REASONS, Json, RefusedError, _items, _key, canonical
from .school_share import MONTH, SHARE, SHARE_ID, SHARE_KEYS, checked_facts
from .school_tally import _Instrument, _read_part, _teacher_keys

SUMMARY = "kasibi-summary"
SUMMARY_KEYS = {"format", "format_version", "instruments", "share_ids", "rejected"}


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
        self.rejected.append({"name": name, "code": code})
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


def _read_rejected(entry: Any) -> Json:
    """A rejected file carried over from a summary: its name and reason code (any text the file has is dropped)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or entry.get("code") not in REASONS:
        raise RefusedError("mismatch")
    return {"name": entry["name"], "code": entry["code"]}


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
