//! Retry delays, retry budgets and rate limiters: the vectors in `testdata/resilience/` and
//! property tests for the formulas' bounds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use cnarch_core::resilience::budget::{RetryBudget, RetryQuota, RetryThrottle};
use cnarch_core::resilience::ratelimit::{Gcra, Keyed, RateDecision, TokenBucket};
use cnarch_core::resilience::retry::{Backoff, Jitter, RetryPolicy};
use cnarch_core::time::Instant;
use proptest::prelude::*;
use serde_json::Value;

fn vectors(name: &str) -> Value {
    common::testdata(&format!("resilience/{name}"))
}

#[test]
fn rate_limit_scenarios() {
    for s in vectors("ratelimit.json")["scenarios"].as_array().unwrap() {
        let rate = s["rate"].as_f64().unwrap();
        let burst = s["burst"].as_u64().unwrap();
        let mut bucket = TokenBucket::new(rate, burst).unwrap();
        let mut gcra = Gcra::new(rate, burst).unwrap();
        for step in s["steps"].as_array().unwrap() {
            let now = Instant::from_millis(step["at"].as_u64().unwrap());
            let n = step["n"].as_u64().unwrap();
            let got = if s["kind"] == "gcra" {
                gcra.check(now, n)
            } else {
                bucket.check(now, n)
            };
            let what = format!("{}: {step}", s["name"]);
            match step["error"].as_str() {
                Some(code) => assert_eq!(got.unwrap_err().code(), code, "{what}"),
                None => {
                    let d = got.unwrap();
                    assert_eq!(
                        d.allowed(),
                        step["allowed"].as_bool().unwrap(),
                        "{what}: {d:?}"
                    );
                    if let (RateDecision::Denied { retry_after }, Some(ms)) =
                        (d, step["retry_after_ms"].as_u64())
                    {
                        assert_eq!(retry_after, Duration::from_millis(ms), "{what}");
                    }
                }
            }
        }
    }
}

fn times(step: &Value) -> u64 {
    step["times"].as_u64().unwrap_or(1)
}

#[test]
fn budget_vectors() {
    let v = vectors("budgets.json");
    let g = &v["grpc_throttle"];
    let mut t = RetryThrottle::new(
        g["max_tokens"].as_u64().unwrap() as u32,
        g["token_ratio"].as_f64().unwrap(),
    )
    .unwrap();
    for step in g["steps"].as_array().unwrap() {
        for _ in 0..times(step) {
            match step["event"].as_str().unwrap() {
                "failure" => t.on_failure(),
                "success" => t.on_success(),
                _ => {}
            }
        }
        if let Some(a) = step["allows"].as_bool() {
            assert_eq!(t.allows_retry(), a, "{step}");
        }
        if let Some(tokens) = step["tokens"].as_f64() {
            assert!((t.tokens() - tokens).abs() < 1e-9, "{step}: {}", t.tokens());
        }
    }
    for c in v["envoy_budget"].as_array().unwrap() {
        let b = RetryBudget {
            budget_percent: c["budget_percent"].as_f64().unwrap(),
            min_retry_concurrency: c["min_retry_concurrency"].as_u64().unwrap() as u32,
        };
        assert_eq!(
            u64::from(b.max_active_retries(c["active_requests"].as_u64().unwrap() as u32)),
            c["max_active_retries"].as_u64().unwrap(),
            "{c}"
        );
    }
    let mut q = RetryQuota::aws_standard();
    for step in v["aws_quota"]["steps"].as_array().unwrap() {
        for _ in 0..times(step) {
            let granted = match step["event"].as_str().unwrap() {
                "retry" => q.acquire(false).is_some(),
                "timeout_retry" => q.acquire(true).is_some(),
                "success_after_retry" => {
                    q.on_success(Some(step["cost"].as_u64().unwrap() as u32));
                    true
                }
                _ => {
                    q.on_success(None);
                    true
                }
            };
            if let Some(g) = step["granted"].as_bool() {
                assert_eq!(granted, g, "{step}");
            }
        }
        assert_eq!(
            u64::from(q.available()),
            step["available"].as_u64().unwrap(),
            "{step}"
        );
    }
}

