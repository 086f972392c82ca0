"""testdata/errors.json through the Python binding: the same bad input gets the same code, the
class of its kind (with its built-in base), the field as Python spells it, and the violations."""

from __future__ import annotations

import pytest

import cnarch
from cnarch import alerting, autoscale, events, eventsourcing, gateway, labels, policy, prometheus, resilience, serverless, slo, tracing
from cnarch._core import _panic_for_tests

from conftest import vectors

V = vectors("errors.json")
NAMESPACES = [{"name": "default", "labels": {}}]
PODS = [{"namespace": "default", "name": "web", "labels": {"app": "web"}, "ips": ["10.0.0.2"]}]


def run(c):  # noqa: C901 - one branch per operation, as in the other runners
    op = c["op"]
    if op == "load":
        return cnarch.load(c["text"])
    if op == "quantity":
        return cnarch.Quantity(c["text"])
    if op == "quantity_add":
        return cnarch.Quantity(c["a"]) + cnarch.Quantity(c["b"])
    if op == "duration":
        return cnarch.parse_duration(c["text"])
    if op == "matchers":
        return alerting.parse_matchers(c["text"])
    if op == "alertmanager_config":
        return alerting.AlertmanagerConfig(c["config"])
    if op == "schedule":
        return cnarch.Schedule(c["text"])
    if op == "event_pattern":
        return events.matches(c["pattern"], {})
    if op == "filter_policy":
        return events.FilterPolicy(c["policy"])
    if op == "sns_attributes":
        return events.FilterPolicy({"a": [{"exists": True}]}).evaluate(c["attributes"])
    if op == "topic_subscribe":
        return events.Topic(c["topic"]).subscribe("s", c["protocol"])
    if op == "serverless_cost":
        return serverless.cost(c["function"], **c["usage"])
    if op == "parse_exposition":
        return prometheus.parse(c["text"])
    if op == "expand_series":
        return prometheus.expand_series(c["notation"])
    if op == "stage_cache":
        return gateway.StageCache(**c["options"])
    if op == "router":
        return gateway.Router(c["routes"])
    if op == "traceparent":
        return tracing.parse_traceparent(c["header"])
    if op == "tracestate":
        return tracing.parse_tracestate(c["header"])
    if op == "probability_sampler":
        return tracing.ProbabilitySampler(c["probability"])
    if op == "event_source_mapping":
        return serverless.EventSourceMapping(c["mapping"])
    if op == "sqs_queue":
        return events.Queue(c["name"], c["attributes"])
    if op == "sqs_send":
        return events.Queue(c["name"], c["attributes"]).send(0, c["body"])
    if op == "es_append":
        store = eventsourcing.EventStore()
        for k in range(c["setup"]):
            store.append(c["stream"], [{"id": f"00000000-0000-0000-0000-{k + 1:012x}", "type": "T"}])
        if c.get("tombstone"):
            store.tombstone(c["stream"])
        return store.append(c["stream"], [{"id": "00000000-0000-0000-0000-0000000000ff", "type": "T"}], expected=c["expected"])
    if op == "es_read":
        return eventsourcing.EventStore().read_stream(c["stream"])
    if op == "es_load_json":
        return eventsourcing.EventStore.from_json_lines(c["text"])
    if op == "sqs_delete":
        return events.Queue("q").delete(0, c["handle"])
    if op == "sqs_not_in_flight":
        q = events.Queue("q", {"VisibilityTimeout": 0})
        q.send(0, "a")
        return q.change_visibility(1, q.receive(0)[0]["receipt_handle"], 10)
    if op == "sqs_over_limit":
        q = events.Queue("q")
        for _ in range(c["in_flight"]):
            q.send(0, "a")
        for _ in range(c["in_flight"] // 10):
            q.receive(0, max_messages=10)
        return q.receive(0)
    if op == "selector":
        return labels.Selector.parse(c["text"])
    if op == "selector_structured":
        return labels.Selector.from_label_selector(c["selector"])
    if op == "selector_nothing_structured":
        return labels.Selector.nothing().to_label_selector()
    if op == "replica_calc":
        if set(c["options"]) - set(autoscale.replica_calc.__kwdefaults__ or {}):
            # Python itself refuses an unknown keyword; the options dict reaches the core's check.
            return cnarch._core._replica_calc(c["current_replicas"], c["pods"], c["options"])
        return autoscale.replica_calc(c["current_replicas"], c["pods"], **c["options"])
    if op == "object_replica_calc":
        return autoscale.object_replica_calc(c["current_replicas"], c["total"], **c["options"])
    if op == "hpa":
        return autoscale.HorizontalAutoscaler(c["spec"])
    if op == "breaker":
        if not isinstance(c["config"], dict):
            return cnarch._core._CircuitBreaker(c["config"])
        return resilience.CircuitBreaker(**c["config"])
    if op == "breaker_restore":
        return resilience.CircuitBreaker.restore(c["snapshot"], **c["config"])
    if op == "breaker_state":
        return resilience.CircuitBreaker().state(c["now"])
    if op == "breaker_call_forced_open":
        cb = resilience.CircuitBreaker()
        cb.transition_to_forced_open(0)
        return cb.call(lambda: 1)
    if op == "retry_policy":
        o = dict(c["options"])
        return resilience.RetryPolicy(o.pop("max_attempts"), **o)
    if op == "retry_on":
        return resilience.RetryOn(c["conditions"])
    if op == "retry_throttle":
        return resilience.RetryThrottle(c["max_tokens"], c["token_ratio"])
    if op == "retry_budget":
        return resilience.RetryBudget(c["budget_percent"])
    if op == "token_bucket":
        return resilience.TokenBucket(c["rate"], c["burst"])
    if op == "token_bucket_check":
        return resilience.TokenBucket(c["rate"], c["burst"]).check(0, c["n"])
    if op == "bulkhead":
        return resilience.Bulkhead(c["max_concurrent"])
    if op == "bulkhead_release":
        return resilience.Bulkhead(c["max_concurrent"]).release(0)
    if op == "outlier":
        return resilience.OutlierDetector([], **c["config"])
    if op == "outlier_record":
        return resilience.OutlierDetector(["a"]).record(0, "a", c["result"])
    if op == "kpa":
        return autoscale.ServerlessAutoscaler(**c["config"])
    if op == "kpa_scale":
        return autoscale.ServerlessAutoscaler(**c["config"]).scale(0, c["stable"], c["panic"], 1)
    if op == "scaled_object":
        return autoscale.ScaledObject(**c["config"])
    if op == "burn_rate":
        return slo.burn_rate(c["error_ratio"], c["objective"])
    if op == "calendar_window":
        return slo.calendar_window(0, c["unit"], c["zone"])
    if op == "policy_rules":
        rules = [slo.BurnRateRule(r["long_window"], None, r["factor"], "page") for r in c["rules"]]
        return slo.MultiwindowPolicy(c["period"], rules)
    if op == "policy_evaluate":
        return policy.NetworkPolicyEngine(NAMESPACES, PODS, []).evaluate(c["from"], c["to"], 80)
    if op == "policy_engine":
        return policy.NetworkPolicyEngine(NAMESPACES, PODS, c["policies"])
    if op == "panic":
        return _panic_for_tests()
    raise AssertionError(f"unknown op {op}")


CASES = [c for c in V["cases"] if "python" in c.get("only", ["python"])]


@pytest.mark.parametrize("case", CASES, ids=[c["why"][:60] for c in CASES])
def test_same_bad_input_same_code(case):
    with pytest.raises(cnarch.CnarchError) as info:
        run(case)
    e = info.value
    assert e.code == case["code"], (case["why"], str(e))
    assert type(e).__name__ == V["kinds"][case["kind"]]["python"], case["why"]
    if "path" in case:
        assert e.path == case["path"], case["why"]
    if "violations" in case:
        assert sorted((v.path, v.code) for v in e.violations) == sorted(tuple(v) for v in case["violations"]), case["why"]
    if "located" in case:
        assert [[v.path, v.line, v.column] for v in e.violations] == case["located"], case["why"]
    assert not str(e).endswith(".") and "\n" not in str(e)


def test_classes_keep_their_builtin_bases():
    assert issubclass(cnarch.ConfigError, ValueError) and issubclass(cnarch.ArgumentError, ValueError)
    assert issubclass(cnarch.ArgumentTypeError, TypeError) and issubclass(cnarch.QuantityOverflowError, OverflowError)
    assert issubclass(cnarch.StateError, ValueError) and issubclass(cnarch.CallNotPermitted, cnarch.CnarchError)
    for kind in V["kinds"].values():
        assert issubclass(getattr(cnarch, kind["python"]), cnarch.CnarchError)


def test_nan_in_python_data_is_refused_with_its_path():
    with pytest.raises(cnarch.ArgumentError) as e:
        autoscale.replica_calc(1, [{"request": 1000, "usage": float("nan")}], target_utilization=50)
    assert e.value.code == "invalid_number" and e.value.path == "pods[0].usage"
    with pytest.raises(cnarch.ArgumentTypeError) as t:
        cnarch.validate({"kind": object()})
    assert t.value.code == "invalid_argument_type"
