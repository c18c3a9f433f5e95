"""The built site: self-contained (runtime, engine, instruments), Kazakh, and naming no outside host."""

from __future__ import annotations

import ast
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT

from generator import browser
from generator.browser import engine
from generator.build.bundle import PYODIDE_DIR
from generator.build.offline import PATCHES, SOURCE_MAP_COMMENT
from generator.build.publish import COMPRESSED_SIBLINGS
from generator.formats.instrument import load_instrument
from generator.ship import snapshot, stdlib
from generator.ship.runtime import PYODIDE_VERSION, RUNTIME_FILES, STDLIB

MATERIAL_EN = ROOT / ".venv/lib/python3.11/site-packages/material/templates/partials/languages/en.html"
CDN_HOSTS = re.compile(
    r"cdn\.jsdelivr|unpkg\.com|cdnjs\.|fonts\.googleapis|fonts\.gstatic|googletagmanager|ajax\.googleapis"
)
URL_IN_MARKUP = re.compile(
    r"""(?:src|href|action|poster|data|srcset)\s*=\s*["']?\s*(?:https?:)?//([^/"'\s>]+)|url\(\s*["']?(?:https?:)?//([^/"')\s]+)"""
)
NAMESPACES = {"www.w3.org"}


def bundle(site: Path) -> Path:
    """The build's fingerprinted folder of the site's own code and data."""
    [folder] = site.glob("assets/kasibi-*")
    return folder


def text_files(site: Path, *suffixes: str):
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in suffixes:
            yield path, path.read_text(encoding="utf-8", errors="replace")


def test_site_holds_the_pinned_runtime_and_the_engine(site_dir):
    runtime = set(RUNTIME_FILES) - {STDLIB}  # the stdlib is published trimmed, in the engine folder
    for name in runtime:
        published = (site_dir / PYODIDE_DIR / name).read_bytes()
        original = (ROOT / "node_modules/pyodide" / name).read_bytes()
        if name == "pyodide.mjs":  # only its CDN default is made inert (generator/build/offline.py)
            text = original.decode()
            for old, new in PATCHES["assets/pyodide-*/pyodide.mjs"].items():
                text = text.replace(old, new)
            original = SOURCE_MAP_COMMENT.sub("", text).encode()
        assert published == original, name
    assert (bundle(site_dir) / "engine/engine.py").read_text(encoding="utf-8") == Path(engine.__file__).read_text(
        encoding="utf-8"
    )
    published = {p.name for p in (site_dir / PYODIDE_DIR).iterdir() if p.suffix not in COMPRESSED_SIBLINGS}
    assert published == runtime, "only the runtime files: the package's console pages load a CDN"
    trimmed = stdlib.trimmed_stdlib(ROOT / "node_modules/pyodide" / STDLIB, stdlib.listed_files())
    assert (bundle(site_dir) / "engine" / STDLIB).read_bytes() == trimmed


def test_every_browser_module_is_published_and_imports_only_the_standard_library_and_its_package(site_dir):
    package = Path(browser.__file__).parent
    shipped = {path.name for path in browser.module_files()}
    assert shipped == {path.name for path in package.glob("*.py")} - {"__init__.py"}, "a module the site does not ship"
    engine = {path.name for path in (bundle(site_dir) / "engine").iterdir() if path.suffix not in COMPRESSED_SIBLINGS}
    assert engine == shipped | {STDLIB, snapshot.SNAPSHOT}
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                assert node.level == 1, f"{path.name}: {node.module} is outside generator/browser"
                names = [node.module] if node.module else [alias.name for alias in node.names]
                assert all(f"{name.split('.')[0]}.py" in shipped for name in names), f"{path.name}: {names}"
            elif isinstance(node, ast.Import | ast.ImportFrom):
                modules = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                for module in modules:
                    top = module.split(".")[0]
                    assert top in sys.stdlib_module_names or top == "__future__", f"{path.name} imports {module}"


def test_package_lock_pins_pyodide_with_its_integrity_hash():
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"]["node_modules/pyodide"]
    assert entry["version"] == PYODIDE_VERSION
    assert (
        entry["integrity"]
        == "sha512-74Wq1kXOC+CCEzAfxuRAO701nAcCMLjf8NrwvWpu8S41dVMXwXmLQ05dYB+F4e46AdnGo0oq7YHSVUpHsoarLQ=="
    )
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"] == PYODIDE_VERSION


