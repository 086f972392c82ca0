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

pub use crate::error::ServiceError;
pub use machine::{EventTree, FieldVisitor, PatternMatcher};
pub use pattern::{EventPattern, PatternError};
