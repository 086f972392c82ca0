//! SLO math, alert policies, evaluation and rule generation on testdata/slo vectors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::needless_range_loop
)]

mod common;

use std::path::Path;
use std::time::Duration;

use cnarch_core::alerting::evaluate::evaluate;
use cnarch_core::alerting::policy::MultiwindowPolicy;
use cnarch_core::alerting::rule::AlertRule;
use cnarch_core::slo::budget::*;
use proptest::prelude::*;
use serde_json::Value;

fn vectors(name: &str) -> Value {
    common::testdata(&format!("slo/{name}"))
}

fn o(v: &Value) -> Objective {
    Objective::new(v.as_f64().unwrap()).unwrap()
}

fn secs(v: &Value) -> Duration {
    Duration::from_secs_f64(v.as_f64().unwrap())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn budget_vectors() {
    let v = vectors("budget.json");
    for c in v["time_to_exhaustion"].as_array().unwrap() {
        let got = time_to_exhaustion(
            &o(&c["objective"]),
            secs(&c["window_s"]),
            c["error_ratio"].as_f64().unwrap(),
        )
        .unwrap();
        assert_eq!(got.map(|d| d.as_secs_f64()), c["want_s"].as_f64(), "{c}");
    }
    for c in v["burn_rate"].as_array().unwrap() {
        assert!(
            close(
                burn_rate(c["error_ratio"].as_f64().unwrap(), &o(&c["objective"])).unwrap(),
                c["want"].as_f64().unwrap()
            ),
            "{c}"
        );
    }
    for c in v["allowed_bad_time"].as_array().unwrap() {
        assert_eq!(
            allowed_bad_time(&o(&c["objective"]), secs(&c["window_s"])).as_secs_f64(),
            c["want_s"].as_f64().unwrap(),
            "{c}"
        );
    }
    for c in v["allowed_bad_events"].as_array().unwrap() {
        assert_eq!(
            allowed_bad_events(&o(&c["objective"]), c["total"].as_u64().unwrap()),
            c["want"].as_u64().unwrap(),
            "{c}"
        );
    }
    for c in v["burn_factor"].as_array().unwrap() {
        let got = burn_factor(
            c["budget_fraction"].as_f64().unwrap(),
            secs(&c["period_s"]),
            secs(&c["long_window_s"]),
        )
        .unwrap();
        assert!(
            (got - c["want"].as_f64().unwrap()).abs() < 1e-9,
            "{c}: {got}"
        );
    }
    for c in v["budget_consumed"].as_array().unwrap() {
        let got = budget_consumed(
            c["error_ratio"].as_f64().unwrap(),
            &o(&c["objective"]),
            secs(&c["duration_s"]),
            secs(&c["period_s"]),
        )
        .unwrap();
        assert!(close(got, c["want"].as_f64().unwrap()), "{c}: {got}");
    }
    for (k, f) in [
        (
            "detection_time",
            detection_time
                as fn(&Objective, f64, Duration, f64) -> Result<Option<Duration>, BudgetInputError>,
        ),
        ("reset_time", reset_time),
    ] {
        for c in v[k].as_array().unwrap() {
            let got = f(
                &o(&c["objective"]),
                c["error_ratio"].as_f64().unwrap(),
                secs(&c["window_s"]),
                c["factor"].as_f64().unwrap(),
            )
            .unwrap();
            match c["want_s"].as_f64() {
                None => assert_eq!(got, None, "{k} {c}"),
                Some(w) => assert!(
                    (got.unwrap().as_secs_f64() - w).abs() < 1e-6,
                    "{k} {c}: {got:?}"
                ),
            }
        }
    }
    for c in v["budget_status"].as_array().unwrap() {
        let s = budget_status(
            &o(&c["objective"]),
            c["good"].as_u64().unwrap(),
            c["total"].as_u64().unwrap(),
        );
        assert_eq!(s.sli, c["sli"].as_f64(), "{c}");
        assert_eq!(
            (s.bad, s.allowed_bad),
            (
                c["bad"].as_u64().unwrap(),
                c["allowed_bad"].as_u64().unwrap()
            ),
            "{c}"
        );
        match c["consumed"].as_f64() {
            None => assert_eq!((s.consumed, s.remaining), (None, None)),
            Some(w) => {
                assert!(close(s.consumed.unwrap(), w), "{c}");
                assert!(
                    close(s.remaining.unwrap(), c["remaining"].as_f64().unwrap()),
                    "{c}"
                );
            }
        }
        assert_eq!(s.remaining_events, c["remaining_events"].as_i64().unwrap());
    }
    for c in v["objective_text"].as_array().unwrap() {
        let ob = o(&c["objective"]);
        assert_eq!(
            (ob.to_string(), ob.budget_text(), ob.percent_text()),
            (
                c["text"].as_str().unwrap().into(),
                c["budget"].as_str().unwrap().into(),
                c["percent"].as_str().unwrap().into()
            )
        );
    }
    for bad in v["invalid_objectives"].as_array().unwrap() {
        assert_eq!(
            Objective::new(bad.as_f64().unwrap()).unwrap_err().code(),
            "invalid_objective"
        );
    }
    assert_eq!(
        Objective::from_percent(99.9).unwrap(),
        Objective::new(0.999).unwrap()
    );
}

#[test]
fn pyrra_windows() {
    for p in vectors("pyrra.json")["periods"].as_array().unwrap() {
        let pol = MultiwindowPolicy::pyrra(Duration::from_secs(
            p["period_days"].as_u64().unwrap() * 86400,
        ));
        let got: Vec<[f64; 4]> = pol
            .rules
            .iter()
            .map(|r| {
                [
                    r.long_window.as_secs_f64(),
                    r.short_window.as_secs_f64(),
                    r.for_.as_secs_f64(),
                    r.factor,
                ]
            })
            .collect();
        let want: Vec<[f64; 4]> = p["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let a = r.as_array().unwrap();
                [
                    a[0].as_f64().unwrap(),
                    a[1].as_f64().unwrap(),
                    a[2].as_f64().unwrap(),
                    a[3].as_f64().unwrap(),
                ]
            })
            .collect();
        assert_eq!(got, want, "{}", p["period_days"]);
    }
}

