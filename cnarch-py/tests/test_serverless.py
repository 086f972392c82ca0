"""testdata/serverless/cost.json through `cnarch.serverless`: AWS's pricing examples, rounding
to the millisecond, tiers, timeouts, refused usage and price tables, and the findings of
`check` on architectures."""

from __future__ import annotations

import pytest

import cnarch
from cnarch import serverless
from conftest import vectors

V = vectors("serverless/cost.json")


@pytest.mark.parametrize("c", V["cost"], ids=lambda c: c["name"])
def test_costs_follow_the_pricing_page(c):
    got = serverless.cost(c["function"], **c["usage"])
    for k, want in c["expect"].items():
        if isinstance(want, bool):
            assert got[k] is want, k
        else:
            assert got[k] == pytest.approx(want, rel=1e-9, abs=1e-12), k
    assert got["total_cost"] == pytest.approx(got["compute_cost"] + got["request_cost"])


@pytest.mark.parametrize("c", V["invalid"], ids=lambda c: c["name"])
def test_bad_usage_and_tables_are_refused(c):
    with pytest.raises(cnarch.CnarchError) as info:
        serverless.cost(c["function"], **c["usage"])
    assert info.value.code == c["code"]
    assert info.value.path == c["path"]
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("c", V["check"], ids=lambda c: c["name"])
def test_checks(c):
    got = serverless.check(c["architecture"])
    assert [[f["path"], f["code"], f["severity"]] for f in got] == c["findings"]
    assert all("expected" in f["message"] for f in got)


def test_default_prices_round_trip_as_a_table():
    t = serverless.default_prices()
    assert t["free_tier"] == {"requests": 1000000, "gb_seconds": 400000.0}
    fn = {"runtime": "go1.x", "handler": "main.Handler", "memory": 256}
    a = serverless.cost(fn, invocations=10, duration=0.5, prices=t)
    b = serverless.cost(fn, invocations=10, duration=0.5)
    assert a == b and a["memory_mb"] == 256 and a["architecture"] == "x86_64"
    with pytest.raises(cnarch.ValidationError):
        serverless.cost({"runtime": "go1.x"}, invocations=1, duration=1.0)
    with pytest.raises(cnarch.ArgumentError):
        serverless.cost(fn, invocations=1, duration=-1.0)


E = vectors("serverless/esm.json")


@pytest.mark.parametrize("c", E["invalid"], ids=lambda c: c["source"] + c["path"])
def test_event_source_mappings_lambda_refuses(c):
    with pytest.raises(cnarch.ConfigError) as info:
        m = serverless.EventSourceMapping(c["mapping"])
        assert c.get("fifo")
        q = cnarch.events.Queue("q.fifo", {"FifoQueue": True})
        m.drain(q, duration=1.0, arrivals=[], until=1.0)
    assert info.value.code == "invalid_event_source_mapping"
    assert info.value.path == c["path"]


@pytest.mark.parametrize("c", E["valid"], ids=lambda c: c["source"])
def test_event_source_mapping_settings(c):
    assert serverless.EventSourceMapping(c["mapping"]).settings == c["expect"]


@pytest.mark.parametrize("c", E["drain"], ids=lambda c: c["name"])
def test_drains(c):
    q = cnarch.events.Queue(c["queue"], c["attributes"])
    m = serverless.EventSourceMapping(c["mapping"])
    got = m.drain(q, arrivals=c["arrivals"], until=c["until"], **c["consumer"])
    for k, v in c.get("expect", {}).items():
        assert got[k] == v, k
    for at, want in c.get("points", {}).items():
        p = got["points"][int(at)]
        assert p["at"] == float(at)
        for k, v in want.items():
            assert p[k] == v, (at, k)
    # The queue was drained in place: its own numbers agree with the timeline's.
    assert q.metrics(c["until"])["deleted"] == got["deleted"]
