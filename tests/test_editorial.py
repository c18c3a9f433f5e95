"""Editorial rules that keep the pages faithful to the sources (issue 13).

The reference data lives in coverage_map/: the source tables cell by cell (source_tables.yml), the source's words the
pages quote (source_quotes.yml) and the terminology list (terminology.yml). Where the sources folder is present
(../shared/sources/), the reference data itself is checked against the source text; elsewhere those checks skip.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

MAPS = ROOT / "coverage_map"
DOCS = ROOT / "docs"
SOURCES = ROOT.parent / "shared/sources"
SOURCE_FILES = {"000": "000_6c01c20c7ce36308.txt", "001": "001_208dbfc40f078492.txt"}
NO_SOURCES = pytest.mark.skipif(not SOURCES.is_dir(), reason="the sources live outside the repository (shared/)")

CAPTION = re.compile(r"^\*\*(.+?)\*\*\s*$")
SOURCE_CAPTION = re.compile(r"\d+-кесте|Қосымша кесте|рефлексия картасы")  # a caption naming a source table
ROW_RULE = re.compile(r"^\|[\s:|-]+\|$")


def load(name: str) -> list[dict]:
    return yaml.safe_load((MAPS / name).read_text(encoding="utf-8"))


TABLES = load("source_tables.yml")


# --- Markdown tables -------------------------------------------------------------------------------------------


def plain(text: str) -> str:
    """Cell text without Markdown: links keep their text, emphasis and HTML tags go, spaces collapse."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<(?!br>)[^>]+>", "", text).replace("**", "").replace("\\|", "|")
    return " ".join(text.split())


def cell_value(cell: str) -> str | list[str]:
    """A Markdown cell as the reference writes it: a bulleted or line-broken cell is a list of its items."""
    parts = [plain(part) for part in cell.split("<br>")]
    bulleted = any(part.startswith("• ") for part in parts)
    items = [part.removeprefix("• ") for part in parts]
    return items if bulleted or len(items) > 1 else items[0]


