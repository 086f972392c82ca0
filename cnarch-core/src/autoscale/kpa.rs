//! Knative's Pod Autoscaler (KPA) for serverless workloads, as `pkg/autoscaler/scaling/autoscaler.go`
//! decides and the KPA reconciler applies (`pkg/reconciler/autoscaling/kpa`).
//!
//! - **Target.** Per-pod target = `container_concurrency` (or the `target` when it is 0 or larger)
//!   × `target_utilization_percentage` / 100 (concurrency 100 × 70 % by default; `rps`: 200 ×
//!   70 %).
//! - **Windows.** The caller supplies the stable-window average (60 s) and the panic-window
//!   average (10 % of it, 6 s) of the observed total; [`WindowAverages`] computes both from
//!   per-second observations as Knative's metric collector does.
//! - **Decision.** `ceil(stable / target)` and `ceil(panic / target)`, each kept within
//!   `[floor(ready / max_scale_down_rate), ceil(max_scale_up_rate × ready)]` (ready counted as at
//!   least 1; no scale-down bound while the revision is unreachable); raised to `activation_scale`
//!   when positive. Panic begins when `ceil(panic / target) / ready ≥ panic_threshold` (200 %),
//!   is extended while that holds, and ends once it has not held for a stable window; while
//!   panicking the count is the larger of the two and only ratchets up. `scale_down_delay` keeps
//!   the highest count of that long ago. Excess burst capacity = `floor(ready × total per pod −
//!   target_burst_capacity − panic)` (0 when the burst capacity is 0, −1 when it is −1).
//! - **Reconciler.** Counts are bounded by `min_scale` / `max_scale`; a decision of 0 is applied
//!   only with scale-to-zero enabled and after `max(scale_to_zero_grace_period,
//!   scale_to_zero_pod_retention_period)` of wanting 0 (one replica is kept until then).

use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::time::Instant;

/// The metric the KPA scales on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KpaMetric {
    /// In-flight requests per pod.
    #[default]
    Concurrency,
    /// Requests per second per pod.
    Rps,
}

/// Knative's `config-autoscaler` settings and per-revision annotations (snake_case), with their
/// defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KpaConfig {
    /// `concurrency` or `rps`.
    pub metric: KpaMetric,
    /// The revision's `containerConcurrency` (0: unlimited).
    pub container_concurrency: u32,
    /// `autoscaling.knative.dev/target` (default 100 for concurrency, 200 for rps).
    pub target: Option<f64>,
    /// `container-concurrency-target-percentage` (70).
    pub target_utilization_percentage: f64,
    /// `target-burst-capacity` (211; 0 none; −1 unlimited).
    pub target_burst_capacity: f64,
    /// `stable-window` (60 s).
    pub stable_window: Duration,
    /// `panic-window-percentage` (10).
    pub panic_window_percentage: f64,
    /// `panic-threshold-percentage` (200).
    pub panic_threshold_percentage: f64,
    /// `max-scale-up-rate` (1000).
    pub max_scale_up_rate: f64,
    /// `max-scale-down-rate` (2).
    pub max_scale_down_rate: f64,
    /// `activation-scale` (1).
    pub activation_scale: u32,
    /// `min-scale` (0).
    pub min_scale: u32,
    /// `max-scale` (0: unbounded).
    pub max_scale: u32,
    /// `initial-scale` (1).
    pub initial_scale: u32,
    /// `enable-scale-to-zero` (true).
    pub enable_scale_to_zero: bool,
    /// `scale-to-zero-grace-period` (30 s).
    pub scale_to_zero_grace_period: Duration,
    /// `scale-to-zero-pod-retention-period` (0).
    pub scale_to_zero_pod_retention_period: Duration,
    /// `scale-down-delay` (0).
    pub scale_down_delay: Duration,
}

impl Default for KpaConfig {
    fn default() -> Self {
        KpaConfig {
            metric: KpaMetric::Concurrency,
            container_concurrency: 0,
            target: None,
            target_utilization_percentage: 70.0,
            target_burst_capacity: 211.0,
            stable_window: Duration::from_secs(60),
            panic_window_percentage: 10.0,
            panic_threshold_percentage: 200.0,
            max_scale_up_rate: 1000.0,
            max_scale_down_rate: 2.0,
            activation_scale: 1,
            min_scale: 0,
            max_scale: 0,
            initial_scale: 1,
            enable_scale_to_zero: true,
            scale_to_zero_grace_period: Duration::from_secs(30),
            scale_to_zero_pod_retention_period: Duration::ZERO,
            scale_down_delay: Duration::ZERO,
        }
    }
}

