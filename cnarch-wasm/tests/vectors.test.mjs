// The shared conformance vectors in testdata/, run through the npm package.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { Quantity, Schedule, parseDuration } = cnarch;
const Q = vectors("quantity.json");
const D = vectors("duration.json");
const S = vectors("schedule.json");
const PROM = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;

test("quantity parse vectors", () => {
  for (const c of Q.parse) {
    for (const [sign, prefix] of [[1n, ""], [-1n, "-"], [1n, "+"]]) {
      const q = new Quantity(prefix + c.input);
      assert.equal(q.nanos(), sign * BigInt(c.nanos), prefix + c.input);
      assert.equal(q.format, c.format, prefix + c.input);
    }
  }
});

test("quantity canonical vectors", () => {
  for (const c of Q.canonical) {
    const q = new Quantity(c.input);
    assert.equal(q.toString(), c.canonical, c.input);
    assert.ok(new Quantity(c.canonical).equals(q), c.canonical);
  }
});

test("quantity invalid vectors throw ParseError", () => {
  for (const text of Q.invalid) {
    assert.throws(() => new Quantity(text), (e) => e.name === "ParseError" && /quantity/.test(e.code), JSON.stringify(text));
  }
});

test("quantity compare and arithmetic vectors", () => {
  for (const c of Q.compare) assert.equal(new Quantity(c.a).compare(new Quantity(c.b)), c.cmp);
  for (const c of Q.arithmetic) {
    const a = new Quantity(c.a);
    const got = { neg: () => a.neg(), add: () => a.add(new Quantity(c.b)), sub: () => a.sub(new Quantity(c.b)) }[c.op];
    if (got) assert.equal(got().toString(), c.result, JSON.stringify(c));
  }
});

test("duration vectors (milliseconds)", () => {
  for (const c of D.go_parse) assert.equal(parseDuration(c.input), Number(BigInt(c.nanos)) / 1e6, c.input);
  for (const c of D.prometheus_parse) assert.equal(parseDuration(c.input), Number(BigInt(c.nanos)) / 1e6, c.input);
  for (const text of D.go_invalid) {
    if (text && PROM.test(text)) continue; // valid Prometheus syntax
    assert.throws(() => parseDuration(text), { name: "ParseError" }, JSON.stringify(text));
  }
});

test("schedule vectors", () => {
  for (const c of S.next) {
    const want = c.next.map((t) => new Date(t).getTime());
    const anchor = c.anchor === undefined ? undefined : new Date(c.anchor);
    const got = new Schedule(c.expr).nextAfter(new Date(c.after), Math.max(want.length, 1), anchor).map((d) => d.getTime());
    assert.deepEqual(got.slice(0, want.length), want, c.expr);
    if (want.length === 0) assert.deepEqual(got, []);
  }
  for (const expr of S.invalid) {
    assert.throws(() => new Schedule(expr), { name: "ParseError", code: "invalid_schedule" }, expr);
  }
});
