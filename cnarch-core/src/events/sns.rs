//! Amazon SNS subscription filter policies and topics: a policy is an EventBridge-style
//! pattern restricted to the operators SNS supports and checked against SNS's limits when it
//! is made; it reads either the message's attributes (`MessageAttributes` scope, a flat
//! policy) or its JSON body (`MessageBody` scope, nested as EventBridge patterns are). A topic
//! fans a message out to its subscriptions and says, for each, whether it is delivered and
//! which policy keys filtered it out.
//!
//! Every rule and its source in the SNS developer guide is in `docs/events.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use super::pattern::{decimals, Branch, EventPattern, Field, Matcher};
use super::{flatten, ServiceError};
use crate::error::ErrorKind;

/// The largest filter policy SNS accepts: 256 KB of JSON text.
pub const MAX_POLICY_BYTES: usize = 256 * 1024;
/// The most keys (attribute names, or leaf paths of a body policy) a policy may name.
pub const MAX_KEYS: usize = 5;
/// The most value combinations a policy may have (the product of its lists' lengths).
pub const MAX_COMBINATIONS: u64 = 150;
/// SNS compares numbers from -10^9 to 10^9 ...
pub const NUMERIC_LIMIT: f64 = 1.0e9;
/// ... with five digits after the decimal point.
pub const MAX_DECIMALS: usize = 5;

/// What a filter policy reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum FilterPolicyScope {
    /// The message attributes (SNS's default): a flat policy, one key per attribute.
    #[default]
    MessageAttributes,
    /// The message body, read as a JSON object: a policy nested as the body is.
    MessageBody,
}

impl FilterPolicyScope {
    /// The scope as SNS spells it (`MessageAttributes`, `MessageBody`), or `None`.
    pub fn parse(text: &str) -> Option<FilterPolicyScope> {
        match text {
            "MessageAttributes" => Some(FilterPolicyScope::MessageAttributes),
            "MessageBody" => Some(FilterPolicyScope::MessageBody),
            _ => None,
        }
    }

    /// SNS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterPolicyScope::MessageAttributes => "MessageAttributes",
            FilterPolicyScope::MessageBody => "MessageBody",
        }
    }
}

/// Why SNS input was refused: a filter policy (`invalid_filter_policy`), a message attribute
/// (`invalid_message_attribute`) or a subscription (`invalid_subscription`); where (`path`,
/// as the input spells it) and what was expected.
pub type SnsError = ServiceError;

impl ServiceError {
    fn policy(path: &str, message: impl Into<String>) -> SnsError {
        ServiceError::new("invalid_filter_policy", ErrorKind::Pattern, path, message)
    }

    fn attribute(path: &str, message: impl Into<String>) -> SnsError {
        ServiceError::new(
            "invalid_message_attribute",
            ErrorKind::Argument,
            path,
            message,
        )
    }

    fn subscription(path: &str, message: impl Into<String>) -> SnsError {
        ServiceError::new("invalid_subscription", ErrorKind::Config, path, message)
    }
}

