// Run by generator/build/app_manifest.py as `node icons.mjs RESVG_DIR`, with a JSON list of SVG documents on standard
// input; writes their PNGs, base64, as a JSON list on standard output. resvg's WebAssembly build draws them: the
// same code on every machine Node runs on, reading no system fonts, so an SVG gives the same bytes anywhere.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [resvgDir] = process.argv.slice(2);
const { initWasm, Resvg } = await import(pathToFileURL(`${resvgDir}/index.mjs`).href);
await initWasm(readFileSync(`${resvgDir}/index_bg.wasm`));

const pngs = JSON.parse(readFileSync(0, "utf8")).map((svg) => Buffer.from(new Resvg(svg).render().asPng()).toString("base64"));
process.stdout.write(JSON.stringify(pngs));
