//! Reading an event pattern (aws/event-ruler's `JsonRuleCompiler` rules) and testing one
//! event value against one value matcher.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;
use serde_json::{Map, Number, Value};

use super::flatten::{self, FlatEvent};
use crate::error::{Coded, ErrorKind};

/// event-ruler compares numbers in a fixed range: ±5,000,000,000 (`Constants.FIVE_BILLION`).
pub(crate) const NUMERIC_LIMIT: f64 = 5.0e9;
/// Digits after the decimal point a pattern number may have (`ComparableNumber`).
const MAX_DECIMALS: usize = 6;
/// Branches one pattern may expand into through nested `$or` (cnarch's bound; event-ruler
/// has none).
pub(crate) const MAX_BRANCHES: usize = 10_000;
/// Nesting depth of a pattern or an event (the depth the JSON parsers stop at).
pub(crate) const MAX_DEPTH: usize = 128;

/// The operator names; none may be a field name inside `$or` (event-ruler's
/// `RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP`).
const OPERATORS: [&str; 9] = [
    "exact",
    "prefix",
    "suffix",
    "equals-ignore-case",
    "wildcard",
    "anything-but",
    "numeric",
    "exists",
    "cidr",
];

/// A pattern that is not a valid EventBridge event pattern: where (`path`, as the pattern
/// spells it, e.g. `detail.state[0].numeric`) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// The place in the pattern: keys joined with `.`, list items as `[i]`; `None` for the
    /// pattern as a whole.
    pub path: Option<String>,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "`{p}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PatternError {}

impl Coded for PatternError {
    fn code(&self) -> &'static str {
        "invalid_event_pattern"
    }
    fn kind(&self) -> ErrorKind {
        ErrorKind::Pattern
    }
    fn field(&self) -> Option<&str> {
        self.path.as_deref()
    }
}

/// A parsed EventBridge event pattern: the `$or` alternatives expanded into branches, each a
/// set of field paths with the values they accept.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPattern {
    pub(crate) branches: Vec<Branch>,
}

/// One alternative: every field must match.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Branch {
    pub(crate) fields: Vec<Field>,
}

/// One field of a branch: its path (keys split at `.`, as event-ruler joins them), the
/// matchers of its list (any may match), and whether `{"exists": false}` is among them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    pub(crate) segments: Vec<String>,
    pub(crate) path: String,
    pub(crate) matchers: Vec<Matcher>,
    pub(crate) absent_ok: bool,
}

/// A `*` glob: the literal pieces between unescaped stars (one more than the stars).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wildcard {
    pieces: Vec<String>,
}

impl Wildcard {
    fn parse(text: &str) -> Result<Wildcard, String> {
        let mut pieces = Vec::new();
        let mut piece = String::new();
        let mut chars = text.chars();
        let mut last_star = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e @ ('*' | '\\')) => {
                        piece.push(e);
                        last_star = false;
                    }
                    Some(other) => {
                        return Err(format!(
                            "a backslash escapes only `*` or `\\`, found `\\{other}` in `{text}`"
                        ))
                    }
                    None => return Err(format!("a backslash ends the wildcard `{text}`")),
                },
                '*' => {
                    if last_star {
                        return Err(format!(
                            "consecutive wildcard characters are not allowed, found `**` in `{text}`"
                        ));
                    }
                    pieces.push(std::mem::take(&mut piece));
                    last_star = true;
                }
                other => {
                    piece.push(other);
                    last_star = false;
                }
            }
        }
        pieces.push(piece);
        Ok(Wildcard { pieces })
    }

    /// Anchored at both ends; each `*` takes any run of characters, the empty one too.
    pub(crate) fn matches(&self, s: &str) -> bool {
        let (first, rest) = match self.pieces.split_first() {
            Some(x) => x,
            None => return s.is_empty(),
        };
        let Some((last, middle)) = rest.split_last() else {
            return s == first;
        };
        if s.len() < first.len() + last.len() || !s.starts_with(first.as_str()) {
            return false;
        }
        if !s.ends_with(last.as_str()) {
            return false;
        }
        let mut inner = &s[first.len()..s.len() - last.len()];
        for piece in middle {
            match inner.find(piece.as_str()) {
                Some(at) => inner = &inner[at + piece.len()..],
                None => return false,
            }
        }
        true
    }
}

