"""The `retry` decorator: attempts and waits from the core's RetryPolicy, tenacity's stop and
retry options, sync and async."""

import asyncio

import pytest

import cnarch
from cnarch.resilience import CallNotPermitted, RetryPolicy, retry


class Flaky:
    """Fails `failures` times with `error`, then returns "ok"."""

    def __init__(self, failures, error=ValueError):
        self.failures, self.error, self.calls = failures, error, 0

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error(f"failure {self.calls}")
        return "ok"


def test_waits_are_the_policys_delays_for_the_seed():
    slept = []
    policy = RetryPolicy(4, initial=0.5, max_delay=3, jitter="none")
    f = retry(policy, seed=7, sleep=slept.append)(Flaky(2))
    assert f() == "ok"
    assert slept == policy.delays(7)[:2] == [0.5, 1.0]
    assert f.retry_statistics == {"attempts": 3, "delays": [0.5, 1.0]}


def test_seeded_jitter_is_reproducible_and_unseeded_calls_differ():
    policy = RetryPolicy(5)
    runs = []
    for _ in range(2):
        slept = []
        f = retry(policy, seed=42, sleep=slept.append)(Flaky(10))
        with pytest.raises(ValueError):
            f()
        runs.append(slept)
    assert runs[0] == runs[1] == policy.delays(42)
    f = retry(policy, sleep=lambda s: None)(Flaky(100))
    seen = set()
    for _ in range(3):
        with pytest.raises(ValueError):
            f()
        seen.add(tuple(f.retry_statistics["delays"]))
    assert len(seen) == 3


def test_gives_up_after_max_attempts_with_the_last_exception():
    flaky = Flaky(10)
    f = retry(max_attempts=3, initial=0.01, sleep=lambda s: None)(flaky)
    with pytest.raises(ValueError, match="failure 3"):
        f()
    assert flaky.calls == 3


def test_retry_on_types_and_predicates():
    other = Flaky(1, KeyError)
    with pytest.raises(KeyError):
        retry(max_attempts=5, retry_on=ValueError, sleep=lambda s: None)(other)()
    assert other.calls == 1
    picky = Flaky(2)
    f = retry(max_attempts=5, retry_on=lambda e: "failure" in str(e), sleep=lambda s: None)(picky)
    assert f() == "ok" and picky.calls == 3
    rejected = Flaky(1, lambda m: CallNotPermitted(m))
    with pytest.raises(CallNotPermitted):
        retry(max_attempts=3, retry_on=ValueError, sleep=lambda s: None)(rejected)()


def test_keyboard_interrupt_and_system_exit_pass_through():
    for error in (KeyboardInterrupt, SystemExit):
        flaky = Flaky(1, error)
        with pytest.raises(error):
            retry(max_attempts=3, sleep=lambda s: None)(flaky)()
        assert flaky.calls == 1


def test_stop_after_is_time_since_the_first_attempt():
    now = [0.0]

    def clock():
        return now[0]

    def slow():
        now[0] += 10
        raise ValueError("slow")

    f = retry(max_attempts=10, stop_after="15s", clock=clock, sleep=lambda s: None)(slow)
    with pytest.raises(ValueError):
        f()
    assert f.retry_statistics["attempts"] == 2
    with pytest.raises(cnarch.CnarchError) as e:
        retry(max_attempts=2, stop_after=-1)
    assert e.value.path == "stop_after"


def test_async_functions_are_awaited_and_retried():
    slept = []
    calls = []

    async def pause(s):
        slept.append(s)

    @retry(RetryPolicy(3, initial=0.25, jitter="none"), sleep=pause)
    async def fetch():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("down")
        return "up"

    assert asyncio.run(fetch()) == "up"
    assert slept == [0.25, 0.5] and len(calls) == 3


def test_needs_a_policy_or_its_options():
    with pytest.raises(TypeError):
        retry()
    with pytest.raises(TypeError):
        retry(RetryPolicy(2), max_attempts=3)
