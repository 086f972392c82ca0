//! Prometheus's own formats, shared by [`crate::slo`] (recording rules) and
//! [`crate::alerting`] (alerting rules): the rule file (`groups: [{name, rules: [...]}]`, as
//! `promtool check rules` reads it), durations in Prometheus's notation
//! (`model.Duration.String()`: `5m`, `1h30m`, `30d`) and numbers printed as the decimals they
//! are.
//!
//! ```
//! use std::time::Duration;
//! use cnarch_core::prom;
//! assert_eq!(prom::duration(Duration::from_secs(5400)), "1h30m");
//! assert_eq!(prom::number(1.0 - 0.999), "0.001");
//! let file = prom::RuleFile { groups: vec![prom::RuleGroup { name: "g".into(), rules: vec![] }] };
//! assert!(file.to_yaml().contains("name: g"));
//! ```

pub mod exposition;
pub mod series;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

/// A Prometheus rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// Recording rule name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Alerting rule name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// PromQL.
    pub expr: String,
    /// Labels.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A rule group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleGroup {
    /// Name.
    pub name: String,
    /// Rules.
    pub rules: Vec<Rule>,
}

/// A rule file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleFile {
    /// Groups.
    pub groups: Vec<RuleGroup>,
}

impl RuleFile {
    /// As YAML Prometheus loads.
    pub fn to_yaml(&self) -> String {
        serde_norway::to_string(self).unwrap_or_default()
    }
}

/// A Prometheus duration for a window (`5m`, `1h`, `30d`).
pub fn duration(d: Duration) -> String {
    crate::duration::PromDuration::from_millis(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .to_prom_string()
}

/// A number for a PromQL expression that reads back as exactly `x`: the 10-decimal form when
/// it round-trips, else the shortest form that does (`0.9333333333333333`, not
/// `0.9333333333`), so a threshold in a rule is the double cnarch evaluates.
pub fn exact_number(x: f64) -> String {
    let short = number(x);
    if short.parse::<f64>().ok() == Some(x) {
        short
    } else {
        format!("{x}")
    }
}

/// A number without float noise (at most 10 decimals), for messages.
pub fn number(x: f64) -> String {
    let s = format!("{:.10}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Whether PromQL text parses (Prometheus's grammar, via `promql-parser`); the parser's
/// message when it does not (`unclosed left parenthesis`). Without the `promql` feature (the
/// wasm build) the query's structure is checked instead: see [`check_promql_structure`].
pub fn check_promql(query: &str) -> Result<(), String> {
    #[cfg(feature = "promql")]
    {
        check_promql_structure(query)?;
        promql_parser::parser::parse(query).map(|_| ())
    }
    #[cfg(not(feature = "promql"))]
    {
        check_promql_structure(query)
    }
}

/// PromQL's lexical structure, a subset of what the parser refuses: strings closed, brackets
/// balanced and matched, no empty `()` that is not a call, no operator without its right
/// operand, and label matchers in braces as `name op "value"` with a label name.
pub fn check_promql_structure(query: &str) -> Result<(), String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Tok {
        Ident,
        Number,
        Str,
        Open(char),
        Close(char),
        Op,
        Comma,
        Other,
    }
    let chars: Vec<char> = query.chars().collect();
    let mut toks: Vec<(Tok, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' || c == '\'' || c == '`' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != c {
                if chars[j] == '\\' && c != '`' {
                    j += 1;
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err("unterminated quoted string".into());
            }
            toks.push((Tok::Str, chars[i..=j].iter().collect()));
            i = j + 1;
        } else if c.is_ascii_alphabetic() || c == '_' || c == ':' {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_alphanumeric() || chars[j] == '_' || chars[j] == ':')
            {
                j += 1;
            }
            toks.push((Tok::Ident, chars[i..j].iter().collect()));
            i = j;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_alphanumeric() || chars[j] == '.' || chars[j] == '_')
            {
                j += 1;
            }
            toks.push((Tok::Number, chars[i..j].iter().collect()));
            i = j;
        } else if "([{".contains(c) {
            toks.push((Tok::Open(c), c.to_string()));
            i += 1;
        } else if ")]}".contains(c) {
            toks.push((Tok::Close(c), c.to_string()));
            i += 1;
        } else if c == ',' {
            toks.push((Tok::Comma, ",".into()));
            i += 1;
        } else if "+-*/%^=!<>~@".contains(c) {
            let mut j = i + 1;
            while j < chars.len() && "=~".contains(chars[j]) && j < i + 2 {
                j += 1;
            }
            toks.push((Tok::Op, chars[i..j].iter().collect()));
            i = j;
        } else {
            toks.push((Tok::Other, c.to_string()));
            i += 1;
        }
    }
    let name = |c: char| match c {
        '(' => "parenthesis",
        '[' => "bracket",
        _ => "brace",
    };
    let mut stack: Vec<char> = Vec::new();
    for (k, (t, text)) in toks.iter().enumerate() {
        let next = toks.get(k + 1).map(|x| x.0);
        let prev = k.checked_sub(1).map(|p| toks[p].0);
        match *t {
            Tok::Open(c) => {
                if c == '(' && next == Some(Tok::Close(')')) && prev != Some(Tok::Ident) {
                    return Err("unexpected right parenthesis ')'".into());
                }
                stack.push(c);
            }
            Tok::Close(c) => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.pop() != Some(want) {
                    return Err(format!("unexpected right {} '{c}'", name(want)));
                }
            }
            Tok::Op if stack.last() != Some(&'{') => {
                if matches!(next, None | Some(Tok::Close(_)) | Some(Tok::Comma)) {
                    return Err(format!("unexpected end of input or token after `{text}`"));
                }
            }
            Tok::Other => return Err(format!("unexpected character: '{text}'")),
            _ => {}
        }
        // Label matchers: after `{` or a `,` inside braces, a label name, an operator, a string.
        if stack.last() == Some(&'{') && matches!(*t, Tok::Open('{') | Tok::Comma) {
            let rest: Vec<Tok> = toks[k + 1..].iter().take(3).map(|x| x.0).collect();
            match rest.first() {
                None | Some(Tok::Close('}')) => {}
                Some(Tok::Ident) | Some(Tok::Str) => {
                    let op = toks.get(k + 2).map(|x| x.1.as_str());
                    if !matches!(op, Some("=" | "!=" | "=~" | "!~")) {
                        return Err(
                            "unexpected token in label matching, expected `=`, `!=`, `=~` or `!~`"
                                .into(),
                        );
                    }
                    if rest.get(2) != Some(&Tok::Str) {
                        return Err("unexpected token in label matching, expected a string".into());
                    }
                }
                Some(_) => {
                    return Err(format!(
                        "unexpected character inside braces: '{}'",
                        toks[k + 1].1.chars().next().unwrap_or(' ')
                    ))
                }
            }
        }
    }
    match stack.last() {
        Some(&c) => Err(format!("unclosed left {}", name(c))),
        None => Ok(()),
    }
}

