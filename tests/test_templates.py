"""Document templates: malformed files name file and field; every Word file opens in LibreOffice with the
Kazakh letters and the table structure intact."""

from __future__ import annotations

import copy
import io
import random
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from conftest import ROOT
from test_parity import random_values

from generator.browser import documents, docx
from generator.formats.checker import ValidationError
from generator.formats.template import load_template, load_templates, validate

UI = yaml.safe_load((ROOT / "site_src/i18n/kk.yml").read_text(encoding="utf-8"))["ui"]
TEMPLATES = load_templates(ROOT / "templates", UI)
KAZAKH = "әғқңөұүһі"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_catalogue_has_every_template_of_the_brief():
    assert len(TEMPLATES) >= 12
    assert {"reflective-lesson-analysis", "research-plan", "individual-development-plan", "annual-route"} <= set(
        TEMPLATES
    )
    assert sum(tid.startswith("route-sheet-") for tid in TEMPLATES) == 5


CASES = {
    "unknown key": (lambda d: d.update(colour="red"), "colour: unknown key"),
    "duplicate block": (lambda d: d["blocks"][1].update(id=d["blocks"][0]["id"]), "duplicate block id"),
    "bad column type": (
        lambda d: d["blocks"][1]["columns"][1].update(type="number"),
        "columns[1].type: expected one of",
    ),
    "row with an unknown column": (lambda d: d["blocks"][1]["rows"][0].update(extra="x"), "rows[0].extra: unknown key"),
    "missing Kazakh label": (
        lambda d: d["blocks"][0]["fields"][0].update(label=""),
        "fields[0].label: missing Kazakh text",
    ),
    "prefill to nowhere": (
        lambda d: d.update(prefill={"growth_zone": "nowhere.x"}),
        "prefill.growth_zone: names no field",
    ),
    "fixed rows missing": (lambda d: d["blocks"][1].pop("rows"), "blocks[1].rows: a table that is not repeatable"),
}


@pytest.mark.parametrize("case", CASES)
def test_malformed_template_names_file_and_field(tmp_path, case):
    data = yaml.safe_load((ROOT / "templates/reflective-lesson-analysis.yml").read_text(encoding="utf-8"))
    change, expected = CASES[case]
    broken = copy.deepcopy(data)
    change(broken)
    path = tmp_path / "reflective-lesson-analysis.yml"
    path.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_template(path, UI)
    problems = [str(p) for p in caught.value.problems]
    assert any((expected in p and p.startswith(str(path))) or expected in p for p in problems), problems
    assert all(":" in p.split(" ")[0] for p in problems)


def test_valid_templates_have_no_problems():
    for path in sorted((ROOT / "templates").glob("*.yml")):
        assert validate(yaml.safe_load(path.read_text(encoding="utf-8")), path.name, path.stem) == []


def test_values_that_do_not_fit_are_refused():
    template = TEMPLATES["reflective-lesson-analysis"]
    for bad in (
        {"nope": "x"},
        {"reflection": "text"},
        {"reflection": [{"answer": 1}]},
        {"lesson": {"who": "x"}},
        {"reflection": [{} for _ in range(99)]},
    ):
        with pytest.raises(documents.ValuesError):
            documents.check_values(template, bad)


def test_completion_counts_done_as_one_and_partly_as_half():
    template = TEMPLATES["route-sheet-pedagog"]
    [table] = [b for b in template["blocks"] if b["type"] == "table"]
    mark = next(c["id"] for c in table["columns"] if c["type"] == "mark")
    rows = len(documents.body_rows(table))
    values = {table["id"]: [{mark: "done"}, {mark: "partly"}, {mark: "not"}]}
    done = documents.completion(template, values)
    assert (done["done"], done["partly"], done["not"], done["empty"]) == (1, 1, 1, rows - 3)
    assert done["percent"] == round(100 * 1.5 / rows)


