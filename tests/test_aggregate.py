"""The school level in CPython: share files, the summary, the report's privacy rules, region merges, the CLI."""

from __future__ import annotations

import io
import itertools
import json
import random
import statistics
import subprocess
import sys
import zipfile
from collections import Counter

import pytest
from answer_sets import random_answers
from conftest import ROOT
from school_files import CATEGORIES, SENTINEL, random_facts, share_file, teacher_files, with_sentinel, zipped

from generator import cli
from generator.browser import aggregate, engine
from generator.formats.instrument import load_folder

CYCLE = "cycle-self-assessment"
STAGES = ("action", "analysis", "reflection", "design", "trial")


@pytest.fixture(scope="module")
def instruments() -> dict[str, dict]:
    return load_folder(ROOT / "assessments")


def cycle_share(instruments, rng: random.Random, levels: dict[str, int], facts: dict | None = None) -> bytes:
    """A cycle self-assessment share with the given level (1-5) on each stage (others random)."""
    instrument = instruments[CYCLE]
    answers = {f"{stage}-level": levels.get(stage, rng.randint(1, 5)) for stage in STAGES}
    answers["action-evidence"] = ["plans"]
    result = engine.score(instrument, answers)
    data = aggregate.share(instrument, answers, result, facts or {}, f"{rng.getrandbits(128):032x}", "2026-05")
    return aggregate.canonical(data).encode()


def summary_of(files, instruments) -> dict:
    names, blobs = zip(*files, strict=True) if files else ((), ())
    return json.loads(aggregate.aggregate_files(list(names), list(blobs), json.dumps(instruments)))


def report_of(files, instruments, earlier: str = "", named: str = "") -> dict:
    names, blobs = zip(*files, strict=True)
    text = aggregate.aggregate_files(list(names), list(blobs), json.dumps(instruments))
    return json.loads(aggregate.report_json(text, json.dumps(instruments), earlier, named))


# --- the share file -----------------------------------------------------------


def test_share_file_holds_answers_scales_and_chosen_facts_but_never_free_text(instruments):
    rng = random.Random(1)
    shared = 0
    for instrument in instruments.values():
        items = {item["id"]: item for s in instrument["sections"] for item in s["items"]}
        answers = with_sentinel(instrument, random_answers(instrument, rng))
        result = engine.score(instrument, answers)
        if all(item["type"] == "text" for item in items.values()):
            with pytest.raises(ValueError, match="only free-text"):
                aggregate.share(instrument, answers, result, {}, "a" * 32, "2026-05")
            continue
        text = aggregate.share_json(
            json.dumps(instrument),
            json.dumps(answers),
            json.dumps(result),
            '{"category": "expert"}',
            "a" * 32,
            "2026-05",
        )
        data = json.loads(text)
        shared += 1
        assert SENTINEL not in text
        assert text == aggregate.canonical(data)
        assert set(data) == aggregate.SHARE_KEYS and data["format"] == "kasibi-share" and data["format_version"] == 1
        assert all(items[i]["type"] in ("choice", "checks", "rating") for i in data["answers"])
        assert data["answers"] == {i: a for i, a in answers.items() if items[i]["type"] != "text"}
        assert data["scales"] == [{"id": s["id"], "value": s["value"], "band": s["band"]} for s in result["scales"]]
        assert data["growth_zone"] == result.get("growth_zone")
        assert data["facts"] == {"category": "expert"}
    assert shared >= 12


def test_share_refuses_facts_ids_and_results_that_do_not_fit(instruments):
    instrument = instruments[CYCLE]
    answers = {f"{stage}-level": 3 for stage in STAGES}
    result = engine.score(instrument, answers)
    make = lambda facts, share_id="b" * 32, month="2026-05", res=result: aggregate.share(  # noqa: E731
        instrument, answers, res, facts, share_id, month
    )
    assert make({"category": "master", "subject": "", "name": "  Айгүл  "})["facts"] == {
        "category": "master",
        "name": "Айгүл",
    }
    # a value is its id: a name in either language (the page's own words) is not a value
    for facts in (
        {"category": "director"},
        {"category": "Педагог-шебер"},
        {"age": "40"},
        {"experience": "5"},
        {"name": "x" * 81},
    ):
        with pytest.raises(ValueError):
            make(facts)
    for share_id, month in (("XYZ", "2026-05"), ("b" * 32, "2026-13"), ("b" * 31, "2026-05")):
        with pytest.raises(ValueError):
            make({}, share_id, month)
    other = engine.score(instrument, {**answers, "action-level": 5})
    with pytest.raises(ValueError, match="does not match"):
        make({}, res=other)


