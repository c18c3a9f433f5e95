// Installs the service worker (site root, sw.js) so the site works offline after one visit, and
// tells the teacher when a newer version of the site has taken over this tab.

import { h } from "./dom.js";
import { siteRoot } from "./paths.js";
import { t } from "./strings.js";

// Offline copies are made after the page has what it needs: the page first, the whole site later.
const SETTLE_MS = 5000;

// The registration, or null when the browser refuses it (the server self-check page says why).
export function register() {
  return navigator.serviceWorker.register(new URL("sw.js", siteRoot), { scope: siteRoot.pathname, updateViaCache: "none" })
    .catch(() => null); // offline use is a bonus: the site works online without it
}

if ("serviceWorker" in navigator && location.protocol !== "file:") {
  const hadController = Boolean(navigator.serviceWorker.controller);
  if (hadController) register(); // already installed: check for a new version at once
  else addEventListener("load", () => setTimeout(register, SETTLE_MS), { once: true });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!hadController) return; // the first install: this page is already the current version
    const reload = h("button", { type: "button", class: "md-button md-button--primary" }, t("site.reload"));
    reload.addEventListener("click", () => location.reload());
    document.querySelector(".md-content__inner")?.prepend(
      h("div", { class: "admonition info kasibi-update", role: "status" }, h("p", null, t("site.updated"), " ", reload)));
  });
}
