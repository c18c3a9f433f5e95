"""Render an instrument's form as server-side HTML (Jinja2, no MkDocs)."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from generator.browser.documents import ROW_LIMIT, TEXT_LIMIT
from generator.formats.i18n import Catalogue, fill
from generator.formats.instrument import rating_count


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.build", "html"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    env.globals["rating_values"] = rating_values
    env.globals["fill"] = fill
    return env


def rating_values(item: dict[str, Any]) -> list[float]:
    """The points a rating item offers, from min to max by step (validation bounds how many)."""
    low, step = item["min"], item["step"]
    values = (round(low + k * step, 6) for k in range(rating_count(low, item["max"], step)))
    return [int(n) if float(n).is_integer() else n for n in values]


def render_instrument(instrument: dict[str, Any], catalogue: Catalogue, src: str) -> str:
    """The form and the empty report region; ``src`` is the compiled JSON's site path."""
    template = _environment().get_template("instrument.html")
    return template.render(i=instrument, ui=catalogue.ui, src=src)


def render_results(catalogue: Catalogue) -> str:
    """The frame of the "my results" page; the browser fills it from localStorage."""
    template = _environment().get_template("results.html")
    return template.render(ui=catalogue.ui)


def render_portfolio(checklist: dict[str, Any], catalogue: Catalogue, src: str) -> str:
    """The attestation page's choices and the frame of its checklist; ``src`` is the compiled checklist's site path."""
    template = _environment().get_template("portfolio.html")
    return template.render(ui=catalogue.ui, categories=checklist["categories"], src=src)


def render_school(catalogue: Catalogue) -> str:
    """The frame of the school summary page; the browser reads the teachers' files and draws the report."""
    return _environment().get_template("school.html").render(ui=catalogue.ui)


def render_template(template: dict[str, Any], catalogue: Catalogue, src: str, blank: str) -> str:
    """A document template as a fillable form; ``src`` is the site path of its .json without suffix,
    ``blank`` the page-relative link to its blank .docx."""
    page = _environment().get_template("template.html")
    has_example = any(block.get("example") for block in template["blocks"])
    limits = {"text_limit": TEXT_LIMIT, "row_limit": ROW_LIMIT}  # what the Word writer accepts: the page says so first
    return page.render(d=template, ui=catalogue.ui, src=src, blank=blank, has_example=has_example, **limits)


def render_catalogue(entries: list[dict[str, Any]], catalogue: Catalogue, level: int = 2) -> str:
    """A table of instruments or templates: ``entries`` carry title, summary, href, facts and optional docx;
    ``level`` is the cards' heading level (one below the heading the list sits under)."""
    return _environment().get_template("catalogue.html").render(entries=entries, ui=catalogue.ui, level=level)
