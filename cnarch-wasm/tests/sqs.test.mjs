// testdata/events/sqs.json through the npm package's Queue: scenarios of sends, receives,
// deletes, visibility changes and metrics (times in milliseconds here, queue attributes in
// AWS's seconds), and refused queues with their paths in camelCase.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { Queue } = cnarch;
const V = vectors("events/sqs.json");
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const ms = (s) => Math.round(s * 1000);

const make = (c) => new Queue(c.queue ?? c.name, c.attributes, c.dead_letter_attributes);

function checkMetrics(want, got, where) {
  for (const [k, v] of Object.entries(want)) {
    const key = camel(k);
    if (k === "oldest_age") assert.ok(Math.abs(got[key] - v * 1000) < 1e-6, `${where}: ${key} ${got[key]}`);
    else assert.equal(got[key], v, `${where}: ${key}`);
  }
}

function runStep(q, saved, s, where) {
  const now = ms(s.at);
  if (s.send !== undefined || s.send_repeat !== undefined) {
    const body = s.send_repeat !== undefined ? "x".repeat(s.send_repeat) : s.send;
    const r = q.send(now, body, { delaySeconds: s.delay, messageGroupId: s.group, messageDeduplicationId: s.dedup });
    for (const [k, v] of Object.entries(s.expect ?? {})) {
      assert.equal(r[camel(k)], k === "sequence_number" ? String(v) : v, `${where}: ${k}`);
    }
  } else if (s.receive !== undefined) {
    const got = q.receive(now, {
      maxMessages: s.receive, visibilityTimeout: s.visibility, waitTimeSeconds: s.wait, deadLetter: s.dead_letter ?? false,
    });
    if (s.expect) assert.deepEqual(got.map((m) => m.body), s.expect, where);
    if (s.counts) assert.deepEqual(got.map((m) => m.receiveCount), s.counts, where);
    if (s.groups) assert.deepEqual(got.map((m) => m.messageGroupId ?? null), s.groups, where);
    for (const m of got) assert.ok(m.sentAt <= now && m.firstReceivedAt <= now, where);
    if (s.save) saved[s.save] = got;
  } else if (s.delete !== undefined) {
    q.delete(now, saved[s.delete][s.index].receiptHandle);
  } else if (s.change_visibility !== undefined) {
    q.changeVisibility(now, saved[s.change_visibility][s.index].receiptHandle, s.timeout);
  } else if (s.metrics) {
    const got = q.metrics(now);
    checkMetrics(s.metrics, got, where);
    if (s.dead_letter) checkMetrics(s.dead_letter, got.deadLetter, where);
  } else {
    throw new Error(`unknown step ${JSON.stringify(s)}`);
  }
}

test("scenarios run as the SQS guide documents", () => {
  assert.ok(V.scenarios.length >= 15);
  for (const c of V.scenarios) {
    const q = make(c);
    const saved = {};
    c.steps.forEach((s, i) => {
      const where = `${c.name}, step ${i}`;
      if (s.error === undefined) return runStep(q, saved, s, where);
      assert.throws(() => runStep(q, saved, s, where), (e) => {
        assert.equal(e.code, s.error, `${where}: ${e.message}`);
        if (s.path !== undefined) assert.equal(e.path, camel(s.path), where);
        return true;
      }, where);
    });
    q.free();
  }
});

test("refused queues name the attribute", () => {
  for (const c of V.invalid) {
    if (c.code === null) {
      assert.equal(make(c).name, c.name);
      continue;
    }
    assert.throws(() => make(c), (e) => {
      assert.equal(e.name, "ConfigError", c.source);
      assert.equal(e.code, c.code, c.source);
      assert.equal(e.path, camel(c.path), c.source);
      return true;
    }, c.source);
  }
});

test("queue idioms: names, times in milliseconds, camelCase results", () => {
  const q = new Queue("orders", { RedrivePolicy: { deadLetterTargetArn: "arn:aws:sqs:eu-west-1:1:orders-dlq", maxReceiveCount: "3" } });
  assert.deepEqual([q.name, q.deadLetterName, q.fifo], ["orders", "orders-dlq", false]);
  assert.deepEqual(q.send(1500, "hello"), { messageId: "m-1", sequenceNumber: null, duplicate: false });
  const [m] = q.receive(2000, { maxMessages: 10 });
  assert.deepEqual([m.sentAt, m.firstReceivedAt, m.receiveCount], [1500, 2000, 1]);
  const mt = q.metrics(2500);
  assert.deepEqual([mt.visible, mt.inFlight, mt.oldestAge, mt.deadLetter.visible], [0, 1, 1000, 0]);
  assert.throws(() => q.delete(3000, 42), TypeError);
  assert.throws(() => q.receive(3000, { max: 2 }), (e) => e.name === "ValidationError");
  q.delete(3000, m.receiptHandle);
  assert.equal(q.metrics(3000).deleted, 1);
  assert.equal(new Queue("plain").deadLetterName, undefined);
});
