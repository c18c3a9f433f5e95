// Run the site's Python inside real Pyodide (Node), for the CPython parity tests.
//   node pyodide_score.mjs BROWSER_DIR CASES.json  (BROWSER_DIR: generator/browser)  →  one output per line on stdout
// CASES.json: [{"module": "engine", "function": "score_json", "args": ["…", "…"]}, …]
// String results are printed as they are; bytes (a .docx) as base64.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const [browserDir, casesPath] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const pyodideDir = dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(`${pyodideDir}/pyodide.mjs`);

const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/` });
pyodide.FS.mkdirTree("/home/pyodide/kasibi");
pyodide.FS.writeFile("/home/pyodide/kasibi/__init__.py", "");
for (const name of readdirSync(browserDir).filter((file) => file.endsWith(".py") && file !== "__init__.py")) {
  pyodide.FS.writeFile(`/home/pyodide/kasibi/${name}`, readFileSync(join(browserDir, name), "utf8"));
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
