//! The one error shape the bindings receive, and the per-language rendering of field names.

use serde::Serialize;

use super::host::{Case, Host};
use crate::error::{Coded, ErrorKind, Violation};

/// A position in source text, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// Line.
    pub line: usize,
    /// Column.
    pub column: usize,
}

/// An error as a binding receives it: kind (which picks the exception class or error name),
/// stable code, message (with names spelled as the caller's language spells them), and where
/// they apply the field or argument (`path`), the position in the source text and the
/// violations.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Error {
    /// The kind.
    pub kind: ErrorKind,
    /// Stable snake_case code (one of [`crate::error::CODES`]).
    pub code: &'static str,
    /// What was expected and what was found.
    pub message: String,
    /// The field or argument, as the caller spells it.
    pub path: Option<String>,
    /// Line and column in the source text.
    pub position: Option<Position>,
    /// Every violation, for validation errors.
    pub violations: Vec<Violation>,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// An `Error` is already rendered for its host; rendering it again changes nothing (the
/// re-spelling is idempotent).
impl Coded for Error {
    fn code(&self) -> &'static str {
        self.code
    }
    fn kind(&self) -> ErrorKind {
        self.kind
    }
    fn field(&self) -> Option<&str> {
        self.path.as_deref()
    }
    fn position(&self) -> Option<(usize, usize)> {
        self.position.map(|p| (p.line, p.column))
    }
    fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl Error {
    /// A core error for `host`: option and argument names re-spelled for its language (in the
    /// message, the path and the violations of structured input); documents' violations keep
    /// the names the text used.
    pub fn from_coded<E: Coded + ?Sized>(e: &E, host: Host) -> Error {
        let mut message = e.to_string();
        let path = e.field().map(|f| {
            if host.case == Case::Camel {
                message = respell(&message, f);
            }
            host.name(f)
        });
        let respell_violations = e.code() == "invalid_input" && host.case == Case::Camel;
        let violations = e
            .violations()
            .iter()
            .map(|v| {
                let mut v = v.clone();
                if respell_violations {
                    v.message = if v.code == "unknown_field" {
                        render_path(&v.message)
                    } else {
                        respell(&v.message, &v.path)
                    };
                    v.path = render_path(&v.path);
                }
                v
            })
            .collect::<Vec<_>>();
        if respell_violations {
            message = crate::error::InvalidInput {
                violations: violations.clone(),
            }
            .to_string();
        }
        Error {
            kind: e.kind(),
            code: e.code(),
            message,
            path,
            position: e.position().map(|(line, column)| Position { line, column }),
            violations,
        }
    }

    /// An argument of the wrong type (`invalid_argument_type`), naming it as the caller does.
    pub fn type_error(argument: &str, expected: &str, found: &str) -> Error {
        Error {
            kind: ErrorKind::Type,
            code: "invalid_argument_type",
            message: format!("expected `{argument}` to be {expected}, found {found}"),
            path: Some(argument.to_string()),
            position: None,
            violations: Vec::new(),
        }
    }

    /// A number argument outside its domain (`invalid_number`), naming it as the caller does.
    pub fn number(argument: &str, expected: &str, found: impl std::fmt::Display) -> Error {
        Error {
            kind: ErrorKind::Argument,
            code: "invalid_number",
            message: format!("expected `{argument}` {expected}, found {found}"),
            path: Some(argument.to_string()),
            position: None,
            violations: Vec::new(),
        }
    }

    /// A caught panic (`internal_error`).
    pub fn internal(what: &str) -> Error {
        Error {
            kind: ErrorKind::Internal,
            code: "internal_error",
            message: format!("internal error in cnarch (please report it): {what}"),
            path: None,
            position: None,
            violations: Vec::new(),
        }
    }
}

/// `Result<T, E>` with a core error, as `Result<T, Error>` for a host.
pub trait OrFfi<T> {
    /// Converts the error for `host`.
    fn or_ffi(self, host: Host) -> Result<T, Error>;
}

impl<T, E: Coded> OrFfi<T> for Result<T, E> {
    fn or_ffi(self, host: Host) -> Result<T, Error> {
        self.map_err(|e| host.error(&e))
    }
}

/// `snake_case` as `camelCase`.
fn camel(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut up = false;
    for (i, c) in word.chars().enumerate() {
        if c == '_' && i > 0 {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn is_snake_word(w: &str) -> bool {
    w.contains('_')
        && w.starts_with(|c: char| c.is_ascii_lowercase())
        && w.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A path (`rules[2].long_window`, `pod.startup_delay`) with its snake_case segments in
/// camelCase.
pub fn render_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if is_snake_word(word) {
            out.push_str(&camel(word));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// `message` with the snake_case words of `path` re-spelled in camelCase (only those words:
/// values the caller wrote stay as written).
fn respell(message: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| is_snake_word(w))
        .collect();
    if words.is_empty() {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len());
    let mut word = String::new();
    for c in message.chars().chain(std::iter::once('\u{0}')) {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if words.contains(&word.as_str()) {
            out.push_str(&camel(&word));
        } else {
            out.push_str(&word);
        }
        word.clear();
        if c != '\u{0}' {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_messages_are_respelled_for_javascript() {
        assert_eq!(render_path("rules[2].long_window"), "rules[2].longWindow");
        assert_eq!(
            render_path("spec.metrics[0].resource"),
            "spec.metrics[0].resource"
        );
        assert_eq!(render_path("consecutive_5xx"), "consecutive5xx");
        assert_eq!(
            respell(
                "expected wait_multiplier of at least 1, found `my_value`",
                "wait_multiplier"
            ),
            "expected waitMultiplier of at least 1, found `my_value`"
        );
    }
}
