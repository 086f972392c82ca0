"""SLO math from the Rust core (`cnarch_core::slo`, `cnarch_core::alerting`): error budgets,
burn rates, multiwindow multi-burn-rate policies, offline alert evaluation and Prometheus rule
generation (Sloth's rule names).

Objectives are fractions (`0.999`). Durations are `datetime.timedelta` or strings like `"30d"`
on input, `timedelta` on output.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, TypedDict, cast, Union

from . import _core

__all__ = [
    "BudgetStatus",
    "burn_rate",
    "time_to_exhaustion",
    "allowed_bad_time",
    "allowed_bad_events",
    "budget_consumed",
    "burn_factor",
    "detection_time",
    "reset_time",
    "budget_status",
    "BurnRateRule",
    "MultiwindowPolicy",
    "evaluate",
    "sli",
    "calendar_window",
    "prometheus_rules",
    "PromtoolCheck",
    "PromtoolTest",
    "promtool_test",
]

DurationLike = Union[_dt.timedelta, str, int, float]


def _secs(d: DurationLike) -> float:
    if isinstance(d, _dt.timedelta):
        return d.total_seconds()
    if isinstance(d, str):
        from . import parse_duration

        return parse_duration(d).total_seconds()
    if isinstance(d, (int, float)) and not isinstance(d, bool):
        return float(d)
    raise TypeError(f"expected a timedelta, a duration string like '30d' or seconds, found {type(d).__name__}")


def _td(s: Optional[float]) -> Optional[_dt.timedelta]:
    return None if s is None else _dt.timedelta(seconds=s)


def burn_rate(error_ratio: float, objective: float) -> float:
    """Error ratio over the error budget (1 = the budget lasts exactly the period)."""
    r: float = _core._slo_burn_rate(error_ratio, objective)
    return r


def time_to_exhaustion(objective: float, window: DurationLike, error_ratio: float) -> Optional[_dt.timedelta]:
    """window / burn rate; None at an error ratio of 0 (never)."""
    return _td(_core._slo_time_to_exhaustion(objective, _secs(window), error_ratio))


def allowed_bad_time(objective: float, window: DurationLike) -> _dt.timedelta:
    """window × (1 − objective), exact to the nanosecond."""
    s: float = _core._slo_allowed_bad_time(objective, _secs(window))
    return _dt.timedelta(seconds=s)


def allowed_bad_events(objective: float, total_events: int) -> int:
    """⌊total × (1 − objective)⌋, exact (0.9 of 10 allows 1)."""
    n: int = _core._slo_allowed_bad_events(objective, total_events)
    return n


def budget_consumed(error_ratio: float, objective: float, duration: DurationLike, period: DurationLike) -> float:
    """The fraction of the period's budget `duration` at `error_ratio` consumes."""
    r: float = _core._slo_budget_consumed(error_ratio, objective, _secs(duration), _secs(period))
    return r


def burn_factor(budget_fraction: float, period: DurationLike, long_window: DurationLike) -> float:
    """The factor that spends `budget_fraction` of a period's budget in `long_window` (Sloth)."""
    r: float = _core._slo_burn_factor(budget_fraction, _secs(period), _secs(long_window))
    return r


def detection_time(objective: float, error_ratio: float, alert_window: DurationLike, burn_factor: float) -> Optional[_dt.timedelta]:
    """How long a burn-rate alert takes to fire at a constant error ratio (None: never)."""
    return _td(_core._slo_detection_time(objective, error_ratio, _secs(alert_window), burn_factor))


def reset_time(objective: float, error_ratio: float, alert_window: DurationLike, burn_factor: float) -> Optional[_dt.timedelta]:
    """How long it keeps firing after a window full of errors stops (None: it never fired)."""
    return _td(_core._slo_reset_time(objective, error_ratio, _secs(alert_window), burn_factor))


class BudgetStatus(TypedDict):
    """`budget_status(...)`: the SLI (None without data), the events, and the budget consumed
    and remaining as fractions of the budget and in events."""

    sli: Optional[float]
    total: int
    bad: int
    allowed_bad: int
    consumed: float
    remaining: float
    remaining_events: int


