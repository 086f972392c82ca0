"""Distributed tracing: W3C Trace Context headers and OpenTelemetry head samplers
(`cnarch_core::tracing`).

`parse_traceparent(header)` reads a `traceparent` (version 00 exactly 55 characters, lowercase
hex, ids not all zero, version `ff` refused, a higher version read from its first 55
characters, spaces and tabs around it ignored) into a `TraceParent`; a bad header raises
`cnarch.TraceContextError` (a `ValueError`, `.code == "invalid_traceparent"`).
`format_traceparent(trace_id, parent_id, *, sampled=None, random=None, trace_flags=None)`
writes a version 00 header.

`parse_tracestate(header)` reads a `tracestate` (several headers: join them with `,`) into its
`(key, value)` members; a bad key or value, a duplicate key or more than 32 members discard
the whole header (`TraceContextError`, `.code == "invalid_tracestate"`).
`update_tracestate(header, key, value)` sets a member and moves it to the left,
`remove_tracestate(header, key)` drops one, `truncate_tracestate(header, max_len=512)` keeps
the header within `max_len` characters (members over 128 characters go first, then from the
right).

Samplers: `AlwaysOn()`, `AlwaysOff()`, `TraceIdRatioBased(ratio)` and `ParentBased(root, ...)`
decide as the OpenTelemetry Go SDK does; `ProbabilitySampler(probability, precision=4)` is the
specification's consistent sampler (`ot=th` in the tracestate). `sampler_for_rate(rate)` is
the sampler a model's `sampleRate` stands for. `sampler.should_sample(trace_id, parent=None)`
gives a `SamplingResult`; `parent` is `{"sampled": bool, "remote": True, "tracestate": ""}`.
`span_tree(tracing)`: the span trees of the model's `DistributedTracing` (a dict as the model
writes it, `name` optional): per trace its `roots`, `orphans`, `spans` (depth, children,
`start`, `duration` and `self_time` in seconds from the trace's first start), Jaeger's
`critical_path` (sections latest first) and `findings` (orphans, parents in another trace,
duplicate ids, cycles, spans without times, children outside their parent).

Rules and sources: docs/tracing.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Tuple

from . import _core

__all__ = [
    "TraceParent",
    "SamplingResult",
    "Sampler",
    "AlwaysOn",
    "AlwaysOff",
    "TraceIdRatioBased",
    "ProbabilitySampler",
    "ParentBased",
    "sampler_for_rate",
    "parse_traceparent",
    "format_traceparent",
    "parse_tracestate",
    "update_tracestate",
    "remove_tracestate",
    "truncate_tracestate",
    "span_tree",
]


@dataclass(frozen=True)
class TraceParent:
    """A parsed `traceparent` header."""

    version: int
    trace_id: str
    parent_id: str
    trace_flags: int
    sampled: bool
    random_trace_id: bool

    def __str__(self) -> str:
        return format_traceparent(self.trace_id, self.parent_id, trace_flags=self.trace_flags)


@dataclass(frozen=True)
class SamplingResult:
    """A sampler's decision: `decision` is `"RecordAndSample"` or `"Drop"`, `tracestate` the
    new span's header, `sampler` the description of the sampler that decided."""

    sampled: bool
    decision: str
    tracestate: str
    sampler: str


def parse_traceparent(header: str) -> TraceParent:
    """Parses a `traceparent` header."""
    return TraceParent(**_core._parse_traceparent(header))


def format_traceparent(
    trace_id: str,
    parent_id: str,
    *,
    sampled: Optional[bool] = None,
    random: Optional[bool] = None,
    trace_flags: Optional[int] = None,
) -> str:
    """A version 00 `traceparent`: `trace_flags` (0 unless given), with the sampled and random
    bits set or cleared when `sampled` or `random` is given."""
    options = {"sampled": sampled, "random": random, "trace_flags": trace_flags}
    return _core._format_traceparent(trace_id, parent_id, {k: v for k, v in options.items() if v is not None})


