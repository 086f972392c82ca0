//! Resilience primitives, side by side in one run:
//! - an uncontended `try_acquire` + `record(success)` pair on a closed breaker: cnarch (default
//!   count-based window of 100; consecutive-failures trip) vs the `failsafe` crate
//!   (`is_call_permitted` + `on_success`, with its consecutive-failures and its
//!   success-rate-over-time-window policies);
//! - a rate-limiter check that is admitted: cnarch's token bucket (GCRA) vs `governor`'s GCRA,
//!   both on a clock advanced by the caller (governor's `FakeRelativeClock`), and governor on
//!   its default clock (which reads the time on every check). cnarch's bucket is a plain value
//!   (`&mut`); the `Mutex` row is the fair comparison with governor's `Sync` limiter.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::num::NonZeroU32;
use std::time::Duration;

use cnarch_core::resilience::breaker::{BreakerConfig, CircuitBreaker, Outcome};
use cnarch_core::resilience::ratelimit::TokenBucket;
use cnarch_core::time::Instant;
use criterion::{criterion_group, criterion_main, Criterion};
use failsafe::{backoff, failure_policy, Config};
use governor::clock::FakeRelativeClock;
use governor::{Quota, RateLimiter};

fn breaker(c: &mut Criterion) {
    let mut g = c.benchmark_group("breaker_acquire_record");
    let cnarch_window = CircuitBreaker::new(BreakerConfig::default()).unwrap();
    let mut t = 0u64;
    g.bench_function("cnarch/count_window_100", |b| {
        b.iter(|| {
            t += 1_000;
            let now = Instant::from_nanos(t);
            let p = cnarch_window.try_acquire(black_box(now)).unwrap();
            cnarch_window.record(now, p, Outcome::success(Duration::from_micros(300)));
        })
    });
    let cnarch_consecutive = CircuitBreaker::new(BreakerConfig {
        consecutive_failures: Some(5),
        ..BreakerConfig::default()
    })
    .unwrap();
    g.bench_function("cnarch/window_and_consecutive_5", |b| {
        b.iter(|| {
            t += 1_000;
            let now = Instant::from_nanos(t);
            let p = cnarch_consecutive.try_acquire(black_box(now)).unwrap();
            cnarch_consecutive.record(now, p, Outcome::success(Duration::from_micros(300)));
        })
    });
    let failsafe_default = Config::new().build();
    g.bench_function("failsafe/consecutive_failures", |b| {
        b.iter(|| {
            assert!(black_box(&failsafe_default).is_call_permitted());
            failsafe_default.on_success();
        })
    });
    let failsafe_window = Config::new()
        .failure_policy(failure_policy::success_rate_over_time_window(
            0.5,
            100,
            Duration::from_secs(60),
            backoff::constant(Duration::from_secs(60)),
        ))
        .build();
    g.bench_function("failsafe/success_rate_window", |b| {
        b.iter(|| {
            assert!(black_box(&failsafe_window).is_call_permitted());
            failsafe_window.on_success();
        })
    });
    g.finish();
}

fn rate_limit(c: &mut Criterion) {
    let mut g = c.benchmark_group("rate_limit_check");
    let mut bucket = TokenBucket::new(1_000_000.0, 100).unwrap();
    let mut t = 0u64;
    g.bench_function("cnarch/token_bucket", |b| {
        b.iter(|| {
            t += 1_000; // 1 µs per check at 1M/s: always admitted
            assert!(bucket
                .check(black_box(Instant::from_nanos(t)), 1)
                .unwrap()
                .allowed());
        })
    });
    // Shared between threads, as governor's limiter is (it is `Sync`, lock-free).
    let shared = std::sync::Mutex::new(TokenBucket::new(1_000_000.0, 100).unwrap());
    g.bench_function("cnarch/token_bucket_in_mutex", |b| {
        b.iter(|| {
            t += 1_000;
            let mut l = shared.lock().unwrap();
            assert!(l
                .check(black_box(Instant::from_nanos(t)), 1)
                .unwrap()
                .allowed());
        })
    });
    let quota = Quota::per_second(NonZeroU32::new(1_000_000).unwrap())
        .allow_burst(NonZeroU32::new(100).unwrap());
    let clock = FakeRelativeClock::default();
    let fake = RateLimiter::direct_with_clock(quota, clock.clone());
    g.bench_function("governor/fake_clock", |b| {
        b.iter(|| {
            clock.advance(Duration::from_micros(1));
            assert!(black_box(&fake).check().is_ok());
        })
    });
    let real = RateLimiter::direct(Quota::per_second(NonZeroU32::new(u32::MAX).unwrap()));
    g.bench_function("governor/default_clock", |b| {
        b.iter(|| black_box(black_box(&real).check().is_ok()))
    });
    g.finish();
}

criterion_group!(benches, breaker, rate_limit);
criterion_main!(benches);
