// Times `load` from the npm package (Node build) on a spec file: median of N runs. CNARCH_PKG
// names another built package folder (to compare two builds side by side).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const pkg = process.env.CNARCH_PKG ?? new URL("../../cnarch-wasm/pkg", import.meta.url).pathname;
const { load } = createRequire(import.meta.url)(`${pkg}/node/cnarch.js`);
const [path, runsText] = process.argv.slice(2);
const runs = Number(runsText ?? 20);
const text = readFileSync(path, "utf8");
if (load(text).length !== 1000) throw new Error("expected 1000 documents");
const times = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  load(text);
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
times.sort((a, b) => a - b);
console.log(`node load: median ${times[Math.floor(runs / 2)].toFixed(1)} ms, min ${times[0].toFixed(1)} ms over ${runs} runs`);
