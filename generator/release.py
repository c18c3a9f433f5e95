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

import base64
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>", re.S)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def content_security_policy(site: Path) -> str:
    """A policy under which every page of ``site`` works and nothing else runs."""
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"
            for page in site.rglob("*.html")
            for script in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8"))
        }
    )
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
    server.mkdir(parents=True, exist_ok=True)
    (site / ".htaccess").write_text(env.get_template("htaccess").render(values), encoding="utf-8")
    (site / "web.config").write_text(env.get_template("web.config").render(values), encoding="utf-8")
    (server / "nginx.conf").write_text(env.get_template("nginx.conf").render(values), encoding="utf-8")
    (server / "nginx-mime.types").write_text(
        (configs / "nginx-mime.types").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (server / "csp.txt").write_text(values["csp"] + "\n", encoding="utf-8")
    return env.get_template("README.txt").render(values)


def build_site(project: Path, out: Path, version: str | None) -> str:
    """``mkdocs build --strict`` into ``out``; return the version the pages report."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **({"KASIBI_VERSION": version} if version else {})}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"the site did not build:\n{done.stderr}")
    meta = re.search(r'<meta name="kasibi-version" content="([^"]+)"', (out / "index.html").read_text(encoding="utf-8"))
    return meta.group(1)


def make_release(project: Path, dist: Path, version: str | None = None) -> Path:
    """Build, configure and zip the site; return the zip's path (its .sha256 lies beside it)."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp, "site")
        label = build_site(project, site, version)
        name = f"kasibi-{label.replace('+', '-')}"
        readme = write_server_files(site, Path(tmp, "server"), project / "release", label, f"{name}.zip")
        dist.mkdir(parents=True, exist_ok=True)
        archive = dist / f"{name}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
            zipped.writestr(zipfile.ZipInfo(f"{name}/README.txt", ZIP_TIME), readme)
            for path in sorted(p for p in Path(tmp).rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(f"{name}/{path.relative_to(tmp).as_posix()}", ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                zipped.writestr(info, path.read_bytes())
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    (dist / f"{archive.name}.sha256").write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
    return archive
