// Score answer sets with the engine inside real Pyodide (Node), for the CPython parity test.
//   node pyodide_score.mjs ENGINE.py CASES.json  →  one result JSON per line on stdout
// CASES.json: [{"instrument": <compiled instrument>, "answers": {...}}, ...]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";

const [enginePath, casesPath] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const pyodideDir = dirname(require.resolve("pyodide/package.json"));
const { loadPyodide } = await import(`${pyodideDir}/pyodide.mjs`);

const pyodide = await loadPyodide({ indexURL: `${pyodideDir}/` });
pyodide.FS.writeFile("/home/pyodide/kasibi_engine.py", readFileSync(enginePath, "utf8"));
const engine = pyodide.pyimport("kasibi_engine");
const version = pyodide.runPython("import sys; sys.version.split()[0]");
process.stderr.write(`python ${version}\n`);
for (const { instrument, answers } of JSON.parse(readFileSync(casesPath, "utf8"))) {
  process.stdout.write(`${engine.score_json(JSON.stringify(instrument), JSON.stringify(answers))}\n`);
}
