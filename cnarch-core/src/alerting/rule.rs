//! Prometheus's alerting-rule state machine (`rules/alerting.go`), one alert (one label set):
//!
//! - condition true and no alert: **pending**, active since now; with `for` = 0 it fires at once;
//! - pending and `now − active_since ≥ for`: **firing**;
//! - condition false while pending: the alert is dropped (**inactive**);
//! - condition false while firing: with `keep_firing_for`, it keeps firing until
//!   `now − first false evaluation ≥ keep_firing_for`, then resolves; a true evaluation in between
//!   resets that clock;
//! - a resolved alert that matches again starts over as pending.

use crate::time::TimeError;
use serde::Serialize;

/// Alert states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// Not active.
    Inactive,
    /// Active, waiting for `for`.
    Pending,
    /// Firing.
    Firing,
}

impl AlertState {
    /// `"inactive"`, `"pending"` or `"firing"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            AlertState::Inactive => "inactive",
            AlertState::Pending => "pending",
            AlertState::Firing => "firing",
        }
    }
}

/// One alert's rule state. Times are seconds on the caller's clock.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRule {
    for_secs: f64,
    keep_firing_for_secs: f64,
    state: AlertState,
    active_at: f64,
    fired_at: Option<f64>,
    keep_firing_since: Option<f64>,
    last_eval: Option<f64>,
}

impl AlertRule {
    /// A rule with `for` and `keep_firing_for` in seconds (negative values count as 0).
    pub fn new(for_secs: f64, keep_firing_for_secs: f64) -> AlertRule {
        AlertRule {
            for_secs: for_secs.max(0.0),
            keep_firing_for_secs: keep_firing_for_secs.max(0.0),
            state: AlertState::Inactive,
            active_at: 0.0,
            fired_at: None,
            keep_firing_since: None,
            last_eval: None,
        }
    }

    /// As [`AlertRule::new`], refusing a `for` or `keep_firing_for` that is negative, NaN or
    /// infinite (Prometheus' durations are finite and never negative).
    pub fn try_new(for_secs: f64, keep_firing_for_secs: f64) -> Result<AlertRule, TimeError> {
        for (name, v) in [("for", for_secs), ("keep_firing_for", keep_firing_for_secs)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(TimeError::new(
                    name,
                    format!("{name}: expected a finite duration of 0 s or more, found {v}"),
                ));
            }
        }
        Ok(AlertRule::new(for_secs, keep_firing_for_secs))
    }

    /// As [`AlertRule::eval`], refusing a time that is not finite or comes before the last
    /// evaluation (Prometheus evaluates a rule at increasing times).
    pub fn try_eval(&mut self, t: f64, active: bool) -> Result<AlertState, TimeError> {
        if !t.is_finite() {
            return Err(TimeError::new(
                "t",
                format!("t: expected a finite time, found {t}"),
            ));
        }
        if let Some(last) = self.last_eval.filter(|&last| t < last) {
            return Err(TimeError::new(
                "t",
                format!("t: expected evaluations in time order, found {t} after {last}"),
            ));
        }
        Ok(self.eval(t, active))
    }

    /// The state now.
    pub fn state(&self) -> AlertState {
        self.state
    }

    /// When the current pending or firing alert became active.
    pub fn active_at(&self) -> Option<f64> {
        (self.state != AlertState::Inactive).then_some(self.active_at)
    }

    /// When the current alert started firing.
    pub fn fired_at(&self) -> Option<f64> {
        self.fired_at.filter(|_| self.state == AlertState::Firing)
    }

    /// One evaluation at `t` with the condition `active`; returns the new state.
    pub fn eval(&mut self, t: f64, active: bool) -> AlertState {
        self.last_eval = Some(t);
        if active {
            self.keep_firing_since = None;
            if self.state == AlertState::Inactive {
                self.state = AlertState::Pending;
                self.active_at = t;
                self.fired_at = None;
            }
        } else {
            match self.state {
                AlertState::Pending => {
                    self.state = AlertState::Inactive;
                    return self.state;
                }
                AlertState::Firing => {
                    let since = *self.keep_firing_since.get_or_insert(t);
                    if !(self.keep_firing_for_secs > 0.0 && t - since < self.keep_firing_for_secs) {
                        self.state = AlertState::Inactive;
                        self.keep_firing_since = None;
                    }
                    return self.state;
                }
                AlertState::Inactive => return self.state,
            }
        }
        if self.state == AlertState::Pending && t - self.active_at >= self.for_secs {
            self.state = AlertState::Firing;
            self.fired_at = Some(t);
        }
        self.state
    }
}
