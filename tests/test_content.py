"""The content: every heading of 001 mapped to an anchor, no broken link, real tables, figures with text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import ROOT

MAPS = ROOT / "coverage_map"
NOTES = ROOT.parent / "shared/sources/notes"
OUTLINE = MAPS / "001_outline.tsv"


class _Page(HTMLParser):
    """Ids, links and images of one built page."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)


@pytest.fixture(scope="module")
def pages(site_dir) -> dict[Path, _Page]:
    parsed = {}
    for path in site_dir.rglob("*.html"):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        parsed[path] = page
    return parsed


def built_page(site_dir: Path, src: str) -> Path:
    """The HTML file MkDocs builds from docs/<src>."""
    return site_dir / f"{src.removesuffix('.md')}.html"


def outline_lines() -> list[int]:
    return [int(line.split("\t")[0]) for line in OUTLINE.read_text(encoding="utf-8").splitlines() if line[:1].isdigit()]


def map_entries(pattern: str) -> list[dict]:
    return [entry for path in sorted(MAPS.glob(pattern)) for entry in yaml.safe_load(path.read_text(encoding="utf-8"))]


def test_every_heading_of_001_is_mapped():
    mapped = {entry["line"] for entry in map_entries("001_part*.yml")}
    missing = [line for line in outline_lines() if line not in mapped]
    assert len(outline_lines()) > 150
    assert missing == []


@pytest.mark.skipif(not NOTES.is_dir(), reason="the reading notes live outside the repository (shared/)")
def test_outline_snapshot_matches_the_notes():
    rows = []
    for notes in sorted(NOTES.glob("001_part*.md")):
        inside = None
        for line in notes.read_text(encoding="utf-8").splitlines():
            heading = re.match(r"^(#+) ", line)
            if heading:
                if "Outline" in line:
                    inside = len(heading.group(1))
                    continue
                if inside and len(heading.group(1)) <= inside:
                    inside = None
            row = re.match(r"^\| *(\d+)", line)
            if inside and row:
                rows.append(int(row.group(1)))
    assert rows == outline_lines()


@pytest.mark.parametrize("pattern", ["001_part*.yml", "000.yml", "002_003_004.yml"])
def test_every_mapped_anchor_exists_in_the_built_site(site_dir, pages, pattern):
    entries = map_entries(pattern)
    assert entries
    missing = []
    for entry in entries:
        page = pages.get(built_page(site_dir, entry["page"]))
        if page is None or entry["anchor"] not in page.ids:
            missing.append(f"{entry['line']} → {entry['page']}#{entry['anchor']}")
    assert missing == []


def test_no_broken_internal_link(site_dir, pages):
    broken = []
    for path, page in pages.items():
        if path.name == "404.html":  # served at any missing URL, so MkDocs writes root-relative links there
            continue
        for href in page.links + [img.get("src", "") for img in page.images]:
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("mailto:", "javascript:")) or not href:
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site_dir)}: {href}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.relative_to(site_dir)}: {href} (no such anchor)")
    assert broken == []


@pytest.mark.parametrize("table", [f"table-{n}" for n in range(1, 19)] + ["appendix-table"])
def test_every_table_of_001_is_a_real_table(site_dir, pages, table):
    holders = [path for path, page in pages.items() if table in page.ids]
    assert holders, f"no page has #{table}"
    html = holders[0].read_text(encoding="utf-8")
    start = html.index(f'id="{table}"')
    following = html[start:]
    section_end = re.search(r"<h2[ >]", following[10:])
    section = following[: section_end.start() + 10] if section_end else following
    assert "<table>" in section or "<table " in section


def test_every_image_has_alt_text_and_every_figure_a_title(site_dir, pages):
    for path, page in pages.items():
        for image in page.images:
            assert image.get("alt", "").strip(), f"{path.relative_to(site_dir)}: {image.get('src')}"
    figures = sorted((site_dir / "assets/figures").glob("*.svg"))
    assert len(figures) >= 5
    for figure in figures:
        svg = figure.read_text(encoding="utf-8")
        assert "<title" in svg and "<desc" in svg and 'role="img"' in svg, figure.name
        assert "<script" not in svg and "http://www.w3.org" in svg and "https://" not in svg
