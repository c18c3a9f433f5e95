"""The site as an installable app (issue 21): every page names the manifest, whose start and scope are relative and
whose icons are PNGs of the sizes it says, drawn the same on every build; Chromium's own check finds the site
installable at a host's root and under a sub-path, and the installed app opens offline; the header's «Орнату»
button shows only when the browser offers to install, and asks it to; iPhone and iPad readers get a guide to the
home screen until they close it, desktop readers never."""

from __future__ import annotations

import json
import re
import struct
import zlib
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from conftest import ROOT
from support import CHROMIUM, CHROMIUM_ARGS, service_worker_ready
from test_light import sw_lists

from generator.build import app_manifest
from generator.build.app_manifest import AppIconError
from generator.ship.release import content_security_policy

UI = yaml.safe_load((ROOT / "site_src/i18n/kk.yml").read_text(encoding="utf-8"))["ui"]
LOGO = ROOT / "docs/assets/favicon.svg"
PAGE = "concept/approaches.html"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
# iPadOS asks for desktop sites as a Mac; only its touch screen tells it apart.
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15"
)
TOUCH_SCREEN = "Object.defineProperty(Navigator.prototype, 'maxTouchPoints', { get: () => 5 });"
STANDALONE = "Object.defineProperty(Navigator.prototype, 'standalone', { get: () => true });"
# A synthetic offer to install, as Chromium sends it: prompt() is counted on the window.
OFFER = """() => {
  const offer = new Event("beforeinstallprompt", { cancelable: true });
  offer.prompt = () => { window.prompted = (window.prompted ?? 0) + 1; return Promise.resolve(); };
  dispatchEvent(offer);
  return offer.defaultPrevented;
}"""


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR of a whole, well-formed PNG (every chunk's CRC checked, IEND last)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, size = 8, [], (0, 0)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + body)
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
        chunks.append(kind)
        at += 12 + length
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND" and b"IDAT" in chunks
    return size


def head_links(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="(manifest|apple-touch-icon)" href="([^"]+)">', html))


