//! Error budgets and burn rates (Google SRE workbook, "Implementing SLOs" and "Alerting on
//! SLOs"):
//!
//! - error budget = 1 − objective; allowed bad events = ⌊total × budget⌋; allowed bad time =
//!   window × budget — exact, because the objective is kept as the decimal it was written as;
//! - burn rate = error ratio / budget; time to exhaustion = window / burn rate;
//! - budget consumed by an alert window = burn rate × alert window / period;
//! - burn factor for a budget share in a long window (Sloth) = share × period / long window;
//! - detection time of a burn-rate alert at a constant error ratio = factor × budget × window /
//!   error ratio, and its reset time after the errors stop = window × (1 − factor × budget /
//!   error ratio) — both `None` when the alert cannot fire at that error ratio.
//!
//! No NaN comes out of a zero denominator: an SLI over no events is `None` ("no data"). Inputs
//! outside the math's domain (an error ratio outside [0, 1], a negative or non-finite factor,
//! a zero period or window) are refused with [`BudgetInputError`].
//!
//! ```
//! use cnarch_core::slo::budget::{allowed_bad_events, burn_rate, time_to_exhaustion, Objective};
//! use std::time::Duration;
//! let o = Objective::new(0.999).unwrap();
//! assert_eq!(o.to_string(), "0.999");
//! assert_eq!(allowed_bad_events(&o, 1_000_000), 1000);
//! assert!((burn_rate(0.01, &o).unwrap() - 10.0).abs() < 1e-9);
//! // Workbook: a burn rate of 10 exhausts a 30-day budget in 3 days.
//! assert_eq!(
//!     time_to_exhaustion(&o, Duration::from_secs(30 * 86400), 0.01).unwrap(),
//!     Some(Duration::from_secs(3 * 86400))
//! );
//! // An error ratio is a fraction of events: 1.5 is refused, not computed.
//! assert!(burn_rate(1.5, &o).is_err());
//! ```

use std::time::Duration;

use serde::Serialize;

/// An objective held as the decimal fraction it was written as (`0.999` = 999 / 1000), so the
/// budget and the counts derived from it are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Objective {
    num: u64,
    scale: u32,
}

crate::error::field_error!(
    /// An objective outside (0, 1).
    ObjectiveError,
    "invalid objective: ",
    "invalid_objective",
    crate::error::ErrorKind::Config
);

impl Objective {
    /// From a fraction in (0, 1) (`0.999`), read as its shortest decimal form.
    pub fn new(fraction: f64) -> Result<Objective, ObjectiveError> {
        if !(fraction > 0.0 && fraction < 1.0) {
            return Err(ObjectiveError::new(
                "objective",
                format!(
                    "expected a fraction strictly between 0 and 1 (e.g. 0.999), found {fraction}"
                ),
            ));
        }
        Objective::parse(&format!("{fraction}"))
    }

    /// From a percentage in (0, 100) (`99.9`, as Sloth writes it).
    pub fn from_percent(percent: f64) -> Result<Objective, ObjectiveError> {
        if !(percent > 0.0 && percent < 100.0) {
            return Err(ObjectiveError::new(
                "objective",
                format!(
                    "expected a percentage strictly between 0 and 100 (e.g. 99.9), found {percent}"
                ),
            ));
        }
        let (num, scale) = decimal_parts(&format!("{percent}"))?;
        Objective::checked(num, scale + 2, &format!("{percent}%"))
    }

    /// From decimal text (`"0.9995"`).
    pub fn parse(text: &str) -> Result<Objective, ObjectiveError> {
        let (num, scale) = decimal_parts(text)?;
        Objective::checked(num, scale, text.trim())
    }

    fn checked(num: u64, scale: u32, shown: &str) -> Result<Objective, ObjectiveError> {
        if scale > 17 {
            return Err(ObjectiveError::new(
                "objective",
                format!("expected at most 15 fraction digits, found `{shown}`"),
            ));
        }
        let o = Objective { num, scale };
        if num == 0 || o.num >= o.den() {
            return Err(ObjectiveError::new(
                "objective",
                format!("expected an objective strictly between 0 and 1, found `{shown}`"),
            ));
        }
        Ok(o)
    }

    fn den(&self) -> u64 {
        10u64.pow(self.scale)
    }

    /// The objective as a float.
    pub fn value(&self) -> f64 {
        self.num as f64 / self.den() as f64
    }

    /// The error budget, 1 − objective, as a float computed from the exact difference.
    pub fn budget(&self) -> f64 {
        (self.den() - self.num) as f64 / self.den() as f64
    }

    /// The budget as decimal text without float noise (`0.001`).
    pub fn budget_text(&self) -> String {
        decimal(self.den() - self.num, self.scale)
    }

