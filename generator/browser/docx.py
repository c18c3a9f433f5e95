"""Write a template, blank or filled, as a Word document (.docx).

Pure standard library (zipfile and WordprocessingML by hand), so the same writer makes the blank
documents at build time in CPython and the teacher's filled copy in the browser in Pyodide. The
output is deterministic: the same template and values give the same bytes.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from typing import Any
from xml.sax.saxutils import escape

from .documents import check_values, completion

FONT = "Times New Roman"
A4 = (11906, 16838)  # twentieths of a point
MARGIN = 1134  # 2 cm
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def _relationships(*links: tuple[str, str]) -> str:
    items = "".join(
        f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>' for n, (kind, target) in enumerate(links, 1)
    )
    return f'{XML}<Relationships xmlns="{PACKAGE}/relationships">{items}</Relationships>'


CONTENT_TYPES = (
    f'{XML}<Types xmlns="{PACKAGE}/content-types">'
    f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{WORD_TYPE}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{WORD_TYPE}.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>'
)
PACKAGE_RELS = _relationships(
    (f"{OFFICE}/officeDocument", "word/document.xml"),
    (f"{PACKAGE}/relationships/metadata/core-properties", "docProps/core.xml"),
)
DOCUMENT_RELS = _relationships((f"{OFFICE}/styles", "styles.xml"))
STYLES = f"""{XML}<w:styles {W}>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>
<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="kk-KZ"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="80" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="160"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr>
<w:rPr><w:b/><w:sz w:val="30"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/>
<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr>
<w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Small"><w:name w:val="Small"/><w:basedOn w:val="Normal"/>
<w:rPr><w:color w:val="555555"/><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="FormGrid"><w:name w:val="Form Grid"/><w:tblPr><w:tblBorders>
<w:top w:val="single" w:sz="4" w:color="000000"/><w:left w:val="single" w:sz="4" w:color="000000"/>
<w:bottom w:val="single" w:sz="4" w:color="000000"/><w:right w:val="single" w:sz="4" w:color="000000"/>
<w:insideH w:val="single" w:sz="4" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:color="000000"/>
</w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>
</w:tblPr></w:style>
</w:styles>"""


# Characters XML 1.0 forbids (C0 controls but tab and line ends, lone surrogates, U+FFFE, U+FFFF):
# text pasted from Word can hold them (U+000B is its manual line break, U+000C its page break),
# and one of them would make the whole document unreadable.
FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c]")


def _text(text: str) -> str:
    """``text`` escaped for XML, with line breaks as ``\\n`` and what XML cannot hold dropped."""
    return escape(FORBIDDEN.sub("", LINE_BREAKS.sub("\n", text)))


def _runs(text: str, bold: bool = False) -> str:
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    lines = _text(text).split("\n")
    parts = []
    for n, line in enumerate(lines):
        if n:
            parts.append("<w:br/>")
        parts.append(f'<w:t xml:space="preserve">{line}</w:t>')
    return f"<w:r>{properties}{''.join(parts)}</w:r>" if text else ""


def _paragraph(text: str, style: str = "", bold: bool = False) -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}{_runs(text, bold)}</w:p>"


def _cell(width: int, text: str, bold: bool = False, shade: str = "", span: int = 1) -> str:
    properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if shade:
        properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{_paragraph(text, bold=bold)}</w:tc>"


def _row(cells: str, header: bool = False, height: int = 0) -> str:
    properties = ""
    if header:
        properties += "<w:tblHeader/>"
    if height:
        properties += f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>'
    properties += "<w:cantSplit/>"
    return f"<w:tr><w:trPr>{properties}</w:trPr>{cells}</w:tr>"


def _table(widths: list[int], rows: list[str]) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    properties = f'<w:tblPr><w:tblStyle w:val="FormGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/></w:tblPr>'
    return f"<w:tbl>{properties}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>{_paragraph('')}"


def _widths(weights: list[int], total: int) -> list[int]:
    unit = total / sum(weights)
    return [int(weight * unit) for weight in weights]


def _fields_block(block: dict[str, Any], values: dict[str, str], width: int) -> str:
    label_width, value_width = _widths([2, 3], width)
    rows = [
        _row(
            _cell(label_width, field["label"], bold=True, shade="F2F2F2")
            + _cell(value_width, values.get(field["id"], "")),
            height=900 if field["type"] == "text" else 420,
        )
        for field in block["fields"]
    ]
    return _table([label_width, value_width], rows)


def _table_block(block: dict[str, Any], rows: list[dict[str, str]], marks: dict[str, str], width: int) -> str:
    columns = block["columns"]
    widths = _widths([column["width"] for column in columns], width)
    # Room to write by hand on the blank form: taller rows where a column takes free text.
    height = 900 if any(column["type"] == "text" for column in columns) else 480
    out = [
        _row(
            "".join(_cell(w, c["label"], bold=True, shade="D9E8E6") for w, c in zip(widths, columns, strict=True)),
            header=True,
        )
    ]
    if block["repeatable"]:
        body = rows or [{} for _ in range(block["min_rows"])]
        for row in body:
            out.append(
                _row(
                    "".join(_cell(w, _shown(c, row, marks)) for w, c in zip(widths, columns, strict=True)),
                    height=height,
                )
            )
        return _table(widths, out)
    n = 0
    for row in block["rows"]:
        if "group" in row:
            out.append(_row(_cell(sum(widths), row["group"], bold=True, shade="F2F2F2", span=len(columns))))
            continue
        filled = rows[n] if n < len(rows) else {}
        n += 1
        cells = "".join(
            _cell(w, row[c["id"]] if c["type"] == "fixed" else _shown(c, filled, marks))
            for w, c in zip(widths, columns, strict=True)
        )
        out.append(_row(cells, height=height))
    return _table(widths, out)


def _shown(column: dict[str, Any], row: dict[str, str], marks: dict[str, str]) -> str:
    value = row.get(column["id"], "")
    return marks.get(value, value) if column["type"] == "mark" else value


def _text_block(block: dict[str, Any], value: str, width: int) -> str:
    height = 0 if value else 280 * block["rows"]
    return _paragraph(block["label"], style="Heading2") + _table([width], [_row(_cell(width, value), height=height)])


def _page(landscape: bool) -> tuple[int, int]:
    return (A4[1], A4[0]) if landscape else A4


def _section(landscape: bool) -> str:
    """A section's page: A4, portrait or landscape, 2 cm margins."""
    page_width, page_height = _page(landscape)
    orient = ' w:orient="landscape"' if landscape else ""
    return (
        f'<w:sectPr><w:pgSz w:w="{page_width}" w:h="{page_height}"{orient}/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
        f'w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>'
    )


