//! A circuit breaker with resilience4j's model: states closed, open, half-open, disabled,
//! forced-open and metrics-only; count-based or time-based sliding windows with O(1) updates;
//! failure-rate and slow-call-rate thresholds after a minimum number of calls; a bounded number
//! of trial calls in half-open (with an optional maximum wait there); a wait in open that may
//! grow with each consecutive opening; and the seed design's consecutive-failures trip.
//!
//! Time is an argument (`now`), never read. Defaults are resilience4j's: failure rate 50 %,
//! slow-call rate 100 %, slow call 60 s, count-based window of 100, minimum 100 calls, 60 s open,
//! 10 calls in half-open, no automatic open → half-open transition. As in resilience4j, a
//! count-based window never needs more calls than it holds (`minimum = min(minimum, size)`),
//! and without automatic transition an open breaker turns half-open when a call is attempted
//! after the wait.
//!
//! ```
//! use cnarch_core::resilience::breaker::{BreakerConfig, CircuitBreaker, Outcome, State};
//! use cnarch_core::time::Instant;
//! use std::time::Duration;
//! let cb = CircuitBreaker::new(BreakerConfig { sliding_window_size: 4, minimum_number_of_calls: 4, ..Default::default() }).unwrap();
//! let t = Instant::ZERO;
//! for ok in [true, false, false, true] {
//!     let permit = cb.try_acquire(t).unwrap();
//!     cb.record(t, permit, if ok { Outcome::success(Duration::ZERO) } else { Outcome::failure(Duration::ZERO) });
//! }
//! assert_eq!(cb.state(t), State::Open); // 50 % failures reach the 50 % threshold
//! assert!(cb.try_acquire(t).is_err());
//! ```

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::time::Instant;

/// Breaker states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Calls pass; outcomes are measured.
    Closed,
    /// Calls are rejected until the wait is over.
    Open,
    /// A limited number of trial calls pass.
    HalfOpen,
    /// Calls pass; nothing is measured.
    Disabled,
    /// Calls are rejected until moved out by hand.
    ForcedOpen,
    /// Calls pass; outcomes are measured; the state never changes by itself.
    MetricsOnly,
}

impl State {
    /// The snake_case name (`"half_open"`), as in JSON and the bindings.
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Closed => "closed",
            State::Open => "open",
            State::HalfOpen => "half_open",
            State::Disabled => "disabled",
            State::ForcedOpen => "forced_open",
            State::MetricsOnly => "metrics_only",
        }
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for State {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [State::Closed, State::Open, State::HalfOpen, State::Disabled, State::ForcedOpen, State::MetricsOnly]
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("expected a breaker state (closed, open, half_open, disabled, forced_open, metrics_only), found `{s}`"))
    }
}

/// Count- or time-based sliding window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowType {
    /// The last `size` calls.
    CountBased,
    /// The calls of the last `size` seconds.
    TimeBased,
}

/// Configuration; field names are resilience4j's in snake_case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BreakerConfig {
    /// Failure rate (percent, (0, 100]) at or above which the breaker opens.
    pub failure_rate_threshold: f64,
    /// Slow-call rate (percent, (0, 100]) at or above which the breaker opens.
    pub slow_call_rate_threshold: f64,
    /// Calls at least this long are slow.
    pub slow_call_duration_threshold: Duration,
    /// Window kind.
    pub sliding_window_type: WindowType,
    /// Calls (count-based) or seconds (time-based) in the window.
    pub sliding_window_size: u32,
    /// Calls needed before rates are computed.
    pub minimum_number_of_calls: u32,
    /// Trial calls in half-open.
    pub permitted_number_of_calls_in_half_open_state: u32,
    /// Longest stay in half-open before opening again (zero: no limit).
    pub max_wait_duration_in_half_open_state: Duration,
    /// Wait in open before half-open.
    pub wait_duration_in_open_state: Duration,
    /// Each consecutive opening multiplies the wait by this (1: fixed).
    pub wait_multiplier: f64,
    /// Cap on the growing wait.
    pub max_wait_duration_in_open_state: Duration,
    /// Turn half-open when the wait is over even without a call.
    pub automatic_transition_from_open_to_half_open_enabled: bool,
    /// Also open after this many consecutive failures (the design's `ConsecutiveErrors`).
    pub consecutive_failures: Option<u32>,
}

impl Default for BreakerConfig {
    fn default() -> Self {
        BreakerConfig {
            failure_rate_threshold: 50.0,
            slow_call_rate_threshold: 100.0,
            slow_call_duration_threshold: Duration::from_secs(60),
            sliding_window_type: WindowType::CountBased,
            sliding_window_size: 100,
            minimum_number_of_calls: 100,
            permitted_number_of_calls_in_half_open_state: 10,
            max_wait_duration_in_half_open_state: Duration::ZERO,
            wait_duration_in_open_state: Duration::from_secs(60),
            wait_multiplier: 1.0,
            max_wait_duration_in_open_state: Duration::from_secs(60),
            automatic_transition_from_open_to_half_open_enabled: false,
            consecutive_failures: None,
        }
    }
}

