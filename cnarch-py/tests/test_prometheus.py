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


# The text exposition format: testdata/prometheus/exposition.json.
import math as _math

from cnarch import prometheus as _prom

EXPO = vectors("prometheus/exposition.json")


def _same(a, b):
    def norm(fams):
        return [
            (f["name"], f["help"], f["type"], [(s[0], s[1], "nan" if _math.isnan(s[2]) else s[2], s[3]) for s in f["samples"]])
            for f in fams
        ]

    return norm(a) == norm(b)


@pytest.mark.parametrize("c", EXPO["valid"], ids=lambda c: c["name"][:40])
def test_exposition_round_trip(c):
    f = _prom.parse(c["text"])
    text = _prom.render(f)
    assert _same(_prom.parse(text), f)


def test_exposition_document_example():
    f = _prom.parse(EXPO["valid"][0]["text"])
    assert [x["type"] for x in f] == ["counter", "untyped", "untyped", "untyped", "histogram", "summary"]
    assert f[0]["samples"][0] == ("http_requests_total", {"method": "post", "code": "200"}, 1027.0, 1395066363000)
    assert f[1]["samples"][0][1]["error"] == 'Cannot find file:\n"FILE.TXT"'
    assert f[3]["samples"][0][2] == _math.inf
    assert f[4]["samples"][-1] == ("http_request_duration_seconds_count", {}, 144320.0, None)


@pytest.mark.parametrize("c", EXPO["invalid"], ids=lambda c: c["name"][:40])
def test_exposition_refusals(c):
    with pytest.raises(cnarch.ParseError) as info:
        _prom.parse(c["text"])
    assert info.value.code == "invalid_exposition"
    assert info.value.position == (c["line"], c["column"])


def test_render_from_dicts_and_refusals():
    text = _prom.render([{"name": "up", "type": "gauge", "help": "Up.", "samples": [{"name": "up", "labels": {"job": "a"}, "value": float("nan")}, ("up", {"job": "b"}, 1, 17)]}])
    assert text == '# HELP up Up.\n# TYPE up gauge\nup{job="a"} NaN\nup{job="b"} 1 17\n'
    with pytest.raises(cnarch.ParseError) as info:
        _prom.render([{"name": "up", "samples": [("down", {}, 1)]}])
    assert info.value.path == "families[0].samples[0].name"
    with pytest.raises(cnarch.ArgumentTypeError) as t:
        _prom.render([{"name": "up", "samples": [("up", {}, "one")]}])
    assert t.value.path == "families[0].samples[0].value"


def test_render_model_metrics():
    text = _prom.render_metrics([{"name": "queue_depth", "type": "gauge", "value": 7, "labels": {"queue": "q"}}])
    assert text == '# TYPE queue_depth gauge\nqueue_depth{queue="q"} 7\n'
    with pytest.raises(cnarch.ParseError) as info:
        _prom.render_metrics([{"name": "h", "type": "histogram", "value": 1}])
    assert info.value.path == "metrics[0].type"