#[test]
fn alert_rule_vectors() {
    for s in vectors("alert_rule.json")["scenarios"].as_array().unwrap() {
        let mut r = AlertRule::new(
            s["for_s"].as_f64().unwrap(),
            s["keep_firing_for_s"].as_f64().unwrap(),
        );
        for step in s["steps"].as_array().unwrap() {
            let st = r.eval(step[0].as_f64().unwrap(), step[1].as_bool().unwrap());
            assert_eq!(
                st.as_str(),
                step[2].as_str().unwrap(),
                "{}: {step}",
                s["name"]
            );
        }
    }
}

/// Expands `segments` into 1-minute samples at t = 60, 120, ...
fn series(s: &Value) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mut t, mut g, mut tot) = (Vec::new(), Vec::new(), Vec::new());
    let mut m = 0u64;
    for seg in s["segments"].as_array().unwrap() {
        for _ in 0..seg["minutes"].as_u64().unwrap() {
            m += 1;
            t.push(m as f64 * 60.0);
            g.push(seg["good"].as_f64().unwrap());
            tot.push(seg["total"].as_f64().unwrap());
        }
    }
    (t, g, tot)
}

#[test]
fn alert_evaluation_vectors() {
    for s in vectors("alerts.json")["scenarios"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        let period = Duration::from_secs(s["period_days"].as_u64().unwrap() * 86400);
        let pol = match s["policy"].as_str().unwrap() {
            "standard" => MultiwindowPolicy::standard(period),
            _ => MultiwindowPolicy::pyrra(period),
        };
        let (t, g, tot) = series(s);
        let ev = evaluate(&pol, &o(&s["objective"]), &t, &g, &tot).unwrap();
        for (i, w) in s["want"].as_array().unwrap().iter().enumerate() {
            let r = &ev.rules[i];
            assert_eq!(r.severity, w["severity"].as_str().unwrap(), "{name}");
            let want = w["episodes"].as_array().unwrap();
            assert_eq!(
                r.episodes.len(),
                want.len(),
                "{name} rule {i}: {:?}",
                r.episodes
            );
            for (e, we) in r.episodes.iter().zip(want) {
                let min = |x: Option<f64>| x.map(|v| (v / 60.0).round() as u64);
                assert_eq!(
                    min(Some(e.pending_at)),
                    we["pending_at_min"].as_u64(),
                    "{name} rule {i}"
                );
                assert_eq!(
                    min(e.fired_at),
                    we["fired_at_min"].as_u64(),
                    "{name} rule {i}"
                );
                if let Some(r) = we.get("resolved_at_min") {
                    assert_eq!(min(e.resolved_at), r.as_u64(), "{name} rule {i}");
                }
                if let Some(d) = we["detection_s"].as_f64() {
                    assert_eq!(e.detection_time, Some(d), "{name} rule {i}");
                }
                if let Some(d) = we["reset_s"].as_f64() {
                    assert_eq!(e.reset_time, Some(d), "{name} rule {i}");
                }
                if let Some(b) = we["budget_spent"].as_f64() {
                    assert!(
                        (e.budget_spent_before_firing.unwrap() - b).abs() < 1e-9,
                        "{name} rule {i}: {:?}",
                        e.budget_spent_before_firing
                    );
                }
            }
        }
    }
}

