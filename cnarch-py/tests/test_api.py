"""Loading, validation, dumping and the error mapping, through the Python binding."""

import datetime as dt
import json
import subprocess
import sys

import pytest

import cnarch
from cnarch import _core

KINDS = {
    "CloudNativeApp", "Microservice", "ServiceMesh", "CloudNativeDB", "ServerlessFunction",
    "EventDrivenArchitecture", "APIGateway", "EventSourcing", "ObservabilityStack",
    "ServiceLevelObjectives", "DistributedTracing",
}


def test_version():
    assert cnarch.__version__ == _core.__version__
    assert cnarch.__version__.count(".") == 2


def test_load_example_architecture(root):
    docs = cnarch.load_file(root / "examples" / "architecture.yaml")
    assert {d["kind"] for d in docs} == KINDS
    ms = next(d for d in docs if d["kind"] == "Microservice")
    assert ms["resources"] == {"cpu": "500m", "memory": "512Mi"}
    assert ms["healthCheck"]["liveness"]["httpGet"] == {"path": "/health", "port": 8080}
    assert ms["scaling"]["targetCPU"] == 70


def test_quantities_and_durations_come_back_canonical():
    docs = cnarch.load(
        "apiVersion: cnarch.dev/v1alpha1\nkind: ServerlessFunction\nname: f\nruntime: go1.x\n"
        "handler: main\ntimeout: 90s\n"
    )
    assert docs[0]["timeout"] == "1m30s"


def test_dump_round_trips(root):
    docs = cnarch.load_file(root / "examples" / "architecture.yaml")
    for fmt in ("yaml", "json"):
        text = cnarch.dump(docs, format=fmt)
        assert cnarch.load(text) == docs
    assert json.loads(cnarch.dump(docs[0], format="json"))[0]["name"] == docs[0]["name"]
    with pytest.raises(ValueError):
        cnarch.dump(docs, format="toml")  # type: ignore[arg-type]


def test_validate_returns_violations_without_raising(root):
    docs = cnarch.load_file(root / "examples" / "architecture.yaml")
    assert cnarch.validate(docs) == []
    assert cnarch.validate(docs[1]) == []
    bad = dict(docs[1], replicas=-1, name="Bad_Name")
    found = cnarch.validate(bad)
    assert [(v.path, v.code) for v in found] == [("name", "invalid_dns1035_label"), ("replicas", "out_of_range")]
    assert all(isinstance(v, cnarch.Violation) and v.document == 0 for v in found)
    with pytest.raises(TypeError):
        cnarch.validate("kind: Microservice")  # type: ignore[arg-type]


def test_broken_examples_match_their_expected_violations(root):
    for spec in sorted((root / "examples" / "broken").glob("*.yaml")):
        expected = json.loads(spec.with_suffix(".expected.json").read_text())
        with pytest.raises(cnarch.ValidationError) as e:
            cnarch.load(spec.read_text())
        got = sorted((v.document, v.path, v.code) for v in e.value.violations)
        assert got == sorted((x["document"], x["path"], x["code"]) for x in expected), spec.name
        assert e.value.code == "invalid_document"
        assert isinstance(e.value, ValueError) and isinstance(e.value, cnarch.CnarchError)


def test_syntax_errors_are_parse_errors_with_a_position():
    with pytest.raises(cnarch.ParseError) as e:
        cnarch.load("apiVersion: cnarch.dev/v1alpha1\nkind: [unclosed\n")
    assert e.value.code == "syntax_error"
    assert e.value.position is not None and e.value.position[0] >= 2


def test_value_errors_carry_codes():
    with pytest.raises(cnarch.ParseError) as e:
        cnarch.Quantity("5ki")
    assert e.value.code == "invalid_quantity_suffix" and e.value.position is None
    with pytest.raises(cnarch.ParseError) as e:
        cnarch.parse_duration("5")
    assert e.value.code == "duration_missing_unit"


def test_a_rust_panic_is_a_cnarch_error_not_an_abort():
    with pytest.raises(cnarch.CnarchError) as e:
        _core._panic_for_tests()
    assert e.value.code == "internal_error"
    assert "deliberate panic" in str(e.value)
    with pytest.raises(cnarch.CnarchError) as e:
        _core._panic_for_tests(without_token=True)
    assert e.value.code == "internal_error" and "(guarded)" in str(e.value)
    # The interpreter is still healthy afterwards.
    assert str(cnarch.Quantity("1Ki")) == "1Ki"


