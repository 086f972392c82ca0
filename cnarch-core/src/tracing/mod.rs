//! Distributed tracing: the W3C Trace Context headers ([`TraceParent`], [`TraceState`]) and
//! OpenTelemetry's head samplers ([`Sampler`]), and the span trees of recorded spans
//! ([`trees`]: orphans, inconsistencies, self time, Jaeger's critical path).
//!
//! ```
//! use cnarch_core::tracing::{Parent, Sampler, TraceParent, TraceState};
//!
//! let tp = TraceParent::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").unwrap();
//! assert!(tp.sampled());
//! let ts = TraceState::parse("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE").unwrap();
//! let parent = Parent { sampled: tp.sampled(), remote: true, tracestate: ts };
//! let sampler = Sampler::from_sample_rate(Some(0.1)).unwrap(); // ParentBased{TraceIDRatioBased}
//! assert!(sampler.should_sample(&tp.trace_id, Some(&parent)).sampled);
//! ```
//!
//! Rules and sources: `docs/tracing.md`.

pub mod context;
pub mod sampler;
pub mod tree;

pub use context::{TraceParent, TraceState};
pub use sampler::{Decision, Parent, ParentBased, Sampler};
pub use tree::{trees, TraceTree};

use crate::error::{ErrorKind, ServiceError};

/// Why a trace context header or a sampler was refused (codes `invalid_traceparent`,
/// `invalid_tracestate`, `invalid_sampler`).
pub type TraceError = ServiceError;

impl ServiceError {
    pub(crate) fn traceparent(message: String) -> TraceError {
        ServiceError::new(
            "invalid_traceparent",
            ErrorKind::Tracing,
            "traceparent",
            message,
        )
    }

    pub(crate) fn tracestate(index: usize, member: &str, why: String) -> TraceError {
        ServiceError::new(
            "invalid_tracestate",
            ErrorKind::Tracing,
            "tracestate",
            format!(
                "member {} (`{member}`): {why}; the whole header is discarded",
                index + 1
            ),
        )
    }

    pub(crate) fn tracestate_count(n: usize) -> TraceError {
        ServiceError::new(
            "invalid_tracestate",
            ErrorKind::Tracing,
            "tracestate",
            format!("expected at most 32 members, found {n}; the whole header is discarded"),
        )
    }

    pub(crate) fn sampler(field: &str, expected: &str, found: &str) -> TraceError {
        ServiceError::new(
            "invalid_sampler",
            ErrorKind::Config,
            field,
            format!("expected {expected}, found {found}"),
        )
    }
}
