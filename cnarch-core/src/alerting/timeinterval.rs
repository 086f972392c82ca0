//! Alertmanager's time intervals (`timeinterval/timeinterval.go`, 0.25): `times`
//! (`HH:MM` to `HH:MM`, end exclusive, `24:00` allowed), `weekdays` (`monday:friday`, names
//! only), `days_of_month` (`1:5`, `-1` the last day, negative from the end), `months`
//! (`january:march` or `1:3`), `years` (`2024:2026`) and `location` (an IANA zone; absent:
//! UTC). An interval contains an instant when every field it sets has a range that holds (a
//! field set to an empty list never holds); a named interval is a list of them, any of which
//! may hold.
//!
//! Ranges are read as Alertmanager reads them: case-insensitive names, Go's `Atoi` numbers,
//! `start:end` or one value, and the same checks (weekdays in 0–6 and ordered, days of month in
//! ±1–31 with a negative start needing a negative end and never ending before it starts on a
//! 28-day month, months and years ordered). A day-of-month range is clamped to the month as
//! Alertmanager clamps it, and skipped when it starts after the month's last day.

use chrono::{DateTime, Datelike, Offset, TimeZone, Timelike, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::error::Violation;

/// An inclusive range.
pub type Range = (i64, i64);

/// One time interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct TimeInterval {
    /// Minutes of the day, `[start, end)`.
    pub times: Option<Vec<(i64, i64)>>,
    /// Days of the week, 0 = Sunday.
    pub weekdays: Option<Vec<Range>>,
    /// Days of the month (negative: from the end, -1 the last day).
    pub days_of_month: Option<Vec<Range>>,
    /// Months, 1 = January.
    pub months: Option<Vec<Range>>,
    /// Years.
    pub years: Option<Vec<Range>>,
    /// The IANA zone (`None`: UTC).
    pub location: Option<String>,
}

const WEEKDAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn atoi(s: &str) -> Option<i64> {
    s.parse::<i64>().ok()
}

/// `start:end` or one value, each read by `member` (after lowercasing).
fn range_of(text: &str, member: &dyn Fn(&str) -> Result<i64, String>) -> Result<Range, String> {
    let lower = text.to_lowercase();
    if lower.contains(':') {
        let parts: Vec<&str> = lower.split(':').collect();
        if parts.len() != 2 {
            return Err(format!("expected a range `start:end`, found `{text}`"));
        }
        Ok((member(parts[0])?, member(parts[1])?))
    } else {
        let v = member(&lower)?;
        Ok((v, v))
    }
}

fn weekday(s: &str) -> Result<i64, String> {
    WEEKDAYS
        .iter()
        .position(|d| *d == s)
        .map(|i| i as i64)
        .ok_or_else(|| format!("expected a weekday name (`monday`), found `{s}`"))
}

fn month(s: &str) -> Result<i64, String> {
    MONTHS
        .iter()
        .position(|m| *m == s)
        .map(|i| i as i64 + 1)
        .or_else(|| atoi(s))
        .ok_or_else(|| format!("expected a month name or number, found `{s}`"))
}

fn number(s: &str) -> Result<i64, String> {
    atoi(s).ok_or_else(|| format!("expected an integer, found `{s}`"))
}

fn check_weekdays(r: Range, text: &str) -> Result<Range, String> {
    if r.0 > r.1 {
        return Err(format!(
            "expected the start day before the end day, found `{text}`"
        ));
    }
    if !(0..=6).contains(&r.0) || !(0..=6).contains(&r.1) {
        return Err(format!("expected days of the week, found `{text}`"));
    }
    Ok(r)
}

fn check_days(r: Range, _text: &str) -> Result<Range, String> {
    for d in [r.0, r.1] {
        if d == 0 || !(-31..=31).contains(&d) {
            return Err(format!(
                "expected a day of the month in 1–31 or -31–-1, found `{d}`"
            ));
        }
    }
    if r.0 < 0 && r.1 > 0 {
        return Err("expected a negative end day after a negative start day".to_string());
    }
    let b = if r.0 < 0 { 28 + r.0 } else { r.0 };
    let e = if r.1 < 0 { 28 + r.1 } else { r.1 };
    if b > e {
        return Err(format!(
            "expected the end day {} not always before the start day {}",
            r.1, r.0
        ));
    }
    Ok(r)
}

