//! Durations in the two syntaxes cloud-native specs use.
//!
//! - [`Duration`]: Go's `time.ParseDuration` syntax (`1h30m`, `250ms`, `1.5h`, `-2s`, `300µs`),
//!   printed as Go's `Duration.String()` does (`1h30m0s`, `250ms`, `1.5µs`, `0s`). Fractions are
//!   computed as Go computes them (the fraction scaled in `f64`, then truncated to nanoseconds).
//! - [`PromDuration`]: Prometheus' `model.ParseDuration` syntax (`5m`, `1d`, `2w`, `1y`, `1h30m`:
//!   integer amounts, units `y w d h m s ms` each at most once and in descending order,
//!   `y` = 365 days, `w` = 7 days), printed as Prometheus' `Duration.String()` does (years and
//!   weeks only when exact, so 90 days prints `90d` and 14 days `2w`).
//!
//! Both hold a signed count of nanoseconds.
//!
//! ```
//! use cnarch_core::duration::{Duration, PromDuration};
//! let d: Duration = "1.5h".parse().unwrap();
//! assert_eq!(d.to_string(), "1h30m0s");
//! let w: PromDuration = "30d".parse().unwrap();
//! assert_eq!(w.as_duration().as_secs(), 30 * 86_400);
//! assert_eq!(w.to_string(), "30d");
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a duration text was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// Not in the expected syntax.
    #[error("invalid duration `{input}`: expected {expected}")]
    Format {
        /// The rejected text.
        input: String,
        /// What the syntax expects.
        expected: &'static str,
    },
    /// A number without a unit.
    #[error("invalid duration `{input}`: missing unit, expected one of {units}")]
    MissingUnit {
        /// The rejected text.
        input: String,
        /// The units accepted.
        units: &'static str,
    },
    /// An unknown unit.
    #[error("invalid duration `{input}`: unknown unit `{unit}`, expected one of {units}")]
    UnknownUnit {
        /// The rejected text.
        input: String,
        /// The unit found.
        unit: String,
        /// The units accepted.
        units: &'static str,
    },
    /// Beyond ±292 years (the int64 nanosecond range).
    #[error("invalid duration `{input}`: out of range, expected at most 2562047h47m16.854775807s")]
    OutOfRange {
        /// The rejected text.
        input: String,
    },
}

impl DurationError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            DurationError::Format { .. } => "invalid_duration",
            DurationError::MissingUnit { .. } => "duration_missing_unit",
            DurationError::UnknownUnit { .. } => "duration_unknown_unit",
            DurationError::OutOfRange { .. } => "duration_out_of_range",
        }
    }
}

const GO_UNITS: &str = "ns, us, µs, ms, s, m, h";
const GO_SYNTAX: &str = "a sequence of numbers with units like `1h30m`, `250ms` or `1.5s`";
const PROM_SYNTAX: &str =
    "integers with units y, w, d, h, m, s, ms in descending order, each at most once, like `1d` or `1h30m`";

const NS: u64 = 1;
const US: u64 = 1_000;
const MS: u64 = 1_000_000;
const SEC: u64 = 1_000_000_000;
const MIN: u64 = 60 * SEC;
const HOUR: u64 = 60 * MIN;
const LIMIT: u64 = 1 << 63;

fn go_unit(u: &str) -> Option<u64> {
    Some(match u {
        "ns" => NS,
        "us" | "\u{b5}s" | "\u{3bc}s" => US,
        "ms" => MS,
        "s" => SEC,
        "m" => MIN,
        "h" => HOUR,
        _ => return None,
    })
}

/// A signed duration in nanoseconds, in Go's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Duration {
    nanos: i64,
}

impl Duration {
    /// Zero.
    pub const ZERO: Duration = Duration { nanos: 0 };

    /// From nanoseconds.
    pub const fn from_nanos(nanos: i64) -> Duration {
        Duration { nanos }
    }

    /// From whole seconds (saturating at the int64 nanosecond bound).
    pub const fn from_secs(secs: i64) -> Duration {
        Duration {
            nanos: secs.saturating_mul(1_000_000_000),
        }
    }

    /// From milliseconds (saturating).
    pub const fn from_millis(ms: i64) -> Duration {
        Duration {
            nanos: ms.saturating_mul(1_000_000),
        }
    }

    /// Nanoseconds.
    pub const fn as_nanos(&self) -> i64 {
        self.nanos
    }

    /// Seconds as `f64`.
    pub fn as_secs_f64(&self) -> f64 {
        self.nanos as f64 / 1e9
    }

    /// Is it strictly positive?
    pub const fn is_positive(&self) -> bool {
        self.nanos > 0
    }

