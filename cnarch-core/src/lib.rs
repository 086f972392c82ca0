//! cnarch-core: the typed model of cloud-native systems and the decision logic on top.
//!
//! - [`load_str`] turns YAML or JSON into validated [`Document`]s, or reports every violation
//!   with its path, a stable code and what was expected.
//! - Exact value types: [`quantity::Quantity`] (Kubernetes quantities),
//!   [`duration::Duration`] / [`duration::PromDuration`] (Go and Prometheus durations),
//!   [`schedule::Schedule`] (cron, `@every`, AWS `rate`/`cron`).
//! - The domain model lives in [`model`], one module per area.
//!
//! Nothing here reads a clock, the environment, a file or a global.
//!
//! ```
//! use cnarch_core::prelude::*;
//! let docs = load_str("apiVersion: cnarch.dev/v1alpha1\nkind: Microservice\nname: api\nimage: api:1\n").unwrap();
//! assert_eq!(docs[0].kind(), "Microservice");
//! let err = load_str("apiVersion: cnarch.dev/v1alpha1\nkind: Microservice\nname: Api\nimage: api:1\nport: 80\n").unwrap_err();
//! let codes: Vec<&str> = err.violations().iter().map(|v| v.code.as_str()).collect();
//! assert_eq!(codes, ["invalid_dns1035_label", "unknown_field"]);
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod alerting;
pub mod autoscale;
pub mod document;
pub mod duration;
pub mod error;
pub mod events;
#[cfg(feature = "eventsourcing")]
pub mod eventsourcing;
pub mod ffi;
pub mod gateway;
pub mod labels;
pub mod limits;
pub mod model;
pub mod policy;
pub mod probe;
pub mod prom;
pub mod quantity;
pub mod resilience;
pub mod schedule;
pub mod serverless;
pub mod slo;
pub mod time;
pub mod tracing;
pub mod validate;

pub use document::{
    load_json_value, load_str, to_json, to_yaml, validate as validate_documents,
    validate_json_value, Document, API_VERSION, KINDS,
};
pub use error::{Coded, ErrorKind, LoadError, Violation};

/// The names most programs need.
pub mod prelude {
    pub use crate::document::{load_str, to_json, to_yaml, Document};
    pub use crate::duration::{Duration, PromDuration};
    pub use crate::error::{Coded, ErrorKind, InvalidInput, LoadError, Violation};
    pub use crate::quantity::Quantity;
    pub use crate::schedule::Schedule;
    pub use crate::time::Instant;
    // The main logic types, one per concept.
    pub use crate::alerting::policy::MultiwindowPolicy;
    pub use crate::alerting::rule::AlertRule;
    pub use crate::autoscale::hpa::{HorizontalAutoscaler, HpaSpec};
    pub use crate::autoscale::keda::ScaledObject;
    pub use crate::autoscale::kpa::ServerlessAutoscaler;
    pub use crate::labels::{Selector, SelectorIndex};
    pub use crate::policy::network::NetworkPolicyEngine;
    pub use crate::resilience::breaker::{BreakerConfig, CircuitBreaker};
    pub use crate::resilience::bulkhead::Bulkhead;
    pub use crate::resilience::outlier::OutlierDetector;
    pub use crate::resilience::ratelimit::TokenBucket;
    pub use crate::resilience::retry::RetryPolicy;
    pub use crate::resilience::retry_on::RetryOn;
    pub use crate::slo::budget::Objective;
}

// The README's quickstart is compiled and run as a doc test.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
