"""Resilience from the Rust core (`cnarch_core::resilience`): a circuit breaker with
resilience4j's model, retry policies with seeded jitter and Envoy's retry conditions, retry
budgets, rate limiters, a bulkhead and Envoy's outlier detection.

Times are seconds as floats on a monotonic timeline the caller chooses (pass
`time.monotonic()`, or a simulated clock). Keyword names of `CircuitBreaker` are
resilience4j's in snake_case; absent ones take resilience4j's defaults.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import random
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Tuple, Type, TypedDict, cast, TypeVar, Union

from . import _core
from ._core import RetryBudget, RetryOn, RetryQuota, RetryThrottle
from ._errors import CallNotPermitted

__all__ = [
    "CircuitBreaker",
    "BreakerMetrics",
    "CallNotPermitted",
    "Permit",
    "Rejected",
    "RetryPolicy",
    "retry",
    "RetryThrottle",
    "RetryBudget",
    "RetryQuota",
    "TokenBucket",
    "Gcra",
    "RateDecision",
    "RetryOn",
    "Bulkhead",
    "BulkheadDecision",
    "OutlierDetector",
    "OutlierEvent",
]

T = TypeVar("T")

DurationLike = Union[float, int, str, "Any"]
Exceptions = Union[Type[BaseException], Tuple[Type[BaseException], ...]]


class BreakerMetrics(TypedDict):
    """`CircuitBreaker.metrics(now)`: resilience4j's metrics of the current window (rates in
    percent, None until `minimum_number_of_calls` calls were recorded)."""

    failure_rate: Optional[float]
    slow_call_rate: Optional[float]
    calls: int
    failed: int
    slow: int
    not_permitted: int


def _seconds(v: Any) -> Any:
    """A timedelta as seconds; numbers and duration text go to the core as they are."""
    return v.total_seconds() if hasattr(v, "total_seconds") else v


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


class CircuitBreaker:
    """A thread-safe circuit breaker (resilience4j's states, windows and thresholds)."""

    def __init__(
        self,
        *,
        failure_rate_threshold: Optional[float] = None,
        slow_call_rate_threshold: Optional[float] = None,
        slow_call_duration_threshold: Optional[DurationLike] = None,
        sliding_window_type: Optional[str] = None,
        sliding_window_size: Optional[int] = None,
        minimum_number_of_calls: Optional[int] = None,
        permitted_number_of_calls_in_half_open_state: Optional[int] = None,
        max_wait_duration_in_half_open_state: Optional[DurationLike] = None,
        wait_duration_in_open_state: Optional[DurationLike] = None,
        wait_multiplier: Optional[float] = None,
        max_wait_duration_in_open_state: Optional[DurationLike] = None,
        automatic_transition_from_open_to_half_open_enabled: Optional[bool] = None,
        consecutive_failures: Optional[int] = None,
        ignore_exceptions: Exceptions = (),
        exclude: Exceptions = (),
    ) -> None:
        """Keywords are resilience4j's in snake_case (absent ones take its defaults); durations
        are seconds, `timedelta` or text like `"60s"`. `call` does not count exceptions in
        `ignore_exceptions` (resilience4j's `ignoreExceptions`) and counts those in `exclude`
        as successes (pybreaker's `exclude`)."""
        given = {k: v for k, v in locals().items() if k not in ("self", "ignore_exceptions", "exclude") and v is not None}
        self._config = {k: _seconds(v) for k, v in given.items()}
        self._ignore = ignore_exceptions if isinstance(ignore_exceptions, tuple) else (ignore_exceptions,)
        self._exclude = exclude if isinstance(exclude, tuple) else (exclude,)
        self._bind(_core._CircuitBreaker(self._config, self._ignore, self._exclude))

    def _bind(self, inner: Any) -> None:
        self._inner = inner
        # The native call is the whole of `call`: one crossing per protected call.
        self.call = inner.call  # type: ignore[method-assign]

    def snapshot(self) -> Dict[str, Any]:
        """The breaker's state as plain data (JSON-serializable) to persist; times are
        nanoseconds on the caller's clock."""
        result: Dict[str, Any] = self._inner.snapshot()
        return result

    @classmethod
    def restore(cls, snapshot: Dict[str, Any], **config: Any) -> "CircuitBreaker":
        """A breaker with `config` (the same keywords as the constructor) in the state of
        `snapshot`; raises ValueError when the snapshot does not fit the configuration."""
        cb = cls(**config)
        cb._bind(_core._CircuitBreaker.restore(cb._config, snapshot, cb._ignore, cb._exclude))
        return cb

    def try_acquire(self, now: float) -> "Permit | Rejected":
        permit, state, retry_after = self._inner.try_acquire(now)
        if permit is not None:
            return Permit(permit)
        return Rejected(state or "open", retry_after)

    def record(self, now: float, permit: Permit, success: Optional[bool], duration: DurationLike = 0.0) -> None:
        """Records the outcome (`success=None`: not counted, like resilience4j's ignored
        exceptions); `duration` (seconds or a `timedelta`) decides slow calls."""
        self._inner.record(now, permit._inner, success, _seconds(duration))

    def state(self, now: float) -> str:
        return self._inner.state(now)

    def metrics(self, now: float) -> BreakerMetrics:
        result = cast("BreakerMetrics", self._inner.metrics(now))
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
        """Calls `fn` under the breaker, timed with the monotonic clock (`time.monotonic()`),
        in one crossing into the native module. An `Exception` counts as a failure and is
        re-raised (unless it is in `ignore_exceptions`, `exclude`, or is an inner breaker's
        `CallNotPermitted`); `KeyboardInterrupt`, `SystemExit` and `GeneratorExit` pass
        through uncounted. Raises `CallNotPermitted` when refused. For an `async def`, use
        `async_call` (or the decorator, which picks it)."""
        result: T = self._inner.call(fn, *args, **kwargs)
        return result

    async def async_call(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """`call` for coroutine functions: the breaker times and records the awaited
        result, not the creation of the coroutine."""
        start = time.monotonic()
        permit = self.try_acquire(start)
        if not isinstance(permit, Permit):
            raise CallNotPermitted(permit)
        try:
            result = await fn(*args, **kwargs)
        except BaseException as e:
            end = time.monotonic()
            # Counted as `call` counts it (the rule lives in the native module).
            self._inner.record_error(end, permit._inner, e, end - start)
            raise
        end = time.monotonic()
        self.record(end, permit, True, end - start)
        return result

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Use as a decorator: every call goes through `call` (or `async_call` for an
        `async def`)."""
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                return await self.async_call(fn, *args, **kwargs)

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return self.call(fn, *args, **kwargs)

        return wrapper


class RetryPolicy:
    """Attempts, backoff and jitter; `delays(seed)` are the waits (seconds) before attempts
    2..max_attempts, the same for the same seed in every language."""

    __slots__ = ("_inner",)

    def __init__(
        self,
        max_attempts: int,
        backoff: Optional[str] = None,
        initial: Optional[DurationLike] = None,
        multiplier: Optional[float] = None,
        max_delay: Optional[DurationLike] = None,
        jitter: Optional[str] = None,
    ) -> None:
        """Absent options take the core's defaults: exponential backoff ×2 from 0.1 s, capped at
        10 s, with full jitter. Durations are seconds, `timedelta` or text like `"250ms"`."""
        given = {"max_attempts": max_attempts, "backoff": backoff, "initial": _seconds(initial),
                 "multiplier": multiplier, "max_delay": _seconds(max_delay), "jitter": jitter}
        self._inner = _core._RetryPolicy({k: v for k, v in given.items() if v is not None})

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


RetryOnLike = Union[Type[BaseException], Tuple[Type[BaseException], ...], Callable[[BaseException], bool]]


def retry(
    policy: Optional[RetryPolicy] = None,
    *,
    max_attempts: Optional[int] = None,
    stop_after: Optional[DurationLike] = None,
    retry_on: RetryOnLike = Exception,
    seed: Optional[int] = None,
    sleep: Optional[Callable[[float], Any]] = None,
    clock: Callable[[], float] = time.monotonic,
    **policy_options: Any,
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """A decorator that retries a function, in the manner of tenacity, with the waits of a
    `RetryPolicy` (the core's backoff and jitter).

    - Attempts: the policy's `max_attempts` (the first call included); give `policy`, or
      `max_attempts` and the other `RetryPolicy` options (`backoff`, `initial`, `multiplier`,
      `max_delay`, `jitter`) as keywords.
    - `stop_after` (seconds, `timedelta` or text like `"30s"`): like tenacity's
      `stop_after_delay`, no new attempt once this much time has passed since the first one
      began (read from `clock`, `time.monotonic` by default).
    - `retry_on`: the exception types to retry (default `Exception`, so `KeyboardInterrupt`,
      `SystemExit` and `GeneratorExit` always pass through), or a predicate on the exception.
      A `CallNotPermitted` from an open breaker is retried only when `retry_on` says so.
    - `seed`: the jitter's seed, for waits that are the same in every run and language; without
      it each call draws a fresh seed, so that clients do not retry in step.
    - Works on `async def` functions (the waits are `asyncio.sleep`); `sleep` replaces the wait
      (`time.sleep`, or `asyncio.sleep` for coroutines), for tests and simulations.

    When attempts or time run out, the last exception is raised as it was (tenacity's
    `reraise=True`). The wrapper's `retry_statistics` holds `attempts` and `delays` (seconds
    waited) of its latest call."""
    if policy is None:
        if max_attempts is None:
            raise TypeError("retry() needs a RetryPolicy or max_attempts")
        policy = RetryPolicy(max_attempts, **policy_options)
    elif max_attempts is not None or policy_options:
        raise TypeError("retry() takes a RetryPolicy or its options, not both")
    limit: Optional[float] = None
    if stop_after is not None:
        limit = _core._duration_seconds(_seconds(stop_after), "stop_after")
    should_retry: Callable[[BaseException], bool]
    if isinstance(retry_on, (type, tuple)):
        kinds = retry_on
        should_retry = lambda e: isinstance(e, kinds)  # noqa: E731
    else:
        should_retry = retry_on
    chosen = policy

    def waits() -> List[float]:
        return chosen.delays(seed if seed is not None else random.getrandbits(64))

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        stats: Dict[str, Any] = {"attempts": 0, "delays": []}

        def give_up(e: BaseException, attempt: int, started: float, plan: List[float]) -> bool:
            if not should_retry(e) or attempt >= len(plan) + 1:
                return True
            return limit is not None and clock() - started >= limit

        if inspect.iscoroutinefunction(fn):
            pause = sleep or asyncio.sleep

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                plan, started = waits(), clock()
                stats["attempts"], stats["delays"] = 0, []
                for attempt in range(1, len(plan) + 2):
                    stats["attempts"] = attempt
                    try:
                        return await fn(*args, **kwargs)
                    except Exception as e:
                        if give_up(e, attempt, started, plan):
                            raise
                    stats["delays"].append(plan[attempt - 1])
                    waited = pause(plan[attempt - 1])
                    if inspect.isawaitable(waited):
                        await waited
                raise AssertionError("unreachable")  # pragma: no cover

            async_wrapper.retry_statistics = stats  # type: ignore[attr-defined]
            return async_wrapper

        pause_sync = sleep or time.sleep

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            plan, started = waits(), clock()
            stats["attempts"], stats["delays"] = 0, []
            for attempt in range(1, len(plan) + 2):
                stats["attempts"] = attempt
                try:
                    return fn(*args, **kwargs)
                except Exception as e:
                    if give_up(e, attempt, started, plan):
                        raise
                stats["delays"].append(plan[attempt - 1])
                pause_sync(plan[attempt - 1])
            raise AssertionError("unreachable")  # pragma: no cover

        wrapper.retry_statistics = stats  # type: ignore[attr-defined]
        return wrapper

    return decorate


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


@dataclass(frozen=True)
class BulkheadDecision:
    """`admitted` (truthy), or `queued` with a `ticket`, or neither (rejected: full)."""

    admitted: bool
    queued: bool
    ticket: Optional[int]

    def __bool__(self) -> bool:
        return self.admitted


class Bulkhead:
    """At most `max_concurrent` calls in flight and `max_queued` waiting (first come, first
    served), each waiting at most `max_wait` seconds when given. Thread-safe."""

    __slots__ = ("_inner",)

    def __init__(self, max_concurrent: int, max_queued: Optional[int] = None, max_wait: Optional[DurationLike] = None) -> None:
        """Absent options take the core's defaults (no queue, no wait limit); `max_wait` is
        seconds, a `timedelta` or text like `"250ms"`."""
        given = {"max_concurrent": max_concurrent, "max_queued": max_queued, "max_wait": _seconds(max_wait)}
        self._inner = _core._Bulkhead({k: v for k, v in given.items() if v is not None})

    def try_enter(self, now: float) -> BulkheadDecision:
        kind, ticket = self._inner.try_enter(now)
        return BulkheadDecision(kind == "admitted", kind == "queued", ticket)

    def release(self, now: float) -> Optional[int]:
        """Frees a slot; returns the ticket of the waiter that now holds it, if any. Raises
        ValueError when no slot is held."""
        result: Optional[int] = self._inner.release(now)
        return result

    def cancel(self, ticket: int) -> bool:
        result: bool = self._inner.cancel(ticket)
        return result

    def expire(self, now: float) -> List[int]:
        """Drops waiters past `max_wait`; returns their tickets."""
        result: List[int] = self._inner.expire(now)
        return result

    @property
    def active(self) -> int:
        n: int = self._inner.active
        return n

    @property
    def queued(self) -> int:
        n: int = self._inner.queued
        return n

    @property
    def rejected(self) -> int:
        n: int = self._inner.rejected
        return n


@dataclass(frozen=True)
class OutlierEvent:
    """A decision about a host: `action` is "eject", "uneject", "overflow" (over
    max_ejection_percent) or "not_enforced"; `kind` the detector; `duration` the ejection time."""

    at: float
    host: str
    action: str
    kind: Optional[str]
    duration: Optional[float]


class OutlierDetector:
    """Envoy's outlier detection for a set of hosts (keyword names and defaults are Envoy's
    `OutlierDetection` fields; durations in seconds). Sweeps run every `interval` from `start`;
    `record` runs the sweeps due first. `seed` drives partial enforcement and jitter."""

    __slots__ = ("_inner",)

    def __init__(
        self,
        hosts: Iterable[str] = (),
        *,
        start: float = 0.0,
        seed: int = 0,
        interval: Optional[float] = None,
        base_ejection_time: Optional[float] = None,
        max_ejection_time: Optional[float] = None,
        max_ejection_time_jitter: Optional[float] = None,
        max_ejection_percent: Optional[int] = None,
        always_eject_one_host: Optional[bool] = None,
        consecutive_5xx: Optional[int] = None,
        enforcing_consecutive_5xx: Optional[int] = None,
        consecutive_gateway_failure: Optional[int] = None,
        enforcing_consecutive_gateway_failure: Optional[int] = None,
        success_rate_minimum_hosts: Optional[int] = None,
        success_rate_request_volume: Optional[int] = None,
        success_rate_stdev_factor: Optional[int] = None,
        enforcing_success_rate: Optional[int] = None,
        failure_percentage_threshold: Optional[int] = None,
        failure_percentage_minimum_hosts: Optional[int] = None,
        failure_percentage_request_volume: Optional[int] = None,
        enforcing_failure_percentage: Optional[int] = None,
    ) -> None:
        given = {k: v for k, v in locals().items() if k not in ("self", "hosts", "start", "seed") and v is not None}
        config = {k: _seconds(v) for k, v in given.items()}
        self._inner = _core._OutlierDetector(config, start, seed)
        for h in hosts:
            self._inner.add_host(h)

    @classmethod
    def istio(
        cls, consecutive_5xx_errors: Optional[int] = None, interval: Optional[DurationLike] = None,
        base_ejection_time: Optional[DurationLike] = None,
        hosts: Iterable[str] = (), *, start: float = 0.0, seed: int = 0,
    ) -> "OutlierDetector":
        """What Istio's `outlierDetection` programs into Envoy (success-rate ejection off);
        absent fields at Istio's defaults (5 consecutive 5xx, 10 s interval, 30 s base
        ejection). Durations are seconds, `timedelta` or text."""
        given = {"consecutive_5xx_errors": consecutive_5xx_errors, "interval": _seconds(interval),
                 "base_ejection_time": _seconds(base_ejection_time)}
        d = cls.__new__(cls)
        d._inner = _core._OutlierDetector.istio({k: v for k, v in given.items() if v is not None}, start, seed)
        for h in hosts:
            d._inner.add_host(h)
        return d

    def add_host(self, host: str) -> None:
        self._inner.add_host(host)

    def remove_host(self, host: str) -> bool:
        result: bool = self._inner.remove_host(host)
        return result

    def record(self, now: float, host: str, result: "int | str") -> None:
        """Records a response status (int), "connect_failure" (counts as 503) or "timeout"
        (504) from `host`."""
        self._inner.record(now, host, result)

    def advance(self, now: float) -> None:
        """Runs the sweeps due at or before `now`."""
        self._inner.advance(now)

    def events(self) -> List[OutlierEvent]:
        """Decisions since the last call, oldest first."""
        return [OutlierEvent(*e) for e in self._inner.take_events()]

    def is_ejected(self, host: str) -> bool:
        result: bool = self._inner.is_ejected(host)
        return result

    def ejected(self) -> List[str]:
        result: List[str] = self._inner.ejected()
        return result

    @property
    def hosts(self) -> List[str]:
        result: List[str] = self._inner.hosts()
        return result
