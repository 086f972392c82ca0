// testdata/events/sns.json through the npm package: FilterPolicy verdicts with the keys that
// filtered a message out (failedKeys), refused policies and attributes with their paths, Topic
// fan-out.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { FilterPolicy, Topic, filterPolicyMatches } = cnarch;
const V = vectors("events/sns.json");

test("policies filter as the SNS guide documents", () => {
  for (const c of V.filter) {
    const p = new FilterPolicy(c.policy, c.scope);
    assert.equal(p.scope, c.scope, c.name);
    assert.deepEqual(new FilterPolicy(JSON.stringify(c.policy), c.scope).keys, p.keys, c.name);
    if (c.combinations !== undefined) assert.equal(p.combinations, c.combinations, c.name);
    for (const m of c.messages) {
      const got = p.evaluate(m.attributes, m.body);
      assert.equal(got.delivered, m.delivered, `${c.name}: ${JSON.stringify(m)}`);
      assert.deepEqual(got.failedKeys, m.failed_keys, `${c.name}: ${JSON.stringify(m)}`);
      assert.equal(p.matches(m.attributes, m.body), m.delivered, c.name);
      const opts = { attributes: m.attributes, body: m.body, scope: c.scope };
      assert.equal(filterPolicyMatches(c.policy, opts), m.delivered, c.name);
    }
    p.free();
  }
});

test("bad policies are refused with their path", () => {
  for (const c of V.invalid) {
    assert.throws(() => new FilterPolicy(c.policy, c.scope), (e) => {
      assert.equal(e.name, "PatternError", c.name);
      assert.equal(e.code, "invalid_filter_policy", c.name);
      assert.equal(e.path, c.path, c.name);
      assert.ok(e.message.includes(c.message_contains), `${c.name}: ${e.message}`);
      return true;
    });
  }
});

test("bad attributes are refused with their path", () => {
  const p = new FilterPolicy({ a: [{ exists: true }] });
  for (const c of V.invalid_attributes) {
    assert.throws(() => p.evaluate(c.attributes), (e) => {
      assert.equal(e.code, "invalid_message_attribute", c.name);
      assert.equal(e.path, `attributes.${c.path}`, c.name);
      return true;
    });
  }
});

test("topics fan out with each subscription's verdict", () => {
  for (const c of V.topic) {
    const t = new Topic(c.topic);
    for (const s of c.subscriptions) t.subscribe(s.name, s.protocol, s.policy, s.scope);
    assert.deepEqual(t.subscriptions, c.subscriptions.map((s) => s.name));
    for (const m of c.messages) {
      const got = t.publish(m.attributes, m.body).map((d) => [d.subscription, d.delivered, d.failedKeys]);
      assert.deepEqual(got, m.deliveries.map((d) => [d.subscription, d.delivered, d.failed_keys]), c.name);
    }
    t.free();
  }
});

test("bodies as objects, bad arguments, FIFO topics", () => {
  const p = new FilterPolicy({ region: [{ prefix: "eu-" }] }, "MessageBody");
  assert.equal(p.matches(undefined, { region: "eu-west-1" }), true);
  assert.deepEqual(p.evaluate(null, "plain text"), {
    delivered: false,
    failedKeys: [],
    reason: "the message body is not a JSON object",
  });
  assert.throws(() => p.evaluate(null, 5), (e) => e.name === "TypeError" && e.path === "body");
  assert.throws(() => new FilterPolicy({ a: ["x"] }, "Body"), (e) => e.code === "unknown_name" && e.path === "scope");
  const t = new Topic("orders.fifo");
  assert.equal(t.fifo, true);
  assert.throws(() => t.subscribe("fn", "lambda"), (e) => e.code === "invalid_subscription" && e.path === "protocol");
  assert.throws(() => t.subscribe("q", "carrier-pigeon"), (e) => e.code === "unknown_name");
  t.subscribe("q", "sqs");
  assert.equal(t.unsubscribe("q"), true);
  assert.deepEqual(t.publish(), []);
  assert.throws(
    () => filterPolicyMatches({ a: ["x"] }, { atributes: {} }),
    (e) => e.name === "ValidationError" && e.code === "invalid_input" && e.violations[0].path.includes("atributes"),
  );
  assert.throws(() => t.subscribe("q2", "sqs", null, "Body"), (e) => e.code === "unknown_name" && e.path === "scope");
  assert.equal(filterPolicyMatches('{"a": ["x"]}'), false);
  assert.throws(() => new Topic("a b"), (e) => e.code === "invalid_subscription" && e.path === "name");
});