def test_share_contents_say_what_the_file_holds_as_counts_and_ids(instruments):
    """The engine says what a share file will hold in ids and numbers; the page words it (share.js)."""
    survey = instruments["methodological-work-survey"]
    held = json.loads(aggregate.share_contents_json(json.dumps(survey), '{"experience": "4-10"}'))
    items = [item for section in survey["sections"] for item in section["items"]]
    assert held == {
        "title": survey["title"],
        "version": survey["version"],
        "answers": sum(item["type"] != "text" for item in items),
        "texts": sum(item["type"] == "text" for item in items),
        "growth_zone": False,
        "facts": {"experience": "4-10"},
        "name": None,
    }
    assert held["texts"] > 0
    named = aggregate.share_contents(instruments[CYCLE], {"category": "moderator", "name": "Әлия Сәрсенова"})
    assert named["facts"] == {"category": "moderator"} and named["name"] == "Әлия Сәрсенова"
    assert named["texts"] == 0 and named["growth_zone"]  # the cycle has no free-text item, and a growth zone


# --- aggregation ------------------------------------------------------------------


def test_every_teacher_counted_once_and_every_other_file_listed_with_its_reason(instruments):
    rng = random.Random(2)
    good = [(f"t{n:02d}.json", cycle_share(instruments, rng, {}, random_facts(rng))) for n in range(12)]
    share = json.loads(good[0][1])
    tampered = {**share, "share_id": "c" * 32, "scales": [{**share["scales"][0], "value": 9}, *share["scales"][1:]]}
    texted = {**share, "share_id": "d" * 32, "answers": {**share["answers"]}}
    survey = json.loads(share_file(instruments, rng, "methodological-work-survey"))
    survey_texted = {**survey, "answers": {**survey["answers"], "revise": SENTINEL}}
    bad = {
        "broken.json": b'{"format": "kasibi-sh',
        "foreign.json": b'{"hello": 1}',
        "photo.jpg": b"\xff\xd8\xff\xe0 not json",
        "export.json": json.dumps({"kind": "kasibi-results", "records": []}).encode(),
        "future.json": aggregate.canonical({**share, "format_version": 2}).encode(),
        "unknown.json": aggregate.canonical({**share, "instrument": {"id": "no-such", "version": 1}}).encode(),
        "old.json": aggregate.canonical({**share, "instrument": {"id": CYCLE, "version": 99}}).encode(),
        "tampered.json": aggregate.canonical(tampered).encode(),
        "facts.json": aggregate.canonical({**texted, "facts": {"age": "40"}}).encode(),
        "extra.json": aggregate.canonical({**texted, "comment": SENTINEL}).encode(),
        "text.json": aggregate.canonical(survey_texted).encode(),
        "twice.json": good[3][1],
        "broken.zip": b"PK\x03\x04 cut short",
    }
    expected = {
        "broken.json": "broken",
        "foreign.json": "not-ours",
        "photo.jpg": "broken",
        "export.json": "results-export",
        "future.json": "version",
        "unknown.json": "instrument",
        "old.json": "instrument",
        "tampered.json": "mismatch",
        "facts.json": "mismatch",
        "extra.json": "mismatch",
        "text.json": "free-text",
        "twice.json": "duplicate",
        "broken.zip": "broken",
    }
    summary = summary_of(good + list(bad.items()), instruments)
    text = aggregate.canonical(summary)
    assert {r["name"]: r["code"] for r in summary["rejected"]} == expected
    assert all(set(r) == {"name", "code"} and r["code"] in aggregate.REASONS for r in summary["rejected"])  # no text
    assert SENTINEL not in text
    cycle = summary["instruments"][CYCLE]
    assert cycle["n"] == 12 and list(summary["instruments"]) == [CYCLE]
    assert summary["share_ids"] == sorted(json.loads(data)["share_id"] for _, data in good)
    # the counts, computed here from the files themselves
    shares = [json.loads(data) for _, data in good]
    for stage in STAGES:
        values = Counter(aggregate._key(s["value"]) for f in shares for s in f["scales"] if s["id"] == stage)
        assert cycle["scales"][stage]["histogram"] == dict(values)
        assert sum(cycle["scales"][stage]["bands"].values()) == 12
    assert cycle["growth_zone"] == dict(Counter(f["growth_zone"] for f in shares))
    assert cycle["items"]["action-evidence"] == {"plans": 12}
    for category in CATEGORIES:
        group = [f for f in shares if f["facts"].get("category") == category]
        if group:
            assert cycle["by_fact"]["category"][category]["n"] == len(group)
            assert cycle["by_fact"]["category"][category]["growth_zone"] == dict(
                Counter(f["growth_zone"] for f in group)
            )


