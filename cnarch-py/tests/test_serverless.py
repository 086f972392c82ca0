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
