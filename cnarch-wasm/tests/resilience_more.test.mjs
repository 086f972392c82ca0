// Outlier detection, retry conditions, bulkheads, breaker snapshots and execute() through the
// npm package, on the shared testdata/resilience vectors (milliseconds).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { Bulkhead, CircuitBreaker, OutlierDetector, RetryOn } = cnarch;

const camel = (k) => k.replace(/_5xx/g, "5xx").replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const config = (raw) => Object.fromEntries(Object.entries(raw).map(([k, v]) => [camel(k.replace(/_ms$/, "")), v]));

// Istio's fields as an options object (absent ones at Istio's defaults) or positionally.
const istio = {
  options: (i, hosts) => OutlierDetector.istio({ consecutive5xxErrors: i.consecutive_5xx_errors, interval: i.interval_ms, baseEjectionTime: i.base_ejection_time_ms }, hosts),
  positional: (i, hosts) => OutlierDetector.istio(i.consecutive_5xx_errors, i.interval_ms, i.base_ejection_time_ms, hosts),
};

test("outlier detection scenarios", () => {
  for (const form of ["options", "positional"]) for (const s of vectors("resilience/outlier.json").scenarios) {
    const hosts = Array.from({ length: s.hosts }, (_, i) => `h${i}`);
    const d = s.istio ? istio[form](s.istio, hosts) : new OutlierDetector(hosts, config(s.config));
    const events = [];
    for (const step of s.steps) {
      if (step.results) for (let i = 0; i < (step.times ?? 1); i++) for (const r of step.results) d.record(step.at, step.host, r);
      if (step.advance) d.advance(step.at);
      if (step.ejected) assert.deepEqual(d.ejected(), step.ejected, `${s.name} at ${step.at}`);
      for (const e of d.events()) {
        const j = { at: e.at, host: e.host, action: e.action };
        if (e.kind !== null) j.kind = e.kind;
        if (e.duration !== null) j.duration_ms = e.duration;
        events.push(j);
      }
    }
    assert.deepEqual(events, s.events, s.name);
  }
});

test("outlier detection refuses bad input", () => {
  assert.throws(() => new OutlierDetector([], { maxEjectionPercent: 150 }), { name: "ConfigError", path: "maxEjectionPercent", message: /maxEjectionPercent/ });
  assert.throws(() => new OutlierDetector([], { consecutive5xx: "five" }), (e) => e.name === "ValidationError" && e.violations[0].path === "config.consecutive5xx");
  assert.throws(() => new OutlierDetector([], { baseEjectionTime: -1 }), { name: "RangeError", path: "baseEjectionTime" });
  const d = new OutlierDetector(["a"], { consecutive5xx: 2 });
  assert.throws(() => d.record(0, "a", "teapot"), { name: "RangeError", message: /HTTP status/ });
  assert.throws(() => d.record(0, "a", {}), { name: "TypeError" });
  d.record(0, "a", 500);
  d.record(0, "a", 500);
  assert.deepEqual(d.ejected(), ["a"]); // consecutive5xx reached the core as consecutive_5xx
  assert.deepEqual(d.hosts, ["a"]);
});

test("retry condition vectors", () => {
  const v = vectors("resilience/retry_on.json");
  for (const c of v.cases) {
    const on = c.istio_default ? RetryOn.istioDefault() : c.grpc_codes ? RetryOn.grpc(c.grpc_codes) : new RetryOn(c.retry_on, c.status_codes ?? []);
    assert.equal(on.shouldRetry(c.outcome), c.retry, JSON.stringify(c));
  }
  for (const bad of v.invalid) assert.throws(() => new RetryOn(bad), { name: "ConfigError", code: "invalid_retry_on" });
  assert.throws(() => new RetryOn("5xx").shouldRetry("explosion"), { name: "ConfigError", code: "invalid_retry_on", path: "outcome" });
});

test("bulkhead scenarios", () => {
  for (const form of ["options", "positional"]) for (const s of vectors("resilience/bulkhead.json").scenarios) {
    const c = s.config;
    const b = form === "positional"
      ? new Bulkhead(c.max_concurrent, c.max_queued, c.max_wait_ms)
      : new Bulkhead(Object.fromEntries(Object.entries({ maxConcurrent: c.max_concurrent, maxQueued: c.max_queued, maxWait: c.max_wait_ms }).filter(([, v]) => v !== undefined && v !== null)));
    for (const step of s.steps) {
      const what = `${s.name}: ${JSON.stringify(step)}`;
      if (step.enter) {
        const got = b.tryEnter(step.at);
        assert.equal(got.admitted ? "admitted" : got.queued ? "queued" : "rejected", step.enter, what);
        if (step.ticket !== undefined) assert.equal(got.ticket, step.ticket, what);
      }
      if ("release" in step) assert.equal(b.release(step.at) ?? null, step.release, what);
      if (step.expire) assert.deepEqual(Array.from(b.expire(step.at)), step.expire, what);
      if (step.active !== undefined) assert.deepEqual([b.active, b.queued], [step.active, step.queued], what);
    }
  }
  assert.throws(() => new Bulkhead(0), { name: "ConfigError", code: "invalid_bulkhead_config", path: "maxConcurrent" });
  assert.throws(() => new Bulkhead({ maxConcurrent: 0 }), { name: "ConfigError", code: "invalid_bulkhead_config", path: "maxConcurrent" });
  assert.throws(() => new Bulkhead({ maxQueued: 1 }), (e) => e.name === "ValidationError" && e.violations[0].path === "options.maxConcurrent" && e.violations[0].code === "missing_field");
  assert.throws(() => new Bulkhead({ maxConcurent: 1 }), (e) => e.violations[0].code === "unknown_field" && e.violations[0].path === "options.maxConcurent");
  assert.throws(() => new Bulkhead("two"), { name: "TypeError", code: "invalid_argument_type", path: "options" });
  // The options form reads durations as text too.
  const b = new Bulkhead({ maxConcurrent: 1, maxQueued: 1, maxWait: "50ms" });
  b.tryEnter(0);
  const waiting = b.tryEnter(0);
  assert.deepEqual(Array.from(b.expire(49)), []);
  assert.deepEqual(Array.from(b.expire(50)), [waiting.ticket]);
  assert.throws(() => new Bulkhead(1).release(0), { code: "bulkhead_not_held" });
});

