"""Malformed instruments fail with the file, the line and the field named, never a traceback."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_site

from generator.formats.checker import ValidationError
from generator.formats.instrument import load_instrument

FLAGSHIP = ROOT / "assessments" / "cycle-self-assessment.yml"
VALID = yaml.safe_load(FLAGSHIP.read_text(encoding="utf-8"))


def broken(change: Callable[[dict], None]) -> dict:
    data = copy.deepcopy(VALID)
    change(data)
    return data


def write(folder: Path, data: dict, name: str = "cycle-self-assessment") -> Path:
    path = folder / f"{name}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(path: Path, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        load_instrument(path, **kwargs)
    return [str(problem) for problem in caught.value.problems]


def _set(path: list, value):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _delete(path: list):
    def change(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


CASES = {
    "unknown top-level key": (_set(["colour"], "teal"), "colour: unknown key"),
    "unknown item key": (_set(["sections", 0, "items", 0, "promt"], "?"), "sections[0].items[0].promt: unknown key"),
    "duplicate item id": (
        _set(["sections", 1, "items", 0, "id"], "action-level"),
        "sections[1].items[0].id: duplicate item id 'action-level'",
    ),
    "duplicate section id": (_set(["sections", 2, "id"], "action"), "sections[2].id: duplicate section id"),
    "option without a value": (
        _delete(["sections", 0, "items", 0, "options", 2, "value"]),
        "sections[0].items[0].options[2].value: missing",
    ),
    "option with an empty value": (
        _set(["sections", 0, "items", 1, "options", 0, "value"], ""),
        "sections[0].items[1].options[0].value: an option needs a value",
    ),
    "duplicate option value": (
        _set(["sections", 0, "items", 0, "options", 1, "value"], 1),
        "sections[0].items[0].options[1].value: duplicate option value '1'",
    ),
    "overlapping bands": (_set(["band_sets", "categories", 2, "from"], 2.5), "overlaps the band before it"),
    "bands with a gap": (_set(["band_sets", "categories", 3, "from"], 4.5), "leaves a gap from 4 to 4.5"),
    "bands short of the top": (
        _set(["band_sets", "categories", 4, "to"], 4.5),
        "must end at the scale's highest value 5",
    ),
    "missing Kazakh title": (_set(["title"], ""), "title: missing Kazakh text"),
    "missing Kazakh prompt": (
        _delete(["sections", 3, "items", 0, "prompt"]),
        "sections[3].items[0].prompt: missing Kazakh text",
    ),
    "translation without Kazakh": (
        _set(["sections", 0, "items", 0, "options", 0, "text"], {"ru": "Проводит уроки"}),
        "sections[0].items[0].options[0].text.kk: missing Kazakh text",
    ),
    "rule naming an unknown scale": (
        _set(["rules", 1, "scales", 2], "reflexion"),
        "rules[1].scales[2]: names an unknown scale 'reflexion'",
    ),
    "scale naming an unknown item": (
        _set(["scales", 0, "items"], ["action-levl"]),
        "scales[0].items[0]: names an unknown item",
    ),
    "unknown band set": (_set(["scales", 4, "bands"], "categorys"), "scales[4].bands: names an unknown band set"),
    "unknown rule kind": (_set(["rules", 0, "kind"], "median"), "rules[0].kind: expected one of"),
    "next step without a growth zone": (_delete(["rules", 0]), "needs an 'extremes' rule before it"),
    "published key without citation": (
        _set(["provenance", "kind"], "published"),
        "provenance.citation: missing Kazakh text",
    ),
    "unknown provenance": (
        _set(["provenance", "kind"], "official"),
        "provenance.kind: expected one of: source, published, authored",
    ),
    "rating upside down": (
        _set(["sections", 0, "items", 0], {"id": "r", "type": "rating", "prompt": "Бағалаңыз", "min": 10, "max": 0}),
        "sections[0].items[0].max: must be greater than min",
    ),
    "id not matching the file": (_set(["id"], "cycle"), "id: must match the file name 'cycle-self-assessment'"),
}


@pytest.mark.parametrize("case", CASES)
def test_malformed_instrument_names_file_line_and_field(tmp_path, case):
    change, expected = CASES[case]
    path = write(tmp_path, broken(change))
    problems = problems_of(path)
    assert any(expected in problem for problem in problems), problems
    for problem in problems:
        file, line, _ = problem.split(":", 2)
        assert file.endswith("cycle-self-assessment.yml") and int(line) >= 1


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    data = broken(lambda d: (_set(["colour"], 1)(d), _set(["title"], "")(d), _set(["rules", 1, "scales", 0], "x")(d)))
    assert len(problems_of(write(tmp_path, data))) == 3


def test_line_numbers_point_at_the_field(tmp_path):
    path = tmp_path / "cycle-self-assessment.yml"
    path.write_text(FLAGSHIP.read_text(encoding="utf-8").replace("    guide: model/cycle/design.md", "    gide: x"))
    problem = next(p for p in problems_of(path) if "gide" in p)
    line = int(problem.split(":")[1])
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].strip().startswith("gide:")


def test_duplicate_yaml_key_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "cycle-self-assessment.yml"
    text = FLAGSHIP.read_text(encoding="utf-8").replace("minutes: 15", "minutes: 15\nminutes: 20")
    path.write_text(text, encoding="utf-8")
    [problem] = problems_of(path)
    assert "duplicate key 'minutes'" in problem
    assert int(problem.split(":")[1]) == text.splitlines().index("minutes: 20") + 1


def test_broken_yaml_is_reported_not_raised(tmp_path):
    path = tmp_path / "cycle-self-assessment.yml"
    path.write_text("id: x\nsections: [\n  - a\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert "not valid YAML" in problem


def test_guide_to_a_missing_page_is_an_error(tmp_path):
    path = write(tmp_path, VALID)
    problems = problems_of(path, pages={"model/cycle/action.md"})
    assert any(
        "sections[1].guide: links to a page that does not exist: docs/model/cycle/analysis.md" in p for p in problems
    )


def test_cli_validate_reports_problems_without_traceback(tmp_path):
    write(tmp_path, broken(_set(["title"], "")))
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--assessments", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert "title: missing Kazakh text" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.build
def test_malformed_instrument_stops_the_build_without_traceback(tmp_path):
    # The project as it is, but for a broken instrument in its own assessments folder.
    for name in (
        "mkdocs.yml",
        "mkdocs.ru.yml",
        "pyproject.toml",
        "docs",
        "site_src",
        "templates",
        "attestation",
        "includes",
        "node_modules",
    ):
        (tmp_path / name).symlink_to(ROOT / name)
    folder = tmp_path / "assessments"
    folder.mkdir()
    write(folder, broken(_set(["band_sets", "categories", 3, "from"], 4.5)))
    done = build_site(tmp_path / "site", tmp_path / "mkdocs.yml")
    assert done.returncode != 0
    assert "cycle-self-assessment.yml:" in done.stderr
    assert done.stderr.count("band_sets.categories[3].from: leaves a gap from 4 to 4.5") == 1
    assert "Traceback" not in done.stderr


# --- issue 15: every wrong type, number, alias, page block and results record is a message, never a traceback

WRONG_TYPES = {  # each crashed `mkdocs build` and `validate` with a traceback, or was accepted, before
    "section lists a number": (_set(["sections", 0, "lists"], 5), "sections[0].lists: expected a mapping, found"),
    "section lists empty": (_set(["sections", 0, "lists"], None), "sections[0].lists: expected a mapping, found"),
    "section id a list": (_set(["sections", 1, "id"], ["analysis"]), "sections[1].id: expected an id"),
    "scale section a list": (_set(["scales", 0, "section"], ["s1"]), "scales[0].section: expected an id"),
    "rule kind a list": (_set(["rules", 0, "kind"], ["card"]), "rules[0].kind: expected one of"),
    "rule scales a number": (_set(["rules", 1, "scales"], 5), "rules[1].scales: expected a list, found"),
    "rule scales nested": (_set(["rules", 1, "scales"], [["a"], "b"]), "rules[1].scales[0]: expected an id"),
    "rule scales a text": (_set(["rules", 1, "scales"], "ab"), "rules[1].scales: expected a list, found text"),
    "next-step scale items nested": (
        _set(["scales", 0, "items"], [["action-level"]]),
        "scales[0].items[0]: expected an id",
    ),
    "points not a number": (
        _set(["sections", 0, "items", 0, "options", 0, "points"], float("nan")),
        "sections[0].items[0].options[0].points: expected a number from -1000 to 1000, found .nan",
    ),
    "infinite rating": (
        _set(
            ["sections", 0, "items", 0], {"id": "r", "type": "rating", "prompt": "Баға", "min": 0, "max": float("inf")}
        ),
        "sections[0].items[0].max: expected a number",
    ),
    "minutes true": (_set(["minutes"], True), "minutes: expected whole minutes from 1 to 120, found true"),
    "tiny rating step": (
        _set(
            ["sections", 0, "items", 0],
            {"id": "r", "type": "rating", "prompt": "Баға", "min": 0, "max": 1, "step": 0.0000001},
        ),
        "sections[0].items[0].step: offers 10000001 answers from min to max; at most 101",
    ),
    "too many rating points": (
        _set(["sections", 0, "items", 0], {"id": "r", "type": "rating", "prompt": "Баға", "min": 0, "max": 1000}),
        "sections[0].items[0].max: offers 1001 answers",
    ),
}


@pytest.mark.parametrize("case", WRONG_TYPES)
def test_wrong_type_or_number_is_a_problem_not_a_traceback(tmp_path, case):
    change, expected = WRONG_TYPES[case]
    problems = problems_of(write(tmp_path, broken(change)))
    assert any(expected in problem for problem in problems), problems


def test_cli_validate_reports_a_wrong_type_without_traceback(tmp_path):
    write(tmp_path, broken(_set(["sections", 0, "lists"], 5)))
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--assessments", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "cycle-self-assessment.yml:" in done.stderr and "sections[0].lists: expected a mapping" in done.stderr


def test_rating_values_are_counted_not_looped():
    from generator.build.render import rating_values

    assert rating_values({"min": 1, "max": 3, "step": 0.5}) == [1, 1.5, 2, 2.5, 3]
    assert rating_values({"min": 0, "max": 1, "step": 0.1})[-1] == 1


def test_aliases_that_expand_past_the_limit_are_refused(tmp_path):
    # 100 section lists, each an alias of one list of 100 aliases of one 3 900-letter text: a valid instrument
    # of 30 KB that holds 39 million characters.
    aliases = ", ".join(["*long"] * 99)
    bomb = f"      big: &big [&long {'ә' * 3900}, {aliases}]\n" + "".join(f"      l{n}: *big\n" for n in range(100))
    path = tmp_path / "cycle-self-assessment.yml"
    path.write_text(FLAGSHIP.read_text(encoding="utf-8").replace("    lists:\n", "    lists:\n" + bomb, 1))
    [problem] = problems_of(path)
    assert "with its aliases (*name) expanded the file holds more than" in problem


def test_aliases_and_merge_keys_keep_working(tmp_path):
    from generator.formats.yamlfile import load

    path = tmp_path / "shared.yml"
    path.write_text("base: &base {id: a, label: A}\nplain: *base\nmerged:\n  <<: *base\n  id: b\nboth: {<<: [*base]}\n")
    data = load(path)
    assert data["plain"] == {"id": "a", "label": "A"}
    assert data["merged"] == {"id": "b", "label": "A"} and data["both"] == {"id": "a", "label": "A"}
    assert data.key_lines["merged"] == 3


def test_a_huge_integer_is_reported_not_raised(tmp_path):
    path = tmp_path / "cycle-self-assessment.yml"
    path.write_text(FLAGSHIP.read_text(encoding="utf-8").replace("minutes: 15", "minutes: " + "9" * 5000))
    [problem] = problems_of(path)
    assert "not valid YAML" in problem


def test_the_schema_knows_every_rule_the_engine_runs():
    from generator.browser import engine
    from generator.formats.checker import SCHEMAS

    schema = json.loads((SCHEMAS / "instrument.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["rule"]["properties"]["kind"]["enum"] == list(engine.RULES)


def test_every_data_file_names_its_schema_for_editors():
    for folder, name in (("assessments", "instrument"), ("templates", "template")):
        for path in sorted((ROOT / folder).glob("*.yml")):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../generator/formats/schemas/{name}.schema.json", path
            assert (path.parent / first.partition("=")[2]).resolve().is_file()


def page_project(tmp_path: Path, page: str) -> Path:
    """The project as it is, but for a copy of docs/ whose first page (index.md) ends with ``page``."""
    for name in (
        "mkdocs.yml",
        "mkdocs.ru.yml",
        "pyproject.toml",
        "site_src",
        "assessments",
        "templates",
        "attestation",
        "includes",
        "node_modules",
    ):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    index = tmp_path / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n" + page, encoding="utf-8")
    return tmp_path / "mkdocs.yml"


@pytest.mark.build
@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("/// instrument | \n///\n", "index.md: block not understood: '/// instrument |"),
        ("/// template |\n///\n", "index.md: block not understood: '/// template |"),
        (
            "/// instrument | lesson-reflection\n///\n\n/// instrument | lesson-reflection\n///\n",
            "index.md: instrument 'lesson-reflection' is placed twice",
        ),
        (
            "/// template | research-plan\n///\n\n/// template | research-plan\n///\n",
            "index.md: template 'research-plan' is placed twice",
        ),
    ],
)
def test_a_bad_page_block_stops_the_build_naming_the_page(tmp_path, page, expected):
    done = build_site(tmp_path / "site", page_project(tmp_path, page))
    assert done.returncode != 0
    assert expected in done.stderr and "Traceback" not in done.stderr


def rescore(tmp_path: Path, records: list) -> subprocess.CompletedProcess:
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"kind": "kasibi-results", "records": records}), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "generator", "score", str(results), "--assessments", str(ROOT / "assessments")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (1, "record 1: not a saved result"),
        ({"instrument": ["x"]}, "no instrument with this id"),
        (
            {"instrument": "lesson-reflection", "instrument_version": 1, "answers": {}, "result": [1]},
            "MISMATCH: its stored result is not an object",
        ),
    ],
)
def test_cli_rescore_reports_a_malformed_record_without_traceback(tmp_path, record, expected):
    done = rescore(tmp_path, [record])
    assert "Traceback" not in done.stderr and expected in done.stdout


def test_cli_rescore_never_reads_a_file_outside_the_instruments(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "conf.yml").write_text("database_password: hunter2\n", encoding="utf-8")
    escape = "../" * 20 + outside.as_posix().lstrip("/") + "/conf"  # from assessments/ to outside/conf.yml
    done = rescore(tmp_path, [{"instrument": escape}, {"instrument": "../../outside/conf"}])
    assert "database_password" not in done.stdout + done.stderr and "Traceback" not in done.stderr
    assert done.stdout.count("no instrument with this id") == 2