def paragraphs_and_tables(data: bytes) -> tuple[str, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
        assert {"[Content_Types].xml", "word/document.xml", "word/styles.xml", "_rels/.rels"} <= names
        root = ElementTree.fromstring(archive.read("word/document.xml"))  # noqa: S314 - our own output
    text = "".join(node.text or "" for node in root.iter(f"{W}t"))
    return text, len(list(root.iter(f"{W}tbl")))


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_word_file_holds_the_form(template_id):
    template = TEMPLATES[template_id]
    blank, tables = paragraphs_and_tables(docx.build_docx(template))
    assert template["title"] in blank
    assert tables == sum(b["type"] in ("table", "fields", "text") for b in template["blocks"])
    for block in template["blocks"]:
        for column in block.get("columns", []):
            assert column["label"] in blank
    assert docx.build_docx(template) == docx.build_docx(template)  # deterministic


@pytest.fixture(scope="module")
def soffice():
    path = shutil.which("soffice")
    if not path or not shutil.which("pdftotext"):
        pytest.fail("LibreOffice (soffice) and pdftotext are needed: make test installs them")
    return path


def to_pdf_text(soffice: str, files: list[Path], out: Path) -> dict[str, str]:
    profile = out / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    texts = {}
    for file in files:
        pdf = out / f"{file.stem}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {file.name}"
        texts[file.stem] = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
    return texts


def test_libreoffice_reads_every_blank_and_filled_word_file(soffice, tmp_path):
    rng = random.Random(5)
    files, expectations = [], {}
    for template_id, template in TEMPLATES.items():
        values = random_values(template, rng)
        typed = f"Толтырған: Әсем Ғалымқызы {KAZAKH}"
        first = template["blocks"][0]
        if first["type"] == "fields":
            values[first["id"]] = {first["fields"][0]["id"]: typed}
        elif first["type"] == "text":
            values[first["id"]] = typed
        else:
            column = next(c for c in first["columns"] if c["type"] in ("text", "line"))
            values[first["id"]] = (
                [{column["id"]: typed}, *values[first["id"]][1:]] if values[first["id"]] else [{column["id"]: typed}]
            )
        for kind, data in (("blank", docx.build_docx(template)), ("filled", docx.build_docx(template, values))):
            path = tmp_path / f"{template_id}--{kind}.docx"
            path.write_bytes(data)
            files.append(path)
            expectations[path.stem] = (template, typed if kind == "filled" else None)
    texts = to_pdf_text(soffice, files, tmp_path)
    for stem, (template, typed) in expectations.items():
        text = " ".join(texts[stem].split())
        assert " ".join(template["title"].split()) in text, stem
        for block in template["blocks"]:
            for column in block.get("columns", [])[:2]:
                assert column["label"].split()[0] in text, (stem, column["label"])
        if typed:  # a narrow cell may wrap the line, so each typed word is looked for
            assert all(word in text for word in typed.split()), stem


# Issue 15: each crashed validation or compilation with a traceback, or was accepted into the JSON and Word file.
WRONG_TYPES = {
    "prefill target a list": (
        "reflective-lesson-analysis",
        lambda d: d.update(prefill={"source": ["a"]}),
        "prefill.source: expected a field id, a text block id or table.column, found a list",
    ),
    "fixed rows a text": (
        "reflective-lesson-analysis",
        lambda d: d["blocks"][1].update(rows="abc"),
        "blocks[1].rows: expected a list, found text",
    ),
    "fixed rows not a number": (
        "reflective-lesson-analysis",
        lambda d: d["blocks"][1].update(rows=float("nan")),
        "blocks[1].rows: expected a list, found .nan",
    ),
    "min_rows true": (
        "route-sheet-pedagog",
        lambda d: d["blocks"][1].update(min_rows=True),
        "blocks[1].min_rows: expected a whole number from 1 to 50, found true",
    ),
    "text rows not a number": (
        "route-sheet-pedagog",
        lambda d: d["blocks"][2].update(rows=float("nan")),
        "blocks[2].rows: expected a whole number from 1 to 30, found .nan",
    ),
    "text rows a text": (
        "route-sheet-pedagog",
        lambda d: d["blocks"][2].update(rows="abc"),
        "blocks[2].rows: expected a whole number from 1 to 30, found text",
    ),
    "column width infinite": (
        "route-sheet-pedagog",
        lambda d: d["blocks"][1]["columns"][0].update(width=float("inf")),
        "blocks[1].columns[0].width: expected a whole number from 1 to 10, found .inf",
    ),
}


@pytest.mark.parametrize("case", WRONG_TYPES)
def test_wrong_type_or_number_in_a_template_is_a_problem_not_a_traceback(tmp_path, case):
    template_id, change, expected = WRONG_TYPES[case]
    data = yaml.safe_load((ROOT / f"templates/{template_id}.yml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / f"{template_id}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_template(path, UI)
    problems = [str(p) for p in caught.value.problems]
    assert any(expected in p and p.startswith(f"{path}:") for p in problems), problems
