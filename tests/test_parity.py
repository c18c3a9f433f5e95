"""The same answers give the same result in CPython and in real Pyodide (Python 3.14 in Node)."""

from __future__ import annotations

import json
import random
import shutil
import subprocess

import pytest
from answer_sets import random_answers
from conftest import ROOT

from generator import engine
from generator.schema import load_folder

INSTRUMENTS = load_folder(ROOT / "assessments")
SETS_PER_INSTRUMENT = 200


def cases() -> list[dict]:
    rng = random.Random(2025)
    out = []
    for instrument in INSTRUMENTS.values():
        for n in range(SETS_PER_INSTRUMENT):
            out.append({"instrument": instrument, "answers": random_answers(instrument, rng, complete=n % 10 != 0)})
    return out


def test_cpython_and_pyodide_give_identical_results(tmp_path):
    if not shutil.which("node"):
        pytest.fail("node is needed for the Pyodide parity test")
    sets = cases()
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(sets, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        ["node", str(ROOT / "tests" / "parity" / "pyodide_score.mjs"), engine.__file__, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("python 3.14"), done.stderr
    in_pyodide = done.stdout.splitlines()
    assert len(in_pyodide) == len(sets)
    complete = 0
    for case, line in zip(sets, in_pyodide, strict=True):
        in_cpython = engine.score_json(json.dumps(case["instrument"]), json.dumps(case["answers"]))
        assert json.loads(line) == json.loads(in_cpython)
        assert line == in_cpython  # byte for byte, floats and key order included
        complete += json.loads(line).get("complete", False)
    assert complete >= len(sets) * 0.8
