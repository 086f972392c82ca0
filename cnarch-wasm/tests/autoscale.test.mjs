// testdata/autoscale vectors through the npm package (times in milliseconds).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { replicaCalc, objectReplicaCalc, HorizontalAutoscaler, ServerlessAutoscaler, ScaledObject, kedaActivation, simulate, compare } = cnarch;

test("replica calculator vectors", () => {
  const v = vectors("autoscale/replica_calc.json");
  const o = v.options;
  const opts = { tolerance: o.tolerance, now: o.now * 1000, cpuInitializationPeriod: o.cpu_initialization_period * 1000, initialReadinessDelay: o.initial_readiness_delay * 1000 };
  for (const c of v.cases) {
    const n = Math.max(c.current_replicas, (c.phase ?? []).length);
    const pods = Array.from({ length: n }, (_, i) => {
      const p = { name: `test-pod-${i}`, ready: c.readiness?.[i] ?? true, startTime: 0, readyTransitionTime: 0, sampleTime: 0, sampleWindow: o.sample_window * 1000 };
      const s = c.start?.[i];
      if (s === "hot") p.startTime = o.now * 1000;
      if (s === "cool") p.startTime = (o.now - o.cool_age) * 1000;
      if (c.phase) p.phase = c.phase[i];
      if (c.deleted) p.deleted = c.deleted[i];
      if (c.requests && i < c.requests.length) p.request = c.requests[i];
      p.usage = c.usage && i < c.usage.length ? c.usage[i] : null;
      return p;
    });
    const w = c.expect;
    if (c.error) {
      assert.throws(() => replicaCalc(c.current_replicas, pods, { targetUtilization: c.target, ...opts }), (e) => e.code === c.error.code && e.message.includes(c.error.message), c.test);
    } else if (c.kind === "utilization") {
      const r = replicaCalc(c.current_replicas, pods, { targetUtilization: c.target, ...opts });
      assert.deepEqual([r.desiredReplicas, r.utilization, r.rawAverage], [w.replicas, w.utilization, w.raw_average], c.test);
    } else if (c.kind === "average_value") {
      const r = replicaCalc(c.current_replicas, pods, { targetAverageValue: c.target, resource: null, ...opts });
      assert.deepEqual([r.desiredReplicas, r.value], [w.replicas, w.value], c.test);
    } else if (c.kind === "object_value") {
      const ready = pods.filter((p) => p.ready && (p.phase ?? "Running") === "Running").length;
      const r = objectReplicaCalc(c.current_replicas, c.usage[0], { targetValue: c.target, readyPodCount: ready, tolerance: o.tolerance });
      assert.deepEqual([r.desiredReplicas, r.value], [w.replicas, w.value], c.test);
    } else {
      const r = objectReplicaCalc(c.current_replicas, c.usage[0], { targetAverageValue: c.target, tolerance: o.tolerance });
      assert.deepEqual([r.desiredReplicas, r.value], [w.replicas, w.value], c.test);
    }
  }
});

test("HPA controller scenarios", () => {
  const BASE = 1_000_000_000; // ms
  for (const s of vectors("autoscale/hpa.json").scenarios) {
    const hpa = new HorizontalAutoscaler(s.spec, {
      recommendations: (s.recommendations ?? []).map(([t, n]) => [BASE + t * 1000, n]),
      scaleEvents: (s.scale_events ?? []).map(([t, n]) => [BASE + t * 1000, n]),
    });
    for (const step of s.steps) {
      const what = `${s.name} at ${step.at}`;
      const d = hpa.decide(BASE + step.at * 1000, step.current, step.inputs.map((i) => ("failed" in i ? { error: i.failed } : i.value)));
      const e = step.expect;
      assert.equal(d.desiredReplicas, e.desired, what);
      assert.equal(d.rescale, e.rescale ?? true, what);
      if ("limited" in e) assert.equal(d.limitedReason, e.limited, what);
      const cond = (k) => d.conditions.find((c) => c.type === k);
      if (e.able) assert.equal(cond("AbleToScale").reason, e.able, what);
      if (e.active) assert.deepEqual([cond("ScalingActive").status, cond("ScalingActive").reason], e.active, what);
      if (e.active_message) assert.equal(cond("ScalingActive").message, e.active_message, what);
      if (e.reason) assert.equal(d.rescaleReason, e.reason, what);
    }
  }
  assert.throws(() => new HorizontalAutoscaler({ maxReplicas: 0 }), (e) => e.name === "ValidationError" && e.violations[0].path === "maxReplicas");
});