/// Why a configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid circuit breaker config: {0}")]
pub struct BreakerConfigError(String);

impl BreakerConfigError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        "invalid_breaker_config"
    }
}

impl BreakerConfig {
    fn check(&self) -> Result<(), BreakerConfigError> {
        let pct = |v: f64, name: &str| {
            if v > 0.0 && v <= 100.0 {
                Ok(())
            } else {
                Err(BreakerConfigError(format!(
                    "expected {name} in (0, 100], found {v}"
                )))
            }
        };
        pct(self.failure_rate_threshold, "failure_rate_threshold")?;
        pct(self.slow_call_rate_threshold, "slow_call_rate_threshold")?;
        for (v, name) in [
            (self.sliding_window_size, "sliding_window_size"),
            (self.minimum_number_of_calls, "minimum_number_of_calls"),
            (
                self.permitted_number_of_calls_in_half_open_state,
                "permitted_number_of_calls_in_half_open_state",
            ),
        ] {
            if v == 0 {
                return Err(BreakerConfigError(format!(
                    "expected {name} of at least 1, found 0"
                )));
            }
        }
        if !(self.wait_multiplier.is_finite() && self.wait_multiplier >= 1.0) {
            return Err(BreakerConfigError(format!(
                "expected wait_multiplier of at least 1, found {}",
                self.wait_multiplier
            )));
        }
        if self.consecutive_failures == Some(0) {
            return Err(BreakerConfigError(
                "expected consecutive_failures of at least 1, found 0".into(),
            ));
        }
        Ok(())
    }
}

/// The outcome of a protected call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Success, failure, or ignored (not counted).
    pub kind: OutcomeKind,
    /// How long the call took.
    pub duration: Duration,
}

/// Outcome kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutcomeKind {
    /// Counted as a success.
    Success,
    /// Counted as a failure.
    Failure,
    /// Not counted (resilience4j's ignored exceptions).
    Ignored,
}

impl Outcome {
    /// A success.
    pub fn success(duration: Duration) -> Outcome {
        Outcome {
            kind: OutcomeKind::Success,
            duration,
        }
    }
    /// A failure.
    pub fn failure(duration: Duration) -> Outcome {
        Outcome {
            kind: OutcomeKind::Failure,
            duration,
        }
    }
    /// Not counted.
    pub fn ignored(duration: Duration) -> Outcome {
        Outcome {
            kind: OutcomeKind::Ignored,
            duration,
        }
    }
}

/// Permission for one call; give it back with [`CircuitBreaker::record`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "record the outcome with CircuitBreaker::record"]
pub struct Permit {
    generation: u64,
}

/// A refused call: the state and, when known, how long until a call may pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rejected {
    /// The state that refused it.
    pub state: State,
    /// Wait until the breaker may let calls through (`None`: not by waiting alone).
    pub retry_after: Option<Duration>,
}

/// Rates and counts over the current window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    /// Percent of failed calls, `None` below the minimum number of calls.
    pub failure_rate: Option<f64>,
    /// Percent of slow calls, `None` below the minimum number of calls.
    pub slow_call_rate: Option<f64>,
    /// Calls in the window.
    pub calls: u32,
    /// Failed calls in the window.
    pub failed: u32,
    /// Slow calls in the window.
    pub slow: u32,
    /// Calls refused since the breaker was created.
    pub not_permitted: u64,
}

/// A state change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// When.
    #[serde(skip)]
    pub at: Instant,
    /// From.
    pub from: State,
    /// To.
    pub to: State,
}

#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    calls: u32,
    failed: u32,
    slow: u32,
}

impl Tally {
    fn add(&mut self, failed: bool, slow: bool) {
        self.calls += 1;
        self.failed += u32::from(failed);
        self.slow += u32::from(slow);
    }
    fn sub(&mut self, o: Tally) {
        self.calls -= o.calls;
        self.failed -= o.failed;
        self.slow -= o.slow;
    }
}

/// O(1) sliding windows: a ring of single calls, or of one-second buckets.
#[derive(Debug, Clone)]
enum Window {
    Count {
        ring: VecDeque<(bool, bool)>,
        size: usize,
        total: Tally,
    },
    Time {
        buckets: VecDeque<(u64, Tally)>,
        seconds: u64,
        total: Tally,
    },
}

