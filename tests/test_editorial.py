"""Editorial rules that keep the pages faithful to the sources (issue 13).

The reference data lives in coverage_map/: the source tables cell by cell (source_tables.yml), the source's words the
pages quote (source_quotes.yml) and the terminology list (terminology.yml). Where the sources folder is present
(../shared/sources/), the reference data itself is checked against the source text; elsewhere those checks skip.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from support import kazakh_lines, kazakh_pages

from generator.formats.checker import localized

MAPS = ROOT / "coverage_map"
DOCS = ROOT / "docs"
SOURCES = ROOT.parent / "shared/sources"
SOURCE_FILES = {
    "000": "000_6c01c20c7ce36308.txt",
    "001": "001_208dbfc40f078492.txt",
    "002": "002_4f72595968c3656a.txt",
    "003": "003_112faa7cf4060870.txt",
    "004": "004_d4b9e53f593b913b.txt",
}
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
    lines = kazakh_lines(path)
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
    lines = (re.sub(r"\{[#:][^}]*\}", "", line).lstrip("#") for line in kazakh_lines(path))
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
    text = "\n".join(kazakh_lines(DOCS / "reference/sources.md"))
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
        for path in kazakh_pages(DOCS)
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


# --- quotations ------------------------------------------------------------------------------------------------

QUOTES = load("source_quotes.yml")
SITE_QUOTES = set(load("site_quotes.yml"))
QUOTE_MIN_WORDS = 3  # shorter «…» are names and single terms


def quotations(text: str) -> list[str]:
    """The outermost «…» spans of a line (nested «…» stay inside)."""
    return [quote for _, quote in quotations_at(text)]


def site_titles() -> set[str]:
    """Headings of every page and titles of every form: the site may quote its own names."""
    titles = set()
    for path in kazakh_pages(DOCS):
        for line in kazakh_lines(path):
            if line.startswith("#"):
                titles.add(plain(re.sub(r"\{[#:][^}]*\}", "", line).lstrip("#")).strip())

    def walk(node):
        if isinstance(node, dict):
            titles.update([node["title"]] if isinstance(node.get("title"), str) else [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in [*ROOT.glob("assessments/*.yml"), *ROOT.glob("templates/*.yml")]:
        walk(localized(yaml.safe_load(path.read_text(encoding="utf-8")), "kk"))
    return titles


def quoted_text() -> list[tuple[str, str]]:
    """(file:line, quotation) of every «…» of three words or more in the pages, instruments and templates.

    A quotation may run over a line break. Not scanned: YAML comments (notes for developers) and the defects table,
    which quotes the sources' slips."""
    found = []
    for path in sorted([*kazakh_pages(DOCS), *ROOT.glob("assessments/*.yml"), *ROOT.glob("templates/*.yml")]):
        defects = path.name == "sources.md"
        lines = kazakh_lines(path)
        kept = [
            (number, line)
            for number, line in enumerate(lines, 1)
            if not ((path.suffix == ".yml" and line.lstrip().startswith("#")) or (defects and line.startswith("| [")))
        ]
        text = " ".join(line.strip() for _, line in kept)
        starts = list(itertools.accumulate((len(line.strip()) + 1 for _, line in kept), initial=0))
        for offset, quote in quotations_at(text):
            if len(words(quote)) >= 3:
                found.append((f"{path.relative_to(ROOT)}:{kept[bisect.bisect_right(starts, offset) - 1][0]}", quote))
    return found


def quotations_at(text: str) -> list[tuple[int, str]]:
    """(offset, quotation) of the outermost «…» spans of a text."""
    found, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "«":
            start = index + 1 if depth == 0 else start
            depth += 1
        elif char == "»" and depth:
            depth -= 1
            if depth == 0:
                found.append((start, text[start:index]))
    return found


def quote_text(entry: str | dict) -> str:
    """A listed quotation as the page prints it: a string, or {quote, as_in_source} where a slip was corrected."""
    return entry["quote"] if isinstance(entry, dict) else entry


