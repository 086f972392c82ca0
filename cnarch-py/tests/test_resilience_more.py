"""Outlier detection, retry conditions, bulkheads and breaker snapshots through the Python
binding, on the shared testdata/resilience vectors."""

import json
import time

import pytest

import cnarch

from cnarch.resilience import Bulkhead, CircuitBreaker, OutlierDetector, RetryOn
from conftest import vectors


def _config(raw):
    return {(k[:-3] if k.endswith("_ms") else k): (v / 1000 if k.endswith("_ms") else v) for k, v in raw.items()}


@pytest.mark.parametrize("scenario", vectors("resilience/outlier.json")["scenarios"], ids=lambda s: s["name"])
def test_outlier_scenarios(scenario):
    hosts = [f"h{i}" for i in range(scenario["hosts"])]
    if "istio" in scenario:
        i = scenario["istio"]
        d = OutlierDetector.istio(i["consecutive_5xx_errors"], i["interval_ms"] / 1000, i["base_ejection_time_ms"] / 1000, hosts)
    else:
        d = OutlierDetector(hosts, **_config(scenario["config"]))
    events = []
    for step in scenario["steps"]:
        now = step["at"] / 1000
        for _ in range(step.get("times", 1) if "results" in step else 0):
            for r in step["results"]:
                d.record(now, step["host"], r)
        if step.get("advance"):
            d.advance(now)
        if "ejected" in step:
            assert d.ejected() == step["ejected"], step
        for e in d.events():
            j = {"at": round(e.at * 1000), "host": e.host, "action": e.action}
            if e.kind is not None:
                j["kind"] = e.kind
            if e.duration is not None:
                j["duration_ms"] = round(e.duration * 1000)
            events.append(j)
    assert events == scenario["events"]


def test_outlier_bad_input():
    with pytest.raises(ValueError, match="max_ejection_percent"):
        OutlierDetector(max_ejection_percent=150)
    with pytest.raises(ValueError, match="base_ejection_time"):
        OutlierDetector(base_ejection_time=60, max_ejection_time=30)
    d = OutlierDetector(["a"])
    with pytest.raises(ValueError, match="HTTP status"):
        d.record(0, "a", "teapot")
    with pytest.raises(ValueError, match="HTTP status"):
        d.record(0, "a", 700)
    with pytest.raises(TypeError):
        d.record(0, "a", 1.5)
    assert d.hosts == ["a"] and d.remove_host("a") and not d.remove_host("a")


def test_retry_on_vectors():
    v = vectors("resilience/retry_on.json")
    for c in v["cases"]:
        if c.get("istio_default"):
            on = RetryOn.istio_default()
        elif "grpc_codes" in c:
            on = RetryOn.grpc(c["grpc_codes"])
        else:
            on = RetryOn(c["retry_on"], c.get("status_codes", []))
        assert on.should_retry(c["outcome"]) is c["retry"], c
    for bad in v["invalid"]:
        with pytest.raises(ValueError, match=bad):
            RetryOn(bad)
    with pytest.raises(ValueError, match="gRPC"):
        RetryOn.grpc(["NOPE"])
    with pytest.raises(ValueError, match="outcome"):
        RetryOn("5xx").should_retry("explosion")


@pytest.mark.parametrize("scenario", vectors("resilience/bulkhead.json")["scenarios"], ids=lambda s: s["name"])
def test_bulkhead_scenarios(scenario):
    c = scenario["config"]
    b = Bulkhead(c["max_concurrent"], c["max_queued"], c["max_wait_ms"] / 1000 if "max_wait_ms" in c else None)
    for step in scenario["steps"]:
        now = step["at"] / 1000
        if "enter" in step:
            got = b.try_enter(now)
            kind = "admitted" if got.admitted else "queued" if got.queued else "rejected"
            assert kind == step["enter"], step
            assert bool(got) is got.admitted
            if "ticket" in step:
                assert got.ticket == step["ticket"], step
        if "release" in step:
            assert b.release(now) == step["release"], step
        if "expire" in step:
            assert b.expire(now) == step["expire"], step
        if "active" in step:
            assert (b.active, b.queued) == (step["active"], step["queued"]), step


def test_bulkhead_misuse():
    with pytest.raises(ValueError, match="max_concurrent"):
        Bulkhead(0)
    b = Bulkhead(1, 1)
    with pytest.raises(ValueError, match="released"):
        b.release(0)
    assert b.try_enter(0)
    t = b.try_enter(0).ticket
    assert b.cancel(t) and not b.cancel(t)
    assert b.try_enter(0).queued
    full = b.try_enter(0)
    assert not full and not full.queued and full.ticket is None
    assert b.rejected == 1


