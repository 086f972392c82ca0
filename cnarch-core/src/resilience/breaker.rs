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

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::sync::{Arc, Mutex};
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
    type Err = crate::error::UnknownName;
    fn from_str(s: &str) -> Result<Self, crate::error::UnknownName> {
        [State::Closed, State::Open, State::HalfOpen, State::Disabled, State::ForcedOpen, State::MetricsOnly]
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| crate::error::UnknownName::new("state", format!("expected a breaker state (closed, open, half_open, disabled, forced_open, metrics_only), found `{s}`")))
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

crate::error::field_error!(
    /// Why a configuration was refused.
    BreakerConfigError,
    "invalid circuit breaker config: ",
    "invalid_breaker_config",
    crate::error::ErrorKind::Config
);

impl BreakerConfig {
    fn check(&self) -> Result<(), BreakerConfigError> {
        let pct = |v: f64, name: &str| {
            if v > 0.0 && v <= 100.0 {
                Ok(())
            } else {
                Err(BreakerConfigError::new(
                    name,
                    format!("expected {name} in (0, 100], found {v}"),
                ))
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
                return Err(BreakerConfigError::new(
                    name,
                    format!("expected {name} of at least 1, found 0"),
                ));
            }
        }
        if !(self.wait_multiplier.is_finite() && self.wait_multiplier >= 1.0) {
            return Err(BreakerConfigError::new(
                "wait_multiplier",
                format!(
                    "expected wait_multiplier of at least 1, found {}",
                    self.wait_multiplier
                ),
            ));
        }
        if self.consecutive_failures == Some(0) {
            return Err(BreakerConfigError::new(
                "consecutive_failures",
                "expected consecutive_failures of at least 1, found 0",
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
        Ok(CircuitBreaker::from_checked(config))
    }

    fn from_checked(config: BreakerConfig) -> CircuitBreaker {
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
        CircuitBreaker {
            config,
            minimum,
            inner: Mutex::new(inner),
        }
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
        // A cap near Duration::MAX rounds up to 2^64 s as a float: saturate rather than panic.
        Duration::try_from_secs_f64(grown.min(cap).max(0.0)).unwrap_or(Duration::MAX)
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

/// One window entry of a [`BreakerSnapshot`]: a single call (count-based window) or a
/// one-second bucket (time-based, `second` since the clock's zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WindowEntry {
    /// The bucket's second (time-based windows only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second: Option<u64>,
    /// Calls.
    pub calls: u32,
    /// Failed calls.
    pub failed: u32,
    /// Slow calls.
    pub slow: u32,
}

/// Everything a breaker remembers, for a host to persist and restore (serde; instants are
/// nanoseconds on the caller's clock). Permits issued before a snapshot are not valid after a
/// restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BreakerSnapshot {
    /// State.
    pub state: State,
    /// Window contents, oldest first.
    pub window: Vec<WindowEntry>,
    /// When the current open period ends.
    pub open_until_ns: u64,
    /// Consecutive openings (for the growing wait).
    pub openings: u32,
    /// When half-open began.
    pub half_open_since_ns: u64,
    /// Trial calls admitted in half-open.
    pub half_open_permits: u32,
    /// Trial outcomes so far: calls, failed, slow.
    pub half_open: [u32; 3],
    /// Consecutive failures.
    pub consecutive_failures: u32,
    /// Calls refused.
    pub not_permitted: u64,
}

crate::error::field_error!(
    /// A snapshot that does not fit the configuration.
    SnapshotError,
    "invalid breaker snapshot: ",
    "invalid_breaker_snapshot",
    crate::error::ErrorKind::Config
);

impl CircuitBreaker {
    /// The breaker's state as data.
    pub fn snapshot(&self) -> BreakerSnapshot {
        let s = self.lock();
        let window = match &s.window {
            Window::Count { ring, .. } => ring
                .iter()
                .map(|&(f, sl)| WindowEntry {
                    second: None,
                    calls: 1,
                    failed: u32::from(f),
                    slow: u32::from(sl),
                })
                .collect(),
            Window::Time { buckets, .. } => buckets
                .iter()
                .map(|(sec, t)| WindowEntry {
                    second: Some(*sec),
                    calls: t.calls,
                    failed: t.failed,
                    slow: t.slow,
                })
                .collect(),
        };
        BreakerSnapshot {
            state: s.state,
            window,
            open_until_ns: s.open_until.as_nanos(),
            openings: s.openings,
            half_open_since_ns: s.half_open_since.as_nanos(),
            half_open_permits: s.half_open_permits,
            half_open: [s.half_open.calls, s.half_open.failed, s.half_open.slow],
            consecutive_failures: s.consecutive_failures,
            not_permitted: s.not_permitted,
        }
    }

    /// A breaker with `config` in the state `snap` describes; the window must fit the
    /// configuration (kind and size) and counts must be consistent.
    pub fn restore(
        config: BreakerConfig,
        snap: &BreakerSnapshot,
    ) -> Result<CircuitBreaker, SnapshotError> {
        let cb = CircuitBreaker::new(config).map_err(|e| {
            let BreakerConfigError::Field { field, message } = e;
            SnapshotError::new(field, message)
        })?;
        let [hc, hf, hs] = snap.half_open;
        if hf > hc || hs > hc {
            return Err(SnapshotError::new(
                "half_open",
                "half_open: failed and slow cannot exceed calls",
            ));
        }
        let mut window = Window::new(&cb.config);
        match &mut window {
            Window::Count { ring, size, total } => {
                if snap.window.len() > *size {
                    return Err(SnapshotError::new(
                        "window",
                        format!(
                            "window: expected at most {} calls (sliding_window_size), found {}",
                            size,
                            snap.window.len()
                        ),
                    ));
                }
                for (i, e) in snap.window.iter().enumerate() {
                    if e.second.is_some() || e.calls != 1 || e.failed > 1 || e.slow > 1 {
                        return Err(SnapshotError::new(
                            format!("window[{i}]"),
                            format!(
                            "window[{i}]: expected one call without `second` (count-based window)"
                        ),
                        ));
                    }
                    ring.push_back((e.failed == 1, e.slow == 1));
                    total.add(e.failed == 1, e.slow == 1);
                }
            }
            Window::Time { buckets, total, .. } => {
                let mut last = None;
                for (i, e) in snap.window.iter().enumerate() {
                    let Some(sec) = e.second else {
                        return Err(SnapshotError::new(
                            format!("window[{i}]"),
                            format!("window[{i}]: expected `second` (time-based window)"),
                        ));
                    };
                    if last.is_some_and(|l| sec <= l) || e.failed > e.calls || e.slow > e.calls {
                        return Err(SnapshotError::new(
                            format!("window[{i}]"),
                            format!(
                                "window[{i}]: expected increasing seconds and failed, slow ≤ calls"
                            ),
                        ));
                    }
                    last = Some(sec);
                    let t = Tally {
                        calls: e.calls,
                        failed: e.failed,
                        slow: e.slow,
                    };
                    total.calls = total.calls.saturating_add(t.calls);
                    total.failed = total.failed.saturating_add(t.failed);
                    total.slow = total.slow.saturating_add(t.slow);
                    buckets.push_back((sec, t));
                }
            }
        }
        {
            let mut s = cb.lock();
            s.state = snap.state;
            s.window = window;
            s.open_until = Instant::from_nanos(snap.open_until_ns);
            s.openings = snap.openings;
            s.half_open_since = Instant::from_nanos(snap.half_open_since_ns);
            s.half_open_permits = snap.half_open_permits;
            s.half_open = Tally {
                calls: hc,
                failed: hf,
                slow: hs,
            };
            s.consecutive_failures = snap.consecutive_failures;
            s.not_permitted = snap.not_permitted;
            s.generation = 1;
        }
        Ok(cb)
    }
}

/// One breaker per key (host, route, client), created on first use from one configuration.
#[derive(Debug)]
pub struct BreakerRegistry<K> {
    config: BreakerConfig,
    breakers: Mutex<HashMap<K, Arc<CircuitBreaker>>>,
}

impl<K: Hash + Eq + Clone> BreakerRegistry<K> {
    /// A registry whose breakers share `config`.
    pub fn new(config: BreakerConfig) -> Result<Self, BreakerConfigError> {
        config.check()?;
        Ok(BreakerRegistry {
            config,
            breakers: Mutex::new(HashMap::new()),
        })
    }

    /// The breaker for `key`, created closed when new.
    pub fn get(&self, key: &K) -> Arc<CircuitBreaker> {
        let mut m = self.breakers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(b) = m.get(key) {
            return Arc::clone(b);
        }
        let b = Arc::new(CircuitBreaker::from_checked(self.config.clone()));
        m.insert(key.clone(), Arc::clone(&b));
        b
    }

    /// Keys with a breaker.
    pub fn keys(&self) -> Vec<K> {
        let m = self.breakers.lock().unwrap_or_else(|e| e.into_inner());
        m.keys().cloned().collect()
    }

    /// Snapshots of every breaker.
    pub fn snapshot(&self) -> Vec<(K, BreakerSnapshot)> {
        let m = self.breakers.lock().unwrap_or_else(|e| e.into_inner());
        m.iter().map(|(k, b)| (k.clone(), b.snapshot())).collect()
    }
}
