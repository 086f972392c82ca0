"""testdata/events/sns.json through `cnarch.events`: FilterPolicy verdicts with the keys that
filtered a message out, refused policies and attributes with their paths, Topic fan-out."""

from __future__ import annotations

import json

import pytest

import cnarch
from cnarch import events
from conftest import vectors

V = vectors("events/sns.json")


@pytest.mark.parametrize("c", V["filter"], ids=lambda c: c["name"])
def test_policies_filter_as_sns_documents(c):
    p = events.FilterPolicy(c["policy"], c["scope"])
    assert p.scope == c["scope"]
    assert events.FilterPolicy(json.dumps(c["policy"]), c["scope"]).keys == p.keys
    if "combinations" in c:
        assert p.combinations == c["combinations"]
    for m in c["messages"]:
        got = p.evaluate(m.get("attributes"), m.get("body"))
        assert got["delivered"] is m["delivered"], m
        assert got["failed_keys"] == m["failed_keys"], m
        assert p.matches(attributes=m.get("attributes"), body=m.get("body")) is m["delivered"]
        one_call = events.filter_policy_matches(
            c["policy"], attributes=m.get("attributes"), body=m.get("body"), scope=c["scope"]
        )
        assert one_call is m["delivered"]


@pytest.mark.parametrize("c", V["invalid"], ids=lambda c: c["name"])
def test_bad_policies_are_refused_with_their_path(c):
    with pytest.raises(cnarch.PatternError) as info:
        events.FilterPolicy(c["policy"], c["scope"])
    assert info.value.code == "invalid_filter_policy"
    assert info.value.path == c["path"]
    assert c["message_contains"] in str(info.value)


@pytest.mark.parametrize("c", V["invalid_attributes"], ids=lambda c: c["name"])
def test_bad_attributes_are_refused_with_their_path(c):
    p = events.FilterPolicy({"a": [{"exists": True}]})
    with pytest.raises(cnarch.CnarchError) as info:
        p.evaluate(c["attributes"])
    assert info.value.code == "invalid_message_attribute"
    assert info.value.path == "attributes." + c["path"]


@pytest.mark.parametrize("c", V["topic"], ids=lambda c: c["name"])
def test_topics_fan_out(c):
    t = events.Topic(c["topic"])
    for s in c["subscriptions"]:
        if "policy" in s:
            t.subscribe(s["name"], s["protocol"], s["policy"], scope=s["scope"])
        else:
            t.subscribe(s["name"], s["protocol"])
    assert t.subscriptions == [s["name"] for s in c["subscriptions"]]
    assert len(t) == len(c["subscriptions"])
    for m in c["messages"]:
        got = t.publish(m["attributes"], m["body"])
        assert [(d["subscription"], d["delivered"], d["failed_keys"]) for d in got] == [
            (d["subscription"], d["delivered"], d["failed_keys"]) for d in m["deliveries"]
        ]


def test_bodies_as_dicts_and_bad_arguments():
    p = events.FilterPolicy({"region": [{"prefix": "eu-"}]}, "MessageBody")
    assert p.matches(body={"region": "eu-west-1"}) is True
    assert p.evaluate(body="plain text") == {
        "delivered": False,
        "failed_keys": [],
        "reason": "the message body is not a JSON object",
    }
    with pytest.raises(cnarch.ArgumentTypeError) as info:
        p.evaluate(body=5)
    assert info.value.path == "body"
    with pytest.raises(cnarch.CnarchError) as scope:
        events.FilterPolicy({"a": ["x"]}, "Body")
    assert scope.value.code == "unknown_name"
    assert scope.value.path == "scope"
    t = events.Topic("orders.fifo")
    assert t.fifo is True
    with pytest.raises(cnarch.CnarchError) as proto:
        t.subscribe("q", "carrier-pigeon")
    assert proto.value.code == "unknown_name"
    with pytest.raises(cnarch.CnarchError) as no_policy:
        t.subscribe("q", "sqs", scope="Body")
    assert no_policy.value.path == "scope"
    with pytest.raises(cnarch.CnarchError) as typo:
        events.filter_policy_matches({"a": ["x"]}, scope="Body")
    assert typo.value.code == "unknown_name"
    t.subscribe("q", "sqs")
    assert t.unsubscribe("q") is True
    assert t.publish() == []
