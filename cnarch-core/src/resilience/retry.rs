//! Retry policies: attempts, backoff and jitter, with the delay sequence drawn from a seed.
//!
//! Backoff for retry `n` (0 for the first retry), capped at `max_delay`:
//! constant `initial`; linear `initial × (n + 1)`; exponential `initial × multiplier^n`.
//! Jitter, as in Marc Brooker's "Exponential Backoff And Jitter" (AWS Architecture Blog):
//! none: the backoff; full: uniform in `[0, backoff]`; equal: `backoff/2 + uniform[0, backoff/2]`;
//! decorrelated: `min(max_delay, uniform[initial, previous × 3])`, `previous` starting at
//! `initial`.
//!
//! Presets:
//! - [`RetryPolicy::envoy`]: Envoy's router defaults: 1 retry, base interval 25 ms, max
//!   interval 10 × base, fully jittered exponential back-off over `[0, (2^N − 1) × base]` for
//!   retry `N` (1-based), capped at the max interval.
//! - [`RetryPolicy::grpc`]: gRFC A6: attempt `n` waits uniform `[0, min(initialBackoff ×
//!   backoffMultiplier^(n−1), maxBackoff)]`; `maxAttempts` above 5 is treated as 5.
//!
//! Delays are whole nanoseconds drawn from ChaCha8 seeded by the caller, so a seed gives the
//! same delays in Rust, Python and JavaScript.
//!
//! ```
//! use cnarch_core::resilience::retry::RetryPolicy;
//! let p = RetryPolicy::grpc(4, 0.1, 1.0, 2.0).unwrap();
//! let delays = p.delays(42);
//! assert_eq!(delays.len(), 3);
//! assert!(delays[1].as_secs_f64() <= 0.2);
//! assert_eq!(delays, p.delays(42));
//! ```

use std::time::Duration;

use rand_chacha::rand_core::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How the wait grows between attempts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backoff {
    /// Always `initial`.
    Constant,
    /// `initial × (n + 1)`.
    Linear,
    /// `initial × multiplier^n`.
    Exponential {
        /// Growth factor (≥ 1).
        multiplier: f64,
    },
    /// Envoy's `(2^N − 1) × base` upper bound (used with full jitter).
    Envoy,
}

/// How the wait is randomised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jitter {
    /// No randomness.
    None,
    /// Uniform in `[0, backoff]`.
    Full,
    /// `backoff/2 + uniform[0, backoff/2]`.
    Equal,
    /// `min(max, uniform[initial, previous × 3])`.
    Decorrelated,
}

impl Backoff {
    /// By name, as the bindings spell it: `constant`, `linear`, or `exponential` (which uses
    /// `multiplier`).
    pub fn from_name(name: &str, multiplier: f64) -> Result<Backoff, RetryPolicyError> {
        match name {
            "constant" => Ok(Backoff::Constant),
            "linear" => Ok(Backoff::Linear),
            "exponential" => Ok(Backoff::Exponential { multiplier }),
            other => Err(RetryPolicyError::new(
                "backoff",
                format!("expected backoff `constant`, `linear` or `exponential`, found `{other}`"),
            )),
        }
    }
}

impl std::str::FromStr for Jitter {
    type Err = RetryPolicyError;
    /// `none`, `full`, `equal` or `decorrelated`.
    fn from_str(s: &str) -> Result<Jitter, RetryPolicyError> {
        match s {
            "none" => Ok(Jitter::None),
            "full" => Ok(Jitter::Full),
            "equal" => Ok(Jitter::Equal),
            "decorrelated" => Ok(Jitter::Decorrelated),
            other => Err(RetryPolicyError::new(
                "jitter",
                format!(
                    "expected jitter `none`, `full`, `equal` or `decorrelated`, found `{other}`"
                ),
            )),
        }
    }
}

crate::error::field_error!(
    /// Why a retry policy was rejected.
    RetryPolicyError,
    "",
    "invalid_retry_policy",
    crate::error::ErrorKind::Config
);

