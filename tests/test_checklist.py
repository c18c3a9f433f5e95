"""The attestation checklist (attestation/checklist.yml): it validates against the instruments and templates it
names, a malformed copy fails with the file and the field named and never a traceback, and its content keeps the
promises of issue 22: every category has its cycle self-assessment, development plan and route sheet, and every
item says where the recommendations say it or that it is the site's suggestion."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from test_authoring_fuzz import CASE_SECONDS, SchemaWalk, deadline, substituted

from generator.formats.checker import SCHEMAS, ValidationError, field_name, localized
from generator.formats.checklist import compile_checklist, load_checklist, recognise, validate
from generator.formats.yamlfile import Mapping, load

CHECKLIST = ROOT / "attestation" / "checklist.yml"
INSTRUMENTS = {path.stem for path in (ROOT / "assessments").glob("*.yml")}
TEMPLATES = {path.stem for path in (ROOT / "templates").glob("*.yml")}
VALID = yaml.safe_load(CHECKLIST.read_text(encoding="utf-8"))
CATEGORIES = ["pedagog", "moderator", "sarapshy", "zertteushi", "sheber"]
COMPILED = load_checklist(CHECKLIST, INSTRUMENTS, TEMPLATES)


def item(data: dict, item_id: str) -> dict:
    return next(entry for entry in data["items"] if entry["id"] == item_id)


def problems_of(change: Callable[[dict], None], tmp_path: Path) -> list[str]:
    data = copy.deepcopy(VALID)
    change(data)
    path = tmp_path / "checklist.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_checklist(path, INSTRUMENTS, TEMPLATES)
    return [str(problem) for problem in caught.value.problems]


def test_the_real_checklist_validates_and_compiles_to_strict_json():
    json.dumps(COMPILED, allow_nan=False)
    assert [c["id"] for c in COMPILED["categories"]] == CATEGORIES
    levels = ["school", "district", "region", "republic", "international"]
    assert [level["id"] for level in COMPILED["levels"]] == levels
    assert [level["rank"] for level in COMPILED["levels"]] == [0, 1, 2, 3, 4]
    for category in COMPILED["categories"]:
        assert all(entry["min"] >= 1 for entry in category["items"])


CASES = {
    "missing label": (lambda d: item(d, "career-ladder").pop("label"), "items[1].label: missing Kazakh text"),
    "missing source of a source item": (
        lambda d: item(d, "career-ladder").pop("source"),
        "items[1].source: missing source citation",
    ),
    "suggestion without a note": (
        lambda d: item(d, "career-ladder").update(basis="suggestion"),
        "items[1].note: missing Kazakh note",
    ),
    "unknown instrument": (
        lambda d: item(d, "career-ladder").update(ref="career-ladder-2"),
        "items[1].ref: names no instrument in assessments/: 'career-ladder-2'",
    ),
    "unknown template": (
        lambda d: item(d, "development-plan").update(ref="development-plan"),
        "items[4].ref: names no template in templates/: 'development-plan'",
    ),
    "unknown category in a list": (
        lambda d: item(d, "career-ladder").update(categories=["pedagog", "master"]),
        "items[1].categories[1]: expected one of: pedagog, moderator",
    ),
    "unknown category in a mapping": (
        lambda d: item(d, "career-ladder").update(categories={"pedagog": 1, "master": 2}),
        "items[1].categories.master: expected one of: pedagog, moderator",
    ),
    "a category twice": (
        lambda d: item(d, "career-ladder").update(categories=["pedagog", "pedagog"]),
        "items[1].categories: expected a list naming each category once",
    ),
    "categories a text": (
        lambda d: item(d, "career-ladder").update(categories="pedagog"),
        "items[1].categories: expected a list of category ids, or a mapping",
    ),
    "min a text": (
        lambda d: item(d, "lesson-analyses").update(min="four"),
        "min: expected a whole number from 1 to 100, found text",
    ),
    "min true": (
        lambda d: item(d, "lesson-analyses").update(min=True),
        "min: expected a whole number from 1 to 100, found true",
    ),
    "min and per-category counts": (
        lambda d: item(d, "lesson-analyses").update(categories={"pedagog": 2}),
        "min: give the number once",
    ),
    "unknown level": (
        lambda d: item(d, "experience-school").update(level="galaxy"),
        "level: names a level the file does not list: 'galaxy'",
    ),
    "unknown kind of achievement": (
        lambda d: item(d, "experience-school").update(kinds=["gossip"]),
        "kinds[0]: names a kind the file does not list: 'gossip'",
    ),
    "level on a template": (
        lambda d: item(d, "development-plan").update(level="school"),
        "items[4].level: only an achievements item has it",
    ),
    "wrong kind": (lambda d: item(d, "career-ladder").update(kind="survey"), "items[1].kind: expected one of"),
    "duplicate item id": (
        lambda d: item(d, "career-ladder").update(id="cycle-self-assessment"),
        "items[1].id: duplicate item id 'cycle-self-assessment'",
    ),
    "unknown key": (lambda d: item(d, "career-ladder").update(colour="red"), "items[1].colour: unknown key"),
    "a category left out": (lambda d: d["categories"].pop(), "names a category the file does not list: 'sheber'"),
    "a capitalised word": (
        lambda d: d["levels"][0].update(words=["Мектеп"]),
        "levels[0].words[0]: expected a lowercase word",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_malformed_checklist_names_file_and_field(tmp_path, case):
    change, expected = CASES[case]
    problems = problems_of(change, tmp_path)
    assert any(expected in problem for problem in problems), problems
    assert all(problem.startswith(f"{tmp_path / 'checklist.yml'}:") for problem in problems), problems


def test_cli_validate_reports_a_broken_checklist_without_traceback(tmp_path):
    data = copy.deepcopy(VALID)
    item(data, "career-ladder").update(ref="no-such-instrument", min="two")
    path = tmp_path / "checklist.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--checklist", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}:" in done.stderr and "items[1].min: expected a whole number" in done.stderr


def test_cli_validate_checks_the_checklist():
    done = subprocess.run([sys.executable, "-m", "generator", "validate"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "checklist valid" in done.stdout


def test_every_wrong_value_in_every_field_names_file_line_and_field():
    """The fuzz of test_authoring_fuzz, on the checklist: no value may raise, each must name its field."""
    walk = SchemaWalk(json.loads((SCHEMAS / "checklist.schema.json").read_text(encoding="utf-8")))
    data = load(CHECKLIST)
    assert isinstance(data, Mapping) and validate(data, CHECKLIST.name, INSTRUMENTS, TEMPLATES) == []
    failures, seen, cases = [], set(), 0
    for field in walk.fields(data, walk.root):
        if field.key in seen:
            continue
        seen.add(field.key)
        refused, maybe = walk.wrong_values(field)
        name = field_name(field.parts)
        for value, must_refuse in [(v, True) for v in refused] + [(v, False) for v in maybe]:
            cases += 1
            try:
                with substituted(field, value), deadline(CASE_SECONDS):
                    problems = [str(p) for p in validate(data, CHECKLIST.name, INSTRUMENTS, TEMPLATES)]
                    if not problems and not must_refuse:
                        json.dumps(compile_checklist(data), allow_nan=False)
            except Exception as error:  # the point of the test: no case may raise
                failures.append(f"{name} = {value!r}: {type(error).__name__}: {error}")
                continue
            if must_refuse and not problems:
                failures.append(f"{name} = {value!r}: accepted")
            elif must_refuse and not any(p.split(": ", 2)[1].startswith(name) for p in problems):
                failures.append(f"{name} = {value!r}: no problem names it: {problems}")
            elif not all(p.startswith(f"{CHECKLIST.name}:") for p in problems):
                failures.append(f"{name} = {value!r}: malformed {problems}")
    assert not failures, "\n".join(failures[:40])
    assert len(seen) >= 30 and cases >= 5 * len(seen)


# --- content: what the recommendations ask of each category ------------------------------------------------


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_category_has_its_self_assessment_plan_and_route_sheet(category):
    [entry] = [c for c in COMPILED["categories"] if c["id"] == category]
    refs = {(i["kind"], i["ref"]) for i in entry["items"]}
    assert ("instrument", "cycle-self-assessment") in refs
    assert ("instrument", "career-ladder") in refs
    assert ("template", "individual-development-plan") in refs
    route_sheets = [ref for kind, ref in refs if kind == "template" and ref.startswith("route-sheet-")]
    assert route_sheets == [f"route-sheet-{category}"]


def test_every_item_has_a_source_or_is_marked_the_sites_suggestion():
    for entry in COMPILED["items"]:
        assert entry["basis"] in ("source", "suggestion"), entry["id"]
        if entry["basis"] == "source":
            assert entry["source"].startswith("[00"), entry["id"]
            assert "жол" in entry["source"], f"{entry['id']}: cite the lines"
        if "suggestion" in (entry["basis"], entry["min_basis"]):
            assert entry["note"], f"{entry['id']}: say in the note what is the site's suggestion"


def test_the_generalisation_levels_follow_the_categories():
    """Practical stage at school (moderator), methodological at district or city (expert), scientific at region
    and republic (researcher), republic and beyond (master): 001, lines 7182–7193, 7617–7700."""
    levels = {(i["level"], c["id"]) for c in COMPILED["categories"] for i in c["items"] if i["kind"] == "achievements"}
    assert {("school", "moderator"), ("district", "sarapshy"), ("region", "zertteushi")} <= levels
    assert {("republic", "zertteushi"), ("republic", "sheber"), ("international", "sheber")} <= levels
    assert not {level for level, category in levels if category == "pedagog"} - {""}


def test_achievement_items_count_entries_of_the_achievements_log():
    for entry in COMPILED["items"]:
        if entry["kind"] == "achievements":
            assert entry["ref"] == "achievements-log", entry["id"]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_what_the_log_suggests_typing_is_recognised(lang):
    """The log's hints list the levels and kinds a teacher types, in either language; each must be recognised as
    what it says (one checklist recognises the words of both)."""
    log = localized(yaml.safe_load((ROOT / "templates" / "achievements-log.yml").read_text(encoding="utf-8")), lang)
    [table] = [block for block in log["blocks"] if block["id"] == "log"]
    hints = {c["id"]: c["hint"].split(" / ") for c in table["columns"] if c["id"] in ("level", "kind")}
    levels = [recognise(typed, COMPILED["levels"], widest=True) for typed in hints["level"]]
    assert levels == ["school", "district", "region", "republic", "international"]
    kinds = [recognise(typed, COMPILED["kinds"]) for typed in hints["kind"]]
    assert kinds == ["course", "open-lesson", "talk", "publication", "mentoring", "community", "pupil-result"]
    for row in table["example"]:
        assert recognise(row["level"], COMPILED["levels"], widest=True), row
        assert recognise(row["kind"], COMPILED["kinds"]), row


def test_a_typed_value_is_recognised_by_the_beginning_of_a_word():
    levels, kinds = COMPILED["levels"], COMPILED["kinds"]
    assert recognise("Облыстық семинар", levels, widest=True) == "region"
    assert recognise("Республикалық конференция, Астана қаласы", levels, widest=True) == "republic"
    assert recognise("мектепішілік", levels, widest=True) == "school"
    assert recognise("экскурсия", kinds) == ""  # «курс» inside a word names nothing
    assert recognise("Конференция жинағындағы мақала", kinds) == "publication"
    assert recognise("", kinds) == ""


def test_per_category_counts_compile_into_each_categorys_items():
    data = copy.deepcopy(VALID)
    item(data, "lesson-analyses").pop("min")
    item(data, "lesson-analyses")["categories"] = {"pedagog": 6, "sheber": 2}
    compiled = compile_checklist(data)
    assert item(compiled, "lesson-analyses")["categories"] == {"pedagog": 6, "sheber": 2}
    mins = {c["id"]: [i["min"] for i in c["items"] if i["id"] == "lesson-analyses"] for c in compiled["categories"]}
    assert mins == {"pedagog": [6], "moderator": [], "sarapshy": [], "zertteushi": [], "sheber": [2]}
