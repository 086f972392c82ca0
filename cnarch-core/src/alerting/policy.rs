//! Multiwindow multi-burn-rate alert policies (SRE workbook, "Alerting on SLOs", approach 6): a
//! rule fires when the error ratio over both its long and its short window exceeds
//! `factor × (1 − objective)`; the short window (long / 12 by default) makes the alert reset
//! quickly once the errors stop.
//!
//! - [`MultiwindowPolicy::standard`]: Sloth's four alerts — page 1h/5m for 2 % of the budget,
//!   page 6h/30m for 5 %, ticket 1d/2h for 10 %, ticket 3d/6h for 10 % — with factors derived for
//!   the period (`share × period / long window`: 14.4, 6, 3, 1 for 30 days; 13.44, 5.6, 2.8,
//!   0.933… for 28 days).
//! - [`MultiwindowPolicy::pyrra`]: Pyrra's windows, scaled from its 28-day ones (1h/5m ×14,
//!   6h/30m ×7, 1d/2h ×2, 4d/6h ×1) by `period / 28 days` and rounded to the minute, with its
//!   `for` durations.

use std::time::Duration;

use serde::Serialize;

use crate::slo::budget::{factor_for, Objective};

/// One rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurnRateRule {
    /// Long window.
    pub long_window: Duration,
    /// Short window.
    pub short_window: Duration,
    /// Burn factor.
    pub factor: f64,
    /// `page` / `ticket` (Sloth) or `critical` / `warning` (Pyrra).
    pub severity: String,
    /// Prometheus `for`.
    pub for_: Duration,
    /// Prometheus `keep_firing_for`.
    pub keep_firing_for: Duration,
}

impl BurnRateRule {
    /// A rule with the default short window (long / 12).
    pub fn new(long_window: Duration, factor: f64, severity: &str) -> BurnRateRule {
        BurnRateRule {
            long_window,
            short_window: long_window / 12,
            factor,
            severity: severity.to_string(),
            for_: Duration::ZERO,
            keep_firing_for: Duration::ZERO,
        }
    }

    /// The error-ratio threshold for `objective`.
    pub fn threshold(&self, o: &Objective) -> f64 {
        self.factor * o.budget()
    }
}

/// A policy: rules over an SLO period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultiwindowPolicy {
    /// The SLO period.
    pub period: Duration,
    /// Rules.
    pub rules: Vec<BurnRateRule>,
}

/// Something to fix in a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Rule index.
    pub rule: usize,
    /// `never_fires` or `low_traffic`.
    pub code: &'static str,
    /// Explanation.
    pub message: String,
}

const H: u64 = 3600;

impl MultiwindowPolicy {
    /// The period [`MultiwindowPolicy::standard`] is usually given (Sloth's and the workbook's
    /// 30 days).
    pub const STANDARD_PERIOD: Duration = Duration::from_secs(30 * 24 * H);
    /// The period Pyrra's windows are written for (28 days).
    pub const PYRRA_PERIOD: Duration = Duration::from_secs(28 * 24 * H);
    /// The severity of a custom rule that names none (Sloth's `page`).
    pub const DEFAULT_SEVERITY: &'static str = "page";
    /// The fewest events a short window should hold before one error can page (the
    /// workbook's low-traffic advice), for [`MultiwindowPolicy::validate`].
    pub const DEFAULT_MIN_EVENTS: f64 = 10.0;

    /// Sloth's four alerts with factors for `period`.
    pub fn standard(period: Duration) -> MultiwindowPolicy {
        let rules = crate::slo::rules::SLOTH_ALERTS
            .iter()
            .map(|&(sev, short, long, share)| BurnRateRule {
                long_window: Duration::from_secs(long),
                short_window: Duration::from_secs(short),
                factor: factor_for(share, period, Duration::from_secs(long)),
                severity: sev.to_string(),
                for_: Duration::ZERO,
                keep_firing_for: Duration::ZERO,
            })
            .collect();
        MultiwindowPolicy { period, rules }
    }

