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
