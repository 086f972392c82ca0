"""Kubelet probes (`cnarch_core::probe`): what a `HealthCheck`'s startup, liveness and
readiness probes do to a container, as the kubelet's prober worker runs them.

`timeline(health_check, behaviour=None, *, until, termination_grace_period=30)`: the
health check as the model writes it (`{"liveness": {"httpGet": ..., "periodSeconds": 10}}`)
run against a container whose `behaviour` is a dict of times in seconds (or `timedelta`):
`start_at` (the first container's start), `startup` (each container answers this long after
it starts; before, every probe is `refused`), `latency` (an answer's time), `stop` (time to
exit once killed, cut at the grace period) and `phases`, a list of `{"at", "state"}` with
`state` one of `healthy`, `failing`, `hung`, `slow` (with `latency`) and
`cleared_by_restart` (default `True`: a process fault a new container does not have).
Returns `{"probes": [...], "events": [...], "restarts", "first_ready", "ready"}`: every probe
(`probe`, `container`, `start`, `end`, `outcome`), every change (`container_started`,
`result`, `ready`, `container_killed`, `container_exited`, `back_off` with its `wait`), in
seconds from the pod's start. A health check the API server refuses, or a behaviour that
cannot run, raises `cnarch.ValidationError` naming the field.

`bounds(health_check, *, up=0, latency=0)`: the worst-case times as formulas
(`first_ready`, `start_budget`, `start_limit`, `hang_detection`, `hang_unready`), in seconds.
`back_off(restart)`: CrashLoopBackOff's wait before the `restart`-th restart (0, 10, 20, ...
300 s).

Rules, conventions and sources: docs/probes.md.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, Mapping, Optional, Union

from . import _core

__all__ = ["timeline", "bounds", "back_off"]

Seconds = Union[float, _dt.timedelta]


def timeline(
    health_check: Mapping[str, Any],
    behaviour: Optional[Mapping[str, Any]] = None,
    *,
    until: Seconds,
    termination_grace_period: Seconds = 30,
) -> Dict[str, Any]:
    """Every probe, change and restart until `until` (see the module's documentation)."""
    return _core._probe_timeline(
        health_check,
        behaviour,
        {"until": until, "termination_grace_period": termination_grace_period},
    )


def bounds(health_check: Mapping[str, Any], *, up: Seconds = 0, latency: Seconds = 0) -> Dict[str, Any]:
    """The worst-case times of `health_check` for a container answering `up` after it starts."""
    return _core._probe_bounds(health_check, {"up": up, "latency": latency})


def back_off(restart: int) -> float:
    """Seconds the kubelet waits before the `restart`-th restart (1 for the first)."""
    return _core._probe_back_off(restart)
