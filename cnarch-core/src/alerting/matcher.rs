//! Alertmanager's label matchers, exactly as Alertmanager 0.25 reads them
//! (`pkg/labels/parse.go`, `ParseMatchers` and `ParseMatcher`; `pkg/labels/matcher.go`).
//!
//! - A list is split at commas outside double quotes (`a=b,c=d` is two matchers); one leading
//!   `{` and one trailing `}` are dropped, a trailing comma is allowed, and `""` or `{}` is the
//!   empty list (it matches everything).
//! - A matcher is a label name (`[a-zA-Z_:][a-zA-Z0-9_:]*`), the first operator (`=~`, `=`,
//!   `!=`, `!~`; only the first splits, so `a=b!=c` is `a="b!=c"`), and a value, each with
//!   optional ASCII whitespace around it.
//! - A value in double quotes unescapes `\\`, `\"` and `\n`; any other backslash is literal; an
//!   unescaped `"` inside a value is an error.
//! - `=~` and `!~` are fully anchored RE2 expressions (`^(?:value)$`). `\d`, `\s`, `\w`, `\b`
//!   and their negations are ASCII as in RE2, `\Q…\E` quotes, and `[`, `&`, `~` inside a
//!   bracket class are literal, so a pattern means here what it means to Go's `regexp`.
//! - An absent label has the empty value: `team=""` matches an alert without `team`.
//!
//! ```
//! use std::collections::BTreeMap;
//! use cnarch_core::alerting::matcher::parse_matchers;
//! let ms = parse_matchers(r#"{severity=~"page|critical", team!="db",}"#).unwrap();
//! let labels = BTreeMap::from([("severity".to_string(), "page".to_string())]);
//! assert!(ms.iter().all(|m| m.matches_labels(&labels)));
//! assert_eq!(ms[0].to_string(), r#"severity=~"page|critical""#);
//! ```

use std::collections::BTreeMap;
use std::fmt;

#[cfg(feature = "unicode-regex")]
use regex::{escape as regex_escape, Regex, RegexBuilder};
#[cfg(not(feature = "unicode-regex"))]
use regex_lite::{escape as regex_escape, Regex, RegexBuilder};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How a matcher compares the label's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MatchType {
    /// `=`
    Equal,
    /// `!=`
    NotEqual,
    /// `=~`
    Regexp,
    /// `!~`
    NotRegexp,
}

impl MatchType {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchType::Equal => "=",
            MatchType::NotEqual => "!=",
            MatchType::Regexp => "=~",
            MatchType::NotRegexp => "!~",
        }
    }
}

/// Why a matcher was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatcherError {
    /// Not `name op value` (Alertmanager's "bad matcher format").
    #[error("expected a matcher `name=value`, `name!=value`, `name=~regex` or `name!~regex` with a label name matching `[a-zA-Z_:][a-zA-Z0-9_:]*`, found `{text}`")]
    Format {
        /// The matcher text.
        text: String,
    },
    /// A `"` inside the value that is not escaped, or an opening quote never closed.
    #[error("expected `\\\"` for a double quote inside the matcher value, found an unescaped quote in `{value}`")]
    UnescapedQuote {
        /// The value as written.
        value: String,
    },
    /// The value of `=~`/`!~` is not a regular expression.
    #[error("expected a regular expression after `{op}`, found `{pattern}`: {reason}")]
    Regex {
        /// The operator.
        op: &'static str,
        /// The pattern.
        pattern: String,
        /// What the regular-expression parser said.
        reason: String,
    },
}

impl MatcherError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        "invalid_matcher"
    }
}

impl crate::error::Coded for MatcherError {
    fn code(&self) -> &'static str {
        MatcherError::code(self)
    }
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Parse
    }
}

/// One label matcher.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// The label name.
    pub name: String,
    /// The operator.
    pub kind: MatchType,
    /// The value (unescaped), or the pattern for the regex operators.
    pub value: String,
    re: Option<Regex>,
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.kind == other.kind && self.value == other.value
    }
}
impl Eq for Matcher {}

