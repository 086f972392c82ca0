//! Event patterns and events from plain data: a pattern or an event is a mapping or its JSON
//! text. Pattern errors keep the pattern's own key spelling in every language (keys such as
//! `detail-type` are the caller's data, not option names).

use std::borrow::Cow;

use serde_json::Value;

use super::{kind_of, Error, Host};
use crate::error::UnknownName;
use crate::events::sns::{
    Delivery, FilterOutcome, FilterPolicy, FilterPolicyScope, MessageAttributes, Protocol,
    SnsMessage, Subscription, Topic,
};
use crate::events::{EventPattern, PatternMatcher};

/// As written: a pattern's keys are never re-spelled.
const AS_WRITTEN: Host = Host::RUST;

/// Deepest nesting an event may have, as a pattern may.
pub const MAX_EVENT_DEPTH: usize = 128;

/// A pattern from a mapping or its JSON text. Any other value is a pattern that is not an
/// object: a `PatternError`, as the same value written as text would be.
pub fn pattern(v: &Value) -> Result<EventPattern, Error> {
    match v {
        Value::String(text) => EventPattern::parse(text),
        other => EventPattern::from_value(other),
    }
    .map_err(|e| AS_WRITTEN.error(&e))
}

/// An event from a mapping or its JSON text. A JSON event is an object (event-ruler reads
/// nothing else); other values, text that is not JSON, and nesting deeper than
/// [`MAX_EVENT_DEPTH`] are refused naming `event`.
pub fn event(v: &Value) -> Result<Cow<'_, Value>, Error> {
    let event = match v {
        Value::String(text) => Cow::Owned(serde_json::from_str::<Value>(text).map_err(|e| {
            Error::type_error(
                "event",
                "an event (a mapping or its JSON text)",
                &format!("text that is not JSON ({e})"),
            )
        })?),
        other => Cow::Borrowed(other),
    };
    let found = (!event.is_object()).then(|| kind_of(&event));
    event_shape(found, depth(&event))?;
    Ok(event)
}

/// The checks [`event`] makes: `not_object` names what the event is instead (`None` for an
/// object), `depth` its deepest nesting.
fn event_shape(not_object: Option<&str>, depth: usize) -> Result<(), Error> {
    if let Some(kind) = not_object {
        return Err(Error::type_error(
            "event",
            "an event (a mapping or its JSON text)",
            kind,
        ));
    }
    if depth > MAX_EVENT_DEPTH {
        return Err(Error::number(
            "event",
            &format!("to nest at most {MAX_EVENT_DEPTH} levels deep"),
            "a deeper event",
        ));
    }
    Ok(())
}

/// The names of the rules an object read in place matches, sorted, in one pass that also
/// checks it: the binding's [`EventTree`](crate::events::EventTree) refuses what it cannot
/// read (values that are not plain data, nesting deeper than [`MAX_EVENT_DEPTH`]) as it
/// refuses converting the event, and that refusal is returned.
pub fn match_in_place<T: crate::events::EventTree>(
    m: &PatternMatcher,
    event: &T,
) -> Result<Vec<String>, T::Error> {
    m.matches_tree(event)
}

/// The deepest nesting of mappings and lists in `v`, counted without recursion.
fn depth(v: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(v, 0usize)];
    while let Some((x, d)) = stack.pop() {
        deepest = deepest.max(d);
        match x {
            Value::Object(m) => stack.extend(m.values().map(|y| (y, d + 1))),
            Value::Array(a) => stack.extend(a.iter().map(|y| (y, d + 1))),
            _ => {}
        }
    }
    deepest
}

/// Whether `event` matches `pattern` (each a mapping or its JSON text).
pub fn matches(pattern_data: &Value, event_data: &Value) -> Result<bool, Error> {
    let p = pattern(pattern_data)?;
    Ok(p.matches(&*event(event_data)?))
}

/// Adds `pattern` under `name` (the same name again adds an alternative).
pub fn add(m: &mut PatternMatcher, name: &str, pattern_data: &Value) -> Result<(), Error> {
    m.add(name, &pattern(pattern_data)?);
    Ok(())
}

/// The names of the rules `event` matches, sorted.
pub fn match_event(m: &PatternMatcher, event_data: &Value) -> Result<Vec<String>, Error> {
    Ok(m.matches(&*event(event_data)?))
}

/// An SNS filter policy from a mapping or its JSON text, for `scope` (`MessageAttributes`
/// when absent, or `MessageBody`). Policy errors keep the policy's key spelling.
pub fn filter_policy(policy_data: &Value, scope: Option<&str>) -> Result<FilterPolicy, Error> {
    policy_for(policy_data, filter_scope(scope)?)
}