/// A label name Prometheus accepts on a rule (`[a-zA-Z_][a-zA-Z0-9_]*`, and not `__name__`,
/// which `promtool check rules` refuses as a rule label).
pub fn is_rule_label_name(name: &str) -> bool {
    crate::alerting::matcher::is_label_name(name) && !name.contains(':') && name != "__name__"
}

/// A PromQL string literal: `"` with `\`, `"` and line breaks escaped.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The structure of a Go `text/template` as Prometheus expands alert labels and annotations:
/// every `{{` action closes (strings and comments inside respected), no action is empty,
/// `if`/`range`/`with` have an argument, and every `if`/`range`/`with`/`define`/`block` has
/// its `end`. Expressions inside actions are not type-checked.
pub fn check_template(text: &str) -> Result<(), String> {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        let body_start = &rest[i + 2..];
        let (body, after) = action_body(body_start)?;
        rest = after;
        let mut b = body.strip_prefix("- ").unwrap_or(body);
        if let Some(x) = b.strip_suffix(" -") {
            b = x;
        }
        let b = b.trim();
        if b.starts_with("/*") {
            if !b.ends_with("*/") {
                return Err("unclosed comment".into());
            }
            continue;
        }
        let word = b
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        match word {
            "" => return Err("missing value for command".into()),
            "if" | "range" | "with" => {
                if b[word.len()..].trim().is_empty() {
                    return Err(format!("missing value for {word}"));
                }
                open.push(word);
            }
            "define" | "block" => open.push(word),
            "else" if open.is_empty() => return Err("unexpected {{else}}".into()),
            "end" => {
                let Some(_) = open.pop() else {
                    return Err("unexpected {{end}}".into());
                };
            }
            _ => {}
        }
    }
    match open.last() {
        Some(w) => Err(format!(
            "unexpected EOF: `{{{{{w}}}}}` without `{{{{end}}}}`"
        )),
        None => Ok(()),
    }
}

