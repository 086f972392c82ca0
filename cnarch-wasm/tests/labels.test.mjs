// testdata/labels/ vectors and the selector API, through the npm package.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cnarch, vectors } from "./helpers.mjs";

const { Selector, SelectorIndex } = cnarch;
const V = vectors("labels/selectors.json");

test("parse and print vectors", () => {
  for (const c of V.parse) {
    const s = Selector.parse(c.input);
    assert.equal(s.toString(), c.string, JSON.stringify(c.input));
    assert.ok(Selector.parse(s.toString()).equals(s));
  }
});

test("invalid selectors throw ParseError with a position", () => {
  for (const text of V.invalid) {
    assert.throws(() => Selector.parse(text), (e) => e.name === "ParseError" && e.position.line === 1 && e.position.column >= 1, JSON.stringify(text));
  }
});

test("matching vectors", () => {
  for (const c of V.matches) assert.equal(Selector.parse(c.selector).matches(c.labels), c.match, c.selector);
});

test("structured selectors", () => {
  for (const c of V.structured) {
    const s = Selector.fromLabelSelector(c.labelSelector);
    assert.equal(s.toString(), c.string);
    assert.ok(Selector.fromLabelSelector(s.toLabelSelector()).equals(s));
  }
  assert.ok(Selector.fromLabelSelector(null).isNothing);
  assert.equal(Selector.fromLabelSelector(null).matches({}), false);
});

test("overlap, subset and the index", () => {
  assert.equal(Selector.parse("x in (a)").overlaps(Selector.parse("x notin (a)")), null);
  assert.deepEqual(Selector.parse("x>5").overlaps(Selector.parse("x<8,x!=6")), { x: "7" });
  assert.ok(Selector.parse("app=web,tier=fe").isSubsetOf(Selector.parse("app=web")));
  const index = new SelectorIndex();
  const ids = ["app=web", "app=db", "!legacy"].map((s) => index.insert(Selector.parse(s)));
  assert.equal(index.length, 3);
  assert.deepEqual(index.matching({ app: "web" }), [ids[0], ids[2]]);
});
