//! Schedules: cron with Kubernetes CronJob semantics, and AWS `rate(...)` / `cron(...)`.
//!
//! - **Kubernetes / standard cron** (what the CronJob controller accepts, via robfig/cron v3's
//!   standard parser, corner cases included: see docs/values.md): five fields `minute hour day-of-month month day-of-week`; `*` and `?`,
//!   lists `a,b`, ranges `a-b`, steps `*/n`, `a-b/n` and `a/n` (meaning `a-max/n`); month names
//!   `JAN`..`DEC` and weekday names `SUN`..`SAT` (any case); weekdays 0–6 with 0 = Sunday;
//!   descriptors `@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/`@midnight`, `@hourly` and
//!   `@every <go duration>`. When both day fields are restricted a day matches if **either**
//!   does; when either is `*` (or `*/1`, `?`) both must match. A `TZ=`/`CRON_TZ=` prefix is
//!   rejected, as Kubernetes rejects it (the CronJob has a `timeZone` field instead).
//! - **AWS EventBridge**: `rate(1 minute)`, `rate(5 minutes)` (unit singular exactly when the
//!   value is 1; minutes, hours or days) and `cron(min hour dom month dow year)` with exactly one
//!   of day-of-month and day-of-week `?`, weekdays 1–7 with 1 = Sunday, `L`, `W`, `LW` in
//!   day-of-month, `L`, `nL` and `n#k` in day-of-week, years 1970–2199.
//!
//! Fire times are in UTC. [`Schedule::next_after`] returns the first fire time strictly after
//! the given instant; like robfig/cron it gives up (returns `None`) when nothing matches within
//! five years of the start. A `rate(...)` or `@every` schedule is anchored at the instant given
//! (AWS anchors a rate at rule creation): the next time is that instant plus the interval
//! (`@every` first truncates the instant to whole seconds, as robfig/cron does).
//!
//! ```
//! use cnarch_core::schedule::Schedule;
//! use chrono::{TimeZone, Utc};
//! let s: Schedule = "0 12 * * MON-FRI".parse().unwrap();
//! let t = Utc.with_ymd_and_hms(2026, 11, 27, 13, 0, 0).unwrap(); // a Friday
//! let next = s.next_after(t).unwrap();
//! assert_eq!(next, Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap()); // Monday noon
//! ```

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration as ChronoDuration, NaiveDate, TimeZone, Timelike, Utc, Weekday,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::duration::Duration;

/// Why a schedule expression was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid schedule `{input}`: {reason}")]
pub struct ScheduleError {
    /// The rejected expression.
    pub input: String,
    /// What was expected, and what was found.
    pub reason: String,
}

impl ScheduleError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        "invalid_schedule"
    }
}

/// A set of allowed values for one field, as a bit mask (bit n = value n).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Field {
    bits: u64,
    star: bool,
}

impl Field {
    fn has(&self, v: u32) -> bool {
        v < 64 && self.bits & (1u64 << v) != 0
    }
}

/// AWS day-of-month specials.
#[derive(Debug, Clone, PartialEq, Eq)]
enum AwsDom {
    Any,
    Set(Field),
    Last,
    LastWeekday,
    NearestWeekday(u32),
}

/// AWS day-of-week specials (weekday numbers here are 0 = Sunday).
#[derive(Debug, Clone, PartialEq, Eq)]
enum AwsDow {
    Any,
    Set(Field),
    LastOfMonth(u32),
    Nth(u32, u32),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Cron {
        minute: Field,
        hour: Field,
        dom: Field,
        month: Field,
        dow: Field,
    },
    Every(Duration),
    Rate {
        seconds: i64,
    },
    AwsCron {
        minute: Field,
        hour: Field,
        dom: AwsDom,
        month: Field,
        dow: AwsDow,
        year: Vec<(u32, u32, u64)>,
    },
}

/// A parsed schedule expression. Prints as the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    text: String,
    kind: Kind,
}

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

struct Bounds {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// The number the first name stands for.
    name_base: u32,
}