/// A subscription filter policy, valid for SNS.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPolicy {
    scope: FilterPolicyScope,
    pattern: EventPattern,
    keys: Vec<String>,
    combinations: u64,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl FilterPolicy {
    /// A policy from its JSON text (what `SetSubscriptionAttributes` takes).
    pub fn parse(text: &str, scope: FilterPolicyScope) -> Result<FilterPolicy, SnsError> {
        size(text.len())?;
        let v: Value = serde_json::from_str(text)
            .map_err(|e| SnsError::policy("", format!("expected a JSON object: {e}")))?;
        FilterPolicy::checked(&v, scope)
    }

    /// A policy from a JSON value; its size is that of its compact JSON text.
    pub fn from_value(v: &Value, scope: FilterPolicyScope) -> Result<FilterPolicy, SnsError> {
        size(serde_json::to_string(v).map_or(usize::MAX, |t| t.len()))?;
        FilterPolicy::checked(v, scope)
    }

    fn checked(v: &Value, scope: FilterPolicyScope) -> Result<FilterPolicy, SnsError> {
        if let Value::Object(map) = v {
            sns_rules(map, "", scope)?;
        }
        let pattern = EventPattern::from_value(v)
            .map_err(|e| SnsError::policy(e.path.as_deref().unwrap_or_default(), e.message))?;
        let keys = pattern.paths();
        if keys.len() > MAX_KEYS {
            return Err(SnsError::policy(
                "",
                format!(
                    "expected at most {MAX_KEYS} keys, found {} (`{}`)",
                    keys.len(),
                    keys.join("`, `")
                ),
            ));
        }
        let combinations = match v {
            Value::Object(map) => combinations(map),
            _ => 0,
        };
        if combinations > MAX_COMBINATIONS {
            return Err(SnsError::policy(
                "",
                format!(
                    "expected at most {MAX_COMBINATIONS} value combinations (the product of the \
                     lists' lengths, `$or` alternatives added), found {combinations}"
                ),
            ));
        }
        Ok(FilterPolicy {
            scope,
            pattern,
            keys,
            combinations,
        })
    }

    /// What the policy reads.
    pub fn scope(&self) -> FilterPolicyScope {
        self.scope
    }

    /// The keys the policy names (attribute names, or dotted body paths), sorted.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The policy's value combinations, as SNS counts them against [`MAX_COMBINATIONS`].
    pub fn combinations(&self) -> u64 {
        self.combinations
    }

    /// Whether a message with these attributes and this body passes, and if not, why.
    pub fn evaluate(&self, message: &SnsMessage) -> FilterOutcome {
        match self.scope {
            FilterPolicyScope::MessageAttributes => self.evaluate_attributes(&message.attributes),
            FilterPolicyScope::MessageBody => match serde_json::from_str::<Value>(&message.body) {
                Ok(body @ Value::Object(_)) => self.evaluate_body(&body),
                _ => FilterOutcome {
                    delivered: false,
                    failed_keys: Vec::new(),
                    reason: Some("the message body is not a JSON object".to_string()),
                },
            },
        }
    }

    /// Whether `message` passes.
    pub fn matches(&self, message: &SnsMessage) -> bool {
        self.evaluate(message).delivered
    }

    /// The `MessageAttributes` reading: every key of some `$or` alternative has an attribute
    /// one of its entries accepts (an `anything-but` entry accepts a `String.Array` only when
    /// it lists none of the elements), or is absent and allows it (`{"exists": false}`).
    pub fn evaluate_attributes(&self, attributes: &MessageAttributes) -> FilterOutcome {
        let mut failed = Vec::new();
        for b in &self.pattern.branches {
            let before = failed.len();
            for f in &b.fields {
                if !attribute_passes(f, attributes.0.get(&f.path)) {
                    failed.push(f.path.clone());
                }
            }
            if failed.len() == before {
                return FilterOutcome::delivered();
            }
        }
        FilterOutcome::filtered(failed)
    }

    /// The `MessageBody` reading of a parsed body: EventBridge's matching.
    pub fn evaluate_body(&self, body: &Value) -> FilterOutcome {
        if self.pattern.matches(body) {
            return FilterOutcome::delivered();
        }
        let flat = flatten::flatten(body);
        let mut failed = Vec::new();
        for b in &self.pattern.branches {
            let alone = failing_fields(b, &flat);
            if alone.is_empty() {
                // Each key has a passing value, but not all within one array element.
                failed.extend(b.fields.iter().map(|f| f.path.clone()));
            } else {
                failed.extend(alone);
            }
        }
        FilterOutcome::filtered(failed)
    }
}

fn size(bytes: usize) -> Result<(), SnsError> {
    if bytes > MAX_POLICY_BYTES {
        return Err(SnsError::policy(
            "",
            format!("expected at most {MAX_POLICY_BYTES} bytes (256 KB), found {bytes}"),
        ));
    }
    Ok(())
}

