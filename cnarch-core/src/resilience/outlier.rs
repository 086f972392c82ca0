//! Outlier detection as Envoy runs it (and Istio configures it): per-host consecutive 5xx and
//! gateway-error counters that eject inline, an interval sweep that returns hosts whose ejection
//! time is over and ejects hosts by success rate (mean − factor × stdev) or failure percentage,
//! ejection time = base × a per-host backoff (capped, optionally jittered), and a cap on the share
//! of hosts ejected at once.
//!
//! The detector is a value: results and sweeps happen at the `now` the caller passes. Sweeps run
//! at `start + k × interval` (the interval timer); [`OutlierDetector::advance`] runs every sweep
//! due up to `now`, and [`OutlierDetector::record`] advances first. Randomness (enforcement
//! percentages strictly between 0 and 100, ejection jitter) comes from a seeded ChaCha8.
//!
//! ```
//! use cnarch_core::resilience::outlier::{HostResult, OutlierConfig, OutlierDetector};
//! use cnarch_core::time::Instant;
//! let mut d = OutlierDetector::new(OutlierConfig::default(), Instant::ZERO, 1).unwrap();
//! for h in ["a", "b", "c"] { d.add_host(h); }
//! for _ in 0..5 { d.record(Instant::ZERO, &"a", HostResult::Status(503)); }
//! assert!(d.is_ejected(&"a"));   // 5 consecutive 5xx (one host of three may go)
//! ```

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Duration;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::retry::uniform;
use serde::{Deserialize, Serialize};

use crate::time::Instant;

/// Detector configuration: Envoy's `OutlierDetection` fields and defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutlierConfig {
    /// Time between sweeps (Envoy: 10 s).
    pub interval: Duration,
    /// Base ejection time (30 s); the real time is base × the host's backoff.
    pub base_ejection_time: Duration,
    /// Cap on the ejection time (300 s, or the base when that is larger).
    pub max_ejection_time: Option<Duration>,
    /// Up to this much random time is added to each ejection (0).
    pub max_ejection_time_jitter: Duration,
    /// Share of hosts that may be ejected at once, percent (10).
    pub max_ejection_percent: u32,
    /// One host may always be ejected, whatever the percentage allows (see the module docs of
    /// `docs/resilience.md`: cnarch defaults to `true`).
    pub always_eject_one_host: bool,
    /// Consecutive 5xx (or connect failures, timeouts) that eject (5).
    pub consecutive_5xx: u32,
    /// Percent chance such an ejection is enforced (100).
    pub enforcing_consecutive_5xx: u32,
    /// Consecutive 502/503/504 that eject (5).
    pub consecutive_gateway_failure: u32,
    /// Percent chance such an ejection is enforced (0).
    pub enforcing_consecutive_gateway_failure: u32,
    /// Hosts with enough volume needed for success-rate ejection (5).
    pub success_rate_minimum_hosts: u32,
    /// Requests in the last interval for a host to count (100).
    pub success_rate_request_volume: u32,
    /// Thousandths of a standard deviation below the mean that eject (1900 = 1.9).
    pub success_rate_stdev_factor: u32,
    /// Percent chance a success-rate ejection is enforced (100).
    pub enforcing_success_rate: u32,
    /// Failure percentage at or above which a host is ejected (85).
    pub failure_percentage_threshold: u32,
    /// Hosts with enough volume needed for failure-percentage ejection (5).
    pub failure_percentage_minimum_hosts: u32,
    /// Requests in the last interval for a host to count (50).
    pub failure_percentage_request_volume: u32,
    /// Percent chance a failure-percentage ejection is enforced (0).
    pub enforcing_failure_percentage: u32,
}

