"""testdata/slo vectors through cnarch.slo and cnarch.alerting."""

import datetime as dt
import math
import pathlib

import pytest

from cnarch import ValidationError
from cnarch import alerting, slo
from conftest import vectors

B = vectors("slo/budget.json")
ROOT = pathlib.Path(__file__).resolve().parents[2]


def secs(d):
    return None if d is None else d.total_seconds()


def test_budget_vectors():
    for c in B["time_to_exhaustion"]:
        assert secs(slo.time_to_exhaustion(c["objective"], dt.timedelta(seconds=c["window_s"]), c["error_ratio"])) == c["want_s"], c
    for c in B["burn_rate"]:
        assert slo.burn_rate(c["error_ratio"], c["objective"]) == pytest.approx(c["want"]), c
    for c in B["allowed_bad_time"]:
        assert secs(slo.allowed_bad_time(c["objective"], c["window_s"])) == pytest.approx(c["want_s"], abs=1e-6), c
    for c in B["allowed_bad_events"]:
        assert slo.allowed_bad_events(c["objective"], c["total"]) == c["want"], c
    for c in B["burn_factor"]:
        assert slo.burn_factor(c["budget_fraction"], c["period_s"], c["long_window_s"]) == pytest.approx(c["want"], abs=1e-9), c
    for c in B["budget_consumed"]:
        assert slo.budget_consumed(c["error_ratio"], c["objective"], c["duration_s"], c["period_s"]) == pytest.approx(c["want"]), c
    for name, f in (("detection_time", slo.detection_time), ("reset_time", slo.reset_time)):
        for c in B[name]:
            got = secs(f(c["objective"], c["error_ratio"], c["window_s"], c["factor"]))
            assert (got is None) == (c["want_s"] is None), c
            if got is not None:
                assert got == pytest.approx(c["want_s"], abs=1e-6), c
    for c in B["budget_status"]:
        s = slo.budget_status(c["objective"], c["good"], c["total"])
        assert (s["sli"], s["bad"], s["allowed_bad"], s["remaining_events"]) == (c["sli"], c["bad"], c["allowed_bad"], c["remaining_events"])
        if c["consumed"] is None:
            assert s["consumed"] is None and s["remaining"] is None
        else:
            assert s["consumed"] == pytest.approx(c["consumed"]) and s["remaining"] == pytest.approx(c["remaining"])
    for bad in B["invalid_objectives"]:
        with pytest.raises(ValueError, match="objective"):
            slo.burn_rate(0.1, bad)


def test_string_and_timedelta_durations():
    assert slo.allowed_bad_time(0.999, "30d") == dt.timedelta(minutes=43, seconds=12)
    assert slo.detection_time(0.999, 1.0, "1h", 36) == dt.timedelta(seconds=129.6)
    with pytest.raises(TypeError):
        slo.allowed_bad_time(0.999, object())


@pytest.mark.parametrize("p", vectors("slo/pyrra.json")["periods"], ids=lambda p: f"{p['period_days']}d")
def test_pyrra_windows(p):
    pol = slo.MultiwindowPolicy.pyrra(dt.timedelta(days=p["period_days"]))
    got = [[r.long_window.total_seconds(), r.short_window.total_seconds(), r.for_.total_seconds(), r.factor] for r in pol.rules]
    assert got == p["rules"]


def test_standard_policy_factors_and_validation():
    pol = slo.MultiwindowPolicy.standard("30d")
    assert [round(r.factor, 9) for r in pol.rules] == [14.4, 6, 3, 1]
    assert [(r.long_window, r.short_window) for r in pol.rules][0] == (dt.timedelta(hours=1), dt.timedelta(minutes=5))
    assert [f["code"] for f in pol.validate(0.9)] == ["never_fires"]


@pytest.mark.parametrize("s", vectors("slo/alert_rule.json")["scenarios"], ids=lambda s: s["name"])
def test_alert_rule_vectors(s):
    r = alerting.AlertRule(for_=s["for_s"], keep_firing_for=s["keep_firing_for_s"])
    for t, active, want in s["steps"]:
        assert r.eval(t, active) == want, (t, active)


@pytest.mark.parametrize("s", vectors("slo/alerts.json")["scenarios"], ids=lambda s: s["name"])
def test_alert_evaluation_vectors(s):
    t, g, tot = [], [], []
    m = 0
    for seg in s["segments"]:
        for _ in range(seg["minutes"]):
            m += 1
            t.append(m * 60.0)
            g.append(seg["good"])
            tot.append(seg["total"])
    period = dt.timedelta(days=s["period_days"])
    pol = slo.MultiwindowPolicy.standard(period) if s["policy"] == "standard" else slo.MultiwindowPolicy.pyrra(period)
    ev = slo.evaluate(pol, s["objective"], t, g, tot)
    for rule, want in zip(ev["rules"], s["want"]):
        assert rule["severity"] == want["severity"]
        assert len(rule["episodes"]) == len(want["episodes"])
        for e, w in zip(rule["episodes"], want["episodes"]):
            minute = lambda x: None if x is None else round(x / 60)
            assert minute(e["pending_at"]) == w["pending_at_min"]
            assert minute(e["fired_at"]) == w["fired_at_min"]
            if "resolved_at_min" in w:
                assert minute(e["resolved_at"]) == w["resolved_at_min"]
            if "detection_s" in w:
                assert e["detection_time"] == w["detection_s"]
            if "reset_s" in w:
                assert e["reset_time"] == w["reset_s"]
            if "budget_spent" in w:
                assert e["budget_spent_before_firing"] == pytest.approx(w["budget_spent"])


