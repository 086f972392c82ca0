//! Rate limiters: a token bucket with the API-gateway `ThrottleConfig` meaning (`rate` tokens
//! per second refill a bucket of `burst`), which is also GCRA (the generic cell rate algorithm,
//! as in governor or redis-cell) with the same two numbers: the bucket is kept as the instant it
//! would be full again, GCRA's theoretical arrival time. `check(now, n)` answers with a
//! decision carrying `retry_after` when denied; asking for more than the burst can never
//! succeed and is an error. [`Keyed`] keeps one limiter per key (per client).

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Duration;

use crate::time::Instant;

/// The answer to one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateDecision {
    /// Admitted; the tokens were taken.
    Allowed,
    /// Not now; the same request would be admitted after this wait.
    Denied {
        /// How long until it would be admitted.
        retry_after: Duration,
    },
}

impl RateDecision {
    /// Was it admitted?
    pub fn allowed(&self) -> bool {
        matches!(self, RateDecision::Allowed)
    }
}

/// Why a limiter or a check is impossible.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RateLimitError {
    /// The configuration is invalid.
    #[error("invalid rate limit: expected a rate above 0 per second and a burst of at least 1, found rate {rate} and burst {burst}")]
    Config {
        /// Rate.
        rate: f64,
        /// Burst.
        burst: u64,
    },
    /// More tokens than the bucket holds: this request can never be admitted.
    #[error(
        "request for {requested} tokens exceeds the burst of {burst}: it can never be admitted"
    )]
    ExceedsBurst {
        /// Tokens asked for.
        requested: u64,
        /// Bucket size.
        burst: u64,
    },
}

impl RateLimitError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            RateLimitError::Config { .. } => "invalid_rate_limit",
            RateLimitError::ExceedsBurst { .. } => "exceeds_burst",
        }
    }
}

fn check_config(rate: f64, burst: u64) -> Result<u64, RateLimitError> {
    if !(rate.is_finite() && rate > 0.0) || burst == 0 {
        return Err(RateLimitError::Config { rate, burst });
    }
    // Nanoseconds per token, at least 1.
    Ok(((1e9 / rate).round() as u64).max(1))
}

/// A token bucket: starts full, refills `rate` tokens per second up to `burst`.
///
/// Kept as the instant the bucket would be full again, so refills are exact integer
/// arithmetic in nanoseconds (the rate is rounded to whole nanoseconds per token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenBucket {
    per_token: u64,
    burst: u64,
    /// When the bucket is (or was) full; tokens = burst − (full_at − now) / per_token.
    full_at: u64,
}

impl TokenBucket {
    /// `rate` tokens per second, `burst` tokens at most.
    pub fn new(rate: f64, burst: u64) -> Result<TokenBucket, RateLimitError> {
        Ok(TokenBucket {
            per_token: check_config(rate, burst)?,
            burst,
            full_at: 0,
        })
    }

    /// Tokens available at `now` (fractional).
    pub fn available(&self, now: Instant) -> f64 {
        let deficit = self.full_at.saturating_sub(now.as_nanos());
        self.burst as f64 - deficit as f64 / self.per_token as f64
    }

    /// Takes `n` tokens if they are there.
    pub fn check(&mut self, now: Instant, n: u64) -> Result<RateDecision, RateLimitError> {
        if n > self.burst {
            return Err(RateLimitError::ExceedsBurst {
                requested: n,
                burst: self.burst,
            });
        }
        let now = now.as_nanos();
        let full_at = self.full_at.max(now);
        let deficit_after = (full_at - now).saturating_add(n.saturating_mul(self.per_token));
        let capacity = self.burst.saturating_mul(self.per_token);
        if deficit_after <= capacity {
            self.full_at = now.saturating_add(deficit_after);
            Ok(RateDecision::Allowed)
        } else {
            Ok(RateDecision::Denied {
                retry_after: Duration::from_nanos(deficit_after - capacity),
            })
        }
    }
}

/// GCRA (the generic cell rate algorithm, virtual-scheduling form) with emission interval
/// `1/rate` and a burst tolerance of `burst` cells. Its theoretical arrival time is exactly the
/// instant a [`TokenBucket`] of the same rate and burst would be full again, and both admit a
/// request when it lands at most `burst` emission intervals ahead of `now`: the two make the
/// same decisions with the same `retry_after`, so cnarch has one implementation under both
/// names.
pub type Gcra = TokenBucket;

/// One limiter per key, created on first use from a template.
#[derive(Debug, Clone)]
pub struct Keyed<K, L> {
    template: L,
    limiters: HashMap<K, L>,
}

impl<K: Hash + Eq> Keyed<K, TokenBucket> {
    /// Per-key token buckets.
    pub fn token_buckets(rate: f64, burst: u64) -> Result<Self, RateLimitError> {
        Ok(Keyed {
            template: TokenBucket::new(rate, burst)?,
            limiters: HashMap::new(),
        })
    }

    /// Checks `n` tokens for `key`.
    pub fn check(&mut self, key: K, now: Instant, n: u64) -> Result<RateDecision, RateLimitError> {
        let t = &self.template;
        self.limiters
            .entry(key)
            .or_insert_with(|| t.clone())
            .check(now, n)
    }
}

impl<K, L> Keyed<K, L> {
    /// Keys seen so far.
    pub fn len(&self) -> usize {
        self.limiters.len()
    }

    /// No keys seen yet?
    pub fn is_empty(&self) -> bool {
        self.limiters.is_empty()
    }
}

impl crate::error::Coded for RateLimitError {
    fn code(&self) -> &'static str {
        RateLimitError::code(self)
    }
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            RateLimitError::Config { .. } => crate::error::ErrorKind::Config,
            RateLimitError::ExceedsBurst { .. } => crate::error::ErrorKind::Argument,
        }
    }
    fn field(&self) -> Option<&str> {
        match self {
            RateLimitError::Config { .. } => None,
            RateLimitError::ExceedsBurst { .. } => Some("n"),
        }
    }
}