const MINUTE: Bounds = Bounds {
    name: "minute",
    min: 0,
    max: 59,
    names: &[],
    name_base: 0,
};
const HOUR: Bounds = Bounds {
    name: "hour",
    min: 0,
    max: 23,
    names: &[],
    name_base: 0,
};
const DOM: Bounds = Bounds {
    name: "day-of-month",
    min: 1,
    max: 31,
    names: &[],
    name_base: 0,
};
const MONTH: Bounds = Bounds {
    name: "month",
    min: 1,
    max: 12,
    names: &MONTHS,
    name_base: 1,
};
const DOW: Bounds = Bounds {
    name: "day-of-week",
    min: 0,
    max: 6,
    names: &DAYS,
    name_base: 0,
};
const AWS_DOW: Bounds = Bounds {
    name: "day-of-week",
    min: 1,
    max: 7,
    names: &DAYS,
    name_base: 1,
};
const AWS_YEAR_MIN: u32 = 1970;
const AWS_YEAR_MAX: u32 = 2199;

/// Go's `strconv.Atoi` followed by robfig's "negative number not allowed": an optional sign, ASCII
/// digits, within int64, not below zero.
#[deny(clippy::arithmetic_side_effects)]
fn parse_int(s: &str, b: &Bounds) -> Result<u64, String> {
    match s.parse::<i64>() {
        Ok(v) => u64::try_from(v).map_err(|_| {
            format!(
                "{} field: expected a number of at least 0, found `{s}`",
                b.name
            )
        }),
        Err(_) if b.names.is_empty() => {
            Err(format!("{} field: expected a number, found `{s}`", b.name))
        }
        Err(_) => Err(format!(
            "{} field: expected a number or a name like `{}`, found `{s}`",
            b.name, b.names[0]
        )),
    }
}

/// Is `s` the name `name` (upper case ASCII) under Go's `strings.ToLower`, which maps each
/// character by its simple lower-case mapping? Besides ASCII letters, two characters lower to
/// ASCII: `İ` (U+0130) to `i` and the Kelvin sign (U+212A) to `k`.
#[deny(clippy::arithmetic_side_effects)]
fn is_name(s: &str, name: &str) -> bool {
    let mut chars = s.chars();
    for want in name.chars() {
        let lowered = match chars.next() {
            Some('\u{130}') => 'i',
            Some('\u{212A}') => 'k',
            Some(c) => c.to_ascii_lowercase(),
            None => return false,
        };
        if lowered != want.to_ascii_lowercase() {
            return false;
        }
    }
    chars.next().is_none()
}

#[deny(clippy::arithmetic_side_effects)]
fn parse_value(s: &str, b: &Bounds) -> Result<u64, String> {
    if let Some(i) = b.names.iter().position(|n| is_name(s, n)) {
        return Ok(u64::from(b.name_base).saturating_add(i as u64));
    }
    parse_int(s, b)
}

