"""The shared conformance vectors in testdata/, run through the Python binding."""

import datetime as dt
import re

import pytest

import cnarch
from cnarch import _core
from conftest import vectors

Q = vectors("quantity.json")
D = vectors("duration.json")
S = vectors("schedule.json")

# The Prometheus duration grammar (its documented regular expression), used to tell which
# Go-invalid texts the either-syntax `parse_duration` still accepts.
PROM = re.compile(r"(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?")


@pytest.mark.parametrize("case", Q["parse"], ids=lambda c: c["input"])
def test_quantity_parse(case):
    for sign, prefix in [(1, ""), (-1, "-"), (1, "+")]:
        q = cnarch.Quantity(prefix + case["input"])
        assert q.nanos() == sign * int(case["nanos"])
        assert q.format == case["format"]


@pytest.mark.parametrize("case", Q["canonical"], ids=lambda c: c["input"])
def test_quantity_canonical(case):
    q = cnarch.Quantity(case["input"])
    assert str(q) == case["canonical"]
    assert cnarch.Quantity(case["canonical"]) == q


@pytest.mark.parametrize("text", Q["invalid"])
def test_quantity_invalid(text):
    with pytest.raises(cnarch.ParseError) as e:
        cnarch.Quantity(text)
    assert e.value.code.startswith("invalid_quantity") or e.value.code == "quantity_out_of_range"
    assert isinstance(e.value, ValueError)


def test_quantity_compare_and_arithmetic():
    for case in Q["compare"]:
        a, b = cnarch.Quantity(case["a"]), cnarch.Quantity(case["b"])
        assert (a > b) - (a < b) == case["cmp"]
    for case in Q["arithmetic"]:
        a = cnarch.Quantity(case["a"])
        if case["op"] == "neg":
            got = -a
        elif case["op"] == "add":
            got = a + cnarch.Quantity(case["b"])
        elif case["op"] == "sub":
            got = a - cnarch.Quantity(case["b"])
        else:
            continue  # integer scaling is not part of the Python API
        assert str(got) == case["result"]


@pytest.mark.parametrize("case", D["go_parse"], ids=lambda c: c["input"])
def test_go_durations(case):
    ns = int(case["nanos"])
    assert _core.parse_duration_ns(case["input"]) == ns
    micros = abs(ns) // 1000
    assert cnarch.parse_duration(case["input"]) == dt.timedelta(microseconds=-micros if ns < 0 else micros)


@pytest.mark.parametrize("text", D["go_invalid"])
def test_go_invalid_durations(text):
    if text and PROM.fullmatch(text):
        pytest.skip("valid Prometheus syntax")
    with pytest.raises(cnarch.ParseError):
        cnarch.parse_duration(text)


@pytest.mark.parametrize("case", D["prometheus_parse"], ids=lambda c: c["input"])
def test_prometheus_durations(case):
    assert _core.parse_duration_ns(case["input"]) == int(case["nanos"])


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize("case", S["next"], ids=lambda c: c["expr"])
def test_schedule_next(case):
    want = [at(t) for t in case["next"]]
    anchor = at(case["anchor"]) if "anchor" in case else None
    got = cnarch.Schedule(case["expr"]).next_after(at(case["after"]), max(len(want), 1), anchor=anchor)
    assert got[: len(want)] == want
    if not want:
        assert got == []
    assert all(t.tzinfo is not None and t.utcoffset() == dt.timedelta(0) for t in got)


@pytest.mark.parametrize("expr", S["invalid"])
def test_schedule_invalid(expr):
    with pytest.raises(cnarch.ParseError) as e:
        cnarch.Schedule(expr)
    assert e.value.code == "invalid_schedule"