def test_every_quotation_is_the_sources_words_or_the_sites_own_name():
    source_quotes = {quote_text(entry) for entries in QUOTES.values() for entry in entries}
    allowed = source_quotes | SITE_QUOTES | site_titles()
    unknown = [f"{where}: «{quote}»" for where, quote in quoted_text() if quote not in allowed]
    assert unknown == [], "quote the source exactly (coverage_map/source_quotes.yml) or list the site's own phrase"


@NO_SOURCES
@pytest.mark.parametrize("code", sorted(QUOTES))
def test_the_source_quotations_are_in_the_source(code):
    text = " " + " ".join(words(SOURCES.joinpath(SOURCE_FILES[code]).read_text(encoding="utf-8"))) + " "
    absent = []
    for entry in QUOTES[code]:
        quote = entry.get("as_in_source", entry["quote"]) if isinstance(entry, dict) else entry
        if not in_text(quote, text):
            absent.append(quote)
    assert absent == []


def in_text(quote: str, text: str) -> bool:
    """The quotation's words stand in the text in order; «…» inside the quotation marks an omission."""
    position = 0
    for part in (part for part in quote.split("…") if words(part)):
        position = text.find(" " + " ".join(words(part)) + " ", position)
        if position < 0:
            return False
    return True


# --- one title per source table --------------------------------------------------------------------------------


def table_titles() -> dict[tuple[str, str], str]:
    """(source, number) → the table's title, from the reference captions."""
    titles = {}
    for entry in TABLES:
        caption = re.match(
            r"^(\d+)-кесте(?: \(\d-саты\))?\. (.+)$",
            entry["caption"].removeprefix(entry.get("site_caption_prefix", "")),
        )
        if caption and not entry.get("site_caption"):
            titles[(entry["source"], caption.group(1))] = caption.group(2)
    return titles


def same_quotes(text: str) -> str:
    return text.replace("„", "«").replace("“", "»")


def title_mentions(text: str):
    """(source, number, title as written, how) of every «N-кесте «…»» and «N-кесте. …» heading or caption in a file."""
    flat = " ".join(text.split())
    for match in re.finditer(r"(\d+)-кесте(\.?) «", flat):
        before = flat[: match.start()]
        source = "000" if before.rfind("[000]") > before.rfind("[001]") else "001"
        if match.group(2):  # «N-кесте. «…» …» begins a heading or caption: the title is what follows
            yield source, match.group(1), flat[match.end() - 1 :], "starts"
            continue
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(flat)):
            depth += {"«": 1, "»": -1}.get(flat[end], 0)
            if depth == 0:
                break
        yield source, match.group(1), flat[match.end() : end], "equals"
    for line in text.splitlines():
        heading = re.match(r"^(#+ |\*\*)(?:\[000\], )?(\d+)-кесте\. (?!«)(.+?)(\*\*| \{#.*\})?$", line)
        if heading:
            yield ("000" if "[000]" in line else "001"), heading.group(2), heading.group(3), "equals"


def test_a_source_table_has_one_title_everywhere():
    titles = table_titles()
    wrong = []
    for path in sorted([*kazakh_pages(DOCS), *ROOT.glob("assessments/*.yml"), *ROOT.glob("templates/*.yml")]):
        if path.name == "sources.md":
            continue
        for source, number, written, how in title_mentions("\n".join(kazakh_lines(path))):
            title = titles.get((source, number))
            written = same_quotes(written)
            if title and not (written.startswith(title) if how == "starts" else written == title):
                wrong.append(f"{path.relative_to(ROOT)}: {number}-кесте «{written[:80]}» (the source: «{title}»)")
    assert len(titles) >= 20
    assert wrong == []


# --- terminology -----------------------------------------------------------------------------------------------

TERMS = load("terminology.yml")
SCANNED = ("docs/**/*.md", "assessments/*.yml", "templates/*.yml", "site_src/i18n/kk.yml")


