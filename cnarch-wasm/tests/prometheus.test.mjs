// testdata/prometheus/series.json through the npm package: promtool's expanding notation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const V = vectors("prometheus/series.json");
const want = (v) => (v === "+Inf" ? Infinity : v === "-Inf" ? -Infinity : v);

test("expanding notation as promtool reads it", () => {
  for (const c of V.cases) assert.deepEqual(cnarch.expandSeries(c.notation), c.values.map(want), c.why);
  for (const c of V.invalid) {
    assert.throws(() => cnarch.expandSeries(c.notation), { name: "ParseError", code: "invalid_series", path: "notation" }, c.why);
  }
});

test("formatSeries writes what expandSeries reads back", () => {
  for (const c of V.cases) {
    const values = cnarch.expandSeries(c.notation);
    assert.deepEqual(cnarch.expandSeries(cnarch.formatSeries(values)), values, c.why);
  }
  assert.equal(cnarch.formatSeries([1, 1, 1, null, null, 5, "stale"]), "1x2 _x2 5 stale");
  assert.throws(() => cnarch.formatSeries([1, "x"]), { name: "TypeError", path: "values[1]" });
});

// The text exposition format: testdata/prometheus/exposition.json.
const EXPO = vectors("prometheus/exposition.json");
const { parseExposition, renderExposition, renderMetrics } = cnarch;

test("exposition texts parse and round-trip", () => {
  for (const c of EXPO.valid) {
    const f = parseExposition(c.text);
    // -0 is written as 0, as expfmt writes it; every other value comes back the same.
    const zeroed = (fams) => fams.map((x) => ({ ...x, samples: x.samples.map((s) => ({ ...s, value: s.value === 0 ? 0 : s.value })) }));
    assert.deepEqual(parseExposition(renderExposition(f)), zeroed(f), c.name);
  }
  const f = parseExposition(EXPO.valid[0].text);
  assert.deepEqual(f.map((x) => x.type), ["counter", "untyped", "untyped", "untyped", "histogram", "summary"]);
  assert.deepEqual(f[0].samples[0], { name: "http_requests_total", labels: { method: "post", code: "200" }, value: 1027, timestamp: 1395066363000 });
  assert.equal(f[3].samples[0].value, Infinity);
  assert.equal(f[1].samples[0].labels.error, 'Cannot find file:\n"FILE.TXT"');
});

test("malformed exposition texts are refused at their line and column", () => {
  for (const c of EXPO.invalid) {
    assert.throws(() => parseExposition(c.text), (e) => e.name === "ParseError" && e.code === "invalid_exposition" && e.position.line === c.line && e.position.column === c.column, c.name);
  }
});

test("families and model metrics render", () => {
  assert.equal(
    renderExposition([{ name: "up", type: "gauge", help: "Up.", samples: [{ name: "up", labels: { job: "a" }, value: NaN }, { name: "up", labels: { job: "b" }, value: 1, timestamp: 17 }] }]),
    '# HELP up Up.\n# TYPE up gauge\nup{job="a"} NaN\nup{job="b"} 1 17\n',
  );
  assert.throws(() => renderExposition([{ name: "up", samples: [{ name: "down", value: 1 }] }]), { name: "ParseError", path: "families[0].samples[0].name" });
  assert.throws(() => renderExposition([{ name: "up", samples: [{ name: "up", value: "1" }] }]), { name: "TypeError", path: "families[0].samples[0].value" });
  assert.equal(renderMetrics([{ name: "queue_depth", type: "gauge", value: 7, labels: { queue: "q" } }]), '# TYPE queue_depth gauge\nqueue_depth{queue="q"} 7\n');
  assert.throws(() => renderMetrics([{ name: "h", type: "histogram", value: 1 }]), { name: "ParseError", path: "metrics[0].type" });
});
