// The server self-check page (server-check.html, linked from the hosting notes, not from the
// teachers' navigation): checks, in this browser, what a school's web server may get wrong, and says
// each result in the page's language and in the site's other one (Kazakh and Russian): the IT person may read
// either. Every check asks the server itself; nothing is sent anywhere.

import { EDITIONS } from "../build.js";
import { h, scrollBox } from "../utilities/dom.js";
import { register } from "./offline.js";
import { bundleUrl, dataUrl, edition, lang, runtimeUrl, siteRoot, version } from "../utilities/paths.js";
import { fill, t } from "../utilities/strings.js";

const JS_TYPES = ["text/javascript", "application/javascript", "application/x-javascript", "text/ecmascript"];
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const INSTALL_WAIT_MS = 180_000; // the whole site (about 40 MB) on a slow school network
const LOW_STORAGE_MB = 100;

// A result: ok, warn or fail, and one message (a catalogue key and its values) said in both languages.
const result = (status, key, values = {}) => ({ status, key, values });
const mb = (bytes) => (bytes / 1_000_000).toFixed(0);
const mimeOf = (response) => (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();

async function ask(url, method = "GET") {
  return fetch(url, { method, cache: "no-store" });
}

function firstTemplateDocx() {
  const key = Object.keys(edition.pages).find((k) => k.startsWith("template:"));
  return key && dataUrl(`templates/${key.slice("template:".length)}.docx`);
}

function mimeCheck(ext, url, expected) {
  return {
    id: `mime${ext}`,
    label: ["check.mime.label", { ext }],
    async run() {
      const response = await ask(url, "HEAD");
      const file = url.pathname.slice(siteRoot.pathname.length);
      if (!response.ok) return result("fail", "check.mime.missing", { status: response.status, file });
      const type = mimeOf(response) || "—";
      return expected.includes(type)
        ? result("ok", "check.mime.ok", { type })
        : result("fail", "check.mime.wrong", { type, expected: expected[0], ext });
    },
  };
}

const secureContext = {
  id: "secure-context",
  label: ["check.secure.label"],
  async run() {
    return isSecureContext
      ? result("ok", "check.secure.ok", { origin: location.origin })
      : result("warn", "check.secure.plain");
  },
};

// Why the service worker could not be registered or installed: what the server says about sw.js.
async function workerFailure() {
  const response = await ask(new URL("sw.js", siteRoot));
  if (!response.ok) return `sw.js — ${response.status}`;
  const type = mimeOf(response);
  return JS_TYPES.includes(type) ? "sw.js" : `sw.js — ${type || "?"}`;
}

function installed(registration) {
  return new Promise((resolve) => {
    if (registration.active) return resolve("active");
    const worker = registration.installing ?? registration.waiting;
    const timer = setTimeout(() => resolve("pending"), INSTALL_WAIT_MS);
    worker?.addEventListener("statechange", () => {
      if (worker.state === "activated" || worker.state === "redundant") {
        clearTimeout(timer);
        resolve(worker.state === "activated" ? "active" : "failed");
      }
    });
  });
}

const serviceWorker = {
  id: "service-worker",
  label: ["check.sw.label"],
  async run() {
    if (!("serviceWorker" in navigator)) return result("warn", "check.sw.unavailable");
    const registration = await register();
    const state = registration ? await installed(registration) : "failed";
    if (state === "active") return result("ok", "check.sw.active");
    if (state === "pending") return result("warn", "check.sw.pending");
    return result("fail", "check.sw.failed", { reason: await workerFailure() });
  },
};

// sw.js begins with the build's VERSION and PRECACHE (generator/build/publish.py): what a full copy holds.
async function precacheList() {
  const text = await (await ask(new URL("sw.js", siteRoot))).text();
  const value = (name) => JSON.parse(text.match(new RegExp(`^const ${name} = (.*);$`, "m"))[1]);
  return { cache: `kasibi-${value("VERSION")}`, files: value("PRECACHE") };
}

const offlineCopy = {
  id: "offline-copy",
  label: ["check.cache.label"],
  after: serviceWorker,
  async run() {
    if (typeof caches === "undefined") return result("warn", "check.cache.unavailable");
    const { cache: name, files } = await precacheList();
    const cache = await caches.open(name);
    const found = await Promise.all(files.map((file) => cache.match(new URL(file, siteRoot), { ignoreSearch: true })));
    const cached = found.filter(Boolean).length;
    return cached === files.length
      ? result("ok", "check.cache.complete", { count: files.length })
      : result("warn", "check.cache.partial", { cached, count: files.length });
  },
};

const storage = {
  id: "storage",
  label: ["check.storage.label"],
  after: offlineCopy,
  async run() {
    if (!navigator.storage?.estimate) return result("warn", "check.storage.unavailable");
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    const values = { used: mb(usage), free: mb(quota - usage) };
    return quota - usage < LOW_STORAGE_MB * 1_000_000
      ? result("warn", "check.storage.low", values)
      : result("ok", "check.storage.ok", values);
  },
};

const deployedVersion = {
  id: "version",
  label: ["check.version.label"],
  async run() {
    const response = await ask(new URL("index.html", siteRoot));
    if (!response.ok) return result("fail", "check.version.unknown", { status: response.status });
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    const deployed = /** @type {HTMLMetaElement | null} */ (html.querySelector("meta[name=kasibi-version]"))?.content ?? "?";
    return deployed === version
      ? result("ok", "check.version.ok", { version })
      : result("warn", "check.version.differs", { deployed, page: version });
  },
};

const contentSecurityPolicy = {
  id: "csp",
  label: ["check.csp.label"],
  async run() {
    const policy = (await ask(location.href)).headers.get("content-security-policy");
    if (!policy) return result("warn", "check.csp.absent");
    const scripts = policy.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
    return scripts.includes("'wasm-unsafe-eval'") ? result("ok", "check.csp.ok") : result("fail", "check.csp.no_wasm");
  },
};

// What a fingerprinted file (kept a year), the 10 MB engine (sent compressed) and a missing address
// (the site's own 404 page) show of the server's configuration. HEAD requests pass the service worker by.
const ENGINE_FILE = new URL("pyodide.asm.wasm", runtimeUrl);
const LONG_CACHE_S = 30 * 24 * 3600;

const longCache = {
  id: "long-cache",
  label: ["check.longcache.label"],
  async run() {
    const value = (await ask(new URL("pyodide.mjs", runtimeUrl), "HEAD")).headers.get("cache-control") ?? "";
    const maxAge = Number(value.match(/max-age=(\d+)/)?.[1] ?? 0);
    return maxAge >= LONG_CACHE_S
      ? result("ok", "check.longcache.ok", { value })
      : result("warn", "check.longcache.missing", { value: value || "—" });
  },
};

const compression = {
  id: "compression",
  label: ["check.compress.label"],
  async run() {
    const coding = (await ask(ENGINE_FILE, "HEAD")).headers.get("content-encoding");
    return coding ? result("ok", "check.compress.ok", { coding }) : result("warn", "check.compress.missing");
  },
};

const notFound = {
  id: "not-found",
  label: ["check.notfound.label"],
  async run() {
    const response = await ask(new URL(`server-check-missing-${Date.now()}.html`, siteRoot));
    if (response.status !== 404) return result("warn", "check.notfound.status", { status: response.status });
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    return html.querySelector("[data-kasibi-home]")
      ? result("ok", "check.notfound.ok")
      : result("warn", "check.notfound.plain");
  },
};

// Apache applies site/.htaccess only where AllowOverride allows it, and each part only with its module:
// the file's own type for .py (mod_mime, always on) shows it is read at all, the site's 404 page shows
// mod_rewrite, the long cache or the CSP shows mod_headers.
const apache = {
  id: "apache",
  label: ["check.apache.label"],
  after: [longCache, notFound],
  async run(outcomes) {
    const server = (await ask(new URL("index.html", siteRoot), "HEAD")).headers.get("server") ?? "";
    if (!/apache/i.test(server)) return result("skip", "check.apache.other", { server: server || "—" });
    const python = await ask(new URL("engine/engine.py", bundleUrl), "HEAD");
    if (mimeOf(python) !== "text/plain") return result("warn", "check.apache.ignored");
    const policy = (await ask(location.href, "HEAD")).headers.get("content-security-policy");
    const missing = [
      ...(outcomes.get(notFound).status === "ok" ? [] : ["rewrite"]),
      ...(outcomes.get(longCache).status === "ok" || policy ? [] : ["headers"]),
    ];
    return missing.length
      ? result("warn", "check.apache.modules", { modules: missing.map((m) => `mod_${m}`).join(", "), names: missing.join(" ") })
      : result("ok", "check.apache.ok");
  },
};

const CHECKS = [
  mimeCheck(".wasm", ENGINE_FILE, ["application/wasm"]),
  mimeCheck(".mjs", new URL("pyodide.mjs", runtimeUrl), JS_TYPES),
  mimeCheck(".json", dataUrl("instruments/index.json"), ["application/json"]),
  ...(firstTemplateDocx() ? [mimeCheck(".docx", firstTemplateDocx(), [DOCX])] : []),
  secureContext,
  serviceWorker,
  offlineCopy,
  storage,
  deployedVersion,
  contentSecurityPolicy,
  longCache,
  compression,
  notFound,
  apache,
];

// One text in both languages: the page's, then the other, each marked with its language for screen readers.
const other = Object.keys(EDITIONS).find((language) => language !== lang) ?? lang;
const OTHER = EDITIONS[other].ui;
function both(key, values = {}) {
  return [h("span", { lang }, t(key, values)), h("br"), h("span", { lang: other }, fill(OTHER, key, values))];
}

function row(check) {
  const cell = h("td", null, both("check.waiting"));
  const tr = h("tr", { "data-check": check.id, "data-status": "waiting" }, h("th", { scope: "row" }, both(...check.label)), cell);
  function show(outcome) {
    tr.dataset.status = outcome.status;
    const [own, , second] = both(`check.status.${outcome.status}`);
    cell.replaceChildren(h("strong", null, own, " / ", second), h("br"), ...both(outcome.key, outcome.values));
  }
  return { tr, show };
}

async function runAll(root) {
  const summary = h("p", { "data-summary": "", role: "status" }, both("check.waiting"));
  const rows = new Map(CHECKS.map((check) => [check, row(check)]));
  // on a phone the table scrolls sideways in a named box the keyboard can reach and scroll
  const name = `${t("check.table")} / ${fill(OTHER, "check.table")}`;
  root.replaceChildren(summary, scrollBox(name, h("table", { "aria-label": name },
    h("thead", null, h("tr", null, h("th", null, both("check.column.check")), h("th", null, both("check.column.result")))),
    h("tbody", null, [...rows.values()].map((r) => r.tr)))));
  const done = new Map();
  const run = (check) => {
    if (!done.has(check)) {
      done.set(check, (async () => {
        const before = [check.after ?? []].flat();
        const earlier = new Map(await Promise.all(before.map(async (b) => /** @type {const} */ ([b, await run(b)]))));
        const outcome = await check.run(earlier).catch((error) => result("fail", "check.error", { reason: String(error) }));
        rows.get(check).show(outcome);
        return outcome;
      })());
    }
    return done.get(check);
  };
  const outcomes = await Promise.all(CHECKS.map(run));
  const count = (status) => outcomes.filter((o) => o.status === status).length;
  summary.replaceChildren(...(count("fail") + count("warn") === 0
    ? both("check.summary.ok") : both("check.summary.problems", { fail: count("fail"), warn: count("warn") })));
  root.dataset.done = "";
}

const root = document.querySelector("[data-server-check]");
if (root) runAll(root);
