//! Event-driven architecture: functions, events, rules, schedules, queues and topics (the
//! shapes of EventBridge, SQS and SNS).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::serverless::ServerlessFunction;
use super::{JsonMap, Timestamp};
use crate::duration::Duration;
use crate::validate::field_rules as rules;

/// An event-driven architecture. Rules and schedules refer to `events` and `functions` by key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventDrivenArchitecture {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// Functions by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub functions: BTreeMap<String, ServerlessFunction>,
    /// Events by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub events: BTreeMap<String, Event>,
    /// Routing rules.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub rules: Vec<EventRule>,
    /// Timed invocations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub schedules: Vec<Schedule>,
    /// Queues.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub queues: Vec<Queue>,
    /// Topics.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub topics: Vec<Topic>,
}

/// An event type in an event-driven architecture (not a span event: that is
/// [`super::observability::SpanEvent`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Event {
    /// Name; inside the `events` map it may be left out, and must equal the key when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::not_blank"))]
    pub name: Option<String>,
    /// Producer (`user-service`).
    #[validate(custom(function = "rules::not_blank"))]
    pub source: String,
    /// Event type (`UserCreated`).
    #[serde(rename = "type")]
    #[validate(custom(function = "rules::not_blank"))]
    pub event_type: String,
    /// JSON schema of the payload.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub schema: JsonMap,
    /// Schema version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When the definition was recorded (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Timestamp>,
}

/// Routes matching events to a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventRule {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Key in `events`.
    #[validate(custom(function = "rules::not_blank"))]
    pub event: String,
    /// Key in `functions`.
    #[validate(custom(function = "rules::not_blank"))]
    pub target: String,
    /// Event pattern.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub filter: JsonMap,
    /// Input transformer template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<String>,
}

/// A timed invocation (not the expression type: that is [`crate::schedule::Schedule`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Schedule {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// When: cron, `rate(...)` or `cron(...)`.
    pub expression: crate::schedule::Schedule,
    /// Key in `functions`.
    #[validate(custom(function = "rules::not_blank"))]
    pub target: String,
    /// Whether it fires.
    #[serde(default)]
    pub enabled: bool,
}

/// Queue kinds (SQS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QueueType {
    /// At-least-once, best-effort order.
    Standard,
    /// Exactly-once processing, strict order.
    Fifo,
}

/// A queue. SQS bounds: visibility timeout 0 s–12 h, retention 60 s–14 days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Queue {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Kind.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub queue_type: Option<QueueType>,
    /// Visibility timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "sqs_visibility"))]
    pub visibility: Option<Duration>,
    /// Message retention.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "sqs_retention"))]
    pub retention: Option<Duration>,
    /// Redrive policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub dead_letter: Option<DeadLetterQueue>,
}

fn bounded(
    d: &Duration,
    lo_s: i64,
    hi_s: i64,
    lo: &str,
    hi: &str,
) -> Result<(), validator::ValidationError> {
    let n = d.as_nanos();
    if n < lo_s * 1_000_000_000 || n > hi_s * 1_000_000_000 {
        return Err(rules::fail(
            "out_of_range",
            format!("expected a duration between {lo} and {hi}, found `{d}`"),
        ));
    }
    Ok(())
}

fn sqs_visibility(d: &Duration) -> Result<(), validator::ValidationError> {
    bounded(d, 0, 12 * 3600, "0s", "12h0m0s")
}

fn sqs_retention(d: &Duration) -> Result<(), validator::ValidationError> {
    bounded(d, 60, 14 * 86_400, "1m0s", "336h0m0s (14 days)")
}

/// Redrive target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeadLetterQueue {
    /// Queue name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Receives before a message moves there, 1–1000 (SQS `maxReceiveCount`).
    #[validate(range(min = 1, max = 1000))]
    pub max_receive: i32,
}

/// A topic (SNS).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Topic {
    /// Name.
    #[validate(custom(function = "rules::not_blank"))]
    pub name: String,
    /// Kind.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub topic_type: Option<QueueType>,
    /// Subscribers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub subscriptions: Vec<Subscription>,
}

/// Delivery protocols (SNS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriptionProtocol {
    /// HTTP POST.
    Http,
    /// HTTPS POST.
    Https,
    /// Email.
    Email,
    /// SQS queue.
    Sqs,
    /// Lambda function.
    Lambda,
    /// SMS.
    Sms,
    /// Kinesis Data Firehose.
    Firehose,
    /// Mobile push.
    Application,
}

/// A subscriber.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subscription {
    /// Endpoint (URL, address or ARN).
    #[validate(custom(function = "rules::not_blank"))]
    pub endpoint: String,
    /// Protocol.
    pub protocol: SubscriptionProtocol,
    /// Filter policy.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub filter: JsonMap,
}
