"""testdata/autoscale vectors and the autoscale API through the Python binding."""

import pytest

from cnarch import ValidationError
from cnarch.autoscale import (
    HorizontalAutoscaler,
    ScaledObject,
    ServerlessAutoscaler,
    compare,
    keda_activation,
    object_replica_calc,
    replica_calc,
    simulate,
)
from conftest import vectors

RC = vectors("autoscale/replica_calc.json")


def _harness_pods(c, o):
    now = o["now"]
    n = max(c["current_replicas"], len(c.get("phase", [])))
    starts = {"hot": now, "cool": now - o["cool_age"]}
    pods = []
    for i in range(n):
        p = {"name": f"test-pod-{i}", "ready": True, "start_time": 0, "ready_transition_time": 0, "sample_time": 0, "sample_window": o["sample_window"]}
        if i < len(c.get("readiness", [])):
            p["ready"] = c["readiness"][i]
        if i < len(c.get("start", [])) and c["start"][i]:
            p["start_time"] = starts[c["start"][i]]
        if i < len(c.get("phase", [])):
            p["phase"] = c["phase"][i]
        if i < len(c.get("deleted", [])):
            p["deleted"] = c["deleted"][i]
        if i < len(c.get("requests") or []):
            p["request"] = c["requests"][i]
        p["usage"] = c["usage"][i] if i < len(c.get("usage") or []) else None
        pods.append(p)
    return pods


@pytest.mark.parametrize("c", RC["cases"], ids=lambda c: c["test"])
def test_replica_calculator_vectors(c):
    o = RC["options"]
    kw = dict(tolerance=o["tolerance"], now=o["now"], cpu_initialization_period=o["cpu_initialization_period"], initial_readiness_delay=o["initial_readiness_delay"])
    pods = _harness_pods(c, o)
    kind = c["kind"]
    if "error" in c:
        with pytest.raises(ValueError, match=c["error"]["message"]):
            replica_calc(c["current_replicas"], pods, target_utilization=c["target"], **kw)
        return
    want = c["expect"]
    if kind == "utilization":
        r = replica_calc(c["current_replicas"], pods, target_utilization=c["target"], **kw)
        assert (r.desired_replicas, r.utilization, r.raw_average) == (want["replicas"], want["utilization"], want["raw_average"])
    elif kind == "average_value":
        r = replica_calc(c["current_replicas"], pods, target_average_value=c["target"], resource=None, **kw)
        assert (r.desired_replicas, r.value) == (want["replicas"], want["value"])
    elif kind == "object_value":
        ready = sum(1 for p in pods if p["ready"] and p.get("phase", "Running") == "Running")
        r = object_replica_calc(c["current_replicas"], c["usage"][0], target_value=c["target"], ready_pod_count=ready, tolerance=o["tolerance"])
        assert (r.desired_replicas, r.value) == (want["replicas"], want["value"])
    else:
        r = object_replica_calc(c["current_replicas"], c["usage"][0], target_average_value=c["target"], tolerance=o["tolerance"])
        assert (r.desired_replicas, r.value) == (want["replicas"], want["value"])


BASE = 1_000_000


@pytest.mark.parametrize("s", vectors("autoscale/hpa.json")["scenarios"], ids=lambda s: s["name"])
def test_hpa_controller_scenarios(s):
    hpa = HorizontalAutoscaler(
        s["spec"],
        recommendations=[(BASE + t, n) for t, n in s.get("recommendations", [])],
        scale_events=[(BASE + t, n) for t, n in s.get("scale_events", [])],
    )
    for step in s["steps"]:
        metrics = [({"error": i["failed"]} if "failed" in i else i["value"]) for i in step["inputs"]]
        d = hpa.decide(BASE + step["at"], step["current"], metrics)
        e = step["expect"]
        assert d.desired_replicas == e["desired"], (step, d)
        assert d.rescale is e.get("rescale", True)
        if "limited" in e:
            assert d.limited_reason == e["limited"]
        conds = {t: (st, r) for t, st, r in d.conditions}
        if "able" in e:
            assert conds["AbleToScale"][1] == e["able"]
        if "active" in e:
            assert conds["ScalingActive"] == tuple(e["active"])
        if "active_message" in e:
            assert d.messages["ScalingActive"] == e["active_message"]
        if "reason" in e:
            assert d.rescale_reason == e["reason"]


@pytest.mark.parametrize("c", vectors("autoscale/kpa.json")["cases"], ids=lambda c: c["test"])
def test_kpa_decider_vectors(c):
    o = c.get("overrides", {})
    t = c["target"]
    decider = dict(
        target_value=t, total_value=t / 0.75, target_burst_capacity=c["tbc"] if c["tbc"] is not None else 0,
        panic_threshold=o.get("panic_threshold", 2.0), max_scale_up_rate=o.get("max_scale_up_rate", 10.0),
        max_scale_down_rate=o.get("max_scale_down_rate", 10.0), stable_window=60, scale_down_delay=o.get("scale_down_delay_s", 0), activation_scale=1,
    )
    t0 = 1_000_000
    kpa = ServerlessAutoscaler(decider=decider, start=t0 + c["steps"][0]["at"], start_ready=c.get("start_ready", 0))
    for step in c["steps"]:
        d = kpa.scale(t0 + step["at"], step["stable"], step["panic"], step["ready"], step.get("reachable", True))
        assert d["autoscaler_replicas"] == step["want"], step
        if "panicking" in step:
            assert d["panicking"] is step["panicking"]
        if step.get("ebc") is not None:
            assert abs(d["excess_burst_capacity"] - step["ebc"]) <= 1