/// One comma-separated item: `*`, `?`, `a`, `a-b`, with an optional `/step`, read as robfig's
/// `getRange` reads it: after `*` or `?` the text up to a `/` is not looked at (`*-x` is `*`),
/// and numbers and steps are int64s.
#[deny(clippy::arithmetic_side_effects)]
fn parse_range(expr: &str, b: &Bounds) -> Result<(u64, u64, u64, bool), String> {
    let (min, max) = (u64::from(b.min), u64::from(b.max));
    let mut parts = expr.split('/');
    let range = parts.next().unwrap_or("");
    let step_text = parts.next();
    if parts.next().is_some() {
        return Err(format!("{} field: too many slashes in `{}`", b.name, expr));
    }
    let lo_hi: Vec<&str> = range.split('-').collect();
    let first = lo_hi.first().copied().unwrap_or("");
    let (start, mut end, mut star) = if first == "*" || first == "?" {
        (min, max, true)
    } else {
        match lo_hi.as_slice() {
            [one] => {
                let v = parse_value(one, b)?;
                (v, v, false)
            }
            [lo, hi] => (parse_value(lo, b)?, parse_value(hi, b)?, false),
            _ => return Err(format!("{} field: too many hyphens in `{}`", b.name, expr)),
        }
    };
    let mut step = 1;
    if let Some(st) = step_text {
        step = st
            .parse::<i64>()
            .ok()
            .and_then(|v| u64::try_from(v).ok())
            .ok_or_else(|| {
                format!(
                    "{} field: expected a step number after `/`, found `{}`",
                    b.name, st
                )
            })?;
        if lo_hi.len() == 1 {
            end = max;
        }
        if step > 1 {
            star = false;
        }
    }
    if start < min {
        return Err(format!(
            "{} field: beginning of range ({}) below minimum ({}) in `{}`",
            b.name, start, min, expr
        ));
    }
    if end > max {
        return Err(format!(
            "{} field: end of range ({}) above maximum ({}) in `{}`",
            b.name, end, max, expr
        ));
    }
    if start > end {
        return Err(format!(
            "{} field: beginning of range ({}) beyond end of range ({}) in `{}`",
            b.name, start, end, expr
        ));
    }
    if step == 0 {
        return Err(format!(
            "{} field: step must be a positive number in `{}`",
            b.name, expr
        ));
    }
    Ok((start, end, step, star))
}

/// How a field treats empty comma-separated items.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Commas {
    /// robfig/cron (Kubernetes): empty items are dropped, so `1,,2` is `1,2` and a field of only
    /// commas matches nothing.
    Drop,
    /// EventBridge: every item must hold a value.
    Refuse,
}

#[deny(clippy::arithmetic_side_effects)]
fn parse_field(text: &str, b: &Bounds, commas: Commas) -> Result<Field, String> {
    if text.is_empty() {
        return Err(format!("{} field: expected a value, found nothing", b.name));
    }
    let mut f = Field {
        bits: 0,
        star: false,
    };
    for item in text.split(',') {
        if item.is_empty() && commas == Commas::Drop {
            continue;
        }
        let (start, end, step, star) = parse_range(item, b)?;
        // start ≤ end ≤ 59 here; the step may be anything up to 2^63 - 1.
        let mut v = Some(start);
        while let Some(n) = v.filter(|n| *n <= end) {
            f.bits |= 1u64 << n;
            v = n.checked_add(step);
        }
        f.star |= star;
    }
    Ok(f)
}

fn all(b: &Bounds) -> Field {
    let mut bits = 0;
    for v in b.min..=b.max {
        bits |= 1u64 << v;
    }
    Field { bits, star: true }
}

fn one(v: u32) -> Field {
    Field {
        bits: 1u64 << v,
        star: false,
    }
}