def captioned_tables(path: Path) -> list[tuple[str, int, list[list]]]:
    """(caption, line, rows) of every table placed under a bold caption line on a page."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for number, line in enumerate(lines):
        caption = CAPTION.match(line.strip())
        if not caption:
            continue
        below = number + 1
        while below < len(lines) and (not lines[below].strip() or lines[below].strip().startswith("{:")):
            below += 1
        rows = []
        while below < len(lines) and lines[below].lstrip().startswith("|"):
            row = lines[below].strip()
            if not ROW_RULE.match(row):
                rows.append([cell_value(cell.strip()) for cell in re.split(r"(?<!\\)\|", row[1:-1])])
            below += 1
        if rows:
            found.append((plain(caption.group(1)), number + 1, rows))
    return found


def page_text(path: Path) -> str:
    """A page as plain text on one line: no heading marks, attribute lists or Markdown."""
    lines = (re.sub(r"\{[#:][^}]*\}", "", line).lstrip("#") for line in path.read_text(encoding="utf-8").splitlines())
    return plain(" ".join(lines))


def page_table(entry: dict) -> tuple[int, list[list]]:
    path = DOCS / entry["page"]
    for caption, line, rows in captioned_tables(path):
        if caption == entry["caption"]:
            return line, rows
    pytest.fail(f"docs/{entry['page']}: no table under the caption «{entry['caption']}»")


# --- source text -----------------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def cell_text(cell: str | list[str]) -> str:
    return " ".join(cell) if isinstance(cell, list) else cell


def source_words(entry: dict) -> list[str]:
    """The source's words from the table's lines, with the listed corrections applied."""
    lines = SOURCES.joinpath(SOURCE_FILES[entry["source"]]).read_text(encoding="utf-8").splitlines()
    text = " ".join(" ".join(lines[first - 1 : last]) for first, last in line_ranges(entry))
    joined = " " + " ".join(words(text)) + " "
    for fix in entry.get("fixes", []):
        wrong, right = " " + " ".join(words(fix["source"])) + " ", " " + " ".join(words(fix["site"])) + " "
        assert wrong in joined, f"{entry['table']}: the correction «{fix['source']}» is not in the source lines"
        joined = joined.replace(wrong, right.replace("  ", " "), 1)
    return joined.split()


def line_ranges(entry: dict) -> list[list[int]]:
    """The source lines of a table: one [first, last] range, or several where a page break moved a part away."""
    lines = entry["lines"]
    return lines if isinstance(lines[0], list) else [lines]


def defect_rows() -> list[str]:
    text = (DOCS / "reference/sources.md").read_text(encoding="utf-8")
    section = text[text.index("{#defects}") :]
    return [line for line in section.splitlines() if line.startswith("| [")]


def source_region(entry: dict) -> str:
    """Tables that share source lines (one source table split into parts on the page) are checked together."""
    return f"{entry['source']}:" + ",".join(f"{first}-{last}" for first, last in line_ranges(entry))


# --- tests: source tables --------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", TABLES, ids=[entry["table"] for entry in TABLES])
def test_a_source_table_on_its_page_is_the_reference_cell_by_cell(entry):
    line, rows = page_table(entry)
    where = f"docs/{entry['page']}:{line}"
    assert len(rows) == len(entry["rows"]), f"{where}: {len(rows)} rows, the source has {len(entry['rows'])}"
    for number, (page_row, source_row) in enumerate(zip(rows, entry["rows"], strict=True)):
        assert len(page_row) == len(source_row), f"{where}: row {number} has {len(page_row)} cells"
        for column, (page_cell, source_cell) in enumerate(zip(page_row, source_row, strict=True)):
            assert page_cell == source_cell, f"{where}: row {number}, column {column + 1}"
    text = page_text(DOCS / entry["page"])
    for lead in entry.get("lead", []):
        assert lead in text, f"docs/{entry['page']}: the source's words around the table «{lead}» are not on the page"


def test_every_table_captioned_as_a_source_table_has_a_reference():
    referenced = {(entry["page"], entry["caption"]) for entry in TABLES}
    unreferenced = [
        f"docs/{path.relative_to(DOCS)}:{line}: {caption}"
        for path in sorted(DOCS.rglob("*.md"))
        for caption, line, _ in captioned_tables(path)
        if SOURCE_CAPTION.search(caption) and (str(path.relative_to(DOCS)), caption) not in referenced
    ]
    assert unreferenced == []


@pytest.mark.parametrize("entry", TABLES, ids=[entry["table"] for entry in TABLES])
def test_every_correction_in_a_source_table_is_listed_in_the_defects_table(entry):
    rows = defect_rows()
    for fix in entry.get("fixes", []):
        assert any(fix["defect"] in row for row in rows), f"{entry['table']}: no defects row says «{fix['defect']}»"


@NO_SOURCES
@pytest.mark.parametrize("group", sorted({source_region(entry) for entry in TABLES}))
def test_the_reference_tables_have_the_words_of_the_source(group):
    entries = [entry for entry in TABLES if source_region(entry) == group]
    reference = Counter()
    for entry in entries:
        if not entry.get("site_caption"):
            reference.update(words(entry["caption"].removeprefix(entry.get("site_caption_prefix", ""))))
        reference.update(word for lead in entry.get("lead", []) for word in words(lead))
        rows = entry["rows"][1:] if entry.get("site_header") else entry["rows"]
        first = 1 if entry.get("site_labels") else 0  # the site's row labels (the source's column names, in the lead)
        reference.update(word for row in rows for cell in row[first:] for word in words(cell_text(cell)))
    merged = {**entries[0], "fixes": [fix for entry in entries for fix in entry.get("fixes", [])]}
    source = Counter(source_words(merged))
    assert (source - reference, reference - source) == (Counter(), Counter())