#[test]
fn presets() {
    let e = RetryPolicy::envoy();
    assert_eq!(e.max_attempts, 2);
    assert_eq!(e.backoff_for(0), Duration::from_millis(25));
    assert_eq!(e.backoff_for(1), Duration::from_millis(75));
    assert_eq!(e.backoff_for(2), Duration::from_millis(175));
    assert_eq!(e.backoff_for(3), Duration::from_millis(250));
    let g = RetryPolicy::grpc(9, 0.1, 1.0, 2.0).unwrap();
    assert_eq!(g.max_attempts, 5, "gRFC A6 caps maxAttempts at 5");
    assert_eq!(g.backoff_for(0), Duration::from_millis(100));
    assert_eq!(g.backoff_for(3), Duration::from_millis(800));
    assert_eq!(g.backoff_for(4), Duration::from_secs(1));
    assert!(RetryPolicy::grpc(1, 0.1, 1.0, 2.0).is_err());
    assert_eq!(
        RetryPolicy::with_pushback(Duration::from_millis(5), Some(Ok(Duration::from_secs(2)))),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        RetryPolicy::with_pushback(Duration::from_millis(5), Some(Err(()))),
        None
    );
    let mut p = RetryPolicy::new(
        3,
        Backoff::Constant,
        Jitter::None,
        Duration::from_secs(1),
        Duration::from_secs(1),
    )
    .unwrap();
    p.per_try_timeout = Some(Duration::from_secs(2));
    assert_eq!(p.give_up_after(0), Some(Duration::from_secs(8)));
    // Walked lazily: the same waits as the list, and a huge policy costs only what is taken.
    let d = RetryPolicy::new(
        u32::MAX,
        Backoff::Exponential { multiplier: 2.0 },
        Jitter::Decorrelated,
        Duration::from_millis(100),
        Duration::from_secs(20 * 365 * 86_400),
    )
    .unwrap();
    let few = RetryPolicy {
        max_attempts: 6,
        ..d.clone()
    };
    assert_eq!(d.delay_iter(7).take(5).collect::<Vec<_>>(), few.delays(7));
    assert_eq!(few.delay_iter(7).len(), 5);
    let mut keyed = Keyed::token_buckets(1.0, 1).unwrap();
    assert!(keyed.check("a", Instant::ZERO, 1).unwrap().allowed());
    assert!(keyed.check("b", Instant::ZERO, 1).unwrap().allowed());
    assert!(!keyed.check("a", Instant::ZERO, 1).unwrap().allowed());
    assert_eq!(keyed.len(), 2);
}

fn policy() -> impl Strategy<Value = RetryPolicy> {
    (
        1u32..8,
        0usize..3,
        0usize..4,
        1u64..500,
        1u64..20,
        1.0f64..4.0,
    )
        .prop_map(|(attempts, b, j, init_ms, cap_factor, mult)| {
            let backoff = [
                Backoff::Constant,
                Backoff::Linear,
                Backoff::Exponential { multiplier: mult },
            ][b];
            let jitter = [
                Jitter::None,
                Jitter::Full,
                Jitter::Equal,
                Jitter::Decorrelated,
            ][j];
            RetryPolicy::new(
                attempts,
                backoff,
                jitter,
                Duration::from_millis(init_ms),
                Duration::from_millis(init_ms * cap_factor),
            )
            .unwrap()
        })
}

proptest! {
    #[test]
    fn delays_stay_within_their_formula_bounds(p in policy(), seed in any::<u64>()) {
        let delays = p.delays(seed);
        prop_assert_eq!(delays.len() as u32, p.max_attempts - 1);
        prop_assert_eq!(&delays, &p.delays(seed));
        let mut previous = p.initial;
        for (n, d) in delays.iter().enumerate() {
            let b = p.backoff_for(n as u32);
            prop_assert!(b <= p.max_delay);
            prop_assert!(*d <= p.max_delay);
            match p.jitter {
                Jitter::None => prop_assert_eq!(*d, b),
                Jitter::Full => prop_assert!(*d <= b),
                Jitter::Equal => prop_assert!(*d >= b / 2 && *d <= b),
                Jitter::Decorrelated => {
                    prop_assert!(*d >= p.initial.min(p.max_delay) && *d <= (previous * 3).max(p.initial));
                    previous = *d;
                }
            }
        }
    }

    #[test]
    fn a_token_bucket_never_admits_more_than_burst_plus_refill(rate in 1u32..1000, burst in 1u64..50, steps in prop::collection::vec((0u64..50, 1u64..5), 1..60)) {
        let mut b = TokenBucket::new(f64::from(rate), burst).unwrap();
        let mut g = Gcra::new(f64::from(rate), burst).unwrap();
        let (mut now, mut taken_b, mut taken_g) = (0u64, 0u64, 0u64);
        for (dt_ms, n) in steps {
            now += dt_ms;
            let n = n.min(burst);
            if b.check(Instant::from_millis(now), n).unwrap().allowed() { taken_b += n; }
            if g.check(Instant::from_millis(now), n).unwrap().allowed() { taken_g += n; }
            let limit = burst as f64 + f64::from(rate) * now as f64 / 1000.0 + 1e-6;
            prop_assert!(taken_b as f64 <= limit, "bucket {} > {}", taken_b, limit);
            prop_assert!(taken_g as f64 <= limit, "gcra {} > {}", taken_g, limit);
        }
    }

    #[test]
    fn a_retry_budget_never_exceeds_its_share(percent in 0.0f64..100.0, min in 0u32..10, active in 0u32..10_000) {
        let b = RetryBudget { budget_percent: percent, min_retry_concurrency: min };
        let max = b.max_active_retries(active);
        prop_assert!(f64::from(max) <= (f64::from(active) * percent / 100.0).max(f64::from(min)) + 1e-9);
        prop_assert!(b.allows_retry(active, max.saturating_sub(1)) || max == 0);
        prop_assert!(!b.allows_retry(active, max));
    }
}