/// A numeric range; `=` is the closed range of one point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Range {
    pub(crate) lo: f64,
    pub(crate) lo_open: bool,
    pub(crate) hi: f64,
    pub(crate) hi_open: bool,
}

impl Range {
    pub(crate) fn contains(&self, x: f64) -> bool {
        let above = if self.lo_open {
            x > self.lo
        } else {
            x >= self.lo
        };
        let below = if self.hi_open {
            x < self.hi
        } else {
            x <= self.hi
        };
        above && below
    }
}

/// One entry of a field's list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Matcher {
    /// An exact string.
    Str(String),
    /// A number event-ruler can compare (within ±5e9, at most 6 decimals): equal as doubles.
    Num(f64),
    /// `true`, `false`, `null`, or a number outside the comparable range: equal as JSON.
    Lit(Value),
    /// A `cidr` range, or an exact string that is an IP address.
    Ip(IpNet),
    Prefix(String),
    Suffix(String),
    /// `prefix` wrapping `equals-ignore-case` (lowercased).
    PrefixFold(String),
    /// `suffix` wrapping `equals-ignore-case` (lowercased).
    SuffixFold(String),
    /// `equals-ignore-case` (lowercased).
    Fold(String),
    Wildcard(Wildcard),
    Numeric(Range),
    /// `exists: true`.
    Exists,
    /// `anything-but` strings.
    NotStrs(Vec<String>),
    /// `anything-but` numbers.
    NotNums(Vec<f64>),
    NotPrefix(Vec<String>),
    NotSuffix(Vec<String>),
    /// `anything-but` wrapping `equals-ignore-case` (lowercased).
    NotFold(Vec<String>),
    NotWildcard(Vec<Wildcard>),
}

/// A number as event-ruler compares it: a double within ±5e9 (`-0` as `0`), else `None`.
pub(crate) fn comparable(n: &Number) -> Option<f64> {
    let x = n.as_f64()?;
    (x.is_finite() && (-NUMERIC_LIMIT..=NUMERIC_LIMIT).contains(&x)).then_some(x + 0.0)
}

/// The key a comparable number is indexed by.
pub(crate) fn number_key(x: f64) -> u64 {
    (x + 0.0).to_bits()
}

/// Unicode lowercase, the case folding `equals-ignore-case` uses here.
pub(crate) fn fold(s: &str) -> String {
    s.to_lowercase()
}

fn ip_of(s: &str) -> Option<IpAddr> {
    s.parse::<IpAddr>().ok()
}

