"""cnarch: cloud-native architecture decision logic, from Rust.

Load and validate specs (`load`, `load_file`, `validate`, `dump`), and use Kubernetes'
exact value types (`Quantity`, `parse_duration`, `Schedule`). Every behaviour lives once in
the Rust core; this package converts values and follows Python's idioms.
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Dict, List, Literal, Optional, Sequence, Union

from . import _core, alerting, autoscale, events, eventsourcing, gateway, labels, policy, probes, prometheus, resilience, serverless, slo, tracing
from ._core import Quantity, __version__
from ._errors import (
    ArgumentError,
    ArgumentTypeError,
    CalculationError,
    CallNotPermitted,
    CnarchError,
    ConfigError,
    ParseError,
    PatternError,
    PolicyError,
    QuantityOverflowError,
    StateError,
    TraceContextError,
    ValidationError,
    Violation,
)

__all__ = [
    "__version__",
    "load",
    "load_file",
    "validate",
    "dump",
    "Quantity",
    "parse_duration",
    "Schedule",
    "CnarchError",
    "ParseError",
    "ValidationError",
    "ConfigError",
    "ArgumentError",
    "ArgumentTypeError",
    "PolicyError",
    "PatternError",
    "TraceContextError",
    "CalculationError",
    "StateError",
    "QuantityOverflowError",
    "CallNotPermitted",
    "Violation",
    "labels",
    "policy",
    "resilience",
    "autoscale",
    "slo",
    "eventsourcing",
    "alerting",
    "events",
    "serverless",
    "tracing",
    "gateway",
    "probes",
    "prometheus",
]

Document = Dict[str, Any]

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
_MICROSECOND = _dt.timedelta(microseconds=1)


def load(text: str) -> List[Document]:
    """Loads and validates YAML or JSON text; returns the documents as plain data.

    Quantities and durations come back in their canonical text (`"500m"`, `"1h30m0s"`).
    Raises `ParseError` for malformed text and `ValidationError` (with every violation) for
    documents that break the rules.
    """
    result: List[Document] = _core.load(text)
    return result


def load_file(path: Union[str, "os.PathLike[str]"]) -> List[Document]:
    """`load` on the contents of a UTF-8 file."""
    with open(path, encoding="utf-8") as f:
        return load(f.read())


def _as_data(docs: Union[Document, Sequence[Document]]) -> Union[Document, List[Document]]:
    if isinstance(docs, dict):
        return docs
    if isinstance(docs, (str, bytes)):
        raise TypeError("expected a document dict or a list of them, found text (use load() for text)")
    return list(docs)


def validate(docs: Union[Document, Sequence[Document]]) -> List[Violation]:
    """Every violation of one document or a list of them; an empty list when valid.

    Never raises for invalid documents.
    """
    result: List[Violation] = _core.validate(_as_data(docs))
    return result


def dump(docs: Union[Document, Sequence[Document]], format: Literal["yaml", "json"] = "yaml") -> str:
    """Writes documents as YAML or JSON text; loading the text gives the same documents.

    Raises `ValidationError` if the documents are invalid.
    """
    return _core.dump(_as_data(docs), format)


def parse_duration(text: str) -> _dt.timedelta:
    """A duration in Go (`1h30m`, `250ms`, `-2s`) or Prometheus (`30d`, `2w`) syntax.

    `timedelta` holds microseconds; finer parts are truncated toward zero.
    """
    ns = _core.parse_duration_ns(text)
    micros = abs(ns) // 1000
    return _dt.timedelta(microseconds=-micros if ns < 0 else micros)


class Schedule:
    """A cron (Kubernetes CronJob), `@every`, or AWS `rate(...)`/`cron(...)` schedule."""

    __slots__ = ("_inner",)

    def __init__(self, expr: str) -> None:
        self._inner = _core._Schedule(expr)

    def __str__(self) -> str:
        return str(self._inner)

    def __repr__(self) -> str:
        return f"Schedule({str(self._inner)!r})"

    def next_after(
        self, after: _dt.datetime, n: int = 1, anchor: Optional[_dt.datetime] = None
    ) -> List[_dt.datetime]:
        """The next `n` fire times strictly after `after`, as timezone-aware UTC datetimes.

        `after` must be timezone-aware. Fewer than `n` come back when the schedule runs dry
        (nothing within five years). With `anchor` (when the rule was created), a `rate(...)`
        or `@every` fires at `anchor + k * rate` (k >= 1), as EventBridge's rates do, and a
        cron schedule never at or before `anchor`.
        """
        for name, t in (("after", after), ("anchor", anchor)):
            if t is not None and (t.tzinfo is None or t.utcoffset() is None):
                raise ValueError(f"expected `{name}` to be a timezone-aware datetime, found a naive one")
        if n < 0:
            raise ValueError(f"expected n >= 0, found {n}")
        micros = (after - _EPOCH) // _MICROSECOND
        anchor_us = None if anchor is None else (anchor - _EPOCH) // _MICROSECOND
        return [
            _EPOCH + _dt.timedelta(microseconds=m)
            for m in self._inner.next_after_us(micros, n, anchor_us)
        ]