    /// The magnitude as a `std::time::Duration`, or `None` when negative.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        u64::try_from(self.nanos)
            .ok()
            .map(std::time::Duration::from_nanos)
    }

    /// Parses Go `time.ParseDuration` syntax.
    #[deny(clippy::arithmetic_side_effects)]
    pub fn parse(input: &str) -> Result<Duration, DurationError> {
        let invalid = || DurationError::Format {
            input: input.to_string(),
            expected: GO_SYNTAX,
        };
        let range = || DurationError::OutOfRange {
            input: input.to_string(),
        };
        let mut s = input;
        let mut neg = false;
        if let Some(c) = s.chars().next() {
            if c == '-' || c == '+' {
                neg = c == '-';
                s = &s[1..];
            }
        }
        if s == "0" {
            return Ok(Duration::ZERO);
        }
        if s.is_empty() {
            return Err(invalid());
        }
        let mut total: u64 = 0;
        while !s.is_empty() {
            let b = s.as_bytes();
            if !(b[0] == b'.' || b[0].is_ascii_digit()) {
                return Err(invalid());
            }
            // Integer part.
            let mut i = 0;
            let mut v: u64 = 0;
            while i < b.len() && b[i].is_ascii_digit() {
                if v > LIMIT / 10 {
                    return Err(range());
                }
                v = v
                    .saturating_mul(10)
                    .saturating_add(u64::from(b[i].saturating_sub(b'0')));
                if v > LIMIT {
                    return Err(range());
                }
                i = i.saturating_add(1);
            }
            let pre = i > 0;
            // Fraction, with Go's overflow rule (further digits are ignored).
            let mut f: u64 = 0;
            let mut scale: f64 = 1.0;
            let mut post = false;
            if i < b.len() && b[i] == b'.' {
                i = i.saturating_add(1);
                let start = i;
                let mut overflow = false;
                while i < b.len() && b[i].is_ascii_digit() {
                    if !overflow {
                        if f > (LIMIT - 1) / 10 {
                            overflow = true;
                        } else {
                            let y = f
                                .saturating_mul(10)
                                .saturating_add(u64::from(b[i].saturating_sub(b'0')));
                            if y > LIMIT {
                                overflow = true;
                            } else {
                                f = y;
                                scale *= 10.0;
                            }
                        }
                    }
                    i = i.saturating_add(1);
                }
                post = i > start;
            }
            if !pre && !post {
                return Err(invalid());
            }
            // Unit: everything up to the next digit or dot.
            let ustart = i;
            while i < b.len() && !(b[i] == b'.' || b[i].is_ascii_digit()) {
                i = i.saturating_add(1);
            }
            if i == ustart {
                return Err(DurationError::MissingUnit {
                    input: input.to_string(),
                    units: GO_UNITS,
                });
            }
            let u = &s[ustart..i];
            let unit = go_unit(u).ok_or_else(|| DurationError::UnknownUnit {
                input: input.to_string(),
                unit: u.to_string(),
                units: GO_UNITS,
            })?;
            s = &s[i..];
            if v > LIMIT.checked_div(unit).unwrap_or(0) {
                return Err(range());
            }
            v = v.saturating_mul(unit);
            if f > 0 {
                v = v.saturating_add((f as f64 * (unit as f64 / scale)) as u64);
                if v > LIMIT {
                    return Err(range());
                }
            }
            // Go's uint64 sum could wrap here on absurd inputs; cnarch reports the overflow.
            total = total.checked_add(v).ok_or_else(range)?;
            if total > LIMIT {
                return Err(range());
            }
        }
        if neg {
            // total ≤ 2^63, so the negation fits.
            return Ok(Duration {
                nanos: (total as i128).wrapping_neg() as i64,
            });
        }
        if total > LIMIT - 1 {
            return Err(range());
        }
        Ok(Duration {
            nanos: total as i64,
        })
    }

    /// Go's `Duration.String()`.
    pub fn to_go_string(&self) -> String {
        let neg = self.nanos < 0;
        let u = self.nanos.unsigned_abs();
        let mut out = String::new();
        if neg {
            out.push('-');
        }
        if u == 0 {
            return "0s".to_string();
        }
        if u < SEC {
            let (unit, name) = if u < US {
                (NS, "ns")
            } else if u < MS {
                (US, "\u{b5}s")
            } else {
                (MS, "ms")
            };
            push_fraction(&mut out, u, unit);
            out.push_str(name);
            return out;
        }
        let hours = u / HOUR;
        let mins = (u % HOUR) / MIN;
        let rest = u % MIN;
        if hours > 0 {
            out.push_str(&format!("{hours}h"));
        }
        if hours > 0 || mins > 0 {
            out.push_str(&format!("{mins}m"));
        }
        push_fraction(&mut out, rest, SEC);
        out.push('s');
        out
    }
}

