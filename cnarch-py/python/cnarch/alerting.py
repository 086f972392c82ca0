"""Alert state and routing from the Rust core (`cnarch_core::alerting`): Prometheus's
pending/firing state machine, Alertmanager grouping and inhibition, and escalation policies.
Times are seconds (floats)."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Mapping, Optional, Sequence, TypedDict, cast, Union

from . import _core

__all__ = ["AlertRule", "notifications", "escalation", "Notification", "Notice"]


class Notification(TypedDict):
    """One Alertmanager notification: when, the group's labels, and the indices of the alerts
    it reports firing and resolved."""

    at: float
    group: Dict[str, str]
    firing: List[int]
    resolved: List[int]


class Notice(TypedDict):
    """One notice of an escalation policy: when, which step in which round, to which channels."""

    at: float
    step: int
    round: int
    channels: List[str]


def _secs(d: Union[_dt.timedelta, str, int, float, None]) -> float:
    if d is None:
        return 0.0
    if isinstance(d, _dt.timedelta):
        return d.total_seconds()
    if isinstance(d, str):
        from . import parse_duration

        return parse_duration(d).total_seconds()
    return float(d)


class AlertRule:
    """One alert's state as Prometheus evaluates it: `for_` holds it pending, `keep_firing_for`
    keeps it firing after the condition stops (timedelta, "5m" or seconds)."""

    def __init__(self, for_: Union[_dt.timedelta, str, float, None] = None, keep_firing_for: Union[_dt.timedelta, str, float, None] = None) -> None:
        self._inner = _core._AlertRule(_secs(for_), _secs(keep_firing_for))

    def eval(self, t: float, active: bool) -> str:
        """One evaluation at `t` (seconds): `"inactive"`, `"pending"` or `"firing"`."""
        s: str = self._inner.eval(t, active)
        return s

    @property
    def state(self) -> str:
        s: str = self._inner.state
        return s


def notifications(alerts: Sequence[Mapping[str, Any]], *, route: Optional[Mapping[str, Any]] = None, inhibit: Sequence[Mapping[str, Any]] = (), until: float) -> List[Notification]:
    """Alertmanager's notifications for alerts (`labels`, `starts_at`, `ends_at`): `route`
    (`group_by`, `group_wait` 30, `group_interval` 300, `repeat_interval` 14400,
    `send_resolved`), inhibit rules (`source_matchers`, `target_matchers` as "name=value",
    `equal`). Each notification: `at`, `group`, `firing` and `resolved` (alert indices)."""
    r = cast("List[Notification]", _core._alert_notifications(None if route is None else dict(route), [dict(x) for x in inhibit], [dict(a) for a in alerts], until))
    return r


def escalation(policy: Mapping[str, Any], alert: Mapping[str, Any], until: float = float("inf")) -> List[Notice]:
    """The notices of an escalation policy (`steps` of `delay` seconds, `channels`,
    `condition` "name=value"; `repeat`, `max_repeat`) for one alert."""
    r = cast("List[Notice]", _core._alert_escalation(dict(policy), dict(alert), until))
    return r
