// testdata/events/patterns.json through the npm package: patternMatches, PatternMatcher and
// the refused patterns (PatternError with the pattern path, keys as written).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { patternMatches, PatternMatcher } = cnarch;
const V = vectors("events/patterns.json");

test("patterns match as event-ruler, alone and compiled", () => {
  for (const c of V.matches) {
    assert.equal(patternMatches(c.pattern, c.event), c.matches, c.name);
    assert.equal(patternMatches(JSON.stringify(c.pattern), JSON.stringify(c.event)), c.matches, `${c.name} (as text)`);
    const m = new PatternMatcher();
    m.add("r", c.pattern);
    assert.deepEqual(m.match(c.event), c.matches ? ["r"] : [], c.name);
    m.free();
  }
});

test("bad patterns throw a PatternError naming the place in the pattern", () => {
  for (const c of V.invalid) {
    assert.throws(() => patternMatches(c.pattern, {}), (e) => {
      assert.equal(e.name, "PatternError", c.name);
      assert.equal(e.code, "invalid_event_pattern", c.name);
      assert.equal(e.path, c.path, c.name);
      return true;
    });
    const m = new PatternMatcher();
    assert.throws(() => m.add("bad", c.pattern), { name: "PatternError" }, c.name);
    assert.equal(m.length, 0, `${c.name}: nothing added`);
    m.free();
  }
});

test("many rules in one matcher, then removal", () => {
  for (const c of V.machine) {
    const m = new PatternMatcher();
    for (const [name, p] of c.rules) m.add(name, p);
    for (const e of c.events) assert.deepEqual(m.match(e.event), e.matches, c.name);
    assert.ok(m.has(c.remove));
    assert.equal(m.remove(c.remove), true);
    assert.equal(m.remove(c.remove), false);
    assert.ok(!m.names.includes(c.remove));
    for (const e of c.after_remove) assert.deepEqual(m.match(e.event), e.matches, c.name);
    m.free();
  }
});

test("events must be objects; names must be strings", () => {
  assert.throws(() => patternMatches({ a: [1] }, [1]), { name: "TypeError", code: "invalid_argument_type", path: "event" });
  assert.throws(() => patternMatches({ a: [1] }, "{not json"), { name: "TypeError", path: "event" });
  assert.throws(() => patternMatches(5, {}), { name: "PatternError", path: null });
  const m = new PatternMatcher();
  assert.throws(() => m.add(7, { a: [1] }), { name: "TypeError", path: "name" });
  m.free();
});
