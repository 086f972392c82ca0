"""testdata/events/patterns.json through `cnarch.events`: matches, PatternMatcher and the refused
patterns (PatternError with the pattern path, keys as written)."""

from __future__ import annotations

import json

import pytest

import cnarch
from cnarch import events
from conftest import vectors

V = vectors("events/patterns.json")


@pytest.mark.parametrize("c", V["matches"], ids=lambda c: c["name"])
def test_patterns_match_as_event_ruler(c):
    assert events.matches(c["pattern"], c["event"]) is c["matches"]
    assert events.matches(json.dumps(c["pattern"]), json.dumps(c["event"])) is c["matches"]
    m = events.PatternMatcher()
    m.add("r", c["pattern"])
    assert m.match(c["event"]) == (["r"] if c["matches"] else [])


@pytest.mark.parametrize("c", V["invalid"], ids=lambda c: c["name"])
def test_bad_patterns_raise_with_their_path(c):
    with pytest.raises(cnarch.PatternError) as info:
        events.matches(c["pattern"], {})
    assert isinstance(info.value, ValueError)
    assert info.value.code == "invalid_event_pattern"
    assert info.value.path == c["path"]
    m = events.PatternMatcher()
    with pytest.raises(cnarch.PatternError):
        m.add("bad", c["pattern"])
    assert len(m) == 0


@pytest.mark.parametrize("c", V["machine"], ids=lambda c: c["name"])
def test_many_rules_then_removal(c):
    m = events.PatternMatcher()
    for name, p in c["rules"]:
        m.add(name, p)
    for e in c["events"]:
        assert m.match(e["event"]) == e["matches"]
    assert c["remove"] in m
    assert m.remove(c["remove"]) is True
    assert m.remove(c["remove"]) is False
    assert c["remove"] not in m.names
    for e in c["after_remove"]:
        assert m.match(e["event"]) == e["matches"]


def test_events_must_be_objects():
    with pytest.raises(cnarch.ArgumentTypeError) as info:
        events.matches({"a": [1]}, [1])
    assert info.value.path == "event"
    with pytest.raises(TypeError):
        events.matches({"a": [1]}, "{not json")
    with pytest.raises(cnarch.PatternError) as bad:
        events.matches(5, {})
    assert bad.value.path is None
    deep: dict = {}
    cur = deep
    for _ in range(200):
        cur["a"] = {}
        cur = cur["a"]
    with pytest.raises(cnarch.CnarchError) as info:
        events.matches({"a": [1]}, deep)
    assert info.value.path == "event"


def test_event_values_outside_json_are_refused_with_their_path():
    with pytest.raises(cnarch.ArgumentTypeError) as info:
        events.matches({"a": [1]}, {"detail": {"items": [1, {"when": object()}]}})
    assert info.value.path == "event.detail.items[1].when"
    with pytest.raises(cnarch.CnarchError) as nan:
        events.matches({"a": [1]}, {"detail": {"x": float("nan")}})
    assert nan.value.path == "event.detail.x"
    with pytest.raises(cnarch.ArgumentTypeError) as key:
        events.matches({"a": [1]}, {"detail": {1: "x"}})
    assert key.value.path == "event.detail"
    with pytest.raises(cnarch.ArgumentTypeError):
        events.matches({"a": [1]}, {"a": 2**70})
    # Tuples read as lists, as json.dumps writes them.
    assert events.matches({"a": [2]}, {"a": (1, 2)}) is True
    assert events.matches({"a": [{"numeric": [">", 1]}]}, {"a": 1.5}) is True


def nested(levels: int) -> dict:
    out: dict = {}
    cur = out
    for _ in range(levels - 1):
        cur["a"] = {}
        cur = cur["a"]
    cur["a"] = 1
    return out


def test_matcher_reads_dicts_in_place_with_the_same_refusals():
    m = events.PatternMatcher()
    m.add("r", {"detail": {"x": [{"exists": True}]}})
    # Values no pattern reads are still checked: the same errors and paths as converting.
    for bad, path in [
        ({"detail": {"items": [1, {"when": object()}]}}, "event.detail.items[1].when"),
        ({"other": {"x": float("nan")}}, "event.other.x"),
        ({"other": {1: "x"}}, "event.other"),
        ({"other": 2**70}, "event.other"),
    ]:
        with pytest.raises(cnarch.CnarchError) as in_place:
            m.match(bad)
        with pytest.raises(cnarch.CnarchError) as converted:
            events.matches({"detail": {"x": [{"exists": True}]}}, bad)
        assert in_place.value.path == converted.value.path == path
        assert type(in_place.value) is type(converted.value)
    # The core's depth limit, 128 levels, holds in place too.
    assert m.match(nested(128)) == []
    with pytest.raises(cnarch.CnarchError) as deep:
        m.match(nested(129))
    assert deep.value.path == "event"
    assert m.match({"detail": {"x": None}, "t": (1, 2)}) == ["r"]
    assert m.match(json.dumps({"detail": {"x": 1}})) == ["r"]
