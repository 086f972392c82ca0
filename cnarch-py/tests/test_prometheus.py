"""testdata/prometheus/series.json through `cnarch.prometheus.expand_series`: the Prometheus
parser's series tests, the unit-testing page's examples and cases checked with promtool."""

from __future__ import annotations

import math

import pytest

import cnarch
from cnarch import prometheus
from conftest import vectors

V = vectors("prometheus/series.json")


def want(v):
    if v is None:
        return None
    if v == "stale":
        return prometheus.STALE
    if v in ("+Inf", "-Inf"):
        return math.inf if v == "+Inf" else -math.inf
    return float(v)


@pytest.mark.parametrize("c", V["cases"], ids=lambda c: c["why"][:50])
def test_expand_series(c):
    assert prometheus.expand_series(c["notation"]) == [want(v) for v in c["values"]]


@pytest.mark.parametrize("c", V["invalid"], ids=lambda c: c["why"][:50])
def test_bad_notation(c):
    with pytest.raises(cnarch.ParseError) as info:
        prometheus.expand_series(c["notation"])
    assert info.value.code == "invalid_series" and info.value.path == "notation"


def test_stale_is_one_distinct_marker():
    got = prometheus.expand_series("stale 1 stale")
    assert got[0] is prometheus.STALE and got[2] is prometheus.STALE
    assert repr(got[0]) == "STALE" and got[1] == 1.0


@pytest.mark.parametrize("c", V["cases"], ids=lambda c: c["why"][:50])
def test_format_series_reads_back(c):
    values = prometheus.expand_series(c["notation"])
    assert prometheus.expand_series(prometheus.format_series(values)) == values


def test_format_series_compresses_and_checks():
    assert prometheus.format_series([1.0, 1.0, 1.0, None, None, 5, prometheus.STALE]) == "1x2 _x2 5 stale"
    with pytest.raises(cnarch.ArgumentTypeError) as info:
        prometheus.format_series([1.0, "x"])
    assert info.value.path == "values[1]"
    with pytest.raises(cnarch.ArgumentTypeError):
        prometheus.format_series([True])
