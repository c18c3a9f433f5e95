"""The Russian edition beside the Kazakh one: the same catalogue keys, every text in both languages, every page
in both with the same headings and links, the terms used consistently, and the built edition Russian throughout
while sharing every file of the Kazakh one but its pages."""

from __future__ import annotations

import json
import random
import re
import shutil
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from answer_sets import random_answers
from conftest import ROOT
from support import kazakh_pages

from generator.browser import engine
from generator.formats.checker import ValidationError, localized
from generator.formats.checklist import load_checklist
from generator.formats.instrument import load_folder
from generator.formats.template import load_templates

DOCS = ROOT / "docs"
KAZAKH_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
TERMS = yaml.safe_load((ROOT / "coverage_map/terminology_kk_ru.yml").read_text(encoding="utf-8"))
HEADING = re.compile(r"^(#{1,6})\s.*?(?:\{[^}]*#([\w-]+)[^}]*\})?\s*$")
LINK = re.compile(r"\]\(([^)\s]+)")
VARIANTS = re.compile(r"^.*Варианты в источниках.*$", re.M)
QUOTED = re.compile(r'<span lang="kk">.*?</span>|«[^«»]*(?:«[^«»]*»[^«»]*)*»', re.S)


def catalogue(lang: str) -> dict:
    return yaml.safe_load((ROOT / "site_src/i18n" / f"{lang}.yml").read_text(encoding="utf-8"))


def russian_page(page: Path) -> Path:
    return DOCS / "ru" / page.relative_to(DOCS)


# --- the sources of both editions ------------------------------------------------------------------------------


def test_the_two_catalogues_have_the_same_keys_and_placeholders():
    kk, ru = catalogue("kk"), catalogue("ru")
    assert set(kk) == set(ru) == {"theme", "ui"}
    for section in kk:
        assert list(kk[section]) == list(ru[section]), section  # the same keys, in the same order
    placeholders = re.compile(r"\{(\w+(?::\w+)?)\}")
    differ = {
        key: (text, ru["ui"][key])
        for key, text in kk["ui"].items()
        if {p.split(":")[0] for p in placeholders.findall(text)} != set(placeholders.findall(ru["ui"][key]))
    }
    assert differ == {}
    assert ru["theme"]["language"] == "ru" and ru["ui"]["language.name"] == "Русский"


def test_every_text_of_the_instruments_templates_and_checklist_is_in_both_languages():
    """The Russian build checks it (a text without Russian fails it); here every compiled text differs from the
    Kazakh one or is a number, a name or a date (nothing was left Kazakh)."""
    ui = catalogue("ru")["ui"]
    instruments = load_folder(ROOT / "assessments", "ru")
    templates = load_templates(ROOT / "templates", ui, "ru")
    checklist = load_checklist(ROOT / "attestation/checklist.yml", instruments, templates, "ru")
    assert len(instruments) == 15 and len(templates) == 16

    def strings(node):
        if isinstance(node, dict):  # the checklist's `words` recognise what a teacher types, in either language
            for value in (value for key, value in node.items() if key != "words"):
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)
        elif isinstance(node, str):
            yield node

    names = "|".join(map(re.escape, TERMS["names"]))
    kazakh = [
        text
        for data in [*instruments.values(), *templates.values(), checklist]
        for text in strings(data)
        if KAZAKH_LETTERS.search(re.sub(names, "", text, flags=re.I))
    ]
    assert kazakh == []


def test_a_text_without_its_russian_fails_the_russian_build_naming_the_file_and_field(tmp_path):
    folder = tmp_path / "assessments"
    shutil.copytree(ROOT / "assessments", folder)
    path = folder / "lesson-reflection.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    title = data["title"]
    assert set(title) == {"kk", "ru"}
    text = path.read_text(encoding="utf-8")
    line = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("title:"))
    path.write_text(re.sub(r"^title:.*?(?=^\w)", f"title: {title['kk']}\n", text, count=1, flags=re.S | re.M))
    load_folder(folder, "kk")  # the Kazakh edition needs only Kazakh
    with pytest.raises(ValidationError) as raised:
        load_folder(folder, "ru")
    message = str(raised.value)
    assert f"lesson-reflection.yml:{line}" in message and "title" in message and "missing Russian text" in message
    assert "Traceback" not in message


def structure(path: Path) -> tuple[list[tuple[int, str | None]], Counter]:
    """A page's headings (level and id) outside code blocks, and its link targets."""
    headings, fenced = [], False
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match and not (match.group(2) or "").startswith("letter-"):  # the glossary's letters are each language's
            headings.append((len(match.group(1)), match.group(2)))
    return headings, Counter(link for link in LINK.findall(text) if not link.startswith("#letter-"))