impl Schedule {
    /// Parses a Kubernetes cron expression, a descriptor (`@daily`, `@every 5m`), or an AWS
    /// `rate(...)` / `cron(...)` expression.
    #[deny(clippy::arithmetic_side_effects)]
    pub fn parse(input: &str) -> Result<Schedule, ScheduleError> {
        let err = |reason: String| ScheduleError {
            input: input.to_string(),
            reason,
        };
        if input.trim().is_empty() {
            return Err(err("expected a cron expression, a descriptor like `@daily`, or `rate(...)`/`cron(...)`, found nothing".into()));
        }
        // EventBridge expressions may carry surrounding blanks; cron text is read as robfig reads
        // it: a descriptor only when `@` is the very first character, and matched exactly.
        let aws = input.trim();
        let kind = if let Some(inner) = aws.strip_prefix("rate(").and_then(|r| r.strip_suffix(')'))
        {
            parse_rate(inner).map_err(err)?
        } else if let Some(inner) = aws.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
            parse_aws_cron(inner).map_err(err)?
        } else if input.starts_with("TZ=") || input.starts_with("CRON_TZ=") {
            return Err(err("a time zone prefix is not supported, expected the schedule alone (use the `timeZone` field)".into()));
        } else if let Some(desc) = input.strip_prefix('@') {
            parse_descriptor(desc).map_err(err)?
        } else {
            let fields: Vec<&str> = input.split_whitespace().collect();
            if fields.len() != 5 {
                return Err(err(format!("expected exactly 5 fields (minute hour day-of-month month day-of-week), found {}", fields.len())));
            }
            Kind::Cron {
                minute: parse_field(fields[0], &MINUTE, Commas::Drop).map_err(err)?,
                hour: parse_field(fields[1], &HOUR, Commas::Drop).map_err(err)?,
                dom: parse_field(fields[2], &DOM, Commas::Drop).map_err(err)?,
                month: parse_field(fields[3], &MONTH, Commas::Drop).map_err(err)?,
                dow: parse_field(fields[4], &DOW, Commas::Drop).map_err(err)?,
            }
        };
        Ok(Schedule {
            text: if matches!(kind, Kind::Rate { .. } | Kind::AwsCron { .. }) {
                aws.to_string()
            } else {
                input.to_string()
            },
            kind,
        })
    }

    /// The expression text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The first fire time strictly after `t`, or `None` when none comes within five years.
    pub fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match &self.kind {
            Kind::Every(d) => {
                // robfig's `Every`: below one second (zero and negative included) is one second,
                // otherwise whole seconds; the next time counts from `t` truncated to its second.
                let secs = (d.as_nanos() / 1_000_000_000).max(1);
                let base = t.with_nanosecond(0)?;
                base.checked_add_signed(ChronoDuration::seconds(secs))
            }
            Kind::Rate { seconds } => t.checked_add_signed(ChronoDuration::seconds(*seconds)),
            Kind::Cron {
                minute,
                hour,
                dom,
                month,
                dow,
            } => search(
                t,
                |date| {
                    let dom_ok = dom.has(date.day());
                    let dow_ok = dow.has(date.weekday().num_days_from_sunday());
                    let day_ok = if dom.star || dow.star {
                        dom_ok && dow_ok
                    } else {
                        dom_ok || dow_ok
                    };
                    month.has(date.month()) && day_ok
                },
                hour,
                minute,
            ),
            Kind::AwsCron {
                minute,
                hour,
                dom,
                month,
                dow,
                year,
            } => search(
                t,
                |date| {
                    let y = date.year() as u32;
                    if !year.iter().any(|&(lo, hi, step)| {
                        y >= lo && y <= hi && u64::from(y - lo).is_multiple_of(step)
                    }) {
                        return false;
                    }
                    month.has(date.month())
                        && aws_dom_matches(dom, date)
                        && aws_dow_matches(dow, date)
                },
                hour,
                minute,
            ),
        }
    }

    /// The next `n` fire times strictly after `after` of a schedule that began at `anchor`
    /// (a rule's creation time; `None`: [`Schedule::next_n_after`]). A `rate(...)` fires at
    /// `anchor + k·rate`, k ≥ 1, as EventBridge's rate expressions start when the rule is
    /// created; robfig's `@every` the same from `anchor` truncated to its second; a cron
    /// schedule at its own times, none at or before `anchor`.
    pub fn next_n_after_anchored(
        &self,
        anchor: Option<DateTime<Utc>>,
        after: DateTime<Utc>,
        n: usize,
    ) -> Vec<DateTime<Utc>> {
        let Some(anchor) = anchor else {
            return self.next_n_after(after, n);
        };
        let (base, step) = match &self.kind {
            Kind::Rate { seconds } => (anchor, *seconds),
            Kind::Every(d) => match anchor.with_nanosecond(0) {
                Some(base) => (base, (d.as_nanos() / 1_000_000_000).max(1)),
                None => return Vec::new(),
            },
            _ => return self.next_n_after(after.max(anchor), n),
        };
        let elapsed = after.signed_duration_since(base).num_seconds();
        // The first multiple of `step` strictly after `after` (at least the first after `base`).
        let mut k = if after < base { 1 } else { elapsed / step + 1 };
        let mut out = Vec::with_capacity(n.min(64));
        while out.len() < n {
            let Some(t) = k
                .checked_mul(step)
                .and_then(ChronoDuration::try_seconds)
                .and_then(|d| base.checked_add_signed(d))
            else {
                break;
            };
            out.push(t);
            k += 1;
        }
        out
    }

    /// The next `n` fire times after `t` (fewer if the schedule runs dry).
    pub fn next_n_after(&self, t: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        // Grown as found: `n` may be far more than the schedule yields.
        let mut out = Vec::with_capacity(n.min(64));
        let mut cur = t;
        while out.len() < n {
            match self.next_after(cur) {
                Some(next) => {
                    out.push(next);
                    cur = next;
                }
                None => break,
            }
        }
        out
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .map(|d| d.day())
        .unwrap_or(28)
}