def test_evaluate_refuses_bad_series():
    with pytest.raises(ValidationError) as e:
        slo.evaluate(slo.MultiwindowPolicy.standard(), 0.999, [60, 30], [1, 1], [1, 1])
    assert e.value.violations[0].path == "timestamps[1]"


def test_generated_rules_match_the_golden_file():
    import yaml  # PyYAML, installed by scripts/setup.sh

    spec = yaml.safe_load((ROOT / "testdata/slo/sloth_spec.yaml").read_text())
    assert slo.prometheus_rules(spec, "30d") == (ROOT / "testdata/slo/sloth_rules.golden.yaml").read_text()
    with pytest.raises(ValidationError) as e:
        slo.prometheus_rules({"version": "prometheus/v1", "service": "s", "slos": [{"name": "a", "objective": 99.9, "sli": {"raw": {"error_ratio_query": "x"}}}]})
    assert e.value.violations[0].path == "slos[0].sli.raw.error_ratio_query"


def test_rules_from_a_model_document():
    doc = {"name": "user-service-slos", "slos": [{"name": "availability", "objective": 0.999, "window": "30d",
           "indicators": [{"name": "ok", "type": "availability", "query": "sum(rate(ok[5m])) / sum(rate(all[5m]))"}]}]}
    y = slo.prometheus_rules(doc, service="user-service")
    assert "1 - (sum(rate(ok[1h])) / sum(rate(all[1h])))" in y and "sloth_service: user-service" in y


def test_routing_vectors():
    v = vectors("slo/routing.json")
    for s in v["scenarios"]:
        got = alerting.notifications(s["alerts"], route=s["route"] or None, inhibit=s.get("inhibit", []), until=s["until"])
        assert [[n["at"], n["firing"], n["resolved"]] for n in got] == s["want"], s["name"]
    e = v["escalation"]
    for c in e["cases"]:
        got = alerting.escalation(e["policy"], c["alert"])
        assert [[n["at"], n["step"], n["round"]] for n in got] == c["want"]
    with pytest.raises(ValidationError) as err:
        alerting.notifications([], inhibit=[{"source_matchers": ["a=~(b"]}], until=1)
    assert err.value.violations[0].path == "inhibit[0].source_matchers[0]"


def test_routing_refuses_endless_or_invalid_timelines():
    firing = [{"labels": {"alertname": "A"}, "starts_at": 0}]
    repeating = {"steps": [{"delay": 60, "channels": ["pager"]}], "repeat": True}
    # The default horizon is open: fine when the alert resolves, refused when it never does.
    assert [n["at"] for n in alerting.escalation(repeating, {**firing[0], "ends_at": 200})] == [60, 120, 180]
    with pytest.raises(ValidationError) as err:
        alerting.escalation(repeating, firing[0])
    assert [(v.path, v.code) for v in err.value.violations] == [("until", "unbounded")]
    with pytest.raises(ValidationError) as err:
        alerting.escalation(repeating, firing[0], until=1e12)
    assert err.value.violations[0].code == "timeline_too_long"
    with pytest.raises(ValidationError) as err:
        alerting.escalation({**repeating, "max_repeat": -1}, firing[0], until=600)
    assert err.value.violations[0].path == "policy.max_repeat"
    with pytest.raises(ValidationError) as err:
        alerting.escalation({**repeating, "repeat": "yes"}, firing[0], until=600)
    assert err.value.violations[0].path == "policy.repeat"
    # Alertmanager: "group_interval cannot be zero".
    with pytest.raises(ValidationError) as err:
        alerting.notifications(firing, route={"group_interval": 0}, until=3600)
    assert [(v.path, v.code) for v in err.value.violations] == [("route.group_interval", "invalid_value")]
    with pytest.raises(ValidationError) as err:
        alerting.notifications(firing, until=float("inf"))
    assert err.value.violations[0].code == "unbounded"


def test_openslo_budgeting_methods():
    v = vectors("slo/openslo.json")
    for c in v["cases"]:
        got = slo.sli(v["samples"], c["method"], slice_seconds=c.get("slice_seconds"), target=c.get("target"))
        assert got == pytest.approx(c["want"], abs=1e-12), c
    with pytest.raises(ValueError):
        slo.sli(v["samples"], "vibes")


def test_evaluate_from_error_ratios_and_custom_rules():
    t = [m * 60.0 for m in range(1, 200)]
    ratios = [1.0 if 100 < m <= 110 else 0.0 for m in range(1, 200)]
    # Workbook approach 4: one 1-hour window at burn 36.
    pol = slo.MultiwindowPolicy("30d", [slo.BurnRateRule(dt.timedelta(hours=1), dt.timedelta(hours=1), 36, "page")])
    ev = slo.evaluate(pol, 0.999, t, error_ratios=ratios)
    e = ev["rules"][0]["episodes"][0]
    assert e["fired_at"] == 103 * 60  # 3 of 60 minutes > 3.6 %
    with pytest.raises(ValueError):
        slo.evaluate(pol, 0.999, t)


