"""Alert state and routing from the Rust core (`cnarch_core::alerting`): Prometheus's
pending/firing state machine, Alertmanager 0.25's matchers, routing tree, inhibition and
notification timelines, and escalation policies. Times are seconds (floats)."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Mapping, Optional, Sequence, TypedDict, cast, Union

from . import _core

__all__ = [
    "AlertRule",
    "notifications",
    "escalation",
    "Notification",
    "Notice",
    "parse_matchers",
    "matchers_match",
    "Matcher",
    "AlertmanagerConfig",
    "RouteMatch",
    "ReceiverNotification",
]


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


class Matcher(TypedDict):
    """One Alertmanager matcher: the label name, the operator (`=`, `!=`, `=~`, `!~`), the
    value (unescaped; the regular expression for `=~`/`!~`) and the matcher as Alertmanager
    prints it."""

    name: str
    op: str
    value: str
    text: str


# One route an alert takes, with its effective (inherited) settings in seconds; `continue`
# is a Python keyword, hence the functional form.
RouteMatch = TypedDict(
    "RouteMatch",
    {
        "path": str,
        "receiver": str,
        "group_by": List[str],
        "group": Dict[str, str],
        "group_wait": float,
        "group_interval": float,
        "repeat_interval": float,
        "matchers": List[str],
        "continue": bool,
        "mute_time_intervals": List[str],
        "active_time_intervals": List[str],
    },
)


class ReceiverNotification(TypedDict):
    """One notification one integration of a receiver sends: when, through which route, the
    group's labels, and the indices of the alerts it reports firing and resolved."""

    at: float
    receiver: str
    integration: str
    route: str
    group: Dict[str, str]
    firing: List[int]
    resolved: List[int]


def parse_matchers(text: str) -> List[Matcher]:
    """A matcher list as Alertmanager 0.25 reads `matchers`, `source_matchers` and
    `target_matchers` (`{a="b", c=~"d.*"}`, `a=b,c!=d`; `""` is the empty list). Raises
    `ParseError` (`invalid_matcher`) as Alertmanager refuses."""
    r = cast("List[Matcher]", _core._am_parse_matchers(text))
    return r


def matchers_match(text: str, labels: Mapping[str, str]) -> bool:
    """Whether every matcher of the list `text` matches `labels` (an absent label is `""`)."""
    r: bool = _core._am_matches(text, dict(labels))
    return r


class AlertmanagerConfig:
    """An Alertmanager configuration: its YAML text, or the same structure as a mapping (keys
    as Alertmanager spells them). Refused with every problem Alertmanager's `config.Load`
    reports (undefined receivers or time intervals, bad `group_by`, bad matchers, ...)."""

    def __init__(self, config: Union[str, Mapping[str, Any]]) -> None:
        self._inner = _core._AlertmanagerConfig(config if isinstance(config, str) else dict(config))

    def routes(self, labels: Mapping[str, str]) -> List[RouteMatch]:
        """The routes an alert with `labels` takes, in Alertmanager's order (`continue`
        included); the root route when no child matches."""
        r = cast("List[RouteMatch]", self._inner.routes(dict(labels)))
        return r

    def receivers(self, labels: Mapping[str, str]) -> List[str]:
        """The receivers an alert with `labels` reaches, each once, in route order."""
        r: List[str] = self._inner.receivers(dict(labels))
        return r

    def inhibited(self, alerts: Sequence[Mapping[str, Any]], labels: Mapping[str, str], at: float) -> bool:
        """Whether the inhibit rules mute `labels` at `at`, given the alerts received so far."""
        r: bool = self._inner.inhibited([dict(a) for a in alerts], dict(labels), at)
        return r

    def timeline(self, alerts: Sequence[Mapping[str, Any]], until: float, start: Optional[float] = None) -> List[ReceiverNotification]:
        """The notifications Alertmanager sends for `alerts` (`labels`, `starts_at`,
        `ends_at`) up to `until`, per route, group and receiver integration; the dispatcher
        started at `start` (default 0), which sets the phase of its 30 s group cleanup."""
        r = cast("List[ReceiverNotification]", self._inner.timeline([dict(a) for a in alerts], until, start))
        return r


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
