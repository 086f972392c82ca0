//! The Prometheus text exposition format, version 0.0.4: [`parse`] and [`render`], with the
//! rules of Prometheus' "Exposition formats" document and the syntax of `expfmt`'s text
//! parser (`prometheus/common`), checked against `promtool check metrics`.
//!
//! ```
//! use cnarch_core::prom::exposition::{parse, render, MetricKind};
//! let text = "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n\
//!             http_requests_total{code=\"200\"} 1027 1395066363000\n";
//! let families = parse(text).unwrap();
//! assert_eq!(families[0].kind, MetricKind::Counter);
//! assert_eq!(families[0].samples[0].timestamp, Some(1395066363000));
//! assert_eq!(render(&families).unwrap(), text);
//! ```
//!
//! Rules and sources: `docs/prometheus.md`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use serde::Serialize;

use crate::error::{Coded, ErrorKind};
use crate::model::observability::{Metric, MetricType};

/// A metric family's type (`# TYPE`); `untyped` without a TYPE line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricKind {
    /// A counter.
    Counter,
    /// A gauge.
    Gauge,
    /// A histogram: `_bucket` samples with `le`, `_sum`, `_count`.
    Histogram,
    /// A summary: samples with `quantile`, `_sum`, `_count`.
    Summary,
    /// No TYPE line.
    Untyped,
}

impl MetricKind {
    /// The name in a TYPE line.
    pub fn name(self) -> &'static str {
        match self {
            MetricKind::Counter => "counter",
            MetricKind::Gauge => "gauge",
            MetricKind::Histogram => "histogram",
            MetricKind::Summary => "summary",
            MetricKind::Untyped => "untyped",
        }
    }

    /// A TYPE line's type, compared without regard to case as `expfmt` does.
    pub fn from_name(s: &str) -> Option<MetricKind> {
        [
            MetricKind::Counter,
            MetricKind::Gauge,
            MetricKind::Histogram,
            MetricKind::Summary,
            MetricKind::Untyped,
        ]
        .into_iter()
        .find(|k| k.name().eq_ignore_ascii_case(s))
    }
}

/// One sample line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    /// The sample's name (a histogram's `x_bucket`, `x_sum`, `x_count`).
    pub name: String,
    /// Labels in the order written.
    pub labels: Vec<(String, String)>,
    /// The value (NaN and ±Inf allowed).
    pub value: f64,
    /// Milliseconds since the epoch.
    pub timestamp: Option<i64>,
}

/// A metric family: its HELP, TYPE and samples, in the order written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Family {
    /// The family's name (for a histogram or summary, the name without suffix).
    pub name: String,
    /// The HELP text, unescaped.
    pub help: Option<String>,
    /// The type.
    #[serde(rename = "type")]
    pub kind: MetricKind,
    /// The samples.
    pub samples: Vec<Sample>,
}

/// Why a text or families were refused (code `invalid_exposition`): the line and column (for
/// text) or the path (for families), and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpositionError {
    /// 1-based line and column in the text.
    pub position: Option<(usize, usize)>,
    /// The place in the families given to [`render`] (`families[0].samples[2].labels[1]`).
    pub path: Option<String>,
    /// What was wrong.
    pub message: String,
}

impl std::fmt::Display for ExpositionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.position, &self.path) {
            (Some((l, c)), _) => write!(f, "line {l}, column {c}: {}", self.message),
            (None, Some(p)) => write!(f, "{p}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ExpositionError {}

impl Coded for ExpositionError {
    fn code(&self) -> &'static str {
        "invalid_exposition"
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::Parse
    }
    fn field(&self) -> Option<&str> {
        self.path.as_deref()
    }
    fn position(&self) -> Option<(usize, usize)> {
        self.position
    }
}

/// Whether two lists of families say the same: equal, with NaN equal to NaN and `-0` to `0`
/// (what [`render`] then [`parse`] gives back).
pub fn same_families(a: &[Family], b: &[Family]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.name == y.name
                && x.help == y.help
                && x.kind == y.kind
                && x.samples.len() == y.samples.len()
                && x.samples.iter().zip(&y.samples).all(|(s, t)| {
                    s.name == t.name
                        && s.labels == t.labels
                        && s.timestamp == t.timestamp
                        && (s.value == t.value || (s.value.is_nan() && t.value.is_nan()))
                })
        })
}

fn name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':'
}

