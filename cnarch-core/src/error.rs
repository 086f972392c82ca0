//! Errors: loading and validation report every violation with its path; parse errors of the
//! value types live beside them (`QuantityError`, `DurationError`, `ScheduleError`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// One problem found in a spec: where it is, a stable code, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Index of the document in its file (0-based).
    pub document: usize,
    /// The document's `name`, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Dotted path inside the document, list items as `[i]`, map entries as `.key`
    /// (e.g. `healthCheck.liveness.periodSeconds`, `services[0].port`). Empty for the whole
    /// document.
    pub path: String,
    /// Stable snake_case code (the same in every binding).
    pub code: String,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "document {}", self.document)?;
        if let Some(n) = &self.name {
            write!(f, " (`{n}`)")?;
        }
        if !self.path.is_empty() {
            write!(f, " at `{}`", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a file of specs could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadError {
    /// The text is not well-formed YAML or JSON.
    #[error("{message}")]
    Syntax {
        /// What the parser expected, lowercase.
        message: String,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
    },
    /// The documents parsed but break the schema or its rules.
    #[error("{} violation(s); first: {}", violations.len(), violations.first().map(|v| v.to_string()).unwrap_or_default())]
    Invalid {
        /// Every violation found, in document order.
        violations: Vec<Violation>,
    },
}

impl LoadError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::Syntax { .. } => "syntax_error",
            LoadError::Invalid { .. } => "invalid_document",
        }
    }

    /// The violations (empty for a syntax error).
    pub fn violations(&self) -> &[Violation] {
        match self {
            LoadError::Syntax { .. } => &[],
            LoadError::Invalid { violations } => violations,
        }
    }
}