/// The body fields of a branch that no value of the body passes on its own.
fn failing_fields(b: &Branch, flat: &flatten::FlatEvent<'_>) -> Vec<String> {
    b.fields
        .iter()
        .filter(|f| {
            let mut present = false;
            let hit = flat
                .fields
                .iter()
                .filter(|x| x.path == f.path)
                .inspect(|_| present = true)
                .any(|x| f.matchers.iter().any(|m| m.test(x.leaf)));
            !(hit || (f.absent_ok && !present))
        })
        .map(|f| f.path.clone())
        .collect()
}

fn is_anything_but(m: &Matcher) -> bool {
    matches!(
        m,
        Matcher::NotStrs(_)
            | Matcher::NotNums(_)
            | Matcher::NotPrefix(_)
            | Matcher::NotSuffix(_)
            | Matcher::NotFold(_)
            | Matcher::NotWildcard(_)
    )
}

fn attribute_passes(f: &Field, attribute: Option<&AttributeValue>) -> bool {
    let values: Vec<Value> = match attribute {
        None | Some(AttributeValue::Binary) => return f.absent_ok,
        Some(AttributeValue::String(s)) => vec![Value::String(s.clone())],
        Some(AttributeValue::Number(n)) => vec![Value::Number(n.clone())],
        Some(AttributeValue::StringArray(items)) => items.clone(),
    };
    f.matchers.iter().any(|m| match m {
        Matcher::Exists => true,
        m if is_anything_but(m) => !values.is_empty() && values.iter().all(|v| m.test(v)),
        m => values.iter().any(|v| m.test(v)),
    })
}