fn name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b':'
}

/// A metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
pub fn valid_metric_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && name_start(b[0]) && b.iter().all(|&c| name_char(c))
}

/// A label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn valid_label_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

/// A value as Go's `strconv.ParseFloat` reads it in the text format: decimal with an optional
/// exponent, `Inf`, `Infinity` with an optional sign, `NaN` without one (any case); no hex, no
/// underscores, nothing beyond the float64 range.
pub fn parse_go_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.eq_ignore_ascii_case("nan") {
        return (body.len() == s.len()).then_some(f64::NAN);
    }
    let word = body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity");
    if !word
        && !body
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let v: f64 = s.parse().ok()?;
    (word || v.is_finite()).then_some(v)
}

/// A value as the text format writes it (`expfmt`'s `writeFloat`: `strconv` `'g'` with the
/// shortest digits; `+Inf`, `-Inf`, `NaN`; `-0` as `0`).
pub fn write_go_float(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "+Inf" } else { "-Inf" });
    } else if v == 0.0 {
        out.push('0');
    } else {
        let e = format!("{v:e}");
        let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let (neg, mantissa) = match mantissa.strip_prefix('-') {
            Some(m) => (true, m),
            None => (false, mantissa),
        };
        let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
        if neg {
            out.push('-');
        }
        if !(-4..6).contains(&exp) {
            out.push_str(&digits[..1]);
            if digits.len() > 1 {
                out.push('.');
                out.push_str(&digits[1..]);
            }
            let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
        } else if exp < 0 {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        } else {
            let point = usize::try_from(exp).unwrap_or(0) + 1;
            if digits.len() <= point {
                out.push_str(&digits);
                for _ in digits.len()..point {
                    out.push('0');
                }
            } else {
                out.push_str(&digits[..point]);
                out.push('.');
                out.push_str(&digits[point..]);
            }
        }
    }
}

struct Parser<'a> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    line: usize,
    line_start: usize,
}

type Res<T> = Result<T, ExpositionError>;

