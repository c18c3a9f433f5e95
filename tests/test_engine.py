"""The scoring engine on the flagship instrument: its rules, stated in the page, hold."""

from __future__ import annotations

import ast
import json
import random
import sys
from pathlib import Path

import pytest
from answer_sets import random_answers

from generator.browser import engine

STAGES = ["action", "analysis", "reflection", "design", "trial"]
CATEGORIES = ["Педагог", "Педагог-модератор", "Педагог-сарапшы", "Педагог-зерттеуші", "Педагог-шебер"]


def levels(*values: int) -> dict:
    return {f"{stage}-level": value for stage, value in zip(STAGES, values, strict=True)}


def test_all_answers_at_pedagog_give_pedagog_everywhere(flagship):
    result = engine.score(flagship, levels(1, 1, 1, 1, 1))
    assert [s["band_label"] for s in result["scales"]] == ["Педагог"] * 5
    assert result["floor"]["label"] == "Педагог"
    assert result["all_equal"] is True
    assert result["growth_zone"] == "action"  # ties go to the stage first in the cycle
    assert result["next_step"]["next"]["label"] == "Педагог-модератор"


def test_all_answers_at_sheber_give_sheber_everywhere(flagship):
    result = engine.score(flagship, levels(5, 5, 5, 5, 5))
    assert [s["band_label"] for s in result["scales"]] == ["Педагог-шебер"] * 5
    assert result["floor"]["label"] == "Педагог-шебер"
    assert result["next_step"]["next"] is None
    assert "ең жоғары" in result["next_step"]["at_top"]


@pytest.mark.parametrize("chosen", range(1, 6))
def test_each_choice_maps_to_its_category(flagship, chosen):
    result = engine.score(flagship, levels(chosen, 1, 1, 1, 1))
    assert result["scales"][0]["band_label"] == CATEGORIES[chosen - 1]


def test_growth_zone_is_the_lowest_stage_and_ties_go_to_the_earliest(flagship):
    rng = random.Random(7)
    for _ in range(300):
        values = [rng.randint(1, 5) for _ in STAGES]
        result = engine.score(flagship, levels(*values))
        lowest = min(values)
        assert result["growth_zone"] == STAGES[values.index(lowest)]
        assert result["growth_zone_ties"] == [s for s, v in zip(STAGES, values, strict=True) if v == lowest]
        assert result["strongest"] == [s for s, v in zip(STAGES, values, strict=True) if v == max(values)]
        assert result["floor"]["rank"] == lowest


def test_next_step_is_the_statement_one_category_above_on_the_growth_zone(flagship):
    result = engine.score(flagship, levels(4, 4, 2, 3, 5))
    step = result["next_step"]
    assert step["scale"] == "reflection"
    assert step["current"]["label"] == "Педагог-модератор"
    assert step["next"]["label"] == "Педагог-сарапшы"
    assert step["next"]["text"] == "Оқытудағы табыс пен қиындықтың жүйелі себептерін ұғынамын."
    assert step["guide"] == "model/cycle/reflection.md"


def test_methods_come_from_table_1_for_the_growth_zone(flagship):
    result = engine.score(flagship, levels(3, 3, 3, 1, 3))
    assert result["growth_zone"] == "design"
    assert "SMART-мақсаттар қою" in result["focus"]["methods"]
    assert "ЖДЖ әзірлеу" in result["focus"]["methods"]


def test_evidence_splits_ticked_and_still_to_collect(flagship):
    answers = {**levels(2, 2, 2, 2, 2), "design-evidence": ["plan"]}
    design = next(e for e in engine.score(flagship, answers)["evidence"] if e["scale"] == "design")
    assert design["have"] == ["Жеке даму жоспарым (ЖДЖ)"]
    assert len(design["missing"]) == 2


def test_evidence_does_not_change_levels(flagship):
    plain = engine.score(flagship, levels(2, 3, 4, 1, 5))
    ticked = engine.score(flagship, {**levels(2, 3, 4, 1, 5), "action-evidence": ["plans", "assessment"]})
    assert plain["scales"] == ticked["scales"]


def test_raising_one_answer_never_lowers_any_result(flagship):
    rng = random.Random(11)
    for _ in range(300):
        values = [rng.randint(1, 5) for _ in STAGES]
        stage = rng.randrange(5)
        if values[stage] == 5:
            continue
        before = engine.score(flagship, levels(*values))
        values[stage] += 1
        after = engine.score(flagship, levels(*values))
        for old, new in zip(before["scales"], after["scales"], strict=True):
            assert new["value"] >= old["value"] and new["band_rank"] >= old["band_rank"]
        assert after["floor"]["rank"] >= before["floor"]["rank"]
        assert max(s["value"] for s in after["scales"]) >= max(s["value"] for s in before["scales"])


def test_same_input_gives_the_same_output(flagship):
    rng = random.Random(3)
    for _ in range(50):
        answers = random_answers(flagship, rng)
        shuffled = dict(sorted(answers.items(), key=lambda _: rng.random()))
        first = json.dumps(engine.score(flagship, answers), ensure_ascii=False)
        assert json.dumps(engine.score(flagship, shuffled), ensure_ascii=False) == first
        assert engine.score_json(json.dumps(flagship), json.dumps(answers)) == first


def test_incomplete_answers_say_what_is_missing_and_conclude_nothing(flagship):
    result = engine.score(flagship, {"action-level": 3, "trial-level": 2})
    assert result["complete"] is False
    assert result["missing"] == ["analysis-level", "reflection-level", "design-level"]
    assert (result["answered"], result["required"]) == (2, 5)
    assert "scales" not in result and "growth_zone" not in result


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"nope": 1}, "unknown item 'nope'"),
        ({"action-level": 6}, "action-level: 6 is not one of its options"),
        ({"action-level": "3"}, "action-level: '3' is not one of its options"),
        ({"action-level": True}, "action-level: True is not one of its options"),
        ({"action-evidence": "plans"}, "action-evidence: expected a list"),
        ({"action-evidence": ["plans", "plans"]}, "action-evidence: expected a list of distinct"),
        ({"action-evidence": ["stolen"]}, "action-evidence: 'stolen' is not one of its options"),
        ([1, 2], "answers must be an object"),
    ],
)
def test_answers_that_do_not_fit_are_refused_with_the_item_named(flagship, answers, message):
    with pytest.raises(engine.AnswerError, match=message.replace("(", r"\(")):
        engine.score(flagship, answers)
    assert message.split(":")[0] in engine.score_json(json.dumps(flagship), json.dumps(answers))


def test_result_says_how_it_was_computed(flagship):
    result = engine.score(flagship, levels(1, 2, 3, 4, 5))
    assert result["provenance"]["kind"] == "authored"
    assert "өсу аймағы" in result["provenance"]["method"]
    assert any("1-кесте" in source for source in result["sources"])
    assert result["engine"] == engine.ENGINE_VERSION


def test_engine_imports_only_the_standard_library():
    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 0
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported
