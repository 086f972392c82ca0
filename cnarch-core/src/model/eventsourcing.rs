//! Event sourcing: the event store, projections, snapshots and replay.

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::Timestamp;
use crate::duration::Duration;
use crate::validate::field_rules as rules;

/// An event-sourced system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventSourcing {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// The log of events.
    #[validate(nested)]
    pub event_store: EventStore,
    /// Read models.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub projections: Vec<Projection>,
    /// Snapshots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub snapshots: Vec<Snapshot>,
    /// Replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub replay: Option<ReplayConfig>,
}

/// The event store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventStore {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Backend (`eventstoredb`, `kafka`, `postgresql`, `dynamodb`).
    #[serde(rename = "type")]
    #[validate(custom(function = "rules::not_blank"))]
    pub store_type: String,
    /// How long events are kept (positive; absent: forever).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::positive_duration"))]
    pub retention: Option<Duration>,
    /// Encrypted at rest.
    #[serde(default)]
    pub encryption: bool,
    /// Compressed.
    #[serde(default)]
    pub compression: bool,
}

/// A projection (read model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Projection {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Events it consumes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// Handler.
    #[validate(custom(function = "rules::not_blank"))]
    pub handler: String,
    /// Events per batch (≥ 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1))]
    pub batch_size: Option<i32>,
    /// Where its position is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<String>,
}

/// A snapshot policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Snapshot {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// How often (positive).
    #[validate(custom(function = "rules::positive_duration"))]
    pub frequency: Duration,
    /// Handler.
    #[validate(custom(function = "rules::not_blank"))]
    pub handler: String,
    /// How long snapshots are kept (positive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::positive_duration"))]
    pub retention: Option<Duration>,
}

/// Replay of a time range (`from` ≤ `to`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplayConfig {
    /// Whether replay runs.
    #[serde(default)]
    pub enabled: bool,
    /// Start (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Timestamp>,
    /// End (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Timestamp>,
    /// Events per batch (≥ 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1))]
    pub batch_size: Option<i32>,
}
