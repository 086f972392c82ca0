// Loading, validation, dumping and the error mapping, through the npm package.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import { cnarch, read } from "./helpers.mjs";

const KINDS = ["APIGateway", "CloudNativeApp", "CloudNativeDB", "DistributedTracing", "EventDrivenArchitecture",
  "EventSourcing", "Microservice", "ObservabilityStack", "ServerlessFunction", "ServiceLevelObjectives", "ServiceMesh"];

test("version", () => assert.match(cnarch.version(), /^\d+\.\d+\.\d+$/));

test("the example architecture loads as plain objects", () => {
  const docs = cnarch.load(read("examples/architecture.yaml"));
  assert.deepEqual([...new Set(docs.map((d) => d.kind))].sort(), KINDS);
  const ms = docs.find((d) => d.kind === "Microservice");
  assert.deepEqual(ms.resources, { cpu: "500m", memory: "512Mi" });
  assert.deepEqual(ms.healthCheck.liveness.httpGet, { path: "/health", port: 8080 });
  assert.equal(Object.getPrototypeOf(ms), Object.prototype);
});

test("dump round-trips through YAML and JSON", () => {
  const docs = cnarch.load(read("examples/architecture.yaml"));
  for (const format of ["yaml", "json"]) assert.deepEqual(cnarch.load(cnarch.dump(docs, format)), docs);
  assert.deepEqual(cnarch.load(cnarch.dump(docs)), docs);
  assert.throws(() => cnarch.dump(docs, "toml"), { name: "RangeError", code: "unknown_name", path: "format" });
});

test("validate returns violations without throwing", () => {
  const docs = cnarch.load(read("examples/architecture.yaml"));
  assert.deepEqual(cnarch.validate(docs), []);
  const bad = { ...docs[1], replicas: -1, name: "Bad_Name" };
  assert.deepEqual(cnarch.validate(bad).map((v) => [v.path, v.code]), [["name", "invalid_dns1035_label"], ["replicas", "out_of_range"]]);
});

test("broken examples throw ValidationError with exactly their violations", () => {
  const dir = "examples/broken";
  for (const f of readdirSync(new URL(`../../${dir}`, import.meta.url)).filter((f) => f.endsWith(".yaml"))) {
    const expected = JSON.parse(read(`${dir}/${f.replace(/\.yaml$/, ".expected.json")}`));
    let err;
    try {
      cnarch.load(read(`${dir}/${f}`));
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error, f);
    assert.equal(err.name, "ValidationError");
    assert.equal(err.code, "invalid_document");
    const key = (v) => `${v.document} ${v.path} ${v.code}`;
    assert.deepEqual(err.violations.map(key).sort(), expected.map(key).sort(), f);
  }
});

test("syntax errors are ParseErrors with a position", () => {
  assert.throws(() => cnarch.load("apiVersion: cnarch.dev/v1alpha1\nkind: [unclosed\n"), (e) =>
    e instanceof Error && e.name === "ParseError" && e.code === "syntax_error" && e.position.line >= 2);
  assert.throws(() => new cnarch.Quantity("5ki"), (e) => e.code === "invalid_quantity_suffix" && e.position === null);
});

test("quantity idioms", () => {
  const { Quantity } = cnarch;
  assert.ok(new Quantity("1Ki").equals(new Quantity("1024")));
  assert.equal(new Quantity("1.5").milliValue(), 1500n);
  assert.equal(new Quantity("8Ei").value(), 2n ** 63n - 1n);
  assert.equal(`${new Quantity("0.5")}`, "500m");
  assert.equal(JSON.stringify({ q: new Quantity("1024Mi") }), '{"q":"1Gi"}');
});

test("schedules take Dates or milliseconds and return UTC Dates", () => {
  const s = new cnarch.Schedule("@hourly");
  const t = Date.UTC(2026, 0, 1, 9, 30);
  assert.deepEqual(s.nextAfter(t, 2).map((d) => d.toISOString()), ["2026-01-01T10:00:00.000Z", "2026-01-01T11:00:00.000Z"]);
  assert.deepEqual(s.nextAfter(new Date(t)).map((d) => d.getTime()), [Date.UTC(2026, 0, 1, 10)]);
  assert.throws(() => s.nextAfter("tomorrow"), { name: "TypeError" });
});

test("numbers are checked, not coerced: NaN and infinities in options, wrapped counts", () => {
  // serde_json would read NaN as null ("absent", so the default tolerance) and wasm-bindgen's
  // u32 conversion would wrap -1 to 4294967295; both are refused with the argument's name.
  const pods = [{ request: 1000, usage: 500, phase: "Running", ready: true }];
  assert.throws(() => cnarch.replicaCalc(1, pods, { targetUtilization: 50, tolerance: NaN }), (e) => e.name === "RangeError" && e.code === "invalid_number" && e.path === "options.tolerance" && /finite/.test(e.message));
  assert.throws(() => cnarch.replicaCalc(-1, pods, { targetUtilization: 50 }), (e) => e.name === "RangeError" && /current replicas/.test(e.message));
  assert.throws(() => cnarch.replicaCalc(1.5, pods, { targetUtilization: 50 }), (e) => e.name === "RangeError");
  assert.equal(cnarch.replicaCalc(1, pods, { targetUtilization: 50 }).desiredReplicas, 1);
  const bucket = new cnarch.TokenBucket(1, 5);
  for (const n of [NaN, -1, Infinity, 2.5]) assert.throws(() => bucket.check(0, n), (e) => e.name === "RangeError" && /\bn\b/.test(e.message));
  assert.equal(bucket.check(0, 5).allowed, true);
  assert.throws(() => new cnarch.ServerlessAutoscaler({}, {}).scale(0, 1, 1, -1), (e) => e.name === "RangeError" && /readyPods/.test(e.message));
  assert.throws(() => new cnarch.RetryPolicy(-3, "exponential", 100, 2, 1000, "full"), (e) => /maxAttempts/.test(e.message));
  assert.throws(() => cnarch.simulate({ kpa: {} }, [[0, NaN], [60000, 1]]), (e) => /finite/.test(e.message));
});
