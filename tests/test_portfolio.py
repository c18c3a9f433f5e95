"""Issue 22 in Chromium: the attestation page. For each category sought, an empty device shows every item of
the checklist missing, each with a link to a page of the site that makes it; a device holding what the checklist
asks (results, filled copies, log rows by level) shows every item present, with what and when. The choices are
kept on the device and travel in the backup file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_backup import plant
from test_faults_import import saved

CATEGORIES = ("pedagog", "moderator", "sarapshy", "zertteushi", "sheber")


@pytest.fixture(scope="module")
def checklist(site_dir: Path) -> dict:
    return json.loads(next(site_dir.glob("assets/kasibi-*/attestation/checklist.json")).read_text(encoding="utf-8"))


def need(item: dict, category: str) -> int:
    return item["categories"].get(category, 0)


def what_it_asks(checklist: dict, category: str, instruments: dict) -> dict:
    """Storage holding exactly what the checklist of `category` asks for; log rows typed as a teacher would
    (the first word of the level and of the kind, as the log's hints suggest)."""
    words = {entry["id"]: entry["words"][0] for entry in checklist["levels"] + checklist["kinds"]}
    records, documents = [], {}
    for item in checklist["items"]:
        n = need(item, category)
        if not n:
            continue
        if item["kind"] == "instrument":
            records += [saved(instruments[item["ref"]], k, f"{item['id'][:20]}-{k}", 30 + k) for k in range(n)]
        elif item["kind"] == "template":
            copies = documents.setdefault(item["ref"], {})
            for k in range(n):
                copies[f"{item['label'][:40]} {k + 1}"] = {"values": {"filled": "Толтырылды"}, "updated": None}
        else:
            log = documents.setdefault(item["ref"], {}).setdefault("Журнал", {"values": {"log": []}, "updated": None})
            kind = words[item["kinds"][0]] if item["kinds"] else "курс"
            level = words[item["level"]] if item["level"] else "мектеп"
            log["values"]["log"] += [{"kind": kind, "level": level, "title": f"{item['id']} {k}"} for k in range(n)]
    records.sort(key=lambda r: r["completed_at"])
    planted = {"kasibi:v1:history": {"format": 1, "records": records}}
    for template_id, copies in documents.items():
        planted[f"kasibi:v1:doc:{template_id}"] = {
            "format": 1,
            "template_version": 1,
            "current": next(iter(copies)),
            "copies": copies,
        }
    return planted


# Each item's status and the address of its link (null when it has none).
STATUSES = """rows => Object.fromEntries(rows.map(
  (r) => [r.dataset.portfolioItem, [r.dataset.status, r.querySelector('a')?.href ?? null]]))"""


def items(page) -> dict[str, tuple[str, str | None]]:
    page.wait_for_selector("[data-portfolio][data-ready]")
    return page.eval_on_selector_all("[data-portfolio-item]", STATUSES)


@pytest.mark.parametrize("category", CATEGORIES)
def test_from_an_empty_device_to_every_item_present(browser, serve, checklist, instruments, category):
    context = browser.new_context()
    context.route("**/assets/pyodide-*/**", lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(serve().url("assessments/attestation-prep.html"))
    page.select_option("[data-portfolio] select[name=category]", category)
    empty = items(page)
    expected = {item["id"] for item in checklist["items"] if need(item, category)}
    assert set(empty) == expected and expected
    assert {status for status, _ in empty.values()} == {"missing"}
    for item_id, (_, link) in empty.items():
        assert link, item_id
        response = page.request.get(link)
        assert response.ok, (item_id, link)
        assert "data-instrument-root" in response.text() or "data-template-root" in response.text(), (item_id, link)
    plant(page, what_it_asks(checklist, category, instruments), ready="[data-portfolio][data-ready]")
    assert page.input_value("[data-portfolio] select[name=category]") == category  # the choice was kept
    full = items(page)
    assert {item_id: status for item_id, (status, _) in full.items() if status != "present"} == {}
    assert "Дайын:" in page.inner_text("[data-portfolio-summary]")
    assert errors == []
    context.close()


def test_the_choices_are_kept_and_travel_in_the_backup(browser, serve, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(serve().url("assessments/attestation-prep.html"))
    page.wait_for_selector("[data-portfolio][data-ready]")
    page.select_option("select[name=held]", "moderator")
    page.select_option("select[name=category]", "sarapshy")
    page.fill("input[name=from]", "2021")
    page.fill("input[name=to]", "2025")
    page.fill("input[name=teacher]", "Айгүл Серікқызы")
    page.reload()
    page.wait_for_selector("[data-portfolio][data-ready]")
    assert page.input_value("input[name=teacher]") == "Айгүл Серікқызы"
    assert page.input_value("select[name=category]") == "sarapshy"
    page.goto(serve().url("assessments/my-results.html"))
    with page.expect_download() as download:
        page.click("[data-results-root] .kasibi-backup [data-backup-download]")
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["attestation"] == {
        "format": 1,
        "held": "moderator",
        "sought": "sarapshy",
        "from": 2021,
        "to": 2025,
        "teacher": "Айгүл Серікқызы",
    }
    context.close()