def test_quantity_idioms():
    a, b = cnarch.Quantity("1Ki"), cnarch.Quantity("1024")
    assert a == b and hash(a) == hash(b) and str(a) != str(b)
    assert sorted([cnarch.Quantity("1"), cnarch.Quantity("500m")]) == [cnarch.Quantity("500m"), cnarch.Quantity("1")]
    assert cnarch.Quantity("1.5").milli_value() == 1500
    assert cnarch.Quantity("8Ei").value() == 2**63 - 1
    assert repr(cnarch.Quantity("0.5")) == "Quantity('500m')"
    assert (cnarch.Quantity("1") == "1") is False
    assert not cnarch.Quantity("0")


def test_schedule_requires_aware_datetimes():
    s = cnarch.Schedule("@hourly")
    with pytest.raises(ValueError):
        s.next_after(dt.datetime(2026, 1, 1))
    cet = dt.timezone(dt.timedelta(hours=1))
    got = s.next_after(dt.datetime(2026, 1, 1, 10, 30, tzinfo=cet), 1)
    assert got == [dt.datetime(2026, 1, 1, 10, 0, tzinfo=dt.timezone.utc)]
    assert repr(s) == "Schedule('@hourly')"


def test_stubs_match_the_native_module():
    result = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "cnarch", "--ignore-missing-stub"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_typed_results_have_exactly_the_keys_the_core_returns():
    """The TypedDicts in the package name every key of the dicts the native module returns."""
    from typing import get_type_hints

    from cnarch import alerting, autoscale, resilience, slo

    samples = [
        (resilience.BreakerMetrics, resilience.CircuitBreaker().metrics(0.0)),
        (slo.BudgetStatus, slo.budget_status(0.999, 999, 1000)),
        (autoscale.KpaDecision, autoscale.ServerlessAutoscaler().scale(10.0, 5.0, 5.0, 1)),
        (autoscale.KedaPoll, autoscale.ScaledObject(maxReplicaCount=5, triggers=[{"name": "q", "threshold": 10}]).poll(0.0, 1, [20.0])),
        (alerting.Notification, alerting.notifications([{"labels": {"alertname": "x"}, "starts_at": 0.0}], until=100.0)[0]),
        (alerting.Matcher, alerting.parse_matchers('a=~"b"')[0]),
        (alerting.RouteMatch, alerting.AlertmanagerConfig("route:\n  receiver: a\nreceivers:\n  - name: a\n").routes({})[0]),
        (
            alerting.ReceiverNotification,
            alerting.AlertmanagerConfig("route:\n  receiver: a\nreceivers:\n  - name: a\n    webhook_configs:\n      - url: http://h.invalid\n").timeline([{"labels": {"x": "y"}, "starts_at": 0}], 60)[0],
        ),
        (alerting.Notice, alerting.escalation({"steps": [{"delay": 0, "channels": ["pager"]}]}, {"labels": {"a": "b"}, "starts_at": 0.0}, until=100.0)[0]),
    ]
    for typed, got in samples:
        assert set(got) == set(get_type_hints(typed)), typed.__name__


def test_duration_options_take_timedelta_anywhere():
    """A timedelta is read as its seconds in every option mapping (here KPA and KEDA configs
    and a breaker's recorded call duration), with the same result as the number."""
    from cnarch import autoscale, resilience

    td = dt.timedelta
    a = autoscale.ServerlessAutoscaler(stable_window=td(seconds=30), scale_down_delay=td(seconds=10))
    b = autoscale.ServerlessAutoscaler(stable_window=30, scale_down_delay=10)
    for now, load in [(0.0, 50.0), (5.0, 500.0), (20.0, 0.0), (40.0, 0.0)]:
        assert a.scale(now, load, load, 1) == b.scale(now, load, load, 1)
    trig = [{"name": "q", "threshold": 10}]
    k1 = autoscale.ScaledObject(cooldownPeriod=td(minutes=1), triggers=trig)
    k2 = autoscale.ScaledObject(cooldownPeriod=60, triggers=trig)
    for now, v in [(0.0, 20.0), (10.0, 0.0), (65.0, 0.0), (75.0, 0.0)]:
        assert k1.poll(now, 1, [v]) == k2.poll(now, 1, [v])
    br = resilience.CircuitBreaker(slow_call_duration_threshold=td(seconds=1), minimum_number_of_calls=1)
    br.record(0.0, br.try_acquire(0.0), True, td(seconds=2))
    assert br.metrics(0.0)["slow"] == 1
