// Installs the service worker (site root, sw.js) so the site works offline after one visit to a
// self-assessment, and tells the teacher when a newer version of the site has taken over this tab.
// With Save-Data on (a phone on a metered link) nothing is fetched beyond the page asked for.

import { h } from "../utilities/dom.js";
import { SETTLED_EVENT } from "../engine/engine-client.js";
import { siteRoot } from "../utilities/paths.js";
import { t } from "../utilities/strings.js";

// Offline copies are made after the page has what it needs: the page first, the whole site later.
const SETTLE_MS = 5000;

// The registration, or null when the browser refuses it (the server self-check page says why).
export function register() {
  return navigator.serviceWorker.register(new URL("sw.js", siteRoot), { scope: siteRoot.pathname, updateViaCache: "none" })
    .catch(() => null); // offline use is a bonus: the site works online without it
}

// On a page that runs the engine (<meta name="kasibi-engine">) the offline copy waits until the engine has
// started, so the two never share a slow link; then the worker keeps a copy of the engine's files
// (this page fetched them before the worker existed), and every self-assessment works offline.
// A page whose engine never settles still gets its offline copy, later.
const ENGINE_WAIT_MS = 120_000;

function afterEngine(then) {
  let done = false;
  const once = () => {
    if (!done) then();
    done = true;
  };
  addEventListener(SETTLED_EVENT, once, { once: true });
  setTimeout(once, ENGINE_WAIT_MS);
}

async function installWithEngine() {
  await register();
  const registration = await navigator.serviceWorker.ready;
  registration.active?.postMessage({ type: "cache-engine" });
}

if ("serviceWorker" in navigator && location.protocol !== "file:" && !navigator.connection?.saveData) {
  const hadController = Boolean(navigator.serviceWorker.controller);
  if (hadController) register(); // already installed: check for a new version at once
  else if (document.querySelector("meta[name=kasibi-engine]")) afterEngine(installWithEngine);
  else addEventListener("load", () => setTimeout(register, SETTLE_MS), { once: true });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (!hadController) return; // the first install: this page is already the current version
    const reload = h("button", { type: "button", class: "md-button md-button--primary" }, t("site.reload"));
    reload.addEventListener("click", () => location.reload());
    document.querySelector(".md-content__inner")?.prepend(
      h("div", { class: "admonition info kasibi-update", role: "status" }, h("p", null, t("site.updated"), " ", reload)));
  });
}