fn check_ordered(what: &'static str) -> impl Fn(Range, &str) -> Result<Range, String> {
    move |r, text| {
        if r.0 > r.1 {
            Err(format!(
                "expected the start {what} before the end {what}, found `{text}`"
            ))
        } else {
            Ok(r)
        }
    }
}

/// `HH:MM` as minutes of the day (`^(([01][0-9])|(2[0-3])):[0-5][0-9]$` or `24:00`).
fn minutes(s: &str) -> Result<i64, String> {
    let b = s.as_bytes();
    let ok = s == "24:00"
        || (b.len() == 5
            && b[2] == b':'
            && matches!(
                (b[0], b[1]),
                (b'0'..=b'1', b'0'..=b'9') | (b'2', b'0'..=b'3')
            )
            && matches!(b[3], b'0'..=b'5')
            && b[4].is_ascii_digit());
    if !ok {
        return Err(format!(
            "expected a time of day `HH:MM` (00:00 to 24:00), found `{s}`"
        ));
    }
    let h = atoi(&s[..2]).unwrap_or(0);
    let m = atoi(&s[3..]).unwrap_or(0);
    Ok(h * 60 + m)
}

impl TimeInterval {
    /// Reads one interval (`path` names it in errors).
    pub fn from_value(v: &Value, path: &str) -> Result<TimeInterval, Vec<Violation>> {
        let mut out = Vec::new();
        let Some(map) = v.as_object() else {
            return Err(vec![Violation::at(
                path,
                "invalid_type",
                format!("expected a time interval (times, weekdays, days_of_month, months, years, location), found {v}"),
            )]);
        };
        let mut ti = TimeInterval::default();
        for (key, val) in map {
            let p = format!("{path}.{key}");
            match key.as_str() {
                "times" => ti.times = Some(times(val, &p, &mut out)),
                "weekdays" => ti.weekdays = Some(ranges(val, &p, &weekday, &check_weekdays, &mut out)),
                "days_of_month" => {
                    ti.days_of_month = Some(ranges(val, &p, &number, &check_days, &mut out))
                }
                "months" => {
                    ti.months = Some(ranges(val, &p, &month, &check_ordered("month"), &mut out))
                }
                "years" => {
                    ti.years = Some(ranges(val, &p, &number, &check_ordered("year"), &mut out))
                }
                "location" => match val.as_str() {
                    Some(z) => match zone_ok(z) {
                        Ok(()) => ti.location = Some(z.to_string()),
                        Err(m) => out.push(Violation::at(p, "invalid_value", m)),
                    },
                    None => out.push(Violation::at(
                        p,
                        "invalid_type",
                        format!("expected a time zone name, found {val}"),
                    )),
                },
                _ => out.push(Violation::at(
                    p,
                    "unknown_field",
                    format!("expected one of `times`, `weekdays`, `days_of_month`, `months`, `years`, `location`, found `{key}`"),
                )),
            }
        }
        if out.is_empty() {
            Ok(ti)
        } else {
            Err(out)
        }
    }

    /// Whether the interval holds at `t` (seconds since the Unix epoch).
    pub fn contains(&self, t: f64) -> bool {
        let secs = t.floor();
        if !secs.is_finite() || secs.abs() > 1e14 {
            return false;
        }
        let Some(utc) = DateTime::<Utc>::from_timestamp(secs as i64, 0) else {
            return false;
        };
        match self.location.as_deref() {
            None | Some("") | Some("UTC") | Some("Local") => self.contains_at(&utc),
            #[cfg(feature = "tz")]
            Some(z) => match z.parse::<chrono_tz::Tz>() {
                Ok(tz) => self.contains_at(&utc.with_timezone(&tz)),
                Err(_) => false,
            },
            #[cfg(not(feature = "tz"))]
            Some(_) => false,
        }
    }