fn aws_dom_matches(dom: &AwsDom, date: NaiveDate) -> bool {
    let last = days_in_month(date.year(), date.month());
    match dom {
        AwsDom::Any => true,
        AwsDom::Set(f) => f.has(date.day()),
        AwsDom::Last => date.day() == last,
        AwsDom::LastWeekday => {
            let mut d = last;
            while let Some(nd) = NaiveDate::from_ymd_opt(date.year(), date.month(), d) {
                if !matches!(nd.weekday(), Weekday::Sat | Weekday::Sun) {
                    break;
                }
                d -= 1;
            }
            date.day() == d
        }
        AwsDom::NearestWeekday(n) => {
            let target = (*n).min(last);
            let Some(td) = NaiveDate::from_ymd_opt(date.year(), date.month(), target) else {
                return false;
            };
            // The weekday nearest to the target, never leaving the month.
            let chosen = match td.weekday() {
                Weekday::Sat => {
                    if target == 1 {
                        target + 2
                    } else {
                        target - 1
                    }
                }
                Weekday::Sun => {
                    if target == last {
                        target - 2
                    } else {
                        target + 1
                    }
                }
                _ => target,
            };
            date.day() == chosen
        }
    }
}

fn aws_dow_matches(dow: &AwsDow, date: NaiveDate) -> bool {
    let wd = date.weekday().num_days_from_sunday();
    let last = days_in_month(date.year(), date.month());
    match dow {
        AwsDow::Any => true,
        AwsDow::Set(f) => f.has(wd),
        AwsDow::LastOfMonth(d) => wd == *d && date.day() + 7 > last,
        AwsDow::Nth(d, k) => wd == *d && (date.day() - 1) / 7 + 1 == *k,
    }
}

/// Field-by-field search, as robfig/cron's `Next`: skip whole days, then hours, then minutes.
fn search(
    t: DateTime<Utc>,
    day_ok: impl Fn(NaiveDate) -> bool,
    hour: &Field,
    minute: &Field,
) -> Option<DateTime<Utc>> {
    // First candidate: the next whole minute strictly after t.
    let start = t
        .with_nanosecond(0)?
        .with_second(0)?
        .checked_add_signed(ChronoDuration::minutes(1))?;
    if hour.bits == 0 || minute.bits == 0 {
        return None;
    }
    // robfig gives up after the year five years on from `t` rounded up to the next second.
    let limit_year = t
        .with_nanosecond(0)?
        .checked_add_signed(ChronoDuration::seconds(1))?
        .year()
        .saturating_add(5);
    let mut date = start.date_naive();
    let mut h = start.hour();
    let mut m = start.minute();
    loop {
        if date.year() > limit_year {
            return None;
        }
        if !day_ok(date) {
            date = date.succ_opt()?;
            h = 0;
            m = 0;
            continue;
        }
        // Find an hour and minute on this day.
        let mut found = None;
        let mut hh = h;
        let mut mm = m;
        while hh < 24 {
            if hour.has(hh) {
                while mm < 60 {
                    if minute.has(mm) {
                        found = Some((hh, mm));
                        break;
                    }
                    mm += 1;
                }
                if found.is_some() {
                    break;
                }
            }
            hh += 1;
            mm = 0;
        }
        if let Some((hh, mm)) = found {
            let naive = date.and_hms_opt(hh, mm, 0)?;
            return Some(Utc.from_utc_datetime(&naive));
        }
        date = date.succ_opt()?;
        h = 0;
        m = 0;
    }
}