crate::error::field_error!(
    /// A configuration Knative would refuse.
    KpaConfigError,
    "invalid KPA config: ",
    "invalid_kpa_config",
    crate::error::ErrorKind::Config
);

crate::error::field_error!(
    /// An observation the decider cannot use: a stable or panic average that is negative, NaN or
    /// infinite (Knative's metrics never produce one; a host passing one has a bug to hear about).
    KpaObservationError,
    "",
    "invalid_observation",
    crate::error::ErrorKind::Argument
);

impl KpaConfig {
    fn check(&self) -> Result<(), KpaConfigError> {
        let err = |m: String| {
            let field = m.split([':', ' ']).next().unwrap_or_default().to_string();
            Err(KpaConfigError::new(field, m))
        };
        if !(self.target_utilization_percentage > 0.0
            && self.target_utilization_percentage <= 100.0)
        {
            return err(format!(
                "target_utilization_percentage: expected (0, 100], found {}",
                self.target_utilization_percentage
            ));
        }
        if let Some(t) = self.target {
            if !(t >= 0.01 && t.is_finite()) {
                return err(format!("target: expected at least 0.01, found {t}"));
            }
        }
        if self.max_scale_up_rate.is_nan() || self.max_scale_up_rate <= 1.0 {
            return err(format!(
                "max_scale_up_rate: expected greater than 1, found {}",
                self.max_scale_up_rate
            ));
        }
        if self.max_scale_down_rate.is_nan() || self.max_scale_down_rate <= 1.0 {
            return err(format!(
                "max_scale_down_rate: expected greater than 1, found {}",
                self.max_scale_down_rate
            ));
        }
        if !(self.panic_window_percentage >= 1.0 && self.panic_window_percentage <= 100.0) {
            return err(format!(
                "panic_window_percentage: expected [1, 100], found {}",
                self.panic_window_percentage
            ));
        }
        if !(self.panic_threshold_percentage >= 110.0 && self.panic_threshold_percentage <= 1000.0)
        {
            return err(format!(
                "panic_threshold_percentage: expected [110, 1000], found {}",
                self.panic_threshold_percentage
            ));
        }
        if self.stable_window < Duration::from_secs(6)
            || self.stable_window > Duration::from_secs(3600)
        {
            return err(format!(
                "stable_window: expected 6s to 1h, found {:?}",
                self.stable_window
            ));
        }
        if self.target_burst_capacity < 0.0 && self.target_burst_capacity != -1.0 {
            return err(format!(
                "target_burst_capacity: expected 0 or more, or -1, found {}",
                self.target_burst_capacity
            ));
        }
        if self.max_scale != 0 && self.min_scale > self.max_scale {
            return err(format!(
                "min_scale ({}) must not exceed max_scale ({})",
                self.min_scale, self.max_scale
            ));
        }
        if self.scale_down_delay > Duration::from_secs(3600) {
            return err(format!(
                "scale_down_delay: expected at most 1h, found {:?}",
                self.scale_down_delay
            ));
        }
        Ok(())
    }

    /// The per-pod total a pod can take (concurrency or rps, before utilization).
    pub fn total_value(&self) -> f64 {
        let base = self.target.unwrap_or(match self.metric {
            KpaMetric::Concurrency => 100.0,
            KpaMetric::Rps => 200.0,
        });
        if self.metric == KpaMetric::Concurrency && self.container_concurrency > 0 {
            base.min(f64::from(self.container_concurrency))
        } else {
            base
        }
    }

    /// The per-pod target the decision divides by (total × utilization), at least 0.01.
    pub fn target_value(&self) -> f64 {
        (self.total_value() * self.target_utilization_percentage / 100.0).max(0.01)
    }

    /// The panic window (the stable window itself when the percentage is out of range, which
    /// validation refuses).
    pub fn panic_window(&self) -> Duration {
        // As `Duration::mul_f64`, without its panic on a negative or NaN factor.
        Duration::try_from_secs_f64(
            (self.panic_window_percentage / 100.0) * self.stable_window.as_secs_f64(),
        )
        .unwrap_or(self.stable_window)
    }
}

/// What the decision uses (Knative's `DeciderSpec`), derived from a [`KpaConfig`] by
/// [`KpaConfig::decider`] or given directly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeciderSpec {
    /// Per-pod target (after utilization).
    pub target_value: f64,
    /// Per-pod total (before utilization), for the burst capacity.
    pub total_value: f64,
    /// Target burst capacity (0 none, −1 unlimited).
    pub target_burst_capacity: f64,
    /// Panic threshold as a ratio (2.0 = 200 %).
    pub panic_threshold: f64,
    /// Max scale-up rate.
    pub max_scale_up_rate: f64,
    /// Max scale-down rate.
    pub max_scale_down_rate: f64,
    /// Stable window.
    pub stable_window: Duration,
    /// Scale-down delay.
    pub scale_down_delay: Duration,
    /// Activation scale.
    pub activation_scale: u32,
}

