// Entry on every page: the site as an app (manifest.webmanifest, generator/build/app_manifest.py). When the browser
// offers to install it (beforeinstallprompt: Chrome, Edge, Samsung Internet), an «Орнату» button in the header
// asks it to; once the app is installed the button goes. iPhone and iPad browsers have no such offer, only
// Share → Add to Home Screen: there a short guide says so at the top of the page until the reader closes it,
// and never again on this browser.

import { h, svg } from "../utilities/dom.js";
import { hasSeen, markSeen } from "../storage/store.js";
import { t } from "../utilities/strings.js";

const GUIDE = "install-guide";
const DOWNLOAD_ICON = "M5 20h14v-2H5m14-9h-4V3H9v6H5l7 7 7-7Z"; // Material Design's "download"

let offer = null; // the browser's install prompt, kept until the reader asks for it

const button = h("button", {
  type: "button", class: "kasibi-install", "data-install": "", hidden: "", title: t("app.install_title"),
}, svg("svg", { viewBox: "0 0 24 24", "aria-hidden": "true" }, svg("path", { d: DOWNLOAD_ICON })),
h("span", null, t("app.install")));

const header = document.querySelector(".md-header__inner");
header?.insertBefore(button, header.querySelector("label[for=__search]"));

addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault(); // the header's button offers it instead of the browser's own banner
  offer = event;
  button.hidden = false;
});

button.addEventListener("click", () => {
  const asked = offer;
  offer = null;
  button.hidden = true; // a prompt is shown once; the browser sends another offer if the reader declines
  asked?.prompt();
});

addEventListener("appinstalled", () => {
  offer = null;
  button.hidden = true;
});

// iPadOS asks for the desktop site with a Mac's user agent: a Mac with a touch screen is an iPad.
const appleTouch = /iPhone|iPad|iPod/.test(navigator.userAgent)
  || (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);

function guide() {
  const close = h("button", { type: "button", class: "md-button", "data-install-guide-close": "" }, t("app.guide_close"));
  const box = h("aside", { class: "admonition tip kasibi-install-guide", "data-install-guide": "", "aria-labelledby": "kasibi-install-guide" },
    h("p", { class: "admonition-title", id: "kasibi-install-guide" }, t("app.guide_label")), h("p", null, t("app.guide")), h("p", null, close));
  close.addEventListener("click", () => {
    markSeen(GUIDE);
    box.remove();
  });
  document.querySelector(".md-content__inner")?.prepend(box);
}

if (appleTouch && navigator.standalone !== true && !hasSeen(GUIDE)) guide();