#[test]
fn standard_policy_and_validation() {
    let p = MultiwindowPolicy::standard(Duration::from_secs(30 * 86400));
    let f: Vec<f64> = p
        .rules
        .iter()
        .map(|r| (r.factor * 1e9).round() / 1e9)
        .collect();
    assert_eq!(f, vec![14.4, 6.0, 3.0, 1.0]);
    // With a 90 % objective the 14.4 page needs 144 % errors: it can never fire.
    let findings = p
        .validate(&Objective::new(0.9).unwrap(), None, 0.0)
        .unwrap();
    assert_eq!(
        findings
            .iter()
            .map(|x| (x.rule, x.code))
            .collect::<Vec<_>>(),
        vec![(0, "never_fires")]
    );
    let low = p
        .validate(&Objective::new(0.999).unwrap(), Some(0.01), 10.0)
        .unwrap();
    assert!(p
        .validate(&Objective::new(0.999).unwrap(), Some(f64::NAN), 10.0)
        .is_err());
    assert!(
        low.iter().any(|x| x.rule == 0 && x.code == "low_traffic"),
        "{low:?}"
    );
}

/// Naive window ratio at i: scan back.
fn naive(t: &[f64], g: &[f64], tot: &[f64], i: usize, w: f64) -> Option<f64> {
    let (mut b, mut n) = (0.0, 0.0);
    for k in (0..=i).rev() {
        if t[k] <= t[i] - w {
            break;
        }
        b += tot[k] - g[k];
        n += tot[k];
    }
    (n > 0.0).then(|| b / n)
}

proptest! {
    #[test]
    fn remaining_plus_consumed_is_the_whole(objective in 1u32..9999, good in 0u64..1_000_000, extra in 0u64..1000) {
        let o = Objective::new(f64::from(objective) / 10_000.0).unwrap();
        let s = budget_status(&o, good, good + extra);
        if let (Some(c), Some(r)) = (s.consumed, s.remaining) {
            prop_assert!((c + r - 1.0).abs() < 1e-9);
        }
        prop_assert_eq!(s.remaining_events + i64::try_from(s.bad).unwrap(), i64::try_from(s.allowed_bad).unwrap());
    }

    #[test]
    fn window_ratios_equal_a_naive_recomputation(samples in prop::collection::vec((1u32..120, 0u32..50, 0u32..50), 1..200), w in 1u32..3600) {
        let mut t = Vec::new();
        let (mut g, mut tot) = (Vec::new(), Vec::new());
        let mut now = 0.0;
        for (dt, a, b) in samples {
            now += f64::from(dt);
            t.push(now);
            let total = f64::from(a.max(b));
            tot.push(total);
            g.push(f64::from(a.min(b)));
        }
        let mut bp = vec![0.0];
        let mut tp = vec![0.0];
        for i in 0..t.len() {
            bp.push(bp[i] + tot[i] - g[i]);
            tp.push(tp[i] + tot[i]);
        }
        let got = cnarch_core::alerting::evaluate::window_ratios(&t, &bp, &tp, f64::from(w));
        for i in 0..t.len() {
            let want = naive(&t, &g, &tot, i, f64::from(w));
            match (got[i], want) {
                (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-9),
                (a, b) => prop_assert_eq!(a, b),
            }
        }
    }

    #[test]
    fn alert_states_respect_for(for_s in 0u32..600, steps in prop::collection::vec(any::<bool>(), 1..100)) {
        let mut r = AlertRule::new(f64::from(for_s), 0.0);
        let mut run_start: Option<f64> = None;
        for (i, active) in steps.into_iter().enumerate() {
            let t = i as f64 * 60.0;
            let st = r.eval(t, active);
            if active {
                let start = *run_start.get_or_insert(t);
                let want = if t - start >= f64::from(for_s) { "firing" } else { "pending" };
                prop_assert_eq!(st.as_str(), want);
            } else {
                run_start = None;
                prop_assert_eq!(st.as_str(), "inactive");
            }
        }
    }
}

use cnarch_core::slo::rules::{generate, SlothSpec};

#[test]
fn generated_rules_match_the_golden_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/slo");
    let v: Value =
        serde_norway::from_str(&std::fs::read_to_string(dir.join("sloth_spec.yaml")).unwrap())
            .unwrap();
    let spec = SlothSpec::from_json(&v).unwrap();
    let got = generate(&spec, Duration::from_secs(30 * 86400))
        .unwrap()
        .to_yaml();
    let want = std::fs::read_to_string(dir.join("sloth_rules.golden.yaml")).unwrap();
    assert_eq!(
        got, want,
        "regenerate testdata/slo/sloth_rules.golden.yaml only after checking the difference"
    );
    // Sloth's names, labels, and numbers without float noise.
    for needle in [
        "slo:sli_error:ratio_rate30d",
        "slo:period_error_budget_remaining:ratio",
        "vector(0.999)",
        "vector(1-0.999)",
        "(14.4 * 0.001)",
        "sloth_window: 5m",
        "sloth_severity: ticket",
    ] {
        assert!(got.contains(needle), "{needle}");
    }
    assert!(!got.contains("0.9990000"));
    // 28 days: Sloth's factors.
    let got28 = generate(&spec, Duration::from_secs(28 * 86400))
        .unwrap()
        .to_yaml();
    for f in [
        "(13.44 * 0.001)",
        "(5.6 * 0.001)",
        "(2.8 * 0.001)",
        "(0.9333333333333333 * 0.001)",
        "ratio_rate4w",
    ] {
        assert!(got28.contains(f), "{f}");
    }
    // The factors written are the doubles the offline replay uses (issue 17: 0.9333333333 in
    // the rules fired where the replay's exact factor did not).
    let policy = MultiwindowPolicy::standard(Duration::from_secs(28 * 86400));
    for r in &policy.rules {
        let written = format!("({} * 0.001)", cnarch_core::prom::exact_number(r.factor));
        assert!(got28.contains(&written), "{written}");
    }
}