/// Writes `v / unit` with the fraction digits Go keeps (trailing zeros trimmed).
fn push_fraction(out: &mut String, v: u64, unit: u64) {
    out.push_str(&(v / unit).to_string());
    let frac = v % unit;
    if frac != 0 {
        let width = (unit as f64).log10().round() as usize;
        let digits = format!("{:0width$}", frac, width = width);
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_go_string())
    }
}

impl FromStr for Duration {
    type Err = DurationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Duration::parse(s)
    }
}

/// Parses either syntax: Go's first (`1h30m`, `250ms`, `-2s`), then Prometheus' (`1d`, `2w`,
/// `1y`). The error reported is Go's when both fail, unless the text uses a unit only
/// Prometheus knows.
pub fn parse_any(text: &str) -> Result<Duration, DurationError> {
    match Duration::parse(text) {
        Ok(d) => Ok(d),
        Err(go_err) => match PromDuration::parse(text) {
            Ok(p) => Ok(p.to_go()),
            Err(prom_err) => {
                let prom_only_unit = matches!(&go_err, DurationError::UnknownUnit { unit, .. } if ["d", "w", "y"].contains(&unit.as_str()));
                Err(if prom_only_unit { prom_err } else { go_err })
            }
        },
    }
}

/// The logic APIs take `std::time::Duration`; the model's durations convert to and from it.
/// A `std::time::Duration` longer than Go's `time.Duration` can hold (about 292 years)
/// saturates at 2562047h47m16.854775807s.
///
/// ```
/// use cnarch_core::duration::{Duration, PromDuration};
/// let d: Duration = std::time::Duration::from_millis(1500).into();
/// assert_eq!(d.to_string(), "1.5s");
/// let back: std::time::Duration = "1s".parse::<Duration>().unwrap().try_into().unwrap();
/// assert_eq!(back.as_secs(), 1);
/// assert!(std::time::Duration::try_from("-1s".parse::<Duration>().unwrap()).is_err());
/// let p: PromDuration = std::time::Duration::from_secs(90).into();
/// assert_eq!(p.to_string(), "1m30s");
/// assert_eq!(std::time::Duration::from(p).as_secs(), 90);
/// ```
impl From<std::time::Duration> for Duration {
    fn from(d: std::time::Duration) -> Duration {
        Duration::from_nanos(i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
    }
}

/// A negative duration has no `std::time::Duration`: the error is `invalid_time`.
impl TryFrom<Duration> for std::time::Duration {
    type Error = crate::time::TimeError;

    fn try_from(d: Duration) -> Result<std::time::Duration, crate::time::TimeError> {
        d.to_std().ok_or_else(|| {
            crate::time::TimeError::new(
                "duration",
                format!("expected a duration of 0 or more, found {d}"),
            )
        })
    }
}

/// Prometheus durations are milliseconds: finer parts are truncated; longer than
/// `Duration`'s range saturates.
impl From<std::time::Duration> for PromDuration {
    fn from(d: std::time::Duration) -> PromDuration {
        PromDuration::from_millis(i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 1_000_000))
    }
}

impl From<PromDuration> for std::time::Duration {
    fn from(p: PromDuration) -> std::time::Duration {
        p.as_duration()
    }
}

impl From<PromDuration> for Duration {
    fn from(p: PromDuration) -> Duration {
        p.0
    }
}

/// A non-negative duration in Prometheus' syntax (`5m`, `1d`, `2w`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PromDuration(Duration);

const PROM_UNITS: [(&str, u64); 7] = [
    ("y", 365 * 24 * HOUR),
    ("w", 7 * 24 * HOUR),
    ("d", 24 * HOUR),
    ("h", HOUR),
    ("m", MIN),
    ("s", SEC),
    ("ms", MS),
];

impl PromDuration {
    /// From whole milliseconds (negative values are clamped to zero).
    pub fn from_millis(ms: i64) -> PromDuration {
        PromDuration(Duration::from_millis(ms.max(0)))
    }

