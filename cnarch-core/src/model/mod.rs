//! The typed domain model of cloud-native systems, grouped by area.
//!
//! Every type deserializes from Kubernetes-style camelCase JSON/YAML, rejects unknown fields,
//! and validates with [`validator::Validate`] for field rules plus hand-written cross-field rules
//! (see [`crate::validate`]). Nothing is defaulted silently: an absent optional field stays
//! `None`, and the documented Kubernetes default is available from an accessor
//! (e.g. [`workload::Probe::period_seconds_or_default`]).
//!
//! Deviations from the seed design, each deliberate:
//! - `CloudNativeApp` declared `services` twice; it has one `services` list.
//! - The design had two `Event` types. The event-driven architecture's stays
//!   [`events::Event`]; the one inside a span is [`observability::SpanEvent`].
//! - `FunctionHandler` carried run-time state (context, event, response, error). It is a
//!   trait, [`serverless::FunctionHandler`]: a spec describes a handler, a running program
//!   implements one.
//! - Every document kind has a `name` (the design lacked one on several kinds); violations and
//!   references use it.
//! - `CORSConfig` gains `allowCredentials`, without which the CORS credential rule cannot be
//!   stated. `ThrottleConfig.rateLimit` is a number (requests per second may be fractional, as
//!   in API Gateway).
//! - `Probe` holds its handler as an enum ([`workload::ProbeHandler`]) while the wire format keeps
//!   Kubernetes' `httpGet` / `tcpSocket` / `exec` keys.
//! - Strings with meaning are typed: [`crate::quantity::Quantity`], [`crate::duration::Duration`]
//!   (Go syntax) or [`crate::duration::PromDuration`] (Prometheus syntax, for scrape intervals,
//!   alert `for`, SLO windows, retention and refresh), [`crate::schedule::Schedule`], URLs,
//!   RFC 3339 timestamps, and enums for closed sets.

pub mod data;
pub mod events;
pub mod eventsourcing;
pub mod gateway;
pub mod mesh;
pub mod observability;
pub mod serverless;
pub mod workload;

use std::collections::BTreeMap;

/// Kubernetes-style label map (sorted, so output is stable).
pub type Labels = BTreeMap<String, String>;

/// A free-form JSON object (event schemas, filters, span attributes).
pub type JsonMap = BTreeMap<String, serde_json::Value>;

/// An RFC 3339 timestamp in UTC.
pub type Timestamp = chrono::DateTime<chrono::Utc>;