impl Window {
    fn new(c: &BreakerConfig) -> Window {
        match c.sliding_window_type {
            WindowType::CountBased => Window::Count {
                ring: VecDeque::new(),
                size: c.sliding_window_size as usize,
                total: Tally::default(),
            },
            WindowType::TimeBased => Window::Time {
                buckets: VecDeque::new(),
                seconds: u64::from(c.sliding_window_size),
                total: Tally::default(),
            },
        }
    }

    fn expire(&mut self, now: Instant) {
        if let Window::Time {
            buckets,
            seconds,
            total,
        } = self
        {
            let sec = now.as_nanos() / 1_000_000_000;
            while let Some((s, t)) = buckets.front() {
                if *s + *seconds <= sec {
                    total.sub(*t);
                    buckets.pop_front();
                } else {
                    break;
                }
            }
        }
    }

    fn add(&mut self, now: Instant, failed: bool, slow: bool) {
        self.expire(now);
        match self {
            Window::Count { ring, size, total } => {
                if ring.len() == *size {
                    if let Some((f, s)) = ring.pop_front() {
                        let mut t = Tally::default();
                        t.add(f, s);
                        total.sub(t);
                    }
                }
                ring.push_back((failed, slow));
                total.add(failed, slow);
            }
            Window::Time { buckets, total, .. } => {
                let sec = now.as_nanos() / 1_000_000_000;
                match buckets.back_mut() {
                    Some((s, t)) if *s == sec => t.add(failed, slow),
                    _ => {
                        let mut t = Tally::default();
                        t.add(failed, slow);
                        buckets.push_back((sec, t));
                    }
                }
                total.add(failed, slow);
            }
        }
    }

    fn total(&mut self, now: Instant) -> Tally {
        self.expire(now);
        match self {
            Window::Count { total, .. } | Window::Time { total, .. } => *total,
        }
    }
}

#[derive(Debug)]
struct Inner {
    state: State,
    generation: u64,
    window: Window,
    /// When the current open period ends.
    open_until: Instant,
    /// Consecutive openings without closing (for the growing wait).
    openings: u32,
    half_open_since: Instant,
    half_open_permits: u32,
    half_open: Tally,
    consecutive_failures: u32,
    not_permitted: u64,
    transitions: Vec<Transition>,
}

/// A thread-safe circuit breaker (`Send + Sync`); all methods take `now`.
#[derive(Debug)]
pub struct CircuitBreaker {
    config: BreakerConfig,
    minimum: u32,
    inner: Mutex<Inner>,
}