def scanned() -> list[Path]:
    """The Kazakh edition's pages and data (Russian texts blanked by kazakh_lines)."""
    return [path for pattern in SCANNED for path in sorted(ROOT.glob(pattern)) if not path.is_relative_to(DOCS / "ru")]


def verbatim_lines() -> set[tuple[str, int]]:
    """(file, line) of the rows of every source table: the source's words, checked by the table tests."""
    rows = set()
    for entry in TABLES:
        line, table = page_table(entry)
        rows.update((f"docs/{entry['page']}", number) for number in range(line + 1, line + len(table) + 4))
    return rows


def terminology_exempt(where: str, line: str) -> bool:
    if where.endswith(".yml") and line.lstrip().startswith("#"):
        return True
    if where == "docs/reference/sources.md" and line.startswith("| ["):
        return True  # the defects table names the sources' variants
    return where == "docs/reference/glossary.md" and "Дереккөздердегі нұсқалар" in line


def test_no_refused_variant_of_a_term():
    exempt_rows = verbatim_lines()
    source_quotes = {quote_text(entry) for entries in QUOTES.values() for entry in entries}
    found = []
    for path in scanned():
        where = str(path.relative_to(ROOT))
        for number, line in enumerate(kazakh_lines(path), 1):
            if (where, number) in exempt_rows or terminology_exempt(where, line):
                continue
            for quote in quotations(line):
                if quote in source_quotes:
                    line = line.replace(f"«{quote}»", "")
            for term in TERMS:
                found += [
                    f"{where}:{number}: «{match.group(0)}» → {term['use']}"
                    for refused in term["refuse"]
                    for match in re.finditer(refused, line, re.IGNORECASE)
                ]
    assert found == []


def test_the_terminology_list_says_why():
    assert len(TERMS) >= 10
    for term in TERMS:
        assert term["use"] and term["refuse"] and term["why"], term
        for refused in term["refuse"]:
            re.compile(refused)


def test_every_listed_site_quotation_is_still_on_a_page():
    quoted = {quote for _, quote in quoted_text()}
    assert sorted(SITE_QUOTES - quoted) == []


# --- numbers with case endings ---------------------------------------------------------------------------------

# The words numbers end with when read aloud, in the five cases (dative, ablative, locative, genitive, accusative),
# as the orthographic dictionary writes them.
SPOKEN = {
    0: ("нөл", "нөлге нөлден нөлде нөлдің нөлді"),
    1: ("бір", "бірге бірден бірде бірдің бірді"),
    2: ("екі", "екіге екіден екіде екінің екіні"),
    3: ("үш", "үшке үштен үште үштің үшті"),
    4: ("төрт", "төртке төрттен төртте төрттің төртті"),
    5: ("бес", "беске бестен бесте бестің бесті"),
    6: ("алты", "алтыға алтыдан алтыда алтының алтыны"),
    7: ("жеті", "жетіге жетіден жетіде жетінің жетіні"),
    8: ("сегіз", "сегізге сегізден сегізде сегіздің сегізді"),
    9: ("тоғыз", "тоғызға тоғыздан тоғызда тоғыздың тоғызды"),
    10: ("он", "онға оннан онда онның онды"),
    20: ("жиырма", "жиырмаға жиырмадан жиырмада жиырманың жиырманы"),
    30: ("отыз", "отызға отыздан отызда отыздың отызды"),
    40: ("қырық", "қырыққа қырықтан қырықта қырықтың қырықты"),
    50: ("елу", "елуге елуден елуде елудің елуді"),
    60: ("алпыс", "алпысқа алпыстан алпыста алпыстың алпысты"),
    70: ("жетпіс", "жетпіске жетпістен жетпісте жетпістің жетпісті"),
    80: ("сексен", "сексенге сексеннен сексенде сексеннің сексенді"),
    90: ("тоқсан", "тоқсанға тоқсаннан тоқсанда тоқсанның тоқсанды"),
    100: ("жүз", "жүзге жүзден жүзде жүздің жүзді"),
    1000: ("мың", "мыңға мыңнан мыңда мыңның мыңды"),
}


