"""testdata/eventsourcing/*.json through the Python binding: appends with expected revisions,
metadata and scavenges; subscriptions, projections with Python folds, snapshots of Python
states, and replay; the persisted forms round trip and refuse corrupt input."""

from __future__ import annotations

import pytest

import cnarch
from cnarch.eventsourcing import CatchUpSubscription, EventStore, PersistentSubscription, Projection, Replay, Snapshots

from conftest import vectors

NOW = 1_700_000_000.0  # the vectors' default time (ms 1700000000000), in seconds


def uuid(n: int) -> str:
    return f"{n:032x}"[:8] + "-" + f"{n:032x}"[8:12] + "-" + f"{n:032x}"[12:16] + "-" + f"{n:032x}"[16:20] + "-" + f"{n:032x}"[20:]


def num(event) -> int:
    return int(event["id"].replace("-", ""), 16)


def secs(step, key, default=NOW):
    v = step.get(key)
    return default if v is None else v / 1000.0


def check_error(fn, step, what):
    if "error" in step:
        with pytest.raises(cnarch.CnarchError) as e:
            fn()
        assert e.value.code == step["error"], what
        if "actual" in step:
            actual = "no stream" if step["actual"] is None else str(step["actual"])
            assert f"the stream is at {actual}" in str(e.value), what
        return None
    return fn()


APPENDS = vectors("eventsourcing/appends.json")["scenarios"]


@pytest.mark.parametrize("sc", APPENDS, ids=[s["name"][:60] for s in APPENDS])
def test_append_vectors(sc):
    store = EventStore()
    for i, step in enumerate(sc["steps"]):
        what = f"{sc['name']} / step {i}"
        stream = step.get("stream", "")
        now = secs(step, "now")
        op = step["op"]
        if op == "append":
            events = [{"id": uuid(n), "type": "Happened", "data": {"n": n}} for n in step["ids"]]
            before = len(store)
            exp = step["expected"]
            r = check_error(lambda: store.append(stream, events, expected=exp, now=secs(step, "at")), step, what)
            if "ok" in step:
                assert r["next_expected_revision"] == step["ok"]["next"], what
                assert r["written"] == step["ok"]["written"], what
                assert (len(store) > before) == r["written"], what
            else:
                assert len(store) == before, what
        elif op in ("delete", "tombstone"):
            f = store.delete if op == "delete" else store.tombstone
            check_error(lambda: f(stream, expected=step["expected"]), step, what)
        elif op == "metadata":
            age = step.get("max_age_ms")
            check_error(
                lambda: store.set_metadata(
                    stream,
                    max_count=step.get("max_count"),
                    max_age=None if age is None else age / 1000.0,
                    truncate_before=step.get("truncate_before"),
                ),
                step,
                what,
            )
        elif op == "scavenge":
            assert store.scavenge(now) == step["removed"], what
        elif op == "read_all":
            assert [e["position"] for e in store.read_all()] == step["positions"], what
        elif op == "read":
            r = check_error(lambda: store.read_stream(stream, now=now), step, what)
            if "revisions" in step:
                assert [e["revision"] for e in r] == step["revisions"], what
        else:
            raise AssertionError(op)


def source(v):
    if "stream" in v:
        return v["stream"]
    return dict(v["all"])


def add(state, event):
    return state + [num(event)]


class Refused(Exception):
    """What a fold raises on the event a vector names."""


SUBS = vectors("eventsourcing/subscriptions.json")["scenarios"]