impl CircuitBreaker {
    /// A closed breaker.
    pub fn new(config: BreakerConfig) -> Result<CircuitBreaker, BreakerConfigError> {
        config.check()?;
        let minimum = match config.sliding_window_type {
            WindowType::CountBased => config
                .minimum_number_of_calls
                .min(config.sliding_window_size),
            WindowType::TimeBased => config.minimum_number_of_calls,
        };
        let inner = Inner {
            state: State::Closed,
            generation: 0,
            window: Window::new(&config),
            open_until: Instant::ZERO,
            openings: 0,
            half_open_since: Instant::ZERO,
            half_open_permits: 0,
            half_open: Tally::default(),
            consecutive_failures: 0,
            not_permitted: 0,
            transitions: Vec::new(),
        };
        Ok(CircuitBreaker {
            config,
            minimum,
            inner: Mutex::new(inner),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &BreakerConfig {
        &self.config
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock only means another thread panicked mid-update; the counters are
        // still consistent enough to keep serving.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn open_wait(&self, openings: u32) -> Duration {
        let base = self.config.wait_duration_in_open_state.as_secs_f64();
        let grown = base
            * self
                .config
                .wait_multiplier
                .powi(openings.saturating_sub(1).min(1000) as i32);
        let cap = self
            .config
            .max_wait_duration_in_open_state
            .max(self.config.wait_duration_in_open_state)
            .as_secs_f64();
        Duration::from_secs_f64(grown.min(cap).max(0.0))
    }

    fn transition(&self, s: &mut Inner, now: Instant, to: State) {
        if s.state == to {
            return;
        }
        s.transitions.push(Transition {
            at: now,
            from: s.state,
            to,
        });
        s.state = to;
        s.generation += 1;
        match to {
            State::Open => {
                s.openings += 1;
                s.open_until = now.saturating_add(self.open_wait(s.openings));
            }
            State::HalfOpen => {
                s.half_open_since = now;
                s.half_open_permits = 0;
                s.half_open = Tally::default();
            }
            State::Closed => {
                s.openings = 0;
                s.window = Window::new(&self.config);
                s.consecutive_failures = 0;
            }
            _ => {}
        }
    }

    /// Applies time-driven transitions (automatic half-open, half-open timeout).
    fn tick(&self, s: &mut Inner, now: Instant, attempting: bool) {
        if s.state == State::Open
            && now >= s.open_until
            && (attempting
                || self
                    .config
                    .automatic_transition_from_open_to_half_open_enabled)
        {
            let at = if attempting { now } else { s.open_until };
            self.transition(s, at, State::HalfOpen);
        }
        let max_half = self.config.max_wait_duration_in_half_open_state;
        if s.state == State::HalfOpen
            && !max_half.is_zero()
            && now.saturating_since(s.half_open_since) >= max_half
        {
            let at = s.half_open_since.saturating_add(max_half);
            self.transition(s, at, State::Open);
        }
    }

    /// The state at `now`.
    pub fn state(&self, now: Instant) -> State {
        let mut s = self.lock();
        self.tick(&mut s, now, false);
        s.state
    }

    /// Asks to make a call.
    pub fn try_acquire(&self, now: Instant) -> Result<Permit, Rejected> {
        let mut s = self.lock();
        self.tick(&mut s, now, true);
        let reject = |s: &mut Inner, retry_after| {
            s.not_permitted += 1;
            Err(Rejected {
                state: s.state,
                retry_after,
            })
        };
        match s.state {
            State::Closed | State::Disabled | State::MetricsOnly => Ok(Permit {
                generation: s.generation,
            }),
            State::ForcedOpen => reject(&mut s, None),
            State::Open => {
                let wait = s.open_until.saturating_since(now);
                reject(&mut s, Some(wait))
            }
            State::HalfOpen => {
                if s.half_open_permits < self.config.permitted_number_of_calls_in_half_open_state {
                    s.half_open_permits += 1;
                    Ok(Permit {
                        generation: s.generation,
                    })
                } else {
                    reject(&mut s, None)
                }
            }
        }
    }

    /// Records the outcome of a permitted call. Outcomes of calls permitted before the last
    /// state change are not counted.
    pub fn record(&self, now: Instant, permit: Permit, outcome: Outcome) {
        let mut s = self.lock();
        self.tick(&mut s, now, false);
        if permit.generation != s.generation {
            return;
        }
        let failed = outcome.kind == OutcomeKind::Failure;
        let slow = outcome.duration >= self.config.slow_call_duration_threshold;
        if outcome.kind == OutcomeKind::Ignored {
            if s.state == State::HalfOpen {
                s.half_open_permits = s.half_open_permits.saturating_sub(1);
            }
            return;
        }
        match s.state {
            State::Closed | State::MetricsOnly => {
                s.window.add(now, failed, slow);
                s.consecutive_failures = if failed {
                    s.consecutive_failures + 1
                } else {
                    0
                };
                if s.state == State::Closed {
                    let t = s.window.total(now);
                    let tripped_rate = t.calls >= self.minimum && self.exceeds(t);
                    let tripped_run = self
                        .config
                        .consecutive_failures
                        .is_some_and(|n| s.consecutive_failures >= n);
                    if tripped_rate || tripped_run {
                        self.transition(&mut s, now, State::Open);
                    }
                }
            }
            State::HalfOpen => {
                s.half_open.add(failed, slow);
                let t = s.half_open;
                if t.calls >= self.config.permitted_number_of_calls_in_half_open_state {
                    let to = if self.exceeds(t) {
                        State::Open
                    } else {
                        State::Closed
                    };
                    self.transition(&mut s, now, to);
                }
            }
            State::Open | State::ForcedOpen | State::Disabled => {}
        }
    }

    fn exceeds(&self, t: Tally) -> bool {
        let rate = |n: u32| f64::from(n) * 100.0 / f64::from(t.calls.max(1));
        rate(t.failed) >= self.config.failure_rate_threshold
            || rate(t.slow) >= self.config.slow_call_rate_threshold
    }

    /// Rates and counts at `now`.
    pub fn metrics(&self, now: Instant) -> Metrics {
        let mut s = self.lock();
        self.tick(&mut s, now, false);
        let t = if s.state == State::HalfOpen {
            s.half_open
        } else {
            s.window.total(now)
        };
        let enough = if s.state == State::HalfOpen {
            t.calls >= self.config.permitted_number_of_calls_in_half_open_state
        } else {
            t.calls >= self.minimum
        };
        let rate = |n: u32| enough.then(|| f64::from(n) * 100.0 / f64::from(t.calls.max(1)));
        Metrics {
            failure_rate: rate(t.failed),
            slow_call_rate: rate(t.slow),
            calls: t.calls,
            failed: t.failed,
            slow: t.slow,
            not_permitted: s.not_permitted,
        }
    }

    /// Moves to a state by hand (resilience4j's `transitionTo*`).
    pub fn transition_to(&self, now: Instant, to: State) {
        let mut s = self.lock();
        self.transition(&mut s, now, to);
    }

    /// The state changes since the last call, oldest first.
    pub fn take_transitions(&self) -> Vec<Transition> {
        std::mem::take(&mut self.lock().transitions)
    }
}