/// The text of one action up to its `}}`, and what follows it.
fn action_body(s: &str) -> Result<(&str, &str), String> {
    let bytes = s.as_bytes();
    let mut i = 0;
    if s.trim_start_matches(['-', ' ']).starts_with("/*") {
        return match s.find("*/") {
            Some(e) => match s[e + 2..].trim_start_matches([' ', '-']).strip_prefix("}}") {
                Some(after) => Ok((&s[..e + 2], after)),
                None => Err("comment ends before closing delimiter".into()),
            },
            None => Err("unclosed comment".into()),
        };
    }
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                let q = bytes[i];
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    if i < bytes.len() && bytes[i] == b'\n' {
                        return Err("unterminated quoted string".into());
                    }
                    i += 1;
                }
                if i >= bytes.len() {
                    return Err("unterminated quoted string".into());
                }
            }
            b'`' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'`' {
                    i += 1;
                }
                if i >= bytes.len() {
                    return Err("unterminated raw quoted string".into());
                }
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Ok((&s[..i], &s[i + 2..])),
            b'}' => return Err("unexpected \"}\" in operand".into()),
            _ => {}
        }
        i += 1;
    }
    Err("unclosed action".into())
}

#[cfg(test)]
mod check_tests {
    use super::*;

    #[test]
    fn templates_as_go_text_template_refuses_them() {
        for ok in [
            "plain",
            "}} is text",
            "{{ $labels.x }}",
            "{{- $value | humanize -}}",
            "{{/* c */}}",
            "{{ if gt $value 1.0 }}high{{ else }}low{{ end }}",
            "{{ \"}}\" }}",
            "{{ range $k, $v := $labels }}{{ $k }}{{ end }}",
        ] {
            assert_eq!(check_template(ok), Ok(()), "{ok}");
        }
        for (bad, why) in [
            ("{{ $labels.x", "unclosed action"),
            ("{{ }}", "missing value for command"),
            ("{{ .Labels.x }", "unexpected \"}\" in operand"),
            ("{{ if }}", "missing value for if"),
            ("{{ if .x }}y", "unexpected EOF"),
            ("{{ end }}", "unexpected {{end}}"),
            ("{{ \"x }}", "unterminated quoted string"),
            ("{{/* x }}", "unclosed comment"),
        ] {
            let e = check_template(bad).unwrap_err();
            assert!(e.starts_with(why), "{bad}: {e}");
        }
    }

    #[test]
    fn string_literals_parse_back() {
        for s in ["plain", "a\"b", "a\\b", "line\nbreak"] {
            let q = format!("x{{a={}}}", string_literal(s));
            assert_eq!(check_promql(&q), Ok(()), "{q}");
        }
        assert!(check_promql("sum(rate(x[5m])").is_err());
        for ok in [
            "sum(rate(http_requests_total{code=~\"5..\"}[5m]))",
            "1 - (sum(rate(ok[1h])) / sum(rate(all[1h])))",
            "histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))",
            "x[5m:1m] offset -5m",
            "foo @ 1609746000 > bool -1",
            "vector(1) unless on(a) time()",
            "x{a=\"b\\\"c\", b!~'d'} # comment",
        ] {
            assert_eq!(check_promql_structure(ok), Ok(()), "{ok}");
        }
        for bad in [
            "sum(rate(x[5m])",
            "x{0job=\"a\"}",
            "1 - (sum(rate(ok[5m])) / )",
            "x{a=b}",
            "(x]",
            "x{a=\"b}",
            "()",
            "x $ y",
        ] {
            assert!(check_promql_structure(bad).is_err(), "{bad}");
        }
        assert!(is_rule_label_name("team") && is_rule_label_name("__x"));
        assert!(!is_rule_label_name("bad-key") && !is_rule_label_name("0team"));
        assert!(!is_rule_label_name("__name__") && !is_rule_label_name("a:b"));
    }

    #[test]
    fn exact_numbers_read_back() {
        for x in [
            0.9333333333333335,
            14.4,
            13.440000000000001,
            1.0 / 3.0,
            28.0,
        ] {
            assert_eq!(exact_number(x).parse::<f64>().unwrap(), x);
        }
        assert_eq!(exact_number(14.4), "14.4");
        assert_eq!(exact_number(28.0), "28");
    }
}