#[deny(clippy::arithmetic_side_effects)]
fn parse_descriptor(desc: &str) -> Result<Kind, String> {
    let cron = |minute: Field, hour: Field, dom: Field, month: Field, dow: Field| Kind::Cron {
        minute,
        hour,
        dom,
        month,
        dow,
    };
    let every_day = || (all(&DOM), all(&MONTH), all(&DOW));
    Ok(match desc {
        "yearly" | "annually" => cron(one(0), one(0), one(1), one(1), all(&DOW)),
        "monthly" => cron(one(0), one(0), one(1), all(&MONTH), all(&DOW)),
        "weekly" => cron(one(0), one(0), all(&DOM), all(&MONTH), one(0)),
        "daily" | "midnight" => {
            let (d, mo, w) = every_day();
            cron(one(0), one(0), d, mo, w)
        }
        "hourly" => {
            let (d, mo, w) = every_day();
            cron(one(0), all(&HOUR), d, mo, w)
        }
        _ => {
            if let Some(rest) = desc.strip_prefix("every ") {
                let d = Duration::parse(rest)
                    .map_err(|e| format!("`@every` expects a duration: {e}"))?;
                Kind::Every(d)
            } else {
                return Err(format!(
                    "unknown descriptor `@{desc}`, expected one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly, @every <duration>"
                ));
            }
        }
    })
}

#[deny(clippy::arithmetic_side_effects)]
fn parse_rate(inner: &str) -> Result<Kind, String> {
    let parts: Vec<&str> = inner.split_whitespace().collect();
    let [value, unit] = parts.as_slice() else {
        return Err(format!(
            "expected `rate(<value> <unit>)`, found `rate({inner})`"
        ));
    };
    let v: i64 = value
        .parse()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| format!("rate value: expected a positive integer, found `{value}`"))?;
    let (secs, singular) = match *unit {
        "minute" => (60, true),
        "minutes" => (60, false),
        "hour" => (3600, true),
        "hours" => (3600, false),
        "day" => (86_400, true),
        "days" => (86_400, false),
        _ => {
            return Err(format!(
                "rate unit: expected minute(s), hour(s) or day(s), found `{unit}`"
            ))
        }
    };
    if singular != (v == 1) {
        return Err(format!(
            "rate unit: expected the singular unit for a value of 1 and the plural otherwise, found `{value} {unit}`"
        ));
    }
    let seconds = v
        .checked_mul(secs)
        .ok_or_else(|| format!("rate value `{value}` is too large"))?;
    Ok(Kind::Rate { seconds })
}

