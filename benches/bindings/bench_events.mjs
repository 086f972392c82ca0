// `PatternMatcher.match` from Node: the same 10,000 rules and ~1 KB event as benches/events.rs
// and bench_events.py, the event as an object and as JSON text (best of `rounds` runs of `n`
// calls). CNARCH_PKG names another built package folder (to compare two builds).
//
//     node benches/bindings/bench_events.mjs [n] [rounds]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const pkg = process.env.CNARCH_PKG ?? new URL("../../cnarch-wasm/pkg", import.meta.url).pathname;
const { PatternMatcher } = createRequire(import.meta.url)(`${pkg}/node/cnarch.js`);
const [n = 20000, rounds = 5] = process.argv.slice(2).map(Number);

function rule(i) {
  const detail = [
    () => ({ state: [`state${i % 50}`, "shipped"] }),
    () => ({ amount: [{ numeric: [">", i % 1000, "<=", (i % 1000) + 50] }] }),
    () => ({ customer: { email: [{ "equals-ignore-case": `user${i}@Example.com` }] } }),
    () => ({ sku: [{ prefix: `SKU-${i % 300}` }] }),
    () => ({ region: [{ "anything-but": [`r${i % 20}`, "eu-west-3"] }] }),
    () => ({ coupon: [{ exists: i % 2 === 0 }] }),
    () => ({ items: { category: [`cat${i % 60}`] } }),
    () => ({ id: [{ suffix: String(i % 10000).padStart(4, "0") }] }),
  ][Math.floor(i / 1000) % 8]();
  return { source: [`com.shop.team${i % 40}`], "detail-type": [`Order${Math.floor(i / 40) % 25}`], detail };
}

const event = JSON.parse(readFileSync(new URL("../data/order_event.json", import.meta.url), "utf8"));

const m = new PatternMatcher();
for (let i = 0; i < 10000; i++) m.add(`rule-${String(i).padStart(5, "0")}`, rule(i));
const text = JSON.stringify(event);
const hits = m.match(event);
if (hits.length < 5 || JSON.stringify(m.match(text)) !== JSON.stringify(hits)) throw new Error(`unexpected ${hits}`);
function best(f, arg) {
  let b = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) f(arg);
    b = Math.min(b, Number(process.hrtime.bigint() - t0) / n / 1000);
  }
  return b;
}
const overhead = best((x) => m.has(x), "rule-00137");
const asObject = best((x) => m.match(x), event);
const asText = best((x) => m.match(x), text);
console.log(`node ${process.version}: 10,000 rules, ${text.length}-byte event, ${hits.length} matches, best of ${rounds} x ${n}`);
console.log(`  call overhead (has):  ${overhead.toFixed(2)} us`);
console.log(`  match(object):        ${asObject.toFixed(2)} us  (${Math.round(1e6 / asObject).toLocaleString("en")} events/s)`);
console.log(`  match(JSON text):     ${asText.toFixed(2)} us  (${Math.round(1e6 / asText).toLocaleString("en")} events/s)`);
