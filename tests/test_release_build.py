"""The release as a build: the same sources in two folders give byte-identical sites and zips; the
version must be a release number; a page may run only the scripts the theme emits; what the theme
writes into attributes is escaped."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT
from support import first_language_only

from generator import cli
from generator.build.bundle import ReleaseError
from generator.build.page_scripts import UnknownScriptError, check_scripts
from generator.ship import release
from generator.ship.release import (
    THEME_DIRS,
    content_security_policy,
    make_release,
    site_version,
    source_date,
    write_server_files,
)

COPIED = ("assessments", "attestation", "docs", "generator", "includes", "release", "site_src", "templates")


def project_copy(folder: Path) -> Path:
    """The project's sources in ``folder`` (the pinned Pyodide and resvg packages linked, not copied)."""
    for name in COPIED:
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "mkdocs.ru.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    (folder / "node_modules").mkdir()
    (folder / "node_modules/pyodide").symlink_to(ROOT / "node_modules/pyodide", target_is_directory=True)
    (folder / "node_modules/@resvg").symlink_to(ROOT / "node_modules/@resvg", target_is_directory=True)
    return folder


def mkdocs_build(project: Path, out: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
    )


def test_the_same_sources_in_another_folder_give_the_same_site_and_zip(tmp_path, monkeypatch, archive):
    # The run's release (made from the checkout) against one made from a copy elsewhere, dated as the checkout.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(source_date(ROOT)))
    project = project_copy(tmp_path / "kasibi")
    copy = make_release(project, tmp_path / "dist", "9.9.9")
    first, second = zipfile.ZipFile(archive), zipfile.ZipFile(copy)
    assert first.namelist() == second.namelist()
    bundles = {n.split("/")[3] for n in first.namelist() if n.count("/") > 3 and "/assets/kasibi-" in n}
    assert len(bundles) == 1  # one fingerprinted folder, the same in both
    differing = [n for n in first.namelist() if first.read(n) != second.read(n)]
    assert differing == []
    assert archive.read_bytes() == copy.read_bytes()
    assert archive.name == copy.name


@pytest.mark.parametrize("version", ['1.0"><script>alert(1)</script>', "../../outside", "1.0/2", "v1.0.0", "1.0", ""])
def test_a_version_that_is_not_a_release_number_stops_the_release(tmp_path, version):
    with pytest.raises(ValueError, match="not a release number") as error:
        make_release(ROOT, tmp_path / "dist", version)
    assert "1.2.3" in str(error.value)
    assert not (tmp_path / "dist").exists()


@pytest.mark.build
def test_a_version_that_is_not_a_release_number_stops_the_build_with_a_message(tmp_path):
    done = mkdocs_build(ROOT, tmp_path / "site", KASIBI_VERSION='2.0"><script>alert(1)</script>')
    assert done.returncode != 0
    assert "not a release number" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "site/index.html").exists()


RAW_SCRIPTS = [
    ("<script>alert(document.cookie)</script>", "inline <script> the theme does not emit"),
    ('<script type="module">import("./x.js")</script>', "inline <script> the theme does not emit"),
    ('<script src="https://cdn.example.org/x.js"></script>', "a script from another host"),
]


@pytest.mark.build
def test_a_raw_script_in_a_page_fails_the_build(tmp_path):
    raw, says = RAW_SCRIPTS[1]  # the build runs the check below; each kind of script is tried there
    project = project_copy(tmp_path / "kasibi")
    first_language_only(project)
    page = project / "docs/intro.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n{raw}\n", encoding="utf-8")
    done = mkdocs_build(project, tmp_path / "site")
    assert done.returncode != 0
    assert "intro.html" in done.stderr and says in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(("raw", "says"), RAW_SCRIPTS)
def test_the_script_check_names_the_page_with_a_raw_script(tmp_path, site_dir, raw, says):
    site = tmp_path / "site"
    site.mkdir()
    page = site / "intro.html"
    built = (site_dir / "intro.html").read_text(encoding="utf-8")
    page.write_text(built, encoding="utf-8")
    assert check_scripts(site, THEME_DIRS)  # the page as built passes: the theme's own scripts
    page.write_text(built.replace("</article>", f"{raw}</article>"), encoding="utf-8")
    with pytest.raises(UnknownScriptError, match=rf"intro\.html: .*{re.escape(says)}"):
        check_scripts(site, THEME_DIRS)


def test_the_csp_allows_only_the_theme_scripts_and_refuses_a_site_with_another(tmp_path, site_dir):
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    hashes = [part for part in content_security_policy(site).split() if part.startswith("'sha256-")]
    assert 3 <= len(hashes) <= 12  # Material's few scripts (one per page depth) and the 404 page's two
    page = site / "intro.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</body>", "<script>alert(1)</script></body>"), encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"intro\.html: an inline <script> the theme does not emit"):
        content_security_policy(site)


def test_what_a_release_step_cannot_use_is_named_without_a_traceback(tmp_path, monkeypatch, capsys):
    site = tmp_path / "site"
    with pytest.raises(ReleaseError, match=r"site/index\.html: the built site's home page cannot be read"):
        site_version(site)
    site.mkdir()
    (site / "index.html").write_text("<html><head><title>Kasibi</title></head></html>", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r'site/index\.html: no <meta name="kasibi-version">'):
        site_version(site)
    configs = tmp_path / "release"
    shutil.copytree(ROOT / "release", configs)
    (configs / "web.config").unlink()
    (site / "assets").mkdir()
    with pytest.raises(ReleaseError, match=r"release/web\.config: missing"):
        write_server_files(site, tmp_path / "server", configs, "1.0.0+x", "kasibi.zip")
    # The command says the same in one line and ends with 1.
    monkeypatch.setattr(release, "build_site", lambda project, out, version: site_version(site))
    assert cli.main(["release", "--dist", str(tmp_path / "dist")]) == 1
    said = capsys.readouterr().err
    assert 'no <meta name="kasibi-version">' in said and "Traceback" not in said


class _Metas(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.content: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("name"):
            self.content[values["name"]] = values.get("content") or ""


@pytest.mark.build
def test_what_the_theme_writes_into_attributes_is_escaped(tmp_path):
    project = project_copy(tmp_path / "kasibi")
    first_language_only(project)
    catalogue = project / "site_src/i18n/kk.yml"
    notice = 'Файл "ашылды" <b>бұл</b> & т.б.'
    text = catalogue.read_text(encoding="utf-8")
    start = text.index("  site.file_notice:")
    end = text.index("\n  site.", start + 1)
    catalogue.write_text(f"{text[:start]}  site.file_notice: '{notice}'{text[end:]}", encoding="utf-8")
    done = mkdocs_build(project, tmp_path / "site", KASIBI_VERSION="3.1.4-rc.1")
    assert done.returncode == 0, done.stderr
    metas = _Metas()
    metas.feed((tmp_path / "site/index.html").read_text(encoding="utf-8"))
    assert metas.content["kasibi-file-notice"] == notice
    assert metas.content["kasibi-version"].startswith("3.1.4-rc.1+")
