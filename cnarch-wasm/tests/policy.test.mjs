// testdata/policy/ vectors through the npm package.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { NetworkPolicyEngine, authorize } = cnarch;

test("network policy scenarios", () => {
  for (const s of vectors("policy/network.json").scenarios) {
    const engine = new NetworkPolicyEngine(s.namespaces, s.pods, s.policies);
    for (const c of s.cases) {
      const v = engine.evaluate(c.from, c.to, c.port, c.protocol);
      assert.equal(v.allowed, c.allowed, `${s.name}: ${JSON.stringify(c)}`);
      for (const dir of ["ingress", "egress"]) if (c[dir]) assert.equal(v[dir].verdict, c[dir], `${dir} ${JSON.stringify(c)}`);
    }
    const names = s.pods.map((p) => `${p.namespace}/${p.name}`);
    const table = engine.connectivity(8080);
    names.forEach((a, i) => names.forEach((b, j) => assert.equal(table[i][j], engine.evaluate(a, b, 8080).allowed)));
  }
});

test("network policy errors", () => {
  const s = vectors("policy/network.json").scenarios[0];
  const engine = new NetworkPolicyEngine(s.namespaces, s.pods, s.policies);
  assert.throws(() => engine.evaluate("nowhere/x", "default/db", 1), { name: "PolicyError", code: "unknown_pod" });
  assert.deepEqual(engine.policiesSelecting("default", "db"), ["default/test-network-policy"]);
});

test("mesh authorization cases", () => {
  for (const c of vectors("policy/mesh.json").cases) {
    const v = authorize(c.policies, c.request);
    assert.equal(v.allowed, c.allowed, c.name);
    assert.equal(v.decision.decision, c.decision, c.name);
    if (c.rule) assert.deepEqual([v.decision.rule.policy, v.decision.rule.rule], c.rule, c.name);
    assert.equal(v.audited.length, c.audited ?? 0, c.name);
    assert.equal(v.dry_run.length, c.dry_run ?? 0, c.name);
  }
});
