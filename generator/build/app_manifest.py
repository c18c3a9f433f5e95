"""The site as an installable app: the web app manifest and its icons, made from the site's own SVG logo.

``manifest.webmanifest`` sits at the site root; its ``start_url`` and ``scope`` are ``./`` (relative to the
manifest), so the app is the whole site under whatever sub-path a school serves it. Its words are the catalogue's
(``app.*`` in site_src/i18n/<lang>.yml). The icons are PNGs drawn at build time from the favicon by resvg in Node
(``icons.mjs``; the build needs Node for the engine's snapshot already): 192 and 512 px as the logo is, a maskable
512 px one (the logo's tile colour to the edges, the logo inside the safe zone) and the 180 px apple-touch-icon
(to the edges too: iOS fills transparent corners with black). The same inputs give the same bytes; each icon is
kept in the cache folder by the digest of its inputs, so a rebuild starts no Node.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from generator.build.publish import SiteFile
from generator.formats.i18n import Catalogue
from generator.ship.compress import kept_or_made

SCRIPT = Path(__file__).with_name("icons.mjs")
RESVG = Path("@resvg", "resvg-wasm")  # under node_modules, pinned in package.json
NODE_SECONDS = 120  # four icons take about 1 s
MANIFEST = "manifest.webmanifest"
# The header's colour (site.css --md-primary-fg-color): the dark scheme keeps it (dark.css changes only the
# text and accent colours). It is also the logo's tile, so the full-bleed icons extend the tile with it.
THEME_COLOR = "#00695c"
THEME_COLORS = {"light": THEME_COLOR, "dark": THEME_COLOR}
BACKGROUND_COLOR = "#ffffff"  # the page's, behind the icon while the app opens
# Android crops a maskable icon to any shape holding the central circle of 80 % of its width. The logo's mark
# reaches 0.48 of the tile's width from its centre (the dot), so the tile takes 75 %: the mark stays within
# 0.36 of the icon's width; the tile's corners, cut off outside the circle, are only its colour, as the bleed.
MASKABLE_SCALE = 0.75


class AppIconError(RuntimeError):
    """The logo is not an SVG file, or Node or resvg is missing or could not draw the icons."""


@dataclass(frozen=True)
class Icon:
    path: str  # in the site
    size: int  # px, square
    scale: float = 1.0  # of the icon's width the logo takes, centred
    bleed: bool = False  # the tile's colour to the edges, no transparent corner
    purpose: str | None = None  # the manifest's: "maskable", or None for "any"
    listed: bool = True  # in the manifest (the apple-touch-icon is named by a <link> only)


ICONS = (
    Icon("assets/icons/icon-192.png", 192),
    Icon("assets/icons/icon-512.png", 512),
    Icon("assets/icons/icon-maskable-512.png", 512, MASKABLE_SCALE, bleed=True, purpose="maskable"),
    Icon("assets/icons/apple-touch-icon.png", 180, bleed=True, listed=False),
)
APPLE_TOUCH_ICON = ICONS[-1]


def page_links() -> dict:
    """What every page names in its <head> (site_src/theme/main.html): paths from the site root, theme colours."""
    return {"manifest": MANIFEST, "apple_touch_icon": APPLE_TOUCH_ICON.path, "theme_colors": THEME_COLORS}


def manifest(catalogue: Catalogue) -> str:
    ui = catalogue.ui
    data = {
        "name": ui["app.name"],
        "short_name": ui["app.short_name"],
        "description": ui["app.description"],
        "lang": catalogue.lang,
        "dir": catalogue.theme.get("direction", "ltr"),
        "start_url": "./",  # relative to this file: the site root, under any sub-path
        "scope": "./",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            {"src": icon.path, "sizes": f"{icon.size}x{icon.size}", "type": "image/png"}
            | ({"purpose": icon.purpose} if icon.purpose else {})
            for icon in ICONS
            if icon.listed
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def icon_svg(logo: str, icon: Icon) -> str:
    """The SVG drawn as ``icon``: the logo, scaled and centred, over the tile's colour when it bleeds."""
    inner = icon.size * icon.scale
    at = (icon.size - inner) / 2
    href = "data:image/svg+xml;base64," + base64.b64encode(logo.encode()).decode()
    bleed = f'<rect width="{icon.size}" height="{icon.size}" fill="{THEME_COLOR}"/>' if icon.bleed else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{icon.size}" height="{icon.size}">{bleed}'
        f'<image x="{at:g}" y="{at:g}" width="{inner:g}" height="{inner:g}" href="{href}"/></svg>'
    )