/// SNS's own rules over the policy's JSON, before the pattern reader's: the operators SNS
/// has, its numeric range and precision, and no nesting for the attributes scope.
fn sns_rules(
    map: &Map<String, Value>,
    path: &str,
    scope: FilterPolicyScope,
) -> Result<(), SnsError> {
    for (key, v) in map {
        let here = join(path, key);
        match v {
            Value::Array(items) if key == "$or" => {
                for (i, item) in items.iter().enumerate() {
                    if let Value::Object(inner) = item {
                        sns_rules(inner, &format!("{here}[{i}]"), scope)?;
                    }
                }
            }
            Value::Object(inner) => {
                if scope == FilterPolicyScope::MessageAttributes {
                    return Err(SnsError::policy(
                        &here,
                        "expected a list of values: a policy with the MessageAttributes scope \
                         is flat (nested keys need the MessageBody scope)",
                    ));
                }
                sns_rules(inner, &here, scope)?;
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    entry(item, &format!("{here}[{i}]"))?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn number(v: &Value, at: &str) -> Result<(), SnsError> {
    let Value::Number(n) = v else {
        return Ok(());
    };
    let x = n.as_f64().unwrap_or(f64::INFINITY);
    if !(-NUMERIC_LIMIT..=NUMERIC_LIMIT).contains(&x) {
        return Err(SnsError::policy(
            at,
            format!("expected a number from -1000000000 to 1000000000 (SNS's range), found `{n}`"),
        ));
    }
    if decimals(x) > MAX_DECIMALS {
        return Err(SnsError::policy(
            at,
            format!(
                "expected at most {MAX_DECIMALS} digits after the decimal point (SNS's precision), found `{n}`"
            ),
        ));
    }
    Ok(())
}

fn numbers(v: &Value, at: &str) -> Result<(), SnsError> {
    match v {
        Value::Array(items) => {
            for (j, x) in items.iter().enumerate() {
                number(x, &format!("{at}[{j}]"))?;
            }
            Ok(())
        }
        other => number(other, at),
    }
}

/// One entry of a list: a value, or an operator object SNS knows.
fn entry(v: &Value, at: &str) -> Result<(), SnsError> {
    let op = match v {
        Value::Object(op) => op,
        other => return number(other, at),
    };
    for (name, arg) in op {
        let here = format!("{at}.{name}");
        match name.as_str() {
            "prefix" | "suffix" => {
                if let Value::Object(inner) = arg {
                    let k = inner.keys().next().map_or("", String::as_str);
                    return Err(SnsError::policy(
                        &join(&here, k),
                        format!("expected a string after `{name}`: SNS has no operator inside `{name}` (`{name}` with `equals-ignore-case` is EventBridge's)"),
                    ));
                }
            }
            "numeric" => numbers(arg, &here)?,
            "anything-but" => match arg {
                Value::Object(inner) => {
                    for k in inner.keys() {
                        if k != "prefix" && k != "suffix" {
                            return Err(SnsError::policy(
                                &join(&here, k),
                                format!("expected `prefix` or `suffix` inside `anything-but`, found `{k}` (SNS has no other)"),
                            ));
                        }
                    }
                }
                other => numbers(other, &here)?,
            },
            "wildcard" | "exact" => {
                return Err(SnsError::policy(
                    &here,
                    format!("`{name}` is an EventBridge operator SNS filter policies do not have"),
                ))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Value combinations: the product over the keys of their lists' lengths, a nested object
/// counting as its own product and `$or` as the sum over its alternatives.
fn combinations(map: &Map<String, Value>) -> u64 {
    map.iter().fold(1u64, |acc, (key, v)| {
        let n = match v {
            Value::Array(items) if key == "$or" => items
                .iter()
                .map(|i| match i {
                    Value::Object(inner) => combinations(inner),
                    _ => 1,
                })
                .fold(0u64, u64::saturating_add),
            Value::Array(items) => items.len() as u64,
            Value::Object(inner) => combinations(inner),
            _ => 1,
        };
        acc.saturating_mul(n)
    })
}

/// A filter's verdict: delivered, or the keys that filtered the message out (sorted; for a
/// policy with `$or`, those of every alternative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterOutcome {
    /// Whether the policy accepts the message.
    pub delivered: bool,
    /// The policy keys no attribute or body value satisfied.
    pub failed_keys: Vec<String>,
    /// Why the message was filtered out when no key is to blame (a body that is not JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl FilterOutcome {
    fn delivered() -> FilterOutcome {
        FilterOutcome {
            delivered: true,
            failed_keys: Vec::new(),
            reason: None,
        }
    }

    fn filtered(mut keys: Vec<String>) -> FilterOutcome {
        keys.sort();
        keys.dedup();
        FilterOutcome {
            delivered: false,
            failed_keys: keys,
            reason: None,
        }
    }
}

/// One message attribute's value, by its data type (a custom type label such as
/// `Number.float` counts as its base type).
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    /// `String`.
    String(String),
    /// `String.Array`: the elements of the JSON array text (strings, numbers, booleans, null).
    StringArray(Vec<Value>),
    /// `Number`, compared as a number.
    Number(Number),
    /// `Binary`: SNS ignores it when filtering.
    Binary,
}

/// A message's attributes by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageAttributes(pub BTreeMap<String, AttributeValue>);

impl MessageAttributes {
    /// Attributes as SNS writes them in a notification (`{"Type": "String", "Value": "x"}`) or
    /// as `Publish` takes them (`{"DataType": "String", "StringValue": "x"}`, `BinaryValue`
    /// for binary). `path` names the whole (e.g. `message_attributes`) in errors.
    pub fn from_value(v: &Value, path: &str) -> Result<MessageAttributes, SnsError> {
        let Value::Object(map) = v else {
            return Err(SnsError::attribute(
                path,
                format!(
                    "expected a mapping of attribute names to attributes, found {}",
                    crate::ffi::kind_of(v)
                ),
            ));
        };
        let mut out = BTreeMap::new();
        for (name, a) in map {
            let at = join(path, name);
            out.insert(name.clone(), attribute(a, &at)?);
        }
        Ok(MessageAttributes(out))
    }
}

fn attribute(v: &Value, at: &str) -> Result<AttributeValue, SnsError> {
    let Value::Object(a) = v else {
        return Err(SnsError::attribute(
            at,
            format!(
                "expected an attribute object (`Type` and `Value`), found {}",
                crate::ffi::kind_of(v)
            ),
        ));
    };
    let (type_key, ty) = match (a.get("Type"), a.get("DataType")) {
        (Some(t), _) => ("Type", t),
        (None, Some(t)) => ("DataType", t),
        (None, None) => {
            return Err(SnsError::attribute(
                at,
                "expected `Type` (or `DataType`): String, String.Array, Number or Binary",
            ))
        }
    };
    let type_at = join(at, type_key);
    let Value::String(ty) = ty else {
        return Err(SnsError::attribute(
            &type_at,
            "expected a data type name (text)",
        ));
    };
    let base = match ty.as_str() {
        "String.Array" => "String.Array",
        t if t == "String" || t.starts_with("String.") => "String",
        t if t == "Number" || t.starts_with("Number.") => "Number",
        t if t == "Binary" || t.starts_with("Binary.") => "Binary",
        other => {
            return Err(SnsError::attribute(
                &type_at,
                format!("expected String, String.Array, Number or Binary (optionally with a custom `.label`), found `{other}`"),
            ))
        }
    };
    if base == "Binary" {
        return Ok(AttributeValue::Binary);
    }
    let (value_key, value) = match (a.get("Value"), a.get("StringValue")) {
        (Some(x), _) => ("Value", x),
        (None, Some(x)) => ("StringValue", x),
        (None, None) => {
            return Err(SnsError::attribute(
                at,
                format!("expected `Value` (or `StringValue`) for a {base} attribute"),
            ))
        }
    };
    let value_at = join(at, value_key);
    let Value::String(text) = value else {
        return Err(SnsError::attribute(
            &value_at,
            format!(
                "expected the value as text, found {}",
                crate::ffi::kind_of(value)
            ),
        ));
    };
    match base {
        "Number" => {
            let n = text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .and_then(Number::from_f64)
                .ok_or_else(|| {
                    SnsError::attribute(&value_at, format!("expected a number, found `{text}`"))
                })?;
            Ok(AttributeValue::Number(n))
        }
        "String.Array" => {
            let items = match serde_json::from_str::<Value>(text) {
                Ok(Value::Array(items)) => items,
                _ => {
                    return Err(SnsError::attribute(
                        &value_at,
                        format!("expected a JSON array as text, found `{text}`"),
                    ))
                }
            };
            if let Some(i) = items
                .iter()
                .position(|x| matches!(x, Value::Array(_) | Value::Object(_)))
            {
                return Err(SnsError::attribute(
                    &format!("{value_at}[{i}]"),
                    "expected a string, number, true, false or null in a String.Array",
                ));
            }
            Ok(AttributeValue::StringArray(items))
        }
        _ => Ok(AttributeValue::String(text.clone())),
    }
}

/// A published message as a filter sees it: its attributes and its body text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SnsMessage {
    /// The message attributes.
    pub attributes: MessageAttributes,
    /// The message body (`Message`), JSON text for the `MessageBody` scope.
    pub body: String,
}

/// How a subscription receives messages (the `Protocol` of `Subscribe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    /// An SQS queue.
    Sqs,
    /// A Lambda function.
    Lambda,
    /// An HTTP endpoint.
    Http,
    /// An HTTPS endpoint.
    Https,
    /// Email, text.
    Email,
    /// Email, the JSON notification.
    EmailJson,
    /// SMS.
    Sms,
    /// A mobile push endpoint.
    Application,
    /// A Kinesis Data Firehose stream.
    Firehose,
}

impl Protocol {
    /// The protocol as SNS spells it (`sqs`, `email-json`, ...), or `None`.
    pub fn parse(text: &str) -> Option<Protocol> {
        Some(match text {
            "sqs" => Protocol::Sqs,
            "lambda" => Protocol::Lambda,
            "http" => Protocol::Http,
            "https" => Protocol::Https,
            "email" => Protocol::Email,
            "email-json" => Protocol::EmailJson,
            "sms" => Protocol::Sms,
            "application" => Protocol::Application,
            "firehose" => Protocol::Firehose,
            _ => return None,
        })
    }

    /// SNS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Sqs => "sqs",
            Protocol::Lambda => "lambda",
            Protocol::Http => "http",
            Protocol::Https => "https",
            Protocol::Email => "email",
            Protocol::EmailJson => "email-json",
            Protocol::Sms => "sms",
            Protocol::Application => "application",
            Protocol::Firehose => "firehose",
        }
    }
}

/// One subscription of a topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    /// The subscription's name (its endpoint, say), unique in the topic.
    pub name: String,
    /// How it receives messages.
    pub protocol: Protocol,
    /// Its filter policy; without one it receives every message.
    pub filter_policy: Option<FilterPolicy>,
}

/// What a publish does for one subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The subscription.
    pub subscription: String,
    /// Its protocol.
    pub protocol: Protocol,
    /// The filter's verdict (delivered, with no failed keys, when it has no policy).
    #[serde(flatten)]
    pub outcome: FilterOutcome,
}