def test_compiled_instrument_is_published(site_dir):
    published = json.loads((bundle(site_dir) / "instruments/cycle-self-assessment.json").read_text(encoding="utf-8"))
    source = load_instrument(ROOT / "assessments/cycle-self-assessment.yml", link=lambda p: p)
    assert published["id"] == source["id"] and published["rules"] == source["rules"]
    assert published["scales"][0]["guide"] == "model/cycle/action.html"  # a site URL, not a .md path


def test_no_page_or_stylesheet_references_an_outside_host(site_dir):
    offenders = []
    for path, text in text_files(site_dir, ".html", ".css", ".svg", ".json", ".xml", ".webmanifest"):
        for match in URL_IN_MARKUP.finditer(text):
            host = match.group(1) or match.group(2)
            if host not in NAMESPACES:
                offenders.append(f"{path.relative_to(site_dir)}: {host}")
    assert not offenders, offenders


def test_no_file_names_a_cdn_or_font_host(site_dir):
    offenders = [
        f"{path.relative_to(site_dir)}: {match.group(0)}"
        for path, text in text_files(site_dir, ".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".map", ".txt")
        for match in CDN_HOSTS.finditer(text)
    ]
    assert not offenders, offenders


def test_every_page_is_kazakh(site_dir):
    pages = [page for page in site_dir.rglob("*.html") if page.relative_to(site_dir).parts[0] != "ru"]
    assert len(pages) > 10
    for page in pages:
        head = page.read_text(encoding="utf-8")[:400]
        assert '<html lang="kk"' in head, page


def test_material_strings_are_all_translated():
    material = set(re.findall(r'^\s*"([a-z.]+)":', MATERIAL_EN.read_text(encoding="utf-8"), re.MULTILINE))
    import yaml

    catalogue = yaml.safe_load((ROOT / "site_src/i18n/kk.yml").read_text(encoding="utf-8"))
    assert material - set(catalogue["theme"]) == set()
    assert all(value.strip() or key == "search.config.pipeline" for key, value in catalogue["theme"].items())


def test_every_ui_string_the_code_uses_is_in_the_catalogue():
    import yaml

    ui = yaml.safe_load((ROOT / "site_src/i18n/kk.yml").read_text(encoding="utf-8"))["ui"]
    used = set()
    for path in (ROOT / "site_src/js").rglob("*.js"):
        used |= set(re.findall(r"""\bt\(\s*["'`]([a-z_.]+)["'`]""", path.read_text(encoding="utf-8")))
        used |= (
            {f"provenance.{kind}" for kind in ("authored", "source", "published")}
            if "provenance." in path.read_text()
            else set()
        )
    for path in (ROOT / "generator/build/html").glob("*.html"):
        used |= set(re.findall(r"""ui\[["']([a-z_.]+)["']\]""", path.read_text(encoding="utf-8")))
    assert used - set(ui) == set()
    assert len(used) > 20


class _FormAudit(HTMLParser):
    """Collects form controls and the ids that labels and legends provide."""

    def __init__(self):
        super().__init__()
        self.inputs, self.open_labels, self.labelled, self.legends, self.forms = [], 0, 0, 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(attrs)
        if tag == "label":
            self.open_labels += 1
        if tag == "legend":
            self.legends += 1
        if tag in ("input", "textarea"):
            self.inputs.append(attrs)
            self.labelled += self.open_labels > 0 or tag == "textarea"

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def test_instrument_page_is_a_plain_html_form(site_dir):
    html = (site_dir / "assessments/cycle-self-assessment.html").read_text(encoding="utf-8")
    audit = _FormAudit()
    audit.feed(html[html.index('<form class="kasibi-form"') : html.index("</form>", html.index("kasibi-form"))])
    [form] = audit.forms
    assert form["data-instrument"] == "cycle-self-assessment"
    radios = [i for i in audit.inputs if i.get("type") == "radio"]
    assert len(radios) == 25 and {i["name"] for i in radios} == {
        f"{s}-level" for s in ("action", "analysis", "reflection", "design", "trial")
    }
    assert audit.labelled == len(audit.inputs), "every control sits inside its label"
    assert audit.legends >= 10  # one per stage and one per question