impl Matcher {
    /// A matcher from its parts (Alertmanager's `NewMatcher`: regex values compile anchored).
    pub fn new(kind: MatchType, name: &str, value: &str) -> Result<Matcher, MatcherError> {
        let re = match kind {
            MatchType::Regexp | MatchType::NotRegexp => Some(compile(kind, value)?),
            _ => None,
        };
        Ok(Matcher {
            name: name.to_string(),
            kind,
            value: value.to_string(),
            re,
        })
    }

    /// One matcher (Alertmanager's `ParseMatcher`).
    pub fn parse(text: &str) -> Result<Matcher, MatcherError> {
        parse_matcher(text)
    }

    /// Whether a label value matches.
    pub fn matches(&self, value: &str) -> bool {
        match (self.kind, &self.re) {
            (MatchType::Equal, _) => value == self.value,
            (MatchType::NotEqual, _) => value != self.value,
            (MatchType::Regexp, Some(re)) => re.is_match(value),
            (MatchType::NotRegexp, Some(re)) => !re.is_match(value),
            // `new` always compiles the regex of these kinds.
            (MatchType::Regexp | MatchType::NotRegexp, None) => false,
        }
    }

    /// Whether a label set matches (an absent label has the empty value).
    pub fn matches_labels(&self, labels: &BTreeMap<String, String>) -> bool {
        self.matches(labels.get(&self.name).map(String::as_str).unwrap_or(""))
    }
}

/// Whether every matcher matches (`true` for no matchers).
pub fn all_match(ms: &[Matcher], labels: &BTreeMap<String, String>) -> bool {
    ms.iter().all(|m| m.matches_labels(labels))
}

/// Alertmanager's order of matchers (`labels.Matchers.Less`): by name, then value, then
/// operator.
pub fn sort_matchers(ms: &mut [Matcher]) {
    ms.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.value.cmp(&b.value))
            .then(a.kind.cmp(&b.kind))
    });
}

/// A list as Alertmanager prints it: `{a="b",c=~"d"}`.
pub fn list_string(ms: &[Matcher]) -> String {
    let items: Vec<String> = ms.iter().map(Matcher::to_string).collect();
    format!("{{{}}}", items.join(","))
}

/// Prometheus' label-name rule (`model.LabelName.IsValid`): `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for Matcher {
    /// `name op "value"` with OpenMetrics escaping, as Alertmanager prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}\"", self.name, self.kind.as_str())?;
        for c in self.value.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '"' => f.write_str("\\\"")?,
                '\n' => f.write_str("\\n")?,
                c => write!(f, "{c}")?,
            }
        }
        f.write_str("\"")
    }
}

impl Serialize for Matcher {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Matcher {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        parse_matcher(&text).map_err(serde::de::Error::custom)
    }
}

/// RE2's `\s` (ASCII whitespace without `\v`).
fn is_re2_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ')
}

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':'
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

/// A list of matchers (Alertmanager's `ParseMatchers`).
pub fn parse_matchers(text: &str) -> Result<Vec<Matcher>, MatcherError> {
    let s = text.strip_prefix('{').unwrap_or(text);
    let s = s.strip_suffix('}').unwrap_or(s);
    let mut tokens: Vec<String> = Vec::new();
    let mut token = String::new();
    let (mut inside_quotes, mut escaped) = (false, false);
    for c in s.chars() {
        match c {
            ',' if !inside_quotes => {
                tokens.push(std::mem::take(&mut token));
                continue;
            }
            ',' => {}
            '"' => {
                if escaped {
                    escaped = false;
                } else {
                    inside_quotes = !inside_quotes;
                }
            }
            '\\' => escaped = !escaped,
            _ => escaped = false,
        }
        token.push(c);
    }
    // Go's strings.TrimSpace: Unicode white space, on the last token only.
    let last = token.trim_matches(char::is_whitespace);
    if !last.is_empty() {
        tokens.push(last.to_string());
    }
    tokens.iter().map(|t| parse_matcher(t)).collect()
}

