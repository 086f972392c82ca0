// testdata/probes/timelines.json through the npm package (times in milliseconds): the kubelet
// prober worker's rules, the bounds against the simulation, refused input.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { probeTimeline, probeBounds, probeBackOff } = cnarch;
const V = vectors("probes/timelines.json");
const ms = (s) => Math.round(s * 1000);
const behaviourMs = (b) => ({
  ...(b.start_at !== undefined && { startAt: ms(b.start_at) }),
  ...(b.startup !== undefined && { startup: ms(b.startup) }),
  ...(b.stop !== undefined && { stop: ms(b.stop) }),
  ...(b.phases && {
    phases: b.phases.map((p) => ({
      at: ms(p.at),
      state: p.state,
      ...(p.latency !== undefined && { latency: ms(p.latency) }),
      ...(p.cleared_by_restart !== undefined && { clearedByRestart: p.cleared_by_restart }),
    })),
  }),
});
const eventMs = (e) => {
  const out = { ...e, at: ms(e.at) };
  if (e.wait !== undefined) out.wait = ms(e.wait);
  return out;
};

test("timelines follow the kubelet's prober worker", () => {
  for (const c of V.cases) {
    const o = { until: ms(c.options.until) };
    if (c.options.termination_grace_period !== undefined) o.terminationGracePeriod = ms(c.options.termination_grace_period);
    const got = probeTimeline(c.health_check, behaviourMs(c.behaviour), o);
    const w = c.expect;
    assert.deepEqual(
      [got.restarts, got.firstReady, got.ready],
      [w.restarts, w.first_ready === null ? null : ms(w.first_ready), w.ready],
      c.name,
    );
    for (const [probe, starts] of Object.entries(w.probe_starts ?? {})) {
      assert.deepEqual(got.probes.filter((p) => p.probe === probe).map((p) => p.start), starts.map(ms), `${c.name}: ${probe}`);
    }
    for (const [probe, outcomes] of Object.entries(w.outcomes ?? {})) {
      assert.deepEqual(got.probes.filter((p) => p.probe === probe).map((p) => p.outcome), outcomes, `${c.name}: ${probe}`);
    }
    assert.deepEqual(got.events.filter((e) => w.only.includes(e.event)), w.events.map(eventMs), c.name);
  }
});

test("the hang-detection bound is reached and never passed", () => {
  const hc = { liveness: { tcpSocket: { port: 80 }, periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 2 } };
  const bound = probeBounds(hc).hangDetection;
  assert.equal(bound, 5000 + 5000 + 2000);
  let worst = 0;
  for (let i = 0; i < 50; i++) {
    const hang = 60_000 + i * 100;
    const t = probeTimeline(hc, { phases: [{ at: hang, state: "hung" }] }, { until: hang + 30_000 });
    worst = Math.max(worst, t.events.find((e) => e.event === "container_killed").at - hang);
  }
  assert.ok(worst <= bound && bound - worst <= 100, `${worst} vs ${bound}`);
  assert.deepEqual([1, 2, 3, 7, 8].map(probeBackOff), [0, 10_000, 20_000, 300_000, 300_000]);
});

test("bad input names the field", () => {
  assert.throws(() => probeTimeline({ liveness: { tcpSocket: { port: 80 }, periodSeconds: 0 } }, null, { until: 1000 }), (e) =>
    e.name === "ValidationError" && e.violations[0].path === "healthCheck.liveness.periodSeconds");
  assert.throws(() => probeTimeline({ readiness: { tcpSocket: { port: 80 } } }, { phases: [{ at: 1, state: "slow" }] }, { until: 1000 }), (e) =>
    e.violations[0].path === "behaviour.phases[0].latency");
  assert.throws(() => probeTimeline({ readiness: { tcpSocket: { port: 80 } } }, { startupTime: 5 }, { until: 1000 }), (e) =>
    e.violations[0].path === "behaviour.startupTime");
  assert.throws(() => probeTimeline({ readiness: { tcpSocket: { port: 80 } } }, {}, {}), (e) => e.violations[0].path === "options.until");
});