impl Default for OutlierConfig {
    fn default() -> Self {
        OutlierConfig {
            interval: Duration::from_secs(10),
            base_ejection_time: Duration::from_secs(30),
            max_ejection_time: None,
            max_ejection_time_jitter: Duration::ZERO,
            max_ejection_percent: 10,
            always_eject_one_host: true,
            consecutive_5xx: 5,
            enforcing_consecutive_5xx: 100,
            consecutive_gateway_failure: 5,
            enforcing_consecutive_gateway_failure: 0,
            success_rate_minimum_hosts: 5,
            success_rate_request_volume: 100,
            success_rate_stdev_factor: 1900,
            enforcing_success_rate: 100,
            failure_percentage_threshold: 85,
            failure_percentage_minimum_hosts: 5,
            failure_percentage_request_volume: 50,
            enforcing_failure_percentage: 0,
        }
    }
}

impl OutlierConfig {
    /// What Istio's `outlierDetection { consecutive5xxErrors, interval, baseEjectionTime }`
    /// programs into Envoy: success-rate ejection off, consecutive 5xx enforced when non-zero.
    pub fn istio(
        consecutive_5xx_errors: u32,
        interval: Duration,
        base_ejection_time: Duration,
    ) -> Self {
        OutlierConfig {
            interval,
            base_ejection_time,
            consecutive_5xx: consecutive_5xx_errors,
            enforcing_consecutive_5xx: if consecutive_5xx_errors > 0 { 100 } else { 0 },
            enforcing_success_rate: 0,
            ..OutlierConfig::default()
        }
    }

    /// The effective cap on the ejection time.
    pub fn max_ejection(&self) -> Duration {
        self.max_ejection_time
            .unwrap_or_else(|| Duration::from_secs(300).max(self.base_ejection_time))
    }

    fn check(&self) -> Result<(), OutlierConfigError> {
        if self.interval.is_zero() {
            return Err(OutlierConfigError::new(
                "interval",
                "expected a positive interval, found 0s",
            ));
        }
        if self.max_ejection() < self.base_ejection_time {
            return Err(OutlierConfigError::new(
                "max_ejection_time",
                format!(
                    "max_ejection_time ({:?}) cannot be smaller than base_ejection_time ({:?})",
                    self.max_ejection(),
                    self.base_ejection_time
                ),
            ));
        }
        for (v, name) in [
            (self.max_ejection_percent, "max_ejection_percent"),
            (self.enforcing_consecutive_5xx, "enforcing_consecutive_5xx"),
            (
                self.enforcing_consecutive_gateway_failure,
                "enforcing_consecutive_gateway_failure",
            ),
            (self.enforcing_success_rate, "enforcing_success_rate"),
            (
                self.enforcing_failure_percentage,
                "enforcing_failure_percentage",
            ),
            (
                self.failure_percentage_threshold,
                "failure_percentage_threshold",
            ),
        ] {
            if v > 100 {
                return Err(OutlierConfigError::new(
                    name,
                    format!("expected {name} in [0, 100], found {v}"),
                ));
            }
        }
        Ok(())
    }
}

impl From<&crate::model::mesh::CircuitBreaker> for OutlierConfig {
    /// The seed design's `CircuitBreaker{ConsecutiveErrors, Interval, Timeout}` is Istio's
    /// outlier detection: consecutive 5xx errors, sweep interval, base ejection time.
    fn from(c: &crate::model::mesh::CircuitBreaker) -> Self {
        OutlierConfig::istio(
            u32::try_from(c.consecutive_errors).unwrap_or(0),
            c.interval.to_std().unwrap_or_default(),
            c.timeout.to_std().unwrap_or_default(),
        )
    }
}

crate::error::field_error!(
    /// Why a configuration was refused.
    OutlierConfigError,
    "invalid outlier detection config: ",
    "invalid_outlier_config",
    crate::error::ErrorKind::Config
);

/// The result of one request to a host. Local-origin events count as Envoy counts them when
/// external and local errors are not split: a connect failure as 503, a timeout as 504.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostResult {
    /// An HTTP status from the host.
    Status(u16),
    /// The connection could not be made.
    ConnectFailure,
    /// The request timed out.
    Timeout,
}