#[test]
fn spec_problems_name_their_paths() {
    let v = serde_json::json!({"version": "prometheus/v2", "service": "s", "slos": [
        {"name": "a", "objective": 100.0, "sli": {"events": {"error_query": "sum(rate(x[5m]))", "total_query": "sum(rate(x[5m]))"}}},
        {"name": "b", "objective": 99.0, "sli": {}}]});
    let e = SlothSpec::from_json(&v).unwrap_err();
    let paths: Vec<&str> = e.iter().map(|x| x.path.as_str()).collect();
    for p in [
        "version",
        "slos[0].objective",
        "slos[0].sli.events.error_query",
        "slos[0].sli.events.total_query",
        "slos[0].sli.events",
        "slos[1].sli",
    ] {
        assert!(paths.contains(&p), "{p} in {paths:?}");
    }
    let typo = serde_json::json!({"version": "prometheus/v1", "service": "s", "slos": [{"name": "a", "objective": 99.0, "sli": {"raw": {"error_ratio_querry": "x"}}}]});
    assert_eq!(
        SlothSpec::from_json(&typo).unwrap_err()[0].path,
        "slos[0].sli.raw.error_ratio_querry"
    );
}

#[test]
fn rules_from_the_example_architecture() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/architecture.yaml"),
    )
    .unwrap();
    let docs = cnarch_core::document::load_str(&text).unwrap();
    let slos = docs
        .iter()
        .find_map(|d| match d {
            cnarch_core::document::Document::ServiceLevelObjectives(s) => Some(s.clone()),
            _ => None,
        })
        .unwrap();
    let spec = SlothSpec::from_model(&slos, "user-service").unwrap();
    let raw = &spec.slos[0].sli.raw.as_ref().unwrap().error_ratio_query;
    assert_eq!(
        raw,
        r#"1 - (sum(rate(http_requests_total{status!~"5.."}[{{.window}}])) / sum(rate(http_requests_total[{{.window}}])))"#
    );
    let yaml = generate(&spec, Duration::from_secs(30 * 86400))
        .unwrap()
        .to_yaml();
    assert!(
        yaml.contains("alert: UserServiceAvailabilityHighErrorRate"),
        "{yaml}"
    );
    assert!(yaml.contains("[1h])))"));
}

use cnarch_core::alerting::routing::{
    notifications, Alert, EscalationPolicy, EscalationStep, InhibitRule, Matcher, Route,
};