def expected_ending(number: int, case: str) -> str:
    """The ending the dictionary form of the number's last spoken word takes (numbers up to 1000)."""
    from generator.formats.numerals import CASES

    last = 1000 if number == 1000 else number % 10 or number % 100 or (100 if number else 0)
    word, forms = SPOKEN[last]
    return forms.split()[CASES.index(case)].removeprefix(word)


def test_the_number_ending_follows_the_number_as_read_from_0_to_1000():
    from generator.formats.numerals import CASES, with_case

    wrong = [
        with_case(number, case)
        for number in range(1001)
        for case in CASES
        if with_case(number, case) != f"{number}-{expected_ending(number, case)}"
    ]
    assert wrong == []
    assert [with_case(n, "dat") for n in (5, 10, 7)] == ["5-ке", "10-ға", "7-ге"]


def test_fill_writes_numbers_with_their_endings():
    from generator.formats.i18n import fill

    assert fill("Баға: {min:abl} {max:dat} дейін", min=0, max=10) == "Баға: 0-ден 10-ға дейін"
    assert fill("{min:abl} {max:dat}", min=1, max=5) == "1-ден 5-ке"
    assert fill("{n} нәтиже, {x}", n=3) == "3 нәтиже, {x}"


def test_no_interface_string_puts_a_suffix_after_a_number_by_hand():
    from generator.formats.numerals import ENDINGS

    endings = "|".join(sorted({ending for sounds in ENDINGS.values() for pair in sounds.values() for ending in pair}))
    catalogue = (ROOT / "site_src/i18n/kk.yml").read_text(encoding="utf-8")
    assert re.findall(rf"\{{\w+\}}-(?:{endings})\b", catalogue) == []


def test_every_number_ending_written_on_the_site_follows_the_number():
    from generator.formats.numerals import ENDINGS, case_ending

    cases = {ending: case for case, sounds in ENDINGS.items() for pair in sounds.values() for ending in pair}
    alternatives = "|".join(sorted(cases, key=len, reverse=True))
    written = re.compile(rf"(?<![\d,.])(\d+)(?:,(\d+))?( ?%)?-({alternatives})(?![^\W\d_])")
    wrong, seen = [], 0
    for path in scanned():
        for number, line in enumerate(kazakh_lines(path), 1):
            for match in written.finditer(line):
                seen += 1
                value = int(match.group(2) or match.group(1))
                ending = case_ending(value, cases[match.group(4)], percent=bool(match.group(3)))
                if ending != match.group(4):
                    wrong.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)} (-{ending})")
    assert seen > 30
    assert wrong == []


# --- one wording per statement: the forms that reproduce a source table say it as the table does ---------------


def reference(table: str) -> dict:
    return next(entry for entry in TABLES if entry["table"] == table)


def instrument(name: str) -> dict:
    return localized(yaml.safe_load((ROOT / "assessments" / f"{name}.yml").read_text(encoding="utf-8")), "kk")


def test_the_cycle_self_assessment_lists_table_1_methods_in_its_words():
    sections = instrument("cycle-self-assessment")["sections"]
    methods = [section["lists"]["methods"] for section in sections]
    assert methods == [row[2] for row in reference("001/1")["rows"][1:]]


ROUTE_SHEETS = [(9, "pedagog"), (10, "moderator"), (11, "sarapshy"), (12, "zertteushi"), (13, "sheber")]


@pytest.mark.parametrize("number,name", ROUTE_SHEETS)
def test_a_route_sheet_template_has_its_tables_rows(number, name):
    template = localized(
        yaml.safe_load((ROOT / "templates" / f"route-sheet-{name}.yml").read_text(encoding="utf-8")), "kk"
    )
    rows = next(block for block in template["blocks"] if block["type"] == "table")["rows"]
    written = [[re.sub(r"^\d+\. ", "", row["direction"]), row["content"], row["actions"]] for row in rows]
    assert written == [row[:3] for row in reference(f"001/{number}")["rows"][1:]]