impl HostResult {
    fn status(self) -> u16 {
        match self {
            HostResult::Status(s) => s,
            HostResult::ConnectFailure => 503,
            HostResult::Timeout => 504,
        }
    }
}

impl std::str::FromStr for HostResult {
    type Err = crate::error::UnknownName;
    /// An HTTP status (`"503"`), `"connect_failure"` or `"timeout"`.
    fn from_str(s: &str) -> Result<Self, crate::error::UnknownName> {
        match s {
            "connect_failure" => Ok(HostResult::ConnectFailure),
            "timeout" => Ok(HostResult::Timeout),
            other => match other.parse::<u16>() {
                Ok(code) if (100..600).contains(&code) => Ok(HostResult::Status(code)),
                _ => Err(crate::error::UnknownName::new(
                    "result",
                    format!("expected an HTTP status (100-599), connect_failure or timeout, found `{other}`"),
                )),
            },
        }
    }
}

/// Which detector ejected a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EjectionKind {
    /// `consecutive_5xx` in a row.
    Consecutive5xx,
    /// `consecutive_gateway_failure` 502/503/504 in a row.
    ConsecutiveGatewayFailure,
    /// Success rate below mean − factor × stdev.
    SuccessRate,
    /// Failure percentage at or above the threshold.
    FailurePercentage,
}

impl EjectionKind {
    /// The snake_case name.
    pub fn as_str(&self) -> &'static str {
        match self {
            EjectionKind::Consecutive5xx => "consecutive_5xx",
            EjectionKind::ConsecutiveGatewayFailure => "consecutive_gateway_failure",
            EjectionKind::SuccessRate => "success_rate",
            EjectionKind::FailurePercentage => "failure_percentage",
        }
    }
}

/// What happened to a host, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutlierAction {
    /// Ejected for `duration` (served out at the first sweep after it).
    Eject {
        /// Detector.
        kind: EjectionKind,
        /// Ejection time: min(base × backoff, max) + jitter.
        duration: Duration,
    },
    /// Returned to service.
    Uneject,
    /// Detected, but ejecting it would exceed `max_ejection_percent`.
    Overflow {
        /// Detector.
        kind: EjectionKind,
    },
    /// Detected, but the enforcement percentage said no.
    NotEnforced {
        /// Detector.
        kind: EjectionKind,
    },
}

impl OutlierAction {
    /// `"eject"`, `"uneject"`, `"overflow"` or `"not_enforced"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            OutlierAction::Eject { .. } => "eject",
            OutlierAction::Uneject => "uneject",
            OutlierAction::Overflow { .. } => "overflow",
            OutlierAction::NotEnforced { .. } => "not_enforced",
        }
    }
    /// The detector involved, if any.
    pub fn kind(&self) -> Option<EjectionKind> {
        match self {
            OutlierAction::Eject { kind, .. }
            | OutlierAction::Overflow { kind }
            | OutlierAction::NotEnforced { kind } => Some(*kind),
            OutlierAction::Uneject => None,
        }
    }
}

/// One decision about one host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlierEvent<H> {
    /// When.
    pub at: Instant,
    /// Which host.
    pub host: H,
    /// What.
    pub action: OutlierAction,
}

#[derive(Debug, Clone, Default)]
struct HostState {
    consecutive_5xx: u32,
    consecutive_gateway: u32,
    ejected_at: Option<Instant>,
    last_uneject: Option<Instant>,
    backoff: u32,
    jitter: Duration,
    /// (successes, total) in the current interval.
    current: (u64, u64),
    /// (successes, total) in the interval before.
    previous: (u64, u64),
}

/// The detector for one cluster of hosts keyed by `H`, in insertion order.
#[derive(Debug, Clone)]
pub struct OutlierDetector<H> {
    config: OutlierConfig,
    hosts: Vec<(H, HostState)>,
    index: HashMap<H, usize>,
    ejected: usize,
    next_sweep: Instant,
    rng: ChaCha8Rng,
    events: Vec<OutlierEvent<H>>,
}

