"""Serverless functions on AWS Lambda (`cnarch_core::serverless`).

`cost(function, *, invocations, duration, memory_mb=None, architecture="x86_64",
free_tier=True, prices=None)`: a month's cost of a function (the model's `ServerlessFunction`
as a dict: `{"runtime", "handler", "memory", "timeout", ...}`), `duration` one invocation's in
seconds (billed rounded up to the millisecond, at most the function's timeout), priced by
`prices` (a table shaped as `default_prices()` returns it; the published US East prices when
`None`). The result: `gb_seconds`, `free_gb_seconds`, `free_requests`, `compute_cost`,
`request_cost`, `total_cost` (USD), `billed_duration` (seconds), `timed_out`, ...

`check(architecture)`: the findings on an event-driven architecture's functions (the
document as a dict, without `apiVersion` and `kind`): SQS batch sizes Lambda refuses,
dead-letter targets that are not SQS or SNS ARNs, source queues whose visibility timeout is
under six function timeouts or whose redrive moves messages before 5 receives. Each finding is
`{"path", "code", "severity", "message"}`.

`EventSourceMapping(mapping=None)`: an SQS event source mapping from CreateEventSourceMapping's
parameters (`{"BatchSize": 10, "MaximumBatchingWindowInSeconds": 0, "FunctionResponseTypes":
["ReportBatchItemFailures"], "ScalingConfig": {"MaximumConcurrency": 2}}`), checked against
Lambda's rules (`cnarch.ConfigError`, code `invalid_event_source_mapping`); `.settings`, and
`.drain(queue, *, duration, arrivals, until, per_message=None, timeout=None,
reserved_concurrency=None, tick=None)`: a function draining a `cnarch.events.Queue` (changed in
place) over arrivals `[{"at", "count", "size", "failing", "groups"}]`, times in seconds; the
timeline (`points`, one per tick: visible, in flight, age of the oldest message, concurrency,
invocations, throttles, deleted, moved to the dead-letter queue) and totals. Rules and sources:
docs/serverless.md.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from ._core import EventSourceMapping, _serverless_check, _serverless_cost, _serverless_prices


def cost(
    function: Mapping[str, Any],
    *,
    invocations: int,
    duration: float,
    memory_mb: Optional[int] = None,
    architecture: str = "x86_64",
    free_tier: bool = True,
    prices: Optional[Mapping[str, Any]] = None,
) -> Dict[str, Any]:
    """A month's Lambda cost of `function` (see the module's doc)."""
    options: Dict[str, Any] = {
        "invocations": invocations,
        "duration": duration,
        "architecture": architecture,
        "free_tier": free_tier,
    }
    if memory_mb is not None:
        options["memory_mb"] = memory_mb
    if prices is not None:
        options["prices"] = prices
    return _serverless_cost(function, options)


def default_prices() -> Dict[str, Any]:
    """The published Lambda price table `cost` uses by default, with its source and date."""
    return _serverless_prices()


def check(architecture: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """The findings on an event-driven architecture's functions (see the module's doc)."""
    return _serverless_check(architecture)


__all__ = ["EventSourceMapping", "check", "cost", "default_prices"]