def test_the_balance_wheel_asks_table_14s_questions():
    wheel = next(section for section in instrument("lesson-balance-wheel")["sections"] if section["id"] == "wheel")
    asked = [[item["prompt"], item["hint"]] for item in wheel["items"]]
    assert asked == [[re.sub(r"^\d+\. ", "", sector), question] for sector, question in reference("001/14")["rows"][1:]]


CARDS = [("year-end-reflection", "001/15"), ("novice-weekly-reflection", "001/novice-card")]
CARD_BLOCKS = {"Дайындық", "Тереңдеу", "Әрекет", "Қорытынды"}


@pytest.mark.parametrize("name,table", CARDS)
def test_a_reflection_card_asks_its_tables_questions(name, table):
    card = instrument(name)
    blocks = [section for section in card["sections"] if section["title"] in CARD_BLOCKS]
    prompts = [item["prompt"] for section in blocks for item in section["items"]]
    questions = [re.sub(r"^\d+\. ", "", q) for _, items in reference(table)["rows"][1:] for q in items]
    asked, rest = [], iter(prompts)
    for question in questions:  # a question may be split over consecutive items (a 0–10 rating, then its «+1»)
        said = next(rest, "")
        while said != question and question.startswith(said + " "):
            said = f"{said} {next(rest, '')}"
        asked.append(said)
    assert asked == questions


# --- nothing invented about the source; navigation says what the page is ---------------------------------------


def test_the_conclusion_names_the_six_principles_of_section_1():
    conclusion = (DOCS / "implementation/conclusion.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\d\. (.+?)[;.]$", conclusion[conclusion.index("{#principles}") :], re.M)
    principles = (DOCS / "concept/principles.md").read_text(encoding="utf-8")
    assert len(listed) == 6 == len(re.findall(r"^## \d\. ", principles, re.M))
    assert not re.search(r"жеті (негізгі )?(қағидат|принцип)|екі тізім", conclusion)


def test_the_recommendations_are_not_given_a_title_or_date_the_text_lacks():
    claims = re.compile(r"Ресми әдістемелік ұсынымдар|[Ұұ]сынымдар \(2025\)|2025 жылғы әдістемелік ұсынымдар")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for pattern in (*SCANNED, "mkdocs.yml")
        for path in sorted(ROOT.glob(pattern))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if claims.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == []


def nav_pages(items) -> list[tuple[str, str]]:
    pages = []
    for item in items:
        for label, target in item.items() if isinstance(item, dict) else ():
            pages += [(label, target)] if isinstance(target, str) else nav_pages(target)
    return pages


def test_every_navigation_label_is_its_pages_title():
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    loader.add_constructor("!ENV", lambda *_: None)  # MkDocs' environment variables
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (safe loader)
    wrong = []
    for label, page in nav_pages(config["nav"]):
        heading = next(line for line in (DOCS / page).read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        title = re.sub(r"\s*\{#[^}]*\}", "", heading[2:]).strip()
        if page != "index.md" and label != title:
            wrong.append(f"{page}: «{label}» ≠ «{title}»")
    assert wrong == []


# Grammar the site once introduced where the source was right: «өз тәжірибесімен басқа мұғалімдермен бөлісу»
# (the source: «өз тәжірибесін … бөлісу») — two instrumentals on one verb.
DOUBLE_INSTRUMENTAL = re.compile(r"\b\w+(?:імен|ымен) (?:\w+ )?\w+(?:мен|бен|пен) (?:бөліс|алмас)\w*")


def test_no_verb_takes_two_instrumentals():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for pattern in SCANNED
        for path in sorted(ROOT.glob(pattern))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in DOUBLE_INSTRUMENTAL.finditer(line)
    ]
    assert found == []
