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

/// Go's shortest float text for a sample (what promtool reads back to the same float).
fn number_text(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    if x == 0.0 && x.is_sign_negative() {
        return "-0".to_string();
    }
    if x == x.trunc() && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    format!("{x:?}")
}

/// Writes `values` in the expanding notation, as short as runs allow: equal values as `axn`,
/// values that step by the same amount (exactly, as Prometheus adds it) as `a+bxn`, missing
/// samples as `_xn`. [`expand`] reads the text back to the same samples.
pub fn format(values: &[SeriesValue]) -> String {
    let mut items: Vec<String> = Vec::new();
    let mut i = 0;
    while i < values.len() {
        match values[i] {
            SeriesValue::Missing => {
                let n = values[i..]
                    .iter()
                    .take_while(|v| **v == SeriesValue::Missing)
                    .count();
                items.push(if n == 1 {
                    "_".to_string()
                } else {
                    format!("_x{n}")
                });
                i += n;
            }
            SeriesValue::Stale => {
                items.push("stale".to_string());
                i += 1;
            }
            SeriesValue::Value(a) => {
                // the longest run from here that a+bxn reproduces exactly
                let next = match values.get(i + 1) {
                    Some(SeriesValue::Value(b)) if !a.is_nan() && !b.is_nan() => Some(*b),
                    _ => None,
                };
                let (mut n, step) = match next {
                    Some(b) if (b - a).is_finite() => (1usize, b - a),
                    _ => (0, 0.0),
                };
                if n == 1 {
                    let mut v = a + step;
                    while let Some(SeriesValue::Value(w)) = values.get(i + n + 1) {
                        let stepped = v + step;
                        if stepped.to_bits() != w.to_bits() {
                            break;
                        }
                        v = stepped;
                        n += 1;
                    }
                    // a + step must itself be what Prometheus computes for the second value
                    if (a + step).to_bits() != next.map_or(0, f64::to_bits) {
                        n = 0;
                    }
                }
                let a_text = number_text(a);
                let item = if n == 0 {
                    a_text
                } else if step == 0.0 {
                    format!("{a_text}x{n}")
                } else if step > 0.0 {
                    format!("{a_text}+{}x{n}", number_text(step))
                } else {
                    format!("{a_text}-{}x{n}", number_text(-step))
                };
                // the step must read back exactly as written
                let ok = n == 0
                    || expand(&item).is_ok_and(|e| {
                        e.len() == n + 1
                            && e.iter().zip(&values[i..=i + n]).all(|(x, y)| match (x, y) {
                                (SeriesValue::Value(p), SeriesValue::Value(q)) => {
                                    p.to_bits() == q.to_bits()
                                }
                                _ => false,
                            })
                    });
                if ok {
                    items.push(item);
                    i += n + 1;
                } else {
                    items.push(number_text(a));
                    i += 1;
                }
            }
        }
    }
    items.join(" ")
}
