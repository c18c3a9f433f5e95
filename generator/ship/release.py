"""The intranet release: one versioned zip a school hosts on any static server, and its SHA-256.

    dist/kasibi-<version>.zip
        kasibi-<version>/README.txt        hosting notes for the school's IT person (kk, ru)
        kasibi-<version>/site/             the web root, with .htaccess (Apache) and web.config (IIS)
        kasibi-<version>/server/           nginx.conf, nginx-mime.types, csp.txt
    dist/kasibi-<version>.zip.sha256

The Content-Security-Policy is computed from the build: Material's few inline scripts are allowed
by their hashes, everything else must come from the site itself.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import material
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound

from generator.build.bundle import ReleaseError, check_release
from generator.build.page_scripts import UnknownScriptError, check_scripts, script_hashes

PROJECT = Path(__file__).resolve().parents[2]
ZIP_EPOCH = 315532800  # 1980-01-01, the earliest date a zip entry can hold
FILE_MODE, FOLDER_MODE = 0o100644, 0o040755  # rw-r--r--, rwxr-xr-x: any web server's user can read them
THEME_DIRS = [PROJECT / "site_src" / "theme", Path(material.__file__).parent / "templates"]  # as mkdocs.yml says


VERSION_META = re.compile(r'<meta name="kasibi-version" content="([^"]+)"')


def content_security_policy(site: Path) -> str:
    """A policy under which every page of ``site`` works and nothing else runs: only the inline scripts
    the theme emits are allowed (by their hashes); a page with any other fails here, as in the build."""
    try:
        hashes = script_hashes(check_scripts(site, THEME_DIRS))
    except UnknownScriptError as error:
        raise ReleaseError(str(error)) from None
    directives = [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),  # Pyodide compiles WebAssembly
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(directives)


def immutable_folders(site: Path) -> list[str]:
    """The fingerprinted asset folders of this build (their names change with their content)."""
    if not (site / "assets").is_dir():
        raise ReleaseError(f"{site / 'assets'}: the built site has no assets folder")
    fingerprinted = re.compile(r"^(kasibi-[0-9a-f]+|pyodide-[0-9.]+|javascripts|stylesheets)$")
    return sorted(f"assets/{p.name}" for p in (site / "assets").iterdir() if p.is_dir() and fingerprinted.match(p.name))


NGINX_DEFAULTS = {"prefix": "/kasibi/", "root": "/var/www/kasibi/site", "mime_include": "/etc/nginx/kasibi-mime.types"}


def write_server_files(
    site: Path, server: Path, configs: Path, version: str, zip_name: str, nginx: dict[str, str] = NGINX_DEFAULTS
) -> str:
    """Render the hosting configs for this build; return the README's text.

    ``nginx`` gives the address prefix, the site folder and the MIME-types file the nginx example uses.
    """
    # Server configuration files, not HTML: nothing to escape.
    env = Environment(loader=FileSystemLoader(configs), undefined=StrictUndefined, keep_trailing_newline=True)  # noqa: S701
    values = {
        "version": version,
        "csp": content_security_policy(site),
        "immutable": immutable_folders(site),
        **nginx,
        "zip_name": zip_name,
    }

    def render(name: str) -> str:
        try:
            return env.get_template(name).render(values)
        except TemplateNotFound:
            raise ReleaseError(f"{configs / name}: missing (the release's hosting files are made from it)") from None
        except TemplateError as error:
            raise ReleaseError(f"{configs / name}: {error}") from None

    server.mkdir(parents=True, exist_ok=True)
    (site / ".htaccess").write_text(render("htaccess"), encoding="utf-8")
    (site / "web.config").write_text(render("web.config"), encoding="utf-8")
    (server / "nginx.conf").write_text(render("nginx.conf"), encoding="utf-8")
    (server / "nginx-mime.types").write_text(render("nginx-mime.types"), encoding="utf-8")
    (server / "csp.txt").write_text(values["csp"] + "\n", encoding="utf-8")
    return render("README.txt")


def source_date(project: Path) -> int:
    """The build's date, as seconds since 1970: $SOURCE_DATE_EPOCH, else the last commit's, else 1980-01-01.
    The same sources then give the same site (its sitemap dates) and the same zip (its entries' dates)."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project, capture_output=True, text=True)
    return int(done.stdout) if done.returncode == 0 and done.stdout.strip().isdigit() else ZIP_EPOCH


def build_site(project: Path, out: Path, version: str | None) -> str:
    """``mkdocs build --strict`` into ``out``; return the version the pages report."""
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": str(source_date(project)),
        **({"KASIBI_VERSION": check_release(version)} if version is not None else {}),
    }
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise ReleaseError(f"the site did not build:\n{done.stderr}")
    return site_version(out)


def site_version(site: Path) -> str:
    """The version the built ``site``'s home page reports (site_src/theme/main.html writes it)."""
    home = site / "index.html"
    try:
        meta = VERSION_META.search(home.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ReleaseError(f"{home}: the built site's home page cannot be read ({error})") from None
    if meta is None:
        raise ReleaseError(f'{home}: no <meta name="kasibi-version">; the theme (site_src/theme/main.html) writes it')
    return meta.group(1)


def _entry(name: str, when: int, mode: int) -> zipfile.ZipInfo:
    """A zip entry that ``unzip`` extracts with ``mode`` (readable by the web server's user)."""
    info = zipfile.ZipInfo(name, time.gmtime(max(when, ZIP_EPOCH))[:6])
    info.create_system = 3  # Unix: the mode below is honoured
    info.external_attr = mode << 16 | (0x10 if name.endswith("/") else 0)  # 0x10: a folder, for Windows tools
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def make_release(project: Path, dist: Path, version: str | None = None) -> Path:
    """Build, configure and zip the site; return the zip's path (its .sha256 lies beside it)."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp, "site")
        label = build_site(project, site, version)
        name = f"kasibi-{label.replace('+', '-')}"
        readme = write_server_files(site, Path(tmp, "server"), project / "release", label, f"{name}.zip")
        Path(tmp, "README.txt").write_text(readme, encoding="utf-8")
        when = source_date(project)
        dist.mkdir(parents=True, exist_ok=True)
        archive = dist / f"{name}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
            zipped.writestr(_entry(f"{name}/", when, FOLDER_MODE), b"")
            for path in sorted(Path(tmp).rglob("*"), key=lambda p: p.relative_to(tmp).as_posix()):
                entry = f"{name}/{path.relative_to(tmp).as_posix()}"
                if path.is_dir():
                    zipped.writestr(_entry(f"{entry}/", when, FOLDER_MODE), b"")
                else:
                    zipped.writestr(_entry(entry, when, FILE_MODE), path.read_bytes())
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    (dist / f"{archive.name}.sha256").write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
    return archive