impl Matcher {
    /// Whether this entry accepts the leaf value `v` (a string, number, boolean or null).
    pub(crate) fn test(&self, v: &Value) -> bool {
        match (self, v) {
            (Matcher::Str(p), Value::String(s)) => p == s,
            (Matcher::Num(x), Value::Number(n)) => comparable(n) == Some(*x),
            (Matcher::Lit(l), v) => l == v,
            (Matcher::Ip(net), Value::String(s)) => ip_of(s).is_some_and(|ip| net.contains(&ip)),
            (Matcher::Prefix(p), Value::String(s)) => s.starts_with(p.as_str()),
            (Matcher::Suffix(p), Value::String(s)) => s.ends_with(p.as_str()),
            (Matcher::PrefixFold(p), Value::String(s)) => fold(s).starts_with(p.as_str()),
            (Matcher::SuffixFold(p), Value::String(s)) => fold(s).ends_with(p.as_str()),
            (Matcher::Fold(p), Value::String(s)) => fold(s) == *p,
            (Matcher::Wildcard(w), Value::String(s)) => w.matches(s),
            (Matcher::Numeric(r), Value::Number(n)) => comparable(n).is_some_and(|x| r.contains(x)),
            (Matcher::Exists, _) => true,
            (Matcher::NotStrs(set), v) => !matches!(v, Value::String(s) if set.contains(s)),
            (Matcher::NotNums(set), v) => !matches!(v, Value::Number(n)
                if comparable(n).is_some_and(|x| set.contains(&x))),
            (Matcher::NotPrefix(ps), v) => {
                !matches!(v, Value::String(s) if ps.iter().any(|p| s.starts_with(p.as_str())))
            }
            (Matcher::NotSuffix(ps), v) => {
                !matches!(v, Value::String(s) if ps.iter().any(|p| s.ends_with(p.as_str())))
            }
            (Matcher::NotFold(ps), v) => {
                !matches!(v, Value::String(s) if { let f = fold(s); ps.contains(&f) })
            }
            (Matcher::NotWildcard(ws), v) => {
                !matches!(v, Value::String(s) if ws.iter().any(|w| w.matches(s)))
            }
            _ => false,
        }
    }
}

struct Reader {
    /// Branches being built: joined path → field (a later field with the same path replaces
    /// the earlier, as event-ruler's compiler does).
    branches: Vec<BTreeMap<String, Field>>,
}

fn err(path: &str, message: impl Into<String>) -> PatternError {
    PatternError {
        path: (!path.is_empty()).then(|| path.to_string()),
        message: message.into(),
    }
}

