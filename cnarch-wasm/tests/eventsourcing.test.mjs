// testdata/eventsourcing/*.json through the npm package's cnarch/eventsourcing module: appends
// with expected revisions, metadata and scavenges; subscriptions, projections with JavaScript
// folds, snapshots of JavaScript states, and replay; the store files Rust wrote load and
// write back the same bytes. Times are milliseconds here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { eventsourcing, root, vectors } from "./helpers.mjs";

const { EventStore, CatchUpSubscription, PersistentSubscription, Projection, Snapshots, Replay } = eventsourcing;
const NOW = 1_700_000_000_000;
const uuid = (n) => {
  const h = n.toString(16).padStart(32, "0");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const num = (e) => parseInt(e.id.replaceAll("-", ""), 16);
const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
const expected = (v) => (typeof v === "string" ? camel(v) : v);

function checkError(fn, step, what) {
  if (step.error) {
    assert.throws(fn, (e) => {
      assert.equal(e.code, step.error, what);
      if ("actual" in step) {
        const a = step.actual === null ? "no stream" : String(step.actual);
        assert.ok(e.message.includes(`the stream is at ${a}`), `${what}: ${e.message}`);
      }
      return true;
    }, what);
    return undefined;
  }
  return fn();
}

for (const sc of vectors("eventsourcing/appends.json").scenarios) {
  test(`appends: ${sc.name}`, () => {
    const store = new EventStore();
    sc.steps.forEach((step, i) => {
      const what = `${sc.name} / step ${i}`;
      const stream = step.stream ?? "";
      const now = step.now ?? NOW;
      switch (step.op) {
        case "append": {
          const events = step.ids.map((n) => ({ id: uuid(n), type: "Happened", data: { n } }));
          const before = store.length;
          const r = checkError(() => store.append(stream, events, expected(step.expected), step.at ?? NOW), step, what);
          if (step.ok) {
            assert.equal(r.nextExpectedRevision, step.ok.next, what);
            assert.equal(r.written, step.ok.written, what);
            assert.equal(store.length > before, r.written, what);
          } else assert.equal(store.length, before, what);
          break;
        }
        case "delete":
          checkError(() => store.delete(stream, expected(step.expected)), step, what);
          break;
        case "tombstone":
          checkError(() => store.tombstone(stream, expected(step.expected)), step, what);
          break;
        case "metadata":
          checkError(
            () => store.setMetadata(stream, { maxCount: step.max_count, maxAge: step.max_age_ms, truncateBefore: step.truncate_before }),
            step,
            what,
          );
          break;
        case "scavenge":
          assert.equal(store.scavenge(now), step.removed, what);
          break;
        case "read_all":
          assert.deepEqual(store.readAll().map((e) => e.position), step.positions, what);
          break;
        case "read": {
          const r = checkError(() => store.readStream(stream, { now }), step, what);
          if (step.revisions) assert.deepEqual(r.map((e) => e.revision), step.revisions, what);
          break;
        }
        default:
          assert.fail(step.op);
      }
    });
  });
}

const source = (v) => ("stream" in v ? v.stream : { streamPrefixes: v.all.stream_prefixes ?? [], eventTypePrefixes: v.all.event_type_prefixes ?? [] });
const add = (state, e) => [...state, num(e)];
class Refused extends Error {}

for (const sc of vectors("eventsourcing/subscriptions.json").scenarios) {
  test(`subscriptions: ${sc.name}`, () => {
    const store = new EventStore();
    const subs = {}, projections = {}, snaps = {};
    const failOn = { id: null };
    const positionOf = (n) => store.readAll().find((e) => num(e) === n).position;
    sc.steps.forEach((step, i) => {
      const what = `${sc.name} / step ${i}`;
      const name = step.name ?? "";
      const stream = step.stream ?? "";
      const now = step.now ?? NOW;
      switch (step.op) {
        case "append": {
          const events = step.events
            ? step.events.map((e) => ({ id: uuid(e.id), type: e.type, data: e.data }))
            : step.ids.map((n) => ({ id: uuid(n), type: "Happened", data: { n } }));
          store.append(stream, events, "any", step.at ?? NOW);
          break;
        }
        case "tombstone":
          store.tombstone(stream);
          break;
        case "metadata":
          store.setMetadata(stream, { truncateBefore: step.truncate_before });
          break;
        case "catchup":
          subs[name] = { src: source(step.source), batch: step.batch, c: new CatchUpSubscription(source(step.source), { checkpoint: step.checkpoint, batchSize: step.batch }) };
          break;
        case "poll": {
          const b = checkError(() => subs[name].c.poll(store, now), step, what);
          if (!step.error) {
            assert.deepEqual(b.events.map(num), step.ids, what);
            assert.equal(b.checkpoint, step.checkpoint, what);
            assert.equal(b.caughtUp, step.caught_up, what);
          }
          break;
        }
        case "ack":
          checkError(() => subs[name].c.ack(step.checkpoint), step, what);
          break;
        case "crash": {
          const s = subs[name];
          assert.equal(s.c.checkpoint ?? null, step.stored, what);
          s.c = new CatchUpSubscription(s.src, { checkpoint: s.c.checkpoint, batchSize: s.batch });
          break;
        }
        case "persistent":
          subs[name] = new PersistentSubscription(source(step.source), {
            maxRetryCount: step.max_retry_count,
            messageTimeout: step.message_timeout_ms,
            bufferSize: step.buffer_size,
          });
          break;
        case "ppoll":
          assert.deepEqual(subs[name].poll(store, now).map((d) => [num(d.event), d.retryCount]), step.deliveries, what);
          break;
        case "pack":
          checkError(() => subs[name].ack(positionOf(step.id)), step, what);
          break;
        case "pnack":
          checkError(() => subs[name].nack(positionOf(step.id), step.action), step, what);
          break;
        case "pcheckpoint":
          assert.equal(subs[name].checkpoint ?? null, step.checkpoint, what);
          break;
        case "parked": {
          const byPos = new Map(store.readAll().map((e) => [e.position, num(e)]));
          const parked = subs[name].parked;
          assert.deepEqual(parked.map((p) => byPos.get(p.position)), step.ids, what);
          assert.deepEqual(parked.map((p) => p.reason), step.reasons.map(camel), what);
          break;
        }
        case "replay_parked":
          subs[name].replayParked(store);
          break;
        case "fail_until_parked": {
          const p = subs[name];
          const pos = positionOf(step.id);
          let n = 0;
          for (let t = 0; t < 100; t++) {
            for (const d of p.poll(store, now + t)) {
              assert.ok(num(d.event) === step.id && d.retryCount === n, what);
              n += 1;
            }
            if (p.outstanding === 1) p.nack(pos, "retry");
            if (p.parked.length) break;
          }
          assert.equal(n, step.deliveries, what);
          break;
        }
        case "snapshots":
          snaps[name] = new Snapshots({ everyEvents: step.every_events, every: step.every_ms, retention: step.retention_ms });
          break;
        case "load": {
          const s = snaps[name];
          const r = s.load(store, stream, add, [], now);
          assert.deepEqual(r.state, step.state, what);
          assert.deepEqual([r.revision, r.snapshot, r.eventsRead], [step.revision, step.snapshot, step.events_read], what);
          assert.equal(s.offer(stream, r.revision, now, r.state), step.taken, what);
          break;
        }
        case "list":
          assert.deepEqual(snaps[name].list(stream).map((x) => x.revision), step.revisions, what);
          break;
        case "replay": {
          const o = { batchSize: step.batch, streamPrefixes: step.stream_prefixes };
          for (const [end, b] of [["from", step.from], ["to", step.to]]) {
            if (b && "position" in b) o[`${end}Position`] = b.position;
            if (b && "time" in b) o[`${end}Time`] = b.time;
          }
          const r = checkError(() => new Replay(store, o), step, what);
          if (r) {
            assert.equal(r.progress.total, step.total, what);
            const batches = [];
            for (let b; (b = r.nextBatch(store)) !== null; ) {
              batches.push(b.map(num));
              assert.equal(r.progress.position, b[b.length - 1].position, what);
            }
            assert.deepEqual(batches, step.batches, what);
            assert.equal(r.progress.done, step.total, what);
          }
          break;
        }
        case "projection": {
          const partition = step.partition === "none" ? null : step.partition;
          const fold = (state, e) => {
            if (num(e) === failOn.id) throw new Refused(String(num(e)));
            return add(state, e);
          };
          const handlers = step.types.length ? Object.fromEntries(step.types.map((t) => [t, fold])) : fold;
          const p = checkError(() => new Projection(handlers, { source: source(step.source), partition, initial: [], batchSize: 2 }), step, what);
          if (p) projections[name] = p;
          break;
        }
        case "run": {
          const p = projections[name];
          failOn.id = step.fail_on ?? null;
          if ("error_at" in step) {
            assert.throws(() => p.run(store, now), (e) => e instanceof Refused && e.message === String(step.error_at), what);
          } else {
            const r = p.run(store, now);
            assert.deepEqual([r.folded, r.passedOver], [step.folded, step.passed_over], what);
          }
          assert.deepEqual(p.states, step.states, what);
          break;
        }
        default:
          assert.fail(step.op);
      }
    });
  });
}

test("a store Rust wrote loads and writes back the same bytes", () => {
  const text = readFileSync(join(root, "testdata/eventsourcing/store.jsonl"), "utf8");
  const bytes = new Uint8Array(readFileSync(join(root, "testdata/eventsourcing/store.bin")));
  for (const s of [EventStore.fromJsonLines(text), EventStore.fromBytes(bytes)]) {
    assert.equal(s.toJsonLines(), text);
    assert.deepEqual(s.toBytes(), bytes);
    assert.equal(s.length, 11);
    const events = s.readStream("user-1");
    assert.deepEqual(events.map(num), [8, 9, 10, 11]);
    assert.deepEqual(events[0].data, { name: "\u00e9" });
    assert.equal(events[3].data, null);
    assert.equal(events[3].dataBase64, "bm90IGpzb24=");
    assert.throws(() => s.readStream("order-3"), { name: "StateError", code: "stream_deleted" });
  }
  assert.throws(() => EventStore.fromBytes(bytes.slice(0, -10)), (e) => e.name === "ParseError" && e.code === "corrupt_store" && /at byte/.test(e.message));
});

test("JavaScript names: expected revisions, errors with camelCase paths, times in ms", () => {
  const s = new EventStore();
  assert.deepEqual(s.append("acct-1", [{ id: uuid(1), type: "Opened", data: { owner: "ana" } }], "noStream", 10_500), {
    nextExpectedRevision: 0,
    position: 0,
    written: true,
  });
  s.append("acct-1", [{ id: uuid(2), type: "Blob", dataBase64: "AAEC" }], 0, 11_000);
  const back = EventStore.fromBytes(s.toBytes()).readStream("acct-1");
  assert.equal(back[0].created, 10_500);
  assert.equal(back[1].isJson, false);
  assert.equal(back[1].dataBase64, "AAEC");
  assert.throws(() => s.append("acct-1", [{ id: uuid(3), type: "Late" }], 0), { name: "StateError", code: "wrong_expected_version" });
  assert.throws(() => s.append("$x", [{ id: uuid(4), type: "X" }]), { name: "RangeError", code: "invalid_store_argument", path: "stream" });
  assert.throws(() => new CatchUpSubscription("s", { batchSize: 0 }), { name: "RangeError", path: "batchSize" });
});