impl<H: Clone + Eq + Hash> OutlierDetector<H> {
    /// A detector whose sweep timer starts at `start`; `seed` drives enforcement and jitter.
    pub fn new(
        config: OutlierConfig,
        start: Instant,
        seed: u64,
    ) -> Result<Self, OutlierConfigError> {
        config.check()?;
        let next_sweep = start.saturating_add(config.interval);
        Ok(OutlierDetector {
            config,
            hosts: Vec::new(),
            index: HashMap::new(),
            ejected: 0,
            next_sweep,
            rng: ChaCha8Rng::seed_from_u64(seed),
            events: Vec::new(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &OutlierConfig {
        &self.config
    }

    /// Adds a host (no-op when present).
    pub fn add_host(&mut self, host: H) {
        if !self.index.contains_key(&host) {
            self.index.insert(host.clone(), self.hosts.len());
            self.hosts.push((host, HostState::default()));
        }
    }

    /// Removes a host; returns whether it was there.
    pub fn remove_host(&mut self, host: &H) -> bool {
        let Some(i) = self.index.remove(host) else {
            return false;
        };
        let (_, st) = self.hosts.remove(i);
        if st.ejected_at.is_some() {
            self.ejected -= 1;
        }
        for (h, _) in &self.hosts[i..] {
            if let Some(j) = self.index.get_mut(h) {
                *j -= 1;
            }
        }
        true
    }

    /// Hosts known, in insertion order.
    pub fn hosts(&self) -> impl Iterator<Item = &H> {
        self.hosts.iter().map(|(h, _)| h)
    }

    /// Whether `host` is ejected now (as of the last `record`/`advance`).
    pub fn is_ejected(&self, host: &H) -> bool {
        self.index
            .get(host)
            .is_some_and(|&i| self.hosts[i].1.ejected_at.is_some())
    }

    /// Ejected hosts, in insertion order.
    pub fn ejected(&self) -> Vec<&H> {
        self.hosts
            .iter()
            .filter(|(_, s)| s.ejected_at.is_some())
            .map(|(h, _)| h)
            .collect()
    }

    /// When the next sweep runs.
    pub fn next_sweep(&self) -> Instant {
        self.next_sweep
    }

    /// Records a result from `host` at `now` (after running the sweeps due by then). Unknown
    /// hosts are added first.
    pub fn record(&mut self, now: Instant, host: &H, result: HostResult) {
        self.advance(now);
        self.add_host(host.clone());
        let Some(&i) = self.index.get(host) else {
            return;
        };
        let status = result.status();
        let five = (500..600).contains(&status);
        let st = &mut self.hosts[i].1;
        st.current.1 += 1;
        if !five {
            st.current.0 += 1;
            st.consecutive_5xx = 0;
            st.consecutive_gateway = 0;
            return;
        }
        let mut trips = Vec::new();
        if matches!(status, 502..=504) {
            st.consecutive_gateway += 1;
            if st.consecutive_gateway == self.config.consecutive_gateway_failure {
                trips.push(EjectionKind::ConsecutiveGatewayFailure);
            }
        } else {
            st.consecutive_gateway = 0;
        }
        st.consecutive_5xx += 1;
        if st.consecutive_5xx == self.config.consecutive_5xx {
            trips.push(EjectionKind::Consecutive5xx);
        }
        for kind in trips {
            // An already ejected host keeps its counters (they are reset when it returns).
            if self.hosts[i].1.ejected_at.is_some() {
                continue;
            }
            self.eject(now, i, kind);
            let st = &mut self.hosts[i].1;
            match kind {
                EjectionKind::Consecutive5xx => st.consecutive_5xx = 0,
                _ => st.consecutive_gateway = 0,
            }
        }
    }

    fn enforced(&mut self, percent: u32) -> bool {
        match percent {
            0 => false,
            100.. => true,
            p => uniform(&mut self.rng, 0, 99) < u64::from(p),
        }
    }

    fn eject(&mut self, now: Instant, i: usize, kind: EjectionKind) {
        let host = self.hosts[i].0.clone();
        let total = self.hosts.len() as f64;
        let percent = 100.0 * (self.ejected as f64 + 1.0) / total;
        let allowed = percent <= f64::from(self.config.max_ejection_percent.min(100))
            || (self.config.always_eject_one_host && self.ejected == 0);
        if !allowed {
            self.events.push(OutlierEvent {
                at: now,
                host,
                action: OutlierAction::Overflow { kind },
            });
            return;
        }
        let enforcing = match kind {
            EjectionKind::Consecutive5xx => self.config.enforcing_consecutive_5xx,
            EjectionKind::ConsecutiveGatewayFailure => {
                self.config.enforcing_consecutive_gateway_failure
            }
            EjectionKind::SuccessRate => self.config.enforcing_success_rate,
            EjectionKind::FailurePercentage => self.config.enforcing_failure_percentage,
        };
        if !self.enforced(enforcing) {
            self.events.push(OutlierEvent {
                at: now,
                host,
                action: OutlierAction::NotEnforced { kind },
            });
            return;
        }
        let max_jitter =
            u64::try_from(self.config.max_ejection_time_jitter.as_millis()).unwrap_or(u64::MAX);
        let jitter = if max_jitter == 0 {
            Duration::ZERO
        } else {
            Duration::from_millis(uniform(&mut self.rng, 0, max_jitter))
        };
        let base = self.config.base_ejection_time;
        let max = self.config.max_ejection();
        self.ejected += 1;
        let st = &mut self.hosts[i].1;
        st.ejected_at = Some(now);
        st.jitter = jitter;
        if base.saturating_mul(st.backoff) < max.saturating_add(base) {
            st.backoff += 1;
        }
        let duration = base
            .saturating_mul(st.backoff)
            .min(max)
            .saturating_add(jitter);
        self.events.push(OutlierEvent {
            at: now,
            host,
            action: OutlierAction::Eject { kind, duration },
        });
    }

    /// Runs every sweep due at or before `now`. Sweeps that cannot change anything (no calls
    /// recorded since the last sweep, no backoff left to decay, no ejection ending) are
    /// skipped, so a long gap costs a few sweeps rather than one per interval.
    pub fn advance(&mut self, now: Instant) {
        let step = u64::try_from(self.config.interval.as_nanos())
            .unwrap_or(u64::MAX)
            .max(1);
        while self.next_sweep <= now {
            let at = self.next_sweep;
            self.sweep(at);
            let mut next = at.saturating_add(self.config.interval);
            if next == at {
                break;
            }
            if next <= now {
                if let Some(target) = self.quiet_until() {
                    // The first sweep at or after `target`, but no further than the first one
                    // after `now`.
                    let k_target = (target.as_nanos().saturating_sub(at.as_nanos())).div_ceil(step);
                    let k_now = (now.as_nanos() - at.as_nanos()) / step + 1;
                    let k = k_target.clamp(1, k_now);
                    next =
                        Instant::from_nanos(at.as_nanos().saturating_add(k.saturating_mul(step)));
                }
            }
            self.next_sweep = next;
        }
    }

    /// When the detector is quiet (no calls since the last sweep, no backoff decaying), the
    /// earliest time an ejection ends (the far future if none is ejected); `None` otherwise.
    fn quiet_until(&self) -> Option<Instant> {
        let mut until = Instant::from_nanos(u64::MAX);
        for (_, st) in &self.hosts {
            // The previous interval's counts are read only by the sweep that takes them.
            if st.current != (0, 0) {
                return None;
            }
            match st.ejected_at {
                Some(at) => {
                    let due = self
                        .config
                        .base_ejection_time
                        .saturating_mul(st.backoff)
                        .min(self.config.max_ejection())
                        .saturating_add(st.jitter);
                    until = until.min(at.saturating_add(due));
                }
                None if st.backoff > 0 && st.last_uneject.is_some() => return None,
                None => {}
            }
        }
        Some(until)
    }

    /// The decisions made since the last call, oldest first (call [`OutlierDetector::advance`]
    /// first to include the sweeps due by now).
    pub fn take_events(&mut self) -> Vec<OutlierEvent<H>> {
        std::mem::take(&mut self.events)
    }

    fn sweep(&mut self, now: Instant) {
        let base = self.config.base_ejection_time;
        let max = self.config.max_ejection();
        for i in 0..self.hosts.len() {
            let st = &mut self.hosts[i].1;
            if let Some(at) = st.ejected_at {
                let due = base
                    .saturating_mul(st.backoff)
                    .min(max)
                    .saturating_add(st.jitter);
                if due <= now.saturating_since(at) {
                    st.ejected_at = None;
                    st.consecutive_5xx = 0;
                    st.consecutive_gateway = 0;
                    st.last_uneject = Some(now);
                    self.ejected -= 1;
                    let host = self.hosts[i].0.clone();
                    self.events.push(OutlierEvent {
                        at: now,
                        host,
                        action: OutlierAction::Uneject,
                    });
                }
            }
            let st = &mut self.hosts[i].1;
            st.previous = std::mem::take(&mut st.current);
        }
        self.rate_ejections(now);
        let interval = self.config.interval;
        for (_, st) in &mut self.hosts {
            if st.ejected_at.is_none()
                && st
                    .last_uneject
                    .is_some_and(|u| now.saturating_since(u) >= interval)
            {
                st.backoff = st.backoff.saturating_sub(1);
            }
        }
    }

    fn rate_ejections(&mut self, now: Instant) {
        let c = &self.config;
        let n = self.hosts.len() as u64;
        if n < u64::from(c.success_rate_minimum_hosts)
            && n < u64::from(c.failure_percentage_minimum_hosts)
        {
            return;
        }
        let mut sr_hosts = Vec::new();
        let mut fp_hosts = Vec::new();
        for (i, (_, st)) in self.hosts.iter().enumerate() {
            let (ok, total) = st.previous;
            if st.ejected_at.is_some() || total == 0 {
                continue;
            }
            let rate = ok as f64 * 100.0 / total as f64;
            if total >= u64::from(c.success_rate_request_volume) {
                sr_hosts.push((i, rate));
            }
            if total >= u64::from(c.failure_percentage_request_volume) {
                fp_hosts.push((i, rate));
            }
        }
        if !sr_hosts.is_empty() && sr_hosts.len() as u64 >= u64::from(c.success_rate_minimum_hosts)
        {
            let threshold = success_rate_threshold(
                &sr_hosts.iter().map(|&(_, r)| r).collect::<Vec<_>>(),
                f64::from(c.success_rate_stdev_factor) / 1000.0,
            )
            .1;
            for &(i, rate) in &sr_hosts {
                if rate < threshold {
                    self.eject(now, i, EjectionKind::SuccessRate);
                }
            }
        }
        let threshold = f64::from(self.config.failure_percentage_threshold);
        if !fp_hosts.is_empty()
            && fp_hosts.len() as u64 >= u64::from(self.config.failure_percentage_minimum_hosts)
        {
            for &(i, rate) in &fp_hosts {
                if self.hosts[i].1.ejected_at.is_none() && 100.0 - rate >= threshold {
                    self.eject(now, i, EjectionKind::FailurePercentage);
                }
            }
        }
    }
}

/// Mean and ejection threshold (mean − factor × population stdev) of success rates in percent.
pub fn success_rate_threshold(rates: &[f64], factor: f64) -> (f64, f64) {
    if rates.is_empty() {
        return (0.0, 0.0);
    }
    let n = rates.len() as f64;
    let mean = rates.iter().sum::<f64>() / n;
    let variance = rates.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n;
    (mean, mean - factor * variance.sqrt())
}