@pytest.mark.parametrize("s", vectors("autoscale/keda.json")["scenarios"], ids=lambda s: s["name"])
def test_keda_scenarios(s):
    so = ScaledObject(**s["config"])
    for p in s["polls"]:
        d = so.poll(1_000 + p["at"], p["current"], p["values"])
        assert (d["active"], d["action"], d["set_replicas"]) == (p["active"], p["action"], p["set"]), p
        if "triggers" in p:
            assert d["triggers_active"] == p["triggers"]


def test_keda_activation_is_strict():
    assert not keda_activation(10, 10) and keda_activation(10.5, 10) and keda_activation(1)
    assert ScaledObject(triggers=[{"name": "q", "threshold": 20}]).hpa_spec()["metrics"][0]["external"]["target"]["averageValue"] == "20"


def test_bad_inputs_name_their_paths():
    with pytest.raises(ValidationError) as e:
        HorizontalAutoscaler({"maxReplicas": 0})
    assert [v.path for v in e.value.violations] == ["maxReplicas"]
    with pytest.raises(ValidationError) as e:
        replica_calc(2, [{"request": "1", "usage": "lots"}], target_utilization=50)
    assert e.value.violations[0].path == "pods[0].usage"
    with pytest.raises(ValueError, match="exactly one"):
        replica_calc(2, [{"request": 1000, "usage": 500}])
    with pytest.raises(ValidationError) as e:
        simulate({"hpa": {"maxReplicas": 3}}, [(0, 1), (-5, 2)])
    assert e.value.violations[0].path == "trace[1].time"
    with pytest.raises(ValueError, match="max_scale_down_rate"):
        ServerlessAutoscaler(max_scale_down_rate=1.0)


def test_quantity_strings_and_defaults():
    pods = [{"request": "500m", "usage": "400m"}, {"request": "500m", "usage": "0.5"}]
    r = replica_calc(2, pods, target_utilization=50)
    assert (r.desired_replicas, r.utilization, r.raw_average) == (4, 90, 450)
    assert object_replica_calc(0, "3", target_value="1").desired_replicas == 3  # scale from zero


def test_simulation_columns_load_like_a_table():
    spec = {"minReplicas": 2, "maxReplicas": 10, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}
    trace = {"time": [0, 600, 1800, 3600], "demand": [100, 500, 100, 100]}
    r = simulate({"hpa": spec, "pod": {"capacity": 100, "startup_delay": 30}}, trace, seed=7)
    assert set(r) == {"time", "demand", "replicas", "ready", "served", "unserved", "utilization", "desired", "reason"}
    assert len({len(v) for v in r.values()}) == 1 and len(r["time"]) == 241
    assert max(r["replicas"]) >= 6 and r.summary["overloaded_seconds"] > 0
    c = compare({"hpa": spec, "pod": {"startup_delay": 120}}, {"hpa": spec, "pod": {"startup_delay": 5}}, trace, seed=1)
    assert c["unserved_delta"] < 0
    kpa = simulate({"kpa": {}, "pod": {"capacity": 100, "startup_delay": 2}}, [(0, 0), (60, 700), (180, 0), (600, 0)])
    assert kpa["replicas"][-1] == 0


def test_simulation_refuses_runs_that_would_not_finish():
    spec = {"minReplicas": 1, "maxReplicas": 5, "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}]}
    # Milliseconds passed where seconds are expected: a trace of 95 years.
    with pytest.raises(ValidationError) as err:
        simulate({"hpa": spec}, [(0, 1), (3e9, 1)])
    assert [v.path for v in err.value.violations] == ["trace"]
    with pytest.raises(ValidationError) as err:
        simulate({"kpa": {}}, [(0, 1e12), (60, 1e12)])
    assert err.value.violations[0].code == "too_many_pods"


def test_kpa_refuses_observations_metrics_never_produce():
    k = ServerlessAutoscaler()
    for stable, panic in ((float("nan"), 1.0), (-5.0, 0.0), (float("inf"), 1.0)):
        with pytest.raises(ValueError, match="expected a finite average"):
            k.scale(0, stable, panic, 1)
    assert k.scale(0, 140.0, 140.0, 1)["desired_replicas"] == 2


def test_tolerance_must_be_a_finite_non_negative_number():
    pods = [{"request": 1000, "usage": 500, "phase": "Running", "ready": True}] * 2
    for bad in (float("nan"), -0.1, float("inf")):
        with pytest.raises(ValueError, match="tolerance"):
            replica_calc(2, pods, target_utilization=50, tolerance=bad)
        with pytest.raises(ValueError, match="tolerance"):
            object_replica_calc(2, 1000, target_value=500, tolerance=bad)
    assert replica_calc(2, pods, target_utilization=50, tolerance=0).desired_replicas == 2


def test_negative_replica_counts_are_refused():
    pods = [{"request": 1000, "usage": 500, "phase": "Running", "ready": True}]
    with pytest.raises(ValueError, match="current replicas"):
        replica_calc(-1, pods, target_utilization=50)
