//! The selector string syntax, as apimachinery's lexer and parser read it.

use super::{Operator, Requirement};
use crate::validate::field_rules as rules;

/// Why a selector was rejected: what was expected, what was found, and the byte position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SelectorParseError {
    /// Stable snake_case code.
    code: &'static str,
    /// Byte offset in the selector text where the problem starts.
    pub position: usize,
    /// What was expected and what was found.
    pub message: String,
}

impl SelectorParseError {
    fn new(code: &'static str, position: usize, message: String) -> Self {
        SelectorParseError {
            code,
            position,
            message,
        }
    }

    pub(crate) fn unsupported(message: impl Into<String>) -> Self {
        SelectorParseError {
            code: "unsupported_selector",
            position: 0,
            message: message.into(),
        }
    }

    /// Stable snake_case code: `selector_syntax`, `invalid_label_key`, `invalid_label_value`,
    /// `invalid_selector_values` or `unsupported_selector`.
    pub fn code(&self) -> &'static str {
        self.code
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Error,
    End,
    ClosedPar,
    Comma,
    DoesNotExist,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

#[derive(Debug, Clone)]
struct Item<'a> {
    tok: Tok,
    lit: &'a str,
    pos: usize,
}

fn keyword(s: &str) -> Option<Tok> {
    Some(match s {
        ")" => Tok::ClosedPar,
        "," => Tok::Comma,
        "!" => Tok::DoesNotExist,
        "==" => Tok::DoubleEquals,
        "=" => Tok::Equals,
        ">" => Tok::GreaterThan,
        "in" => Tok::In,
        "<" => Tok::LessThan,
        "!=" => Tok::NotEquals,
        "notin" => Tok::NotIn,
        "(" => Tok::OpenPar,
        _ => return None,
    })
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

/// Splits the text into tokens as apimachinery's `Lexer` does. A NUL byte is apimachinery's
/// end-of-input mark, but only where a token would start: there it ends the input. Inside a token
/// (right after an identifier's or operator's characters) it ends that token and is skipped,
/// and lexing goes on after it: `a=\0b` is `a=b`, `p\0,0` is `p,0`.
#[deny(clippy::arithmetic_side_effects)]
fn lex(text: &str) -> Vec<Item<'_>> {
    let b = text.as_bytes();
    let end = b.len();
    let mut items = Vec::new();
    let mut i = 0;
    loop {
        while i < end && is_whitespace(b[i]) {
            i = i.saturating_add(1);
        }
        if i >= end || b[i] == 0 {
            items.push(Item {
                tok: Tok::End,
                lit: "",
                pos: i,
            });
            return items;
        }
        let start = i;
        if is_special(b[i]) {
            // The longest run of special symbols that is still a token.
            let mut best: Option<(Tok, usize)> = None;
            let mut j = i;
            let mut nul = false;
            while j < end && is_special(b[j]) {
                j = j.saturating_add(1);
                match keyword(&text[start..j]) {
                    Some(t) => best = Some((t, j)),
                    None if best.is_some() => break,
                    None => {}
                }
                if b.get(j) == Some(&0) {
                    nul = true;
                    break;
                }
            }
            match best {
                Some((t, stop)) => {
                    items.push(Item {
                        tok: t,
                        lit: &text[start..stop],
                        pos: start,
                    });
                    // A NUL that ended the run is consumed with it.
                    i = if nul && stop == j {
                        j.saturating_add(1)
                    } else {
                        stop
                    };
                }
                None => {
                    items.push(Item {
                        tok: Tok::Error,
                        lit: &text[start..j],
                        pos: start,
                    });
                    items.push(Item {
                        tok: Tok::End,
                        lit: "",
                        pos: j,
                    });
                    return items;
                }
            }
        } else {
            while i < end && b[i] != 0 && !is_special(b[i]) && !is_whitespace(b[i]) {
                i = i.saturating_add(1);
            }
            let lit = &text[start..i];
            if i < end && b[i] == 0 {
                i = i.saturating_add(1);
            }
            let tok = match keyword(lit) {
                Some(t @ (Tok::In | Tok::NotIn)) => t,
                _ => Tok::Identifier,
            };
            items.push(Item {
                tok,
                lit,
                pos: start,
            });
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

struct Parser<'a> {
    items: Vec<Item<'a>>,
    at: usize,
}

fn syntax(pos: usize, message: String) -> SelectorParseError {
    SelectorParseError::new("selector_syntax", pos, message)
}

#[deny(clippy::arithmetic_side_effects)]
impl<'a> Parser<'a> {
    fn peek(&self, ctx: Context) -> (Tok, &'a str, usize) {
        let it = &self.items[self.at.min(self.items.len().saturating_sub(1))];
        let tok = match (ctx, it.tok) {
            (Context::Values, Tok::In | Tok::NotIn) => Tok::Identifier,
            (_, t) => t,
        };
        (tok, it.lit, it.pos)
    }

    fn next(&mut self, ctx: Context) -> (Tok, &'a str, usize) {
        let r = self.peek(ctx);
        if self.at.saturating_add(1) < self.items.len() {
            self.at = self.at.saturating_add(1);
        }
        r
    }

    fn requirements(&mut self) -> Result<Vec<Requirement>, SelectorParseError> {
        let mut out = Vec::new();
        loop {
            let (tok, lit, pos) = self.peek(Context::Values);
            match tok {
                Tok::Identifier | Tok::DoesNotExist => {
                    out.push(self.requirement()?);
                    let (t, l, p) = self.next(Context::Values);
                    match t {
                        Tok::End => return Ok(out),
                        Tok::Comma => {
                            let (t2, l2, p2) = self.peek(Context::Values);
                            if t2 != Tok::Identifier && t2 != Tok::DoesNotExist {
                                return Err(syntax(
                                    p2,
                                    format!(
                                        "expected an identifier after `,`, found {}",
                                        shown(l2, t2)
                                    ),
                                ));
                            }
                        }
                        _ => {
                            return Err(syntax(
                                p,
                                format!(
                                    "expected `,` or the end of the selector, found {}",
                                    shown(l, t)
                                ),
                            ))
                        }
                    }
                }
                Tok::End => return Ok(out),
                _ => {
                    return Err(syntax(
                        pos,
                        format!(
                            "expected `!`, an identifier or the end of the selector, found {}",
                            shown(lit, tok)
                        ),
                    ))
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<Requirement, SelectorParseError> {
        let (mut tok, mut lit, mut pos) = self.next(Context::Values);
        let mut op = None;
        if tok == Tok::DoesNotExist {
            op = Some(Operator::DoesNotExist);
            (tok, lit, pos) = self.next(Context::Values);
        }
        if tok != Tok::Identifier {
            return Err(syntax(
                pos,
                format!("expected an identifier, found {}", shown(lit, tok)),
            ));
        }
        let key = lit;
        let key_pos = pos;
        validate_key(key, key_pos)?;
        let (after, _, _) = self.peek(Context::Values);
        if after == Tok::End || after == Tok::Comma {
            let op = op.unwrap_or(Operator::Exists);
            return build(key, op, Vec::new(), key_pos);
        }
        if op == Some(Operator::DoesNotExist) {
            let (t, l, p) = self.peek(Context::KeyAndOperator);
            return Err(syntax(
                p,
                format!(
                    "expected `,` or the end of the selector after `!{key}`, found {}",
                    shown(l, t)
                ),
            ));
        }
        let (t, l, p) = self.next(Context::KeyAndOperator);
        let op = match t {
            Tok::In => Operator::In,
            Tok::NotIn => Operator::NotIn,
            Tok::Equals => Operator::Equals,
            Tok::DoubleEquals => Operator::DoubleEquals,
            Tok::NotEquals => Operator::NotEquals,
            Tok::GreaterThan => Operator::GreaterThan,
            Tok::LessThan => Operator::LessThan,
            _ => {
                return Err(syntax(
                    p,
                    format!(
                        "expected one of `=`, `==`, `!=`, `in`, `notin`, `>`, `<`, found {}",
                        shown(l, t)
                    ),
                ))
            }
        };
        let values = match op {
            Operator::In | Operator::NotIn => self.value_set()?,
            _ => self.exact_value()?,
        };
        build(key, op, values, key_pos)
    }

    fn value_set(&mut self) -> Result<Vec<String>, SelectorParseError> {
        let (t, l, p) = self.next(Context::Values);
        if t != Tok::OpenPar {
            return Err(syntax(p, format!("expected `(`, found {}", shown(l, t))));
        }
        let (t, l, p) = self.peek(Context::Values);
        match t {
            Tok::Identifier | Tok::Comma => {
                let set = self.identifiers()?;
                let (t2, l2, p2) = self.next(Context::Values);
                if t2 != Tok::ClosedPar {
                    return Err(syntax(p2, format!("expected `)`, found {}", shown(l2, t2))));
                }
                Ok(set)
            }
            Tok::ClosedPar => {
                self.next(Context::Values);
                Ok(vec![String::new()])
            }
            _ => Err(syntax(
                p,
                format!("expected `,`, `)` or an identifier, found {}", shown(l, t)),
            )),
        }
    }

    fn identifiers(&mut self) -> Result<Vec<String>, SelectorParseError> {
        let mut set: Vec<String> = Vec::new();
        loop {
            let (t, l, p) = self.next(Context::Values);
            match t {
                Tok::Identifier => {
                    set.push(l.to_string());
                    let (t2, l2, p2) = self.peek(Context::Values);
                    match t2 {
                        Tok::Comma => continue,
                        Tok::ClosedPar => return Ok(set),
                        _ => {
                            return Err(syntax(
                                p2,
                                format!("expected `,` or `)`, found {}", shown(l2, t2)),
                            ))
                        }
                    }
                }
                Tok::Comma => {
                    // Empty items: `(,a)`, `(a,)`, `(a,,b)` each stand for the empty value.
                    if set.is_empty() {
                        set.push(String::new());
                    }
                    let (t2, _, _) = self.peek(Context::Values);
                    if t2 == Tok::ClosedPar {
                        set.push(String::new());
                        return Ok(set);
                    }
                    if t2 == Tok::Comma {
                        self.next(Context::Values);
                        set.push(String::new());
                    }
                }
                _ => {
                    return Err(syntax(
                        p,
                        format!("expected `,` or an identifier, found {}", shown(l, t)),
                    ))
                }
            }
        }
    }

    fn exact_value(&mut self) -> Result<Vec<String>, SelectorParseError> {
        let (t, _, _) = self.peek(Context::Values);
        if t == Tok::End || t == Tok::Comma {
            return Ok(vec![String::new()]);
        }
        let (t, l, p) = self.next(Context::Values);
        if t == Tok::Identifier {
            return Ok(vec![l.to_string()]);
        }
        Err(syntax(
            p,
            format!("expected a value, found {}", shown(l, t)),
        ))
    }
}

fn shown(lit: &str, tok: Tok) -> String {
    if tok == Tok::End {
        "the end of the selector".to_string()
    } else {
        format!("`{lit}`")
    }
}

fn build(
    key: &str,
    op: Operator,
    values: Vec<String>,
    pos: usize,
) -> Result<Requirement, SelectorParseError> {
    Requirement::at(key, op, values, pos)
}

fn validate_key(key: &str, pos: usize) -> Result<(), SelectorParseError> {
    if rules::is_label_key(key) {
        Ok(())
    } else {
        Err(SelectorParseError::new(
            "invalid_label_key",
            pos,
            format!("expected a label key (an optional DNS-1123 subdomain prefix and `/`, then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit), found `{key}`"),
        ))
    }
}

/// apimachinery's `NewRequirement` checks.
pub(crate) fn validate_requirement(
    key: &str,
    op: Operator,
    values: &[String],
    pos: usize,
) -> Result<(), SelectorParseError> {
    validate_key(key, pos)?;
    let count_error = |what: &str| {
        SelectorParseError::new(
            "invalid_selector_values",
            pos,
            format!("`{key}`: expected {what}, found {} values", values.len()),
        )
    };
    match op {
        Operator::In | Operator::NotIn if values.is_empty() => {
            return Err(count_error("at least one value for `in` and `notin`"))
        }
        Operator::Equals | Operator::DoubleEquals | Operator::NotEquals if values.len() != 1 => {
            return Err(count_error("exactly one value for `=`, `==` and `!=`"));
        }
        Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
            return Err(count_error("no values for exists and does-not-exist"))
        }
        Operator::GreaterThan | Operator::LessThan => {
            if values.len() != 1 {
                return Err(count_error("exactly one value for `>` and `<`"));
            }
            if values[0].parse::<i64>().is_err() {
                return Err(SelectorParseError::new(
                    "invalid_selector_values",
                    pos,
                    format!(
                        "`{key}`: expected an integer for `>` and `<`, found `{}`",
                        values[0]
                    ),
                ));
            }
        }
        _ => {}
    }
    for v in values {
        if !rules::is_label_value(v) {
            return Err(SelectorParseError::new(
                "invalid_label_value",
                pos,
                format!("`{key}`: expected label values of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty), found `{v}`"),
            ));
        }
    }
    Ok(())
}

/// Parses a selector into requirements (unsorted).
#[deny(clippy::arithmetic_side_effects)]
pub(crate) fn parse(text: &str) -> Result<Vec<Requirement>, SelectorParseError> {
    let items = lex(text);
    if let Some(e) = items.iter().find(|i| i.tok == Tok::Error) {
        return Err(syntax(
            e.pos,
            format!("expected an operator or `,`, found `{}`", e.lit),
        ));
    }
    Parser { items, at: 0 }.requirements()
}

impl crate::error::Coded for SelectorParseError {
    fn code(&self) -> &'static str {
        self.code
    }
    fn kind(&self) -> crate::error::ErrorKind {
        crate::error::ErrorKind::Parse
    }
    /// A selector is one line: line 1, column = byte offset + 1.
    fn position(&self) -> Option<(usize, usize)> {
        Some((1, self.position + 1))
    }
}