fn kind(v: &Value) -> String {
    match v {
        Value::String(s) => format!("the string `{s}`"),
        Value::Number(n) => format!("the number `{n}`"),
        other => crate::ffi::kind_of(other).to_string(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl EventPattern {
    /// A pattern from JSON text.
    pub fn parse(text: &str) -> Result<EventPattern, PatternError> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| err("", format!("expected a JSON object: {e}")))?;
        EventPattern::from_value(&v)
    }

    /// A pattern from a JSON value: an object whose fields are objects (nested fields), lists
    /// of values and operators, or `$or` with a list of at least two objects.
    pub fn from_value(v: &Value) -> Result<EventPattern, PatternError> {
        let Value::Object(map) = v else {
            return Err(err(
                "",
                format!("expected the pattern to be an object, found {}", kind(v)),
            ));
        };
        let mut r = Reader {
            branches: Vec::new(),
        };
        r.object(map, &[], "", false, 1)?;
        let branches = r
            .branches
            .into_iter()
            .map(|b| Branch {
                fields: b.into_values().collect(),
            })
            .collect();
        Ok(EventPattern { branches })
    }

    /// Whether `event` (a JSON object) matches: some branch has, for every field, a value in
    /// the event that one of the field's entries accepts (or the field is absent and
    /// `{"exists": false}` allows it), with every two values that sit in different elements
    /// of one array never combined.
    pub fn matches(&self, event: &Value) -> bool {
        let flat = flatten::flatten(event);
        self.branches.iter().any(|b| branch_matches(b, &flat))
    }

    /// The field paths the pattern reads, each once, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .branches
            .iter()
            .flat_map(|b| b.fields.iter().map(|f| f.path.clone()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// How many alternatives the `$or`s expand into.
    pub fn branch_count(&self) -> usize {
        self.branches.len()
    }
}

fn branch_matches(b: &Branch, flat: &FlatEvent<'_>) -> bool {
    let mut lists: Vec<Vec<usize>> = Vec::with_capacity(b.fields.len());
    for f in &b.fields {
        let mut present = false;
        let hits: Vec<usize> = flat
            .fields
            .iter()
            .enumerate()
            .filter(|(_, x)| x.path == f.path)
            .inspect(|_| present = true)
            .filter(|(_, x)| f.matchers.iter().any(|m| m.test(x.leaf)))
            .map(|(i, _)| i)
            .collect();
        if hits.is_empty() {
            if f.absent_ok && !present {
                continue;
            }
            return false;
        }
        lists.push(hits);
    }
    let members: Vec<&[(u32, u32)]> = flat.fields.iter().map(|x| flat.members(x)).collect();
    let lists: Vec<Vec<&[(u32, u32)]>> = lists
        .iter()
        .map(|l| l.iter().map(|&i| members[i]).collect())
        .collect();
    flatten::consistent(&lists)
}

impl Reader {
    fn object(
        &mut self,
        map: &Map<String, Value>,
        segments: &[String],
        path: &str,
        in_or: bool,
        depth: usize,
    ) -> Result<(), PatternError> {
        if depth > MAX_DEPTH {
            return Err(err(
                path,
                format!("expected at most {MAX_DEPTH} levels of nesting"),
            ));
        }
        if map.is_empty() {
            return Err(err(
                path,
                "expected at least one field, found an empty object",
            ));
        }
        for (key, v) in map {
            let here = join(path, key);
            if key == "$or" {
                self.or(v, segments, &here, depth)?;
                continue;
            }
            if in_or && OPERATORS.contains(&key.as_str()) {
                return Err(err(
                    &here,
                    format!("`{key}` is an operator name and cannot be a field name inside `$or`"),
                ));
            }
            let mut segs = segments.to_vec();
            segs.extend(key.split('.').map(str::to_string));
            match v {
                Value::Object(inner) => self.object(inner, &segs, &here, in_or, depth + 1)?,
                Value::Array(list) => {
                    let (matchers, absent_ok) = values(list, &here)?;
                    let joined = segs.join(".");
                    if self.branches.is_empty() {
                        self.branches.push(BTreeMap::new());
                    }
                    for b in &mut self.branches {
                        b.insert(
                            joined.clone(),
                            Field {
                                segments: segs.clone(),
                                path: joined.clone(),
                                matchers: matchers.clone(),
                                absent_ok,
                            },
                        );
                    }
                }
                other => {
                    return Err(err(
                        &here,
                        format!(
                            "expected a list of values or an object, found {}",
                            kind(other)
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    fn or(
        &mut self,
        v: &Value,
        segments: &[String],
        path: &str,
        depth: usize,
    ) -> Result<(), PatternError> {
        let Value::Array(items) = v else {
            return Err(err(
                path,
                format!("expected a list of at least two objects, found {}", kind(v)),
            ));
        };
        if items.len() < 2 {
            return Err(err(
                path,
                format!(
                    "expected a list of at least two objects, found {} item(s)",
                    items.len()
                ),
            ));
        }
        let current = std::mem::take(&mut self.branches);
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Value::Object(obj) = item else {
                return Err(err(
                    &at,
                    format!("expected an object inside `$or`, found {}", kind(item)),
                ));
            };
            let mut sub = Reader {
                branches: if current.is_empty() {
                    vec![BTreeMap::new()]
                } else {
                    current.clone()
                },
            };
            sub.object(obj, segments, &at, true, depth + 1)?;
            self.branches.extend(sub.branches);
            if self.branches.len() > MAX_BRANCHES {
                return Err(err(
                    path,
                    format!("expected `$or` to expand into at most {MAX_BRANCHES} alternatives"),
                ));
            }
        }
        Ok(())
    }
}

/// The entries of a field's list, and whether `{"exists": false}` is one of them.
fn values(list: &[Value], path: &str) -> Result<(Vec<Matcher>, bool), PatternError> {
    if list.is_empty() {
        return Err(err(
            path,
            "expected at least one value, found an empty list",
        ));
    }
    let mut out = Vec::new();
    let mut absent_ok = false;
    for (i, v) in list.iter().enumerate() {
        let at = format!("{path}[{i}]");
        match v {
            Value::String(s) => out.push(match ip_of(s) {
                Some(ip) => Matcher::Ip(IpNet::from(ip)),
                None => Matcher::Str(s.clone()),
            }),
            Value::Number(n) => out.push(match exact_number(n) {
                Some(x) => Matcher::Num(x),
                None => Matcher::Lit(v.clone()),
            }),
            Value::Bool(_) | Value::Null => out.push(Matcher::Lit(v.clone())),
            Value::Array(_) => return Err(err(
                &at,
                "expected a string, number, true, false, null or an operator object, found a list",
            )),
            Value::Object(op) => match operator(op, &at)? {
                Some(m) => out.push(m),
                None => absent_ok = true,
            },
        }
    }
    Ok((out, absent_ok))
}

/// A value-list number event-ruler also compares numerically (it keeps the literal match
/// for the rest, such as account numbers).
fn exact_number(n: &Number) -> Option<f64> {
    let x = comparable(n)?;
    (decimals(x) <= MAX_DECIMALS).then_some(x)
}

pub(crate) fn decimals(x: f64) -> usize {
    let s = format!("{x}");
    s.find('.').map_or(0, |dot| s.len() - dot - 1)
}

/// A number an operator compares with: within ±5e9 and at most 6 decimals, or refused.
fn operand(v: &Value, at: &str, what: &str) -> Result<f64, PatternError> {
    let Value::Number(n) = v else {
        return Err(err(
            at,
            format!("expected a number {what}, found {}", kind(v)),
        ));
    };
    let x = n.as_f64().unwrap_or(f64::NAN);
    if !x.is_finite() || !(-NUMERIC_LIMIT..=NUMERIC_LIMIT).contains(&x) {
        return Err(err(
            at,
            format!("expected a number between -5000000000 and 5000000000, found `{n}`"),
        ));
    }
    if decimals(x) > MAX_DECIMALS {
        return Err(err(
            at,
            format!("expected at most {MAX_DECIMALS} digits after the decimal point, found `{n}`"),
        ));
    }
    Ok(x + 0.0)
}

fn string_operand<'a>(v: &'a Value, at: &str, op: &str) -> Result<&'a str, PatternError> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(err(
            at,
            format!("expected a string after `{op}`, found {}", kind(other)),
        )),
    }
}

/// The one key of an operator object.
fn single<'a>(op: &'a Map<String, Value>, at: &str) -> Result<(&'a str, &'a Value), PatternError> {
    let mut it = op.iter();
    match (it.next(), it.next()) {
        (Some((k, v)), None) => Ok((k.as_str(), v)),
        (None, _) => Err(err(at, "expected one operator, found an empty object")),
        (Some(_), Some(_)) => Err(err(
            at,
            format!(
                "expected one operator, found {} keys (`{}`)",
                op.len(),
                op.keys().cloned().collect::<Vec<_>>().join("`, `")
            ),
        )),
    }
}

/// An operator object: `Some(matcher)`, or `None` for `{"exists": false}`.
fn operator(op: &Map<String, Value>, at: &str) -> Result<Option<Matcher>, PatternError> {
    let (name, v) = single(op, at)?;
    let here = format!("{at}.{name}");
    let m = match name {
        "exact" => Matcher::Str(string_operand(v, &here, name)?.to_string()),
        "prefix" | "suffix" => {
            let text = match v {
                Value::Object(inner) => {
                    let (k, iv) = single(inner, &here)?;
                    if k != "equals-ignore-case" {
                        return Err(err(
                            &format!("{here}.{k}"),
                            format!("expected `equals-ignore-case` inside `{name}`, found `{k}`"),
                        ));
                    }
                    let s = fold(string_operand(iv, &format!("{here}.{k}"), k)?);
                    return Ok(Some(if name == "prefix" {
                        Matcher::PrefixFold(s)
                    } else {
                        Matcher::SuffixFold(s)
                    }));
                }
                other => string_operand(other, &here, name)?,
            };
            if name == "prefix" {
                Matcher::Prefix(text.to_string())
            } else {
                Matcher::Suffix(text.to_string())
            }
        }
        "equals-ignore-case" => Matcher::Fold(fold(string_operand(v, &here, name)?)),
        "wildcard" => Matcher::Wildcard(
            Wildcard::parse(string_operand(v, &here, name)?).map_err(|m| err(&here, m))?,
        ),
        "numeric" => Matcher::Numeric(numeric(v, &here)?),
        "exists" => match v {
            Value::Bool(true) => Matcher::Exists,
            Value::Bool(false) => return Ok(None),
            other => {
                return Err(err(
                    &here,
                    format!("expected `true` or `false`, found {}", kind(other)),
                ))
            }
        },
        "cidr" => {
            let s = string_operand(v, &here, name)?;
            let net: IpNet = s.parse().map_err(|_| {
                err(
                    &here,
                    format!("expected an IPv4 or IPv6 CIDR block (`10.0.0.0/24`), found `{s}`"),
                )
            })?;
            Matcher::Ip(net.trunc())
        }
        "anything-but" => anything_but(v, &here)?,
        other => {
            return Err(err(
                &here,
                format!(
                    "expected one of `{}`, found the operator `{other}`",
                    OPERATORS.join("`, `")
                ),
            ))
        }
    };
    Ok(Some(m))
}

fn numeric(v: &Value, at: &str) -> Result<Range, PatternError> {
    let Value::Array(terms) = v else {
        return Err(err(
            at,
            format!(
                "expected a list such as `[\">\", 0, \"<=\", 5]`, found {}",
                kind(v)
            ),
        ));
    };
    let op_at = |i: usize| format!("{at}[{i}]");
    let op = |i: usize| -> Result<&str, PatternError> {
        match terms.get(i) {
            Some(Value::String(s)) => Ok(s.as_str()),
            Some(other) => Err(err(
                &op_at(i),
                format!(
                    "expected a comparison operator (`<`, `<=`, `=`, `>=`, `>`), found {}",
                    kind(other)
                ),
            )),
            None => Err(err(
                at,
                "expected a comparison operator and a number, found an empty list",
            )),
        }
    };
    let num = |i: usize, o: &str| -> Result<f64, PatternError> {
        match terms.get(i) {
            Some(x) => operand(x, &op_at(i), &format!("after `{o}`")),
            None => Err(err(
                at,
                format!("expected a number after `{o}`, found the end of the list"),
            )),
        }
    };
    let first = op(0)?;
    let a = num(1, first)?;
    let mut range = Range {
        lo: -NUMERIC_LIMIT,
        lo_open: false,
        hi: NUMERIC_LIMIT,
        hi_open: false,
    };
    let upper_allowed = match first {
        "=" => {
            range = Range {
                lo: a,
                lo_open: false,
                hi: a,
                hi_open: false,
            };
            false
        }
        ">" | ">=" => {
            range.lo = a;
            range.lo_open = first == ">";
            true
        }
        "<" | "<=" => {
            range.hi = a;
            range.hi_open = first == "<";
            false
        }
        other => {
            return Err(err(
                &op_at(0),
                format!(
                    "expected a comparison operator (`<`, `<=`, `=`, `>=`, `>`), found `{other}`"
                ),
            ))
        }
    };
    if terms.len() == 2 {
        return Ok(range);
    }
    if !upper_allowed {
        return Err(err(
            at,
            format!(
                "expected nothing after `{first}` and its number, found {} more item(s)",
                terms.len() - 2
            ),
        ));
    }
    let second = op(2)?;
    if second != "<" && second != "<=" {
        return Err(err(
            &op_at(2),
            format!("expected `<` or `<=` for the top of a range, found `{second}`"),
        ));
    }
    let b = num(3, second)?;
    if terms.len() > 4 {
        return Err(err(
            at,
            format!(
                "expected at most two comparisons, found {} items",
                terms.len()
            ),
        ));
    }
    if a >= b {
        return Err(err(
            at,
            format!("expected the bottom of the range below its top, found {a} and {b}"),
        ));
    }
    range.hi = b;
    range.hi_open = second == "<";
    Ok(range)
}

fn anything_but(v: &Value, at: &str) -> Result<Matcher, PatternError> {
    match v {
        Value::String(s) => Ok(Matcher::NotStrs(vec![s.clone()])),
        Value::Number(_) => Ok(Matcher::NotNums(vec![operand(v, at, "")?])),
        Value::Array(items) => {
            if items.is_empty() {
                return Err(err(at, "expected at least one value, found an empty list"));
            }
            if items.iter().all(Value::is_string) {
                return Ok(Matcher::NotStrs(
                    items
                        .iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect(),
                ));
            }
            if items.iter().all(Value::is_number) {
                let nums = items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| operand(x, &format!("{at}[{i}]"), ""))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(Matcher::NotNums(nums));
            }
            Err(err(at, "expected a list of only strings or only numbers"))
        }
        Value::Object(inner) => {
            let (name, iv) = single(inner, at)?;
            let here = format!("{at}.{name}");
            if !matches!(
                name,
                "prefix" | "suffix" | "equals-ignore-case" | "wildcard"
            ) {
                return Err(err(
                    &here,
                    format!(
                        "expected `prefix`, `suffix`, `equals-ignore-case` or `wildcard` inside `anything-but`, found `{name}`"
                    ),
                ));
            }
            let texts: Vec<String> = match iv {
                Value::String(s) => vec![s.clone()],
                Value::Array(items) if !items.is_empty() => items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        string_operand(x, &format!("{here}[{i}]"), name).map(String::from)
                    })
                    .collect::<Result<_, _>>()?,
                Value::Array(_) => {
                    return Err(err(
                        &here,
                        "expected at least one string, found an empty list",
                    ))
                }
                other => {
                    return Err(err(
                        &here,
                        format!(
                            "expected a string or a list of strings, found {}",
                            kind(other)
                        ),
                    ))
                }
            };
            if matches!(name, "prefix" | "suffix") && texts.iter().any(String::is_empty) {
                return Err(err(
                    &here,
                    format!("expected a non-empty {name}, found `\"\"`"),
                ));
            }
            match name {
                "prefix" => Ok(Matcher::NotPrefix(texts)),
                "suffix" => Ok(Matcher::NotSuffix(texts)),
                "equals-ignore-case" => {
                    Ok(Matcher::NotFold(texts.iter().map(|t| fold(t)).collect()))
                }
                _ => Ok(Matcher::NotWildcard(
                    texts
                        .iter()
                        .map(|t| Wildcard::parse(t).map_err(|m| err(&here, m)))
                        .collect::<Result<_, _>>()?,
                )),
            }
        }
        other => Err(err(
            at,
            format!(
                "expected a string, a number or a list of them, found {}",
                kind(other)
            ),
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wildcards_anchor_and_escape() {
        let w = Wildcard::parse("a*b*c").unwrap();
        assert!(w.matches("abc") && w.matches("a-b-c") && w.matches("abbc"));
        assert!(!w.matches("ab") && !w.matches("xabc") && !w.matches("abcx"));
        let star = Wildcard::parse(r"a\*b").unwrap();
        assert!(star.matches("a*b") && !star.matches("axb"));
        assert!(Wildcard::parse("a**").is_err());
        assert!(Wildcard::parse(r"a\x").is_err());
        // One piece both first and last must not be counted twice: `a*a` needs two `a`s.
        assert!(!Wildcard::parse("a*a").unwrap().matches("a"));
    }

    #[test]
    fn or_expands_into_branches() {
        let p = EventPattern::from_value(&json!({
            "source": ["x"],
            "$or": [{"a": [1]}, {"b": [2], "$or": [{"c": [3]}, {"d": [4]}]}]
        }))
        .unwrap();
        assert_eq!(p.branch_count(), 3);
    }
}