def budget_status(objective: float, good: int, total: int) -> BudgetStatus:
    """`sli` (None without data), `bad`, `allowed_bad`, `consumed`, `remaining`,
    `remaining_events`."""
    r = cast("BudgetStatus", _core._slo_budget_status(objective, good, total))
    return r


@dataclass(frozen=True)
class BurnRateRule:
    """One multiwindow burn-rate alert. Durations may be given as timedelta, a string like
    `"1h"` or seconds (stored as timedelta); a `short_window` of None is the workbook's default,
    long_window / 12."""

    long_window: _dt.timedelta
    short_window: _dt.timedelta
    factor: float
    severity: str
    for_: _dt.timedelta = _dt.timedelta(0)
    keep_firing_for: _dt.timedelta = _dt.timedelta(0)

    def __post_init__(self) -> None:
        short_in: Any = self.short_window
        given = {"long_window": _secs(self.long_window), "factor": self.factor, "severity": self.severity,
                 "for": _secs(self.for_), "keep_firing_for": _secs(self.keep_firing_for)}
        if short_in is not None:
            given["short_window"] = _secs(short_in)
        (r,) = _core._slo_rules([given])
        object.__setattr__(self, "long_window", _dt.timedelta(seconds=r["long_window"]))
        object.__setattr__(self, "short_window", _dt.timedelta(seconds=r["short_window"]))
        object.__setattr__(self, "for_", _dt.timedelta(seconds=r["for"]))
        object.__setattr__(self, "keep_firing_for", _dt.timedelta(seconds=r["keep_firing_for"]))


class MultiwindowPolicy:
    """Multiwindow multi-burn-rate rules over an SLO period."""

    def __init__(self, period: DurationLike, rules: Sequence[BurnRateRule]) -> None:
        self.period = _dt.timedelta(seconds=_secs(period))
        self.rules: List[BurnRateRule] = list(rules)

    @classmethod
    def _native(cls, kind: str, period: Optional[DurationLike]) -> "MultiwindowPolicy":
        native = _core._slo_policy(kind, None if period is None else _secs(period))
        rules = [
            BurnRateRule(_dt.timedelta(seconds=r["long_window"]), _dt.timedelta(seconds=r["short_window"]), r["factor"], r["severity"],
                         _dt.timedelta(seconds=r["for"]), _dt.timedelta(seconds=r["keep_firing_for"]))
            for r in native["rules"]
        ]
        return cls(_dt.timedelta(seconds=native["period"]), rules)

    @classmethod
    def standard(cls, period: Optional[DurationLike] = None) -> "MultiwindowPolicy":
        """Sloth's page 1h/5m (2 %), page 6h/30m (5 %), ticket 1d/2h (10 %), ticket 3d/6h (10 %),
        factors derived for the period (14.4, 6, 3, 1 for 30 days)."""
        return cls._native("standard", period)

    @classmethod
    def pyrra(cls, period: Optional[DurationLike] = None) -> "MultiwindowPolicy":
        """Pyrra's windows scaled from 28 days (factors 14, 7, 2, 1, with `for`)."""
        return cls._native("pyrra", period)

    def _rows(self) -> List[Dict[str, Any]]:
        return [
            {"long_window": r.long_window.total_seconds(), "short_window": r.short_window.total_seconds(), "factor": r.factor,
             "severity": r.severity, "for": r.for_.total_seconds(), "keep_firing_for": r.keep_firing_for.total_seconds()}
            for r in self.rules
        ]

    def validate(self, objective: float, events_per_second: Optional[float] = None, min_events: Optional[float] = None) -> List[Dict[str, Any]]:
        """Findings: rules that can never fire (`never_fires`) and short windows with fewer than
        `min_events` events at the given rate (`low_traffic`)."""
        r: List[Dict[str, Any]] = _core._slo_validate(self.period.total_seconds(), self._rows(), objective, events_per_second, min_events)
        return r


def _floats(xs: Any) -> List[float]:
    return [float(x) for x in (xs.tolist() if hasattr(xs, "tolist") else xs)]