def _body(template: dict[str, Any], values: dict[str, Any]) -> str:
    """Title, sources, every block and the completion of marked sheets (``values`` already checked)."""
    width = _page(template["orientation"] == "landscape")[0] - 2 * MARGIN
    labels = template["labels"]
    parts = [_paragraph(template["title"], style="Heading1")]
    if template["sources"]:
        parts.append(_paragraph(f"{labels['sources']}: {'; '.join(template['sources'])}", style="Small"))
    for block in template["blocks"]:
        if block["title"]:
            parts.append(_paragraph(block["title"], style="Heading2"))
        value = values.get(block["id"])
        if block["type"] == "fields":
            parts.append(_fields_block(block, value or {}, width))
        elif block["type"] == "table":
            parts.append(_table_block(block, value or [], template["marks"], width))
        else:
            parts.append(_text_block(block, value or "", width))
    done = completion(template, values)
    if done and values:
        parts.append(_paragraph(labels["completion"].format_map(done), bold=True))
    return "".join(parts)


def _document(body: str) -> str:
    return f"{XML}<w:document {W}><w:body>{body}</w:body></w:document>"


def document_xml(template: dict[str, Any], values: dict[str, Any]) -> str:
    """The body of the document: title, sources, every block, and the completion of marked sheets."""
    return _document(_body(template, values) + _section(template["orientation"] == "landscape"))


def pack_xml(cover: dict[str, Any], parts: list[dict[str, Any]]) -> str:
    """One document of many: the cover alone on its page, the contents, each part on pages of its own (in its
    own orientation), and the list of evidence attached on paper. ``cover`` holds the texts the page wrote
    (title, lines, contents and evidence headings, evidence lines); each part is {template, values}."""
    end = f"<w:p><w:pPr>{_section(False)}</w:pPr></w:p>"  # a section ends here; the next starts a new page
    body = [_paragraph(cover["title"], style="Heading1"), *(_paragraph(line) for line in cover["lines"]), end]
    body.append(_paragraph(cover["contents"], style="Heading2"))
    body += [_paragraph(f"{n}. {part['template']['title']}") for n, part in enumerate(parts, 1)]
    body.append(end)
    for part in parts:
        template = part["template"]
        values = check_values(template, part["values"]) if part["values"] else {}
        landscape = template["orientation"] == "landscape"
        body.append(_body(template, values) + f"<w:p><w:pPr>{_section(landscape)}</w:pPr></w:p>")
    body.append(_paragraph(cover["evidence_title"], style="Heading2"))
    body += [_paragraph(f"• {line}") for line in cover["evidence"]] or [_paragraph("—")]
    return _document("".join(body) + _section(False))


def core_xml(template: dict[str, Any]) -> str:
    return (
        f'{XML}<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{_text(template['title'])}</dc:title><dc:language>kk-KZ</dc:language>"
        "</cp:coreProperties>"
    )


def _package(title: str, document: str) -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": core_xml({"title": title}),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": STYLES,
        "word/document.xml": document,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


def build_docx(template: dict[str, Any], values: dict[str, Any] | None = None) -> bytes:
    """A .docx of ``template``: blank when ``values`` is None, else filled (values are checked first)."""
    checked = check_values(template, values) if values else {}
    return _package(template["title"], document_xml(template, checked))


def build_docx_json(template_json: str, values_json: str) -> bytes:
    """JSON boundary for the Web Worker: the filled document's bytes (ValuesError when values do not fit)."""
    return build_docx(json.loads(template_json), json.loads(values_json))


def build_pack_json(pack_json: str) -> bytes:
    """JSON boundary for the Web Worker: the attestation pack ({cover, parts}) as one .docx."""
    pack = json.loads(pack_json)
    return _package(pack["cover"]["title"], pack_xml(pack["cover"], pack["parts"]))
