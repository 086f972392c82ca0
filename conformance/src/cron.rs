//! robfig/cron v3 (`ParseStandard` and `SpecSchedule.Next`/`ConstantDelaySchedule.Next`), the
//! parser the Kubernetes CronJob controller runs, against `cnarch_core::schedule::Schedule`.

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use cnarch_core::duration::{Duration, DurationError};
use cnarch_core::schedule::Schedule;
use serde_json::{json, Value};

use crate::harness::{Outcome, Reference};
use crate::rng::Rng;

/// How many fire times are compared per case.
const TIMES: usize = 3;

#[derive(Debug)]
pub struct Cron;

#[derive(Clone)]
pub struct Case {
    expr: String,
    after: DateTime<Utc>,
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?} after {}", self.expr, stamp(self.after))
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

struct Field {
    min: i64,
    max: i64,
    names: &'static [&'static str],
}

const FIELDS: [Field; 5] = [
    Field {
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        min: 1,
        max: 12,
        names: &[
            "jan", "FEB", "Mar", "apr", "MAY", "jun", "Jul", "aug", "SEP", "oct", "nov", "DEC",
        ],
    },
    Field {
        min: 0,
        max: 6,
        names: &[
            "sun",
            "MON",
            "Tue",
            "wed",
            "THU",
            "fri",
            "FRI",
            "Sat",
            "FR\u{130}",
        ],
    },
];

/// Numbers around the edges robfig's int64 arithmetic and cnarch's old 32-bit steps met.
const EDGE_NUMBERS: &[&str] = &[
    "4294967295",
    "4294967296",
    "4294967231",
    "4294967232",
    "4294967294",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "-1",
    "+5",
    "007",
    "0",
    "-0",
    "+",
    "",
];

fn number(rng: &mut Rng, f: &Field, noise: u64) -> String {
    if !rng.chance(noise) {
        return if !f.names.is_empty() && rng.chance(20) {
            rng.pick(f.names).to_string()
        } else {
            rng.range(f.min, f.max).to_string()
        };
    }
    match rng.below(100) {
        0..=59 => rng.range(f.min, f.max).to_string(),
        60..=69 => rng.range(f.max + 1, f.max + 5).to_string(),
        70..=74 => (f.min - 1).to_string(),
        75..=84 => rng.pick(EDGE_NUMBERS).to_string(),
        _ if !f.names.is_empty() => rng.pick(f.names).to_string(),
        _ => rng.range(f.min, f.max).to_string(),
    }
}

fn step(rng: &mut Rng, noise: u64) -> String {
    if !rng.chance(noise) {
        return rng.range(1, 70).to_string();
    }
    match rng.below(10) {
        0..=5 => rng.range(1, 70).to_string(),
        6 => rng.range(0, 1).to_string(),
        7 | 8 => rng.pick(EDGE_NUMBERS).to_string(),
        _ => format!("{}", 4294967296i64 - rng.range(1, 70)),
    }
}

fn item(rng: &mut Rng, f: &Field, noise: u64) -> String {
    let base = match rng.below(10) {
        0 | 1 => rng.pick(&["*", "?"]).to_string(),
        2 => format!("{}-{}", rng.pick(&["*", "?"]), number(rng, f, noise)),
        3..=5 if noise == 0 => {
            let (a, b) = (rng.range(f.min, f.max), rng.range(f.min, f.max));
            format!("{}-{}", a.min(b), a.max(b))
        }
        3..=5 => format!("{}-{}", number(rng, f, noise), number(rng, f, noise)),
        _ => number(rng, f, noise),
    };
    if rng.chance(30) {
        format!("{base}/{}", step(rng, noise))
    } else {
        base
    }
}

fn field(rng: &mut Rng, f: &Field, noise: u64) -> String {
    let n = 1 + rng.below(3);
    let mut items: Vec<String> = (0..n).map(|_| item(rng, f, noise)).collect();
    if rng.chance(noise / 2) {
        let at = rng.below(items.len() as u64 + 1) as usize;
        items.insert(at, String::new());
    }
    if rng.chance(noise / 10) {
        return ",".repeat(1 + rng.below(3) as usize);
    }
    items.join(",")
}

