// testdata/serverless/cost.json through the npm package: AWS's pricing examples (durations in
// milliseconds here), refused usage and price tables with camelCase paths, and the findings of
// checkServerless.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { serverlessCost, lambdaPrices, checkServerless } = cnarch;
const V = vectors("serverless/cost.json");
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const camelKeys = (v) =>
  Array.isArray(v) ? v.map(camelKeys) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelKeys(x)])) : v;
const usage = (u) => ({ ...camelKeys(u), duration: u.duration * 1000 });
const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(b), 1);

test("costs follow the pricing page", () => {
  for (const c of V.cost) {
    const got = serverlessCost(c.function, usage(c.usage));
    for (const [k, want] of Object.entries(c.expect)) {
      const key = camel(k);
      if (typeof want === "boolean") assert.equal(got[key], want, `${c.name}: ${key}`);
      else if (k === "billed_duration") assert.ok(close(got[key], want * 1000), `${c.name}: ${got[key]}`);
      else assert.ok(close(got[key], want), `${c.name}: ${key} = ${got[key]}, want ${want}`);
    }
  }
});

test("bad usage and tables are refused with their path", () => {
  for (const c of V.invalid) {
    assert.throws(() => serverlessCost(c.function, usage(c.usage)), (e) => {
      assert.equal(e.code, c.code, c.name);
      assert.equal(e.path, camel(c.path), c.name);
      return true;
    }, c.name);
  }
});

test("checks find what Lambda refuses or warns about", () => {
  for (const c of V.check) {
    const got = checkServerless(c.architecture);
    assert.deepEqual(got.map((f) => [f.path, f.code, f.severity]), c.findings, c.name);
  }
});

test("the published table round-trips as a price table", () => {
  const t = lambdaPrices();
  assert.equal(t.freeTier.requests, 1000000);
  const fn = { runtime: "go1.x", handler: "main.Handler", memory: 256 };
  const a = serverlessCost(fn, { invocations: 10, duration: 500, prices: t });
  assert.deepEqual(a, serverlessCost(fn, { invocations: 10, duration: 500 }));
  assert.equal(a.billedDuration, 500);
  assert.throws(() => serverlessCost(fn, { invocations: 10 }), TypeError);
});
