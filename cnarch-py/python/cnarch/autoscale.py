"""Autoscaling decisions from the Rust core (`cnarch_core::autoscale`): the Kubernetes HPA's
replica calculator and controller, Knative's KPA, KEDA activation and a trace simulator.

Times are seconds as floats on a clock you choose (use it consistently); values are
milli-units as numbers, or quantity strings (`"250m"`, `"1.5"`). Every default is the
controller's own, chosen in the core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, TypedDict, cast, Union

from . import _core
from ._core import keda_activation

__all__ = [
    "KpaDecision",
    "KedaPoll",
    "replica_calc",
    "object_replica_calc",
    "ReplicaCalcResult",
    "HorizontalAutoscaler",
    "HpaDecision",
    "ServerlessAutoscaler",
    "ScaledObject",
    "keda_activation",
    "simulate",
    "compare",
    "SimulationResult",
]

Value = Union[int, float, str]


@dataclass(frozen=True)
class ReplicaCalcResult:
    """One metric's proposal: `desired_replicas`; `utilization` (percent, utilization targets);
    `raw_average` (milli-units per pod); `value` (what the HPA status reports)."""

    desired_replicas: int
    utilization: Optional[int] = None
    raw_average: Optional[int] = None
    value: Optional[int] = None


def _given(**options: Any) -> Dict[str, Any]:
    """The options the caller gave (None: the controller's default, chosen by the core)."""
    return {k: v for k, v in options.items() if v is not None}


_ABSENT: Any = object()


def replica_calc(
    current_replicas: int,
    pods: Sequence[Mapping[str, Any]],
    *,
    target_utilization: Optional[int] = None,
    target_average_value: Optional[Value] = None,
    resource: Optional[str] = _ABSENT,
    tolerance: Optional[float] = None,
    scale_up_tolerance: Optional[float] = None,
    scale_down_tolerance: Optional[float] = None,
    now: Optional[float] = None,
    cpu_initialization_period: Optional[float] = None,
    initial_readiness_delay: Optional[float] = None,
) -> ReplicaCalcResult:
    """The replicas the HPA's replica calculator proposes for one per-pod metric (a Resource
    metric with `resource`, default `"cpu"`, or a Pods metric with `resource=None`). Absent
    options take kube-controller-manager's defaults (tolerance 0.1, CPU initialization period
    300 s, initial readiness delay 30 s); `now` defaults to the latest time a pod reports.
    Raises `CalculationError` with the controller's message when it cannot propose."""
    options = _given(
        target_utilization=target_utilization, target_average_value=target_average_value,
        tolerance=tolerance, scale_up_tolerance=scale_up_tolerance, scale_down_tolerance=scale_down_tolerance,
        now=now, cpu_initialization_period=cpu_initialization_period, initial_readiness_delay=initial_readiness_delay,
    )
    if resource is not _ABSENT:
        options["resource"] = resource
    r = _core._replica_calc(current_replicas, pods if isinstance(pods, (list, str, bytes, dict)) else list(pods), options)
    return ReplicaCalcResult(r["desired_replicas"], r["utilization"], r["raw_average"], r["value"])


def object_replica_calc(
    current_replicas: int,
    total: Value,
    *,
    target_value: Optional[Value] = None,
    target_average_value: Optional[Value] = None,
    ready_pod_count: Optional[int] = None,
    tolerance: Optional[float] = None,
    scale_up_tolerance: Optional[float] = None,
    scale_down_tolerance: Optional[float] = None,
) -> ReplicaCalcResult:
    """The proposal for an Object or External metric: `target_value` scales the ready pod count
    (default: the current replicas) by total / target (from 0 replicas: ceil of the ratio);
    `target_average_value` divides the total by the per-pod target. `.value` is what the HPA
    status shows."""
    options = _given(
        target_value=target_value, target_average_value=target_average_value, ready_pod_count=ready_pod_count,
        tolerance=tolerance, scale_up_tolerance=scale_up_tolerance, scale_down_tolerance=scale_down_tolerance,
    )
    r = _core._object_replica_calc(current_replicas, total, options)
    return ReplicaCalcResult(r["desired_replicas"], r["utilization"], r["raw_average"], r["value"])


@dataclass(frozen=True)
class HpaDecision:
    """A reconcile: `desired_replicas`, whether it is a change (`rescale`, `rescale_reason`),
    per-metric `proposals` (dicts), `conditions` as `(type, status, reason)` with status
    `"True"`/`"False"`, `messages` (type -> message) and `limited_reason`."""

    desired_replicas: int
    rescale: bool
    rescale_reason: Optional[str]
    metric_replicas: Optional[int]
    proposals: List[Dict[str, Any]]
    conditions: List[Tuple[str, str, str]]
    messages: Dict[str, str]
    limited_reason: Optional[str]


class HorizontalAutoscaler:
    """The HPA controller for one autoscaling/v2 spec (a dict in Kubernetes' shape, or a whole
    HorizontalPodAutoscaler object). It keeps the recommendation history and scale events
    between `decide` calls."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        *,
        tolerance: Optional[float] = None,
        downscale_stabilization: Optional[float] = None,
        cpu_initialization_period: Optional[float] = None,
        initial_readiness_delay: Optional[float] = None,
        recommendations: Iterable[Tuple[float, int]] = (),
        scale_events: Iterable[Tuple[float, int]] = (),
    ) -> None:
        """Absent options take kube-controller-manager's defaults (tolerance 0.1, 300 s
        downscale stabilization and CPU initialization period, 30 s readiness delay).
        `recommendations` (`(time, replicas)`) and `scale_events` (`(time, change)`, negative
        for scale-downs) restore the history a previous controller kept."""
        options = _given(
            tolerance=tolerance, downscale_stabilization=downscale_stabilization,
            cpu_initialization_period=cpu_initialization_period, initial_readiness_delay=initial_readiness_delay,
        )
        options["recommendations"] = [list(x) for x in recommendations]
        options["scale_events"] = [list(x) for x in scale_events]
        self._inner = _core._HorizontalAutoscaler(dict(spec), options)

    @property
    def metric_names(self) -> List[str]:
        """The controller's names for the (effective) metrics, in the order `decide` takes them."""
        names: List[str] = self._inner.metric_names()
        return names

    def decide(
        self,
        now: float,
        current_replicas: int,
        metrics: Sequence[Any],
        *,
        status_replicas: Optional[int] = None,
        pods: Optional[Sequence[Mapping[str, Any]]] = None,
    ) -> HpaDecision:
        """One reconcile. `metrics` has one entry per metric: a list of pod dicts (Resource,
        ContainerResource, Pods), a value (Object, External: milli-units or a quantity string),
        or `{"error": message}` when fetching it failed. `pods` is needed for Object/External
        `Value` targets (their ready count)."""
        options = _given(status_replicas=status_replicas, pods=None if pods is None else list(pods))
        d = self._inner.decide(now, current_replicas, list(metrics), options)
        conds = [(c["type"], c["status"], c["reason"]) for c in d["conditions"]]
        return HpaDecision(
            desired_replicas=d["desired_replicas"],
            rescale=d["rescale"],
            rescale_reason=d["rescale_reason"],
            metric_replicas=d["metric_replicas"],
            proposals=d["proposals"],
            conditions=conds,
            messages={c["type"]: c["message"] for c in d["conditions"]},
            limited_reason=d["limited_reason"],
        )