def test_breaker_snapshot_restore_round_trip():
    cfg = dict(sliding_window_size=4, minimum_number_of_calls=4, wait_duration_in_open_state=5.0)
    a = CircuitBreaker(**cfg)
    for ok in (True, False, True):
        a.record(1.0, a.try_acquire(1.0), ok)
    snap = json.loads(json.dumps(a.snapshot()))
    assert snap["state"] == "closed" and len(snap["window"]) == 3
    b = CircuitBreaker.restore(snap, **cfg)
    assert b.metrics(1.0) == a.metrics(1.0)
    b.record(1.0, b.try_acquire(1.0), False)
    assert b.state(1.0) == "open"  # 2 of 4 failed, as the original would have
    rejected = b.try_acquire(2.0)
    assert not rejected and rejected.retry_after == pytest.approx(4.0)
    snap["window"] = snap["window"] * 3
    with pytest.raises(ValueError, match="sliding_window_size"):
        CircuitBreaker.restore(snap, **cfg)
    with pytest.raises(ValueError):
        CircuitBreaker.restore({"state": "ajar"}, **cfg)


def test_retry_budget_refuses_a_percentage_out_of_range():
    from cnarch.resilience import RetryBudget

    with pytest.raises(ValueError, match="budget_percent"):
        RetryBudget(150.0, 3)
    with pytest.raises(ValueError, match="budget_percent"):
        RetryBudget(float("nan"), 3)
    assert RetryBudget(20.0, 3).max_active_retries(100) == 20


def test_call_records_exceptions_only_and_honours_ignore_and_exclude():
    import asyncio

    from cnarch.resilience import CallNotPermitted, CircuitBreaker

    class Skip(Exception):
        pass

    class Fine(Exception):
        pass

    cb = CircuitBreaker(minimum_number_of_calls=100, ignore_exceptions=Skip, exclude=(Fine,))

    def raising(exc):
        raise exc

    for exc in (KeyboardInterrupt(), SystemExit(), GeneratorExit(), Skip()):
        with pytest.raises(type(exc)):
            cb.call(raising, exc)
    assert cb.metrics(time.monotonic())["calls"] == 0  # passed through, not counted
    with pytest.raises(Fine):
        cb.call(raising, Fine())
    with pytest.raises(ValueError):
        cb.call(raising, ValueError("boom"))
    m = cb.metrics(time.monotonic())
    assert (m["calls"], m["failed"]) == (2, 1)
    assert cb.call(lambda a, b=0: a + b, 1, b=2) == 3

    async def fails():
        raise RuntimeError("late")

    with pytest.raises(TypeError, match="async_call"):
        cb.call(fails)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            asyncio.run(cb.async_call(fails))
    m = cb.metrics(time.monotonic())
    assert (m["calls"], m["failed"]) == (6, 4)  # the awaited failures, not coroutine creation

    wrapped = cb(fails)
    with pytest.raises(RuntimeError):
        asyncio.run(wrapped())
    forced = CircuitBreaker()
    forced.transition_to_forced_open(time.monotonic())
    with pytest.raises(CallNotPermitted) as e:
        forced.call(lambda: 1)
    assert e.value.code == "call_not_permitted" and e.value.rejected.state == "forced_open"
    # A rejection raised inside the call (an inner breaker) is not counted as a failure.
    with pytest.raises(CallNotPermitted):
        cb.call(forced.call, lambda: 1)
    assert cb.metrics(time.monotonic())["failed"] == 5


def test_istio_defaults_are_istios_and_durations_take_timedelta_or_text():
    import datetime as dt

    by_default = OutlierDetector.istio(hosts=["a", "b"])
    explicit = OutlierDetector.istio(5, dt.timedelta(seconds=10), "30s", ["a", "b"])
    for d in (by_default, explicit):
        for _ in range(4):
            d.record(1.0, "a", 503)
        assert d.ejected() == []
        d.record(1.0, "a", 503)
        assert d.ejected() == ["a"]
        d.advance(40.0)
    assert by_default.events() == explicit.events()
    with pytest.raises(cnarch.CnarchError) as e:
        OutlierDetector.istio(interval=-1)
    assert e.value.code == "invalid_time"


def test_bulkhead_max_wait_as_timedelta_or_text():
    import datetime as dt

    for wait in (0.05, dt.timedelta(milliseconds=50), "50ms"):
        b = Bulkhead(1, 1, wait)
        b.try_enter(0.0)
        waiting = b.try_enter(0.0)
        assert b.expire(0.04) == []
        assert b.expire(0.06) == [waiting.ticket]