def test_zips_with_folders_and_zips_inside_count_as_their_files(instruments):
    rng = random.Random(3)
    files = teacher_files(instruments, rng, 40)
    inner = zipped(files[20:], "class-b/")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files[:20]:
            archive.writestr(f"school/class-a/{name}", data)
        archive.writestr("school/more.zip", inner)
        archive.writestr("school/empty/", b"")
    zipped_summary = summary_of([("all.zip", buffer.getvalue())], instruments)
    flat = summary_of(files, instruments)
    assert zipped_summary["instruments"] == flat["instruments"] and zipped_summary["share_ids"] == flat["share_ids"]
    names = {r["name"] for r in zipped_summary["rejected"]}
    assert len(names) == len(flat["rejected"]) and all(n.startswith("all.zip/school/") for n in names)


def test_the_order_files_come_in_changes_nothing(instruments):
    rng = random.Random(4)
    files = teacher_files(instruments, rng, 60)
    first = aggregate.aggregate_files(*zip(*files, strict=True), json.dumps(instruments))
    for _ in range(5):
        rng.shuffle(files)
        assert aggregate.aggregate_files(*zip(*files, strict=True), json.dumps(instruments)) == first
    assert first.endswith("}\n") and first == aggregate.canonical(json.loads(first)) + "\n"


def test_merging_school_summaries_equals_aggregating_every_teacher_at_once(instruments):
    """200 random splits of one region's files into schools (some schools' files given raw)."""
    rng = random.Random(5)
    files = teacher_files(instruments, rng, 80)
    seen: set[bytes] = set()
    unique = [f for f in files if not (f[1] in seen or seen.add(f[1]))]  # a file sent twice stays in one school
    flat = aggregate.aggregate_json(sorted(unique), instruments)
    for _ in range(200):
        schools = [[] for _ in range(rng.randint(1, 6))]
        for file in unique:
            rng.choice(schools).append(file)
        parts = []
        for n, school in enumerate(schools):
            if rng.random() < 0.2:
                parts += school  # this school's files come raw
            else:
                parts.append((f"school-{n}.json", aggregate.aggregate_json(sorted(school), instruments).encode()))
        if rng.random() < 0.5:  # a district level in between
            half = len(parts) // 2
            parts = [
                ("district.json", aggregate.aggregate_json(sorted(parts[:half]), instruments).encode()),
                *parts[half:],
            ]
        rng.shuffle(parts)
        assert aggregate.aggregate_json(sorted(parts), instruments) == flat


def test_a_summary_that_counts_a_teacher_again_or_does_not_add_up_is_refused(instruments):
    rng = random.Random(6)
    files = [(f"t{n}.json", cycle_share(instruments, rng, {}, {"category": "expert"})) for n in range(8)]
    school = summary_of(files[:5], instruments)
    # files are taken in name order: a teacher's file after the summary that holds it is the duplicate ...
    again = summary_of([*files[4:], ("school.json", aggregate.canonical(school).encode())], instruments)
    assert [(r["name"], r["code"]) for r in again["rejected"]] == [("t4.json", "duplicate")]
    assert again["instruments"][CYCLE]["n"] == 8
    # ... and a summary after one of its teachers' files is refused whole (its counts cannot be split)
    again = summary_of([*files[4:], ("z-school.json", aggregate.canonical(school).encode())], instruments)
    assert [(r["name"], r["code"]) for r in again["rejected"]] == [("z-school.json", "duplicate")]
    assert again["instruments"][CYCLE]["n"] == 4
    part = school["instruments"][CYCLE]
    broken = {
        "bands": {
            **part,
            "scales": {**part["scales"], "action": {**part["scales"]["action"], "bands": {"pedagog": 5}}},
        },
        "negative": {**part, "growth_zone": {"action": -1}},
        "small-n": {**part, "n": 4},
        "unknown-item": {**part, "items": {**part["items"], "nope": {"1": 1}}},
        "group": {**part, "by_fact": {"category": {"expert": {**part, "n": 6}}}},
        "free": {**part, "items": {**part["items"], "action-level": {SENTINEL: 1}}},
    }
    for name, wrong in broken.items():
        text = aggregate.canonical({**school, "instruments": {CYCLE: wrong}}).encode()
        summary = summary_of([(f"{name}.json", text)], instruments)
        assert [r["code"] for r in summary["rejected"]] == ["mismatch"], name
        assert summary["instruments"] == {} and SENTINEL not in aggregate.canonical(summary)