    fn contains_at<Z: TimeZone>(&self, t: &DateTime<Z>) -> bool {
        let minute = i64::from(t.hour() * 60 + t.minute());
        if let Some(ts) = &self.times {
            if !ts.iter().any(|&(s, e)| minute >= s && minute < e) {
                return false;
            }
        }
        if let Some(days) = &self.days_of_month {
            let dim = days_in_month(t);
            let day = i64::from(t.day());
            let hit = days.iter().any(|&(b, e)| {
                let b = if b < 0 { dim + b + 1 } else { b };
                let e = if e < 0 { dim + e + 1 } else { e };
                if b > dim {
                    return false;
                }
                let b = b.clamp(-dim, dim);
                let e = e.clamp(-dim, dim);
                day >= b && day <= e
            });
            if !hit {
                return false;
            }
        }
        let within = |rs: &Option<Vec<Range>>, v: i64| {
            rs.as_ref()
                .is_none_or(|rs| rs.iter().any(|&(b, e)| v >= b && v <= e))
        };
        within(&self.months, i64::from(t.month()))
            && within(
                &self.weekdays,
                i64::from(t.weekday().num_days_from_sunday()),
            )
            && within(&self.years, i64::from(t.year()))
    }
}

/// Whether any interval of a named list holds at `t`.
pub fn any_contains(list: &[TimeInterval], t: f64) -> bool {
    list.iter().any(|i| i.contains(t))
}

/// The month's length as Alertmanager's `daysInMonth` computes it: whole 24-hour days between
/// the local midnights (as Go's `time.Date` resolves them) starting this month and the next, so
/// in a zone that springs forward during the month it is one day short (Europe/Berlin's March
/// has 30), which shifts negative `days_of_month` as in Alertmanager.
fn days_in_month<Z: TimeZone>(t: &DateTime<Z>) -> i64 {
    let tz = t.timezone();
    let (ny, nm) = if t.month() == 12 {
        (t.year() + 1, 1)
    } else {
        (t.year(), t.month() + 1)
    };
    let Some(start) = go_date(&tz, t.year(), t.month(), 0) else {
        return 30;
    };
    // `AddDate` keeps the start's local clock, which is not midnight when midnight did not
    // exist that day.
    let clock = offset_at(&tz, start).map_or(0, |o| (start + o).rem_euclid(86_400));
    match go_date(&tz, ny, nm, clock) {
        Some(end) => (end - start).div_euclid(86_400),
        None => 30,
    }
}

/// The UTC offset (seconds) of `tz` at a Unix time.
fn offset_at<Z: TimeZone>(tz: &Z, unix: i64) -> Option<i64> {
    let n = DateTime::<Utc>::from_timestamp(unix, 0)?.naive_utc();
    Some(i64::from(
        tz.offset_from_utc_datetime(&n).fix().local_minus_utc(),
    ))
}

/// Go's `time.Date(year, month, 1, clock)` in `tz` as a Unix time: the wall time read with the
/// offset in effect at it taken as UTC, corrected once when that instant has another offset.
fn go_date<Z: TimeZone>(tz: &Z, year: i32, month: u32, clock: i64) -> Option<i64> {
    let local = chrono::NaiveDate::from_ymd_opt(year, month, 1)?
        .and_hms_opt(0, 0, 0)?
        .and_utc()
        .timestamp()
        + clock;
    let first = offset_at(tz, local)?;
    if first == 0 {
        return Some(local);
    }
    let guess = local - first;
    let second = offset_at(tz, guess)?;
    Some(local - if second != first { second } else { first })
}

fn zone_ok(z: &str) -> Result<(), String> {
    if matches!(z, "" | "UTC" | "Local") {
        return Ok(());
    }
    #[cfg(feature = "tz")]
    {
        z.parse::<chrono_tz::Tz>()
            .map(|_| ())
            .map_err(|_| format!("expected an IANA time zone such as Europe/Berlin, found `{z}`"))
    }
    #[cfg(not(feature = "tz"))]
    {
        Err(format!(
            "expected `UTC`: this build has no time zone database, found `{z}`"
        ))
    }
}

fn strings<'a>(v: &'a Value, path: &str, out: &mut Vec<Violation>) -> Vec<(usize, &'a str)> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, x)| match x.as_str() {
                Some(s) => Some((i, s)),
                None => {
                    out.push(Violation::at(
                        format!("{path}[{i}]"),
                        "invalid_type",
                        format!("expected a string, found {x}"),
                    ));
                    None
                }
            })
            .collect(),
        Value::Null => Vec::new(),
        other => {
            out.push(Violation::at(
                path,
                "invalid_type",
                format!("expected a list, found {other}"),
            ));
            Vec::new()
        }
    }
}