def parse_tracestate(header: str) -> List[Tuple[str, str]]:
    """A `tracestate` header's members, leftmost first."""
    return list(_core._parse_tracestate(header))


def update_tracestate(header: str, key: str, value: str) -> str:
    """`header` with `key` set to `value` and moved to the left."""
    return _core._update_tracestate(header, key, value)


def remove_tracestate(header: str, key: str) -> str:
    """`header` without `key`."""
    return _core._remove_tracestate(header, key)


def truncate_tracestate(header: str, max_len: int = 512) -> str:
    """`header` within `max_len` characters."""
    return _core._truncate_tracestate(header, max_len)


class Sampler:
    """A head sampler; make one with the classes below."""

    _inner: _core.Sampler

    def should_sample(self, trace_id: str, parent: Optional[Mapping[str, Any]] = None) -> SamplingResult:
        """The decision for a span of `trace_id` (32 hex digits) with `parent` (`None` for a
        root span; else `{"sampled": bool, "remote": bool = True, "tracestate": str = ""}`)."""
        return SamplingResult(**self._inner.should_sample(trace_id, parent))

    @property
    def description(self) -> str:
        """The description the OpenTelemetry Go SDK gives this sampler."""
        return self._inner.description

    def __repr__(self) -> str:
        return f"<{self.description}>"


class AlwaysOn(Sampler):
    """Samples every span; the parent's tracestate is kept."""

    def __init__(self) -> None:
        self._inner = _core.Sampler.always_on()


class AlwaysOff(Sampler):
    """Samples no span."""

    def __init__(self) -> None:
        self._inner = _core.Sampler.always_off()


class TraceIdRatioBased(Sampler):
    """Go's `TraceIDRatioBased(ratio)`: trace id bytes 8..16 big-endian, shifted right by one,
    sampled below `ratio * 2**63` (1 or more samples everything, 0 or less nothing)."""

    def __init__(self, ratio: float) -> None:
        self._inner = _core.Sampler.trace_id_ratio_based(ratio)


class ProbabilitySampler(Sampler):
    """The consistent probability sampler: sampled when the trace's randomness (its rightmost 7
    bytes, or `ot=rv`) is at least `(1 - probability) * 2**56` rounded to `precision` hex
    digits; writes `ot=th:...` to the tracestate of a sampled span, erases it otherwise."""

    def __init__(self, probability: float, precision: int = 4) -> None:
        self._inner = _core.Sampler.probability(probability, precision)


class ParentBased(Sampler):
    """Go's `ParentBased`: `root` for spans without a parent, else the delegate for the
    parent's kind (defaults: AlwaysOn for sampled parents, AlwaysOff otherwise)."""

    def __init__(
        self,
        root: Sampler,
        *,
        remote_parent_sampled: Optional[Sampler] = None,
        remote_parent_not_sampled: Optional[Sampler] = None,
        local_parent_sampled: Optional[Sampler] = None,
        local_parent_not_sampled: Optional[Sampler] = None,
    ) -> None:
        def inner(s: Optional[Sampler]) -> Optional[_core.Sampler]:
            return None if s is None else s._inner

        self._inner = _core.Sampler.parent_based(
            root._inner,
            inner(remote_parent_sampled),
            inner(remote_parent_not_sampled),
            inner(local_parent_sampled),
            inner(local_parent_not_sampled),
        )


def sampler_for_rate(rate: Optional[float] = None) -> Sampler:
    """The sampler a model's `sampleRate` stands for: `ParentBased(TraceIdRatioBased(rate))`
    (OpenTelemetry's `parentbased_traceidratio`); no rate is `ParentBased(AlwaysOn())`."""
    s = Sampler.__new__(Sampler)
    s._inner = _core.Sampler.from_sample_rate(rate)
    return s


def span_tree(tracing: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """The span trees of a `DistributedTracing` (see the module's documentation)."""
    return _core._span_tree(tracing)