def test_every_page_names_the_manifest_and_the_ios_icon_by_relative_paths(site_dir):
    pages = sorted(site_dir.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        links = head_links(page.read_text(encoding="utf-8"))
        assert set(links) == {"manifest", "apple-touch-icon"}, page
        where = page.relative_to(site_dir).as_posix()
        for href in links.values():
            assert not urlsplit(href).scheme and not href.startswith("/"), (where, href)
            assert (site_dir / urljoin(where, href)).is_file(), (where, href)


def test_the_manifest_speaks_kazakh_is_relative_and_its_icons_are_pngs_of_their_sizes(site_dir):
    manifest = json.loads((site_dir / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert (manifest["name"], manifest["short_name"], manifest["description"]) == (
        UI["app.name"],
        UI["app.short_name"],
        UI["app.description"],
    )
    assert manifest["name"] == "Педагогтің үздіксіз кәсіби дамуы" and manifest["lang"] == "kk"
    assert manifest["display"] == "standalone"
    # Relative to the manifest: the site root, wherever the site is served.
    assert manifest["start_url"] == manifest["scope"] == "./"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"]) and re.fullmatch(
        r"#[0-9a-f]{6}", manifest["background_color"]
    )
    icons = {(icon["sizes"], icon.get("purpose", "any")): icon["src"] for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    apple = head_links((site_dir / "index.html").read_text(encoding="utf-8"))["apple-touch-icon"]
    for (sizes, _), src in [*icons.items(), (("180x180", "any"), urljoin("index.html", apple))]:
        assert not src.startswith("/") and not urlsplit(src).scheme
        side = int(sizes.split("x")[0])
        assert png_size((site_dir / src).read_bytes()) == (side, side), src


def test_the_icons_are_drawn_the_same_every_time_and_a_cached_build_needs_no_node(site_dir, tmp_path, monkeypatch):
    node_modules = ROOT / "node_modules"
    first = app_manifest.icons(LOGO, node_modules)
    assert first == app_manifest.icons(LOGO, node_modules)
    assert {icon.path: png for icon, png in first.items()} == {
        icon.path: (site_dir / icon.path).read_bytes() for icon in app_manifest.ICONS
    }
    assert app_manifest.icons(LOGO, node_modules, tmp_path) == first
    monkeypatch.setattr(app_manifest.shutil, "which", lambda name: None)
    assert app_manifest.icons(LOGO, node_modules, tmp_path) == first  # from the cache: Node is not asked
    with pytest.raises(AppIconError, match=r"node not found: .*Node\.js 18"):
        app_manifest.icons(LOGO, node_modules)


def test_the_service_worker_keeps_the_manifest_and_icons_and_the_policy_lets_the_manifest_load(site_dir):
    precache = set(sw_lists(site_dir)["PRECACHE"])
    assert {"manifest.webmanifest", *(icon.path for icon in app_manifest.ICONS)} <= precache
    csp = dict(part.strip().split(" ", 1) for part in content_security_policy(site_dir).split(";"))
    assert csp.get("manifest-src", csp["default-src"]) == "'self'" and csp["img-src"].startswith("'self'")


def installability(context, page) -> list[dict]:
    return context.new_cdp_session(page).send("Page.getInstallabilityErrors")["installabilityErrors"]


def test_chromium_finds_the_site_installable_at_a_root_and_under_a_sub_path_and_it_opens_offline(
    browser, serve, site_dir, tmp_path
):
    policy = {"Content-Security-Policy": content_security_policy(site_dir)}
    # Not a Playwright context: Chromium calls those incognito, where nothing installs.
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=CHROMIUM, args=CHROMIUM_ARGS, service_workers="allow"
    )
    try:
        # The check is real: a manifest without a usable icon fails it.
        broken = json.loads((site_dir / "manifest.webmanifest").read_text(encoding="utf-8")) | {"icons": []}
        context.route("**/manifest.webmanifest", lambda route: route.fulfill(json=broken))
        page = context.new_page()
        page.goto(serve().url(PAGE))
        assert {error["errorId"] for error in installability(context, page)} >= {"manifest-missing-suitable-icon"}
        context.unroute("**/manifest.webmanifest")
        page.close()
        for server in (serve(), serve("kasibi/", extra_headers=policy)):
            page = context.new_page()
            page.goto(server.url(PAGE))
            service_worker_ready(page)  # installed: its precache is complete
            assert installability(context, page) == [], server.url()
            manifest = context.new_cdp_session(page).send("Page.getAppManifest")
            assert manifest["url"] == server.url("manifest.webmanifest") and manifest["errors"] == []
            assert manifest["manifest"]["startUrl"] == manifest["manifest"]["scope"] == server.url()
            context.set_offline(True)
            page.goto(server.url())  # the app's start, as the home-screen icon opens it
            assert page.locator("[data-install]").count() == 1
            fetched = page.evaluate(
                "paths => Promise.all(paths.map((path) => fetch(path).then((r) => r.ok)))",
                ["manifest.webmanifest", *(icon.path for icon in app_manifest.ICONS)],
            )
            assert all(fetched)
            with pytest.raises(Exception, match="Failed to fetch"):  # really offline: what is not kept fails
                page.evaluate("fetch('sitemap.xml')")
            context.set_offline(False)
            page.close()
    finally:
        context.close()


def test_the_header_colours_are_the_theme_colours_of_each_scheme(browser, serve):
    # Ours colour the browser before any script runs (Material's script then adds one that follows its toggle).
    for scheme in ("light", "dark"):
        page = browser.new_page(color_scheme=scheme)
        page.goto(serve().url(PAGE))
        page.wait_for_selector("body[data-md-color-primary=custom]", state="attached")  # Material's JS chose it
        header, theme = page.evaluate("""() => [
          getComputedStyle(document.querySelector(".md-header")).backgroundColor,
          [...document.querySelectorAll("meta[name=theme-color][media]")].filter((m) => matchMedia(m.media).matches)
            .map((m) => m.content),
        ]""")
        [colour] = theme
        assert header == "rgb({}, {}, {})".format(*bytes.fromhex(colour[1:])), scheme
        page.close()


ICON_PIXELS = """async (path) => {
  const image = await createImageBitmap(await (await fetch(path)).blob());
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, image.width, image.height);
  const at = (x, y) => [...data.slice((y * image.width + x) * 4, (y * image.width + x) * 4 + 4)];
  const edge = at(0, 0);
  const centre = (image.width - 1) / 2;
  let outsideDiffers = 0, insideDiffers = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const differs = at(x, y).some((value, i) => Math.abs(value - edge[i]) > 2);
      if (Math.hypot(x - centre, y - centre) > 0.4 * image.width) outsideDiffers += differs;
      else insideDiffers += differs;
    }
  }
  return { edge, outsideDiffers, insideDiffers };
}"""


def test_the_maskable_icon_bleeds_and_keeps_the_logo_in_the_safe_zone(browser, serve):
    page = browser.new_page()
    page.goto(serve().url("index.html"))
    colour = [*bytes.fromhex(app_manifest.THEME_COLOR[1:]), 255]
    maskable = page.evaluate(ICON_PIXELS, "assets/icons/icon-maskable-512.png")
    # Opaque to the edges, and every pixel a circular mask may cut off is the tile's colour.
    assert maskable["edge"] == colour and maskable["outsideDiffers"] == 0 and maskable["insideDiffers"] > 1000
    assert page.evaluate(ICON_PIXELS, "assets/icons/apple-touch-icon.png")["edge"] == colour  # iOS: no black corner
    assert page.evaluate(ICON_PIXELS, "assets/icons/icon-512.png")["edge"][3] == 0  # the logo's rounded corner
    page.close()


def test_the_install_button_shows_when_the_browser_offers_and_asks_it_to_install(browser, serve):
    page = browser.new_page()
    page.goto(serve().url(PAGE))
    button = page.locator("header [data-install]")
    button.wait_for(state="attached")
    assert button.is_hidden()
    assert page.evaluate(OFFER) is True  # the browser's own banner is held back: the header offers it
    button.wait_for(state="visible")
    assert button.inner_text().strip() == UI["app.install"]
    assert button.get_attribute("title") == UI["app.install_title"]
    button.click()
    assert page.evaluate("window.prompted") == 1
    assert button.is_hidden()  # a prompt is shown once
    page.evaluate(OFFER)
    button.wait_for(state="visible")
    page.evaluate("dispatchEvent(new Event('appinstalled'))")
    button.wait_for(state="hidden")
    assert page.evaluate("window.prompted") == 1
    page.close()


def guide_shown(browser, serve, user_agent: str | None, *scripts: str) -> bool:
    context = browser.new_context(user_agent=user_agent) if user_agent else browser.new_context()
    for script in scripts:
        context.add_init_script(script)
    page = context.new_page()
    page.goto(serve().url(PAGE))
    page.locator("[data-install]").wait_for(state="attached")  # install.js has run
    shown = page.locator("[data-install-guide]").count() == 1
    context.close()
    return shown


def test_the_home_screen_guide_shows_on_an_iphone_until_closed_then_never_again(browser, serve):
    context = browser.new_context(user_agent=IPHONE, viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    page.goto(serve().url(PAGE))
    guide = page.locator("[data-install-guide]")
    guide.wait_for(state="visible")
    text = guide.inner_text()
    assert UI["app.guide_label"] in text and "«Бөлісу»" in text and "«Басты экранға қосу»" in text
    assert page.locator("[data-install]").is_hidden()  # iOS makes no offer to install
    page.reload()
    guide.wait_for(state="visible")  # not closed yet: still offered
    page.locator("[data-install-guide-close]").click()
    guide.wait_for(state="detached")
    stored = page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('kasibi:'))")
    assert stored == ["kasibi:v1:seen:install-guide"]
    page.reload()
    page.locator("[data-install]").wait_for(state="attached")
    assert guide.count() == 0
    # The note is not one of the teacher's records: the device dialog counts none.
    store = page.evaluate(r"""async () => {
      const install = [...document.scripts].find((script) => script.src.endsWith("/device/install.js"));
      return (await import(install.src.replace(/device\/install\.js$/, "storage/store.js"))).inventory();
    }""")
    assert not any(store.values()), store
    context.close()


def test_the_guide_shows_on_an_ipad_and_never_on_a_desktop_or_in_the_installed_app(browser, serve):
    assert guide_shown(browser, serve, MAC_SAFARI, TOUCH_SCREEN)  # iPadOS
    assert not guide_shown(browser, serve, MAC_SAFARI)  # Safari on a Mac
    assert not guide_shown(browser, serve, None)  # desktop Chromium
    assert not guide_shown(browser, serve, IPHONE, STANDALONE)  # opened from the home screen


def test_the_install_code_writes_no_kazakh_of_its_own():
    for path in (ROOT / "site_src/js/device/install.js", ROOT / "generator/build/app_manifest.py"):
        code = "\n".join(line.split("//")[0].split("#")[0] for line in path.read_text(encoding="utf-8").splitlines())
        assert not re.search("[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", code.split('"""', 2)[-1]), path
