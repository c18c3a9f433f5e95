// Module Web Worker: loads Pyodide from this site (never a CDN) and the site's Python (the package
// `kasibi`: generator/browser), then answers requests. Pyodide 314 refuses classic workers,
// hence `type: "module"`. The messages it answers and sends are declared in messages.js.

import { BUILD } from "../build.js";
import { PING, REPLY, REQUEST } from "./messages.js";
import { bundleUrl, dataUrl, runtimeUrl } from "../utilities/paths.js";
import { isModuleLoadError, wrongScriptType } from "./script-type.js";

const engineUrl = new URL("engine/", bundleUrl);
const MODULES = BUILD.modules; // generator/browser
const PROGRESS_MS = 250;
const sources = new Map();

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${new URL(url).pathname}`);
  return response.text();
}

// A failed fetch is not kept: the next request asks the server again.
function cachedText(url) {
  if (!sources.has(url)) {
    const text = fetchText(url);
    text.catch(() => sources.delete(url));
    sources.set(url, text);
  }
  return sources.get(url);
}

// Every byte of the start is counted as it arrives, so the page can show the progress and tell a
// slow link (bytes keep coming, however long it takes) from a stalled one.
// The total is the build's count of what is fetched (decoded), whatever the server's encoding.
const download = { loaded: 0, total: BUILD.download, downloads: 0, reported: 0, started: false };
const networkFetch = globalThis.fetch.bind(globalThis);

function reportProgress(now = false) {
  if (!now && Date.now() - download.reported < PROGRESS_MS) return;
  download.reported = Date.now();
  const { loaded, total, downloads } = download;
  postMessage({ type: REPLY.progress, loaded: Math.min(loaded, total), total, downloads });
}

function countedFetch(input, init) {
  if (download.started) return networkFetch(input, init);
  download.downloads++;
  const finished = () => {
    download.downloads--;
    reportProgress(true);
  };
  return networkFetch(input, init).then((response) => {
    reportProgress(true);
    if (!response.body) {
      finished();
      return response;
    }
    const counter = new TransformStream({
      transform(chunk, controller) {
        download.loaded += chunk.byteLength;
        reportProgress();
        controller.enqueue(chunk);
      },
      flush: finished,
    });
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
  }, (error) => {
    finished();
    throw error;
  });
}
globalThis.fetch = countedFetch;

// Pyodide reports a WebAssembly start that failed with console.warn and leaves loadPyodide
// pending for ever; turn that report into an error.
function wasmFailure() {
  return new Promise((_, reject) => {
    for (const level of ["warn", "error"]) {
      const original = console[level];
      console[level] = (...args) => {
        original(...args);
        if (String(args[0]).includes("wasm instantiation failed")) reject(new Error("pyodide.asm.wasm"));
      };
    }
  });
}

// A server that does not know `.mjs` makes the start fail with a bare "Failed to fetch dynamically
// imported module": find which file and which type, so the page can tell the IT person what to fix.
class ScriptTypeError extends Error {
  constructor(file, type) {
    super(`${file}: ${type}`);
    this.scriptType = { file: ".mjs", type };
  }
}

async function checkScriptTypes(error) {
  if (!isModuleLoadError(error)) throw error;
  for (const file of ["pyodide.mjs", "pyodide.asm.mjs"]) {
    const type = await wrongScriptType(new URL(file, runtimeUrl).href);
    if (type) throw new ScriptTypeError(file, type);
  }
  throw error;
}

// Browsers compile WebAssembly from a stream only when the server says application/wasm; many
// intranet servers (IIS, old nginx) do not know the type. Fall back to compiling the bytes, and
// report it so the page can tell the IT person what to fix.
let wrongWasmType = null;
for (const name of ["compileStreaming", "instantiateStreaming"]) {
  const streaming = WebAssembly[name];
  WebAssembly[name] = async (source, ...rest) => {
    const response = await source;
    const type = (response.headers.get("content-type") ?? "").split(";")[0].trim();
    if (type === "application/wasm") return streaming.call(WebAssembly, response, ...rest);
    wrongWasmType = type || "(none)";
    const bytes = await response.arrayBuffer();
    return name === "compileStreaming" ? WebAssembly.compile(bytes) : WebAssembly.instantiate(bytes, ...rest);
  };
}

// Restoring the build's snapshot of Pyodide's memory (generator/ship/snapshot.py: the site's Python already
// imported) skips Python's own start, the most of a start's time on a school PC. It is 6 MB more, so it
// is restored when this browser already keeps it, or fetched at once on a fast link; otherwise the
// engine starts the usual way and fetches it afterwards for the next start. With Save-Data on it is
// never fetched.
const snapshotUrl = new URL("snapshot.bin", engineUrl).href;
const FAST_LINK_MBPS = 10; // Chromium's highest estimate (it rounds down to this)
const LAN_FETCH_MS = 60; // a small file, asked and fully arrived, on a school's LAN (most mobile links take longer)
// A build whose Node could not make it has none (generator/ship/snapshot.py): then it is never asked for.
const useSnapshot = typeof DecompressionStream === "function" && Boolean(BUILD.downloadWithSnapshot);
const saveData = Boolean(navigator.connection?.saveData);

// Fast: Chromium estimates so, or (not on a phone's mobile data) every file this worker has fetched
// from the network so far arrived within a LAN's time: Chromium's estimate leaves out an intranet.
// The files are Pyodide's loader (6 KB compressed): the worker's own imports are not in its timeline.
function fastLink() {
  if (saveData || navigator.connection?.type === "cellular") return false;
  if (navigator.connection?.downlink >= FAST_LINK_MBPS) return true;
  const fetched = performance.getEntriesByType("resource").filter((entry) => entry.transferSize > 0);
  return fetched.length > 0 && fetched.every((entry) => entry.duration <= LAN_FETCH_MS);
}

// The kept copy, or null: the service worker's cache read here (no hop through it), then the
// browser's HTTP cache (only-if-cached never asks the network).
async function keptSnapshot() {
  const cached = await globalThis.caches?.match(snapshotUrl).catch(() => null);
  return cached ?? fetch(snapshotUrl, { cache: "only-if-cached", mode: "same-origin" }).catch(() => null);
}

async function snapshotToRestore() {
  if (!useSnapshot) return null;
  let response = await keptSnapshot();
  if (!response?.ok && fastLink()) response = await fetch(snapshotUrl);
  if (!response?.ok) return null;
  download.total = BUILD.downloadWithSnapshot;
  return response;
}

function unpacked(response) {
  return new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

// For the next start: read to the end, so the browser (and the service worker) keeps it.
function fetchSnapshotForLater() {
  if (useSnapshot && !saveData) networkFetch(snapshotUrl).then((response) => response.arrayBuffer()).catch(() => {});
}

function startPyodide(loadPyodide, snapshot) {
  const failed = wasmFailure();
  failed.catch(() => {}); // only the race below reads it
  return Promise.race([
    // packageBaseUrl keeps Pyodide's default package CDN out of reach: everything comes from this site.
    // stdLibURL: the standard library trimmed to what the site's Python imports (generator/ship/stdlib.py).
    loadPyodide({
      indexURL: runtimeUrl.href,
      packageBaseUrl: runtimeUrl.href,
      stdLibURL: new URL("python_stdlib.zip", engineUrl).href,
      ...(snapshot && { _loadSnapshot: unpacked(snapshot) }),
    }).catch(checkScriptTypes),
    failed,
  ]);
}

async function restore(loadPyodide, snapshot) {
  try {
    const pyodide = await startPyodide(loadPyodide, snapshot);
    // Every copy of the snapshot holds the same random state: draw a new one from this browser.
    pyodide.runPython("import random; random.seed()");
    return pyodide;
  } catch (error) {
    console.warn("kasibi: the start-up snapshot did not restore; starting Python the usual way", error);
    return null;
  }
}

async function startFresh(loadPyodide) {
  // The site's Python downloads while Pyodide starts, not after it.
  const sources = MODULES.map((name) => fetchText(new URL(`${name}.py`, engineUrl).href));
  sources.forEach((text) => text.catch(() => {})); // read below, after the start
  const pyodide = await startPyodide(loadPyodide, null);
  pyodide.FS.mkdirTree("/home/pyodide/kasibi");
  pyodide.FS.writeFile("/home/pyodide/kasibi/__init__.py", "");
  const texts = await Promise.all(sources);
  MODULES.forEach((name, n) => pyodide.FS.writeFile(`/home/pyodide/kasibi/${name}.py`, texts[n]));
  return pyodide;
}

async function start() {
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtimeUrl).href).catch(checkScriptTypes);
  const snapshot = await snapshotToRestore().catch(() => null);
  let pyodide = snapshot && (await restore(loadPyodide, snapshot));
  const from = pyodide ? "snapshot" : "start";
  if (!pyodide) {
    download.total = BUILD.download;
    pyodide = await startFresh(loadPyodide);
  }
  download.started = true;
  // Modules are imported when first used: a self-assessment never pays for the Word writer's imports
  // (restored from the snapshot, every module is already imported).
  const imported = {};
  const python = (name) => (imported[name] ??= pyodide.pyimport(`kasibi.${name}`));
  const version = pyodide.runPython("import sys; sys.version.split()[0]");
  return { python, version, from, wrongWasmType, toPy: (value) => pyodide.toPy(value) };
}

const ready = start();

ready.then(
  ({ python, version, from, wrongWasmType: served }) => {
    postMessage({ type: REPLY.ready, engine: python("engine").ENGINE_VERSION, python: version, from, wasmType: served });
    if (from === "start") fetchSnapshotForLater();
  },
  (error) => postMessage({ type: REPLY.failed, reason: String(error?.message ?? error), scriptType: error?.scriptType }),
);

// The school summary needs every compiled instrument in the page's language: one JSON object of them by id,
// read once per language.
const instruments = new Map();
function allInstruments(lang) {
  if (!instruments.has(lang)) {
    const folder = dataUrl("instruments/", lang);
    const all = cachedText(new URL("index.json", folder).href).then(async (index) => {
      const ids = JSON.parse(index).map((entry) => entry.id);
      const texts = await Promise.all(ids.map((id) => cachedText(new URL(`${id}.json`, folder).href)));
      return `{${ids.map((id, n) => `${JSON.stringify(id)}:${texts[n]}`).join(",")}}`;
    });
    all.catch(() => instruments.delete(lang));
    instruments.set(lang, all);
  }
  return instruments.get(lang);
}

function bytesOut(proxy) {
  try {
    return proxy.toJs();
  } finally {
    proxy.destroy();
  }
}

// One handler per request type of messages.js: the request's data in, the result out.
const handlers = {
  [REQUEST.score]: async (python, data) =>
    JSON.parse(python("engine").score_json(await cachedText(data.src), JSON.stringify(data.answers))),
  [REQUEST.compare]: (python, data) =>
    JSON.parse(python("engine").compare_json(JSON.stringify(data.older), JSON.stringify(data.newer))),
  [REQUEST.completion]: async (python, data) =>
    JSON.parse(python("documents").completion_json(await cachedText(data.src), JSON.stringify(data.values))),
  [REQUEST.docx]: async (python, data) =>
    bytesOut(python("docx").build_docx_json(await cachedText(data.src), JSON.stringify(data.values))),
  [REQUEST.share]: async (python, data) => python("aggregate").share_json(await cachedText(data.src), JSON.stringify(data.answers),
    JSON.stringify(data.result), JSON.stringify(data.facts), data.shareId, data.month),
  [REQUEST.shareContents]: async (python, data) =>
    JSON.parse(python("aggregate").share_contents_json(await cachedText(data.src), JSON.stringify(data.facts))),
  [REQUEST.aggregate]: async (python, data, toPy) => {
    const module = python("aggregate");
    const instrumentsJson = await allInstruments(data.lang);
    const names = toPy(data.files.map((file) => file.name));
    const blobs = toPy(data.files.map((file) => file.bytes));
    try {
      return { summary: module.aggregate_files(names, blobs, instrumentsJson), named: module.pairs_files(names, blobs, instrumentsJson) };
    } finally {
      names.destroy();
      blobs.destroy();
    }
  },
  [REQUEST.report]: async (python, data) => JSON.parse(python("aggregate").report_json(data.summary, await allInstruments(data.lang),
    data.earlier ?? "", data.named ?? "")),
  // A report is laid out as a template of fixed tables (word-layout.js) and written by the same Word writer.
  [REQUEST.layoutDocx]: (python, data) => bytesOut(python("docx").build_docx_json(JSON.stringify(data.document), "{}")),
  // The attestation pack: a cover, the contents, each part (a report's layout or a filled template), the evidence.
  [REQUEST.packDocx]: (python, data) => bytesOut(python("docx").build_pack_json(JSON.stringify(data.pack))),
};

onmessage = async ({ data }) => {
  if (data?.type === PING) {
    postMessage({ type: REPLY.pong });
    return;
  }
  const handler = Object.hasOwn(handlers, data?.type) ? handlers[data.type] : null;
  if (!handler) return;
  try {
    const { python, toPy } = await ready;
    const output = await handler(python, data, toPy);
    if (output?.error) postMessage({ type: REPLY.error, id: data.id, reason: output.error });
    else postMessage({ type: REPLY.result, id: data.id, result: output });
  } catch (error) {
    // A Python exception arrives as a PythonError whose message ends with the exception's own line.
    const reason = String(error?.message ?? error).trim().split("\n").at(-1);
    postMessage({ type: REPLY.error, id: data.id, reason });
  }
};