/// A topic: a name and its subscriptions, in the order they were made.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    name: String,
    subscriptions: Vec<Subscription>,
}

impl Topic {
    /// A topic; its name is 1 to 256 letters, digits, `-` and `_`, and a FIFO topic's ends in
    /// `.fifo`.
    pub fn new(name: &str) -> Result<Topic, SnsError> {
        let stem = name.strip_suffix(".fifo").unwrap_or(name);
        let ok_chars = stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if name.is_empty() || name.len() > 256 || stem.is_empty() || !ok_chars {
            return Err(SnsError::subscription(
                "name",
                format!("expected a topic name of 1 to 256 letters, digits, `-` or `_` (a FIFO topic's ending in `.fifo`), found `{name}`"),
            ));
        }
        Ok(Topic {
            name: name.to_string(),
            subscriptions: Vec::new(),
        })
    }

    /// The topic's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it is a FIFO topic (its name ends in `.fifo`).
    pub fn is_fifo(&self) -> bool {
        self.name.ends_with(".fifo")
    }

    /// The subscriptions, in order.
    pub fn subscriptions(&self) -> &[Subscription] {
        &self.subscriptions
    }

    /// Adds a subscription. A name already subscribed is refused, and a FIFO topic delivers
    /// only to SQS queues.
    pub fn subscribe(&mut self, subscription: Subscription) -> Result<(), SnsError> {
        if self
            .subscriptions
            .iter()
            .any(|s| s.name == subscription.name)
        {
            return Err(SnsError::subscription(
                "name",
                format!(
                    "`{}` is already subscribed to `{}`",
                    subscription.name, self.name
                ),
            ));
        }
        if self.is_fifo() && subscription.protocol != Protocol::Sqs {
            return Err(SnsError::subscription(
                "protocol",
                format!(
                    "expected `sqs`: the FIFO topic `{}` delivers only to SQS queues, found `{}`",
                    self.name,
                    subscription.protocol.as_str()
                ),
            ));
        }
        self.subscriptions.push(subscription);
        Ok(())
    }

    /// Removes a subscription by name; whether it was there.
    pub fn unsubscribe(&mut self, name: &str) -> bool {
        let before = self.subscriptions.len();
        self.subscriptions.retain(|s| s.name != name);
        self.subscriptions.len() != before
    }

    /// What publishing `message` does for each subscription, in subscription order.
    pub fn publish(&self, message: &SnsMessage) -> Vec<Delivery> {
        self.subscriptions
            .iter()
            .map(|s| Delivery {
                subscription: s.name.clone(),
                protocol: s.protocol,
                outcome: s
                    .filter_policy
                    .as_ref()
                    .map_or_else(FilterOutcome::delivered, |p| p.evaluate(message)),
            })
            .collect()
    }
}