const BLANKS: &[&str] = &[
    " ", " ", " ", "  ", "\t", "\n", "\u{a0}", "\u{85}", "\u{3000}",
];

fn go_duration(rng: &mut Rng) -> String {
    let units = ["ns", "us", "\u{b5}s", "ms", "s", "m", "h", "d", ""];
    let mut s = String::new();
    if rng.chance(15) {
        s.push(*rng.pick(&['-', '+']));
    }
    if rng.chance(10) {
        s.push('0');
        return s;
    }
    for _ in 0..1 + rng.below(2) {
        match rng.below(6) {
            0 => s.push_str(&format!(".{}", rng.range(0, 9))),
            1 => s.push_str(&format!("{}.{}", rng.range(0, 3), rng.range(0, 99))),
            2 => s.push_str(rng.word(&["9223372036854775807", "9223372036", "2562047"])),
            _ => s.push_str(&rng.range(0, 90).to_string()),
        }
        s.push_str(rng.word(&units));
    }
    s
}

fn descriptor(rng: &mut Rng) -> String {
    let d = match rng.below(9) {
        0..=2 => format!(
            "@every{}{}",
            rng.pick(&[" ", " ", " ", "  ", "\t"]),
            go_duration(rng)
        ),
        _ => rng
            .pick(&[
                "@yearly",
                "@annually",
                "@monthly",
                "@weekly",
                "@daily",
                "@midnight",
                "@hourly",
                "@Daily",
                "@every",
                "@",
            ])
            .to_string(),
    };
    match rng.below(10) {
        0 => format!(" {d}"),
        1 => format!("{d} "),
        _ => d,
    }
}

fn expression(rng: &mut Rng) -> String {
    // Most cases are clean, so that fire times get compared; the rest carry errors and edges.
    let noise = *rng.pick(&[0, 0, 0, 3, 10, 25]);
    match rng.below(100) {
        0..=11 => descriptor(rng),
        12..=13 => format!(
            "{}{} {}",
            rng.pick(&["TZ=", "CRON_TZ="]),
            rng.pick(&["UTC", "Europe/Berlin", "Nowhere/City", ""]),
            five(rng, noise)
        ),
        14..=16 => {
            // Four or six fields.
            let mut f: Vec<String> = (0..5).map(|i| field(rng, &FIELDS[i], noise)).collect();
            if rng.chance(50) {
                f.pop();
            } else {
                f.push("*".into());
            }
            f.join(" ")
        }
        _ => five(rng, noise),
    }
}

fn five(rng: &mut Rng, noise: u64) -> String {
    let mut s = String::new();
    if rng.chance(noise) {
        s.push_str(rng.word(BLANKS));
    }
    for (i, f) in FIELDS.iter().enumerate() {
        if i > 0 && rng.chance(noise) {
            s.push_str(rng.word(BLANKS));
        } else if i > 0 {
            s.push(' ');
        }
        s.push_str(&field(rng, f, noise));
    }
    if rng.chance(5) {
        s.push_str(rng.word(BLANKS));
    }
    s
}

const ALPHABET: &[char] = &[
    '*', '?', ',', '-', '/', ' ', '0', '1', '5', '9', '@', '\t', 'L', 'W', '#', 'a', 'n', '\0',
    '\u{130}',
];

/// A few random edits: delete, insert or duplicate a character.
fn mutate(rng: &mut Rng, s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(chars.len() as u64 + 1) as usize;
        match rng.below(3) {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 if at < chars.len() => {
                let c = chars[at];
                chars.insert(at, c);
            }
            _ => chars.insert(at, *rng.pick(ALPHABET)),
        }
    }
    chars.into_iter().collect()
}

fn instant(rng: &mut Rng) -> DateTime<Utc> {
    let base = match rng.below(10) {
        // Year ends and leap days, where searches wrap.
        0 => Utc.with_ymd_and_hms(rng.range(1970, 2150) as i32, 12, 31, 23, 59, 59),
        1 => Utc.with_ymd_and_hms(rng.range(1970, 2150) as i32, 2, 28, 23, 59, 0),
        _ => Utc.with_ymd_and_hms(
            rng.range(1970, 2150) as i32,
            rng.range(1, 12) as u32,
            rng.range(1, 28) as u32,
            rng.range(0, 23) as u32,
            rng.range(0, 59) as u32,
            rng.range(0, 59) as u32,
        ),
    };
    let t = base.single().unwrap_or(DateTime::UNIX_EPOCH);
    if rng.chance(20) {
        t + chrono::Duration::nanoseconds(rng.range(1, 999_999_999))
    } else {
        t
    }
}

