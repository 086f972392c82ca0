"""Resilience from the Rust core (`cnarch_core::resilience`): a circuit breaker with
resilience4j's model, retry policies with seeded jitter, retry budgets and rate limiters.

Times are seconds as floats on a monotonic timeline the caller chooses (pass
`time.monotonic()`, or a simulated clock). Keyword names of `CircuitBreaker` are
resilience4j's in snake_case; absent ones take resilience4j's defaults.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, TypeVar

from . import _core
from ._core import RetryBudget, RetryQuota, RetryThrottle

__all__ = [
    "CircuitBreaker",
    "CallNotPermitted",
    "Permit",
    "Rejected",
    "RetryPolicy",
    "RetryThrottle",
    "RetryBudget",
    "RetryQuota",
    "TokenBucket",
    "Gcra",
    "RateDecision",
]

T = TypeVar("T")

_DURATIONS = (
    "slow_call_duration_threshold",
    "max_wait_duration_in_half_open_state",
    "wait_duration_in_open_state",
    "max_wait_duration_in_open_state",
)


def _duration(seconds: float) -> Dict[str, int]:
    if seconds < 0:
        raise ValueError(f"expected a duration of zero or more seconds, found {seconds}")
    ns = round(seconds * 1e9)
    return {"secs": ns // 1_000_000_000, "nanos": ns % 1_000_000_000}


class Permit:
    """Permission for one call (truthy); hand it back to `CircuitBreaker.record`."""

    __slots__ = ("_inner",)

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class Rejected:
    """A refused call (falsy): the state that refused it and, when known, the wait in seconds."""

    state: str
    retry_after: Optional[float]

    def __bool__(self) -> bool:
        return False


class CallNotPermitted(Exception):
    """Raised by `CircuitBreaker.call` when the breaker refuses the call."""

    def __init__(self, rejected: Rejected) -> None:
        super().__init__(f"call not permitted: breaker is {rejected.state}")
        self.rejected = rejected


class CircuitBreaker:
    """A thread-safe circuit breaker (resilience4j's states, windows and thresholds)."""

    def __init__(
        self,
        *,
        failure_rate_threshold: Optional[float] = None,
        slow_call_rate_threshold: Optional[float] = None,
        slow_call_duration_threshold: Optional[float] = None,
        sliding_window_type: Optional[str] = None,
        sliding_window_size: Optional[int] = None,
        minimum_number_of_calls: Optional[int] = None,
        permitted_number_of_calls_in_half_open_state: Optional[int] = None,
        max_wait_duration_in_half_open_state: Optional[float] = None,
        wait_duration_in_open_state: Optional[float] = None,
        wait_multiplier: Optional[float] = None,
        max_wait_duration_in_open_state: Optional[float] = None,
        automatic_transition_from_open_to_half_open_enabled: Optional[bool] = None,
        consecutive_failures: Optional[int] = None,
    ) -> None:
        given = {k: v for k, v in locals().items() if k != "self" and v is not None}
        config = {k: (_duration(v) if k in _DURATIONS else v) for k, v in given.items()}
        self._inner = _core._CircuitBreaker(config)

    def try_acquire(self, now: float) -> "Permit | Rejected":
        permit, state, retry_after = self._inner.try_acquire(now)
        if permit is not None:
            return Permit(permit)
        return Rejected(state or "open", retry_after)

    def record(self, now: float, permit: Permit, success: Optional[bool], duration: float = 0.0) -> None:
        """Records the outcome (`success=None`: not counted, like resilience4j's ignored
        exceptions)."""
        self._inner.record(now, permit._inner, success, duration)

    def state(self, now: float) -> str:
        return self._inner.state(now)

    def metrics(self, now: float) -> Dict[str, Any]:
        result: Dict[str, Any] = self._inner.metrics(now)
        return result

    def transition_to_closed(self, now: float) -> None:
        self._inner.transition_to(now, "closed")

    def transition_to_open(self, now: float) -> None:
        self._inner.transition_to(now, "open")

    def transition_to_half_open(self, now: float) -> None:
        self._inner.transition_to(now, "half_open")

    def transition_to_disabled(self, now: float) -> None:
        self._inner.transition_to(now, "disabled")

    def transition_to_forced_open(self, now: float) -> None:
        self._inner.transition_to(now, "forced_open")

    def transition_to_metrics_only(self, now: float) -> None:
        self._inner.transition_to(now, "metrics_only")

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Calls `fn` under the breaker, timed with `time.monotonic()`; an exception counts as
        a failure and is re-raised. Raises `CallNotPermitted` when refused."""
        start = time.monotonic()
        permit = self.try_acquire(start)
        if not isinstance(permit, Permit):
            raise CallNotPermitted(permit)
        try:
            result = fn(*args, **kwargs)
        except BaseException:
            end = time.monotonic()
            self.record(end, permit, False, end - start)
            raise
        end = time.monotonic()
        self.record(end, permit, True, end - start)
        return result

    def __call__(self, fn: Callable[..., T]) -> Callable[..., T]:
        """Use as a decorator: every call goes through `call`."""

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            return self.call(fn, *args, **kwargs)

        return wrapper


class RetryPolicy:
    """Attempts, backoff and jitter; `delays(seed)` are the waits (seconds) before attempts
    2..max_attempts, the same for the same seed in every language."""

    __slots__ = ("_inner",)

    def __init__(
        self,
        max_attempts: int,
        backoff: str = "exponential",
        initial: float = 0.1,
        multiplier: float = 2.0,
        max_delay: float = 10.0,
        jitter: str = "full",
    ) -> None:
        self._inner = _core._RetryPolicy(max_attempts, backoff, initial, multiplier, max_delay, jitter)

    @classmethod
    def _wrap(cls, inner: Any) -> "RetryPolicy":
        p = cls.__new__(cls)
        p._inner = inner
        return p

    @classmethod
    def envoy(cls) -> "RetryPolicy":
        """Envoy's router defaults (1 retry, 25 ms base, 250 ms cap, full jitter)."""
        return cls._wrap(_core._RetryPolicy.envoy())

    @classmethod
    def grpc(cls, max_attempts: int, initial_backoff: float, max_backoff: float, backoff_multiplier: float) -> "RetryPolicy":
        """gRFC A6 (attempts capped at 5, full jitter)."""
        return cls._wrap(_core._RetryPolicy.grpc(max_attempts, initial_backoff, max_backoff, backoff_multiplier))

    @property
    def max_attempts(self) -> int:
        n: int = self._inner.max_attempts
        return n

    def delays(self, seed: int) -> List[float]:
        result: List[float] = self._inner.delays(seed)
        return result


@dataclass(frozen=True)
class RateDecision:
    """`allowed`, or the wait (seconds) after which the same request would be admitted."""

    allowed: bool
    retry_after: Optional[float]

    def __bool__(self) -> bool:
        return self.allowed


class _Limiter:
    def __init__(self, rate: float, burst: int) -> None:
        self._inner = _core._RateLimiter(rate, burst)

    def check(self, now: float, n: int = 1) -> RateDecision:
        """Takes `n` tokens if available; raises ValueError when `n` exceeds the burst (it
        could never be admitted)."""
        allowed, retry_after = self._inner.check(now, n)
        return RateDecision(allowed, retry_after)


class TokenBucket(_Limiter):
    """`rate` tokens per second refill a bucket of `burst` (API Gateway's throttle)."""


class Gcra(_Limiter):
    """The generic cell rate algorithm with emission interval 1/rate and burst tolerance (the
    same decisions as `TokenBucket`: one algorithm in two forms)."""