impl KpaConfig {
    /// The decider spec this configuration gives.
    pub fn decider(&self) -> DeciderSpec {
        DeciderSpec {
            target_value: self.target_value(),
            total_value: self.total_value(),
            target_burst_capacity: self.target_burst_capacity,
            panic_threshold: self.panic_threshold_percentage / 100.0,
            max_scale_up_rate: self.max_scale_up_rate,
            max_scale_down_rate: self.max_scale_down_rate,
            stable_window: self.stable_window,
            scale_down_delay: self.scale_down_delay,
            activation_scale: self.activation_scale,
        }
    }
}

/// One decision.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KpaDecision {
    /// The autoscaler's count (before the reconciler's bounds and scale-to-zero).
    pub autoscaler_replicas: u32,
    /// The count the reconciler applies.
    pub desired_replicas: u32,
    /// In panic mode.
    pub panicking: bool,
    /// Excess burst capacity (negative: the activator stays in the path).
    pub excess_burst_capacity: i64,
    /// Why the applied count differs from the autoscaler's, if it does: `min_scale`,
    /// `max_scale`, `scale_to_zero_grace`, `scale_to_zero_disabled`, `activation_scale`.
    pub reason: Option<&'static str>,
}

/// The KPA for one revision.
#[derive(Debug, Clone)]
pub struct ServerlessAutoscaler {
    config: KpaConfig,
    spec: DeciderSpec,
    panic_since: Option<Instant>,
    max_panic_pods: u32,
    delay: VecDeque<(Instant, u32)>,
    zero_since: Option<Instant>,
}

