// Run the site's Python inside real Pyodide (Node), for the CPython parity tests.
//   node pyodide_score.mjs BROWSER_DIR CASES.json  (BROWSER_DIR: generator/browser)  →  one output per line on stdout
//   node pyodide_score.mjs --snapshot ENGINE_DIR CASES.json  (a built site's engine folder): restores its snapshot.bin
//     on its python_stdlib.zip, as the browser's worker does, instead of starting Python and writing the sources
// CASES.json: [{"module": "engine", "function": "score_json", "args": ["…", "…"]}, …]
// String results are printed as they are; bytes (a .docx) as base64.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";

const restore = process.argv[2] === "--snapshot";
const [sourceDir, casesPath] = process.argv.slice(restore ? 3 : 2);
const require = createRequire(import.meta.url);
const pyodideDir = dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(`${pyodideDir}/pyodide.mjs`);

let pyodide;
if (restore) {
  pyodide = await loadPyodide({
    indexURL: `${pyodideDir}/`,
    stdLibURL: join(sourceDir, "python_stdlib.zip"),
    _loadSnapshot: gunzipSync(readFileSync(join(sourceDir, "snapshot.bin"))),
  });
} else {
  pyodide = await loadPyodide({ indexURL: `${pyodideDir}/` });
  pyodide.FS.mkdirTree("/home/pyodide/kasibi");
  pyodide.FS.writeFile("/home/pyodide/kasibi/__init__.py", "");
  for (const name of readdirSync(sourceDir).filter((file) => file.endsWith(".py") && file !== "__init__.py")) {
    pyodide.FS.writeFile(`/home/pyodide/kasibi/${name}`, readFileSync(join(sourceDir, name), "utf8"));
  }
}
process.stderr.write(`python ${pyodide.runPython("import sys; sys.version.split()[0]")}\n`);
const modules = {};
for (const { module, function: name, args } of JSON.parse(readFileSync(casesPath, "utf8"))) {
  modules[module] ??= pyodide.pyimport(`kasibi.${module}`);
  const output = modules[module][name](...args);
  if (typeof output === "string") process.stdout.write(`${output}\n`);
  else {
    process.stdout.write(`${Buffer.from(output.toJs()).toString("base64")}\n`);
    output.destroy();
  }
}