// ---- circuit breaker ------------------------------------------------------------------

use cnarch_core::resilience::breaker::{BreakerConfig, CircuitBreaker, Outcome, State, WindowType};

#[test]
fn breaker_scenarios() {
    for s in vectors("breaker.json")["scenarios"].as_array().unwrap() {
        let config: BreakerConfig = serde_json::from_value(s["config"].clone()).unwrap();
        let cb = CircuitBreaker::new(config).unwrap();
        for step in s["steps"].as_array().unwrap() {
            let now = Instant::from_millis(step["at"].as_u64().unwrap());
            let what = format!("{}: {step}", s["name"]);
            if let Some(want) = step["state"].as_str() {
                assert_eq!(cb.state(now).as_str(), want, "{what}");
            }
            if let Some(want) = step["try"].as_str() {
                let got = cb.try_acquire(now);
                assert_eq!(
                    if got.is_ok() { "permit" } else { "rejected" },
                    want,
                    "{what}"
                );
                if let (Err(r), Some(ms)) = (got, step["retry_after_ms"].as_u64()) {
                    assert_eq!(r.retry_after, Some(Duration::from_millis(ms)), "{what}");
                }
            }
            if let Some(action) = step["do"].as_str() {
                let permit = cb
                    .try_acquire(now)
                    .unwrap_or_else(|r| panic!("{what}: rejected {r:?}"));
                let ms = Duration::from_millis(step["ms"].as_u64().unwrap_or(0));
                let outcome = match action {
                    "ok" | "slow" => Outcome::success(ms),
                    "fail" => Outcome::failure(ms),
                    _ => Outcome::ignored(ms),
                };
                cb.record(now, permit, outcome);
            }
        }
    }
}

#[test]
fn manual_states_and_transitions() {
    let cb = CircuitBreaker::new(BreakerConfig {
        sliding_window_size: 1,
        minimum_number_of_calls: 1,
        ..Default::default()
    })
    .unwrap();
    let t = Instant::ZERO;
    cb.transition_to(t, State::Disabled);
    for _ in 0..5 {
        let p = cb.try_acquire(t).unwrap();
        cb.record(t, p, Outcome::failure(Duration::ZERO));
    }
    assert_eq!(cb.state(t), State::Disabled);
    cb.transition_to(t, State::ForcedOpen);
    let r = cb.try_acquire(t).unwrap_err();
    assert_eq!((r.state, r.retry_after), (State::ForcedOpen, None));
    cb.transition_to(t, State::MetricsOnly);
    let p = cb.try_acquire(t).unwrap();
    cb.record(t, p, Outcome::failure(Duration::ZERO));
    assert_eq!(cb.state(t), State::MetricsOnly);
    assert_eq!(cb.metrics(t).failure_rate, Some(100.0));
    let moves: Vec<(State, State)> = cb
        .take_transitions()
        .into_iter()
        .map(|x| (x.from, x.to))
        .collect();
    assert_eq!(
        moves,
        [
            (State::Closed, State::Disabled),
            (State::Disabled, State::ForcedOpen),
            (State::ForcedOpen, State::MetricsOnly)
        ]
    );
    assert!(CircuitBreaker::new(BreakerConfig {
        failure_rate_threshold: 0.0,
        ..Default::default()
    })
    .is_err());
}