impl ServerlessAutoscaler {
    /// A KPA with `config`.
    pub fn new(config: KpaConfig) -> Result<ServerlessAutoscaler, KpaConfigError> {
        config.check()?;
        Ok(ServerlessAutoscaler {
            spec: config.decider(),
            config,
            panic_since: None,
            max_panic_pods: 0,
            delay: VecDeque::new(),
            zero_since: None,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &KpaConfig {
        &self.config
    }

    /// The decider spec in use.
    pub fn decider(&self) -> &DeciderSpec {
        &self.spec
    }

    /// Replaces the decider spec (Knative's `Update`), e.g. to use a spec as Knative's tests
    /// write it; the reconciler settings stay those of the configuration.
    pub fn with_decider(mut self, spec: DeciderSpec) -> Self {
        self.spec = spec;
        self
    }

    /// As Knative creates an autoscaler for a revision that already has pods: with more than
    /// one ready pod it starts in panic mode at that count, so a restart does not scale down.
    pub fn starting_with(mut self, now: Instant, ready_pods: u32) -> Self {
        if ready_pods > 1 {
            self.panic_since = Some(now);
            self.max_panic_pods = ready_pods;
        }
        self
    }

    /// Decides at `now` from the stable- and panic-window averages of the observed total
    /// (concurrency or rps over all pods) and the ready pod count.
    pub fn scale(
        &mut self,
        now: Instant,
        stable: f64,
        panic: f64,
        ready_pods: u32,
    ) -> Result<KpaDecision, KpaObservationError> {
        self.scale_reachable(now, stable, panic, ready_pods, true)
    }

    /// As [`ServerlessAutoscaler::scale`]; an unreachable revision has no scale-down bound.
    pub fn scale_reachable(
        &mut self,
        now: Instant,
        stable: f64,
        panic: f64,
        ready_pods: u32,
        reachable: bool,
    ) -> Result<KpaDecision, KpaObservationError> {
        for (name, v) in [("stable", stable), ("panic", panic)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(KpaObservationError::new(
                    name,
                    format!("{name}: expected a finite average of 0 or more, found {v}"),
                ));
            }
        }
        let c = self.spec;
        let ready = f64::from(ready_pods).max(1.0);
        let max_up = (c.max_scale_up_rate * ready).ceil();
        let max_down = if reachable {
            (ready / c.max_scale_down_rate).floor()
        } else {
            0.0
        };
        let target = c.target_value;
        let dspc = (stable.max(0.0) / target).ceil();
        let dppc = (panic.max(0.0) / target).ceil();
        let bound = |x: f64| x.max(max_down).min(max_up).min(f64::from(u32::MAX)) as u32;
        let mut stable_pods = bound(dspc);
        let mut panic_pods = bound(dppc);
        if c.activation_scale > 1 {
            if dspc > 0.0 && c.activation_scale > stable_pods {
                stable_pods = c.activation_scale;
            }
            if dppc > 0.0 && c.activation_scale > panic_pods {
                panic_pods = c.activation_scale;
            }
        }
        let over = dppc / ready >= c.panic_threshold;
        if over {
            self.panic_since = Some(now);
        } else if let Some(since) = self.panic_since {
            if now > since.saturating_add(c.stable_window) {
                self.panic_since = None;
                self.max_panic_pods = 0;
            }
        }
        let mut desired = stable_pods;
        if self.panic_since.is_some() {
            desired = desired.max(panic_pods);
            if desired > self.max_panic_pods {
                self.max_panic_pods = desired;
            }
            desired = self.max_panic_pods;
        }
        if !c.scale_down_delay.is_zero() {
            let horizon = now
                .as_nanos()
                .saturating_sub(u64::try_from(c.scale_down_delay.as_nanos()).unwrap_or(u64::MAX));
            while self
                .delay
                .front()
                .is_some_and(|&(t, _)| t.as_nanos() <= horizon)
            {
                self.delay.pop_front();
            }
            self.delay.push_back((now, desired));
            desired = self.delay.iter().map(|&(_, d)| d).max().unwrap_or(desired);
        }
        let ebc = if c.target_burst_capacity == 0.0 {
            0
        } else if c.target_burst_capacity > 0.0 {
            (f64::from(ready_pods) * c.total_value - c.target_burst_capacity - panic).floor() as i64
        } else {
            -1
        };
        let (applied, reason) = self.apply_bounds(now, desired);
        Ok(KpaDecision {
            autoscaler_replicas: desired,
            desired_replicas: applied,
            panicking: self.panic_since.is_some(),
            excess_burst_capacity: ebc,
            reason,
        })
    }

    fn apply_bounds(&mut self, now: Instant, desired: u32) -> (u32, Option<&'static str>) {
        let c = &self.config;
        let mut want = desired;
        let mut reason = None;
        if want == 0 {
            if !c.enable_scale_to_zero {
                want = 1;
                reason = Some("scale_to_zero_disabled");
            } else {
                let since = *self.zero_since.get_or_insert(now);
                let wait = c
                    .scale_to_zero_grace_period
                    .max(c.scale_to_zero_pod_retention_period);
                if now.saturating_since(since) < wait {
                    want = 1;
                    reason = Some("scale_to_zero_grace");
                }
            }
        } else {
            self.zero_since = None;
        }
        if want < c.min_scale {
            want = c.min_scale;
            reason = Some("min_scale");
        }
        if c.max_scale > 0 && want > c.max_scale {
            want = c.max_scale;
            reason = Some("max_scale");
        }
        (want, reason)
    }
}

/// Stable- and panic-window averages of a per-second series, as Knative's collector keeps them
/// (one bucket per second; the average of the buckets in the window, counting only the part of
/// the window since the first observation).
#[derive(Debug, Clone)]
pub struct WindowAverages {
    stable: Duration,
    panic: Duration,
    buckets: VecDeque<(u64, f64)>,
    first: Option<u64>,
}

impl WindowAverages {
    /// Windows for `config`.
    pub fn new(config: &KpaConfig) -> WindowAverages {
        WindowAverages {
            stable: config.stable_window,
            panic: config.panic_window(),
            buckets: VecDeque::new(),
            first: None,
        }
    }

    /// Adds an observation (e.g. the total in-flight requests) at `now`.
    pub fn record(&mut self, now: Instant, value: f64) {
        let sec = now.as_nanos() / 1_000_000_000;
        self.first.get_or_insert(sec);
        match self.buckets.back_mut() {
            Some((s, v)) if *s == sec => *v += value,
            _ => self.buckets.push_back((sec, value)),
        }
        let keep = self.stable.as_secs().max(1);
        while self.buckets.front().is_some_and(|&(s, _)| s + keep <= sec) {
            self.buckets.pop_front();
        }
    }

    fn average(&self, now: Instant, window: Duration) -> Option<f64> {
        let first = self.first?;
        let sec = now.as_nanos() / 1_000_000_000;
        let len = window.as_secs().max(1);
        let start = sec.saturating_sub(len - 1).max(first);
        let n = sec.saturating_sub(start) + 1;
        let sum: f64 = self
            .buckets
            .iter()
            .filter(|&&(s, _)| s >= start && s <= sec)
            .map(|&(_, v)| v)
            .sum();
        Some(sum / n as f64)
    }

    /// `(stable, panic)` averages at `now`; `None` before any observation (Knative: no data).
    pub fn averages(&self, now: Instant) -> Option<(f64, f64)> {
        Some((
            self.average(now, self.stable)?,
            self.average(now, self.panic)?,
        ))
    }
}
