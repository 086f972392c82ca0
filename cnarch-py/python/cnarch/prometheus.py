"""Prometheus formats (`cnarch_core::prom`).

`expand_series(notation)`: the samples of promtool's expanding notation (the `values:` of a
`promtool test rules` input series): `a+bxn` and `a-bxn` are n+1 values from `a`, `b` added at
each step as Prometheus adds it; `axn` is `a` n+1 times; `_` is a missing sample (`None`),
`_xn` n of them; `stale` is a stale marker (`STALE`). A notation that does not parse raises
`cnarch.ParseError` (code `invalid_series`, path `notation`, the column in the message).
`format_series(values)` writes samples back in the notation, runs compressed
(`expand_series(format_series(v)) == v`).
`parse(text)`: the metric families of a text in the exposition format 0.0.4, as dicts
`{"name", "help", "type", "samples"}` with each sample a tuple `(name, labels, value,
timestamp)` (labels a dict in the order written, value a float that may be NaN or infinite,
timestamp int milliseconds or `None`). A text that breaks the format raises
`cnarch.ParseError` (code `invalid_exposition`, `.position` the line and column).
`render(families)`: families (that shape; samples as tuples or dicts) written as Prometheus'
client libraries write them, so `parse(render(f)) == f`; what cannot be read back the same
raises `cnarch.ParseError` with the path. `render_metrics(metrics)`: the model's `Metric`
values in the format.
Rules and sources: docs/prometheus.md.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _core

__all__ = ["STALE", "StaleMarker", "expand_series", "format_series", "parse", "render", "render_metrics"]


class StaleMarker:
    """The stale marker of a series: the series ends at this step."""

    _instance: Optional["StaleMarker"] = None

    def __new__(cls) -> "StaleMarker":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "STALE"


STALE = StaleMarker()


def expand_series(notation: str) -> List[Union[float, None, StaleMarker]]:
    """The samples `notation` expands to, one per step."""
    return [STALE if v == "stale" else v for v in _core._expand_series(notation)]


def format_series(values: List[Union[float, None, StaleMarker]]) -> str:
    """`values` (numbers, `None`, `STALE`) in the expanding notation."""
    return _core._format_series(["stale" if v is STALE else v for v in values])


def parse(text: str) -> List[Dict[str, Any]]:
    """The metric families of an exposition text (see the module's documentation)."""
    return _core._parse_exposition(text)


def render(families: Iterable[Mapping[str, Any]]) -> str:
    """Families in the exposition format 0.0.4."""
    return _core._render_exposition(families)


def render_metrics(metrics: Iterable[Mapping[str, Any]]) -> str:
    """The model's `Metric` values (dicts as the model writes them) in the exposition format."""
    return _core._render_metrics(list(metrics))
