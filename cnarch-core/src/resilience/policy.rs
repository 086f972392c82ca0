//! One entry point that composes the pieces for a host: an overall deadline, retries, a circuit
//! breaker, a rate limiter, a per-try timeout and a bulkhead, applied outermost first in
//! resilience4j's decorator order (`Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call)))))`)
//! inside an overall deadline (Polly's outer timeout, Envoy's route timeout):
//!
//! 1. **deadline** — no attempt starts, and no wait is taken, past `start + overall`;
//! 2. **retry** — attempts up to `max_attempts`, only for outcomes the [`RetryOn`] accepts, waiting
//!    the policy's seeded delays (or the server's pushback);
//! 3. **circuit breaker** — an open breaker ends the execution (`Rejected`), every attempt's
//!    outcome is recorded;
//! 4. **rate limiter** — a denied attempt ends the execution with its `retry_after` (the breaker
//!    records it as ignored);
//! 5. **per-try timeout** — each attempt gets `min(per_try, time left before the deadline)`;
//! 6. **bulkhead** — an attempt that finds no free slot ends the execution (the pipeline does
//!    not queue; hosts wanting to wait drive a [`Bulkhead`] themselves).
//!
//! The pipeline never sleeps or calls anything: [`Policy::start`] gives an [`Execution`] whose
//! [`Execution::next`] says "call now (with this timeout)", "wait this long" or "done, and why",
//! and [`Execution::record`] takes the attempt's outcome.
//!
//! ```
//! use cnarch_core::resilience::policy::{Policy, Step, Verdict};
//! use cnarch_core::resilience::retry::RetryPolicy;
//! use cnarch_core::resilience::retry_on::{CallOutcome, RetryOn};
//! use cnarch_core::time::Instant;
//! use std::time::Duration;
//! let policy = Policy::new().with_retry(RetryPolicy::envoy(), RetryOn::parse("5xx").unwrap());
//! let mut ex = policy.start(Instant::ZERO, 7);
//! let mut now = Instant::ZERO;
//! let verdict = loop {
//!     match ex.next(now) {
//!         Step::Call { attempt, .. } => {
//!             let outcome = if attempt == 1 { CallOutcome::Http(503) } else { CallOutcome::Http(200) };
//!             ex.record(now, outcome, Duration::from_millis(5)).unwrap();
//!         }
//!         Step::Wait(d) => now = now.saturating_add(d),
//!         Step::Done(v) => break v,
//!     }
//! };
//! assert_eq!(verdict, Verdict::Succeeded { attempts: 2 });
//! ```

use std::sync::Mutex;
use std::time::Duration;

use super::breaker::{CircuitBreaker, Outcome, Permit, State};
use super::bulkhead::{Admission, Bulkhead};
use super::ratelimit::{RateDecision, TokenBucket};
use super::retry::RetryPolicy;
use super::retry_on::{CallOutcome, RetryOn};
use crate::time::Instant;

/// Per-attempt and overall time limits (Istio: `retries.perTryTimeout` and `timeout`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timeouts {
    /// Limit of each attempt.
    pub per_try: Option<Duration>,
    /// Limit of the whole execution, waits included.
    pub overall: Option<Duration>,
}

impl Timeouts {
    /// The timeout of an attempt starting at `now` in an execution started at `start`:
    /// the per-try limit, cut to what is left of the overall one.
    pub fn attempt_timeout(&self, start: Instant, now: Instant) -> Option<Duration> {
        let left = self
            .overall
            .map(|o| o.saturating_sub(now.saturating_since(start)));
        match (self.per_try, left) {
            (Some(p), Some(l)) => Some(p.min(l)),
            (p, l) => p.or(l),
        }
    }
}

/// The composed policy. Components are optional; share one `Policy` across calls (the breaker,
/// limiter and bulkhead are shared state; `Send + Sync`).
#[derive(Debug, Default)]
pub struct Policy {
    timeouts: Timeouts,
    retry: Option<(RetryPolicy, RetryOn)>,
    breaker: Option<CircuitBreaker>,
    limiter: Option<Mutex<TokenBucket>>,
    bulkhead: Option<Bulkhead>,
}

/// Why an execution ended without a successful attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUp {
    /// The last outcome is not retryable under the conditions.
    NotRetryable,
    /// `max_attempts` made.
    AttemptsExhausted,
    /// The overall deadline passed (or the next wait would pass it).
    DeadlineExceeded,
    /// The server's pushback said not to retry.
    Pushback,
}

/// What stopped an attempt from starting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The breaker refused, in this state, with this wait when known.
    CircuitOpen {
        /// The breaker's state.
        state: State,
        /// When a call may pass.
        retry_after: Option<Duration>,
    },
    /// The rate limiter refused; a call may pass after this wait.
    RateLimited {
        /// Wait.
        retry_after: Duration,
    },
    /// No bulkhead slot free.
    BulkheadFull,
}

