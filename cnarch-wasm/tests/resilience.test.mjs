// testdata/resilience/ vectors through the npm package (times in milliseconds).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { CircuitBreaker, Permit, RetryPolicy, TokenBucket, Gcra } = cnarch;

const camel = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const ms = (v) => (typeof v === "object" && v !== null ? v.secs * 1000 + v.nanos / 1e6 : v);

test("circuit breaker scenarios", () => {
  for (const s of vectors("resilience/breaker.json").scenarios) {
    const cb = new CircuitBreaker(Object.fromEntries(Object.entries(s.config).map(([k, v]) => [camel(k), ms(v)])));
    for (const step of s.steps) {
      const what = `${s.name}: ${JSON.stringify(step)}`;
      if (step.state) assert.equal(cb.state(step.at), step.state, what);
      if (step.try) {
        const got = cb.tryAcquire(step.at);
        assert.equal(got instanceof Permit ? "permit" : "rejected", step.try, what);
        if (!(got instanceof Permit) && step.retry_after_ms !== undefined) assert.equal(got.retryAfter, step.retry_after_ms, what);
      }
      if (step.do) {
        const permit = cb.tryAcquire(step.at);
        assert.ok(permit instanceof Permit, what);
        const success = { ok: true, slow: true, fail: false, ignore: null }[step.do];
        cb.record(step.at, permit, success, step.ms ?? 0);
      }
    }
  }
});

test("retry delays are seeded and bounded", () => {
  const p = new RetryPolicy(4, "exponential", 100, 2, 1000, "equal");
  const d = Array.from(p.delays(7n));
  assert.deepEqual(d, Array.from(p.delays(7n)));
  d.forEach((x, i) => assert.ok(x >= 50 * 2 ** i - 1e-6 && x <= Math.min(100 * 2 ** i, 1000) + 1e-6));
  assert.equal(RetryPolicy.grpc(9, 0.1, 1, 2).maxAttempts, 5);
});

test("rate limit scenarios", () => {
  for (const s of vectors("resilience/ratelimit.json").scenarios) {
    const limiter = s.kind === "gcra" ? new Gcra(s.rate, s.burst) : new TokenBucket(s.rate, s.burst);
    for (const step of s.steps) {
      if (step.error) {
        assert.throws(() => limiter.check(step.at, step.n), { name: "RangeError", code: step.error });
        continue;
      }
      const d = limiter.check(step.at, step.n);
      assert.equal(d.allowed, step.allowed, JSON.stringify(step));
      if (step.retry_after_ms !== undefined) assert.ok(Math.abs(d.retryAfter - step.retry_after_ms) < 1e-6);
    }
  }
});

test("bad durations and names are errors, not crashes", () => {
  const cb = new CircuitBreaker();
  const permit = cb.tryAcquire(0);
  assert.ok(permit instanceof Permit);
  for (const bad of [Infinity, NaN, -1]) assert.throws(() => cb.record(0, permit, true, bad), { name: "RangeError", code: "invalid_time", path: "duration" });
  assert.throws(() => new RetryPolicy(3, "exponential", 100, 2, Infinity, "full"), { name: "RangeError", code: "invalid_number", path: "maxDelay" });
  assert.throws(() => new RetryPolicy(3, "fibonacci", 100, 2, 1000, "full"), { name: "ConfigError", code: "invalid_retry_policy", path: "backoff" });
  assert.throws(() => new CircuitBreaker({ waitDurationInOpenState: -5 }), { name: "RangeError", code: "invalid_time", path: "waitDurationInOpenState" });
  cb.record(0, permit, true, 5);
  assert.equal(cb.metrics(0).calls, 1);
  // Times are checked too: NaN, negative or past the nanosecond timeline is a RangeError.
  for (const bad of [NaN, -1, Infinity, 1e14]) {
    assert.throws(() => cb.state(bad), { name: "RangeError" });
    assert.throws(() => cb.tryAcquire(bad), { name: "RangeError" });
  }
  assert.equal(cb.state(Date.now()), "closed");
});
