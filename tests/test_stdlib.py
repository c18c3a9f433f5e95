"""The trimmed standard library (generator/ship/stdlib.py): it holds what the site's Python imports in real
Pyodide, every entry point runs on it alone with the same outputs, and its bytes are reproducible.

``python tests/test_stdlib.py`` rewrites generator/ship/stdlib_modules.txt from a fresh recording.
"""

from __future__ import annotations

import base64
import io
import json
import random
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))  # run as a script too

from answer_sets import random_answers
from school_files import random_facts, share_file, teacher_files, zipped

from generator.browser import aggregate, documents, docx, engine
from generator.formats.instrument import load_folder
from generator.formats.template import load_templates
from generator.ship import stdlib

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_ZIP = ROOT / "node_modules/pyodide/python_stdlib.zip"
CYCLE = "cycle-self-assessment"
HEADER = "# Written by `python tests/test_stdlib.py`: stdlib files the site's Python imports in Pyodide.\n"


def _arg(value: str | bytes) -> str | dict:
    return {"bytes": base64.b64encode(value).decode()} if isinstance(value, bytes) else value


def call(module, function: str, *args) -> dict:
    """A probe case, with the output CPython gives (bytes as base64, as the probe prints them)."""
    output = getattr(module, function)(*args)
    expected = base64.b64encode(output).decode() if isinstance(output, bytes) else output
    encoded = [[_arg(item) for item in a] if isinstance(a, list) else a for a in args]
    return {"module": module.__name__.rsplit(".", 1)[1], "function": function, "args": encoded, "expected": expected}


def entry_point_cases() -> list[dict]:
    """Every function the worker calls (site_src/js/engine/worker.js handlers), on real instruments and templates."""
    rng = random.Random(16)
    instruments = load_folder(ROOT / "assessments")
    ui = yaml.safe_load((ROOT / "site_src/i18n/kk.yml").read_text(encoding="utf-8"))["ui"]
    templates = load_templates(ROOT / "templates", ui)
    every = json.dumps(instruments)
    cases = []
    for instrument in instruments.values():
        text = json.dumps(instrument)
        results = [engine.score_json(text, json.dumps(random_answers(instrument, rng))) for _ in range(2)]
        cases += [call(engine, "score_json", text, json.dumps(random_answers(instrument, rng, complete=False)))]
        cases += [call(engine, "compare_json", *results)]
    for template in templates.values():
        cases += [call(documents, "completion_json", json.dumps(template), "{}")]
        cases += [call(docx, "build_docx_json", json.dumps(template), "{}")]
    cycle = instruments[CYCLE]
    answers = random_answers(cycle, rng)
    result = engine.score_json(json.dumps(cycle), json.dumps(answers))
    facts = json.dumps(random_facts(rng))
    cases += [call(aggregate, "share_json", json.dumps(cycle), json.dumps(answers), result, facts, "0" * 32, "2026-05")]
    cases += [call(aggregate, "share_contents_json", json.dumps(cycle), facts)]
    files = teacher_files(instruments, rng, 12)
    files += [("all.zip", zipped(files[:6], "school/"))]
    names, blobs = [name for name, _ in files], [data for _, data in files]
    summary = aggregate.aggregate_files(names, blobs, every)
    cases += [call(aggregate, "aggregate_files", names, blobs, every)]
    named = [(f"n{n}.json", share_file(instruments, rng, CYCLE, {"name": f"Мұғалім {n}"})) for n in range(4)]
    pairs = [[name for name, _ in named], [data for _, data in named], every]
    cases += [call(aggregate, "pairs_files", *pairs), call(aggregate, "report_json", summary, every, summary, "")]
    # A bad file raises: the worker formats the Python error, which imports modules of its own.
    cases.append({"module": "engine", "function": "score_json", "args": ["{", "{}"], "raises": True})
    return cases


def probe(cases: list[dict], folder: Path, stdlib_zip: Path | None = None) -> dict:
    """Run the cases in real Pyodide (Node) with the given stdlib zip (the package's by default)."""
    if not shutil.which("node"):
        pytest.fail("node is needed to run the site's Python in Pyodide")
    path = folder / "cases.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    command = ["node", str(ROOT / "tests/parity/stdlib_probe.mjs"), str(ROOT / "generator/browser"), str(path)]
    done = subprocess.run(
        command + ([str(stdlib_zip)] if stdlib_zip else []), capture_output=True, text=True, cwd=ROOT, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return entry_point_cases()


def test_the_list_is_what_pyodide_and_every_entry_point_import(cases, tmp_path):
    recorded = probe(cases, tmp_path)
    assert recorded["python"].startswith("3.14")
    listed = stdlib.listed_files()
    imported = set(recorded["imported"])
    assert sorted(imported) == listed, (
        f"missing {sorted(imported - set(listed))}, unused {sorted(set(listed) - imported)}:"
        " run `python tests/test_stdlib.py` to rewrite generator/ship/stdlib_modules.txt"
    )


def test_every_entry_point_runs_on_the_trimmed_zip_alone(cases, tmp_path):
    trimmed = tmp_path / "python_stdlib.zip"
    trimmed.write_bytes(stdlib.trimmed_stdlib(PACKAGE_ZIP, stdlib.listed_files()))
    outputs = probe(cases, tmp_path, trimmed)["outputs"]
    assert len(outputs) == len(cases)
    for case, output in zip(cases, outputs, strict=True):
        if case.get("raises"):
            assert output.startswith("raised json.decoder.JSONDecodeError"), output  # not ModuleNotFoundError
        else:
            assert output == case["expected"], f"{case['module']}.{case['function']}"


def test_the_trimmed_zip_is_reproducible_and_keeps_the_package_bytes():
    listed = stdlib.listed_files()
    data = stdlib.trimmed_stdlib(PACKAGE_ZIP, listed)
    assert stdlib.trimmed_stdlib(PACKAGE_ZIP, reversed(listed)) == data
    assert len(data) < PACKAGE_ZIP.stat().st_size / 2
    with zipfile.ZipFile(PACKAGE_ZIP) as package, zipfile.ZipFile(io.BytesIO(data)) as trimmed:
        assert trimmed.testzip() is None
        names = trimmed.namelist()
        assert names == sorted(names) and set(listed) <= set(names)
        assert all(name in listed or name.endswith("/") for name in names)
        for info in trimmed.infolist():
            original = package.getinfo(info.filename)
            assert info.date_time == stdlib.TIMESTAMP
            assert (info.compress_type, info.CRC, info.compress_size) == (
                original.compress_type,
                original.CRC,
                original.compress_size,
            )
            assert trimmed.read(info) == package.read(original)
    with pytest.raises(KeyError, match=r"no nowhere\.py"):
        stdlib.trimmed_stdlib(PACKAGE_ZIP, [*listed, "nowhere.py"])


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        imported = probe(entry_point_cases(), Path(tmp))["imported"]
    stdlib.MODULE_LIST.write_text(HEADER + "".join(f"{name}\n" for name in sorted(imported)), encoding="utf-8")
    print(f"{stdlib.MODULE_LIST}: {len(imported)} files")
