//! Retry budgets: limits on how much retrying a client may do.
//!
//! - [`RetryThrottle`]: gRPC retry throttling (gRFC A6): a token bucket of `max_tokens`, full at
//!   start; each failed attempt takes 1, each success gives back `token_ratio`; retries are
//!   allowed only while the count is above `max_tokens / 2`. Tokens are kept in thousandths, as
//!   gRPC specifies the ratio to three decimal places.
//! - [`RetryBudget`]: Envoy's retry budget: active retries may be at most `budget_percent` of
//!   active requests, but never fewer than `min_retry_concurrency` (defaults 20 % and 3).
//! - [`RetryQuota`]: the AWS SDKs' standard retry mode quota: 500 tokens; a retry costs 5 (10
//!   after a timeout); a successful retried call returns its cost; a success on the first
//!   attempt returns 1.

/// gRPC client-side retry throttling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryThrottle {
    max_milli: u64,
    ratio_milli: u64,
    tokens_milli: u64,
}

impl RetryThrottle {
    /// `max_tokens` in (0, 1000], `token_ratio` > 0 (rounded to thousandths), as gRFC A6 bounds
    /// them; `None` when out of range.
    pub fn new(max_tokens: u32, token_ratio: f64) -> Result<RetryThrottle, RetryThrottleError> {
        if max_tokens == 0 || max_tokens > 1000 {
            return Err(RetryThrottleError::new(
                "max_tokens",
                format!("expected max_tokens in 1..=1000 (gRFC A6), found {max_tokens}"),
            ));
        }
        let ratio_milli = (token_ratio * 1000.0).round() as u64;
        if !(token_ratio.is_finite() && token_ratio > 0.0) || ratio_milli == 0 {
            return Err(RetryThrottleError::new(
                "token_ratio",
                format!("expected token_ratio of at least 0.001 (gRFC A6 keeps three decimals), found {token_ratio}"),
            ));
        }
        let max_milli = u64::from(max_tokens) * 1000;
        Ok(RetryThrottle {
            max_milli,
            ratio_milli,
            tokens_milli: max_milli,
        })
    }

    /// A failed attempt (a status the policy counts as a failure).
    pub fn on_failure(&mut self) {
        self.tokens_milli = self.tokens_milli.saturating_sub(1000);
    }

    /// A successful attempt.
    pub fn on_success(&mut self) {
        self.tokens_milli = (self.tokens_milli + self.ratio_milli).min(self.max_milli);
    }

    /// Are retries (and hedges) allowed now?
    pub fn allows_retry(&self) -> bool {
        self.tokens_milli * 2 > self.max_milli
    }

    /// Current tokens.
    pub fn tokens(&self) -> f64 {
        self.tokens_milli as f64 / 1000.0
    }
}

/// Envoy's retry budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryBudget {
    /// Share of active requests that may be retries, in percent (Envoy's default 20).
    pub budget_percent: f64,
    /// Retries always allowed concurrently (Envoy's default 3).
    pub min_retry_concurrency: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget {
            budget_percent: 20.0,
            min_retry_concurrency: 3,
        }
    }
}

impl RetryBudget {
    /// A budget; `budget_percent` must be in [0, 100] (Envoy's `Percent`).
    pub fn new(
        budget_percent: f64,
        min_retry_concurrency: u32,
    ) -> Result<RetryBudget, RetryBudgetError> {
        if !(0.0..=100.0).contains(&budget_percent) {
            return Err(RetryBudgetError::new(
                "budget_percent",
                format!("expected budget_percent in [0, 100], found {budget_percent}"),
            ));
        }
        Ok(RetryBudget {
            budget_percent,
            min_retry_concurrency,
        })
    }

    /// How many retries may be active with this many active requests.
    pub fn max_active_retries(&self, active_requests: u32) -> u32 {
        let share = (f64::from(active_requests) * self.budget_percent.clamp(0.0, 100.0) / 100.0)
            .floor() as u32;
        share.max(self.min_retry_concurrency)
    }

    /// May one more retry start?
    pub fn allows_retry(&self, active_requests: u32, active_retries: u32) -> bool {
        active_retries < self.max_active_retries(active_requests)
    }
}

/// The AWS SDK standard retry quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryQuota {
    capacity: u32,
    available: u32,
    retry_cost: u32,
    timeout_cost: u32,
    no_retry_increment: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota::aws_standard()
    }
}

impl RetryQuota {
    /// 500 tokens, retry cost 5, timeout retry cost 10, 1 back per first-attempt success.
    pub fn aws_standard() -> RetryQuota {
        RetryQuota {
            capacity: 500,
            available: 500,
            retry_cost: 5,
            timeout_cost: 10,
            no_retry_increment: 1,
        }
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.available
    }

    /// Takes the cost of a retry (after a timeout or another error); `None` when the quota
    /// cannot pay it, so the call must not be retried.
    pub fn acquire(&mut self, after_timeout: bool) -> Option<u32> {
        let cost = if after_timeout {
            self.timeout_cost
        } else {
            self.retry_cost
        };
        if self.available < cost {
            return None;
        }
        self.available -= cost;
        Some(cost)
    }

    /// A call succeeded: it returns what its retries took (`retry_cost`), or the small
    /// increment when it succeeded first time (`None`).
    pub fn on_success(&mut self, retry_cost: Option<u32>) {
        let back = retry_cost.unwrap_or(self.no_retry_increment);
        self.available = self.available.saturating_add(back).min(self.capacity);
    }
}

crate::error::field_error!(
    /// gRPC retry throttling outside gRFC A6's limits.
    RetryThrottleError,
    "invalid retry throttling: ",
    "invalid_retry_throttle",
    crate::error::ErrorKind::Config
);

crate::error::field_error!(
    /// An Envoy retry budget outside its limits.
    RetryBudgetError,
    "invalid retry budget: ",
    "invalid_retry_budget",
    crate::error::ErrorKind::Config
);