fn matchers(v: &Value) -> Vec<Matcher> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|m| Matcher::parse(m.as_str().unwrap()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn routing_vectors() {
    let v = vectors("routing.json");
    for s in v["scenarios"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        let route: Route = serde_json::from_value(s["route"].clone()).unwrap();
        let inhibit: Vec<InhibitRule> = s["inhibit"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|r| InhibitRule {
                        source_matchers: matchers(&r["source_matchers"]),
                        target_matchers: matchers(&r["target_matchers"]),
                        equal: serde_json::from_value(r["equal"].clone()).unwrap(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let alerts: Vec<Alert> = serde_json::from_value(s["alerts"].clone()).unwrap();
        let got: Vec<Value> =
            notifications(&route, &inhibit, &alerts, s["until"].as_f64().unwrap())
                .unwrap()
                .into_iter()
                .map(|n| serde_json::json!([n.at, n.firing, n.resolved]))
                .collect();
        let want: Vec<Value> = s["want"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| serde_json::json!([w[0].as_f64().unwrap(), w[1], w[2]]))
            .collect();
        assert_eq!(got, want, "{name}");
    }
    let e = &v["escalation"];
    let mut policy_json = e["policy"].clone();
    for step in policy_json["steps"].as_array_mut().unwrap() {
        if let Some(c) = step.get("condition").and_then(Value::as_str) {
            step["condition"] = serde_json::to_value(Matcher::parse(c).unwrap()).unwrap();
        }
    }
    let policy: EscalationPolicy = serde_json::from_value(policy_json).unwrap();
    for c in e["cases"].as_array().unwrap() {
        let alert: Alert = serde_json::from_value(c["alert"].clone()).unwrap();
        let got: Vec<Value> = policy
            .notices(&alert, 1e9)
            .unwrap()
            .into_iter()
            .map(|n| serde_json::json!([n.at, n.step, n.round]))
            .collect();
        let want: Vec<Value> = c["want"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| serde_json::json!([w[0].as_f64().unwrap(), w[1], w[2]]))
            .collect();
        assert_eq!(got, want, "{c}");
    }
    assert!(Matcher::parse("severity=~crit.*")
        .unwrap()
        .matches("critical"));
    assert!(Matcher::parse("severity=~crit(").is_err());
    assert!(Matcher::parse("nothing").is_err());
}

use cnarch_core::slo::window::{
    estimated_period_total, sli, BudgetingMethod, CalendarUnit, CalendarWindow,
};

#[test]
fn calendar_windows_and_budgeting_methods() {
    // 2026-02-14T12:00:00Z.
    let t = 1_771_070_400;
    let utc = |unit| CalendarWindow {
        unit,
        utc_offset_seconds: 0,
    };
    assert_eq!(
        utc(CalendarUnit::Month).bounds(t).unwrap(),
        (1_769_904_000, 1_772_323_200)
    ); // Feb 1 .. Mar 1
    assert_eq!(
        utc(CalendarUnit::Quarter).bounds(t).unwrap(),
        (1_767_225_600, 1_775_001_600)
    ); // Jan 1 .. Apr 1
    assert_eq!(
        utc(CalendarUnit::Week).bounds(t).unwrap(),
        (1_770_595_200, 1_771_200_000)
    ); // Mon Feb 9 .. Mon Feb 16
    assert_eq!(
        utc(CalendarUnit::Day).bounds(t).unwrap(),
        (1_771_027_200, 1_771_113_600)
    );
    // At UTC+14 it is already Feb 15 02:00: the day starts at Feb 14 10:00 UTC.
    let kiritimati = CalendarWindow {
        unit: CalendarUnit::Day,
        utc_offset_seconds: 14 * 3600,
    };
    assert_eq!(
        kiritimati.bounds(t).unwrap(),
        (1_771_063_200, 1_771_149_600)
    );
    // December rolls into the next year.
    assert_eq!(
        utc(CalendarUnit::Month).bounds(1_797_292_800).unwrap().1,
        1_798_761_600
    ); // Dec 15 2026 -> Jan 1 2027
    assert!(CalendarWindow {
        unit: CalendarUnit::Day,
        utc_offset_seconds: 100_000
    }
    .bounds(t)
    .is_err());
    assert_eq!(
        estimated_period_total(1000, 86_400.0, 28.0 * 86_400.0),
        Some(28_000.0)
    );
    assert_eq!(estimated_period_total(1000, 0.0, 86_400.0), None);
    // Three one-minute slices: 100 % (10/10), 90 % (9/10), 50 % (1/2), and an empty one.
    let samples = [
        (0.0, 5.0, 5.0),
        (30.0, 5.0, 5.0),
        (60.0, 9.0, 10.0),
        (120.0, 1.0, 2.0),
        (180.0, 0.0, 0.0),
    ];
    assert_eq!(
        sli(BudgetingMethod::Occurrences, &samples).unwrap(),
        Some(20.0 / 22.0)
    );
    assert_eq!(
        sli(
            BudgetingMethod::Timeslices {
                slice_seconds: 60.0,
                target: 0.9
            },
            &samples
        )
        .unwrap(),
        Some(2.0 / 3.0)
    );
    assert_eq!(
        sli(
            BudgetingMethod::RatioTimeslices {
                slice_seconds: 60.0
            },
            &samples
        )
        .unwrap(),
        Some((1.0 + 0.9 + 0.5) / 3.0)
    );
    assert_eq!(sli(BudgetingMethod::Occurrences, &[]).unwrap(), None);
    // Refused rather than answered: a zero slice, a target past 1, counts that cannot be.
    let paths = |m, s: &[(f64, f64, f64)]| -> Vec<String> {
        sli(m, s).unwrap_err().into_iter().map(|v| v.path).collect()
    };
    assert_eq!(
        paths(
            BudgetingMethod::Timeslices {
                slice_seconds: 0.0,
                target: 1.5
            },
            &samples
        ),
        ["method.target", "method.slice_seconds"]
    );
    assert_eq!(
        paths(
            BudgetingMethod::Occurrences,
            &[
                (0.0, 1.0, 1.0),
                (-5.0, f64::NAN, 1.0),
                (10.0, 3.0, 2.0),
                (11.0, 0.0, -1.0)
            ]
        ),
        [
            "samples[1].time",
            "samples[1].good",
            "samples[2].good",
            "samples[3].total"
        ]
    );
}

#[test]
fn evaluation_from_error_ratios_matches_counts() {
    use cnarch_core::alerting::evaluate::evaluate_ratios;
    let pol = MultiwindowPolicy::standard(Duration::from_secs(30 * 86400));
    let o = Objective::new(0.999).unwrap();
    let t: Vec<f64> = (1..=6000).map(|m| f64::from(m) * 60.0).collect();
    let ratios: Vec<f64> = (1..=6000)
        .map(|m| if (4321..4331).contains(&m) { 1.0 } else { 0.0 })
        .collect();
    let from_ratios = evaluate_ratios(&pol, &o, &t, &ratios).unwrap();
    let good: Vec<f64> = ratios.iter().map(|r| 1000.0 * (1.0 - r)).collect();
    let from_counts = evaluate(&pol, &o, &t, &good, &vec![1000.0; 6000]).unwrap();
    for (a, b) in from_ratios.rules.iter().zip(&from_counts.rules) {
        assert_eq!(a.states, b.states);
    }
    assert_eq!(
        evaluate_ratios(&pol, &o, &t[..1], &[1.5]).unwrap_err()[0].path,
        "error_ratios[0]"
    );
}

#[test]
fn openslo_budgeting_method_vectors() {
    let v = vectors("openslo.json");
    let samples: Vec<(f64, f64, f64)> = v["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s[0].as_f64().unwrap(),
                s[1].as_f64().unwrap(),
                s[2].as_f64().unwrap(),
            )
        })
        .collect();
    for c in v["cases"].as_array().unwrap() {
        let m: BudgetingMethod =
            serde_json::from_value(c.clone()).unwrap_or_else(|e| panic!("{c}: {e}"));
        assert!(
            (sli(m, &samples).unwrap().unwrap() - c["want"].as_f64().unwrap()).abs() < 1e-12,
            "{c}"
        );
    }
}

#[test]
fn calendar_months_follow_the_time_zone() {
    // 2026-03-15 12:00 UTC. Europe/Berlin: March starts at 2026-02-28 23:00 UTC (CET, +1) and
    // ends at 2026-03-31 22:00 UTC (CEST, +2 since March 29): one hour shorter than 31 days.
    let (s, e) =
        CalendarWindow::bounds_in_zone(CalendarUnit::Month, "Europe/Berlin", 1_773_576_000)
            .unwrap();
    assert_eq!((s, e), (1_772_319_600, 1_774_994_400));
    assert_eq!(e - s, 31 * 86_400 - 3600);
    assert!(CalendarWindow::bounds_in_zone(CalendarUnit::Month, "Mars/Olympus", 0).is_err());
}

#[test]
fn escalation_from_the_model_skips_disabled_channels() {
    use cnarch_core::model::observability::{EscalationPolicy as ModelPolicy, NotificationChannel};
    let policy: ModelPolicy = serde_json::from_value(serde_json::json!({"name": "oncall", "repeat": false, "steps": [
        {"delay": "0s", "channels": ["slack", "email"]}, {"delay": "5m", "channels": ["email"]}, {"delay": "10m", "channels": ["pager"], "condition": "severity=critical"}]})).unwrap();
    let channels: Vec<NotificationChannel> = serde_json::from_value(serde_json::json!([
        {"name": "slack", "type": "slack", "endpoint": "https://hooks.slack.example/x", "enabled": true},
        {"name": "email", "type": "email", "endpoint": "oncall@example.com", "enabled": false}])).unwrap();
    let p = EscalationPolicy::from_model_with_channels(&policy, &channels).unwrap();
    let alert: Alert = serde_json::from_value(
        serde_json::json!({"labels": {"severity": "critical"}, "starts_at": 0.0}),
    )
    .unwrap();
    let got: Vec<(f64, Vec<String>)> = p
        .notices(&alert, 3600.0)
        .unwrap()
        .into_iter()
        .map(|n| (n.at, n.channels))
        .collect();
    assert_eq!(
        got,
        vec![
            (0.0, vec!["slack".to_string()]),
            (900.0, vec!["pager".to_string()])
        ]
    );
    let bad: ModelPolicy = serde_json::from_value(serde_json::json!({"name": "x", "repeat": false, "steps": [{"delay": "1m", "channels": ["a"], "condition": "sev=~(crit"}]})).unwrap();
    assert!(EscalationPolicy::from_model(&bad)
        .unwrap_err()
        .contains("steps[0].condition"));
}

#[test]
fn routing_refuses_what_would_never_end_or_alertmanager_rejects() {
    let firing: Vec<Alert> = serde_json::from_value(serde_json::json!([
        {"labels": {"alertname": "A"}, "starts_at": 0.0}
    ]))
    .unwrap();
    fn codes<T: std::fmt::Debug>(
        r: Result<T, Vec<cnarch_core::Violation>>,
    ) -> Vec<(String, String)> {
        r.unwrap_err()
            .into_iter()
            .map(|v| (v.path, v.code))
            .collect()
    }
    // Alertmanager: "group_interval cannot be zero", "repeat_interval cannot be zero",
    // "duplicated label in group_by" (config.Route.UnmarshalYAML).
    let route = Route {
        group_by: vec!["alertname".into(), "alertname".into()],
        group_interval: 0.0,
        repeat_interval: 0.0,
        ..Route::default()
    };
    assert_eq!(
        codes(notifications(&route, &[], &firing, 3600.0)),
        vec![
            ("route.group_by[1]".to_string(), "duplicate".to_string()),
            ("route.group_interval".into(), "invalid_value".into()),
            ("route.repeat_interval".into(), "invalid_value".into()),
        ]
    );
    // A never-resolving alert repeats forever: a finite horizon is required.
    assert_eq!(
        codes(notifications(
            &Route::default(),
            &[],
            &firing,
            f64::INFINITY
        )),
        vec![("until".to_string(), "unbounded".to_string())]
    );
    // Resolved alerts make an infinite horizon fine.
    let resolved: Vec<Alert> = serde_json::from_value(serde_json::json!([
        {"labels": {"alertname": "A"}, "starts_at": 0.0, "ends_at": 600.0}
    ]))
    .unwrap();
    let n = notifications(&Route::default(), &[], &resolved, f64::INFINITY).unwrap();
    assert_eq!(
        n.iter().map(|n| n.at).collect::<Vec<_>>(),
        vec![30.0, 630.0]
    );
    // Too long a timeline is refused, not computed for hours.
    assert_eq!(
        codes(notifications(&Route::default(), &[], &firing, 1e12)),
        vec![("until".to_string(), "timeline_too_long".to_string())]
    );
    let backwards: Vec<Alert> = serde_json::from_value(serde_json::json!([
        {"labels": {}, "starts_at": 10.0, "ends_at": 5.0}
    ]))
    .unwrap();
    assert_eq!(
        codes(notifications(&Route::default(), &[], &backwards, 100.0)),
        vec![
            ("alerts[0].ends_at".to_string(), "invalid_value".to_string()),
            ("alerts[0].labels".to_string(), "required".to_string())
        ]
    );

    let policy = EscalationPolicy {
        steps: vec![EscalationStep {
            delay: 60.0,
            channels: vec!["pager".into()],
            condition: None,
        }],
        repeat: true,
        max_repeat: None,
    };
    assert_eq!(
        codes(policy.notices(&firing[0], f64::INFINITY)),
        vec![("until".to_string(), "unbounded".to_string())]
    );
    // Notices strictly before the horizon: 60, 120, ..., 540.
    let at: Vec<f64> = policy
        .notices(&firing[0], 600.0)
        .unwrap()
        .iter()
        .map(|n| n.at)
        .collect();
    assert_eq!(at, (1..10).map(|k| 60.0 * f64::from(k)).collect::<Vec<_>>());
    assert_eq!(
        codes(policy.notices(&firing[0], 1e12)),
        vec![("until".to_string(), "timeline_too_long".to_string())]
    );
    let capped = EscalationPolicy {
        max_repeat: Some(2),
        ..policy.clone()
    };
    assert_eq!(capped.notices(&firing[0], f64::INFINITY).unwrap().len(), 3);
    let nan = EscalationPolicy {
        steps: vec![EscalationStep {
            delay: f64::NAN,
            channels: vec!["pager".into()],
            condition: None,
        }],
        ..policy
    };
    assert_eq!(
        codes(nan.notices(&firing[0], 600.0)),
        vec![(
            "policy.steps[0].delay".to_string(),
            "invalid_value".to_string()
        )]
    );
}

#[test]
fn calendar_window_vectors() {
    let v = vectors("calendar.json");
    let unix = |s: &Value| {
        chrono::DateTime::parse_from_rfc3339(s.as_str().unwrap())
            .unwrap()
            .timestamp()
    };
    for c in v["cases"].as_array().unwrap() {
        let unit: CalendarUnit = c["unit"].as_str().unwrap().parse().unwrap();
        let got = CalendarWindow::containing(unit, c["zone"].as_str().unwrap(), unix(&c["at"]));
        assert_eq!(got, Ok((unix(&c["start"]), unix(&c["end"]))), "{c}");
    }
    assert!("fortnight".parse::<CalendarUnit>().is_err());
}

#[test]
fn budget_math_refuses_inputs_outside_its_domain() {
    let o = Objective::new(0.999).unwrap();
    let h = Duration::from_secs(3600);
    // These used to panic in Duration::from_secs_f64 (negative or NaN factor).
    for f in [-1.0, f64::NAN, f64::INFINITY] {
        let e = detection_time(&o, 0.5, h, f).unwrap_err();
        assert!(e.to_string().starts_with("burn_factor:"), "{e}");
        assert!(reset_time(&o, 0.5, h, f).is_err());
    }
    for r in [-0.1, 1.5, f64::NAN] {
        assert!(burn_rate(r, &o)
            .unwrap_err()
            .to_string()
            .starts_with("error_ratio:"));
        assert!(time_to_exhaustion(&o, h, r).is_err());
        assert!(budget_consumed(r, &o, h, h).is_err());
        assert!(detection_time(&o, r, h, 14.4).is_err());
    }
    assert!(budget_consumed(0.1, &o, h, Duration::ZERO)
        .unwrap_err()
        .to_string()
        .starts_with("period:"));
    assert!(burn_factor(0.02, h, Duration::ZERO).is_err());
    assert!(burn_factor(-0.02, h, h).is_err());
    assert_eq!(burn_factor(0.0, h, h).unwrap(), 0.0);
    // The domain's edges are answers: a factor of 0 fires at once, a ratio of 0 never.
    assert_eq!(
        detection_time(&o, 0.5, h, 0.0).unwrap(),
        Some(Duration::ZERO)
    );
    assert_eq!(time_to_exhaustion(&o, h, 0.0).unwrap(), None);
    assert_eq!(
        reset_time(&o, 1.0, h, 1.0).unwrap().map(|d| d.as_secs()),
        Some(3596)
    );
}

#[test]
fn calendar_windows_at_the_ends_of_time_fail_cleanly() {
    // chrono's range: 262143 BCE to 262142 CE. Local times past it used to panic.
    let max = chrono::NaiveDate::MAX
        .and_hms_opt(23, 59, 59)
        .unwrap()
        .and_utc()
        .timestamp();
    let min = chrono::NaiveDate::MIN
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp();
    for at in [
        min,
        min + 1,
        min + 86_400 * 40,
        max - 86_400 * 40,
        max - 1,
        max,
        i64::MAX,
        i64::MIN,
    ] {
        for unit in ["day", "week", "month", "quarter"] {
            for zone in [
                "UTC",
                "+14:00",
                "-12:00",
                "Pacific/Kiritimati",
                "America/Adak",
            ] {
                let u: CalendarUnit = unit.parse().unwrap();
                if let Ok((s, e)) = CalendarWindow::containing(u, zone, at) {
                    assert!(s <= at && at < e, "{at} {unit} {zone}: [{s}, {e})");
                }
            }
        }
    }
}

proptest! {
    // Any float (NaN, infinities, negatives, subnormals) and any duration: an answer or a
    // refusal, never a panic; answers stay in their domain.
    #[test]
    fn budget_math_answers_or_refuses_any_input(
        objective in 1u32..99_999, ratio in any::<f64>(), factor in any::<f64>(),
        a in any::<u64>(), b in any::<u64>(), total in any::<u64>()
    ) {
        let o = Objective::new(f64::from(objective) / 100_000.0).unwrap();
        let (da, db) = (Duration::from_nanos(a), Duration::from_nanos(b));
        if let Ok(r) = burn_rate(ratio, &o) {
            prop_assert!(r >= 0.0 && r.is_finite());
        }
        if let Ok(Some(t)) = time_to_exhaustion(&o, da, ratio) {
            prop_assert!(t >= da || ratio > o.budget());
        }
        let _ = budget_consumed(ratio, &o, da, db);
        if let Ok(f) = burn_factor(factor, da, db) {
            prop_assert!(f >= 0.0);
        }
        for f in [detection_time, reset_time] {
            if let Ok(Some(t)) = f(&o, ratio, da, factor) {
                prop_assert!(t <= da);
            }
        }
        prop_assert!(allowed_bad_time(&o, da) <= da);
        prop_assert!(allowed_bad_events(&o, total) <= total);
    }

    #[test]
    fn calendar_windows_answer_or_refuse_any_instant(
        at in any::<i64>(), unit in 0usize..4, zone in 0usize..5
    ) {
        let unit = ["day", "week", "month", "quarter"][unit].parse::<CalendarUnit>().unwrap();
        let zone = ["UTC", "+14:00", "-12:00", "Europe/Berlin", "Australia/Lord_Howe"][zone];
        if let Ok((s, e)) = CalendarWindow::containing(unit, zone, at) {
            prop_assert!(s <= at && at < e);
        }
    }
}

#[test]
fn specs_promtool_would_refuse_are_refused_with_paths() {
    let v = vectors("rule_checks.json");
    for c in v["refused"].as_array().unwrap() {
        let e = cnarch_core::ffi::slo::spec_from_json(&c["spec"], None)
            .expect_err(c["why"].as_str().unwrap());
        let got: Vec<Value> = e
            .iter()
            .map(|x| serde_json::json!([x.path, x.code]))
            .collect();
        assert_eq!(Value::Array(got), c["violations"], "{}", c["why"]);
    }
    for c in v["accepted"].as_array().unwrap() {
        let spec = cnarch_core::ffi::slo::spec_from_json(&c["spec"], None).unwrap();
        let file =
            cnarch_core::slo::rules::generate(&spec, Duration::from_secs(30 * 86400)).unwrap();
        let yaml = file.to_yaml();
        if std::env::var_os("CNARCH_WRITE_RULES").is_some() {
            println!("{yaml}");
        }
        let sel = c["selector"].as_str().unwrap();
        let mut selectors = 0;
        for g in &file.groups {
            for r in &g.rules {
                assert_eq!(
                    cnarch_core::prom::check_promql(&r.expr),
                    Ok(()),
                    "{}",
                    r.expr
                );
                selectors += usize::from(r.expr.contains(sel));
            }
        }
        assert!(selectors > 0, "{}", c["why"]);
    }
}