test("breaker snapshot, restore and manual transitions", () => {
  const cfg = { slidingWindowSize: 4, minimumNumberOfCalls: 4, waitDurationInOpenState: 5000 };
  const a = new CircuitBreaker(cfg);
  for (const ok of [true, false, true]) a.record(1000, a.tryAcquire(1000), ok);
  const snap = JSON.parse(JSON.stringify(a.snapshot()));
  assert.equal(snap.window.length, 3);
  const b = CircuitBreaker.restore(cfg, snap);
  assert.deepEqual(b.metrics(1000), a.metrics(1000));
  b.record(1000, b.tryAcquire(1000), false);
  assert.equal(b.state(1000), "open");
  assert.equal(b.tryAcquire(2000).retryAfter, 4000);
  b.transitionToForcedOpen(2000);
  assert.equal(b.state(99999), "forced_open");
  b.transitionToClosed(2000);
  assert.equal(b.state(2000), "closed");
  snap.window = [...snap.window, ...snap.window];
  assert.throws(() => CircuitBreaker.restore(cfg, snap), { name: "ConfigError", code: "invalid_breaker_snapshot" });
});

test("execute runs sync and async functions and records their outcomes", async () => {
  let t = 0;
  const clock = () => t;
  const cb = new CircuitBreaker({ consecutiveFailures: 2, waitDurationInOpenState: 1000 });
  assert.equal(await cb.execute(() => 42, clock), 42);
  assert.equal(await cb.execute(async () => { t += 10; return "ok"; }, clock), "ok");
  await assert.rejects(cb.execute(() => { throw new Error("boom"); }, clock), /boom/);
  await assert.rejects(cb.execute(() => Promise.reject(new Error("late")), clock), /late/);
  assert.equal(cb.state(t), "open");
  await assert.rejects(cb.execute(() => 1, clock), (e) => e.name === "CallNotPermittedError" && e.state === "open" && e.retryAfter === 1000);
  const m = cb.metrics(t);
  assert.equal(m.failed, 2);
  assert.equal(m.notPermitted, 1);
  // Default clock: performance.now.
  const fresh = new CircuitBreaker();
  assert.equal(await fresh.execute(async () => "x"), "x");
});

test("retry budget vectors", () => {
  const { RetryThrottle, RetryBudget, RetryQuota } = cnarch;
  const v = vectors("resilience/budgets.json");
  const g = v.grpc_throttle;
  const t = new RetryThrottle(g.max_tokens, g.token_ratio);
  for (const step of g.steps) {
    for (let i = 0; i < (step.times ?? 1); i++) {
      if (step.event === "failure") t.onFailure();
      else if (step.event === "success") t.onSuccess();
    }
    if (step.allows !== undefined) assert.equal(t.allowsRetry(), step.allows, JSON.stringify(step));
    if (step.tokens !== undefined) assert.ok(Math.abs(t.tokens - step.tokens) < 1e-9, JSON.stringify(step));
  }
  for (const c of v.envoy_budget) assert.equal(new RetryBudget(c.budget_percent, c.min_retry_concurrency).maxActiveRetries(c.active_requests), c.max_active_retries);
  const q = new RetryQuota();
  for (const step of v.aws_quota.steps) {
    for (let i = 0; i < (step.times ?? 1); i++) {
      let granted = true;
      if (step.event === "retry") granted = q.acquire() !== undefined;
      else if (step.event === "timeout_retry") granted = q.acquire(true) !== undefined;
      else if (step.event === "success_after_retry") q.onSuccess(step.cost);
      else q.onSuccess();
      if (step.granted !== undefined) assert.equal(granted, step.granted, JSON.stringify(step));
    }
    assert.equal(q.available, step.available, JSON.stringify(step));
  }
  assert.throws(() => new RetryThrottle(0, 0.1), { name: "ConfigError", code: "invalid_retry_throttle", path: "maxTokens" });
  assert.throws(() => new RetryBudget(150), { name: "ConfigError", code: "invalid_retry_budget", path: "budgetPercent" });
  assert.equal(new RetryBudget().maxActiveRetries(100), 20);
});

test("OutlierDetector.istio defaults are Istio's: 5 consecutive 5xx, 10 s sweeps, 30 s ejection", () => {
  const byDefault = OutlierDetector.istio({}, ["a", "b"]);
  const explicit = OutlierDetector.istio(5, 10_000, 30_000, ["a", "b"]);
  for (const d of [byDefault, explicit]) {
    for (let i = 0; i < 4; i++) d.record(1_000, "a", 503);
    assert.deepEqual(d.ejected(), [], "4 errors do not eject");
    d.record(1_000, "a", 503);
    assert.deepEqual(d.ejected(), ["a"]);
    d.advance(30_000);
    assert.deepEqual(d.ejected(), ["a"], "still out before the sweep after 30 s");
    d.advance(40_000);
  }
  assert.deepEqual(byDefault.events(), explicit.events());
  assert.deepEqual(byDefault.ejected(), explicit.ejected());
  assert.throws(() => OutlierDetector.istio({ interval: -1 }), { code: "invalid_time" });
});
