//! SLO windows and budgeting methods.
//!
//! - **Rolling** windows: the last `length` (e.g. 30 days).
//! - **Calendar** windows (OpenSLO `isRolling: false`): the current day, week (from Monday),
//!   month or quarter in a fixed UTC offset or an IANA time zone. For occurrences on a calendar window the period's
//!   total is **estimated** as the total so far × period length / elapsed time, so the allowance
//!   grows with traffic instead of being known in advance.
//! - **Budgeting methods** (OpenSLO): `Occurrences` (good / total over the window),
//!   `Timeslices` (the share of time slices whose own ratio meets the timeslice target), and
//!   `RatioTimeslices` (the mean of the slices' ratios). Slices without events do not count.

use chrono::{Datelike, Duration as ChronoDuration, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Calendar units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarUnit {
    /// A day.
    Day,
    /// A week from Monday.
    Week,
    /// A month.
    Month,
    /// A quarter (Jan, Apr, Jul, Oct).
    Quarter,
}

crate::error::field_error!(
    /// Why a calendar window cannot be computed.
    WindowError,
    "invalid calendar window: ",
    "invalid_window",
    crate::error::ErrorKind::Config
);

/// A calendar window in a fixed offset from UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarWindow {
    /// Unit.
    pub unit: CalendarUnit,
    /// Offset from UTC, seconds east (e.g. 3600 for +01:00).
    pub utc_offset_seconds: i32,
}

impl CalendarWindow {
    /// The window containing `at` (Unix seconds): `(start, end)` in Unix seconds, end exclusive.
    pub fn bounds(&self, at: i64) -> Result<(i64, i64), WindowError> {
        let tz = FixedOffset::east_opt(self.utc_offset_seconds).ok_or_else(|| {
            WindowError::new(
                "zone",
                format!("offset {} s is out of range", self.utc_offset_seconds),
            )
        })?;
        bounds_with(&tz, self.unit, at)
    }

    /// The window containing `at` in an IANA time zone (`"Europe/Berlin"`), so months and days
    /// follow its daylight-saving changes (a month may be an hour shorter or longer). Needs the
    /// `tz` feature (on by default; the WebAssembly build leaves the tz database out).
    #[cfg(feature = "tz")]
    pub fn bounds_in_zone(
        unit: CalendarUnit,
        zone: &str,
        at: i64,
    ) -> Result<(i64, i64), WindowError> {
        let tz: chrono_tz::Tz = zone.parse().map_err(|_| {
            WindowError::new(
                "zone",
                format!("expected an IANA time zone such as Europe/Berlin, found `{zone}`"),
            )
        })?;
        bounds_with(&tz, unit, at)
    }
}

impl std::str::FromStr for CalendarUnit {
    type Err = WindowError;
    fn from_str(s: &str) -> Result<CalendarUnit, WindowError> {
        match s {
            "day" => Ok(CalendarUnit::Day),
            "week" => Ok(CalendarUnit::Week),
            "month" => Ok(CalendarUnit::Month),
            "quarter" => Ok(CalendarUnit::Quarter),
            _ => Err(WindowError::new(
                "unit",
                format!("expected a unit of day, week, month or quarter, found `{s}`"),
            )),
        }
    }
}

/// `"UTC"`, `"Z"`, `"+02:00"`, `"-0530"` as seconds east of UTC (`None` for anything else).
pub fn fixed_offset_seconds(zone: &str) -> Option<i32> {
    let z = zone.trim();
    if z.eq_ignore_ascii_case("utc") || z == "Z" {
        return Some(0);
    }
    let (sign, rest) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits[2..].parse().ok()?;
    Some(sign * (h * 3600 + m * 60))
}