/// One matcher (Alertmanager's `ParseMatcher`).
pub fn parse_matcher(text: &str) -> Result<Matcher, MatcherError> {
    let format = || MatcherError::Format { text: text.into() };
    let rest = text.trim_start_matches(is_re2_space);
    let name_len = match rest.chars().next() {
        Some(c) if is_name_start(c) => rest
            .char_indices()
            .find(|&(_, c)| !is_name_char(c))
            .map_or(rest.len(), |(i, _)| i),
        _ => return Err(format()),
    };
    let (name, rest) = rest.split_at(name_len);
    let rest = rest.trim_start_matches(is_re2_space);
    let (kind, rest) = if let Some(r) = rest.strip_prefix("=~") {
        (MatchType::Regexp, r)
    } else if let Some(r) = rest.strip_prefix('=') {
        (MatchType::Equal, r)
    } else if let Some(r) = rest.strip_prefix("!=") {
        (MatchType::NotEqual, r)
    } else if let Some(r) = rest.strip_prefix("!~") {
        (MatchType::NotRegexp, r)
    } else {
        return Err(format());
    };
    let raw_value = rest
        .trim_start_matches(is_re2_space)
        .trim_end_matches(is_re2_space);
    let quote_err = || MatcherError::UnescapedQuote {
        value: raw_value.into(),
    };
    let (raw, mut expect_trailing_quote) = match raw_value.strip_prefix('"') {
        Some(r) => (r, true),
        None => (raw_value, false),
    };
    let mut value = String::with_capacity(raw.len());
    let mut escaped = false;
    let last = raw.len().saturating_sub(1);
    for (i, c) in raw.char_indices() {
        if escaped {
            escaped = false;
            match c {
                'n' => value.push('\n'),
                '"' | '\\' => value.push(c),
                _ => {
                    value.push('\\');
                    value.push(c);
                }
            }
            continue;
        }
        match c {
            '\\' if i < last => escaped = true,
            '\\' => value.push('\\'),
            '"' => {
                if !expect_trailing_quote || i < last {
                    return Err(quote_err());
                }
                expect_trailing_quote = false;
            }
            _ => value.push(c),
        }
    }
    if expect_trailing_quote {
        return Err(quote_err());
    }
    Matcher::new(kind, name, &value)
}

/// The compiled size limit for one pattern (the regex crate's default is 10 MiB; patterns
/// come from configuration, and this keeps a hostile one from taking long to compile).
const REGEX_SIZE_LIMIT: usize = 1 << 20;

fn compile(kind: MatchType, pattern: &str) -> Result<Regex, MatcherError> {
    let err = |reason: String| MatcherError::Regex {
        op: kind.as_str(),
        pattern: pattern.into(),
        reason,
    };
    let translated = re2_to_rust(pattern).map_err(err)?;
    let mut builder = RegexBuilder::new(&format!("^(?:{translated})$"));
    #[cfg(feature = "unicode-regex")]
    builder.octal(true);
    builder.size_limit(REGEX_SIZE_LIMIT).build().map_err(|e| {
        let text = e.to_string();
        // The regex crate's message spans lines; keep its last line (the reason).
        let reason = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("invalid regular expression")
            .trim()
            .trim_start_matches("error: ")
            .to_string();
        err(reason)
    })
}

/// RE2's Perl classes, ASCII only: (outside a bracket class, inside one).
fn perl_class(c: char) -> Option<(&'static str, &'static str)> {
    Some(match c {
        'd' => ("[0-9]", "0-9"),
        'D' => ("[^0-9]", "[^0-9]"),
        's' => ("[\\t\\n\\x0C\\r ]", "\\t\\n\\x0C\\r "),
        'S' => ("[^\\t\\n\\x0C\\r ]", "[^\\t\\n\\x0C\\r ]"),
        'w' => ("[0-9A-Za-z_]", "0-9A-Za-z_"),
        'W' => ("[^0-9A-Za-z_]", "[^0-9A-Za-z_]"),
        _ => return None,
    })
}