# --- the report: figures and privacy ------------------------------------------------


def test_quartiles_and_median_from_a_histogram_are_the_inclusive_quantiles():
    rng = random.Random(7)
    for _ in range(300):
        values = [rng.choice([1, 2, 2.5, 3, 4.33, 5]) for _ in range(rng.randint(1, 40))]
        histogram = {aggregate._key(v): c for v, c in Counter(values).items()}
        expected = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
        got = [aggregate._quantile(histogram, p) for p in (0.25, 0.5, 0.75)]
        assert got == [round(e, 2) for e in expected]


def test_the_cycle_report_shows_bands_priorities_with_table_1_and_table_2_and_what_rose(instruments):
    rng = random.Random(8)
    rest = {"analysis": 5, "design": 5, "trial": 5}
    low = [(f"a{n}.json", cycle_share(instruments, rng, {**rest, "reflection": 1, "action": 2})) for n in range(6)]
    now = [(f"b{n}.json", cycle_share(instruments, rng, {**rest, "reflection": 2, "action": 4})) for n in range(6)]
    earlier = aggregate.aggregate_files(*zip(*low, strict=True), json.dumps(instruments))
    report = report_of(now, instruments, earlier)
    [cycle] = report["instruments"]
    assert cycle["n"] == 6 and not cycle["hidden"] and report["earlier"] == "used"
    reflection = next(s for s in cycle["scales"] if s["id"] == "reflection")
    assert reflection["median"] == reflection["q1"] == reflection["q3"] == 2.0
    assert [(b["id"], b["count"], b["percent"]) for b in reflection["bands"]][:2] == [
        ("pedagog", 0, 0),
        ("moderator", 6, 100),
    ]
    assert [(z["id"], z["count"]) for z in cycle["growth_zones"]][2] == ("reflection", 6)
    [priority] = cycle["priorities"]
    sections = {s["id"]: s for s in instruments[CYCLE]["sections"]}
    admin = {s["id"]: s for s in instruments["admin-cycle-audit"]["sections"]}
    assert priority["id"] == "reflection" and priority["forms"] == sections["reflection"]["lists"]["methods"]
    assert priority["admin_steps"] == [item["prompt"] for item in admin["reflection"]["items"]] and priority["forms"]
    changes = {c["scale"]: c for c in cycle["comparison"]}
    assert changes["action"]["before"] == 2.0 and changes["action"]["after"] == 4.0
    assert changes["action"]["direction"] == "up" and changes["reflection"]["delta"] == 1.0
    assert report_of(now, instruments, "not a summary")["earlier"] == "rejected"


def test_the_survey_report_is_a_frequency_table_of_every_question(instruments):
    rng = random.Random(9)
    files = [(f"s{n}.json", share_file(instruments, rng, "methodological-work-survey")) for n in range(7)]
    [survey] = report_of(files, instruments)["instruments"]
    items = [
        i for s in instruments["methodological-work-survey"]["sections"] for i in s["items"] if i["type"] != "text"
    ]
    assert [q["id"] for q in survey["questions"]] == [i["id"] for i in items]
    answers = [json.loads(data)["answers"] for _, data in files]
    for question, item in zip(survey["questions"], items, strict=True):
        for option in question["options"]:
            count = sum(
                (option["value"] in map(aggregate._key, a[item["id"]]))
                if item["type"] == "checks"
                else aggregate._key(a.get(item["id"], "")) == option["value"]
                for a in answers
                if item["id"] in a
            )
            assert option["count"] == count and option["percent"] == round(100 * count / 7)


def test_four_teachers_show_nothing(instruments):
    rng = random.Random(10)
    for instrument in (CYCLE, "methodological-work-survey", "sel-competences"):
        files = [(f"{instrument}-{n}.json", share_file(instruments, rng, instrument)) for n in range(4)]
        [shown] = report_of(files, instruments)["instruments"]
        assert shown["hidden"] and shown["n"] == 4
        assert set(shown) == {"id", "title", "version", "n", "min_group", "hidden"}
    five = [(f"c{n}.json", share_file(instruments, rng, CYCLE)) for n in range(5)]
    assert not report_of(five, instruments)["instruments"][0]["hidden"]