#[test]
fn open_waits_growing_to_an_unbounded_cap_saturate() {
    // A cap of Duration::MAX is 2^64 s as a float, one past what a Duration holds.
    let cb = CircuitBreaker::new(BreakerConfig {
        sliding_window_size: 1,
        minimum_number_of_calls: 1,
        permitted_number_of_calls_in_half_open_state: 1,
        wait_duration_in_open_state: Duration::from_secs(3600),
        wait_multiplier: 1e9,
        max_wait_duration_in_open_state: Duration::MAX,
        ..Default::default()
    })
    .unwrap();
    let now = Instant::ZERO;
    let mut waits = Vec::new();
    for _ in 0..3 {
        let p = cb.try_acquire(now).unwrap();
        cb.record(now, p, Outcome::failure(Duration::ZERO));
        waits.push(cb.try_acquire(now).unwrap_err().retry_after.unwrap());
        cb.transition_to(now, State::HalfOpen);
    }
    assert_eq!(waits[0], Duration::from_secs(3600));
    // 3600 s × 10^18 is past any Duration: the wait saturates, and `retry_after` is then bounded
    // by the nanosecond timeline (about 584 years).
    assert_eq!(waits[2], Duration::from_nanos(u64::MAX));
}

#[test]
fn concurrent_callers_keep_totals_consistent() {
    let cb = std::sync::Arc::new(
        CircuitBreaker::new(BreakerConfig {
            sliding_window_size: 1000,
            minimum_number_of_calls: 1000,
            ..Default::default()
        })
        .unwrap(),
    );
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let cb = cb.clone();
            std::thread::spawn(move || {
                for j in 0..100 {
                    let p = cb.try_acquire(Instant::ZERO).unwrap();
                    cb.record(
                        Instant::ZERO,
                        p,
                        if (i + j) % 4 == 0 {
                            Outcome::failure(Duration::ZERO)
                        } else {
                            Outcome::success(Duration::ZERO)
                        },
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let m = cb.metrics(Instant::ZERO);
    assert_eq!((m.calls, m.failed), (800, 200));
    assert_eq!(m.failure_rate, None, "below the minimum of 1000 calls");
    assert_eq!(cb.state(Instant::ZERO), State::Closed);
}

proptest! {
    #[test]
    fn half_open_never_admits_more_than_its_permitted_calls(permitted in 1u32..6, tries in 1usize..30) {
        let cb = CircuitBreaker::new(BreakerConfig {
            sliding_window_size: 1, minimum_number_of_calls: 1, permitted_number_of_calls_in_half_open_state: permitted,
            wait_duration_in_open_state: Duration::from_secs(1), ..Default::default()
        }).unwrap();
        let p = cb.try_acquire(Instant::ZERO).unwrap();
        cb.record(Instant::ZERO, p, Outcome::failure(Duration::ZERO));
        let t = Instant::from_millis(1000);
        let admitted = (0..tries).filter(|_| cb.try_acquire(t).is_ok()).count();
        prop_assert_eq!(admitted, tries.min(permitted as usize));
    }

    #[test]
    fn failure_rate_equals_a_naive_recomputation(size in 1u32..20, window_time in any::<bool>(), calls in prop::collection::vec((0u64..3000, any::<bool>()), 1..80)) {
        let cb = CircuitBreaker::new(BreakerConfig {
            sliding_window_type: if window_time { WindowType::TimeBased } else { WindowType::CountBased },
            sliding_window_size: size, minimum_number_of_calls: 1, failure_rate_threshold: 100.0,
            ..Default::default()
        }).unwrap();
        cb.transition_to(Instant::ZERO, State::MetricsOnly);
        let mut now = 0u64;
        let mut log: Vec<(u64, bool)> = Vec::new();
        for (dt, failed) in calls {
            now += dt;
            let t = Instant::from_millis(now);
            let p = cb.try_acquire(t).unwrap();
            cb.record(t, p, if failed { Outcome::failure(Duration::ZERO) } else { Outcome::success(Duration::ZERO) });
            log.push((now, failed));
            let window: Vec<&(u64, bool)> = if window_time {
                let sec = now / 1000;
                log.iter().filter(|(at, _)| at / 1000 + u64::from(size) > sec).collect()
            } else {
                log.iter().rev().take(size as usize).collect()
            };
            let failed_n = window.iter().filter(|(_, f)| *f).count();
            let m = cb.metrics(t);
            prop_assert_eq!(m.calls as usize, window.len());
            prop_assert_eq!(m.failed as usize, failed_n);
            let naive = failed_n as f64 * 100.0 / window.len() as f64;
            prop_assert!((m.failure_rate.unwrap() - naive).abs() < 1e-9);
        }
    }
}
