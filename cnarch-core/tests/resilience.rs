//! Retry delays, retry budgets and rate limiters: the vectors in `testdata/resilience/` and
//! property tests for the formulas' bounds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::time::Duration;

use cnarch_core::resilience::budget::{RetryBudget, RetryQuota, RetryThrottle};
use cnarch_core::resilience::ratelimit::{Gcra, Keyed, RateDecision, TokenBucket};
use cnarch_core::resilience::retry::{Backoff, Jitter, RetryPolicy};
use cnarch_core::time::Instant;
use proptest::prelude::*;
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/resilience")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
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