fn filter_scope(scope: Option<&str>) -> Result<FilterPolicyScope, Error> {
    match scope {
        None => Ok(FilterPolicyScope::default()),
        Some(s) => FilterPolicyScope::parse(s).ok_or_else(|| {
            AS_WRITTEN.error(&UnknownName::new(
                "scope",
                format!("expected scope `MessageAttributes` or `MessageBody`, found `{s}`"),
            ))
        }),
    }
}

fn policy_for(policy_data: &Value, scope: FilterPolicyScope) -> Result<FilterPolicy, Error> {
    match policy_data {
        Value::String(text) => FilterPolicy::parse(text, scope),
        other => FilterPolicy::from_value(other, scope),
    }
    .map_err(|e| AS_WRITTEN.error(&e))
}

/// A message from its attributes (a mapping of names to `{"Type", "Value"}` or
/// `{"DataType", "StringValue"}`; absent: none) and its body (text; a mapping or list is
/// taken as its JSON text; absent: empty).
pub fn sns_message(attributes: Option<&Value>, body: Option<&Value>) -> Result<SnsMessage, Error> {
    let attributes = match attributes {
        None | Some(Value::Null) => MessageAttributes::default(),
        Some(v) => {
            MessageAttributes::from_value(v, "attributes").map_err(|e| AS_WRITTEN.error(&e))?
        }
    };
    let body = match body {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v @ (Value::Object(_) | Value::Array(_))) => v.to_string(),
        Some(other) => {
            return Err(Error::type_error(
                "body",
                "the message body (text, or a mapping as its JSON)",
                kind_of(other),
            ))
        }
    };
    Ok(SnsMessage { attributes, body })
}

/// The policy's verdict on a message.
pub fn evaluate(
    policy: &FilterPolicy,
    attributes: Option<&Value>,
    body: Option<&Value>,
) -> Result<FilterOutcome, Error> {
    Ok(policy.evaluate(&sns_message(attributes, body)?))
}

/// A protocol as SNS spells it.
pub fn protocol(name: &str) -> Result<Protocol, Error> {
    Protocol::parse(name).ok_or_else(|| {
        AS_WRITTEN.error(&UnknownName::new(
            "protocol",
            format!(
                "expected protocol `sqs`, `lambda`, `http`, `https`, `email`, `email-json`, `sms`, `application` or `firehose`, found `{name}`"
            ),
        ))
    })
}

/// Subscribes `name` with `protocol` and an optional policy (a mapping or JSON text, as
/// `Subscribe` takes `FilterPolicy`) read for `scope`; a bad scope is refused also without a
/// policy.
pub fn subscribe(
    topic: &mut Topic,
    name: &str,
    protocol_name: &str,
    policy_data: Option<&Value>,
    scope: Option<&str>,
) -> Result<(), Error> {
    let scope = filter_scope(scope)?;
    let filter_policy = match policy_data {
        None | Some(Value::Null) => None,
        Some(p) => Some(policy_for(p, scope)?),
    };
    topic
        .subscribe(Subscription {
            name: name.to_string(),
            protocol: protocol(protocol_name)?,
            filter_policy,
        })
        .map_err(|e| AS_WRITTEN.error(&e))
}

/// What publishing the message does for each subscription.
pub fn publish(
    topic: &Topic,
    attributes: Option<&Value>,
    body: Option<&Value>,
) -> Result<Vec<Delivery>, Error> {
    Ok(topic.publish(&sns_message(attributes, body)?))
}

/// A topic by name.
pub fn topic(name: &str) -> Result<Topic, Error> {
    Topic::new(name).map_err(|e| AS_WRITTEN.error(&e))
}

/// Whether a message passes `policy` (a mapping or JSON text) read for `scope`: the one-call
/// form of [`filter_policy`] and [`evaluate`].
pub fn filter_policy_matches(
    policy_data: &Value,
    attributes: Option<&Value>,
    body: Option<&Value>,
    scope: Option<&str>,
) -> Result<bool, Error> {
    let policy = filter_policy(policy_data, scope)?;
    Ok(evaluate(&policy, attributes, body)?.delivered)
}

/// [`filter_policy_matches`] with its options as one mapping: `attributes`, `body`, `scope`
/// (for hosts without keyword arguments); another key is refused.
pub fn filter_policy_matches_options(
    policy_data: &Value,
    options: Option<&Value>,
) -> Result<bool, Error> {
    let o = super::Fields::new(
        AS_WRITTEN,
        options,
        "options",
        &["attributes", "body", "scope"],
    )?;
    filter_policy_matches(
        policy_data,
        o.value("attributes"),
        o.value("body"),
        o.string("scope")?.as_deref(),
    )
}