impl CalendarWindow {
    /// The window containing `at` (Unix seconds) in `zone`: a fixed offset (`"UTC"`,
    /// `"+02:00"`, `"-0530"`) or, with the `tz` feature, an IANA zone (`"Europe/Berlin"`).
    /// Without the feature an IANA name is refused with a message saying so.
    pub fn containing(unit: CalendarUnit, zone: &str, at: i64) -> Result<(i64, i64), WindowError> {
        if let Some(off) = fixed_offset_seconds(zone) {
            return CalendarWindow {
                unit,
                utc_offset_seconds: off,
            }
            .bounds(at);
        }
        #[cfg(feature = "tz")]
        {
            CalendarWindow::bounds_in_zone(unit, zone, at)
        }
        #[cfg(not(feature = "tz"))]
        {
            Err(WindowError::new("zone", format!(
                "expected a fixed UTC offset such as +02:00, found `{zone}` (IANA time zones need the tz database, which this build leaves out)"
            )))
        }
    }
}

fn bounds_with<Tz: TimeZone>(
    tz: &Tz,
    unit: CalendarUnit,
    at: i64,
) -> Result<(i64, i64), WindowError> {
    let out_of_range = || {
        WindowError::new(
            "at",
            format!("time {at} is out of range for calendar windows"),
        )
    };
    let utc = Utc
        .timestamp_opt(at, 0)
        .single()
        .ok_or_else(out_of_range)?
        .naive_utc();
    // The local date, without chrono's panic for local times past its range.
    let offset = tz.offset_from_utc_datetime(&utc).fix();
    let d = utc
        .checked_add_offset(offset)
        .ok_or_else(out_of_range)?
        .date();
    let days = |n: NaiveDate, k: i64| {
        n.checked_add_signed(ChronoDuration::days(k))
            .ok_or_else(out_of_range)
    };
    let first_of = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(out_of_range);
    let (start, end): (NaiveDate, NaiveDate) = match unit {
        CalendarUnit::Day => (d, days(d, 1)?),
        CalendarUnit::Week => {
            let s = days(d, -i64::from(d.weekday().num_days_from_monday()))?;
            (s, days(s, 7)?)
        }
        CalendarUnit::Month => {
            let e = if d.month() == 12 {
                first_of(d.year() + 1, 1)?
            } else {
                first_of(d.year(), d.month() + 1)?
            };
            (first_of(d.year(), d.month())?, e)
        }
        CalendarUnit::Quarter => {
            let q = (d.month() - 1) / 3;
            let e = if q == 3 {
                first_of(d.year() + 1, 1)?
            } else {
                first_of(d.year(), q * 3 + 4)?
            };
            (first_of(d.year(), q * 3 + 1)?, e)
        }
    };
    // Local midnight; where a daylight-saving jump skips it, the first instant after.
    let to_unix = |n: NaiveDate| -> Result<i64, WindowError> {
        let local = n.and_hms_opt(0, 0, 0).ok_or_else(out_of_range)?;
        (0..4)
            .find_map(|h| {
                let t = local.checked_add_signed(ChronoDuration::hours(h))?;
                tz.from_local_datetime(&t).earliest()
            })
            .map(|x| x.timestamp())
            .ok_or_else(out_of_range)
    };
    Ok((to_unix(start)?, to_unix(end)?))
}

/// The period total estimated from the total so far, for occurrences on a calendar window:
/// `so_far × period / elapsed` (`None` before any time has elapsed).
pub fn estimated_period_total(
    so_far: u64,
    elapsed_seconds: f64,
    period_seconds: f64,
) -> Option<f64> {
    (elapsed_seconds > 0.0).then(|| so_far as f64 * period_seconds / elapsed_seconds)
}

/// OpenSLO budgeting methods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "method")]
pub enum BudgetingMethod {
    /// good / total over the window.
    Occurrences,
    /// Share of slices whose ratio is at least `target`.
    Timeslices {
        /// Slice length, seconds.
        slice_seconds: f64,
        /// The per-slice target (e.g. 0.95).
        target: f64,
    },
    /// Mean of the slices' ratios.
    RatioTimeslices {
        /// Slice length, seconds.
        slice_seconds: f64,
    },
}

fn invalid(path: String, message: String) -> crate::error::Violation {
    crate::error::Violation::invalid_value(path, message)
}

