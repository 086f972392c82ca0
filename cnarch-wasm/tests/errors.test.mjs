// testdata/errors.json through the npm package: the same bad input gets the same code, the
// error name of its kind, the field as JavaScript spells it (camelCase), and the violations.
import assert from "node:assert/strict";
import test from "node:test";
import { cnarch, eventsourcing, vectors } from "./helpers.mjs";

const V = vectors("errors.json");
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const camelKeys = (v) =>
  Array.isArray(v) ? v.map(camelKeys) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelKeys(x)])) : v;
const NAMESPACES = [{ name: "default", labels: {} }];
const PODS = [{ namespace: "default", name: "web", labels: { app: "web" }, ips: ["10.0.0.2"] }];

async function run(c) {
  const {
    Quantity, Schedule, Selector, CircuitBreaker, RetryPolicy, RetryOn, RetryThrottle, RetryBudget, TokenBucket, Bulkhead,
    OutlierDetector, ServerlessAutoscaler, ScaledObject, HorizontalAutoscaler, MultiwindowPolicy, NetworkPolicyEngine,
  } = cnarch;
  switch (c.op) {
    case "load": return cnarch.load(c.text);
    case "quantity": return new Quantity(c.text);
    case "quantity_add": return new Quantity(c.a).add(new Quantity(c.b));
    case "duration": return cnarch.parseDuration(c.text);
    case "matchers": return cnarch.parseMatchers(c.text);
    case "alertmanager_config": return new cnarch.AlertmanagerConfig(c.config);
    case "schedule": return new Schedule(c.text);
    case "selector": return Selector.parse(c.text);
    case "event_pattern": return cnarch.patternMatches(c.pattern, {});
    case "filter_policy": return new cnarch.FilterPolicy(c.policy);
    case "sns_attributes": return new cnarch.FilterPolicy({ a: [{ exists: true }] }).evaluate(c.attributes);
    case "topic_subscribe": return new cnarch.Topic(c.topic).subscribe("s", c.protocol);
    case "serverless_cost": return cnarch.serverlessCost(c.function, c.usage);
    case "parse_exposition": return cnarch.parseExposition(c.text);
    case "expand_series": return cnarch.expandSeries(c.notation);
    case "stage_cache": return new cnarch.StageCache({ ttl: c.options.ttl * 1000 });
    case "router": return new cnarch.Router(c.routes);
    case "traceparent": return cnarch.parseTraceparent(c.header);
    case "tracestate": return cnarch.parseTracestate(c.header);
    case "probability_sampler": return cnarch.Sampler.probability(c.probability);
    case "event_source_mapping": return new cnarch.EventSourceMapping(c.mapping);
    case "sqs_queue": return new cnarch.Queue(c.name, c.attributes);
    case "sqs_send": return new cnarch.Queue(c.name, c.attributes).send(0, c.body);
    case "es_append": {
      const store = new eventsourcing.EventStore();
      for (let k = 0; k < c.setup; k++) {
        store.append(c.stream, [{ id: `00000000-0000-0000-0000-${(k + 1).toString(16).padStart(12, "0")}`, type: "T" }]);
      }
      if (c.tombstone) store.tombstone(c.stream);
      return store.append(c.stream, [{ id: "00000000-0000-0000-0000-0000000000ff", type: "T" }], c.expected);
    }
    case "es_read": return new eventsourcing.EventStore().readStream(c.stream);
    case "es_load_json": return eventsourcing.EventStore.fromJsonLines(c.text);
    case "sqs_delete": return new cnarch.Queue("q").delete(0, c.handle);
    case "sqs_not_in_flight": {
      const q = new cnarch.Queue("q", { VisibilityTimeout: 0 });
      q.send(0, "a");
      return q.changeVisibility(1000, q.receive(0)[0].receiptHandle, 10);
    }
    case "sqs_over_limit": {
      const q = new cnarch.Queue("q");
      for (let i = 0; i < c.in_flight; i++) q.send(0, "a");
      for (let i = 0; i < c.in_flight / 10; i++) q.receive(0, { maxMessages: 10 });
      return q.receive(0);
    }
    case "selector_parse_value": return Selector.parse(c.value);
    case "selector_structured": return Selector.fromLabelSelector(c.selector);
    case "selector_nothing_structured": return Selector.nothing().toLabelSelector();
    case "replica_calc": return cnarch.replicaCalc(c.current_replicas, camelKeys(c.pods), camelKeys(c.options));
    case "object_replica_calc": return cnarch.objectReplicaCalc(c.current_replicas, c.total, camelKeys(c.options));
    case "hpa": return new HorizontalAutoscaler(c.spec);
    case "breaker": return new CircuitBreaker(camelKeys(c.config));
    case "breaker_restore": return CircuitBreaker.restore(camelKeys(c.config), c.snapshot);
    case "breaker_state": return new CircuitBreaker().state(c.now);
    case "breaker_call_forced_open": {
      const cb = new CircuitBreaker();
      cb.transitionToForcedOpen(0);
      return await cb.execute(() => 1);
    }
    case "retry_policy": return new RetryPolicy(camelKeys(c.options));
    case "retry_on": return new RetryOn(c.conditions);
    case "retry_throttle": return new RetryThrottle(c.max_tokens, c.token_ratio);
    case "retry_budget": return new RetryBudget(c.budget_percent);
    case "token_bucket": return new TokenBucket(c.rate, c.burst);
    case "token_bucket_check": return new TokenBucket(c.rate, c.burst).check(0, c.n);
    case "bulkhead": return new Bulkhead(c.max_concurrent);
    case "bulkhead_release": return new Bulkhead(c.max_concurrent).release(0);
    case "outlier": return new OutlierDetector([], camelKeys(c.config));
    case "outlier_record": return new OutlierDetector(["a"]).record(0, "a", c.result);
    case "kpa": return new ServerlessAutoscaler(camelKeys(c.config));
    case "kpa_scale": return new ServerlessAutoscaler(camelKeys(c.config)).scale(0, c.stable, c.panic, 1);
    case "scaled_object": return new ScaledObject(c.config);
    case "burn_rate": return cnarch.burnRate(c.error_ratio, c.objective);
    case "calendar_window": return cnarch.calendarWindow(0, c.unit, c.zone);
    case "policy_rules": return MultiwindowPolicy.fromRules(c.period, camelKeys(c.rules));
    case "policy_evaluate": return new NetworkPolicyEngine(NAMESPACES, PODS, []).evaluate(c.from, c.to, 80);
    case "policy_engine": return new NetworkPolicyEngine(NAMESPACES, PODS, c.policies);
    default: throw new Error(`unknown op ${c.op}`);
  }
}