    /// Pyrra's four alerts scaled to `period`.
    pub fn pyrra(period: Duration) -> MultiwindowPolicy {
        let round = |d: Duration| {
            Duration::from_secs(((d.as_secs_f64() / 60.0).round() as u64).saturating_mul(60))
        };
        let scale = |d28: u64| {
            round(Duration::from_nanos(
                u64::try_from(period.as_nanos() * u128::from(d28) / u128::from(28 * 24 * H))
                    .unwrap_or(u64::MAX),
            ))
        };
        let spec = [
            ("critical", 2 * 60, H, 5 * 60, 14.0),
            ("critical", 15 * 60, 6 * H, 30 * 60, 7.0),
            ("warning", H, 24 * H, 2 * H, 2.0),
            ("warning", 3 * H, 96 * H, 6 * H, 1.0),
        ];
        let rules = spec
            .iter()
            .map(|&(sev, for_, long, short, factor)| BurnRateRule {
                long_window: scale(long),
                short_window: scale(short),
                factor,
                severity: sev.to_string(),
                for_: scale(for_),
                keep_firing_for: Duration::ZERO,
            })
            .collect();
        MultiwindowPolicy { period, rules }
    }

    /// A policy from plain numbers (for hosts and bindings): `(long, short, factor, severity,
    /// for, keep_firing_for)` with durations in seconds.
    pub fn from_seconds(
        period_secs: f64,
        rules: &[(f64, f64, f64, String, f64, f64)],
    ) -> Result<MultiwindowPolicy, PolicyRulesError> {
        let d = |x: f64, what: &str, i: usize| {
            crate::time::duration_from_secs(x).map_err(|e| {
                PolicyRulesError::new(
                    format!("rules[{i}].{what}"),
                    format!("rules[{i}].{what}: {e}"),
                )
            })
        };
        let period = crate::time::duration_from_secs(period_secs)
            .map_err(|e| PolicyRulesError::new("period", format!("period: {e}")))?;
        let rules = rules
            .iter()
            .enumerate()
            .map(|(i, (l, s, f, sev, fr, kf))| {
                if !(f.is_finite() && *f > 0.0) {
                    return Err(PolicyRulesError::new(
                        format!("rules[{i}].factor"),
                        format!("rules[{i}].factor: expected a positive number, found {f}"),
                    ));
                }
                Ok(BurnRateRule {
                    long_window: d(*l, "long_window", i)?,
                    short_window: d(*s, "short_window", i)?,
                    factor: *f,
                    severity: sev.clone(),
                    for_: d(*fr, "for", i)?,
                    keep_firing_for: d(*kf, "keep_firing_for", i)?,
                })
            })
            .collect::<Result<Vec<_>, PolicyRulesError>>()?;
        Ok(MultiwindowPolicy { period, rules })
    }

    /// Rules that can never fire for `objective` (`factor × budget ≥ 1`: the error ratio cannot
    /// exceed 1), and, given the expected `events_per_second`, rules whose short window would
    /// hold fewer than `min_events` events (one error could page).
    pub fn validate(
        &self,
        o: &Objective,
        events_per_second: Option<f64>,
        min_events: f64,
    ) -> Result<Vec<Finding>, crate::slo::budget::BudgetInputError> {
        for (name, v) in [
            ("events_per_second", events_per_second.unwrap_or(0.0)),
            ("min_events", min_events),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(crate::slo::budget::BudgetInputError::new(
                    name,
                    format!("{name}: expected a finite number of 0 or more, found {v}"),
                ));
            }
        }
        let mut out = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            let th = r.threshold(o);
            if th >= 1.0 {
                out.push(Finding {
                    rule: i,
                    code: "never_fires",
                    message: format!(
                        "factor {} × budget {} = {} ≥ 1: the error ratio can never exceed it",
                        crate::prom::number(r.factor),
                        o.budget_text(),
                        crate::prom::number(th)
                    ),
                });
            }
            if let Some(rate) = events_per_second {
                let n = rate * r.short_window.as_secs_f64();
                if n < min_events {
                    out.push(Finding {
                        rule: i,
                        code: "low_traffic",
                        message: format!(
                            "about {} events in the {} short window, fewer than {}",
                            crate::prom::number(n),
                            crate::prom::duration(r.short_window),
                            crate::prom::number(min_events)
                        ),
                    });
                }
            }
        }
        Ok(out)
    }
}

crate::error::field_error!(
    /// Burn-rate rules that cannot be evaluated (a negative or non-finite window, a factor of
    /// zero or less).
    PolicyRulesError,
    "",
    "invalid_policy_rules",
    crate::error::ErrorKind::Config
);
