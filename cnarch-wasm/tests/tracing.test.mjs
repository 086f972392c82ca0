// testdata/tracing/*.json through the npm package: the W3C Trace Context test suite's
// traceparent and tracestate cases, tracestate updates and truncation, and the OpenTelemetry
// samplers (the specification's threshold table, Go's TraceIDRatioBased and ParentBased).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { parseTraceparent, formatTraceparent, parseTracestate, updateTracestate, removeTracestate, truncateTracestate, Sampler } = cnarch;
const TP = vectors("tracing/traceparent.json");
const TS = vectors("tracing/tracestate.json");
const S = vectors("tracing/samplers.json");
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const camelKeys = (o) => (o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v])) : o);

test("traceparents of the W3C test suite parse or are refused", () => {
  for (const c of TP.valid) {
    const got = parseTraceparent(c.header);
    for (const k of ["version", "trace_id", "parent_id", "trace_flags", "sampled", "random_trace_id"]) {
      assert.equal(got[camel(k)], c[k], `${c.why}: ${k}`);
    }
  }
  for (const c of TP.invalid) {
    assert.throws(() => parseTraceparent(c.header), (e) => {
      assert.equal(e.name, "TraceContextError", c.why);
      assert.equal(e.code, "invalid_traceparent", c.why);
      assert.equal(e.path, "traceparent");
      return true;
    }, c.why);
  }
  for (const c of TP.format) assert.equal(formatTraceparent(c.trace_id, c.parent_id, camelKeys(c.options)), c.header, c.why);
  for (const c of TP.format_invalid) {
    assert.throws(() => formatTraceparent(c.trace_id, c.parent_id), { code: c.code }, c.why);
  }
});

test("tracestates parse, update and truncate as the recommendation says", () => {
  for (const c of TS.valid) assert.deepEqual(parseTracestate(c.header), c.members, c.why);
  for (const c of TS.invalid) {
    assert.throws(() => parseTracestate(c.header), { name: "TraceContextError", code: "invalid_tracestate" }, c.why);
  }
  for (const c of TS.update) assert.equal(updateTracestate(c.header, c.key, c.value), c.after, c.why);
  for (const c of TS.update_invalid) assert.throws(() => updateTracestate(c.header, c.key, c.value), { code: "invalid_tracestate" }, c.why);
  for (const c of TS.truncate) assert.equal(truncateTracestate(c.header, c.max_len), c.after, c.why);
  assert.equal(removeTracestate("a=1,b=2", "a"), "b=2");
});

const sampler = (spec) => {
  switch (spec.type) {
    case "always_on": return Sampler.alwaysOn();
    case "always_off": return Sampler.alwaysOff();
    case "trace_id_ratio_based": return Sampler.traceIdRatioBased(spec.ratio);
    case "probability": return Sampler.probability(spec.probability, spec.precision);
    default: {
      let s = Sampler.parentBased(sampler(spec.root));
      for (const [k, v] of Object.entries(spec)) if (k !== "type" && k !== "root") s = s.withDelegate(camel(k), sampler(v));
      return s;
    }
  }
};

test("samplers decide as the specification and the Go SDK do", () => {
  for (const c of S.thresholds) {
    assert.equal(Sampler.probability(c.probability, c.precision).description, `ProbabilitySampler{th:${c.th}}`, `1 in ${c.one_in}`);
  }
  for (const c of S.decisions) {
    const r = sampler(c.sampler).shouldSample(c.trace_id, c.parent);
    assert.equal(r.sampled, c.sampled, c.why);
    assert.equal(r.tracestate, c.tracestate, c.why);
    assert.equal(r.decision, c.sampled ? "RecordAndSample" : "Drop", c.why);
  }
  for (const c of S.descriptions) assert.equal(sampler(c.sampler).description, c.description);
  for (const c of S.invalid) assert.throws(() => sampler(c.sampler), { name: "ConfigError", code: c.code }, c.why);
  assert.ok(Sampler.fromSampleRate(0.25).description.startsWith("ParentBased{root:TraceIDRatioBased{0.25},"));
  assert.throws(() => Sampler.alwaysOn().withDelegate("root", Sampler.alwaysOff()), { code: "invalid_argument_type" });
  assert.throws(() => Sampler.alwaysOn().shouldSample("0".repeat(31) + "1", { remote: true }), { path: "parent.sampled" });
});

test("span trees: Jaeger's critical path, self time and findings (milliseconds)", () => {
  const { spanTree } = cnarch;
  for (const c of vectors("tracing/trees.json").cases) {
    const got = spanTree({ spans: c.spans });
    assert.equal(got.length, c.expect.length, c.name);
    got.forEach((g, i) => {
      const w = c.expect[i];
      assert.deepEqual([g.traceId, g.roots, g.orphans], [w.trace_id, w.roots, w.orphans], c.name);
      const path = g.criticalPath.map((s) => [s.spanId, Math.round(s.start * 1000), Math.round(s.end * 1000)]);
      assert.deepEqual(path, w.critical_path_us, c.name);
      const node = Object.fromEntries(g.spans.map((s) => [s.spanId, s]));
      for (const [id, us] of Object.entries(w.self_time_us ?? {})) assert.equal(Math.round(node[id].selfTime * 1000), us, `${c.name}: ${id}`);
      for (const [id, d] of Object.entries(w.depth ?? {})) assert.equal(node[id].depth, d, `${c.name}: ${id}`);
      assert.deepEqual(g.findings.map((f) => [f.spanId, f.code]), w.findings, c.name);
    });
  }
  assert.throws(() => spanTree({ spans: [{ traceID: "xyz", spanID: "00000000000000a1", name: "a" }] }), { name: "ValidationError" });
});
