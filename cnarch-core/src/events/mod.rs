//! Events: EventBridge event patterns as aws/event-ruler defines them, one at a time
//! ([`EventPattern::matches`]) or many compiled into one index ([`PatternMatcher`]).
//!
//! A pattern is a JSON object whose leaves are lists of values or operators; an event matches
//! when every field the pattern names has a value one of the list's entries accepts:
//!
//! ```
//! use cnarch_core::events::{EventPattern, PatternMatcher};
//! use serde_json::json;
//!
//! let pattern = EventPattern::from_value(&json!({
//!     "source": ["aws.ec2"],
//!     "detail": {"state": [{"anything-but": "initializing"}], "c-count": [{"numeric": [">", 0, "<=", 5]}]}
//! }))
//! .unwrap();
//! let event = json!({"source": "aws.ec2", "detail": {"state": "running", "c-count": 5}});
//! assert!(pattern.matches(&event));
//!
//! let mut m = PatternMatcher::new();
//! m.add("ec2", &pattern);
//! m.add("any-s3", &EventPattern::from_value(&json!({"source": [{"prefix": "aws.s3"}]})).unwrap());
//! assert_eq!(m.matches(&event), vec!["ec2".to_string()]);
//! ```
//!
//! [`sns`] reads SNS subscription filter policies with the same engine, restricted to SNS's
//! operators and limits, and fans messages out over a [`sns::Topic`].
//!
//! [`sqs`] simulates SQS queues with their dead-letter queues, driven by explicit times.
//!
//! The rules, each with the event-ruler or EventBridge source it follows, are in
//! `docs/events.md`.

mod flatten;
mod machine;
mod pattern;
pub mod sns;
pub mod sqs;

use std::fmt;

use crate::error::{Coded, ErrorKind};

pub use machine::{EventTree, PatternMatcher};
pub use pattern::{EventPattern, PatternError};

/// Why SNS or SQS input was refused ([`sns::SnsError`], [`sqs::SqsError`]): a stable code, its
/// kind, where (`path`, as the input spells it) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    code: &'static str,
    kind: ErrorKind,
    /// The place in the input: keys joined with `.`, list items as `[i]`; `None` for the input
    /// as a whole.
    pub path: Option<String>,
    /// What was expected and what was found.
    pub message: String,
}

impl ServiceError {
    pub(crate) fn new(
        code: &'static str,
        kind: ErrorKind,
        path: &str,
        message: impl Into<String>,
    ) -> ServiceError {
        ServiceError {
            code,
            kind,
            path: (!path.is_empty()).then(|| path.to_string()),
            message: message.into(),
        }
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "`{p}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ServiceError {}

impl Coded for ServiceError {
    fn code(&self) -> &'static str {
        self.code
    }
    fn kind(&self) -> ErrorKind {
        self.kind
    }
    fn field(&self) -> Option<&str> {
        self.path.as_deref()
    }
}
