//! promtool's expanding notation for test series (`values:` in a `promtool test rules` file):
//! `a+bxn` and `a-bxn` are n+1 values from `a`, `b` added each step as Prometheus adds it;
//! `axn` is `a` n+1 times; `_` a missing sample and `_xn` n of them; `stale` a stale marker.

use serde::Serialize;

use crate::error::{ErrorKind, ServiceError};

/// One sample of an expanded series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum SeriesValue {
    /// A value.
    Value(f64),
    /// No sample at this step (`_`).
    Missing,
    /// A stale marker (`stale`).
    Stale,
}

/// Why a notation does not parse (code `invalid_series`).
pub type SeriesError = ServiceError;

/// Most samples one notation may expand to.
pub const MAX_SAMPLES: u64 = 1_000_000;

fn refuse(column: usize, token: &str, why: &str) -> SeriesError {
    ServiceError::new(
        "invalid_series",
        ErrorKind::Parse,
        "notation",
        format!("column {column}, `{token}`: {why}"),
    )
}

/// Scans an unsigned PromQL number at the start of `s` (decimal with an optional fraction and
/// exponent, or `Inf`/`NaN` in any case; hexadecimal is not allowed in series, where `0x3`
/// would be ambiguous): its value and length.
fn scan_number(s: &str) -> Option<(f64, usize)> {
    for word in ["inf", "nan"] {
        if s.get(..3).is_some_and(|w| w.eq_ignore_ascii_case(word)) {
            return Some((
                if word == "inf" {
                    f64::INFINITY
                } else {
                    f64::NAN
                },
                3,
            ));
        }
    }
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    let whole = digits(&mut i);
    let mut frac = false;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac = digits(&mut i);
    }
    if !whole && !frac {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if digits(&mut j) {
            i = j;
        }
    }
    s[..i].parse::<f64>().ok().map(|v| (v, i))
}

/// A signed number at the start of `s`: its value and length.
fn scan_signed(s: &str) -> Option<(f64, usize)> {
    match s.as_bytes().first() {
        Some(b'-') => scan_number(&s[1..]).map(|(v, n)| (-v, n + 1)),
        Some(b'+') => scan_number(&s[1..]).map(|(v, n)| (v, n + 1)),
        _ => scan_number(s),
    }
}

fn count(s: &str, column: usize, token: &str) -> Result<u64, SeriesError> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return Err(refuse(
            column,
            token,
            "expected a whole number of repetitions after `x`",
        ));
    }
    s.parse::<u64>()
        .map_err(|_| refuse(column, token, "too many repetitions"))
}

/// Expands `notation` into its samples, one per step.
pub fn expand(notation: &str) -> Result<Vec<SeriesValue>, SeriesError> {
    let mut out: Vec<SeriesValue> = Vec::new();
    let mut column = 1usize;
    let mut rest = notation;
    loop {
        let skipped = rest.len() - rest.trim_start().len();
        column += rest[..skipped].chars().count();
        rest = &rest[skipped..];
        if rest.is_empty() {
            break;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..end];
        let add = |out: &mut Vec<SeriesValue>, v: SeriesValue, n: u64| -> Result<(), SeriesError> {
            if out.len() as u64 + n > MAX_SAMPLES {
                return Err(refuse(
                    column,
                    token,
                    &format!("expands past {MAX_SAMPLES} samples"),
                ));
            }
            out.extend(std::iter::repeat_n(v, n as usize));
            Ok(())
        };
        if token == "_" {
            add(&mut out, SeriesValue::Missing, 1)?;
        } else if let Some(n) = token.strip_prefix("_x") {
            add(&mut out, SeriesValue::Missing, count(n, column, token)?)?;
        } else if token == "stale" {
            add(&mut out, SeriesValue::Stale, 1)?;
        } else {
            // [sign]a, [sign]a x n, [sign]a (+|-) b x n
            let bad = |why: &str| refuse(column, token, why);
            let (a, used) = scan_signed(token)
                .ok_or_else(|| bad("expected a number, `_`, `_xn`, `stale`, `axn` or `a+bxn`"))?;
            let rest_token = &token[used..];
            let (step, rest_token) = match rest_token.as_bytes().first() {
                Some(b'+') | Some(b'-') => {
                    let (b, n) = scan_signed(rest_token)
                        .ok_or_else(|| bad("expected a step after `+` or `-`"))?;
                    (Some(b), &rest_token[n..])
                }
                _ => (None, rest_token),
            };
            match (rest_token.strip_prefix('x'), step) {
                (None, None) if rest_token.is_empty() => {
                    add(&mut out, SeriesValue::Value(a), 1)?;
                }
                (Some(n), None) => {
                    let n = count(n, column, token)?;
                    add(&mut out, SeriesValue::Value(a), n.saturating_add(1))?;
                }
                (Some(n), Some(b)) => {
                    let n = count(n, column, token)?;
                    if out.len() as u64 + n.saturating_add(1) > MAX_SAMPLES {
                        return Err(bad(&format!("expands past {MAX_SAMPLES} samples")));
                    }
                    // added step by step, as Prometheus adds it
                    let mut v = a;
                    out.push(SeriesValue::Value(v));
                    for _ in 0..n {
                        v += b;
                        out.push(SeriesValue::Value(v));
                    }
                }
                (None, Some(_)) => return Err(bad("a step needs `x` and a count (`a+bxn`)")),
                (None, None) => return Err(bad("unexpected characters after the number")),
            }
        }
        column += token.chars().count();
        rest = &rest[end..];
    }
    Ok(out)
}