/// Rewrites the RE2 constructs whose meaning differs in the regex crate: ASCII Perl classes
/// and word boundaries, `\Q…\E`, and characters a bracket class treats as literal in RE2 but
/// as nesting or set operators here (`[`, `&`, `~`, and `-` after `-`).
fn re2_to_rust(p: &str) -> Result<String, String> {
    let mut out = String::with_capacity(p.len() + 8);
    let mut chars = p.chars().peekable();
    // Inside `[...]`: `class_start` is true right after `[` or `[^` (where `]` is literal).
    let mut in_class = false;
    let mut class_start = false;
    // Whether the last token outside a class was a repetition (RE2 refuses `a**`, `a*{2}`).
    let mut after_repeat = false;
    while let Some(c) = chars.next() {
        let at_start = class_start;
        class_start = false;
        let repeat_before = std::mem::take(&mut after_repeat);
        if !in_class && matches!(c, '*' | '+' | '?') {
            if repeat_before {
                return Err(format!("invalid nested repetition operator `{c}`"));
            }
            out.push(c);
            if chars.peek() == Some(&'?') {
                chars.next();
                out.push('?');
            }
            after_repeat = true;
            continue;
        }
        if !in_class && c == '(' && chars.peek() == Some(&'?') {
            chars.next();
            if chars.peek() == Some(&')') {
                // `(?)`: RE2 reads an empty flag group, which sets nothing.
                chars.next();
                out.push_str("(?:)");
            } else {
                out.push_str("(?");
            }
            continue;
        }
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    return Err("trailing backslash at end of expression".into());
                };
                if e == 'Q' {
                    let mut lit = String::new();
                    let mut closed = false;
                    while let Some(q) = chars.next() {
                        if q == '\\' && chars.peek() == Some(&'E') {
                            chars.next();
                            closed = true;
                            break;
                        }
                        lit.push(q);
                    }
                    if !closed {
                        // RE2 quotes to the end of the whole expression, `)$` of the anchoring
                        // included, so the group never closes.
                        return Err("missing closing ): `\\Q` without `\\E`".into());
                    }
                    for q in lit.chars() {
                        push_literal(&mut out, q);
                    }
                } else if let Some((outside, inside)) = perl_class(e) {
                    out.push_str(if in_class { inside } else { outside });
                } else if e == '<' || e == '>' {
                    // RE2: an escaped punctuation character is itself (here `\<` is a
                    // word-start assertion).
                    out.push(e);
                } else if (e == 'b' || e == 'B') && !in_class {
                    // RE2's word boundary is ASCII; regex-lite's always is, and it has no
                    // `u` flag to turn off.
                    let b = if e == 'b' { "\\b" } else { "\\B" };
                    if cfg!(feature = "unicode-regex") {
                        out.push_str("(?-u:");
                        out.push_str(b);
                        out.push(')');
                    } else {
                        out.push_str(b);
                    }
                } else {
                    out.push('\\');
                    out.push(e);
                }
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    chars.next();
                    out.push('^');
                }
            }
            '[' => {
                // `[:alpha:]` is a POSIX class in both; any other `[` is literal in RE2.
                if chars.peek() == Some(&':') {
                    out.push('[');
                    out.push(':');
                    chars.next();
                    for q in chars.by_ref() {
                        out.push(q);
                        if q == ']' {
                            break;
                        }
                    }
                } else {
                    out.push_str("\\[");
                }
            }
            ']' if in_class && !at_start => {
                in_class = false;
                out.push(']');
            }
            '{' if !in_class => {
                // RE2 reads `{` as a repetition only in `{n}`, `{n,}`, `{n,m}` (n, m ≤ 1000);
                // anywhere else it is a literal brace.
                let rest: String = chars.clone().collect();
                match repeat_spec(&rest) {
                    Some((n, m, len)) => {
                        if n > 1000 || m.is_some_and(|m| m > 1000 || m < n) {
                            return Err(format!("invalid repeat count: `{{{}`", &rest[..len]));
                        }
                        if repeat_before {
                            return Err(format!(
                                "invalid nested repetition operator `{{{}`",
                                &rest[..len]
                            ));
                        }
                        out.push('{');
                        out.push_str(&rest[..len]);
                        for _ in 0..rest[..len].chars().count() {
                            chars.next();
                        }
                        if chars.peek() == Some(&'?') {
                            chars.next();
                            out.push('?');
                        }
                        after_repeat = true;
                    }
                    None => out.push_str("\\{"),
                }
            }
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.peek() == Some(&'-') => out.push_str("\\-"),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// After a `{`: `n}`, `n,}` or `n,m}` as (n, m, length including the `}`).
fn repeat_spec(rest: &str) -> Option<(u64, Option<u64>, usize)> {
    let close = rest.find('}')?;
    let body = &rest[..close];
    let num = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().unwrap_or(u64::MAX))
    };
    let (n, m) = match body.split_once(',') {
        None => {
            let n = num(body)?;
            (n, Some(n))
        }
        Some((a, "")) => (num(a)?, None),
        Some((a, b)) => (num(a)?, Some(num(b)?)),
    };
    Some((n, m, close + 1))
}