impl<'a> Parser<'a> {
    fn error(&self, at: usize, message: impl Into<String>) -> ExpositionError {
        let at = at.min(self.b.len());
        let column = self.text[self.line_start..at].chars().count() + 1;
        ExpositionError {
            position: Some((self.line, column)),
            path: None,
            message: message.into(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Up to a blank or the end of the line.
    fn token(&mut self) -> &'a str {
        let start = self.i;
        while !matches!(self.peek(), None | Some(b' ' | b'\t' | b'\n')) {
            self.i += 1;
        }
        &self.text[start..self.i]
    }

    fn metric_name(&mut self) -> Res<&'a str> {
        let start = self.i;
        if !self.peek().is_some_and(name_start) {
            return Err(self.error(
                start,
                "invalid metric name: expected [a-zA-Z_:][a-zA-Z0-9_:]*",
            ));
        }
        while self.peek().is_some_and(name_char) {
            self.i += 1;
        }
        Ok(&self.text[start..self.i])
    }

    fn end_of_line(&mut self) -> Res<()> {
        match self.peek() {
            Some(b'\n') => {
                self.i += 1;
                self.line += 1;
                self.line_start = self.i;
                Ok(())
            }
            None => Err(self.error(
                self.i,
                "unexpected end of input: the last line must end with a line feed",
            )),
            Some(_) => Err(self.error(self.i, "expected the end of the line")),
        }
    }

    /// The rest of the line, unescaping `\\` and `\n` (HELP) or taken as written (TYPE).
    fn rest(&mut self, escapes: bool) -> Res<String> {
        let mut out = String::new();
        let mut start = self.i;
        loop {
            match self.peek() {
                None | Some(b'\n') => {
                    out.push_str(&self.text[start..self.i]);
                    return Ok(out);
                }
                Some(b'\\') if escapes => {
                    out.push_str(&self.text[start..self.i]);
                    match self.b.get(self.i + 1) {
                        Some(b'\\') => out.push('\\'),
                        Some(b'n') => out.push('\n'),
                        _ => {
                            let c = self.text[self.i + 1..].chars().next().unwrap_or(' ');
                            return Err(self.error(
                                self.i,
                                format!(
                                    "invalid escape sequence '\\{c}' in HELP (only \\\\ and \\n)"
                                ),
                            ));
                        }
                    }
                    self.i += 2;
                    start = self.i;
                }
                Some(_) => self.i += 1,
            }
        }
    }

    fn label_value(&mut self) -> Res<String> {
        if self.peek() != Some(b'"') {
            return Err(self.error(self.i, "expected '\"' to open the label value"));
        }
        self.i += 1;
        let mut out = String::new();
        let mut start = self.i;
        loop {
            match self.peek() {
                None | Some(b'\n') => {
                    return Err(self.error(self.i, "unterminated label value: expected '\"'"))
                }
                Some(b'"') => {
                    out.push_str(&self.text[start..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[start..self.i]);
                    match self.b.get(self.i + 1) {
                        Some(b'\\') => out.push('\\'),
                        Some(b'"') => out.push('"'),
                        Some(b'n') => out.push('\n'),
                        _ => {
                            let c = self.text[self.i + 1..].chars().next().unwrap_or(' ');
                            return Err(self.error(
                                self.i,
                                format!("invalid escape sequence '\\{c}' in a label value (only \\\\, \\\" and \\n)"),
                            ));
                        }
                    }
                    self.i += 2;
                    start = self.i;
                }
                Some(_) => self.i += 1,
            }
        }
    }

    fn labels(&mut self, metric: &str) -> Res<Vec<(String, String)>> {
        let mut labels: Vec<(String, String)> = Vec::with_capacity(4);
        self.i += 1; // '{'
        loop {
            self.blanks();
            if self.peek() == Some(b'}') {
                self.i += 1;
                return Ok(labels);
            }
            let start = self.i;
            while self
                .peek()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
            {
                self.i += 1;
            }
            let name = &self.text[start..self.i];
            if !valid_label_name(name) {
                return Err(self.error(
                    start,
                    format!(
                        "invalid label name for metric `{metric}`: expected [a-zA-Z_][a-zA-Z0-9_]*"
                    ),
                ));
            }
            if name == "__name__" {
                return Err(self.error(start, "label name `__name__` is reserved"));
            }
            if labels.iter().any(|(k, _)| k == name) {
                return Err(self.error(
                    start,
                    format!("duplicate label name `{name}` for metric `{metric}`"),
                ));
            }
            self.blanks();
            if self.peek() != Some(b'=') {
                return Err(self.error(self.i, format!("expected '=' after label name `{name}`")));
            }
            self.i += 1;
            self.blanks();
            let value = self.label_value()?;
            labels.push((name.to_string(), value));
            self.blanks();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {}
                _ => return Err(self.error(self.i, "expected ',' or '}' after a label value")),
            }
        }
    }
}

#[derive(Debug, Default)]
struct Seen {
    /// Family index by name.
    by_name: FnvMap<String, usize>,
    /// Whether a TYPE line was read, per family.
    typed: Vec<bool>,
    /// The line of each family's first line and of each sample.
    family_line: Vec<usize>,
    sample_line: Vec<Vec<usize>>,
}

fn split_suffix(name: &str) -> Option<(&str, &str)> {
    ["_bucket", "_count", "_sum"]
        .into_iter()
        .find_map(|s| name.strip_suffix(s).map(|base| (base, s)))
}

/// Parses a text in the exposition format 0.0.4.
///
/// Refused, with the line and column: a line that is not blank, a comment, a HELP or TYPE line
/// or a sample; a bad metric or label name, `__name__` as a label, a label twice; escapes other
/// than `\\`, `\"`, `\n` in label values and `\\`, `\n` in HELP; a value that is not a Go float
/// or a timestamp that is not an int64; a second HELP or TYPE line, either after the family's
/// samples; a family's lines not in one group; the same series twice; the histogram and
/// summary rules (an `le` on every bucket, in increasing order, a `+Inf` bucket equal to
/// `_count`, `_sum` and `_count` present; quantiles between 0 and 1 in increasing order);
/// a last line without a line feed.
pub fn parse(text: &str) -> Result<Vec<Family>, ExpositionError> {
    let mut p = Parser {
        b: text.as_bytes(),
        text,
        i: 0,
        line: 1,
        line_start: 0,
    };
    let mut families: Vec<Family> = Vec::new();
    let mut seen = Seen::default();
    let mut current: Option<usize> = None;
    while p.i < p.b.len() {
        p.blanks();
        match p.peek() {
            None => break,
            Some(b'\n') => p.end_of_line()?,
            Some(b'#') => {
                p.i += 1;
                p.blanks();
                let keyword = p.token();
                if keyword != "HELP" && keyword != "TYPE" {
                    while !matches!(p.peek(), None | Some(b'\n')) {
                        p.i += 1;
                    }
                    p.end_of_line()?;
                    continue;
                }
                p.blanks();
                let name_at = p.i;
                let name = p.metric_name()?;
                if !matches!(p.peek(), None | Some(b' ' | b'\t' | b'\n')) {
                    return Err(p.error(p.i, "invalid metric name: expected a blank after it"));
                }
                p.blanks();
                let f = family_for(&mut families, &mut seen, &mut current, name, p.line)
                    .map_err(|m| p.error(name_at, m))?;
                if keyword == "HELP" {
                    if families[f].help.is_some() {
                        return Err(p.error(
                            name_at,
                            format!("second HELP line for metric name `{name}`"),
                        ));
                    }
                    if !families[f].samples.is_empty() {
                        return Err(p.error(name_at, format!("HELP line for metric name `{name}` after its samples (HELP and TYPE come first)")));
                    }
                    families[f].help = Some(p.rest(true)?);
                } else {
                    if seen.typed[f] || !families[f].samples.is_empty() {
                        return Err(p.error(name_at, format!("second TYPE line for metric name `{name}`, or TYPE reported after samples")));
                    }
                    let at = p.i;
                    let t = p.rest(false)?;
                    families[f].kind = MetricKind::from_name(&t).ok_or_else(|| {
                        p.error(at, format!("unknown metric type `{t}`: expected counter, gauge, histogram, summary or untyped"))
                    })?;
                    seen.typed[f] = true;
                }
                p.end_of_line()?;
            }
            Some(_) => {
                let name_at = p.i;
                let name = p.metric_name()?;
                p.blanks();
                let labels = if p.peek() == Some(b'{') {
                    let l = p.labels(name)?;
                    p.blanks();
                    l
                } else {
                    Vec::new()
                };
                let value_at = p.i;
                let token = p.token();
                let value = parse_go_float(token).ok_or_else(|| {
                    p.error(
                        value_at,
                        format!("expected a float as the value, found `{token}`"),
                    )
                })?;
                let mut timestamp = None;
                if matches!(p.peek(), Some(b' ' | b'\t')) {
                    p.blanks();
                    let at = p.i;
                    let token = p.token();
                    timestamp = Some(token.parse::<i64>().map_err(|_| {
                        p.error(at, format!("expected an integer (int64 milliseconds) as the timestamp, found `{token}`"))
                    })?);
                    p.blanks();
                    if !matches!(p.peek(), None | Some(b'\n')) {
                        return Err(p.error(p.i, "spurious text after the timestamp"));
                    }
                }
                let f = sample_family(&families, &seen, name);
                let f = match f {
                    Some(f) => f,
                    None => family_for(&mut families, &mut seen, &mut current, name, p.line)
                        .map_err(|m| p.error(name_at, m))?,
                };
                if current != Some(f) {
                    return Err(p.error(name_at, grouping(&families[f].name, seen.family_line[f])));
                }
                families[f].samples.push(Sample {
                    name: name.to_string(),
                    labels,
                    value,
                    timestamp,
                });
                seen.sample_line[f].push(p.line);
                p.end_of_line()?;
            }
        }
    }
    check(&families).map_err(|(f, s, message)| {
        let line = s.map_or(seen.family_line[f], |s| seen.sample_line[f][s]);
        ExpositionError {
            position: Some((line, 1)),
            path: None,
            message,
        }
    })?;
    Ok(families)
}

fn grouping(name: &str, first_line: usize) -> String {
    format!("lines for metric `{name}` must be one group, and it began at line {first_line} before another metric's lines")
}

/// The family a sample belongs to, if it exists: the family of its name, or the histogram or
/// summary its suffix names.
fn sample_family(families: &[Family], seen: &Seen, name: &str) -> Option<usize> {
    if let Some(&f) = seen.by_name.get(name) {
        return Some(f);
    }
    let (base, suffix) = split_suffix(name)?;
    let f = *seen.by_name.get(base)?;
    match (families[f].kind, suffix) {
        (MetricKind::Histogram, _) | (MetricKind::Summary, "_count" | "_sum") => Some(f),
        _ => None,
    }
}

fn family_for(
    families: &mut Vec<Family>,
    seen: &mut Seen,
    current: &mut Option<usize>,
    name: &str,
    line: usize,
) -> Result<usize, String> {
    if let Some(&f) = seen.by_name.get(name) {
        if *current != Some(f) {
            return Err(grouping(name, seen.family_line[f]));
        }
        return Ok(f);
    }
    let f = families.len();
    families.push(Family {
        name: name.to_string(),
        help: None,
        kind: MetricKind::Untyped,
        samples: Vec::new(),
    });
    seen.by_name.insert(name.to_string(), f);
    seen.typed.push(false);
    seen.family_line.push(line);
    seen.sample_line.push(Vec::new());
    *current = Some(f);
    Ok(f)
}

/// Where a problem is: family, sample, message.
type Problem = (usize, Option<usize>, String);

/// A word-at-a-time multiply-rotate hash (rustc's FxHash scheme): the maps here hold names
/// from one text, and a collision only costs a comparison.
#[derive(Debug, Clone, Copy, Default)]
struct Fnv(u64);

impl Fnv {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 59));
    }
    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// A series' hash, the same whatever the order of its labels.