def test_a_breakdown_never_lets_subtraction_reveal_a_small_group():
    """Every split of 5 to 14 teachers into categories (and not given): brute force over what is shown."""
    checked = hidden = 0
    for total in range(5, 15):
        for sizes in itertools.product(range(0, total + 1), repeat=3):
            if sum(sizes) > total:
                continue
            groups = dict(zip(("pedagog", "moderator", "expert"), sizes, strict=True))
            shown = aggregate.breakdown(groups, total)
            checked += 1
            if shown is None:
                hidden += 1
                continue
            everyone = {**groups, aggregate.NOT_GIVEN: total - sum(sizes)}
            counts = [sum(everyone[v] for v in values) for _, values in shown]
            assert sum(counts) == total and all(c >= aggregate.MIN_GROUP for c in counts)
            # whatever subset of the shown figures is taken from the total, the rest is 0 or >= 5
            for r in range(len(counts) + 1):
                for subset in itertools.combinations(counts, r):
                    rest = total - sum(subset)
                    assert rest == 0 or rest >= aggregate.MIN_GROUP
            assert all(len(values) == 1 for key, values in shown if key != aggregate.OTHER)
    assert checked > 1000 and 0 < hidden < checked
    assert aggregate.breakdown({"moderator": 6, "expert": 4}, 10) is None  # "other" would be the 4
    assert aggregate.breakdown({"moderator": 6, "expert": 6}, 16) is None  # 4 gave no category
    assert aggregate.breakdown({"moderator": 6, "expert": 3, "master": 2}, 11) == [
        ("moderator", ["moderator"]),
        ("other", ["expert", "master"]),
    ]


def test_the_heat_map_shows_only_groups_of_five_or_more(instruments):
    rng = random.Random(11)
    weak_trial = {"action": 5, "analysis": 5, "reflection": 5, "design": 5, "trial": 1}
    weak_action = {**weak_trial, "action": 1, "trial": 5}

    def files(facts: list[str | None]) -> list[tuple[str, bytes]]:
        return [
            (
                f"h{n}.json",
                cycle_share(
                    instruments,
                    rng,
                    weak_trial if f in ("master", "researcher") else weak_action,
                    {"category": f} if f else {},
                ),
            )
            for n, f in enumerate(facts)
        ]

    shown = report_of(
        files(["moderator"] * 6 + ["expert"] * 5 + ["master"] * 3 + ["researcher"] * 2 + [None] * 5), instruments
    )
    heat = shown["instruments"][0]["heat_map"]
    assert heat["columns"] == ["moderator", "expert", aggregate.NOT_GIVEN, aggregate.OTHER]  # the page names them
    assert heat["rows"][0] == "Іс-әрекет" and heat["cells"][0] == [1.0, 1.0, 1.0, 0.0]
    assert heat["cells"][4] == [0.0, 0.0, 0.0, 1.0]  # the five masters and researchers, merged
    four_masters = files(["moderator"] * 6 + ["expert"] * 5 + ["master"] * 4)
    # the summary file keeps the small group exactly (region totals must add up); the report does not show it
    assert summary_of(four_masters, instruments)["instruments"][CYCLE]["by_fact"]["category"]["master"]["n"] == 4
    for facts in (
        ["moderator"] * 6 + ["expert"] * 5 + ["master"] * 4,  # "other" would be the four masters
        ["moderator"] * 6 + ["expert"] * 5 + [None] * 4,  # the four without a category, by subtraction
        ["moderator"] * 4,  # nobody to compare
    ):
        [cycle] = report_of(files(facts), instruments)["instruments"]
        assert cycle.get("heat_map") is None and (cycle["hidden"] or cycle["growth_zones"])


def test_no_free_text_and_no_name_reaches_the_summary_or_the_report(instruments):
    rng = random.Random(12)
    files = teacher_files(instruments, rng, 60)
    files += [(f"n{n}.json", share_file(instruments, rng, CYCLE, {"name": f"{SENTINEL}-{n}"})) for n in range(5)]
    names, blobs = zip(*files, strict=True)
    summary = aggregate.aggregate_files(names, blobs, json.dumps(instruments))
    report = aggregate.report_json(summary, json.dumps(instruments), summary)
    assert SENTINEL not in summary and SENTINEL not in report
    assert any(SENTINEL in data.decode() for data in blobs)  # the names are in the files, never further


