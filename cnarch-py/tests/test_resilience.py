"""testdata/resilience/ vectors and the resilience API, through the Python binding."""

import time

import pytest

from cnarch.resilience import (
    CallNotPermitted,
    CircuitBreaker,
    Gcra,
    Permit,
    Rejected,
    RetryBudget,
    RetryPolicy,
    RetryQuota,
    RetryThrottle,
    TokenBucket,
)
from conftest import vectors

BREAKER = vectors("resilience/breaker.json")["scenarios"]


def _seconds(d):
    return d["secs"] + d["nanos"] / 1e9 if isinstance(d, dict) else d


@pytest.mark.parametrize("scenario", BREAKER, ids=lambda s: s["name"])
def test_breaker_scenarios(scenario):
    cb = CircuitBreaker(**{k: _seconds(v) for k, v in scenario["config"].items()})
    for step in scenario["steps"]:
        now = step["at"] / 1000
        if "state" in step:
            assert cb.state(now) == step["state"], step
        if "try" in step:
            got = cb.try_acquire(now)
            assert ("permit" if got else "rejected") == step["try"], step
            if not got and "retry_after_ms" in step:
                assert got.retry_after == pytest.approx(step["retry_after_ms"] / 1000)
        if "do" in step:
            permit = cb.try_acquire(now)
            assert isinstance(permit, Permit), step
            success = {"ok": True, "slow": True, "fail": False, "ignore": None}[step["do"]]
            cb.record(now, permit, success, step.get("ms", 0) / 1000)


def test_breaker_call_and_decorator():
    cb = CircuitBreaker(sliding_window_size=2, minimum_number_of_calls=2, wait_duration_in_open_state=3600.0)

    @cb
    def flaky(x):
        if x < 0:
            raise RuntimeError("boom")
        return x * 2

    assert flaky(2) == 4
    with pytest.raises(RuntimeError):
        flaky(-1)
    assert cb.metrics(0.0)["failed"] == 1  # one failure in two calls: 50 %, so it opened
    with pytest.raises(CallNotPermitted) as e:
        flaky(1)
    assert isinstance(e.value.rejected, Rejected) and e.value.rejected.state == "open"
    cb.transition_to_forced_open(0.0)
    assert cb.state(0.0) == "forced_open" and not cb.try_acquire(0.0)


def test_retry_policies():
    assert RetryPolicy.grpc(9, 0.1, 1.0, 2.0).max_attempts == 5
    p = RetryPolicy(4, backoff="exponential", initial=0.1, multiplier=2.0, max_delay=1.0, jitter="equal")
    d = p.delays(7)
    assert d == p.delays(7) and len(d) == 3
    assert all(0.05 * 2**i - 1e-9 <= x <= min(0.1 * 2**i, 1.0) + 1e-9 for i, x in enumerate(d))
    assert len(RetryPolicy.envoy().delays(1)) == 1
    with pytest.raises(ValueError):
        RetryPolicy(3, jitter="sometimes")
    with pytest.raises(ValueError):
        RetryPolicy(3, backoff="fibonacci")
    for bad in (float("inf"), float("nan"), -1.0, 1e300):
        with pytest.raises(ValueError):
            RetryPolicy(3, initial=0.1, max_delay=bad)


def test_bad_durations_are_value_errors_not_crashes():
    cb = CircuitBreaker()
    permit = cb.try_acquire(0.0)
    assert isinstance(permit, Permit)
    for bad in (float("inf"), float("nan"), -1.0):
        with pytest.raises(ValueError):
            cb.record(0.0, permit, True, bad)
    cb.record(0.0, permit, True, 0.5)
    assert cb.metrics(0.0)["calls"] == 1


def test_budget_vectors():
    v = vectors("resilience/budgets.json")
    g = v["grpc_throttle"]
    t = RetryThrottle(g["max_tokens"], g["token_ratio"])
    for step in g["steps"]:
        for _ in range(step.get("times", 1)):
            if step["event"] == "failure":
                t.on_failure()
            elif step["event"] == "success":
                t.on_success()
        if "allows" in step:
            assert t.allows_retry() is step["allows"], step
        if "tokens" in step:
            assert t.tokens == pytest.approx(step["tokens"]), step
    for c in v["envoy_budget"]:
        b = RetryBudget(c["budget_percent"], c["min_retry_concurrency"])
        assert b.max_active_retries(c["active_requests"]) == c["max_active_retries"]
    q = RetryQuota()
    for step in v["aws_quota"]["steps"]:
        for _ in range(step.get("times", 1)):
            e = step["event"]
            granted = True
            if e == "retry":
                granted = q.acquire() is not None
            elif e == "timeout_retry":
                granted = q.acquire(after_timeout=True) is not None
            elif e == "success_after_retry":
                q.on_success(step["cost"])
            else:
                q.on_success()
            if "granted" in step:
                assert granted is step["granted"], step
        assert q.available == step["available"], step


@pytest.mark.parametrize("scenario", vectors("resilience/ratelimit.json")["scenarios"], ids=lambda s: s["name"])
def test_rate_limit_scenarios(scenario):
    limiter = (Gcra if scenario["kind"] == "gcra" else TokenBucket)(scenario["rate"], scenario["burst"])
    for step in scenario["steps"]:
        now = step["at"] / 1000
        if "error" in step:
            with pytest.raises(ValueError):
                limiter.check(now, step["n"])
            continue
        d = limiter.check(now, step["n"])
        assert d.allowed is step["allowed"], step
        if "retry_after_ms" in step:
            assert d.retry_after == pytest.approx(step["retry_after_ms"] / 1000)


def test_times_are_checked_not_clamped():
    cb = CircuitBreaker()
    for bad in (float("nan"), -1.0, float("inf"), 1e11):
        with pytest.raises(ValueError, match="expected a time"):
            cb.try_acquire(bad)
        with pytest.raises(ValueError, match="expected a time"):
            cb.state(bad)
    assert cb.state(time.time()) == "closed"