def evaluate(
    policy: MultiwindowPolicy,
    objective: float,
    timestamps: Sequence[float],
    good: Optional[Sequence[float]] = None,
    total: Optional[Sequence[float]] = None,
    *,
    error_ratios: Optional[Sequence[float]] = None,
) -> Dict[str, Any]:
    """Replays the policy over a series (timestamps in seconds; `good` and `total` events per
    sample, or `error_ratios` per sample; lists or numpy arrays): per rule the alert state after
    each sample and the episodes with pending/fired/resolved times, detection time, budget spent
    before firing and reset time."""
    rows = policy._rows()
    period = policy.period.total_seconds()
    if error_ratios is not None:
        if good is not None or total is not None:
            raise ValueError("give either good and total, or error_ratios")
        r: Dict[str, Any] = _core._slo_evaluate_ratios(period, rows, objective, _floats(timestamps), _floats(error_ratios))
        return r
    if good is None or total is None:
        raise ValueError("expected good and total (or error_ratios)")
    r = _core._slo_evaluate(period, rows, objective, _floats(timestamps), _floats(good), _floats(total))
    return r


def sli(samples: Sequence[Sequence[float]], method: str = "occurrences", *, slice_seconds: Optional[float] = None, target: Optional[float] = None) -> Optional[float]:
    """The SLI of `(t, good, total)` samples by an OpenSLO budgeting method: `occurrences`,
    `timeslices` (share of slices meeting `target`) or `ratio_timeslices` (mean slice ratio);
    None without data."""
    m: Dict[str, Any] = {"method": method}
    if slice_seconds is not None:
        m["slice_seconds"] = float(slice_seconds)
    if target is not None:
        m["target"] = float(target)
    r: Optional[float] = _core._slo_sli(m, [(float(a), float(b), float(c)) for a, b, c in samples])
    return r


def calendar_window(at: Union[_dt.datetime, float], unit: str = "month", zone: str = "UTC") -> "tuple[_dt.datetime, _dt.datetime]":
    """The calendar window (`day`, `week` from Monday, `month`, `quarter`) containing `at`, in an
    IANA time zone (`"Europe/Berlin"`) or a fixed offset (`"+02:00"`), as UTC datetimes
    `(start, end)` with `end` exclusive."""
    ts = at.timestamp() if isinstance(at, _dt.datetime) else float(at)
    s, e = _core._slo_calendar_window(unit, zone, int(ts // 1))
    utc = _dt.timezone.utc
    return _dt.datetime.fromtimestamp(s, utc), _dt.datetime.fromtimestamp(e, utc)


def prometheus_rules(spec: Mapping[str, Any], period: Optional[DurationLike] = None, service: Optional[str] = None) -> str:
    """Prometheus rule groups (YAML) with Sloth's names and labels, from a Sloth
    `prometheus/v1` spec or a ServiceLevelObjectives document (for `service`)."""
    y: str = _core._slo_prometheus_rules(dict(spec), None if period is None else _secs(period), service)
    return y


class PromtoolCheck(TypedDict):
    """One check of a written test: the severities of `alertname` firing at `time` (seconds
    from the series start)."""

    time: float
    alertname: str
    firing: List[str]


class PromtoolTest(TypedDict):
    """A `promtool test rules` file (`test`) and the rule file it names (`rules`), the checks it
    makes, the times where cnarch's offline replay fires otherwise, and the times where a ratio
    ties a threshold within 1e-9."""

    rules: str
    test: str
    checks: List[PromtoolCheck]
    replay_differences: List[float]
    near_ties: List[float]


def promtool_test(
    spec: Mapping[str, Any],
    incident: Mapping[str, Any],
    *,
    period: Optional[DurationLike] = None,
    service: Optional[str] = None,
    rules_file: str = "slo_rules.yaml",
) -> PromtoolTest:
    """A `promtool test rules` file from the rules `prometheus_rules` writes and an incident:
    `{"interval": "1m", "phases": [{"duration": "30m", "requests_per_second": 10,
    "error_ratio": 0.01}, ...]}` or `{"requests": [...], "errors": [...]}` per interval, with
    optional `requests_series` and `errors_series`. The SLIs read the incident's two counters;
    the expected alerts at every step are Prometheus 2.x's evaluation of the rules. Write
    `rules` to `rules_file` beside `test` and run `promtool test rules <test file>`."""
    if not isinstance(incident, Mapping):
        raise TypeError(f"expected the incident as a mapping, found {type(incident).__name__}")
    t = _core._slo_promtool_test(
        dict(spec), dict(incident), None if period is None else _secs(period), service, rules_file
    )
    return cast(PromtoolTest, t)