fn ranges(
    v: &Value,
    path: &str,
    member: &dyn Fn(&str) -> Result<i64, String>,
    check: &dyn Fn(Range, &str) -> Result<Range, String>,
    out: &mut Vec<Violation>,
) -> Vec<Range> {
    let mut rs = Vec::new();
    for (i, s) in strings(v, path, out) {
        match range_of(s, member).and_then(|r| check(r, s)) {
            Ok(r) => rs.push(r),
            Err(m) => out.push(Violation::at(format!("{path}[{i}]"), "invalid_value", m)),
        }
    }
    rs
}

fn times(v: &Value, path: &str, out: &mut Vec<Violation>) -> Vec<(i64, i64)> {
    let items: &[Value] = match v {
        Value::Array(a) => a,
        Value::Null => &[],
        other => {
            out.push(Violation::at(
                path,
                "invalid_type",
                format!("expected a list of {{start_time, end_time}}, found {other}"),
            ));
            return Vec::new();
        }
    };
    let mut rs = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let get = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or("");
        let (s, e) = (get("start_time"), get("end_time"));
        if let Some(m) = item.as_object() {
            if let Some(k) = m.keys().find(|k| *k != "start_time" && *k != "end_time") {
                out.push(Violation::at(
                    format!("{p}.{k}"),
                    "unknown_field",
                    format!("expected `start_time` or `end_time`, found `{k}`"),
                ));
                continue;
            }
        }
        if s.is_empty() || e.is_empty() {
            out.push(Violation::at(
                p,
                "required",
                "expected both start_time and end_time",
            ));
            continue;
        }
        match (minutes(s), minutes(e)) {
            (Ok(a), Ok(b)) if a < b => rs.push((a, b)),
            (Ok(_), Ok(_)) => out.push(Violation::at(
                p,
                "invalid_value",
                format!("expected start_time before end_time, found `{s}` to `{e}`"),
            )),
            (Err(m), _) | (_, Err(m)) => out.push(Violation::at(p, "invalid_value", m)),
        }
    }
    rs
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn business_hours() {
        let v = serde_json::json!({"times": [{"start_time": "09:00", "end_time": "17:00"}], "weekdays": ["Monday:friday"]});
        let ti = TimeInterval::from_value(&v, "t").unwrap();
        // 2026-12-02 is a Wednesday.
        let wed_10 = 1_764_669_600.0 + 86_400.0 * 365.0;
        let wed = DateTime::<Utc>::from_timestamp(wed_10 as i64, 0).unwrap();
        assert_eq!(wed.weekday().num_days_from_sunday(), 3);
        assert_eq!(wed.hour(), 10);
        assert!(ti.contains(wed_10));
        assert!(!ti.contains(wed_10 + 8.0 * 3600.0));
        assert!(!ti.contains(wed_10 + 3.0 * 86_400.0)); // Saturday
    }

    /// Alertmanager 0.25 (asked through conformance/go/alertmanager) counts Berlin's March,
    /// which springs forward, as 30 whole days: `-1` is March 30, not 31.
    #[cfg(feature = "tz")]
    #[test]
    fn last_day_of_a_month_that_springs_forward_is_as_alertmanager_counts_it() {
        let v = serde_json::json!({"days_of_month": ["-1"], "location": "Europe/Berlin"});
        let ti = TimeInterval::from_value(&v, "t").unwrap();
        assert!(ti.contains(1_774_864_800.0)); // 2026-03-30 12:00 CEST
        assert!(!ti.contains(1_774_951_200.0)); // 2026-03-31 12:00 CEST
        let utc =
            TimeInterval::from_value(&serde_json::json!({"days_of_month": ["-1"]}), "t").unwrap();
        assert!(utc.contains(1_774_958_400.0)); // 2026-03-31 12:00 UTC
    }

    #[test]
    fn last_day_of_month() {
        let v = serde_json::json!({"days_of_month": ["-1"]});
        let ti = TimeInterval::from_value(&v, "t").unwrap();
        let feb28_2026 = 1_772_236_800.0; // 2026-02-28T00:00:00Z
        assert!(ti.contains(feb28_2026));
        assert!(!ti.contains(feb28_2026 - 86_400.0));
        assert!(
            TimeInterval::from_value(&serde_json::json!({"days_of_month": ["-1:5"]}), "t").is_err()
        );
        assert!(TimeInterval::from_value(&serde_json::json!({"weekdays": ["1"]}), "t").is_err());
    }
}