/// How an execution ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// An attempt succeeded.
    Succeeded {
        /// Attempts made.
        attempts: u32,
    },
    /// Attempts failed and the execution gave up.
    Failed {
        /// Attempts made.
        attempts: u32,
        /// The last attempt's outcome, if any attempt was made.
        last: Option<CallOutcome>,
        /// Why no further attempt.
        reason: GiveUp,
    },
    /// An attempt was refused before it started.
    Rejected {
        /// Attempts made before.
        attempts: u32,
        /// By what.
        by: Refusal,
    },
}

/// What the host should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Make attempt number `attempt` (1-based) now, cut off after `timeout` if set; then
    /// [`Execution::record`] its outcome.
    Call {
        /// 1-based attempt number.
        attempt: u32,
        /// Time limit of this attempt.
        timeout: Option<Duration>,
    },
    /// Wait this long, then ask again.
    Wait(Duration),
    /// Finished.
    Done(Verdict),
}

/// `record` without an attempt in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no attempt in progress: call Execution::next and make the call it asks for first")]
pub struct NoAttempt;

impl Policy {
    /// No components: one attempt, no limits.
    pub fn new() -> Policy {
        Policy::default()
    }
    /// With time limits.
    pub fn with_timeouts(mut self, t: Timeouts) -> Policy {
        self.timeouts = t;
        self
    }
    /// With retries on the outcomes `on` accepts (`retry.per_try_timeout`, if set and no
    /// per-try timeout is, becomes the per-try timeout).
    pub fn with_retry(mut self, retry: RetryPolicy, on: RetryOn) -> Policy {
        if self.timeouts.per_try.is_none() {
            self.timeouts.per_try = retry.per_try_timeout;
        }
        self.retry = Some((retry, on));
        self
    }
    /// With a circuit breaker.
    pub fn with_breaker(mut self, b: CircuitBreaker) -> Policy {
        self.breaker = Some(b);
        self
    }
    /// With a rate limiter (one token per attempt).
    pub fn with_rate_limit(mut self, l: TokenBucket) -> Policy {
        self.limiter = Some(Mutex::new(l));
        self
    }
    /// With a bulkhead.
    pub fn with_bulkhead(mut self, b: Bulkhead) -> Policy {
        self.bulkhead = Some(b);
        self
    }
    /// The breaker, to inspect its state.
    pub fn breaker(&self) -> Option<&CircuitBreaker> {
        self.breaker.as_ref()
    }
    /// The time limits.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The policy a service's `traffic` block describes, as Istio programs Envoy: `retry.attempts`
    /// retries after the first try on Istio's default conditions, Envoy's backoff,
    /// `retry.timeout` per try, `timeout.duration` overall. (The `circuitBreaker` block is
    /// outlier detection: see [`super::outlier`].)
    pub fn from_traffic(t: &crate::model::mesh::TrafficManagement) -> Policy {
        let mut p = Policy::new().with_timeouts(Timeouts {
            per_try: None,
            overall: t.timeout.as_ref().and_then(|x| x.duration.to_std()),
        });
        if let Some(r) = &t.retry {
            let mut rp = RetryPolicy::envoy();
            rp.max_attempts = u32::try_from(r.attempts).unwrap_or(0).saturating_add(1);
            rp.per_try_timeout = r.timeout.and_then(|d| d.to_std());
            p = p.with_retry(rp, RetryOn::istio_default());
        }
        p
    }

    /// Starts an execution at `start`; `seed` draws the retry delays.
    pub fn start(&self, start: Instant, seed: u64) -> Execution<'_> {
        Execution {
            policy: self,
            start,
            delays: self
                .retry
                .as_ref()
                .map(|(r, _)| r.delays(seed))
                .unwrap_or_default(),
            attempts: 0,
            not_before: start,
            in_flight: None,
            done: None,
        }
    }
}

/// One protected call in progress (see [`Policy::start`]).
#[derive(Debug)]
pub struct Execution<'p> {
    policy: &'p Policy,
    start: Instant,
    delays: Vec<Duration>,
    attempts: u32,
    not_before: Instant,
    in_flight: Option<(Option<Permit>, bool)>,
    done: Option<Verdict>,
}

