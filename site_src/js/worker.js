// Module Web Worker: loads Pyodide from this site (never a CDN) and the scoring engine,
// then scores answers on request. Pyodide 314 refuses classic workers, hence `type: "module"`.
//
//   → {type: "score", id, src, answers}        src: the compiled instrument's URL
//   → {type: "compare", id, older, newer}      two results of one instrument
//   ← {type: "ready", engine, python} | {type: "failed", reason}
//   ← {type: "result", id, result} | {type: "error", id, reason}

const runtimeUrl = new URL("../pyodide/", import.meta.url);
const engineUrl = new URL("../engine/engine.py", import.meta.url);
const instruments = new Map();

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${new URL(url).pathname}`);
  return response.text();
}

const START_LIMIT_MS = 180_000;

// Pyodide reports a WebAssembly start that failed with console.warn and leaves loadPyodide
// pending for ever; turn that report (or a start that never ends) into an error.
function startFailure() {
  return new Promise((_, reject) => {
    for (const level of ["warn", "error"]) {
      const original = console[level];
      console[level] = (...args) => {
        original(...args);
        if (String(args[0]).includes("wasm instantiation failed")) reject(new Error("pyodide.asm.wasm"));
      };
    }
    setTimeout(() => reject(new Error(`timeout ${START_LIMIT_MS / 1000} s`)), START_LIMIT_MS);
  });
}

async function start() {
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtimeUrl).href);
  const pyodide = await Promise.race([
    // packageBaseUrl keeps Pyodide's default package CDN out of reach: everything comes from this site.
    loadPyodide({ indexURL: runtimeUrl.href, packageBaseUrl: runtimeUrl.href }),
    startFailure(),
  ]);
  pyodide.FS.writeFile("/home/pyodide/kasibi_engine.py", await fetchText(engineUrl.href));
  const engine = pyodide.pyimport("kasibi_engine");
  const python = pyodide.runPython("import sys; sys.version.split()[0]");
  return { engine, version: engine.ENGINE_VERSION, python };
}

const ready = start();

ready.then(
  ({ version, python }) => postMessage({ type: "ready", engine: version, python }),
  (error) => postMessage({ type: "failed", reason: String(error?.message ?? error) }),
);

async function instrumentJson(src) {
  if (!instruments.has(src)) instruments.set(src, fetchText(src));
  return instruments.get(src);
}

async function run(engine, data) {
  if (data.type === "score") {
    return engine.score_json(await instrumentJson(data.src), JSON.stringify(data.answers));
  }
  return engine.compare_json(JSON.stringify(data.older), JSON.stringify(data.newer));
}

onmessage = async ({ data }) => {
  if (data?.type !== "score" && data?.type !== "compare") return;
  try {
    const { engine } = await ready;
    const output = JSON.parse(await run(engine, data));
    if (output.error) postMessage({ type: "error", id: data.id, reason: output.error });
    else postMessage({ type: "result", id: data.id, result: output });
  } catch (error) {
    postMessage({ type: "error", id: data.id, reason: String(error?.message ?? error) });
  }
};