def test_named_mode_only_when_every_file_carries_a_name(instruments):
    rng = random.Random(13)
    levels = [{"reflection": 1, "action": 5}] * 3 + [{"reflection": 5, "action": 4}] * 3
    files = [(f"n{n}.json", cycle_share(instruments, rng, lv, {"name": f"Мұғалім {n}"})) for n, lv in enumerate(levels)]
    names, blobs = zip(*files, strict=True)
    text = aggregate.pairs_files(list(names), list(blobs), json.dumps(instruments))
    named = json.loads(text)
    assert [(p["mentee"], p["mentor"]) for p in named["pairs"] if p["stage"] == "reflection"] == [
        ("Мұғалім 0", "Мұғалім 3"),
        ("Мұғалім 1", "Мұғалім 4"),
        ("Мұғалім 2", "Мұғалім 5"),
    ]
    [group] = [g for g in named["groups"] if g["stage"] == "reflection"]
    assert group["members"] == ["Мұғалім 0", "Мұғалім 1", "Мұғалім 2", "Мұғалім 3"]
    report = json.loads(
        aggregate.report_json(
            aggregate.aggregate_files(names, blobs, json.dumps(instruments)), json.dumps(instruments), "", text
        )
    )
    assert report["named"] == named
    unnamed = cycle_share(instruments, rng, {})
    assert aggregate.pairs_files([*names, "x.json"], [*blobs, unnamed], json.dumps(instruments)) == "null"
    summary = aggregate.aggregate_files(names[:2], blobs[:2], json.dumps(instruments)).encode()
    assert aggregate.pairs_files([*names[2:], "s.json"], [*blobs[2:], summary], json.dumps(instruments)) == "null"
    assert aggregate.pairs_files(["bad.json"], [b"{"], json.dumps(instruments)) == "null"


# --- the CLI ----------------------------------------------------------------------


def test_cli_json_is_byte_identical_to_the_page_summary(instruments, tmp_path, capsys):
    rng = random.Random(14)
    files = teacher_files(instruments, rng, 70)
    folder = tmp_path / "inbox"
    # names whose order differs between "sort the folder's entries" and "sort the full paths"
    subfolders = ["class-a", "class-a.b", "class", "class-ab", "Класс"]
    for sub in subfolders:
        (folder / sub).mkdir(parents=True)
    (folder / "class.json").write_bytes(files[0][1])
    twice = share_file(instruments, rng, CYCLE)  # in two folders: the first by full path counts
    (folder / "class" / "dup-x.json").write_bytes(twice)
    (folder / "class-a" / "dup-y.json").write_bytes(twice)
    for n, (name, data) in enumerate(files[1:30]):
        (folder / subfolders[n % 5] / name).write_bytes(data)
    (tmp_path / "more.zip").write_bytes(zipped(files[30:60], "week-2/"))
    for name, data in files[60:]:
        (tmp_path / name).write_bytes(data)
    args = ["aggregate", str(folder), str(tmp_path / "more.zip"), *(str(tmp_path / n) for n, _ in files[60:])]
    # the page gets the same files: a folder's with their folder path, the zip and the loose files by name
    page = [("inbox/class.json", files[0][1]), ("inbox/class/dup-x.json", twice), ("inbox/class-a/dup-y.json", twice)]
    page += [(f"inbox/{subfolders[n % 5]}/{name}", data) for n, (name, data) in enumerate(files[1:30])]
    page += [("more.zip", zipped(files[30:60], "week-2/")), *files[60:]]
    rng.shuffle(page)
    expected = aggregate.aggregate_files(*zip(*page, strict=True), json.dumps(instruments))
    assert {"name": "inbox/class/dup-x.json", "code": "duplicate"} in (json.loads(expected)["rejected"])
    for jobs in ("1", "2", "3"):  # in this process, or in worker processes
        out = tmp_path / f"summary-{jobs}.json"
        assert cli.main([*args, "--json", str(out), "--jobs", jobs]) == 0
        assert out.read_bytes() == expected.encode("utf-8")
    printed = capsys.readouterr().out
    summary = json.loads(expected)
    assert f"teachers counted: {len(summary['share_ids'])}" in printed and "files read: 72" in printed


@pytest.mark.parametrize(
    "args",
    [["aggregate"], ["aggregate", "/no/such/folder"], ["aggregate", ".", "--json", "/no/such/dir/out.json"]],
)
def test_cli_bad_arguments_give_a_clear_error_and_no_traceback(args):
    done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and ("no such" in done.stderr or "required" in done.stderr)
