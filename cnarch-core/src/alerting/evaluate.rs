//! Offline evaluation of a multiwindow policy over a series of `(timestamp, good, total)`
//! samples (events counted per sample, timestamps in seconds): the error ratio over every
//! window, for each sample, from prefix sums (O(n) per window, no rescans), then each rule's
//! Prometheus alert states (`for`, pending, firing, resolved) at the sample times.
//!
//! A window at `t` covers the samples in `(t − window, t]`; a window without events has no
//! ratio and does not match. Per episode the result gives when it went pending, fired and
//! resolved, the **detection time** (firing minus the start of the error burst that caused it:
//! the samples burning faster than the budget, back from the pending sample), the **budget
//! spent before firing** (bad events from that start to firing over the period's allowance,
//! the period's events estimated from the series' mean rate) and the **reset time** (resolution
//! minus the last sample that burned faster than the factor).

use serde::Serialize;

use super::policy::MultiwindowPolicy;
use super::rule::{AlertRule, AlertState};
use crate::error::Violation;
use crate::slo::budget::Objective;

/// One alert episode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Episode {
    /// Pending since.
    pub pending_at: f64,
    /// Fired at (`None`: dropped while pending, or still pending at the end).
    pub fired_at: Option<f64>,
    /// Resolved at (`None`: still active at the end).
    pub resolved_at: Option<f64>,
    /// Firing minus the start of the burst.
    pub detection_time: Option<f64>,
    /// Share of the period's budget spent by then.
    pub budget_spent_before_firing: Option<f64>,
    /// Resolution minus the last sample over the threshold.
    pub reset_time: Option<f64>,
}

/// One rule's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleTimeline {
    /// Severity.
    pub severity: String,
    /// Long window, seconds.
    pub long_window: f64,
    /// Short window, seconds.
    pub short_window: f64,
    /// Burn factor.
    pub factor: f64,
    /// The state after each sample.
    pub states: Vec<AlertState>,
    /// Episodes.
    pub episodes: Vec<Episode>,
}

/// The evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Per rule.
    pub rules: Vec<RuleTimeline>,
}

fn bad(path: &str, message: String) -> Violation {
    Violation::invalid_value(path, message)
}

/// Error ratios over `window` seconds at every sample (`None`: no events in the window).
pub fn window_ratios(
    t: &[f64],
    bad_prefix: &[f64],
    total_prefix: &[f64],
    window: f64,
) -> Vec<Option<f64>> {
    let mut c = WindowCursor::new(window);
    (0..t.len())
        .map(|i| c.ratio(t, bad_prefix, total_prefix, i))
        .collect()
}

/// A sliding window over the samples, advanced one sample at a time (amortised O(1)).
struct WindowCursor {
    window: f64,
    lo: usize,
}

impl WindowCursor {
    fn new(window: f64) -> WindowCursor {
        WindowCursor { window, lo: 0 }
    }

    /// The error ratio over `(t_i − window, t_i]`; call with increasing `i`.
    fn ratio(
        &mut self,
        t: &[f64],
        bad_prefix: &[f64],
        total_prefix: &[f64],
        i: usize,
    ) -> Option<f64> {
        while self.lo <= i && t[self.lo] <= t[i] - self.window {
            self.lo += 1;
        }
        let tot = total_prefix[i + 1] - total_prefix[self.lo];
        (tot > 0.0).then(|| (bad_prefix[i + 1] - bad_prefix[self.lo]) / tot)
    }
}

