"""Every Markdown table gets a name, which the box that scrolls it sideways on a phone takes too.

Material puts each table in a box (``.md-typeset__scrollwrap``) that scrolls when the table is wider than the page.
A region that scrolls must be reachable from the keyboard and say what it is: site_src/js/device/theme-fixes.js makes
the box a tab stop named as its table. The name is given here, where the page's text is known: the table's caption line
(a paragraph of bold text just before it, «**3-кесте. …**»), else the title it sits under (the nearest heading,
admonition title or details summary before it), else its header row. A header cell with no text (a table's corner)
becomes a data cell: it labels nothing.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

TITLES = {"h1", "h2", "h3", "h4", "h5", "h6", "summary"}
STASHED = re.compile(r"\x02wzxhzdk:\d+\x03")  # raw HTML kept aside by Markdown until the end


def _text(element: Element) -> str:
    """An element's words, without the heading's permalink («¶») or stashed raw HTML."""
    parts = []

    def walk(node: Element) -> None:
        if node.tag == "a" and "headerlink" in (node.get("class") or "").split():
            parts.append(node.tail or "")
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
        if node is not element:
            parts.append(node.tail or "")

    walk(element)
    return " ".join(STASHED.sub(" ", "".join(parts)).split())


def _is_title(element: Element) -> bool:
    if element.tag in TITLES:
        return True
    return element.tag == "p" and "admonition-title" in (element.get("class") or "").split()


def _caption(element: Element | None) -> str:
    """The text of a caption line: a paragraph that is one bold run and nothing else."""
    if element is None or element.tag != "p" or len(element) != 1 or (element.text or "").strip():
        return ""
    [strong] = element
    return _text(element) if strong.tag == "strong" and not (strong.tail or "").strip() else ""


class ScrollableTables(Treeprocessor):
    def run(self, root: Element) -> None:
        self._walk(root, "")

    def _walk(self, parent: Element, title: str) -> None:
        previous = None
        for child in parent:
            if _is_title(child):
                title = _text(child) or title
            elif child.tag == "table":
                self._mark(child, _caption(previous) or title)
            else:
                self._walk(child, title)  # a title inside a box (admonition, details) names only its own tables
            previous = child

    @staticmethod
    def _mark(table: Element, name: str) -> None:
        head = table.find("thead")
        for cell in head.iter("th") if head is not None else ():
            if not _text(cell) and not len(cell):
                cell.tag = "td"
        if not (table.get("aria-label") or table.get("aria-labelledby")):
            header = [_text(cell) for cell in head.iter("th")] if head is not None else []
            table.set("aria-label", name or " · ".join(text for text in header if text))


class TablesExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API name
        # After inline markup and the unescaping of \-escapes (priority 0): the words are final.
        md.treeprocessors.register(ScrollableTables(md), "kasibi-tables", -1)


def makeExtension(*args, **kwargs):  # noqa: N802 - Markdown's entry point name
    return TablesExtension(*args, **kwargs)
