// Which files of the standard library zip the site's Python imports, in real Pyodide (Node), the
// way the worker runs it (site_src/js/engine/worker.js): the runtime's own start, then every case.
//   node stdlib_probe.mjs BROWSER_DIR CASES.json [STDLIB_ZIP]  →  one JSON object on stdout
// CASES.json: [{"module", "function", "args", "raises"?}, …]; an argument {"bytes": base64} is a
// Uint8Array and an array goes through toPy, as the worker passes them; a case with "raises" must
// fail, as a bad file does (its Python traceback is formatted, which imports modules too).
// Output: {"python", "outputs": [string results; bytes as base64], "imported": [paths inside the zip]}
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const [browserDir, casesPath, stdLib] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const pyodideDir = dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(`${pyodideDir}/pyodide.mjs`);

const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/`, ...(stdLib ? { stdLibURL: stdLib } : {}) });
pyodide.FS.mkdirTree("/home/pyodide/kasibi");
pyodide.FS.writeFile("/home/pyodide/kasibi/__init__.py", "");
for (const name of readdirSync(browserDir).filter((file) => file.endsWith(".py") && file !== "__init__.py")) {
  pyodide.FS.writeFile(`/home/pyodide/kasibi/${name}`, readFileSync(join(browserDir, name), "utf8"));
}
const python = pyodide.runPython("import sys; sys.version.split()[0]");
const argument = (value) => {
  if (Array.isArray(value)) return pyodide.toPy(value.map(argument));
  if (value?.bytes !== undefined) return new Uint8Array(Buffer.from(value.bytes, "base64"));
  return value;
};
const modules = {};
const outputs = [];
for (const { module, function: name, args, raises } of JSON.parse(readFileSync(casesPath, "utf8"))) {
  modules[module] ??= pyodide.pyimport(`kasibi.${module}`);
  let output;
  try {
    output = modules[module][name](...args.map(argument));
  } catch (error) {
    if (!raises) throw error;
    outputs.push(`raised ${String(error.message).trim().split("\n").at(-1)}`);
    continue;
  }
  if (raises) throw new Error(`${module}.${name} did not raise`);
  if (typeof output === "string") outputs.push(output);
  else {
    outputs.push(Buffer.from(output.toJs()).toString("base64"));
    output.destroy();
  }
}
modules.engine.ENGINE_VERSION;  // the worker's "ready" message reads it
const imported = JSON.parse(pyodide.runPython(`
import sys
ZIP = f"/lib/python{sys.version_info[0]}{sys.version_info[1]}.zip/"
files = {getattr(m, "__file__", None) or "" for m in list(sys.modules.values())}
"[" + ",".join(sorted(f'"{f[len(ZIP):]}"' for f in files if f.startswith(ZIP))) + "]"
`));
process.stdout.write(JSON.stringify({ python, outputs, imported }));