    /// The duration.
    pub fn as_duration(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.0.nanos.max(0) as u64)
    }

    /// Milliseconds.
    pub fn as_millis(&self) -> i64 {
        self.0.nanos / 1_000_000
    }

    /// The signed Go-style duration with the same length.
    pub fn to_go(&self) -> Duration {
        self.0
    }

    /// Parses Prometheus `model.ParseDuration` syntax.
    #[deny(clippy::arithmetic_side_effects)]
    pub fn parse(input: &str) -> Result<PromDuration, DurationError> {
        let invalid = || DurationError::Format {
            input: input.to_string(),
            expected: PROM_SYNTAX,
        };
        if input.is_empty() {
            return Err(invalid());
        }
        if input == "0" {
            return Ok(PromDuration(Duration::ZERO));
        }
        let b = input.as_bytes();
        let mut i = 0;
        let mut next_unit = 0usize;
        let mut total: u64 = 0;
        while i < b.len() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i = i.saturating_add(1);
            }
            if i == start {
                return Err(invalid());
            }
            let ustart = i;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i = i.saturating_add(1);
            }
            let unit = &input[ustart..i];
            if unit.is_empty() {
                if i < b.len() {
                    return Err(invalid());
                }
                return Err(DurationError::MissingUnit {
                    input: input.to_string(),
                    units: "y, w, d, h, m, s, ms",
                });
            }
            let pos = PROM_UNITS
                .iter()
                .position(|(n, _)| *n == unit)
                .ok_or_else(|| DurationError::UnknownUnit {
                    input: input.to_string(),
                    unit: unit.to_string(),
                    units: "y, w, d, h, m, s, ms",
                })?;
            if pos < next_unit {
                return Err(invalid());
            }
            next_unit = pos.saturating_add(1);
            let n: u64 = input[start..ustart]
                .parse()
                .map_err(|_| DurationError::OutOfRange {
                    input: input.to_string(),
                })?;
            let mult = PROM_UNITS[pos].1;
            let v = n
                .checked_mul(mult)
                .ok_or_else(|| DurationError::OutOfRange {
                    input: input.to_string(),
                })?;
            total = total
                .checked_add(v)
                .ok_or_else(|| DurationError::OutOfRange {
                    input: input.to_string(),
                })?;
            if total > i64::MAX as u64 {
                return Err(DurationError::OutOfRange {
                    input: input.to_string(),
                });
            }
        }
        Ok(PromDuration(Duration {
            nanos: total as i64,
        }))
    }

    /// Prometheus' `Duration.String()`.
    pub fn to_prom_string(&self) -> String {
        let mut ms = (self.0.nanos / 1_000_000).max(0) as u64;
        if ms == 0 {
            return "0s".to_string();
        }
        let mut out = String::new();
        for (idx, (name, mult)) in PROM_UNITS.iter().enumerate() {
            let m = mult / MS;
            let exact_only = idx < 2;
            if exact_only && !ms.is_multiple_of(m) {
                continue;
            }
            let v = ms / m;
            if v > 0 {
                out.push_str(&format!("{v}{name}"));
                ms -= v * m;
            }
        }
        out
    }
}

impl fmt::Display for PromDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_prom_string())
    }
}

impl FromStr for PromDuration {
    type Err = DurationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PromDuration::parse(s)
    }
}

macro_rules! text_serde {
    ($t:ty, $what:literal) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$t, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
text_serde!(Duration, "a duration string like `30s` or `1h30m`");
text_serde!(
    PromDuration,
    "a Prometheus duration string like `5m` or `30d`"
);
pub(crate) use text_serde;

crate::error::coded!(DurationError, crate::error::ErrorKind::Parse);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_round_trip_examples() {
        for (i, o) in [
            ("1h30m", "1h30m0s"),
            ("250ms", "250ms"),
            ("1.5h", "1h30m0s"),
            ("-2s", "-2s"),
            ("0", "0s"),
            ("1.5µs", "1.5µs"),
        ] {
            assert_eq!(Duration::parse(i).unwrap().to_string(), o, "{i}");
        }
    }

    #[test]
    fn go_errors() {
        assert_eq!(Duration::parse("").unwrap_err().code(), "invalid_duration");
        assert_eq!(
            Duration::parse("1").unwrap_err().code(),
            "duration_missing_unit"
        );
        assert_eq!(
            Duration::parse("1d").unwrap_err().code(),
            "duration_unknown_unit"
        );
        assert_eq!(
            Duration::parse(".s").unwrap_err().code(),
            "invalid_duration"
        );
        assert_eq!(
            Duration::parse("9223372036854775808ns").unwrap_err().code(),
            "duration_out_of_range"
        );
        assert_eq!(
            Duration::parse("-9223372036854775808ns")
                .unwrap()
                .as_nanos(),
            i64::MIN
        );
    }

    #[test]
    fn either_syntax() {
        assert_eq!(parse_any("1h30m").unwrap().as_nanos(), 5_400_000_000_000);
        assert_eq!(parse_any("1d").unwrap().as_nanos(), 86_400_000_000_000);
        assert_eq!(parse_any("-2s").unwrap().as_nanos(), -2_000_000_000);
        assert_eq!(parse_any("1.5d").unwrap_err().code(), "invalid_duration");
        assert_eq!(parse_any("5x").unwrap_err().code(), "duration_unknown_unit");
    }

    #[test]
    fn prom() {
        assert_eq!(PromDuration::parse("90d").unwrap().to_string(), "90d");
        assert_eq!(PromDuration::parse("14d").unwrap().to_string(), "2w");
        assert_eq!(PromDuration::parse("1h30m").unwrap().to_string(), "1h30m");
        assert!(PromDuration::parse("30m1h").is_err());
        assert!(PromDuration::parse("1.5h").is_err());
        assert!(PromDuration::parse("-1h").is_err());
    }
}