@pytest.mark.parametrize("sc", SUBS, ids=[s["name"][:60] for s in SUBS])
def test_subscription_vectors(sc):  # noqa: C901 - one branch per step kind
    store = EventStore()
    subs, projections, snaps = {}, {}, {}
    fail_on = {"id": None}

    def position_of(n):
        return next(e["position"] for e in store.read_all() if num(e) == n)

    for i, step in enumerate(sc["steps"]):
        what = f"{sc['name']} / step {i}"
        name = step.get("name", "")
        stream = step.get("stream", "")
        now = secs(step, "now")
        op = step["op"]
        if op == "append":
            if "events" in step:
                events = [{"id": uuid(e["id"]), "type": e["type"], "data": e["data"]} for e in step["events"]]
            else:
                events = [{"id": uuid(n), "type": "Happened", "data": {"n": n}} for n in step["ids"]]
            store.append(stream, events, now=secs(step, "at"))
        elif op == "tombstone":
            store.tombstone(stream)
        elif op == "metadata":
            store.set_metadata(stream, truncate_before=step["truncate_before"])
        elif op == "catchup":
            subs[name] = (source(step["source"]), step["batch"], CatchUpSubscription(source(step["source"]), checkpoint=step["checkpoint"], batch_size=step["batch"]))
        elif op == "poll":
            b = check_error(lambda: subs[name][2].poll(store, now), step, what)
            if "error" not in step:
                assert [num(e) for e in b["events"]] == step["ids"], what
                assert b["checkpoint"] == step["checkpoint"], what
                assert b["caught_up"] == step["caught_up"], what
        elif op == "ack":
            check_error(lambda: subs[name][2].ack(step["checkpoint"]), step, what)
        elif op == "crash":
            src, batch, c = subs[name]
            assert c.checkpoint == step["stored"], what
            subs[name] = (src, batch, CatchUpSubscription(src, checkpoint=c.checkpoint, batch_size=batch))
        elif op == "persistent":
            timeout = step.get("message_timeout_ms")
            subs[name] = PersistentSubscription(
                source(step["source"]),
                max_retry_count=step.get("max_retry_count"),
                message_timeout=None if timeout is None else timeout / 1000.0,
                buffer_size=step.get("buffer_size"),
            )
        elif op == "ppoll":
            got = [[num(d["event"]), d["retry_count"]] for d in subs[name].poll(store, now)]
            assert got == step["deliveries"], what
        elif op == "pack":
            check_error(lambda: subs[name].ack(position_of(step["id"])), step, what)
        elif op == "pnack":
            check_error(lambda: subs[name].nack(position_of(step["id"]), step["action"]), step, what)
        elif op == "pcheckpoint":
            assert subs[name].checkpoint == step["checkpoint"], what
        elif op == "parked":
            parked = subs[name].parked
            by_pos = {e["position"]: num(e) for e in store.read_all()}
            assert [by_pos[p["position"]] for p in parked] == step["ids"], what
            assert [p["reason"] for p in parked] == step["reasons"], what
        elif op == "replay_parked":
            subs[name].replay_parked(store)
        elif op == "fail_until_parked":
            p = subs[name]
            pos = position_of(step["id"])
            n = 0
            for t in range(100):
                for d in p.poll(store, now + t / 1000.0):
                    assert num(d["event"]) == step["id"] and d["retry_count"] == n, what
                    n += 1
                if p.outstanding == 1:
                    p.nack(pos, "retry")
                if p.parked:
                    break
            assert n == step["deliveries"], what
        elif op == "snapshots":
            every, keep = step.get("every_ms"), step.get("retention_ms")
            snaps[name] = Snapshots(
                every_events=step.get("every_events"),
                every=None if every is None else every / 1000.0,
                retention=None if keep is None else keep / 1000.0,
            )
        elif op == "load":
            s = snaps[name]
            r = s.load(store, stream, add, [], now)
            assert r["state"] == step["state"], what
            assert (r["revision"], r["snapshot"], r["events_read"]) == (step["revision"], step["snapshot"], step["events_read"]), what
            assert s.offer(stream, r["revision"], now, r["state"]) == step["taken"], what
        elif op == "list":
            assert [x["revision"] for x in snaps[name].list(stream)] == step["revisions"], what
        elif op == "replay":
            kw = {"batch_size": step["batch"], "stream_prefixes": step.get("stream_prefixes")}
            for end, key in (("from", "from"), ("to", "to")):
                b = step[key]
                if b and "position" in b:
                    kw[f"{end}_position"] = b["position"]
                if b and "time" in b:
                    kw[f"{end}_time"] = b["time"] / 1000.0
            r = check_error(lambda: Replay(store, **kw), step, what)
            if r is not None:
                assert r.progress["total"] == step["total"], what
                batches = []
                while (b := r.next_batch(store)) is not None:
                    batches.append([num(e) for e in b])
                    assert r.progress["position"] == b[-1]["position"], what
                assert batches == step["batches"], what
                assert r.progress["done"] == step["total"], what
        elif op == "projection":
            partition = {"none": None}.get(step["partition"], step["partition"])
            types = step["types"]

            def fold(state, event):
                if num(event) == fail_on["id"]:
                    raise Refused(num(event))
                return add(state, event)

            handlers = {t: fold for t in types} if types else fold
            p = check_error(lambda: Projection(handlers, source=source(step["source"]), partition=partition, initial=[], batch_size=2), step, what)
            if p is not None:
                projections[name] = p
        elif op == "run":
            p = projections[name]
            fail_on["id"] = step.get("fail_on")
            if "error_at" in step:
                with pytest.raises(Refused) as e:
                    p.run(store, now)
                assert e.value.args[0] == step["error_at"], what
            else:
                r = p.run(store, now)
                assert (r["folded"], r["passed_over"]) == (step["folded"], step["passed_over"]), what
            assert p.states == step["states"], what
        else:
            raise AssertionError(op)



