//! Kubelet probe timelines against `testdata/probes/timelines.json` (the prober worker's
//! rules, by hand), and the worst-case formulas of `probe::bounds` against the simulation
//! swept over where the container's start or the fault falls between ticks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use cnarch_core::error::Coded;
use cnarch_core::ffi::{self, Host};
use cnarch_core::model::workload::HealthCheck;
use cnarch_core::probe::{
    self, back_off, Behaviour, EventKind, Options, Phase, ProbeKind, ProbeResult, State,
};
use proptest::prelude::*;
use serde_json::{json, Value};

fn vectors() -> Value {
    let path = format!(
        "{}/../testdata/probes/timelines.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn timeline_vectors() {
    let v = vectors();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 9);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let got = ffi::probes::timeline(
            Host::RUST,
            &c["health_check"],
            Some(&c["behaviour"]),
            Some(&c["options"]),
        )
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let want = &c["expect"];
        for k in ["restarts", "first_ready", "ready"] {
            assert_eq!(normalize(&got[k]), normalize(&want[k]), "{name}: {k}");
        }
        if let Some(starts) = want["probe_starts"].as_object() {
            for (probe, times) in starts {
                let got_starts: Vec<Value> = got["probes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["probe"] == probe.as_str())
                    .map(|p| json!(p["start"].as_f64().unwrap()))
                    .collect();
                let want_starts: Vec<Value> = times
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| json!(t.as_f64().unwrap()))
                    .collect();
                assert_eq!(got_starts, want_starts, "{name}: {probe} starts");
            }
        }
        if let Some(outcomes) = want["outcomes"].as_object() {
            for (probe, list) in outcomes {
                let got_outcomes: Vec<&Value> = got["probes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["probe"] == probe.as_str())
                    .map(|p| &p["outcome"])
                    .collect();
                let list: Vec<&Value> = list.as_array().unwrap().iter().collect();
                assert_eq!(got_outcomes, list, "{name}: {probe} outcomes");
            }
        }
        let only: Vec<&str> = want["only"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let events: Vec<Value> = got["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| only.contains(&e["event"].as_str().unwrap()))
            .map(normalize)
            .collect();
        let want_events: Vec<Value> = want["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(normalize)
            .collect();
        assert_eq!(events, want_events, "{name}: events");
    }
}

/// Numbers as floats, so `10` and `10.0` compare equal.
fn normalize(v: &Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64().unwrap()),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        other => other.clone(),
    }
}

fn hc(v: Value) -> HealthCheck {
    serde_json::from_value(v).unwrap()
}

fn secs(x: f64) -> Duration {
    Duration::from_secs_f64(x)
}

fn run(h: &HealthCheck, b: &Behaviour, until: f64) -> probe::Timeline {
    probe::timeline(h, b, &Options::until(secs(until))).unwrap()
}

/// When the first container was killed, if it was.
fn first_kill(t: &probe::Timeline) -> Option<Duration> {
    t.events.iter().find_map(|e| match e.what {
        EventKind::ContainerKilled { .. } => Some(e.at),
        _ => None,
    })
}

fn first_unready_after(t: &probe::Timeline, after: Duration) -> Option<Duration> {
    t.events.iter().find_map(|e| match e.what {
        EventKind::Ready { ready: false } if e.at >= after => Some(e.at),
        _ => None,
    })
}

/// Phases between 0 and `period` in 100 ms steps.
fn phases(period: f64) -> impl Iterator<Item = f64> {
    (0..(period * 10.0) as u32).map(|i| f64::from(i) / 10.0)
}

fn assert_supremum(name: &str, measured: &[Duration], bound: Duration) {
    let max = *measured.iter().max().unwrap();
    assert!(
        max <= bound,
        "{name}: measured {max:?} above the bound {bound:?}"
    );
    assert!(
        bound - max <= Duration::from_millis(100),
        "{name}: the bound {bound:?} is not reached (worst measured {max:?})"
    );
}

#[test]
fn hang_detection_is_the_liveness_formula() {
    for (period, timeout, failures) in [(10, 1, 3), (5, 2, 1), (2, 5, 2), (3, 3, 4)] {
        let h = hc(
            json!({"liveness": {"tcpSocket": {"port": 80}, "periodSeconds": period,
            "timeoutSeconds": timeout, "failureThreshold": failures}}),
        );
        let b = probe::bounds(&h, Duration::ZERO, Duration::ZERO).unwrap();
        let bound = b.hang_detection.unwrap();
        let p = f64::from(period);
        let (t, f) = (f64::from(timeout), f64::from(failures));
        assert_eq!(bound, secs(p + (f - 1.0) * p.max(t) + t));
        let mut measured = Vec::new();
        for phase in phases(p) {
            let hang = 100.0 + phase;
            let behaviour = Behaviour {
                phases: vec![Phase::new(secs(hang), State::Hung)],
                ..Behaviour::default()
            };
            let tl = run(&h, &behaviour, hang + 200.0);
            let kill = first_kill(&tl).unwrap();
            let took = kill - secs(hang);
            let least = secs((f - 1.0) * p.max(t) + t);
            assert!(took >= least, "detected in {took:?}, below {least:?}");
            measured.push(took);
        }
        assert_supremum("hang detection", &measured, bound);
    }
}

#[test]
fn hang_unready_is_the_readiness_formula() {
    for (period, timeout, failures) in [(10, 1, 3), (5, 2, 2)] {
        let h = hc(
            json!({"readiness": {"tcpSocket": {"port": 80}, "periodSeconds": period,
            "timeoutSeconds": timeout, "failureThreshold": failures}}),
        );
        let bound = probe::bounds(&h, Duration::ZERO, Duration::ZERO)
            .unwrap()
            .hang_unready
            .unwrap();
        let mut measured = Vec::new();
        for phase in phases(f64::from(period)) {
            let hang = 60.0 + phase;
            let behaviour = Behaviour {
                phases: vec![Phase::new(secs(hang), State::Hung)],
                ..Behaviour::default()
            };
            let tl = run(&h, &behaviour, hang + 100.0);
            measured.push(first_unready_after(&tl, secs(hang)).unwrap() - secs(hang));
        }
        assert_supremum("unready after a hang", &measured, bound);
    }
}

#[test]
fn first_ready_is_the_readiness_formula() {
    for (delay, period, success, up) in [(5, 10, 1, 0.0), (0, 10, 3, 12.0), (10, 3, 2, 4.0)] {
        let h = hc(
            json!({"readiness": {"tcpSocket": {"port": 80}, "initialDelaySeconds": delay,
            "periodSeconds": period, "successThreshold": success}}),
        );
        let latency = secs(0.2);
        let bound = probe::bounds(&h, secs(up), latency).unwrap().first_ready;
        let x = f64::from(delay).max(up);
        assert_eq!(
            bound,
            secs(x + f64::from(success * period) + 0.2),
            "max(up, D) + S·P + L"
        );
        let mut measured = Vec::new();
        for phase in phases(f64::from(period)) {
            let b = Behaviour {
                start_at: secs(phase),
                startup: secs(up),
                latency,
                ..Behaviour::default()
            };
            let tl = run(&h, &b, 100.0);
            measured.push(tl.first_ready.unwrap() - secs(phase));
        }
        assert_supremum("first ready", &measured, bound);
    }
}

#[test]
fn first_ready_with_a_startup_probe_stays_within_its_bound() {
    let h = hc(json!({
        "startup": {"tcpSocket": {"port": 80}, "periodSeconds": 5, "failureThreshold": 20},
        "readiness": {"tcpSocket": {"port": 80}, "periodSeconds": 7, "initialDelaySeconds": 3},
    }));
    for up in [0.0, 2.0, 13.5] {
        let bound = probe::bounds(&h, secs(up), Duration::ZERO)
            .unwrap()
            .first_ready;
        for phase in phases(7.0) {
            let b = Behaviour {
                start_at: secs(phase),
                startup: secs(up),
                ..Behaviour::default()
            };
            let tl = run(&h, &b, 100.0);
            let took = tl.first_ready.unwrap() - secs(phase);
            assert!(took <= bound, "up {up}: {took:?} above {bound:?}");
        }
    }
}

#[test]
fn start_budget_and_limit_decide_a_slow_start() {
    for guard in ["startup", "liveness"] {
        let h = hc(
            json!({guard: {"tcpSocket": {"port": 80}, "initialDelaySeconds": 5,
            "periodSeconds": 10, "failureThreshold": 3}}),
        );
        let b = probe::bounds(&h, Duration::ZERO, Duration::ZERO).unwrap();
        assert_eq!(b.start_budget, Some(secs(25.0)), "D + (F-1)·P");
        assert_eq!(b.start_limit, Some(secs(35.0)), "D + F·P");
        for phase in phases(10.0) {
            let killed = |up: f64| {
                let behaviour = Behaviour {
                    start_at: secs(phase),
                    startup: secs(up),
                    ..Behaviour::default()
                };
                first_kill(&run(&h, &behaviour, 200.0)).is_some()
            };
            assert!(
                !killed(25.0),
                "{guard}: up within the budget, phase {phase}"
            );
            assert!(killed(35.0), "{guard}: up at the limit, phase {phase}");
        }
        let killed_somewhere = phases(10.0).any(|phase| {
            let behaviour = Behaviour {
                start_at: secs(phase),
                startup: secs(25.5),
                ..Behaviour::default()
            };
            first_kill(&run(&h, &behaviour, 200.0)).is_some()
        });
        assert!(
            killed_somewhere,
            "{guard}: just past the budget is killed for some phase"
        );
    }
}

#[test]
fn back_off_doubles_from_ten_seconds_to_five_minutes() {
    let waits: Vec<u64> = (1..=9).map(|r| back_off(r).as_secs()).collect();
    assert_eq!(waits, [0, 10, 20, 40, 80, 160, 300, 300, 300]);
    assert_eq!(ffi::probes::back_off(Host::JS, 3), 20_000.0);
}

#[test]
fn back_off_is_forgotten_after_ten_minutes_of_running() {
    // Killed at 0 s and restarted at once; the next container lives for 700 s before a hang
    // kills it: more than 2 × 300 s since the last restart, so it restarts at once again.
    let h = hc(
        json!({"liveness": {"tcpSocket": {"port": 80}, "periodSeconds": 10,
        "failureThreshold": 1}}),
    );
    let b = Behaviour {
        phases: vec![
            Phase::new(Duration::ZERO, State::Failing),
            Phase::new(secs(0.5), State::Healthy),
            Phase::new(secs(700.0), State::Hung),
        ],
        ..Behaviour::default()
    };
    let t = run(&h, &b, 800.0);
    assert_eq!(t.restarts, 2);
    assert!(t
        .events
        .iter()
        .all(|e| !matches!(e.what, EventKind::BackOff { .. })));
}

#[test]
fn refusals_name_the_field() {
    let h = json!({"liveness": {"tcpSocket": {"port": 80}, "periodSeconds": 0}});
    let e = ffi::probes::timeline(Host::JS, &h, None, Some(&json!({"until": 1000}))).unwrap_err();
    assert_eq!(e.code, "invalid_input");
    assert_eq!(e.violations[0].path, "healthCheck.liveness.periodSeconds");
    let h = json!({"startup": {"tcpSocket": {"port": 80}, "successThreshold": 2}});
    let e = ffi::probes::timeline(Host::RUST, &h, None, Some(&json!({"until": 10}))).unwrap_err();
    assert_eq!(
        e.violations[0].path,
        "health_check.startup.successThreshold"
    );
    let ok = json!({"readiness": {"tcpSocket": {"port": 80}}});
    for (behaviour, options, path) in [
        (json!({}), json!({}), "options.until"),
        (json!({}), json!({"until": 90000}), "options.until"),
        (
            json!({"phases": [{"at": 5, "state": "asleep"}]}),
            json!({"until": 9}),
            "behaviour.phases[0].state",
        ),
        (
            json!({"phases": [{"at": 5, "state": "slow"}]}),
            json!({"until": 9}),
            "behaviour.phases[0].latency",
        ),
        (
            json!({"phases": [{"at": 5, "state": "hung"}, {"at": 1, "state": "healthy"}]}),
            json!({"until": 9}),
            "behaviour.phases[1].at",
        ),
        (
            json!({"phases": [{"at": -1, "state": "hung"}]}),
            json!({"until": 9}),
            "behaviour.phases[0].at",
        ),
        (
            json!({"startup_time": 3}),
            json!({"until": 9}),
            "behaviour.startup_time",
        ),
    ] {
        let e =
            ffi::probes::timeline(Host::RUST, &ok, Some(&behaviour), Some(&options)).unwrap_err();
        let at = e
            .violations
            .first()
            .map(|v| v.path.clone())
            .or(e.path.clone())
            .unwrap();
        assert_eq!(at, path, "{behaviour} {options}: {e:?}");
    }
    let err = probe::timeline(
        &hc(json!({"readiness": {"tcpSocket": {"port": 80}}})),
        &Behaviour::default(),
        &Options::until(secs(100_000.0)),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Whatever the container does: a published result follows the threshold of identical
    /// outcomes in a row, each restart follows a kill, the waits follow the back-off, and the
    /// pod is never Ready while its container is not started or not running.
    #[test]
    fn timelines_keep_the_kubelet_invariants(
        period in 1i32..6, timeout in 1i32..4, failures in 1i32..4, successes in 1i32..3,
        up in 0u64..20_000, phases in proptest::collection::vec((0u64..120_000, 0u8..4, any::<bool>()), 0..5),
    ) {
        let h = hc(json!({
            "startup": {"tcpSocket": {"port": 80}, "periodSeconds": period, "failureThreshold": 10},
            "liveness": {"tcpSocket": {"port": 80}, "periodSeconds": period,
                "timeoutSeconds": timeout, "failureThreshold": failures},
            "readiness": {"tcpSocket": {"port": 80}, "periodSeconds": period + 1,
                "timeoutSeconds": timeout, "failureThreshold": failures,
                "successThreshold": successes},
        }));
        let mut ph: Vec<Phase> = phases.iter().map(|&(at, s, cleared)| Phase {
            at: Duration::from_millis(at),
            state: match s { 0 => State::Healthy, 1 => State::Failing, 2 => State::Hung,
                _ => State::Slow(Duration::from_millis(1500)) },
            cleared_by_restart: cleared,
        }).collect();
        ph.sort_by_key(|p| p.at);
        let b = Behaviour { startup: Duration::from_millis(up), phases: ph, ..Behaviour::default() };
        let t = run(&h, &b, 400.0);
        let kills = t.events.iter().filter(|e| matches!(e.what, EventKind::ContainerKilled { .. })).count();
        prop_assert!(t.restarts as usize <= kills);
        let mut n = 0;
        for e in &t.events {
            if let EventKind::BackOff { wait, .. } = e.what {
                n += 1;
                prop_assert_eq!(wait, back_off(n + 1), "back-off {}", n);
            }
            if let EventKind::ContainerStarted { container } = e.what {
                if container > 0 && n + 1 < container { n = container - 1; }
            }
            if let EventKind::Result { probe, container, result } = e.what {
                // The last `threshold` probes of that kind ended in `result`, the last of them
                // for that container (the run of identical results carries over to a new
                // container: the worker resets it only when it puts itself on hold).
                let threshold = match (probe, result) {
                    (ProbeKind::Readiness, ProbeResult::Success) => successes as usize,
                    (_, ProbeResult::Success) => 1,
                    _ => failures as usize,
                };
                let threshold = if probe == ProbeKind::Startup && result == ProbeResult::Failure { 10 } else { threshold };
                let runs: Vec<_> = t.probes.iter()
                    .filter(|p| p.probe == probe && p.end <= e.at)
                    .collect();
                prop_assert!(runs.len() >= threshold);
                let last = &runs[runs.len() - threshold..];
                prop_assert_eq!(last[threshold - 1].container, container);
                prop_assert!(last.iter().all(|p| p.outcome.result() == result),
                    "{:?} at {:?} without {} identical outcomes", e.what, e.at, threshold);
            }
        }
        // Liveness and readiness never probe a container before its startup probe succeeded.
        for p in t.probes.iter().filter(|p| p.probe != ProbeKind::Startup) {
            let started = t.events.iter().any(|e| e.at <= p.start && matches!(e.what,
                EventKind::Result { probe: ProbeKind::Startup, container, result: ProbeResult::Success } if container == p.container));
            prop_assert!(started, "{:?} before the container started", p);
        }
    }
}