fn times(ts: impl IntoIterator<Item = DateTime<Utc>>) -> Outcome {
    Outcome::Accepted(ts.into_iter().map(stamp).collect::<Vec<_>>().join(","))
}

impl Reference for Cron {
    type Case = Case;

    fn name(&self) -> &'static str {
        "robfig/cron v3 ParseStandard"
    }

    fn generate(&self, rng: &mut Rng) -> Case {
        let mut expr = expression(rng);
        if rng.chance(20) {
            expr = mutate(rng, &expr);
        }
        Case {
            expr,
            after: instant(rng),
        }
    }

    fn wire(&self, c: &Case) -> Value {
        json!({"expr": c.expr, "after": c.after.to_rfc3339_opts(SecondsFormat::Nanos, true), "n": TIMES})
    }

    fn ours(&self, c: &Case) -> Outcome {
        match Schedule::parse(&c.expr) {
            Ok(s) => times(s.next_n_after(c.after, TIMES)),
            Err(e) => Outcome::Refused(e.to_string()),
        }
    }

    fn theirs(&self, reply: &Value) -> Outcome {
        if let Some(p) = reply.get("panic").and_then(Value::as_str) {
            return Outcome::Panicked(p.to_string());
        }
        if reply.get("ok").and_then(Value::as_bool) != Some(true) {
            let e = reply.get("error").and_then(Value::as_str).unwrap_or("");
            return Outcome::Refused(e.to_string());
        }
        let list = reply
            .get("next")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let parsed: Vec<DateTime<Utc>> = list
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
            .collect();
        if parsed.len() != list.len() {
            return Outcome::Accepted(format!("unreadable times {list:?}"));
        }
        times(parsed)
    }

    fn deliberate(&self, c: &Case, ours: &Outcome, _theirs: &Outcome) -> Option<&'static str> {
        let refused = matches!(ours, Outcome::Refused(_));
        let aws = c.expr.trim();
        if refused && (c.expr.starts_with("TZ=") || c.expr.starts_with("CRON_TZ=")) {
            return Some("a TZ=/CRON_TZ= prefix: Kubernetes' API validation refuses it (the CronJob's timeZone field instead); robfig reads it, or panics when no blank follows (docs/values.md)");
        }
        if matches!(ours, Outcome::Accepted(_))
            && (aws.starts_with("rate(") || aws.starts_with("cron("))
        {
            return Some("EventBridge rate(...)/cron(...) expressions: cnarch reads them too; robfig does not (docs/values.md)");
        }
        if refused {
            if let Some(d) = c.expr.strip_prefix("@every ") {
                if matches!(Duration::parse(d), Err(DurationError::OutOfRange { .. })) {
                    return Some("a Go duration whose parts add up to 2^64 ns wraps to a small value in Go's ParseDuration; cnarch refuses it as out of range (docs/values.md)");
                }
            }
        }
        None
    }

    fn simpler(&self, c: &Case) -> Vec<Case> {
        let chars: Vec<char> = c.expr.chars().collect();
        let mut out = Vec::new();
        let mut push = |s: String| {
            if s != c.expr {
                out.push(Case {
                    expr: s,
                    after: c.after,
                })
            }
        };
        for i in 0..chars.len() {
            let mut v = chars.clone();
            v.remove(i);
            push(v.into_iter().collect());
        }
        for i in 0..chars.len() {
            if chars[i].is_ascii_digit() && chars[i] != '0'
                || !chars[i].is_ascii() && !chars[i].is_whitespace()
            {
                let mut v = chars.clone();
                v[i] = '0';
                push(v.into_iter().collect());
            }
            if chars[i].is_whitespace() && chars[i] != ' ' {
                let mut v = chars.clone();
                v[i] = ' ';
                push(v.into_iter().collect());
            }
        }
        out
    }
}