    /// The objective as a percentage text (`99.9`).
    pub fn percent_text(&self) -> String {
        if self.scale >= 2 {
            decimal(self.num, self.scale - 2)
        } else {
            (self.num * 10u64.pow(2 - self.scale)).to_string()
        }
    }

    /// `(numerator, denominator)` of the budget.
    pub fn budget_ratio(&self) -> (u64, u64) {
        (self.den() - self.num, self.den())
    }
}

/// `"99.90"` → (999, 1).
fn decimal_parts(text: &str) -> Result<(u64, u32), ObjectiveError> {
    let t = text.trim();
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = format!("{int}{frac}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 15 {
        return Err(ObjectiveError::new(
            "objective",
            format!("expected a decimal with at most 15 fraction digits, found `{text}`"),
        ));
    }
    let frac = frac.trim_end_matches('0');
    let num: u64 = format!("{int}{frac}").parse().map_err(|_| {
        ObjectiveError::new("objective", format!("expected a decimal, found `{text}`"))
    })?;
    Ok((num, frac.len() as u32))
}

fn decimal(n: u64, scale: u32) -> String {
    if scale == 0 {
        return n.to_string();
    }
    let s = format!("{n:0>width$}", width = scale as usize + 1);
    let (i, f) = s.split_at(s.len() - scale as usize);
    let f = f.trim_end_matches('0');
    if f.is_empty() {
        i.to_string()
    } else {
        format!("{i}.{f}")
    }
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&decimal(self.num, self.scale))
    }
}

crate::error::field_error!(
    /// A number or duration outside what the budget math is defined for: an error ratio outside
    /// [0, 1], a negative or non-finite factor or share, a zero period or window.
    BudgetInputError,
    "",
    "invalid_budget_input",
    crate::error::ErrorKind::Argument
);

fn error_ratio_in(x: f64) -> Result<f64, BudgetInputError> {
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(BudgetInputError::new(
            "error_ratio",
            format!("error_ratio: expected a ratio between 0 and 1, found {x}"),
        ))
    }
}

fn non_negative(x: f64, what: &str) -> Result<f64, BudgetInputError> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(BudgetInputError::new(
            what,
            format!("{what}: expected a finite number of 0 or more, found {x}"),
        ))
    }
}

fn non_zero(d: Duration, what: &str) -> Result<Duration, BudgetInputError> {
    if d.is_zero() {
        Err(BudgetInputError::new(
            what,
            format!("{what}: expected a duration above zero"),
        ))
    } else {
        Ok(d)
    }
}

/// Burn rate: the error ratio over the budget (1 = the budget lasts exactly the period).
pub fn burn_rate(error_ratio: f64, o: &Objective) -> Result<f64, BudgetInputError> {
    Ok(error_ratio_in(error_ratio)? / o.budget())
}

/// How long the whole budget of `window` lasts at `error_ratio` (`None` at 0: never). Saturates
/// at `u64::MAX` nanoseconds (about 584 years).
pub fn time_to_exhaustion(
    o: &Objective,
    window: Duration,
    error_ratio: f64,
) -> Result<Option<Duration>, BudgetInputError> {
    if error_ratio_in(error_ratio)? == 0.0 {
        return Ok(None);
    }
    let secs = window.as_secs_f64() / burn_rate(error_ratio, o)?;
    // Round to the nanosecond the float can carry.
    Ok(Some(Duration::from_nanos((secs * 1e9).round() as u64)))
}

/// Bad time the budget allows in `window` (exact to the nanosecond, rounded down).
pub fn allowed_bad_time(o: &Objective, window: Duration) -> Duration {
    let (b, d) = o.budget_ratio();
    let ns = window.as_nanos() * u128::from(b) / u128::from(d);
    Duration::from_nanos(u64::try_from(ns).unwrap_or(u64::MAX))
}

/// Bad events the budget allows out of `total` (⌊total × budget⌋, exact).
pub fn allowed_bad_events(o: &Objective, total: u64) -> u64 {
    let (b, d) = o.budget_ratio();
    u64::try_from(u128::from(total) * u128::from(b) / u128::from(d)).unwrap_or(u64::MAX)
}

/// The fraction of a period's budget consumed by `duration` at `error_ratio`.
pub fn budget_consumed(
    error_ratio: f64,
    o: &Objective,
    duration: Duration,
    period: Duration,
) -> Result<f64, BudgetInputError> {
    let period = non_zero(period, "period")?;
    Ok(burn_rate(error_ratio, o)? * duration.as_secs_f64() / period.as_secs_f64())
}

/// The burn factor that consumes `budget_fraction` of a `period`'s budget in `long_window`
/// (Sloth: 2 % of 30 days in 1 h = 14.4).
pub fn burn_factor(
    budget_fraction: f64,
    period: Duration,
    long_window: Duration,
) -> Result<f64, BudgetInputError> {
    let share = non_negative(budget_fraction, "budget_fraction")?;
    let long = non_zero(long_window, "long_window")?;
    Ok(factor_for(share, period, long))
}

