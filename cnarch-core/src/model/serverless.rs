//! Serverless functions and their triggers (AWS Lambda's model; limits from the Lambda docs:
//! memory 128–10240 MB, timeout up to 900 s, SQS batch size 1–10000).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::JsonMap;
use crate::duration::Duration;
use crate::validate::field_rules as rules;

/// A function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServerlessFunction {
    /// Name (DNS-1123 subdomain). Inside an event-driven architecture's `functions` map it
    /// may be left out, and must equal the map key when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: Option<String>,
    /// Runtime identifier (`go1.x`, `python3.12`, `nodejs20.x`, `provided.al2023`).
    #[validate(custom(function = "rules::not_blank"))]
    pub runtime: String,
    /// Entry point (`main.Handler`).
    #[validate(custom(function = "rules::not_blank"))]
    pub handler: String,
    /// Memory in MB, 128–10240.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 128, max = 10240))]
    pub memory: Option<i32>,
    /// Timeout, positive and at most 15 minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "lambda_timeout"))]
    pub timeout: Option<Duration>,
    /// Environment variables.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[validate(custom(function = "rules::env_map"))]
    pub environment: BTreeMap<String, String>,
    /// Event sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub triggers: Vec<Trigger>,
    /// Layer ARNs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(custom(function = "arn_list"))]
    pub layers: Vec<String>,
    /// Network placement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub vpc: Option<VpcConfig>,
    /// Where failed events go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub dead_letter: Option<DeadLetterConfig>,
}

fn lambda_timeout(d: &Duration) -> Result<(), validator::ValidationError> {
    rules::positive_duration(d)?;
    if d.as_nanos() > 900 * 1_000_000_000 {
        return Err(rules::fail(
            "out_of_range",
            format!("expected a timeout of at most 15m0s (the Lambda limit), found `{d}`"),
        ));
    }
    Ok(())
}

fn arn_list(list: &[String]) -> Result<(), validator::ValidationError> {
    list.iter().try_for_each(|a| rules::arn(a))
}

/// Event sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TriggerType {
    /// HTTP (API gateway or function URL).
    #[serde(rename = "HTTP")]
    Http,
    /// SQS queue.
    #[serde(rename = "SQS")]
    Sqs,
    /// SNS topic.
    #[serde(rename = "SNS")]
    Sns,
    /// S3 bucket notifications.
    #[serde(rename = "S3")]
    S3,
    /// Schedule.
    Schedule,
    /// Kinesis stream.
    Kinesis,
    /// DynamoDB stream.
    DynamoDB,
    /// EventBridge rule.
    EventBridge,
    /// Kafka topic.
    Kafka,
}

/// A trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Trigger {
    /// Source kind.
    #[serde(rename = "type")]
    pub trigger_type: TriggerType,
    /// Source name or ARN.
    #[validate(custom(function = "rules::not_blank"))]
    pub source: String,
    /// Event name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Event filter pattern.
    #[serde(default, skip_serializing_if = "JsonMap::is_empty")]
    pub filter: JsonMap,
    /// Records per invocation, 1–10000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 10000))]
    pub batch_size: Option<i32>,
    /// Whether it is active.
    #[serde(default)]
    pub enabled: bool,
}

/// VPC placement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VpcConfig {
    /// Subnet ids (at least one).
    #[validate(custom(function = "rules::non_empty_list"))]
    pub subnets: Vec<String>,
    /// Security group ids (at least one).
    #[validate(custom(function = "rules::non_empty_list"))]
    pub security_groups: Vec<String>,
}

/// Dead-letter target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeadLetterConfig {
    /// ARN of an SQS queue or SNS topic.
    #[validate(custom(function = "rules::arn"))]
    pub target_arn: String,
}

/// A running handler of a [`ServerlessFunction`].
///
/// The seed design's `FunctionHandler` struct mixed the spec with run-time state (a context,
/// the last response and error). cnarch models a handler as this trait instead: the spec stays
/// data, the state lives in the implementation, and `handle` returns its result instead of
/// storing it.
///
/// ```
/// use cnarch_core::model::serverless::{FunctionHandler, ServerlessFunction};
/// struct Echo;
/// impl FunctionHandler for Echo {
///     type Event = String;
///     type Output = String;
///     type Error = std::convert::Infallible;
///     fn handle(&self, _f: &ServerlessFunction, event: String) -> Result<String, Self::Error> {
///         Ok(event)
///     }
/// }
/// ```
pub trait FunctionHandler {
    /// What the function receives.
    type Event;
    /// What it returns.
    type Output;
    /// How it fails.
    type Error;
    /// Handles one event.
    fn handle(
        &self,
        function: &ServerlessFunction,
        event: Self::Event,
    ) -> Result<Self::Output, Self::Error>;
}