@pytest.mark.parametrize("page", kazakh_pages(DOCS), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_page_has_its_russian_page_with_the_same_headings_and_links(page):
    russian = russian_page(page)
    assert russian.is_file(), f"write {russian.relative_to(ROOT)}"
    (kk_headings, kk_links), (ru_headings, ru_links) = structure(page), structure(russian)
    assert ru_headings == kk_headings  # the same ids: a link to a section works in both editions
    assert ru_links == kk_links


def russian_texts() -> list[tuple[str, str, str]]:
    """(where, Kazakh, Russian) of every text of the data files, and of every page with its Russian page."""
    pairs = []

    def walk(node, where):
        if isinstance(node, dict) and "kk" in node and set(node) <= {"kk", "ru", "en"}:
            pairs.append((where, node["kk"], node.get("ru", "")))
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{where}[{n}]")

    for path in [*ROOT.glob("assessments/*.yml"), *ROOT.glob("templates/*.yml"), ROOT / "attestation/checklist.yml"]:
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.relative_to(ROOT).as_posix())
    for page in kazakh_pages(DOCS):
        pairs.append(
            (
                page.relative_to(ROOT).as_posix(),
                page.read_text(encoding="utf-8"),
                russian_page(page).read_text(encoding="utf-8"),
            )
        )
    return pairs


def test_each_kazakh_term_has_its_russian_term_in_the_same_text_and_no_refused_variant():
    texts = russian_texts()
    assert len(texts) > 2500
    missing, refused = [], []
    for where, kk, ru in texts:
        for term in TERMS["terms"]:
            if re.search(term["kk"], kk, re.I) and not re.search(term["ru"], ru, re.I):
                missing.append(f"{where}: «{term['kk']}» without «{term['ru']}»")
            # a quotation, a source's title, its Kazakh words and the glossary's lists of its variants may hold one
            unquoted = QUOTED.sub("", VARIANTS.sub("", ru))
            refused += [
                f"{where}: {m.group(0)!r}"
                for pattern in term.get("refuse", [])
                for m in re.finditer(pattern, unquoted, re.I)
            ]
    assert missing == []
    assert refused == []


# --- the built site --------------------------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The words a reader sees (or a screen reader says) in a page's body, without what is marked as being in
    another language (``lang`` other than the page's) and without scripts and styles."""

    SKIPPED: ClassVar = {"script", "style", "template", "svg"}
    VOID: ClassVar = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self, lang: str):
        super().__init__(convert_charrefs=True)
        self.lang, self.stack, self.words, self.in_body = lang, [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.in_body = True
        if tag in self.VOID:
            if self.in_body and tag == "img" and not self._hidden():
                self.words.append(attrs.get("alt") or "")
            return
        other = attrs.get("lang") not in (None, self.lang)
        self.stack.append(tag in self.SKIPPED or other or (self.stack[-1] if self.stack else False))
        if self.in_body and not self._hidden():
            self.words += [attrs[name] for name in ("aria-label", "title", "placeholder") if attrs.get(name)]

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def _hidden(self) -> bool:
        return bool(self.stack and self.stack[-1])

    def handle_data(self, data):
        if self.in_body and not self._hidden():
            self.words.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


def visible(path: Path, lang: str) -> str:
    parser = VisibleText(lang)
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.text()


def built_pages(site: Path, lang: str) -> list[Path]:
    root = site / "ru" if lang == "ru" else site
    return sorted(p for p in root.rglob("*.html") if lang == "ru" or p.relative_to(site).parts[0] != "ru")


def test_every_russian_page_is_russian_outside_marked_quotations_and_listed_names(site_dir):
    pages = built_pages(site_dir, "ru")
    assert len(pages) == len(kazakh_pages(DOCS))
    names = "|".join(map(re.escape, TERMS["names"]))
    found = {}
    for page in pages:
        text = re.sub(names, "", visible(page, "ru"), flags=re.I)
        letters = [text[max(0, m.start() - 30) : m.end() + 30] for m in KAZAKH_LETTERS.finditer(text)]
        if letters:
            found[page.relative_to(site_dir).as_posix()] = letters[:3]
    assert found == {}


def test_no_kazakh_page_shows_the_russian_interface(site_dir):
    kk, ru = catalogue("kk")["ui"], catalogue("ru")["ui"]
    # Russian strings long enough to be a sentence and not also Kazakh (a name, a number)
    russian = [text.split("{")[0].strip() for key, text in ru.items() if text != kk[key] and key != "language.name"]
    russian = [text for text in russian if len(text) >= 12 and " " in text]  # a phrase, not a name
    assert len(russian) > 250
    shown = {}
    for page in built_pages(site_dir, "kk"):
        text = visible(page, "kk")
        hits = [string for string in russian if string in text]
        if hits:
            shown[page.relative_to(site_dir).as_posix()] = hits[:3]
    assert shown == {}


def alternates(page: Path) -> dict[str, str]:
    """The page's hreflang links: language → link."""
    html = page.read_text(encoding="utf-8")
    return {lang: href for href, lang in re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="(\w+)">', html)}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_page_says_its_language_and_links_the_same_page_in_the_other(site_dir, lang):
    for page in built_pages(site_dir, lang):
        if page.name == "404.html":
            continue
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html, page
        links = alternates(page)
        assert set(links) == {"kk", "ru"}, page
        kazakh = (page.parent / links["kk"]).resolve()
        russian = (page.parent / links["ru"]).resolve()
        assert russian == (site_dir / "ru" / kazakh.relative_to(site_dir)).resolve(), page
        assert kazakh.is_file() and russian.is_file(), page
        switch = re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+" class="md-select__link"', html)
        assert {language: href for href, language in switch} == links, page


def test_the_russian_edition_adds_pages_and_its_search_not_the_engine(site_dir):
    """Theme, bundle, engine and runtime exist once; ru/ holds pages, figures and the Russian search index; the
    bundle holds each language's data (instruments, templates, checklist) and nothing else twice."""
    extra = sorted(
        p.relative_to(site_dir / "ru").as_posix()
        for p in (site_dir / "ru").rglob("*")
        if p.is_file() and p.suffix not in (".html", ".br", ".gz")
    )
    assert extra and all(
        re.fullmatch(r"assets/figures/[\w-]+\.svg|search/search_index\.json|sitemap\.xml", p) for p in extra
    ), extra
    [bundle] = (site_dir / "assets").glob("kasibi-*")
    russian = {
        p.relative_to(bundle / "ru").as_posix()
        for p in (bundle / "ru").rglob("*")
        if p.is_file() and p.suffix not in (".br", ".gz")
    }
    kazakh = {
        p.relative_to(bundle).as_posix()
        for p in bundle.glob("*/*")
        if p.parts[-2] in ("instruments", "templates", "attestation") and p.suffix not in (".br", ".gz")
    }
    assert russian == kazakh
    kk_index = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))
    ru_index = json.loads((site_dir / "ru/search/search_index.json").read_text(encoding="utf-8"))
    assert kk_index["config"]["lang"] == ["en"] and ru_index["config"]["lang"] == ["ru"]
    assert not any(doc["location"].startswith("ru/") for doc in kk_index["docs"] + ru_index["docs"])
    located = {doc["location"].split("#")[0] for doc in ru_index["docs"]}
    assert located >= {
        p.relative_to(site_dir / "ru").as_posix() for p in built_pages(site_dir, "ru") if p.name != "404.html"
    } - {"server-check.html"}