fn push_literal(out: &mut String, c: char) {
    let mut buf = [0u8; 4];
    out.push_str(&regex_escape(c.encode_utf8(&mut buf)));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn one(s: &str) -> (String, MatchType, String) {
        let m = parse_matcher(s).unwrap();
        (m.name, m.kind, m.value)
    }

    #[test]
    fn first_operator_splits() {
        assert_eq!(one("a=b!=c"), ("a".into(), MatchType::Equal, "b!=c".into()));
        assert_eq!(
            one("severity!~=b"),
            ("severity".into(), MatchType::NotRegexp, "=b".into())
        );
        assert_eq!(one("a = ~b"), ("a".into(), MatchType::Equal, "~b".into()));
    }

    #[test]
    fn lists_split_at_commas_outside_quotes() {
        let ms = parse_matchers(r#"{a="x,y",b=c,}"#).unwrap();
        assert_eq!(ms.len(), 2);
        assert_eq!(ms[0].value, "x,y");
        assert!(parse_matchers("").unwrap().is_empty());
        assert!(parse_matchers("{}").unwrap().is_empty());
        assert!(parse_matchers("a=b,,c=d").is_err());
    }

    #[test]
    fn quotes_unescape() {
        assert_eq!(one(r#"a="b\\c""#).2, "b\\c");
        assert_eq!(one(r#"a="b\"c""#).2, "b\"c");
        assert_eq!(one(r#"a="b\nc""#).2, "b\nc");
        assert_eq!(one(r#"a=b\qc"#).2, "b\\qc");
        assert!(parse_matcher(r#"a=b""#).is_err());
        assert!(parse_matcher(r#"a=""#).is_err());
        assert!(parse_matcher("0a=b").is_err());
        assert!(parse_matcher("a-b=c").is_err());
    }

    #[test]
    fn regexes_are_anchored_and_ascii() {
        let m = parse_matcher("a=~b|c").unwrap();
        assert!(m.matches("b") && m.matches("c") && !m.matches("bc"));
        let d = parse_matcher(r"a=~\d+").unwrap();
        assert!(d.matches("42") && !d.matches("٤٢"));
        let w = parse_matcher(r"a=~[\w.]+").unwrap();
        assert!(w.matches("a.b_c") && !w.matches("é"));
        let q = parse_matcher(r"a=~\Qa.b\E").unwrap();
        assert!(q.matches("a.b") && !q.matches("axb"));
        let lit = parse_matcher(r"a=~[a[&~]+").unwrap();
        assert!(lit.matches("[&~a"));
        assert!(parse_matcher("a=~(").is_err());
    }
}