fn series_hash(s: &Sample) -> u64 {
    let mut h = Fnv::default();
    s.name.hash(&mut h);
    let mut labels: u64 = 0;
    for (k, v) in &s.labels {
        let mut lh = Fnv::default();
        k.hash(&mut lh);
        v.hash(&mut lh);
        labels = labels.wrapping_add(lh.finish());
    }
    labels.hash(&mut h);
    h.finish()
}

fn same_series(a: &Sample, b: &Sample) -> bool {
    a.name == b.name
        && a.labels.len() == b.labels.len()
        && a.labels.iter().all(|l| b.labels.contains(l))
}

fn label<'s>(s: &'s Sample, name: &str) -> Option<&'s str> {
    s.labels
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The rules a family's samples keep, shared by [`parse`] and [`render`].
fn check(families: &[Family]) -> Result<(), Problem> {
    for (fi, f) in families.iter().enumerate() {
        let mut series: HashMap<u64, usize> = HashMap::with_capacity(f.samples.len());
        for (si, s) in f.samples.iter().enumerate() {
            if let Some(&other) = series.get(&series_hash(s)) {
                if same_series(&f.samples[other], s) {
                    return Err((
                        fi,
                        Some(si),
                        format!(
                            "the series `{}` appears twice (each name and label set once)",
                            s.name
                        ),
                    ));
                }
            } else {
                series.insert(series_hash(s), si);
            }
        }
        match f.kind {
            MetricKind::Histogram => distribution(fi, f, "le", "_bucket")?,
            MetricKind::Summary => distribution(fi, f, "quantile", "")?,
            _ => {}
        }
    }
    Ok(())
}