impl Execution<'_> {
    fn deadline(&self) -> Option<Instant> {
        self.policy
            .timeouts
            .overall
            .map(|o| self.start.saturating_add(o))
    }

    fn finish(&mut self, v: Verdict) -> Step {
        self.done = Some(v);
        Step::Done(v)
    }

    fn give_up(&mut self, reason: GiveUp, last: Option<CallOutcome>) -> Step {
        let attempts = self.attempts;
        self.finish(Verdict::Failed {
            attempts,
            last,
            reason,
        })
    }

    /// What to do at `now`.
    pub fn next(&mut self, now: Instant) -> Step {
        if let Some(v) = self.done {
            return Step::Done(v);
        }
        if self.in_flight.is_some() {
            // Still waiting for `record`; asking again changes nothing.
            return Step::Call {
                attempt: self.attempts,
                timeout: self.policy.timeouts.attempt_timeout(self.start, now),
            };
        }
        if self.deadline().is_some_and(|d| now >= d) {
            return self.give_up(GiveUp::DeadlineExceeded, None);
        }
        if now < self.not_before {
            return Step::Wait(self.not_before.saturating_since(now));
        }
        let permit = match &self.policy.breaker {
            Some(b) => match b.try_acquire(now) {
                Ok(p) => Some(p),
                Err(r) => {
                    let attempts = self.attempts;
                    return self.finish(Verdict::Rejected {
                        attempts,
                        by: Refusal::CircuitOpen {
                            state: r.state,
                            retry_after: r.retry_after,
                        },
                    });
                }
            },
            None => None,
        };
        let refuse = |this: &mut Self, by: Refusal| {
            if let (Some(b), Some(p)) = (&this.policy.breaker, permit) {
                b.record(now, p, Outcome::ignored(Duration::ZERO));
            }
            let attempts = this.attempts;
            this.finish(Verdict::Rejected { attempts, by })
        };
        if let Some(l) = &self.policy.limiter {
            let mut l = l.lock().unwrap_or_else(|e| e.into_inner());
            if let Ok(RateDecision::Denied { retry_after }) = l.check(now, 1) {
                drop(l);
                return refuse(self, Refusal::RateLimited { retry_after });
            }
        }
        let mut held = false;
        if let Some(b) = &self.policy.bulkhead {
            match b.try_enter(now) {
                Admission::Admitted => held = true,
                Admission::Queued(t) => {
                    b.cancel(t);
                    return refuse(self, Refusal::BulkheadFull);
                }
                Admission::Rejected { .. } => return refuse(self, Refusal::BulkheadFull),
            }
        }
        self.attempts += 1;
        self.in_flight = Some((permit, held));
        Step::Call {
            attempt: self.attempts,
            timeout: self.policy.timeouts.attempt_timeout(self.start, now),
        }
    }

    /// Records the outcome of the attempt `next` asked for, returning what to do next.
    pub fn record(
        &mut self,
        now: Instant,
        outcome: CallOutcome,
        took: Duration,
    ) -> Result<Step, NoAttempt> {
        self.record_with_pushback(now, outcome, took, None)
    }

    /// As [`Execution::record`], with the server's pushback (`Retry-After`,
    /// `grpc-retry-pushback-ms`): `Some(Ok(d))` replaces the computed wait, `Some(Err(()))`
    /// (a negative or malformed pushback) stops retrying.
    pub fn record_with_pushback(
        &mut self,
        now: Instant,
        outcome: CallOutcome,
        took: Duration,
        pushback: Option<Result<Duration, ()>>,
    ) -> Result<Step, NoAttempt> {
        let (permit, held) = self.in_flight.take().ok_or(NoAttempt)?;
        if held {
            if let Some(b) = &self.policy.bulkhead {
                // The slot was taken in `next`; a queue is never used here, so nobody is promoted.
                let _ = b.release(now);
            }
        }
        let ok = outcome.is_success();
        if let (Some(b), Some(p)) = (&self.policy.breaker, permit) {
            b.record(
                now,
                p,
                if ok {
                    Outcome::success(took)
                } else {
                    Outcome::failure(took)
                },
            );
        }
        if ok {
            let attempts = self.attempts;
            return Ok(self.finish(Verdict::Succeeded { attempts }));
        }
        let Some((retry, on)) = &self.policy.retry else {
            return Ok(self.give_up(GiveUp::AttemptsExhausted, Some(outcome)));
        };
        if !on.should_retry(outcome) {
            return Ok(self.give_up(GiveUp::NotRetryable, Some(outcome)));
        }
        if self.attempts >= retry.max_attempts {
            return Ok(self.give_up(GiveUp::AttemptsExhausted, Some(outcome)));
        }
        let computed = self
            .delays
            .get(self.attempts as usize - 1)
            .copied()
            .unwrap_or_default();
        let Some(wait) = RetryPolicy::with_pushback(computed, pushback) else {
            return Ok(self.give_up(GiveUp::Pushback, Some(outcome)));
        };
        let at = now.saturating_add(wait);
        if self.deadline().is_some_and(|d| at >= d) {
            return Ok(self.give_up(GiveUp::DeadlineExceeded, Some(outcome)));
        }
        self.not_before = at;
        Ok(if wait.is_zero() {
            self.next(now)
        } else {
            Step::Wait(wait)
        })
    }

    /// The computed waits before retries 1, 2, … (drawn from the seed; pushback may replace
    /// them).
    pub fn delay_plan(&self) -> &[Duration] {
        &self.delays
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}
