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

const E = vectors("serverless/esm.json");

test("event source mappings Lambda refuses", () => {
  for (const c of E.invalid) {
    assert.throws(() => {
      const m = new cnarch.EventSourceMapping(c.mapping);
      assert.ok(c.fifo, c.source);
      m.drain(new cnarch.Queue("q.fifo", { FifoQueue: true }), { duration: 1000, arrivals: [], until: 1000 });
    }, (e) => {
      assert.equal(e.name, "ConfigError", c.source);
      assert.equal(e.code, "invalid_event_source_mapping", c.source);
      assert.equal(e.path, c.path, c.source);
      return true;
    }, c.source);
  }
  for (const c of E.valid) assert.deepEqual(new cnarch.EventSourceMapping(c.mapping).settings, camelKeys(c.expect));
});

test("drains give the timeline Lambda would (milliseconds)", () => {
  for (const c of E.drain) {
    const q = new cnarch.Queue(c.queue, c.attributes);
    const m = new cnarch.EventSourceMapping(c.mapping);
    const consumer = Object.fromEntries(Object.entries(c.consumer).map(([k, v]) => [camel(k), k === "reserved_concurrency" ? v : v * 1000]));
    const got = m.drain(q, { ...consumer, arrivals: c.arrivals.map((a) => ({ ...a, at: a.at * 1000 })), until: c.until * 1000 });
    for (const [k, v] of Object.entries(c.expect ?? {})) {
      assert.equal(got[camel(k)], k === "drained_at" ? v * 1000 : v, `${c.name}: ${k}`);
    }
    for (const [at, want] of Object.entries(c.points ?? {})) {
      const p = got.points[Number(at)];
      assert.equal(p.at, Number(at) * 1000, c.name);
      for (const [k, v] of Object.entries(want)) assert.equal(p[camel(k)], v, `${c.name} at ${at}: ${k}`);
    }
    assert.equal(q.metrics(c.until * 1000).deleted, got.deleted, c.name);
    q.free();
    m.free();
  }
});