#[derive(Default)]
struct Group {
    last_bound: Option<f64>,
    inf: Option<f64>,
    sum: bool,
    count: Option<f64>,
    first: usize,
}

/// A histogram's (`le`, `_bucket`) or summary's (`quantile`) samples, per label set.
fn distribution(fi: usize, f: &Family, bound: &str, bound_suffix: &str) -> Result<(), Problem> {
    let mut groups: Vec<(Vec<&(String, String)>, Group)> = Vec::new();
    for (si, s) in f.samples.iter().enumerate() {
        let suffix = s.name.strip_prefix(f.name.as_str()).unwrap_or("\u{0}");
        let mut key: Vec<&(String, String)> = s.labels.iter().filter(|(k, _)| k != bound).collect();
        key.sort();
        let gi = match groups.iter().position(|(k, _)| *k == key) {
            Some(g) => g,
            None => {
                groups.push((
                    key,
                    Group {
                        first: si,
                        ..Group::default()
                    },
                ));
                groups.len() - 1
            }
        };
        let g = &mut groups[gi].1;
        match suffix {
            "_sum" => g.sum = true,
            "_count" => g.count = Some(s.value),
            x if x == bound_suffix => {
                let Some(b) = label(s, bound) else {
                    return Err((
                        fi,
                        Some(si),
                        format!("`{}` needs an `{bound}` label", s.name),
                    ));
                };
                let Some(b) = parse_go_float(b).filter(|b| !b.is_nan()) else {
                    return Err((
                        fi,
                        Some(si),
                        format!("expected a float as the `{bound}` label's value, found `{b}`"),
                    ));
                };
                if bound == "quantile" && !(0.0..=1.0).contains(&b) {
                    return Err((
                        fi,
                        Some(si),
                        format!("a quantile is between 0 and 1, found {b}"),
                    ));
                }
                if g.last_bound
                    .is_some_and(|l| b.partial_cmp(&l) != Some(std::cmp::Ordering::Greater))
                {
                    return Err((
                        fi,
                        Some(si),
                        format!(
                            "`{bound}` values must increase: {b} follows {}",
                            g.last_bound.unwrap_or(b)
                        ),
                    ));
                }
                g.last_bound = Some(b);
                if b == f64::INFINITY {
                    g.inf = Some(s.value);
                }
            }
            _ => {
                let expected = if bound == "le" {
                    format!("`{0}_bucket`, `{0}_sum` or `{0}_count`", f.name)
                } else {
                    format!("`{0}`, `{0}_sum` or `{0}_count`", f.name)
                };
                return Err((
                    fi,
                    Some(si),
                    format!(
                        "the sample `{}` is not part of {} `{}`: expected {expected}",
                        s.name,
                        f.kind.name(),
                        f.name
                    ),
                ));
            }
        }
    }
    for (_, g) in &groups {
        let at = Some(g.first);
        if !g.sum {
            return Err((
                fi,
                at,
                format!(
                    "{} `{}` has no `{}_sum` for one of its label sets",
                    f.kind.name(),
                    f.name,
                    f.name
                ),
            ));
        }
        let Some(count) = g.count else {
            return Err((
                fi,
                at,
                format!(
                    "{} `{}` has no `{}_count` for one of its label sets",
                    f.kind.name(),
                    f.name,
                    f.name
                ),
            ));
        };
        if bound == "le" {
            match g.inf {
                None => {
                    return Err((
                        fi,
                        at,
                        format!(
                        "histogram `{}` has no bucket with le=\"+Inf\" for one of its label sets",
                        f.name
                    ),
                    ))
                }
                Some(inf) if inf.to_bits() != count.to_bits() && inf != count => {
                    return Err((
                        fi,
                        at,
                        format!(
                        "histogram `{}`: the +Inf bucket ({inf}) must equal `{}_count` ({count})",
                        f.name, f.name
                    ),
                    ))
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn at(path: String, message: impl Into<String>) -> ExpositionError {
    ExpositionError {
        position: None,
        path: Some(path),
        message: message.into(),
    }
}

fn escape_into(out: &mut String, s: &str, quote: bool) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' if quote => out.push_str("\\\""),
            c => out.push(c),
        }
    }
}

/// Whether `sample` may belong to family `f` by its name.
fn belongs(f: &Family, sample: &str) -> bool {
    let suffix = sample.strip_prefix(f.name.as_str());
    match f.kind {
        MetricKind::Histogram => matches!(suffix, Some("_bucket" | "_sum" | "_count")),
        MetricKind::Summary => matches!(suffix, Some("" | "_sum" | "_count")),
        _ => suffix == Some(""),
    }
}

/// Writes families in the text format as `expfmt` does: `# HELP` (when there is help),
/// `# TYPE`, then each sample, values in Go's shortest float syntax. Refuses (with the path)
/// what [`parse`] would refuse or could not read back the same: bad names, a family name twice,
/// a sample whose name does not belong to its family or names another family, a HELP text
/// starting with a blank, bad or reserved or repeated label names, and the rules [`parse`]
/// checks on series, histograms and summaries; so `parse(render(f)) == f`.
pub fn render(families: &[Family]) -> Result<String, ExpositionError> {
    let mut names: HashMap<&str, usize> = HashMap::with_capacity(families.len());
    for (fi, f) in families.iter().enumerate() {
        if !valid_metric_name(&f.name) {
            return Err(at(
                format!("families[{fi}].name"),
                format!(
                    "invalid metric name `{}`: expected [a-zA-Z_:][a-zA-Z0-9_:]*",
                    f.name
                ),
            ));
        }
        if let Some(other) = names.insert(&f.name, fi) {
            return Err(at(
                format!("families[{fi}].name"),
                format!(
                    "the family `{}` is also families[{other}]: a family's lines are one group",
                    f.name
                ),
            ));
        }
    }
    let mut out = String::with_capacity(families.iter().map(|f| 64 + f.samples.len() * 48).sum());
    for (fi, f) in families.iter().enumerate() {
        if let Some(h) = &f.help {
            if h.starts_with([' ', '\t']) {
                return Err(at(
                    format!("families[{fi}].help"),
                    "a HELP text cannot start with a blank: the format drops it",
                ));
            }
            out.push_str("# HELP ");
            out.push_str(&f.name);
            out.push(' ');
            escape_into(&mut out, h, false);
            out.push('\n');
        }
        out.push_str("# TYPE ");
        out.push_str(&f.name);
        out.push(' ');
        out.push_str(f.kind.name());
        out.push('\n');
        for (si, s) in f.samples.iter().enumerate() {
            let path = format!("families[{fi}].samples[{si}]");
            if !belongs(f, &s.name) || (s.name != f.name && names.contains_key(s.name.as_str())) {
                return Err(at(
                    format!("{path}.name"),
                    format!(
                        "the sample `{}` does not belong to {} `{}`",
                        s.name,
                        f.kind.name(),
                        f.name
                    ),
                ));
            }
            out.push_str(&s.name);
            if !s.labels.is_empty() {
                out.push('{');
                for (li, (k, v)) in s.labels.iter().enumerate() {
                    if !valid_label_name(k) || k == "__name__" {
                        return Err(at(format!("{path}.labels[{li}]"), format!("invalid label name `{k}`: expected [a-zA-Z_][a-zA-Z0-9_]*, not `__name__`")));
                    }
                    if s.labels[..li].iter().any(|(o, _)| o == k) {
                        return Err(at(
                            format!("{path}.labels[{li}]"),
                            format!("duplicate label name `{k}`"),
                        ));
                    }
                    if li > 0 {
                        out.push(',');
                    }
                    out.push_str(k);
                    out.push_str("=\"");
                    escape_into(&mut out, v, true);
                    out.push('"');
                }
                out.push('}');
            }
            out.push(' ');
            write_go_float(&mut out, s.value);
            if let Some(t) = s.timestamp {
                let _ = write!(out, " {t}");
            }
            out.push('\n');
        }
    }
    check(families).map_err(|(f, s, m)| {
        let path = match s {
            Some(s) => format!("families[{f}].samples[{s}]"),
            None => format!("families[{f}]"),
        };
        at(path, m)
    })?;
    Ok(out)
}

/// The model's `Metric` values as families: one per name in the order names first appear,
/// with its type and the first HELP given, a sample per metric with a value (labels in name
/// order, the timestamp in milliseconds). A histogram or summary is refused (a `Metric` holds
/// one value, and those need buckets or quantiles with `_sum` and `_count`), as are a name
/// given two types or two HELP texts.
pub fn from_metrics(metrics: &[Metric]) -> Result<Vec<Family>, ExpositionError> {
    let mut families: Vec<Family> = Vec::new();
    let mut index: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, m) in metrics.iter().enumerate() {
        let kind = match m.metric_type {
            MetricType::Counter => MetricKind::Counter,
            MetricType::Gauge => MetricKind::Gauge,
            MetricType::Histogram | MetricType::Summary => {
                return Err(at(format!("metrics[{i}].type"), format!("a {} needs buckets or quantiles with `_sum` and `_count`; a Metric holds one value: expected counter or gauge", match m.metric_type { MetricType::Histogram => "histogram", _ => "summary" })));
            }
        };
        let (f, first) = *index.entry(&m.name).or_insert_with(|| {
            families.push(Family {
                name: m.name.clone(),
                help: None,
                kind,
                samples: Vec::new(),
            });
            (families.len() - 1, i)
        });
        let fam = &mut families[f];
        if fam.kind != kind {
            return Err(at(
                format!("metrics[{i}].type"),
                format!("`{}` is a {} in metrics[{first}]", m.name, fam.kind.name()),
            ));
        }
        if let Some(h) = &m.help {
            match &fam.help {
                Some(other) if other != h => {
                    return Err(at(
                        format!("metrics[{i}].help"),
                        format!("`{}` has another HELP text in metrics[{first}]", m.name),
                    ))
                }
                Some(_) => {}
                None => fam.help = Some(h.clone()),
            }
        }
        if let Some(v) = m.value {
            fam.samples.push(Sample {
                name: m.name.clone(),
                labels: m
                    .labels
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                value: v,
                timestamp: m.timestamp.map(|t| t.timestamp_millis()),
            });
        }
    }
    Ok(families)
}