def test_a_store_rust_wrote_loads_and_writes_back_the_same(root):
    text = (root / "testdata/eventsourcing/store.jsonl").read_text(encoding="utf-8")
    data = (root / "testdata/eventsourcing/store.bin").read_bytes()
    a = EventStore.from_json_lines(text)
    b = EventStore.from_bytes(data)
    for s in (a, b):
        assert s.to_json_lines() == text
        assert s.to_bytes() == data
        assert len(s) == 11
        events = s.read_stream("user-1")
        assert [num(e) for e in events] == [8, 9, 10, 11]
        # a payload that is JSON on one line reads as JSON; the pretty-printed one too (parsed),
        # bytes that are not JSON as base64
        assert events[0]["data"] == {"name": "\u00e9"}
        assert events[1]["data"] == {"pretty": True}
        assert events[3]["data"] is None and events[3]["data_base64"] == "bm90IGpzb24="
        with pytest.raises(cnarch.StateError) as e:
            s.read_stream("order-3")
        assert e.value.code == "stream_deleted"


def test_corrupt_and_truncated_stores_are_refused_with_the_offset(root):
    data = (root / "testdata/eventsourcing/store.bin").read_bytes()
    with pytest.raises(cnarch.ParseError) as e:
        EventStore.from_bytes(data[:-10])
    assert e.value.code == "corrupt_store" and "at byte" in str(e.value)
    flipped = bytearray(data)
    flipped[40] ^= 0x01
    with pytest.raises(cnarch.ParseError):
        EventStore.from_bytes(bytes(flipped))
    text = (root / "testdata/eventsourcing/store.jsonl").read_text(encoding="utf-8")
    cut = text[: text.rindex("{\"end\"")]
    with pytest.raises(cnarch.ParseError) as e:
        EventStore.from_json_lines(cut)
    assert f"at byte {len(cut)}" in str(e.value)


def test_a_python_store_round_trips_with_bytes_payloads_and_times():
    s = EventStore()
    r = s.append("acct-1", [{"id": uuid(1), "type": "Opened", "data": {"owner": "ana"}}], expected="no_stream", now=10.5)
    assert r == {"next_expected_revision": 0, "position": 0, "written": True}
    s.append("acct-1", [{"id": uuid(2), "type": "Blob", "data_base64": "AAEC"}], expected=0, now=11.0)
    with pytest.raises(cnarch.StateError) as e:
        s.append("acct-1", [{"id": uuid(3), "type": "Late"}], expected=0)
    assert e.value.code == "wrong_expected_version"
    back = EventStore.from_bytes(s.to_bytes())
    events = back.read_stream("acct-1")
    assert events[0]["created"] == 10.5 and events[0]["is_json"] is True
    assert events[1]["is_json"] is False and events[1]["data_base64"] == "AAEC"
    with pytest.raises(cnarch.ArgumentError) as e:
        s.append("$system", [{"id": uuid(9), "type": "X"}])
    assert e.value.code == "invalid_store_argument" and e.value.path == "stream"
    with pytest.raises(cnarch.ArgumentError) as e:
        s.append("a", [{"id": "nope", "type": "X"}])
    assert e.value.path == "events[0].id"


def test_a_read_without_now_hides_nothing_by_max_age():
    s = EventStore()
    s.append("a", [{"id": uuid(1), "type": "T"}], now=10.0)
    s.set_metadata("a", max_age=5.0)
    assert len(s.read_stream("a")) == 1
    assert s.read_stream("a", now=100.0) == []
