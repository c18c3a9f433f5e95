"""The same input gives the same output in CPython and in real Pyodide (Python 3.14, in Node):
scores for every instrument, and Word files byte for byte for every template; both with Python started
as usual and restored from the built site's start-up snapshot, as the browser's worker does."""

from __future__ import annotations

import base64
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from answer_sets import random_answers
from conftest import ROOT

from generator.browser import documents, docx, engine
from generator.formats.instrument import load_folder
from generator.formats.template import load_templates

INSTRUMENTS = load_folder(ROOT / "assessments")
TEMPLATES = load_templates(ROOT / "templates", yaml.safe_load((ROOT / "site_src/i18n/kk.yml").read_text())["ui"])
SETS_PER_INSTRUMENT = 200
WORDS = ["", "Әсем", "ғылыми жоба", "қазақ тілі", "Ңң Өө Ұұ Үү Һһ Іі", "<b>жоқ</b> & «иә»", "1\n2"]


@pytest.fixture(params=["start", "snapshot"])
def start(request) -> list[str]:
    """How Pyodide gets the site's Python: its sources written and imported, or the built site's snapshot."""
    if request.param == "start":
        return [str(ROOT / "generator/browser")]
    [engine_dir] = request.getfixturevalue("site_dir").glob("assets/kasibi-*/engine")
    return ["--snapshot", str(engine_dir)]


def in_pyodide(cases: list[dict], tmp_path: Path, start: list[str]) -> list[str]:
    if not shutil.which("node"):
        pytest.fail("node is needed for the Pyodide parity test")
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        ["node", str(ROOT / "tests/parity/pyodide_score.mjs"), *start, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("python 3.14"), done.stderr
    return done.stdout.splitlines()


def random_values(template: dict, rng: random.Random) -> dict:
    values: dict = {}
    for block in template["blocks"]:
        if block["type"] == "text":
            values[block["id"]] = rng.choice(WORDS)
        elif block["type"] == "fields":
            values[block["id"]] = {f["id"]: rng.choice(WORDS) for f in block["fields"]}
        else:
            size = rng.randint(0, 6) if block["repeatable"] else len(documents.body_rows(block))
            inputs = [c for c in block["columns"] if c["type"] != "fixed"]
            values[block["id"]] = [
                {
                    c["id"]: rng.choice(["", *documents.MARKS]) if c["type"] == "mark" else rng.choice(WORDS)
                    for c in inputs
                }
                for _ in range(size)
            ]
    return values


def test_every_instrument_scores_identically(tmp_path, start):
    rng = random.Random(2025)
    cases, expected = [], []
    for instrument in INSTRUMENTS.values():
        for n in range(SETS_PER_INSTRUMENT):
            answers = random_answers(instrument, rng, complete=n % 10 != 0)
            args = [json.dumps(instrument), json.dumps(answers)]
            cases.append({"module": "engine", "function": "score_json", "args": args})
            expected.append(engine.score_json(*args))
    outputs = in_pyodide(cases, tmp_path, start)
    assert len(outputs) == len(expected) == SETS_PER_INSTRUMENT * len(INSTRUMENTS)
    for output, wanted in zip(outputs, expected, strict=True):
        assert output == wanted  # byte for byte: floats, key order and texts included
    complete = sum(json.loads(line).get("complete", False) for line in outputs)
    assert complete >= len(outputs) * 0.8


def test_every_template_writes_the_same_word_file(tmp_path, start):
    rng = random.Random(7)
    cases, expected = [], []
    for template in TEMPLATES.values():
        for values in ({}, random_values(template, rng), random_values(template, rng)):
            args = [json.dumps(template), json.dumps(values)]
            cases.append({"module": "docx", "function": "build_docx_json", "args": args})
            expected.append(docx.build_docx_json(*args))
            cases.append({"module": "documents", "function": "completion_json", "args": args})
            expected.append(documents.completion_json(*args))
    outputs = in_pyodide(cases, tmp_path, start)
    for n, (output, wanted) in enumerate(zip(outputs, expected, strict=True)):
        assert (base64.b64decode(output) if isinstance(wanted, bytes) else output) == wanted, cases[n]["args"][0][:80]
