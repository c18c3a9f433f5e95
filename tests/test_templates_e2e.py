"""Every template filled in Chromium: autosave and restore, named copies, the filled Word download, print."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from test_templates import TEMPLATES

TYPED = "Жазылды: ғылыми әдіс, қазақ тілі, ұстаз, үміт, өнер, іс, һ"


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context(accept_downloads=True)
    yield context
    context.close()


def first_inputs(page) -> tuple:
    text = page.locator("form.kasibi-doc textarea, form.kasibi-doc input[type=text]").first
    mark = page.locator("form.kasibi-doc select").first
    return text, mark if mark.count() else None


def kept(template: dict, name: str) -> bool:
    """Whether a new copy starts with this header field as the copy before it has it (``keep``)."""
    block_id, _, field_id = name.partition(":")
    fields = [f for b in template["blocks"] if b["id"] == block_id for f in b.get("fields", [])]
    return any(f["id"] == field_id and f["keep"] for f in fields)


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_fill_reload_copies_and_download(context, serve, template_id, tmp_path):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(serve().url(f"templates/{template_id}.html"))
    text, mark = first_inputs(page)
    text.fill(TYPED)
    if mark:
        mark.select_option("partly")
        page.wait_for_selector("[data-completion]:not([hidden])", timeout=90_000)
        assert "%" in page.inner_text("[data-completion]")
    page.reload()
    text, mark = first_inputs(page)
    assert text.input_value() == TYPED
    if mark:
        assert mark.input_value() == "partly"

    page.fill("[data-copy-name]", "2026/2027")
    page.click("[data-action=new-copy]")
    page.wait_for_function("document.querySelector('[data-copy-select]').value === '2026/2027'")
    name = first_inputs(page)[0].get_attribute("name")
    assert first_inputs(page)[0].input_value() == (TYPED if kept(TEMPLATES[template_id], name) else "")
    first_inputs(page)[0].fill("Екінші көшірме")
    page.reload()
    options = page.eval_on_selector_all("[data-copy-select] option", "os => os.map(o => o.value)")
    assert len(options) == 2 and "2026/2027" in options
    page.select_option("[data-copy-select]", options[0])
    assert first_inputs(page)[0].input_value() == TYPED

    with page.expect_download(timeout=90_000) as download:
        page.click("[data-action=docx]")
    data = Path(download.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert TYPED in xml and TEMPLATES[template_id]["title"].split()[0] in xml

    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => [".md-header", ".md-sidebar--primary", ".md-search", ".kasibi-doc-bar", ".md-footer"]
            .map(s => document.querySelector(s)).filter(Boolean).every(e => !e.checkVisibility())"""
    )
    assert hidden and page.locator(".kasibi-doc__title").is_visible()
    assert errors == []
    page.close()


def test_blank_word_files_are_published(site_dir):
    [bundle] = site_dir.glob("assets/kasibi-*")
    for template_id in TEMPLATES:
        blank = (bundle / f"templates/{template_id}.docx").read_bytes()
        assert blank.startswith(b"PK")