/// A retry policy.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (≥ 1).
    pub max_attempts: u32,
    /// Growth.
    pub backoff: Backoff,
    /// Randomisation.
    pub jitter: Jitter,
    /// First backoff (and decorrelated jitter's floor).
    pub initial: Duration,
    /// Cap on any single wait.
    pub max_delay: Duration,
    /// Timeout of each attempt, if any.
    pub per_try_timeout: Option<Duration>,
}

fn secs(s: f64, what: &str) -> Result<Duration, RetryPolicyError> {
    crate::time::duration_from_secs(s)
        .map_err(|e| RetryPolicyError::new(what, format!("{what}: {e}")))
}

/// The waits of a [`RetryPolicy`] for one seed, in order ([`RetryPolicy::delay_iter`]).
#[derive(Debug, Clone)]
pub struct Delays<'a> {
    policy: &'a RetryPolicy,
    rng: ChaCha8Rng,
    previous: u64,
    n: u32,
}

impl Iterator for Delays<'_> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let p = self.policy;
        if self.n >= p.max_attempts.saturating_sub(1) {
            return None;
        }
        let b = nanos(p.backoff_for(self.n));
        self.n += 1;
        let d = match p.jitter {
            Jitter::None => b,
            Jitter::Full => uniform(&mut self.rng, 0, b),
            Jitter::Equal => b / 2 + uniform(&mut self.rng, 0, b - b / 2),
            Jitter::Decorrelated => {
                let floor = nanos(p.initial);
                let hi = self.previous.saturating_mul(3).max(floor);
                let v = uniform(&mut self.rng, floor, hi).min(nanos(p.max_delay));
                self.previous = v;
                v
            }
        };
        Some(Duration::from_nanos(d))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self
            .policy
            .max_attempts
            .saturating_sub(1)
            .saturating_sub(self.n) as usize;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Delays<'_> {}