test("KPA decider vectors", () => {
  for (const c of vectors("autoscale/kpa.json").cases) {
    const o = c.overrides ?? {};
    const decider = { targetValue: c.target, totalValue: c.target / 0.75, targetBurstCapacity: c.tbc ?? 0, panicThreshold: o.panic_threshold ?? 2,
      maxScaleUpRate: o.max_scale_up_rate ?? 10, maxScaleDownRate: o.max_scale_down_rate ?? 10, stableWindow: 60_000, scaleDownDelay: (o.scale_down_delay_s ?? 0) * 1000, activationScale: 1 };
    const t0 = 1_000_000_000;
    const kpa = new ServerlessAutoscaler({}, { decider, start: t0 + c.steps[0].at * 1000, startReady: c.start_ready ?? 0 });
    for (const step of c.steps) {
      const d = kpa.scale(t0 + step.at * 1000, step.stable, step.panic, step.ready, step.reachable ?? true);
      assert.equal(d.autoscalerReplicas, step.want, `${c.test}: ${JSON.stringify(step)}`);
      if (step.panicking !== undefined) assert.equal(d.panicking, step.panicking);
      if (step.ebc != null) assert.ok(Math.abs(d.excessBurstCapacity - step.ebc) <= 1, c.test);
    }
  }
  assert.throws(() => new ServerlessAutoscaler({ maxScaleDownRate: 1 }), { name: "ConfigError", code: "invalid_kpa_config", path: "maxScaleDownRate" });
});

test("KEDA scenarios", () => {
  for (const s of vectors("autoscale/keda.json").scenarios) {
    const so = new ScaledObject(s.config);
    for (const p of s.polls) {
      const d = so.poll(1_000_000 + p.at * 1000, p.current, p.values);
      assert.deepEqual([d.active, d.action, d.setReplicas ?? null], [p.active, p.action, p.set], `${s.name}: ${JSON.stringify(p)}`);
    }
  }
  assert.equal(kedaActivation(10, 10), false);
  assert.equal(kedaActivation(10.5, 10), true);
});

test("simulate returns columns and compares configurations", () => {
  const spec = { minReplicas: 2, maxReplicas: 10, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }] };
  const trace = { time: [0, 600_000, 1_800_000, 3_600_000], demand: [100, 500, 100, 100] };
  const r = simulate({ hpa: spec, pod: { capacity: 100, startupDelay: 30_000 } }, trace, 7n);
  assert.equal(r.timeline.time.length, 241);
  assert.equal(r.timeline.time[1], 15_000);
  assert.ok(Math.max(...r.timeline.replicas) >= 6 && r.summary.overloadedSeconds > 0);
  const c = compare({ hpa: spec, pod: { startupDelay: 120_000 } }, { hpa: spec, pod: { startupDelay: 5_000 } }, trace, 1n);
  assert.ok(c.unservedDelta < 0);
  assert.throws(() => simulate({ hpa: spec }, [[0, 1], [-5, 2]]), (e) => e.name === "ValidationError" && e.violations[0].path === "trace[1].time");
});

test("options of the wrong type are refused, not ignored", () => {
  assert.throws(() => new ServerlessAutoscaler({}, { startReady: "3" }), (e) => e.name === "ValidationError" && e.violations[0].path === "options.startReady" && e.violations[0].code === "invalid_type");
  const kpa = new ServerlessAutoscaler({}, {});
  for (const [stable, panic] of [[NaN, 1], [-5, 0], [Infinity, 1]]) {
    assert.throws(() => kpa.scale(0, stable, panic, 1), (e) => e.name === "RangeError" && e.code === "invalid_observation");
  }
  const hpa = new HorizontalAutoscaler({ minReplicas: 1, maxReplicas: 5, metrics: [{ type: "External", external: { metric: { name: "q" }, target: { type: "AverageValue", averageValue: "1" } } }] });
  assert.throws(() => hpa.decide(0, 1, [1000], { statusReplicas: 1.5 }), (e) => e.name === "ValidationError" && e.violations[0].path === "options.statusReplicas");
  assert.equal(hpa.decide(0, 1, [3000], { statusReplicas: 1 }).desiredReplicas, 3);
  const sim = { hpa: { minReplicas: 1, maxReplicas: 5, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }] } };
  assert.throws(() => simulate(sim, [[0, 1], [3e12, 1]]), (e) => e.name === "ValidationError" && e.violations[0].path === "trace");
});
