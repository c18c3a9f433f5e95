"""Teachers' share files for the school page's tests and bench, made by the module the site runs.

Each file is what «Мектепке беру» saves: random answers to a real compiled instrument, scored by the
engine, turned into a share file by ``aggregate.share_json``. Broken files, foreign JSON and
duplicates can be mixed in. Seeded, so a failure reproduces.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

from answer_sets import random_answers

from generator.browser import aggregate, engine

# Instruments a school collects (the cycle for the profile, the App. А survey for its table, two more).
SHARED = ("cycle-self-assessment", "methodological-work-survey", "sel-competences", "digital-practice")
CATEGORIES = ("pedagog", "moderator", "expert", "researcher", "master")
EXPERIENCE = ("0-3", "4-10", "11-20", "21+")
SENTINEL = "ҚҰПИЯ-МӘТІН-7f3a"  # typed into every free-text answer: it must never come out anywhere


def site_instruments(site: Path) -> dict[str, dict]:
    """The compiled instruments exactly as the built site serves them."""
    [bundle] = site.glob("assets/kasibi-*/instruments")
    index = json.loads((bundle / "index.json").read_text(encoding="utf-8"))
    return {i["id"]: json.loads((bundle / f"{i['id']}.json").read_text(encoding="utf-8")) for i in index}


def with_sentinel(instrument: dict, answers: dict) -> dict:
    texts = [item["id"] for s in instrument["sections"] for item in s["items"] if item["type"] == "text"]
    return {**answers, **dict.fromkeys(texts, SENTINEL)}


def share_file(
    instruments: dict[str, dict], rng: random.Random, instrument_id: str, facts: dict | None = None
) -> bytes:
    instrument = instruments[instrument_id]
    answers = with_sentinel(instrument, random_answers(instrument, rng))
    text = json.dumps(instrument)
    result = engine.score_json(text, json.dumps(answers))
    share_id = f"{rng.getrandbits(128):032x}"
    month = f"2026-{rng.randint(1, 12):02d}"
    return aggregate.share_json(text, json.dumps(answers), result, json.dumps(facts or {}), share_id, month).encode()


def random_facts(rng: random.Random, name: str = "") -> dict:
    facts = {}
    if rng.random() < 0.7:
        facts["category"] = rng.choice(CATEGORIES)
    if rng.random() < 0.5:
        facts["experience"] = rng.choice(EXPERIENCE)
    if name:
        facts["name"] = name
    return facts


def teacher_files(
    instruments: dict[str, dict], rng: random.Random, count: int, mixed: bool = True
) -> list[tuple[str, bytes]]:
    """``count`` files; when ``mixed``, about one in eight is broken, foreign or a duplicate."""
    files: list[tuple[str, bytes]] = []
    for n in range(count):
        roll = rng.random() if mixed else 1.0
        if roll < 0.03:
            data = b'{"format": "kasibi-share", "format_versi'  # cut short in transit
        elif roll < 0.06:
            data = json.dumps({"hello": "not ours"}).encode()
        elif roll < 0.12 and files:
            data = rng.choice(files)[1]  # the same file sent twice
        else:
            instrument = rng.choice(SHARED) if rng.random() < 0.5 else SHARED[0]
            data = share_file(instruments, rng, instrument, random_facts(rng))
        files.append((f"teacher-{n:05d}.json", data))
    return files


def zipped(files: list[tuple[str, bytes]], folder: str = "") -> bytes:
    """A zip of the files, as a messenger's "save all" makes it (optionally inside a folder)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(f"{folder}{name}", data)
    return buffer.getvalue()
