"""Issue 11, defect 9: text pasted from Word (or anywhere) never makes a Word file unreadable.

XML 1.0 forbids most C0 controls, lone surrogates, U+FFFE and U+FFFF; the writer drops them, and
turns U+000B (Word's manual line break), U+000C (its page break) and CR into line breaks.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest
from test_templates import TEMPLATES, W, soffice, to_pdf_text  # noqa: F401 - soffice is a fixture

from generator.browser import docx

TEMPLATE = TEMPLATES["reflective-lesson-analysis"]
PASTES = {
    "vertical tab": "Бірінші жол\x0bЕкінші жол",
    "form feed": "Бетке дейін\x0cБеттен кейін",
    "carriage returns": "Бір\r\nЕкі\rҮш",
    "C0 controls": "Таза\x00\x01\x02\x07\x08\x0e\x1f мәтін",
    "noncharacters": "Соңы\ufffe\uffff жоқ",
    "lone surrogates": "Жарты\ud800 таңба\udfff мұнда",
}


def first_text_field(template: dict) -> tuple[str, str]:
    block = next(b for b in template["blocks"] if b["type"] == "fields")
    field = next(f for f in block["fields"] if f["type"] in ("text", "line"))
    return block["id"], field["id"]


def filled(text: str) -> bytes:
    block, field = first_text_field(TEMPLATE)
    return docx.build_docx(TEMPLATE, {block: {field: text}})


def document_root(data: bytes) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return ElementTree.fromstring(archive.read("word/document.xml"))  # noqa: S314 - our own output


def cell_lines(root: ElementTree.Element, first: str) -> list[str]:
    """The lines of the run whose text starts with ``first`` (a <w:br/> starts a new line)."""
    for run in root.iter(f"{W}r"):
        lines, started = [""], False
        for node in run:
            if node.tag == f"{W}br":
                lines.append("")
            elif node.tag == f"{W}t":
                lines[-1] += node.text or ""
                started = started or lines[0].startswith(first)
        if started:
            return lines
    raise AssertionError(f"no run starts with {first!r}")


@pytest.mark.parametrize("case", PASTES)
def test_defect_9_pasted_controls_keep_word_xml_well_formed(case):
    text = PASTES[case]
    root = document_root(filled(text))  # raises on a file that is not well-formed XML
    lines = cell_lines(root, text[:3])
    allowed = {"\t", "\n", "\r"}
    for line in lines:
        assert not any(
            (ord(c) < 0x20 and c not in allowed) or 0xD800 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff" for c in line
        )
    expected = {
        "vertical tab": ["Бірінші жол", "Екінші жол"],
        "form feed": ["Бетке дейін", "Беттен кейін"],
        "carriage returns": ["Бір", "Екі", "Үш"],
        "C0 controls": ["Таза мәтін"],
        "noncharacters": ["Соңы жоқ"],
        "lone surrogates": ["Жарты таңба мұнда"],
    }[case]
    assert lines == expected


def test_defect_9_libreoffice_opens_a_file_with_every_pasted_control(soffice, tmp_path):  # noqa: F811
    text = " ".join(PASTES.values())
    path = tmp_path / "pasted.docx"
    path.write_bytes(filled(text))
    pdf_text = " ".join(to_pdf_text(soffice, [path], tmp_path)["pasted"].split())
    for words in ("Бірінші жол", "Екінші жол", "Таза мәтін", "Соңы жоқ", "Жарты таңба мұнда"):
        assert words in pdf_text