_KPA_DURATIONS = ("stable_window", "scale_to_zero_grace_period", "scale_to_zero_pod_retention_period", "scale_down_delay")


class KpaDecision(TypedDict):
    """`ServerlessAutoscaler.scale(...)`: Knative's decision."""

    autoscaler_replicas: int
    desired_replicas: int
    panicking: bool
    excess_burst_capacity: int
    reason: Optional[str]


class KedaPoll(TypedDict):
    """`ScaledObject.poll(...)`: KEDA's view after one poll."""

    active: bool
    triggers_active: List[bool]
    set_replicas: Optional[int]
    action: str


class ServerlessAutoscaler:
    """Knative's KPA for one revision. Keyword names are `config-autoscaler`'s in snake_case
    (`target`, `container_concurrency`, `target_utilization_percentage`, `stable_window`,
    `panic_window_percentage`, `panic_threshold_percentage`, `max_scale_up_rate`,
    `max_scale_down_rate`, `activation_scale`, `min_scale`, `max_scale`, `scale_down_delay`,
    `enable_scale_to_zero`, `scale_to_zero_grace_period`, ...); durations in seconds."""

    def __init__(self, *, decider: Optional[Mapping[str, Any]] = None, start: float = 0.0, start_ready: int = 0, **config: Any) -> None:
        """`decider` sets Knative's DeciderSpec fields directly (`target_value`, `total_value`,
        `target_burst_capacity`, `panic_threshold` as a ratio, `max_scale_up_rate`,
        `max_scale_down_rate`, `stable_window`, `scale_down_delay`, `activation_scale`);
        `start_ready` > 1 starts in panic mode at that count, as Knative does for a revision
        that already has pods."""
        self._inner = _core._ServerlessAutoscaler(config, None if decider is None else dict(decider), start, start_ready)

    def scale(self, now: float, stable: float, panic: float, ready_pods: int, reachable: bool = True) -> "KpaDecision":
        """A decision from the stable- and panic-window averages of the observed total
        (concurrency or rps): `desired_replicas` (after min/max and scale-to-zero),
        `autoscaler_replicas`, `panicking`, `excess_burst_capacity`, `reason`."""
        result = cast("KpaDecision", self._inner.scale(now, stable, panic, ready_pods, reachable))
        return result