def _renderer_digest(resvg: Path) -> bytes:
    digest = hashlib.sha256(SCRIPT.read_bytes())
    for name in ("index.mjs", "index_bg.wasm"):
        digest.update(hashlib.sha256((resvg / name).read_bytes()).digest())
    return digest.digest()


def _draw(svgs: list[str], resvg: Path) -> list[bytes]:
    node = shutil.which("node")
    if node is None:
        raise AppIconError(
            "node not found: the build draws the app's icons with Node.js 18 or newer (the one npm installs "
            "Pyodide with); install it and build again"
        )
    try:
        done = subprocess.run(
            [node, str(SCRIPT), str(resvg.resolve())],
            input=json.dumps(svgs).encode(),
            capture_output=True,
            check=True,
            timeout=NODE_SECONDS,
            env={"PATH": os.environ.get("PATH", "")},
        )
    except subprocess.CalledProcessError as error:
        last = error.stderr.decode(errors="replace").strip().splitlines()[-3:]
        raise AppIconError(f"{SCRIPT}: Node could not draw the icons: {' | '.join(last)}") from None
    except subprocess.TimeoutExpired:
        raise AppIconError(f"{SCRIPT}: Node took more than {NODE_SECONDS} s to draw the icons") from None
    return [base64.b64decode(png) for png in json.loads(done.stdout)]


def icons(logo_file: Path, node_modules: Path, cache: Path | None = None) -> dict[Icon, bytes]:
    """Each icon's PNG, drawn from the SVG ``logo_file`` by resvg in ``node_modules``; ``cache`` keeps them."""
    if logo_file.suffix != ".svg" or not logo_file.is_file():
        raise AppIconError(f"{logo_file}: the app's icons are drawn from the theme's favicon, an SVG file")
    resvg = node_modules / RESVG
    if not (resvg / "index_bg.wasm").is_file():
        raise AppIconError(f"{resvg}: missing; the build draws the app's icons with it (run `npm ci`, as make does)")
    logo = logo_file.read_text(encoding="utf-8")
    svgs = {icon: icon_svg(logo, icon) for icon in ICONS}
    if cache is None:
        return dict(zip(svgs, _draw(list(svgs.values()), resvg), strict=True))
    renderer = _renderer_digest(resvg)  # another resvg or script, other keys
    kept = {icon: cache / f"icon-{hashlib.sha256(renderer + s.encode()).hexdigest()}.png" for icon, s in svgs.items()}
    # Missing icons are drawn in one Node run; builds side by side may both draw one, with the same bytes.
    missing = [icon for icon in ICONS if not kept[icon].is_file()]
    drawn = dict(zip(missing, _draw([svgs[icon] for icon in missing], resvg), strict=True)) if missing else {}
    return {
        icon: kept_or_made(kept[icon], lambda icon=icon: drawn.get(icon) or _draw([svgs[icon]], resvg)[0])
        for icon in ICONS
    }


def app_files(logo_file: Path, catalogue: Catalogue, node_modules: Path, cache: Path | None = None) -> list[SiteFile]:
    """The manifest and the icons, as files of the site."""
    drawn = icons(logo_file, node_modules, cache)
    return [SiteFile(MANIFEST, manifest(catalogue)), *(SiteFile(icon.path, png) for icon, png in drawn.items())]
