//! Outlier detection, retry conditions, bulkheads, the composed policy, breaker snapshots and
//! the keyed registry: vectors from `testdata/resilience` plus behaviour tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use cnarch_core::resilience::breaker::{
    BreakerConfig, BreakerRegistry, BreakerSnapshot, CircuitBreaker, Outcome, State, WindowType,
};
use cnarch_core::resilience::bulkhead::{Admission, Bulkhead, BulkheadError, Ticket};
use cnarch_core::resilience::outlier::{
    success_rate_threshold, HostResult, OutlierAction, OutlierConfig, OutlierDetector,
};
use cnarch_core::resilience::policy::{GiveUp, Policy, Refusal, Step, Timeouts, Verdict};
use cnarch_core::resilience::ratelimit::TokenBucket;
use cnarch_core::resilience::retry::{Backoff, Jitter, RetryPolicy};
use cnarch_core::resilience::retry_on::{grpc_code, CallOutcome, RetryOn};
use cnarch_core::time::Instant;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn vectors(name: &str) -> Value {
    common::testdata(&format!("resilience/{name}"))
}

/// `x_ms: n` keys become `x: Duration` in serde's shape.
fn ms_keys(v: &Value) -> Value {
    let mut out = Map::new();
    for (k, v) in v.as_object().unwrap() {
        match k.strip_suffix("_ms") {
            Some(base) => {
                let ms = v.as_u64().unwrap();
                out.insert(
                    base.into(),
                    json!({"secs": ms / 1000, "nanos": (ms % 1000) * 1_000_000}),
                );
            }
            None => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

fn host_result(v: &Value) -> HostResult {
    match v {
        Value::Number(n) => HostResult::Status(n.as_u64().unwrap() as u16),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("unknown result {other}"),
    }
}

#[test]
fn outlier_scenarios() {
    for s in vectors("outlier.json")["scenarios"].as_array().unwrap() {
        let name = s["name"].as_str().unwrap();
        let config = if let Some(i) = s.get("istio") {
            OutlierConfig::istio(
                i["consecutive_5xx_errors"].as_u64().unwrap() as u32,
                Duration::from_millis(i["interval_ms"].as_u64().unwrap()),
                Duration::from_millis(i["base_ejection_time_ms"].as_u64().unwrap()),
            )
        } else {
            serde_json::from_value(ms_keys(&s["config"])).unwrap()
        };
        let mut d = OutlierDetector::new(config, Instant::ZERO, 0).unwrap();
        for i in 0..s["hosts"].as_u64().unwrap() {
            d.add_host(format!("h{i}"));
        }
        let mut events = Vec::new();
        for step in s["steps"].as_array().unwrap() {
            let now = Instant::from_millis(step["at"].as_u64().unwrap());
            if let Some(results) = step["results"].as_array() {
                let host = step["host"].as_str().unwrap().to_string();
                for _ in 0..step["times"].as_u64().unwrap_or(1) {
                    for r in results {
                        d.record(now, &host, host_result(r));
                    }
                }
            }
            if step["advance"].as_bool() == Some(true) {
                d.advance(now);
            }
            if let Some(want) = step["ejected"].as_array() {
                let got: Vec<&str> = d.ejected().into_iter().map(String::as_str).collect();
                let want: Vec<&str> = want.iter().map(|v| v.as_str().unwrap()).collect();
                assert_eq!(got, want, "{name}: at {now:?}");
            }
            for e in d.take_events() {
                let mut j = json!({"at": e.at.as_nanos() / 1_000_000, "host": e.host, "action": e.action.as_str()});
                if let Some(k) = e.action.kind() {
                    j["kind"] = json!(k.as_str());
                }
                if let OutlierAction::Eject { duration, .. } = e.action {
                    j["duration_ms"] = json!(duration.as_millis() as u64);
                }
                events.push(j);
            }
        }
        assert_eq!(Value::Array(events), s["events"], "{name}");
    }
}

#[test]
fn success_rate_threshold_matches_envoys_worked_example() {
    let (mean, threshold) = success_rate_threshold(&[50.0, 100.0, 100.0, 100.0, 100.0], 1.9);
    assert_eq!(mean, 90.0);
    assert!((threshold - 52.0).abs() < 1e-9, "{threshold}");
}

#[test]
fn outlier_config_errors_and_istio_translation() {
    let bad = OutlierConfig {
        base_ejection_time: Duration::from_secs(60),
        max_ejection_time: Some(Duration::from_secs(30)),
        ..OutlierConfig::default()
    };
    let e = OutlierDetector::<String>::new(bad, Instant::ZERO, 0).unwrap_err();
    assert_eq!(e.code(), "invalid_outlier_config");
    assert!(e.to_string().contains("base_ejection_time"), "{e}");
    let e = OutlierDetector::<String>::new(
        OutlierConfig {
            max_ejection_percent: 101,
            ..OutlierConfig::default()
        },
        Instant::ZERO,
        0,
    )
    .unwrap_err();
    assert!(e.to_string().contains("max_ejection_percent"), "{e}");
    // The model's CircuitBreaker is Istio's outlier detection.
    let docs = cnarch_core::document::load_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/architecture.yaml"),
        )
        .unwrap(),
    )
    .unwrap();
    let traffic = docs
        .iter()
        .find_map(|d| match d {
            cnarch_core::document::Document::ServiceMesh(m) => m.traffic.clone(),
            _ => None,
        })
        .unwrap();
    let c = OutlierConfig::from(traffic.circuit_breaker.as_ref().unwrap());
    assert_eq!(c.consecutive_5xx, 5);
    assert_eq!(c.interval, Duration::from_secs(10));
    assert_eq!(c.base_ejection_time, Duration::from_secs(30));
    assert_eq!(c.enforcing_success_rate, 0);
    assert_eq!(c.max_ejection(), Duration::from_secs(300));
}

#[test]
fn partial_enforcement_is_seeded_and_roughly_proportional() {
    let config = OutlierConfig {
        enforcing_consecutive_5xx: 30,
        max_ejection_percent: 100,
        ..OutlierConfig::default()
    };
    let run = |seed| {
        let mut d = OutlierDetector::new(config.clone(), Instant::ZERO, seed).unwrap();
        let mut enforced = 0;
        for h in 0..1000 {
            for _ in 0..5 {
                d.record(Instant::ZERO, &h, HostResult::Status(500));
            }
            enforced += usize::from(d.is_ejected(&h));
        }
        enforced
    };
    assert_eq!(run(9), run(9));
    let n = run(9);
    assert!((220..380).contains(&n), "{n} of 1000 enforced at 30 %");
}

#[test]
fn jitter_stays_within_its_bound() {
    let config = OutlierConfig {
        max_ejection_time_jitter: Duration::from_millis(500),
        ..OutlierConfig::default()
    };
    let mut d = OutlierDetector::new(config, Instant::ZERO, 3).unwrap();
    d.add_host("a");
    for _ in 0..5 {
        d.record(Instant::ZERO, &"a", HostResult::Status(500));
    }
    let ev = d.take_events();
    let OutlierAction::Eject { duration, .. } = ev[0].action else {
        panic!("{ev:?}")
    };
    assert!(duration >= Duration::from_secs(30) && duration <= Duration::from_millis(30_500));
}

#[test]
fn removing_hosts_keeps_the_ejected_count() {
    let mut d = OutlierDetector::new(OutlierConfig::default(), Instant::ZERO, 0).unwrap();
    for h in 0..10 {
        d.add_host(h);
    }
    for _ in 0..5 {
        d.record(Instant::ZERO, &0, HostResult::Status(500));
    }
    assert!(d.remove_host(&0));
    assert!(!d.remove_host(&0));
    for _ in 0..5 {
        d.record(Instant::ZERO, &1, HostResult::Status(500));
    }
    assert_eq!(d.ejected(), vec![&1]);
    assert_eq!(d.hosts().count(), 9);
}

proptest! {
    #[test]
    fn never_more_ejected_than_the_cap_allows(
        hosts in 1usize..30, percent in 0u32..=100, one in any::<bool>(),
        calls in prop::collection::vec((0usize..30, any::<bool>(), 0u64..5000), 1..400)
    ) {
        let config = OutlierConfig { max_ejection_percent: percent, always_eject_one_host: one, consecutive_5xx: 2, ..OutlierConfig::default() };
        let mut d = OutlierDetector::new(config, Instant::ZERO, 1).unwrap();
        for h in 0..hosts { d.add_host(h); }
        let mut t = 0;
        for (h, fail, dt) in calls {
            t += dt;
            d.record(Instant::from_millis(t), &(h % hosts), HostResult::Status(if fail { 503 } else { 200 }));
            let ejected = d.ejected().len();
            let cap = (percent as usize * hosts) / 100;
            prop_assert!(ejected <= cap.max(usize::from(one)), "{ejected} ejected of {hosts} at {percent}%");
        }
    }
}

proptest! {
    // Skipping quiet sweeps is exact: one `advance` over a long gap makes the same decisions,
    // at the same instants, as advancing sweep by sweep.
    #[test]
    fn a_long_gap_is_the_same_as_every_sweep(
        hosts in 2usize..8, jitter_ms in 0u64..3000,
        bursts in prop::collection::vec(
            (prop::collection::vec((0usize..8, 0u8..4), 1..60), 0u64..2_000_000), 1..6)
    ) {
        let config = OutlierConfig {
            consecutive_5xx: 3,
            success_rate_minimum_hosts: 2,
            success_rate_request_volume: 3,
            enforcing_failure_percentage: 100,
            failure_percentage_minimum_hosts: 2,
            failure_percentage_request_volume: 3,
            max_ejection_time_jitter: Duration::from_millis(jitter_ms),
            ..OutlierConfig::default()
        };
        let mut step = OutlierDetector::new(config.clone(), Instant::ZERO, 9).unwrap();
        let mut jump = OutlierDetector::new(config, Instant::ZERO, 9).unwrap();
        let mut t = 0u64;
        for (calls, gap_ms) in bursts {
            for (i, (h, kind)) in calls.into_iter().enumerate() {
                let now = Instant::from_millis(t + i as u64 * 100);
                let r = match kind { 0 => HostResult::Status(200), 1 => HostResult::Status(503), 2 => HostResult::Timeout, _ => HostResult::Status(502) };
                step.record(now, &(h % hosts), r);
                jump.record(now, &(h % hosts), r);
            }
            t += 6_000 + gap_ms;
            let end = Instant::from_millis(t);
            while step.next_sweep() <= end {
                let at = step.next_sweep();
                step.advance(at);
            }
            jump.advance(end);
            prop_assert_eq!(step.next_sweep(), jump.next_sweep());
            prop_assert_eq!(step.take_events(), jump.take_events());
        }
    }
}

#[test]
fn a_detector_catches_up_years_at_once() {
    let mut d = OutlierDetector::new(OutlierConfig::default(), Instant::ZERO, 0).unwrap();
    d.add_host("a");
    d.add_host("b");
    for _ in 0..5 {
        d.record(Instant::ZERO, &"a", HostResult::Status(500));
    }
    // Unix time in seconds after a start at zero: 5.5 billion sweeps of 10 s, skipped.
    let later = Instant::from_nanos(1_750_000_000 * 1_000_000_000);
    d.advance(later);
    let ev = d.take_events();
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!((ev[1].host, ev[1].action), ("a", OutlierAction::Uneject));
    assert_eq!(
        ev[1].at,
        Instant::from_nanos(30_000_000_000),
        "unejected at the sweep after 30 s"
    );
    assert!(
        d.next_sweep() > later && d.next_sweep().as_nanos() - later.as_nanos() <= 10_000_000_000
    );
}

// ---- retry conditions -------------------------------------------------------------------

fn call_outcome(v: &Value) -> CallOutcome {
    match v {
        Value::Number(n) => CallOutcome::Http(n.as_u64().unwrap() as u16),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("{other}"),
    }
}

#[test]
fn retry_on_vectors() {
    let v = vectors("retry_on.json");
    for c in v["cases"].as_array().unwrap() {
        let on = if c["istio_default"].as_bool() == Some(true) {
            RetryOn::istio_default()
        } else if let Some(codes) = c["grpc_codes"].as_array() {
            let names: Vec<&str> = codes.iter().map(|x| x.as_str().unwrap()).collect();
            RetryOn::grpc(&names).unwrap()
        } else {
            let codes: Vec<u16> = c["status_codes"]
                .as_array()
                .map(|a| a.iter().map(|x| x.as_u64().unwrap() as u16).collect())
                .unwrap_or_default();
            RetryOn::parse(c["retry_on"].as_str().unwrap())
                .unwrap()
                .with_status_codes(&codes)
        };
        assert_eq!(
            on.should_retry(call_outcome(&c["outcome"])),
            c["retry"].as_bool().unwrap(),
            "{c}"
        );
    }
    for bad in v["invalid"].as_array().unwrap() {
        let e = RetryOn::parse(bad.as_str().unwrap()).unwrap_err();
        assert_eq!(e.code(), "invalid_retry_on");
        assert!(e.to_string().contains(bad.as_str().unwrap()), "{e}");
    }
    assert!(RetryOn::grpc(&["NOPE"]).is_err());
    assert_eq!(grpc_code("deadline-exceeded"), Some(4));
    assert!("grpc:NOPE".parse::<CallOutcome>().is_err());
    assert!("700".parse::<CallOutcome>().is_err());
    assert_eq!(
        "connect_failure".parse::<CallOutcome>(),
        Ok(CallOutcome::ConnectFailure)
    );
    assert!("99".parse::<HostResult>().is_err());
    assert_eq!("timeout".parse::<HostResult>(), Ok(HostResult::Timeout));
    assert_eq!(grpc_code("unauthenticated"), Some(16));
}

// ---- bulkhead ---------------------------------------------------------------------------

#[test]
fn bulkhead_scenarios() {
    for s in vectors("bulkhead.json")["scenarios"].as_array().unwrap() {
        let c = &s["config"];
        let b = Bulkhead::new(
            c["max_concurrent"].as_u64().unwrap() as u32,
            c["max_queued"].as_u64().unwrap() as u32,
            c["max_wait_ms"].as_u64().map(Duration::from_millis),
        )
        .unwrap();
        for step in s["steps"].as_array().unwrap() {
            let now = Instant::from_millis(step["at"].as_u64().unwrap());
            let what = format!("{}: {step}", s["name"]);
            if let Some(want) = step["enter"].as_str() {
                let got = b.try_enter(now);
                assert_eq!(got.as_str(), want, "{what}");
                if let (Admission::Queued(t), Some(n)) = (got, step["ticket"].as_u64()) {
                    assert_eq!(t, Ticket(n), "{what}");
                }
            }
            if let Some(want) = step.get("release") {
                assert_eq!(
                    b.release(now).unwrap().map(|t| t.0),
                    want.as_u64(),
                    "{what}"
                );
            }
            if let Some(want) = step["expire"].as_array() {
                let got: Vec<u64> = b.expire(now).into_iter().map(|t| t.0).collect();
                let want: Vec<u64> = want.iter().map(|x| x.as_u64().unwrap()).collect();
                assert_eq!(got, want, "{what}");
            }
            if let Some(n) = step["active"].as_u64() {
                assert_eq!(u64::from(b.active()), n, "{what}");
                assert_eq!(
                    u64::from(b.queued()),
                    step["queued"].as_u64().unwrap(),
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn bulkhead_misuse_is_an_error() {
    assert_eq!(
        Bulkhead::new(0, 1, None).unwrap_err(),
        BulkheadError::Invalid
    );
    let b = Bulkhead::new(1, 1, None).unwrap();
    assert_eq!(
        b.release(Instant::ZERO).unwrap_err().code(),
        "bulkhead_not_held"
    );
    let Admission::Admitted = b.try_enter(Instant::ZERO) else {
        panic!()
    };
    let Admission::Queued(t) = b.try_enter(Instant::ZERO) else {
        panic!()
    };
    assert!(b.cancel(t));
    assert!(!b.cancel(t));
    assert_eq!(b.release(Instant::ZERO).unwrap(), None);
}

#[test]
fn bulkhead_holds_under_threads() {
    let b = Arc::new(Bulkhead::new(4, 0, None).unwrap());
    let peak = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let b = Arc::clone(&b);
            let peak = Arc::clone(&peak);
            std::thread::spawn(move || {
                let mut admitted = 0;
                for _ in 0..2000 {
                    if let Admission::Admitted = b.try_enter(Instant::ZERO) {
                        admitted += 1;
                        peak.fetch_max(b.active(), std::sync::atomic::Ordering::Relaxed);
                        b.release(Instant::ZERO).unwrap();
                    }
                }
                admitted
            })
        })
        .collect();
    let admitted: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert!(peak.load(std::sync::atomic::Ordering::Relaxed) <= 4);
    assert_eq!(admitted + b.rejected(), 16_000);
    assert_eq!(b.active(), 0);
}

// ---- composed policy ---------------------------------------------------------------------

/// Drives an execution against a scripted dependency; returns the verdict, the attempt start
/// times and the attempt timeouts.
fn drive(
    policy: &Policy,
    seed: u64,
    start: Instant,
    script: &mut dyn FnMut(u32) -> (CallOutcome, Duration),
) -> (Verdict, Vec<Instant>, Vec<Option<Duration>>) {
    let mut ex = policy.start(start, seed);
    let mut now = start;
    let (mut starts, mut timeouts) = (Vec::new(), Vec::new());
    let mut step = ex.next(now);
    loop {
        step = match step {
            Step::Call { attempt, timeout } => {
                starts.push(now);
                timeouts.push(timeout);
                let (outcome, took) = script(attempt);
                now = now.saturating_add(took);
                ex.record(now, outcome, took).unwrap()
            }
            Step::Wait(d) => {
                now = now.saturating_add(d);
                ex.next(now)
            }
            Step::Done(v) => return (v, starts, timeouts),
        };
    }
}

fn exp_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy::new(
        attempts,
        Backoff::Exponential { multiplier: 2.0 },
        Jitter::None,
        Duration::from_millis(100),
        Duration::from_secs(1),
    )
    .unwrap()
}

#[test]
fn policy_retries_with_the_policy_delays_then_gives_up() {
    let p = Policy::new().with_retry(exp_retry(4), RetryOn::parse("5xx").unwrap());
    let (v, starts, _) = drive(&p, 0, Instant::ZERO, &mut |_| {
        (CallOutcome::Http(503), Duration::from_millis(10))
    });
    assert_eq!(
        v,
        Verdict::Failed {
            attempts: 4,
            last: Some(CallOutcome::Http(503)),
            reason: GiveUp::AttemptsExhausted
        }
    );
    let ms: Vec<u64> = starts.iter().map(|t| t.as_nanos() / 1_000_000).collect();
    assert_eq!(ms, vec![0, 110, 320, 730]); // 10 ms calls, waits 100, 200, 400
    let (v, _, _) = drive(&p, 0, Instant::ZERO, &mut |_| {
        (CallOutcome::Http(404), Duration::ZERO)
    });
    assert_eq!(v, Verdict::Succeeded { attempts: 1 });
    let (v, _, _) = drive(&p, 0, Instant::ZERO, &mut |_| {
        (CallOutcome::Grpc(14), Duration::ZERO)
    });
    assert!(
        matches!(
            v,
            Verdict::Failed {
                attempts: 1,
                reason: GiveUp::NotRetryable,
                ..
            }
        ),
        "{v:?}"
    );
}

#[test]
fn policy_deadline_cuts_attempts_and_waits() {
    let p = Policy::new()
        .with_timeouts(Timeouts {
            per_try: Some(Duration::from_millis(300)),
            overall: Some(Duration::from_millis(500)),
        })
        .with_retry(exp_retry(5), RetryOn::parse("5xx").unwrap());
    let (v, starts, timeouts) = drive(&p, 0, Instant::ZERO, &mut |_| {
        (CallOutcome::PerTryTimeout, Duration::from_millis(300))
    });
    // attempt 1: 0..300, wait 100 → attempt 2 at 400 with 100 ms left; then the next wait passes the deadline.
    assert_eq!(starts, vec![Instant::ZERO, Instant::from_millis(400)]);
    assert_eq!(
        timeouts,
        vec![
            Some(Duration::from_millis(300)),
            Some(Duration::from_millis(100))
        ]
    );
    assert!(
        matches!(
            v,
            Verdict::Failed {
                attempts: 2,
                reason: GiveUp::DeadlineExceeded,
                ..
            }
        ),
        "{v:?}"
    );
}

#[test]
fn policy_pushback_replaces_or_stops_the_wait() {
    let p = Policy::new().with_retry(exp_retry(3), RetryOn::parse("5xx").unwrap());
    let mut ex = p.start(Instant::ZERO, 0);
    assert!(matches!(
        ex.next(Instant::ZERO),
        Step::Call { attempt: 1, .. }
    ));
    let s = ex
        .record_with_pushback(
            Instant::ZERO,
            CallOutcome::Http(503),
            Duration::ZERO,
            Some(Ok(Duration::from_secs(2))),
        )
        .unwrap();
    assert_eq!(s, Step::Wait(Duration::from_secs(2)));
    assert_eq!(
        ex.next(Instant::from_millis(500)),
        Step::Wait(Duration::from_millis(1500))
    );
    assert!(matches!(
        ex.next(Instant::from_millis(2000)),
        Step::Call { attempt: 2, .. }
    ));
    let s = ex
        .record_with_pushback(
            Instant::from_millis(2000),
            CallOutcome::Http(503),
            Duration::ZERO,
            Some(Err(())),
        )
        .unwrap();
    assert!(
        matches!(
            s,
            Step::Done(Verdict::Failed {
                reason: GiveUp::Pushback,
                ..
            })
        ),
        "{s:?}"
    );
    assert!(ex
        .record(
            Instant::from_millis(2000),
            CallOutcome::Http(200),
            Duration::ZERO
        )
        .is_err());
}

#[test]
fn policy_breaker_opens_and_then_rejects_executions() {
    let breaker = CircuitBreaker::new(BreakerConfig {
        sliding_window_size: 4,
        minimum_number_of_calls: 4,
        ..Default::default()
    })
    .unwrap();
    let p = Policy::new()
        .with_retry(exp_retry(2), RetryOn::parse("5xx").unwrap())
        .with_breaker(breaker);
    let mut t = Instant::ZERO;
    for _ in 0..2 {
        let (v, _, _) = drive(&p, 0, t, &mut |_| (CallOutcome::Http(500), Duration::ZERO));
        assert!(matches!(v, Verdict::Failed { attempts: 2, .. }), "{v:?}");
        t = t.saturating_add(Duration::from_secs(1));
    }
    assert_eq!(p.breaker().unwrap().state(t), State::Open);
    let (v, starts, _) = drive(&p, 0, t, &mut |_| unreachable!());
    assert!(starts.is_empty());
    assert!(
        matches!(
            v,
            Verdict::Rejected {
                attempts: 0,
                by: Refusal::CircuitOpen {
                    state: State::Open,
                    retry_after: Some(_)
                }
            }
        ),
        "{v:?}"
    );
}

#[test]
fn policy_rate_limit_and_bulkhead_refuse_before_calling() {
    let p = Policy::new().with_rate_limit(TokenBucket::new(1.0, 1).unwrap());
    let (v, _, _) = drive(&p, 0, Instant::ZERO, &mut |_| {
        (CallOutcome::Http(200), Duration::ZERO)
    });
    assert_eq!(v, Verdict::Succeeded { attempts: 1 });
    let (v, _, _) = drive(&p, 0, Instant::from_millis(250), &mut |_| unreachable!());
    assert_eq!(
        v,
        Verdict::Rejected {
            attempts: 0,
            by: Refusal::RateLimited {
                retry_after: Duration::from_millis(750)
            }
        }
    );

    let p = Policy::new().with_bulkhead(Bulkhead::new(1, 3, None).unwrap());
    let mut first = p.start(Instant::ZERO, 0);
    assert!(matches!(first.next(Instant::ZERO), Step::Call { .. }));
    let mut second = p.start(Instant::ZERO, 0);
    assert_eq!(
        second.next(Instant::ZERO),
        Step::Done(Verdict::Rejected {
            attempts: 0,
            by: Refusal::BulkheadFull
        })
    );
    first
        .record(Instant::ZERO, CallOutcome::Http(200), Duration::ZERO)
        .unwrap();
    let mut third = p.start(Instant::ZERO, 0);
    assert!(matches!(third.next(Instant::ZERO), Step::Call { .. }));
}

#[test]
fn policy_from_the_example_traffic_block() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/architecture.yaml"),
    )
    .unwrap();
    let docs = cnarch_core::document::load_str(&text).unwrap();
    let traffic = docs
        .iter()
        .find_map(|d| match d {
            cnarch_core::document::Document::ServiceMesh(m) => m.traffic.clone(),
            _ => None,
        })
        .unwrap();
    let p = Policy::from_traffic(&traffic);
    assert_eq!(
        p.timeouts(),
        Timeouts {
            per_try: Some(Duration::from_secs(2)),
            overall: Some(Duration::from_secs(10))
        }
    );
    // attempts: 3 retries after the first try; 503 is retried (Istio default), 500 is not.
    let (v, starts, _) = drive(&p, 1, Instant::ZERO, &mut |_| {
        (CallOutcome::Http(503), Duration::from_millis(20))
    });
    assert_eq!(starts.len(), 4);
    assert!(matches!(
        v,
        Verdict::Failed {
            attempts: 4,
            reason: GiveUp::AttemptsExhausted,
            ..
        }
    ));
    let (v, _, _) = drive(&p, 1, Instant::ZERO, &mut |_| {
        (CallOutcome::Http(500), Duration::from_millis(20))
    });
    assert!(matches!(
        v,
        Verdict::Failed {
            attempts: 1,
            reason: GiveUp::NotRetryable,
            ..
        }
    ));
}

// ---- snapshots and registry ---------------------------------------------------------------

#[test]
fn snapshot_round_trips_through_json_and_keeps_behaviour() {
    for kind in [WindowType::CountBased, WindowType::TimeBased] {
        let config = BreakerConfig {
            sliding_window_type: kind,
            sliding_window_size: 5,
            minimum_number_of_calls: 5,
            ..Default::default()
        };
        let a = CircuitBreaker::new(config.clone()).unwrap();
        let t = Instant::from_millis(1500);
        for ok in [true, false, true, false] {
            let p = a.try_acquire(t).unwrap();
            a.record(
                t,
                p,
                if ok {
                    Outcome::success(Duration::ZERO)
                } else {
                    Outcome::failure(Duration::ZERO)
                },
            );
        }
        let snap = a.snapshot();
        let text = serde_json::to_string(&snap).unwrap();
        let back: BreakerSnapshot = serde_json::from_str(&text).unwrap();
        let b = CircuitBreaker::restore(config, &back).unwrap();
        assert_eq!(b.snapshot(), snap);
        assert_eq!(b.metrics(t), a.metrics(t));
        // One more failure opens both (3 of 5).
        for cb in [&a, &b] {
            let p = cb.try_acquire(t).unwrap();
            cb.record(t, p, Outcome::failure(Duration::ZERO));
            assert_eq!(cb.state(t), State::Open, "{kind:?}");
        }
    }
}

#[test]
fn snapshots_that_do_not_fit_are_refused() {
    let config = BreakerConfig {
        sliding_window_size: 2,
        minimum_number_of_calls: 2,
        ..Default::default()
    };
    let a = CircuitBreaker::new(config.clone()).unwrap();
    let mut snap = a.snapshot();
    snap.window =
        vec![serde_json::from_value(json!({"calls": 1, "failed": 0, "slow": 0})).unwrap(); 3];
    let e = CircuitBreaker::restore(config.clone(), &snap).unwrap_err();
    assert_eq!(e.code(), "invalid_breaker_snapshot");
    assert!(e.to_string().contains("sliding_window_size"), "{e}");
    snap.window =
        vec![
            serde_json::from_value(json!({"second": 3, "calls": 1, "failed": 0, "slow": 0}))
                .unwrap(),
        ];
    assert!(CircuitBreaker::restore(config, &snap)
        .unwrap_err()
        .to_string()
        .contains("window[0]"));
    assert!(serde_json::from_value::<BreakerSnapshot>(json!({"state": "ajar"})).is_err());
}

#[test]
fn registry_keeps_one_breaker_per_key() {
    let reg = BreakerRegistry::new(BreakerConfig {
        consecutive_failures: Some(2),
        ..Default::default()
    })
    .unwrap();
    let t = Instant::ZERO;
    for _ in 0..2 {
        let b = reg.get(&"payments");
        let p = b.try_acquire(t).unwrap();
        b.record(t, p, Outcome::failure(Duration::ZERO));
    }
    assert_eq!(reg.get(&"payments").state(t), State::Open);
    assert_eq!(reg.get(&"users").state(t), State::Closed);
    let mut keys = reg.keys();
    keys.sort();
    assert_eq!(keys, vec!["payments", "users"]);
    assert_eq!(reg.snapshot().len(), 2);
    assert!(BreakerRegistry::<String>::new(BreakerConfig {
        failure_rate_threshold: 0.0,
        ..Default::default()
    })
    .is_err());
}
