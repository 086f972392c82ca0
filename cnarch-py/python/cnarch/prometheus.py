"""Prometheus formats (`cnarch_core::prom`).

`expand_series(notation)`: the samples of promtool's expanding notation (the `values:` of a
`promtool test rules` input series): `a+bxn` and `a-bxn` are n+1 values from `a`, `b` added at
each step as Prometheus adds it; `axn` is `a` n+1 times; `_` is a missing sample (`None`),
`_xn` n of them; `stale` is a stale marker (`STALE`). A notation that does not parse raises
`cnarch.ParseError` (code `invalid_series`, path `notation`, the column in the message).
`format_series(values)` writes samples back in the notation, runs compressed
(`expand_series(format_series(v)) == v`).
Rules and sources: docs/prometheus.md.
"""

from __future__ import annotations

from typing import List, Optional, Union

from . import _core

__all__ = ["STALE", "StaleMarker", "expand_series", "format_series"]


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