/// Checks a method's parameters (slice length finite and above zero, target a ratio) and
/// samples (finite times in order, finite counts with 0 ≤ good ≤ total).
pub fn check_sli_inputs(
    method: BudgetingMethod,
    samples: &[(f64, f64, f64)],
) -> Result<(), Vec<crate::error::Violation>> {
    let mut out = Vec::new();
    let slice = match method {
        BudgetingMethod::Occurrences => None,
        BudgetingMethod::Timeslices {
            slice_seconds,
            target,
        } => {
            if !(0.0..=1.0).contains(&target) {
                out.push(invalid(
                    "method.target".into(),
                    format!("expected a ratio between 0 and 1, found {target}"),
                ));
            }
            Some(slice_seconds)
        }
        BudgetingMethod::RatioTimeslices { slice_seconds } => Some(slice_seconds),
    };
    if let Some(sl) = slice.filter(|sl| !(sl.is_finite() && *sl > 0.0)) {
        out.push(invalid(
            "method.slice_seconds".into(),
            format!("expected a finite slice length above zero, found {sl}"),
        ));
    }
    for (i, &(t, g, tot)) in samples.iter().enumerate() {
        if !t.is_finite() {
            out.push(invalid(
                format!("samples[{i}].time"),
                format!("expected a finite time, found {t}"),
            ));
        } else if i > 0 && t < samples[i - 1].0 {
            out.push(invalid(
                format!("samples[{i}].time"),
                format!(
                    "expected times in order, found {t} after {}",
                    samples[i - 1].0
                ),
            ));
        }
        if !(tot.is_finite() && tot >= 0.0) {
            out.push(invalid(
                format!("samples[{i}].total"),
                format!("expected a finite count of 0 or more, found {tot}"),
            ));
        }
        if !(g.is_finite() && g >= 0.0 && g <= tot.max(0.0)) {
            out.push(invalid(
                format!("samples[{i}].good"),
                format!("expected a finite count between 0 and total ({tot}), found {g}"),
            ));
        }
    }
    if out.is_empty() {
        Ok(())
    } else {
        Err(out)
    }
}

/// The SLI over samples `(unix_seconds, good, total)` with `method`; `Ok(None)` with no data.
/// Samples fall in slices of `slice_seconds` counted from the first sample's slice boundary
/// (slice = ⌊t / slice⌋). Inputs are checked first ([`check_sli_inputs`]).
pub fn sli(
    method: BudgetingMethod,
    samples: &[(f64, f64, f64)],
) -> Result<Option<f64>, Vec<crate::error::Violation>> {
    check_sli_inputs(method, samples)?;
    Ok(match method {
        BudgetingMethod::Occurrences => {
            let (g, t) = samples
                .iter()
                .fold((0.0, 0.0), |(g, t), &(_, gg, tt)| (g + gg, t + tt));
            (t > 0.0).then(|| (g / t).clamp(0.0, 1.0))
        }
        BudgetingMethod::Timeslices {
            slice_seconds,
            target,
        } => {
            let ratios = slices(samples, slice_seconds);
            (!ratios.is_empty()).then(|| {
                ratios.iter().filter(|&&r| r >= target).count() as f64 / ratios.len() as f64
            })
        }
        BudgetingMethod::RatioTimeslices { slice_seconds } => {
            let ratios = slices(samples, slice_seconds);
            (!ratios.is_empty()).then(|| ratios.iter().sum::<f64>() / ratios.len() as f64)
        }
    })
}

fn slices(samples: &[(f64, f64, f64)], slice: f64) -> Vec<f64> {
    let mut out: Vec<(i64, f64, f64)> = Vec::new();
    if slice.is_nan() || slice <= 0.0 {
        return Vec::new();
    }
    for &(t, g, tot) in samples {
        let k = (t / slice).floor() as i64;
        match out.last_mut() {
            Some((s, gg, tt)) if *s == k => {
                *gg += g;
                *tt += tot;
            }
            _ => out.push((k, g, tot)),
        }
    }
    out.into_iter()
        .filter(|&(_, _, t)| t > 0.0)
        .map(|(_, g, t)| (g / t).clamp(0.0, 1.0))
        .collect()
}