#[deny(clippy::arithmetic_side_effects)]
fn parse_aws_cron(inner: &str) -> Result<Kind, String> {
    let f: Vec<&str> = inner.split_whitespace().collect();
    if f.len() != 6 {
        return Err(format!(
            "expected exactly 6 fields in `cron(...)` (minutes hours day-of-month month day-of-week year), found {}",
            f.len()
        ));
    }
    let minute = parse_field(f[0], &MINUTE, Commas::Refuse)?;
    let hour = parse_field(f[1], &HOUR, Commas::Refuse)?;
    let month = parse_field(f[3], &MONTH, Commas::Refuse)?;
    let (dom_q, dow_q) = (f[2] == "?", f[4] == "?");
    if dom_q == dow_q {
        return Err("expected `?` in exactly one of day-of-month and day-of-week".to_string());
    }
    let dom = if dom_q {
        AwsDom::Any
    } else if f[2] == "L" {
        AwsDom::Last
    } else if f[2] == "LW" {
        AwsDom::LastWeekday
    } else if let Some(n) = f[2].strip_suffix('W') {
        let n: u32 = n
            .parse()
            .ok()
            .filter(|n| (1..=31).contains(n))
            .ok_or_else(|| format!("day-of-month field: expected `<1-31>W`, found `{}`", f[2]))?;
        AwsDom::NearestWeekday(n)
    } else {
        AwsDom::Set(parse_field(f[2], &DOM, Commas::Refuse)?)
    };
    let dow_num = |s: &str| -> Result<u32, String> {
        parse_value(s, &AWS_DOW).and_then(|v| {
            if (1..=7).contains(&v) {
                Ok((v as u32).saturating_sub(1))
            } else {
                Err(format!(
                    "day-of-week field: expected 1-7 or SUN-SAT, found `{s}`"
                ))
            }
        })
    };
    let dow = if dow_q {
        AwsDow::Any
    } else if f[4] == "L" {
        AwsDow::Set(one(6))
    } else if let Some(d) = f[4].strip_suffix('L') {
        AwsDow::LastOfMonth(dow_num(d)?)
    } else if let Some((d, k)) = f[4].split_once('#') {
        let k: u32 = k
            .parse()
            .ok()
            .filter(|k| (1..=5).contains(k))
            .ok_or_else(|| {
                format!(
                    "day-of-week field: expected `<day>#<1-5>`, found `{}`",
                    f[4]
                )
            })?;
        AwsDow::Nth(dow_num(d)?, k)
    } else {
        let raw = parse_field(f[4], &AWS_DOW, Commas::Refuse)?;
        // Shift 1..7 (1 = Sunday) to 0..6 (0 = Sunday).
        AwsDow::Set(Field {
            bits: raw.bits >> 1,
            star: raw.star,
        })
    };
    let mut year = Vec::new();
    for item in f[5].split(',') {
        let b = Bounds {
            name: "year",
            min: AWS_YEAR_MIN,
            max: AWS_YEAR_MAX,
            names: &[],
            name_base: 0,
        };
        let (lo, hi, step, _) = parse_range(item, &b)?;
        // Both ends lie within 1970..=2199 after parse_range's checks.
        let (lo, hi) = (lo as u32, hi as u32);
        year.push((lo, hi, step));
    }
    Ok(Kind::AwsCron {
        minute,
        hour,
        dom,
        month,
        dow,
        year,
    })
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FromStr for Schedule {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Schedule::parse(s)
    }
}

crate::duration::text_serde!(
    Schedule,
    "a schedule like `*/5 * * * *`, `@daily` or `rate(5 minutes)`"
);

crate::error::coded!(ScheduleError, crate::error::ErrorKind::Parse);

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn dom_or_dow() {
        // 1st of the month OR a Monday.
        let s = Schedule::parse("0 0 1 * 1").unwrap();
        let got = s.next_n_after(at("2026-11-25T00:00:00Z"), 3);
        assert_eq!(
            got,
            vec![
                at("2026-11-30T00:00:00Z"),
                at("2026-12-01T00:00:00Z"),
                at("2026-12-07T00:00:00Z")
            ]
        );
    }

    #[test]
    fn never() {
        assert_eq!(
            Schedule::parse("0 0 30 2 *")
                .unwrap()
                .next_after(at("2026-01-01T00:00:00Z")),
            None
        );
        // Asking for more times than exist neither allocates them up front nor fails.
        assert_eq!(
            Schedule::parse("0 0 30 2 *")
                .unwrap()
                .next_n_after(at("2026-01-01T00:00:00Z"), usize::MAX),
            Vec::<DateTime<Utc>>::new()
        );
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "* * * *",
            "60 * * * *",
            "* * * * 7",
            "TZ=UTC * * * * *",
            "@fortnightly",
            "rate(1 minutes)",
            "rate(5 minute)",
            "cron(0 12 * * * *)",
            "*/0 * * * *",
        ] {
            assert!(Schedule::parse(bad).is_err(), "{bad}");
        }
    }
}
