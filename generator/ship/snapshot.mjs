// Run by generator/ship/snapshot.py as `node --input-type=module - PYODIDE_DIR ENGINE_DIR OUT MODULE...`
// (the script comes on standard input, so no path of the build machine lands in the snapshot).
// Starts the pinned Pyodide on the site's trimmed standard library, imports the site's Python as the
// package `kasibi`, as the browser's worker does, and writes Pyodide's memory snapshot to OUT.
// Sealed while it runs, so the same inputs give the same bytes: a fixed clock, seeded randomness, fixed
// str hashes, Python's `random` seeded (the worker reseeds it from the browser after restoring).

import { webcrypto } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideDir, engineDir, out, ...modules] = process.argv.slice(2);

globalThis.crypto ??= webcrypto; // Node 18 has it only as a module
let state = 0x2545f491; // xorshift32: not for secrets, only for the same bytes on every build
Object.defineProperty(globalThis.crypto, "getRandomValues", {
  configurable: true,
  value(array) {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    for (let n = 0; n < bytes.length; n++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      bytes[n] = state & 255;
    }
    return array;
  },
});
Date.now = () => Date.UTC(2026, 0, 1);
Object.defineProperty(performance, "now", { configurable: true, value: () => 0 }); // read-only in Node 18

const { loadPyodide } = await import(pathToFileURL(`${pyodideDir}/pyodide.mjs`).href);
const pyodide = await loadPyodide({
  _makeSnapshot: true,
  stdLibURL: `${engineDir}/python_stdlib.zip`,
  env: { HOME: "/home/pyodide", PYTHONHASHSEED: "0" }, // not this machine's environment; str hashes fixed
});
pyodide.FS.mkdirTree("/home/pyodide/kasibi");
pyodide.FS.writeFile("/home/pyodide/kasibi/__init__.py", "");
for (const name of modules) {
  pyodide.FS.writeFile(`/home/pyodide/kasibi/${name}.py`, readFileSync(`${engineDir}/${name}.py`));
}
// random was seeded from the machine's entropy at Pyodide's start: the same state on every build instead.
pyodide.runPython(["import random", "random.seed(0)", ...modules.map((name) => `import kasibi.${name}`)].join("\n"));
writeFileSync(out, pyodide.makeMemorySnapshot());