test("the same bad input gets the same code, name, path and violations", async () => {
  for (const c of V.cases) {
    if (c.only && !c.only.includes("js")) continue;
    let err = null;
    try {
      await run(c);
    } catch (e) {
      err = e;
    }
    assert.ok(err, `${c.why}: did not throw`);
    assert.equal(err.code, c.code, `${c.why}: ${err.message}`);
    assert.equal(err.name, V.kinds[c.kind].js, c.why);
    assert.ok(err instanceof Error, c.why);
    if (c.kind === "type") assert.ok(err instanceof TypeError, c.why);
    if (c.kind === "argument") assert.ok(err instanceof RangeError, c.why);
    if (c.path) assert.equal(err.path, camel(c.path), c.why);
    // Document paths are as written; structured input's in camelCase.
    const vpath = (p) => (c.op === "load" ? p : camel(p));
    const sorted = (xs) => xs.map((x) => JSON.stringify(x)).sort();
    if (c.violations) assert.deepEqual(sorted(err.violations.map((v) => [v.path, v.code])), sorted(c.violations.map(([p, k]) => [vpath(p), k])), c.why);
    if (c.located) assert.deepEqual(err.violations.map((v) => [v.path, v.line, v.column]), c.located.map(([p, l, col]) => [vpath(p), l, col]), c.why);
    assert.ok(!/[.]$/.test(err.message) && !err.message.includes("\n"), `${c.why}: ${err.message}`);
    if (c.path && c.path.includes("_")) assert.ok(!err.message.includes(c.path), `${c.why}: snake_case name in ${err.message}`);
  }
});

test("wrong-typed arguments are TypeErrors naming the argument, never a wasm RuntimeError", () => {
  for (const f of [() => cnarch.Selector.parse(42), () => cnarch.load(42), () => cnarch.parseDuration(42), () => new cnarch.Quantity(42), () => new cnarch.RetryPolicy("4")]) {
    assert.throws(f, (e) => e instanceof TypeError && e.code === "invalid_argument_type" && typeof e.path === "string");
  }
  assert.deepEqual(new cnarch.RetryPolicy({ maxAttempts: 3 }).delays(0).length, 2);
  assert.deepEqual(new cnarch.RetryPolicy({ maxAttempts: 3 }).delays(7), new cnarch.RetryPolicy({ maxAttempts: 3 }).delays(7n));
  assert.throws(() => new cnarch.RetryPolicy({}), (e) => e.name === "ValidationError" && e.violations[0].path === "options.maxAttempts");
});