def test_the_kazakh_data_is_the_kazakh_of_the_same_files():
    """One definition serves both languages: compiled for either, an instrument has the same ids, versions,
    items, options, points, bands and rules; only texts differ."""
    kk, ru = load_folder(ROOT / "assessments", "kk"), load_folder(ROOT / "assessments", "ru")

    def shape(node):
        if isinstance(node, dict):
            return {key: shape(value) for key, value in node.items() if key != "lang"}
        if isinstance(node, list):
            return [shape(value) for value in node]
        return node if not isinstance(node, str) or not re.search(r"[А-яЁё]", node) else "<text>"

    assert {i: shape(data) for i, data in kk.items()} == {i: shape(data) for i, data in ru.items()}
    raw = localized(yaml.safe_load((ROOT / "assessments/career-ladder.yml").read_text(encoding="utf-8")), "kk")
    assert kk["career-ladder"]["title"] == raw["title"]


# --- one engine for both: the same answers give the same result in either language ---------------------------

KK_INSTRUMENTS = load_folder(ROOT / "assessments", "kk")
RU_INSTRUMENTS = load_folder(ROOT / "assessments", "ru")


@pytest.mark.parametrize("instrument_id", sorted(KK_INSTRUMENTS))
def test_the_engine_computes_byte_identical_results_from_either_language(instrument_id):
    """``compute`` (ids and numbers) is the same bytes whichever language the instrument was compiled in, for
    complete and incomplete answers; ``score`` then says it in the page's language, and only its texts differ."""
    kk, ru = KK_INSTRUMENTS[instrument_id], RU_INSTRUMENTS[instrument_id]
    rng = random.Random(instrument_id)
    for n in range(40):
        answers = random_answers(kk, rng, complete=n % 4 != 3)
        computed = engine.compute(kk, answers)
        assert json.dumps(engine.compute(ru, answers), ensure_ascii=False) == json.dumps(computed, ensure_ascii=False)
        assert not any(KAZAKH_LETTERS.search(text) for text in strings_of(computed) if text not in free_texts(answers))
        described = engine.score(ru, answers)
        assert {key: described[key] for key in computed} == {
            key: value
            for key, value in json.loads(engine.score_json(json.dumps(ru), json.dumps(answers))).items()
            if key in computed
        }
        assert described["title"] == ru["title"]
        if computed.get("scales"):
            assert described["scales"][0]["title"] == ru["scales"][0]["title"]
            assert engine.score(kk, answers)["scales"][0]["band_label"] in {
                b["label"] for b in kk["scales"][0]["bands"]
            }
            assert described["scales"][0]["band_label"] in {b["label"] for b in ru["scales"][0]["bands"]}


def strings_of(node) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in strings_of(value)]
    if isinstance(node, list):
        return [text for value in node for text in strings_of(value)]
    return [node] if isinstance(node, str) else []


def free_texts(answers: dict) -> set[str]:
    return {answer for answer in answers.values() if isinstance(answer, str)}
