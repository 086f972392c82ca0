"""testdata/events/sqs.json through `cnarch.events.Queue`: scenarios of sends, receives,
deletes, visibility changes and metrics (times in seconds), and refused queues with their
paths."""

from __future__ import annotations

import pytest

import cnarch
from cnarch import events
from conftest import vectors

V = vectors("events/sqs.json")


def make(c):
    return events.Queue(
        c.get("queue", c.get("name")),
        c["attributes"],
        dead_letter_attributes=c.get("dead_letter_attributes"),
    )


def check_metrics(want, got, where):
    for k, v in want.items():
        if k == "oldest_age":
            assert got[k] == pytest.approx(v, abs=1e-9), where
        else:
            assert got[k] == v, (where, k)


def run_step(q, saved, s):
    now = s["at"]
    if "send" in s or "send_repeat" in s:
        body = "x" * s["send_repeat"] if "send_repeat" in s else s["send"]
        r = q.send(
            now,
            body,
            delay_seconds=s.get("delay"),
            message_group_id=s.get("group"),
            message_deduplication_id=s.get("dedup"),
        )
        for k, v in s.get("expect", {}).items():
            if k == "sequence_number":
                assert r[k] == str(v)
            else:
                assert r[k] == v, k
    elif "receive" in s:
        got = q.receive(
            now,
            max_messages=s["receive"],
            visibility_timeout=s.get("visibility"),
            wait_time_seconds=s.get("wait"),
            dead_letter=s.get("dead_letter", False),
        )
        if "expect" in s:
            assert [m["body"] for m in got] == s["expect"]
        if "counts" in s:
            assert [m["receive_count"] for m in got] == s["counts"]
        if "groups" in s:
            assert [m["message_group_id"] for m in got] == s["groups"]
        for m in got:
            assert m["sent_at"] <= now and m["first_received_at"] <= now
        if "save" in s:
            saved[s["save"]] = got
    elif "delete" in s:
        q.delete(now, saved[s["delete"]][s["index"]]["receipt_handle"])
    elif "change_visibility" in s:
        q.change_visibility(now, saved[s["change_visibility"]][s["index"]]["receipt_handle"], s["timeout"])
    elif "metrics" in s:
        got = q.metrics(now)
        check_metrics(s["metrics"], got, s)
        if "dead_letter" in s:
            check_metrics(s["dead_letter"], got["dead_letter"], s)
    else:
        raise AssertionError(f"unknown step {s}")


@pytest.mark.parametrize("c", V["scenarios"], ids=lambda c: c["name"])
def test_scenarios_run_as_sqs_documents(c):
    q = make(c)
    saved = {}
    for i, s in enumerate(c["steps"]):
        if "error" in s:
            with pytest.raises(cnarch.CnarchError) as info:
                run_step(q, saved, s)
            assert info.value.code == s["error"], (i, s)
            if "path" in s:
                assert info.value.path == s["path"], (i, s)
        else:
            run_step(q, saved, s)


@pytest.mark.parametrize("c", V["invalid"], ids=lambda c: c["source"])
def test_refused_queues_name_the_attribute(c):
    if c["code"] is None:
        assert make(c).name == c["name"]
        return
    with pytest.raises(cnarch.ConfigError) as info:
        make(c)
    assert info.value.code == c["code"]
    assert info.value.path == c["path"]
    assert isinstance(info.value, ValueError)


def test_queue_idioms():
    q = events.Queue("orders", {"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:eu-west-1:1:orders-dlq", "maxReceiveCount": "3"}})
    assert (q.name, q.dead_letter_name, q.fifo) == ("orders", "orders-dlq", False)
    assert "orders-dlq" in repr(q)
    sent = q.send(1.5, "hello")
    assert sent == {"message_id": "m-1", "sequence_number": None, "duplicate": False}
    [m] = q.receive(2.0, max_messages=10)
    assert m["sent_at"] == 1.5 and m["first_received_at"] == 2.0 and m["receive_count"] == 1
    m0 = q.metrics(2.0)
    assert (m0["visible"], m0["in_flight"], m0["dead_letter"]["visible"]) == (0, 1, 0)
    with pytest.raises(cnarch.StateError):
        q.delete(3.0, "not-a-handle")
    with pytest.raises(cnarch.ArgumentError):
        q.send(1.0, "late")  # before the last call
    with pytest.raises(cnarch.ArgumentError):
        q.change_visibility(3.0, m["receipt_handle"], 1.5)
    q.delete(3.0, m["receipt_handle"])
    assert q.metrics(3.0)["deleted"] == 1