/// Checks a series: equal lengths, finite, times non-decreasing, 0 ≤ good ≤ total.
pub fn check_series(t: &[f64], good: &[f64], total: &[f64]) -> Result<(), Vec<Violation>> {
    let mut errs = Vec::new();
    if t.len() != good.len() || t.len() != total.len() {
        errs.push(bad(
            "series",
            format!(
                "expected timestamps, good and total of one length, found {}, {} and {}",
                t.len(),
                good.len(),
                total.len()
            ),
        ));
        return Err(errs);
    }
    for i in 0..t.len() {
        if !t[i].is_finite() || (i > 0 && t[i] < t[i - 1]) {
            errs.push(bad(
                &format!("timestamps[{i}]"),
                format!("expected finite times in order, found {}", t[i]),
            ));
        }
        if !(good[i].is_finite() && total[i].is_finite() && good[i] >= 0.0 && total[i] >= good[i]) {
            errs.push(bad(
                &format!("good[{i}]"),
                format!(
                    "expected 0 <= good <= total, found good {} of total {}",
                    good[i], total[i]
                ),
            ));
        }
        if errs.len() > 20 {
            break;
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

/// Evaluates `policy` for `objective` over the series.
pub fn evaluate(
    policy: &MultiwindowPolicy,
    o: &Objective,
    t: &[f64],
    good: &[f64],
    total: &[f64],
) -> Result<Evaluation, Vec<Violation>> {
    check_series(t, good, total)?;
    let n = t.len();
    let mut bad_prefix = Vec::with_capacity(n + 1);
    let mut total_prefix = Vec::with_capacity(n + 1);
    bad_prefix.push(0.0);
    total_prefix.push(0.0);
    for i in 0..n {
        bad_prefix.push(bad_prefix[i] + (total[i] - good[i]));
        total_prefix.push(total_prefix[i] + total[i]);
    }
    let budget = o.budget();
    let sample_ratio = |i: usize| (total[i] > 0.0).then(|| (total[i] - good[i]) / total[i]);
    // Mean events per second over the series, for the period's allowance.
    let span = if n > 1 {
        t[n - 1] - t[0] + (t[n - 1] - t[0]) / (n - 1) as f64
    } else {
        0.0
    };
    let allowance =
        (span > 0.0).then(|| total_prefix[n] / span * policy.period.as_secs_f64() * budget);
    let mut rules = Vec::new();
    for r in &policy.rules {
        let (lw, sw) = (r.long_window.as_secs_f64(), r.short_window.as_secs_f64());
        let mut long = WindowCursor::new(lw);
        let mut short = WindowCursor::new(sw);
        let th = r.threshold(o);
        let mut rule = AlertRule::new(r.for_.as_secs_f64(), r.keep_firing_for.as_secs_f64());
        let mut states = Vec::with_capacity(n);
        let mut episodes: Vec<Episode> = Vec::new();
        let mut open: Option<(usize, Episode)> = None;
        for i in 0..n {
            let active = long
                .ratio(t, &bad_prefix, &total_prefix, i)
                .is_some_and(|x| x > th)
                && short
                    .ratio(t, &bad_prefix, &total_prefix, i)
                    .is_some_and(|x| x > th);
            let before = rule.state();
            let after = rule.eval(t[i], active);
            if before == AlertState::Inactive && after != AlertState::Inactive {
                open = Some((
                    i,
                    Episode {
                        pending_at: t[i],
                        fired_at: None,
                        resolved_at: None,
                        detection_time: None,
                        budget_spent_before_firing: None,
                        reset_time: None,
                    },
                ));
            }
            if let Some((pi, ep)) = open.as_mut() {
                if after == AlertState::Firing && ep.fired_at.is_none() {
                    ep.fired_at = Some(t[i]);
                    // Start of the burst: back from the pending sample while samples burn > 1.
                    let mut s = *pi;
                    while s > 0 && sample_ratio(s - 1).is_some_and(|x| x > budget) {
                        s -= 1;
                    }
                    let started = if s > 0 { t[s - 1] } else { t[s] };
                    ep.detection_time = Some(t[i] - started);
                    let spent = bad_prefix[i + 1] - bad_prefix[s];
                    ep.budget_spent_before_firing =
                        allowance.filter(|a| *a > 0.0).map(|a| spent / a);
                }
                if after == AlertState::Inactive {
                    let mut ep = ep.clone();
                    if ep.fired_at.is_some() {
                        ep.resolved_at = Some(t[i]);
                        let last = (0..i)
                            .rev()
                            .find(|&k| sample_ratio(k).is_some_and(|x| x > th));
                        ep.reset_time = last.map(|k| t[i] - t[k]);
                    }
                    episodes.push(ep);
                    open = None;
                }
            }
            states.push(after);
        }
        if let Some((_, ep)) = open {
            episodes.push(ep);
        }
        rules.push(RuleTimeline {
            severity: r.severity.clone(),
            long_window: lw,
            short_window: sw,
            factor: r.factor,
            states,
            episodes,
        });
    }
    Ok(Evaluation { rules })
}

/// Evaluates `policy` over a series of per-sample error ratios (each sample weighs the same, as
/// a ratio recorded at a fixed interval does); a `None`/NaN sample has no data.
pub fn evaluate_ratios(
    policy: &MultiwindowPolicy,
    o: &Objective,
    t: &[f64],
    error_ratios: &[f64],
) -> Result<Evaluation, Vec<Violation>> {
    let mut good = Vec::with_capacity(error_ratios.len());
    let mut total = Vec::with_capacity(error_ratios.len());
    for (i, &r) in error_ratios.iter().enumerate() {
        if r.is_nan() {
            good.push(0.0);
            total.push(0.0);
        } else if (0.0..=1.0).contains(&r) {
            good.push(1.0 - r);
            total.push(1.0);
        } else {
            return Err(vec![bad(
                &format!("error_ratios[{i}]"),
                format!("expected a ratio in [0, 1], found {r}"),
            )]);
        }
    }
    evaluate(policy, o, t, &good, &total)
}