def test_calendar_windows_in_a_time_zone():
    utc = dt.timezone.utc
    s, e = slo.calendar_window(dt.datetime(2026, 3, 15, 12, tzinfo=utc), "month", "Europe/Berlin")
    assert (s, e) == (dt.datetime(2026, 2, 28, 23, tzinfo=utc), dt.datetime(2026, 3, 31, 22, tzinfo=utc))
    assert slo.calendar_window(dt.datetime(2026, 2, 14, 12, tzinfo=utc), "quarter", "+02:00")[0] == dt.datetime(2025, 12, 31, 22, tzinfo=utc)
    with pytest.raises(ValueError, match="IANA"):
        slo.calendar_window(0, "month", "Mars/Olympus")
    with pytest.raises(ValueError, match="quarter"):
        slo.calendar_window(0, "fortnight")


def test_calendar_window_vectors():
    iso = lambda s: dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    for c in vectors("slo/calendar.json")["cases"]:
        assert slo.calendar_window(iso(c["at"]), c["unit"], c["zone"]) == (iso(c["start"]), iso(c["end"])), c


def test_keep_firing_for_in_an_evaluated_policy():
    t = [m * 60.0 for m in range(1, 200)]
    ratios = [1.0 if 100 < m <= 110 else 0.0 for m in range(1, 200)]
    rule = slo.BurnRateRule(dt.timedelta(minutes=5), dt.timedelta(minutes=5), 14.4, "page", keep_firing_for=dt.timedelta(minutes=10))
    e = slo.evaluate(slo.MultiwindowPolicy("30d", [rule]), 0.999, t, error_ratios=ratios)["rules"][0]["episodes"][0]
    # The 5-minute window clears at minute 115; the alert keeps firing 10 more minutes.
    assert (e["fired_at"], e["resolved_at"]) == (101 * 60, 125 * 60)


def test_budget_math_refuses_inputs_outside_its_domain():
    # A negative or NaN factor used to panic inside the native module.
    for f in (-1.0, float("nan")):
        with pytest.raises(ValueError, match="burn_factor"):
            slo.detection_time(0.999, 0.5, "1h", f)
        with pytest.raises(ValueError, match="burn_factor"):
            slo.reset_time(0.999, 0.5, "1h", f)
    for r in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError, match="error_ratio"):
            slo.burn_rate(r, 0.999)
    with pytest.raises(ValueError, match="period"):
        slo.budget_consumed(0.1, 0.999, "1h", "0s")
    with pytest.raises(ValueError, match="long_window"):
        slo.burn_factor(0.02, "30d", "0s")
    assert slo.detection_time(0.999, 0.5, "1h", 0) == dt.timedelta(0)


def test_inputs_that_cannot_be_are_refused():
    with pytest.raises(ValidationError) as err:
        slo.sli([(0, 1, 1), (60, 3, 2)], "timeslices", slice_seconds=0, target=1.5)
    assert [v.path for v in err.value.violations] == ["method.target", "method.slice_seconds", "samples[1].good"]
    with pytest.raises(ValueError, match="for"):
        alerting.AlertRule(for_=float("nan"))
    rule = alerting.AlertRule(for_=60)
    assert rule.eval(100, True) == "pending"
    with pytest.raises(ValueError, match="time order"):
        rule.eval(50, True)
    with pytest.raises(ValueError, match="finite"):
        rule.eval(float("nan"), True)
    with pytest.raises(ValueError, match="events_per_second"):
        slo.MultiwindowPolicy.standard("30d").validate(0.999, events_per_second=-1)


def test_burn_rate_rules_take_duration_strings_and_default_the_short_window():
    r = slo.BurnRateRule("1h", None, 14.4, "page", for_="2m")  # type: ignore[arg-type]
    assert (r.long_window, r.short_window, r.for_) == (dt.timedelta(hours=1), dt.timedelta(minutes=5), dt.timedelta(minutes=2))
    pol = slo.MultiwindowPolicy("30d", [r])
    assert pol.validate(0.999) == []
    with pytest.raises(ValueError, match="factor"):
        slo.MultiwindowPolicy("30d", [slo.BurnRateRule("1h", "5m", float("nan"), "page")]).validate(0.999)  # type: ignore[arg-type]


@pytest.mark.parametrize("c", vectors("slo/rule_checks.json")["refused"], ids=lambda c: c["why"])
def test_specs_promtool_would_refuse_are_refused(c):
    with pytest.raises(ValidationError) as err:
        slo.prometheus_rules(c["spec"])
    assert [[v.path, v.code] for v in err.value.violations] == c["violations"]


def test_names_are_escaped_in_selectors():
    for c in vectors("slo/rule_checks.json")["accepted"]:
        assert c["selector"] in slo.prometheus_rules(c["spec"])