class ScaledObject:
    """KEDA's executor for one ScaledObject (camelCase fields as in its spec:
    `minReplicaCount`, `maxReplicaCount`, `idleReplicaCount`, `cooldownPeriod`,
    `fallbackReplicas`, `triggers` of `{name, threshold, activationThreshold, metricType}`)."""

    def __init__(self, **config: Any) -> None:
        self._inner = _core._ScaledObject(config)

    def poll(self, now: float, current_replicas: int, values: Iterable[Optional[float]]) -> "KedaPoll":
        """One poll: each trigger's value (None if its scaler erred). Returns `active`,
        `triggers_active`, `set_replicas` (what KEDA sets itself; None leaves it to the HPA) and
        `action`."""
        result = cast("KedaPoll", self._inner.poll(now, current_replicas, list(values)))
        return result

    def hpa_spec(self) -> Dict[str, Any]:
        """The HPA spec KEDA creates (External metrics with the triggers' thresholds)."""
        spec: Dict[str, Any] = self._inner.hpa_spec()
        return spec


class SimulationResult(Dict[str, List[Any]]):
    """The per-tick columns as a dict of lists (`pandas.DataFrame(result)` works), with the
    totals in `.summary`."""

    summary: Dict[str, Any]


def simulate(config: Mapping[str, Any], trace: Any, seed: int = 0) -> SimulationResult:
    """Replays `trace` (a list of `(seconds, demand)` pairs, or `{"time": [...], "demand":
    [...]}`) through `config`: `{"hpa": spec}` or `{"kpa": {...}}`, plus optional `pod`
    (`capacity`, `startup_delay`, `startup_jitter`, `cpu_request`, `cpu_idle`, `cpu_per_unit`),
    `tick`, `scrape_interval`, `metric_window`, `initial_replicas`, `demand_noise`. Columns:
    time, demand, replicas, ready, served, unserved, utilization, desired, reason."""
    r = _core._simulate(dict(config), trace, seed)
    out = SimulationResult(r["timeline"])
    out.summary = r["summary"]
    return out


def compare(a: Mapping[str, Any], b: Mapping[str, Any], trace: Any, seed: int = 0) -> Dict[str, Any]:
    """Both configurations on the same trace and seed: `a` and `b` (each `{"timeline",
    "summary"}`) and the deltas b - a (`unserved_delta`, `pod_seconds_delta`,
    `overloaded_seconds_delta`)."""
    result: Dict[str, Any] = _core._compare(dict(a), dict(b), trace, seed)
    return result