/// [`burn_factor`] for inputs known to be valid (the built-in tables).
///
/// A share that is a short decimal (`0.02`, `0.1`) is read as the fraction it names, so the
/// factor is one correctly rounded division (`0.1 × 28 d / 3 d` is the double nearest 28/30,
/// not the double three float operations reach). The generated rules write this double with
/// enough digits to read it back exactly, so Prometheus and the offline replay compare the
/// same threshold.
pub(crate) fn factor_for(share: f64, period: Duration, long_window: Duration) -> f64 {
    const EXACT: u128 = 1 << 53;
    if let Some((num, den)) = short_decimal(share) {
        let a = num.checked_mul(period.as_millis());
        let b = den.checked_mul(long_window.as_millis());
        if let (Some(a), Some(b)) = (a, b) {
            if a < EXACT && b < EXACT && b > 0 {
                // Both are integers below 2^53, so each converts exactly.
                return a as f64 / b as f64;
            }
        }
    }
    share * period.as_secs_f64() / long_window.as_secs_f64()
}

/// `x` as `num / 10^k` when its shortest decimal has at most 9 decimals and no exponent.
fn short_decimal(x: f64) -> Option<(u128, u128)> {
    if !x.is_finite() || x < 0.0 {
        return None;
    }
    let s = format!("{x}");
    let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), ""));
    if frac.len() > 9 || int.len() > 12 {
        return None;
    }
    let digits: u128 = format!("{int}{frac}").parse().ok()?;
    Some((digits, 10u128.pow(u32::try_from(frac.len()).ok()?)))
}

/// How long an alert on `error ratio over alert_window > factor × budget` takes to fire after a
/// constant `error_ratio` starts (`None`: it never fires at that ratio).
pub fn detection_time(
    o: &Objective,
    error_ratio: f64,
    alert_window: Duration,
    factor: f64,
) -> Result<Option<Duration>, BudgetInputError> {
    let threshold = non_negative(factor, "burn_factor")? * o.budget();
    if error_ratio_in(error_ratio)? <= threshold {
        return Ok(None);
    }
    // threshold < error_ratio: at most the window (the float round trip may not know that).
    Ok(Some(
        Duration::from_secs_f64(threshold * alert_window.as_secs_f64() / error_ratio)
            .min(alert_window),
    ))
}

/// How long the same alert keeps firing after errors at `error_ratio` that filled the window
/// stop (`None`: it never fired).
pub fn reset_time(
    o: &Objective,
    error_ratio: f64,
    alert_window: Duration,
    factor: f64,
) -> Result<Option<Duration>, BudgetInputError> {
    let threshold = non_negative(factor, "burn_factor")? * o.budget();
    if error_ratio_in(error_ratio)? <= threshold {
        return Ok(None);
    }
    Ok(Some(
        Duration::from_secs_f64(alert_window.as_secs_f64() * (1.0 - threshold / error_ratio))
            .min(alert_window),
    ))
}

/// Budget state from good and total event counts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BudgetStatus {
    /// good / total (`None`: no events, no data).
    pub sli: Option<f64>,
    /// Total events.
    pub total: u64,
    /// Bad events.
    pub bad: u64,
    /// Bad events allowed for this total.
    pub allowed_bad: u64,
    /// Consumed share of the budget (bad / allowed; `None` with no data; may exceed 1).
    pub consumed: Option<f64>,
    /// 1 − consumed (negative when overspent).
    pub remaining: Option<f64>,
    /// allowed − bad events (negative when overspent).
    pub remaining_events: i64,
}

/// The budget over `good` of `total` events; consumption is measured against the exact
/// allowance `total × budget` (so it is finite whenever there are events).
pub fn budget_status(o: &Objective, good: u64, total: u64) -> BudgetStatus {
    let bad = total.saturating_sub(good);
    let allowed = allowed_bad_events(o, total);
    let (consumed, sli) = if total == 0 {
        (None, None)
    } else {
        // Consumption against the exact (fractional) allowance total × budget.
        let (b, d) = o.budget_ratio();
        let allowance = total as f64 * b as f64 / d as f64;
        (
            Some(bad as f64 / allowance),
            Some(good.min(total) as f64 / total as f64),
        )
    };
    BudgetStatus {
        sli,
        total,
        bad,
        allowed_bad: allowed,
        consumed,
        remaining: consumed.map(|c| 1.0 - c),
        remaining_events: i64::try_from(allowed).unwrap_or(i64::MAX)
            - i64::try_from(bad).unwrap_or(i64::MAX),
    }
}