/// A uniform draw from `[lo, hi]` (rejection sampling, so unbiased).
pub(crate) fn uniform(rng: &mut ChaCha8Rng, lo: u64, hi: u64) -> u64 {
    if hi <= lo {
        return lo;
    }
    let span = hi - lo;
    if span == u64::MAX {
        return rng.next_u64();
    }
    // Rejection sampling: unbiased over [0, span].
    let n = span + 1;
    let zone = u64::MAX - (u64::MAX % n) - 1;
    loop {
        let x = rng.next_u64();
        if x <= zone {
            return lo + x % n;
        }
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

impl RetryPolicy {
    /// A policy; checks that attempts ≥ 1, multiplier ≥ 1 and `max_delay ≥ initial`.
    pub fn new(
        max_attempts: u32,
        backoff: Backoff,
        jitter: Jitter,
        initial: Duration,
        max_delay: Duration,
    ) -> Result<RetryPolicy, RetryPolicyError> {
        if max_attempts == 0 {
            return Err(RetryPolicyError::new(
                "max_attempts",
                "expected max_attempts of at least 1, found 0",
            ));
        }
        if let Backoff::Exponential { multiplier } = backoff {
            if !(multiplier.is_finite() && multiplier >= 1.0) {
                return Err(RetryPolicyError::new(
                    "multiplier",
                    format!("expected a multiplier of at least 1, found {multiplier}"),
                ));
            }
        }
        if max_delay < initial {
            return Err(RetryPolicyError::new(
                "max_delay",
                format!("expected max_delay ({max_delay:?}) at least initial ({initial:?})"),
            ));
        }
        Ok(RetryPolicy {
            max_attempts,
            backoff,
            jitter,
            initial,
            max_delay,
            per_try_timeout: None,
        })
    }

    /// Envoy's defaults: one retry, 25 ms base interval, 250 ms max, full jitter over
    /// `(2^N − 1) × base`.
    pub fn envoy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 2,
            backoff: Backoff::Envoy,
            jitter: Jitter::Full,
            initial: Duration::from_millis(25),
            max_delay: Duration::from_millis(250),
            per_try_timeout: None,
        }
    }

    /// gRFC A6 retry policy (seconds as in the service config); attempts above 5 count as 5.
    pub fn grpc(
        max_attempts: u32,
        initial_backoff: f64,
        max_backoff: f64,
        backoff_multiplier: f64,
    ) -> Result<RetryPolicy, RetryPolicyError> {
        if max_attempts < 2 {
            return Err(RetryPolicyError::new(
                "max_attempts",
                format!("expected max_attempts of at least 2 (gRFC A6), found {max_attempts}"),
            ));
        }
        let initial = secs(initial_backoff, "initialBackoff")?;
        let max = secs(max_backoff, "maxBackoff")?;
        if initial.is_zero() || max.is_zero() {
            return Err(RetryPolicyError::new(
                "initial_backoff",
                "expected initial_backoff and max_backoff greater than 0 (gRFC A6)",
            ));
        }
        if !(backoff_multiplier.is_finite() && backoff_multiplier > 0.0) {
            return Err(RetryPolicyError::new(
                "backoff_multiplier",
                format!(
                "expected backoff_multiplier greater than 0 (gRFC A6), found {backoff_multiplier}"
            ),
            ));
        }
        Ok(RetryPolicy {
            max_attempts: max_attempts.min(5),
            backoff: Backoff::Exponential {
                multiplier: backoff_multiplier,
            },
            jitter: Jitter::Full,
            initial,
            max_delay: max,
            per_try_timeout: None,
        })
    }

    /// The (capped, un-jittered) backoff before retry `n` (0-based).
    pub fn backoff_for(&self, n: u32) -> Duration {
        let init = self.initial.as_nanos() as f64;
        let cap = self.max_delay.as_nanos() as f64;
        let raw = match self.backoff {
            Backoff::Constant => init,
            Backoff::Linear => init * f64::from(n + 1),
            Backoff::Exponential { multiplier } => init * multiplier.powi(n.min(1024) as i32),
            Backoff::Envoy => init * (2f64.powi((n + 1).min(1024) as i32) - 1.0),
        };
        Duration::from_nanos(raw.min(cap).max(0.0) as u64)
    }

    /// The waits before attempts 2..=max_attempts, drawn from `seed`.
    pub fn delays(&self, seed: u64) -> Vec<Duration> {
        self.delay_iter(seed).collect()
    }

    /// The same waits as [`RetryPolicy::delays`], one at a time (nothing is allocated, so a
    /// policy with a very large `max_attempts` can be walked lazily).
    pub fn delay_iter(&self, seed: u64) -> Delays<'_> {
        Delays {
            policy: self,
            rng: ChaCha8Rng::seed_from_u64(seed),
            previous: nanos(self.initial),
            n: 0,
        }
    }

    /// The longest the whole call can take with these delays: every attempt running to its
    /// per-try timeout plus the waits. `None` without a per-try timeout (unbounded).
    pub fn give_up_after(&self, seed: u64) -> Option<Duration> {
        let per_try = self.per_try_timeout?;
        let waits = self
            .delay_iter(seed)
            .fold(Duration::ZERO, Duration::saturating_add);
        Some(
            per_try
                .saturating_mul(self.max_attempts)
                .saturating_add(waits),
        )
    }

    /// The wait before the next attempt given the server's pushback (gRPC
    /// `grpc-retry-pushback-ms`, HTTP `Retry-After`): the pushback replaces the computed delay;
    /// a negative pushback (`Err`) means "do not retry" (`None`).
    pub fn with_pushback(
        computed: Duration,
        pushback: Option<Result<Duration, ()>>,
    ) -> Option<Duration> {
        match pushback {
            None => Some(computed),
            Some(Ok(d)) => Some(d),
            Some(Err(())) => None,
        }
    }
}
