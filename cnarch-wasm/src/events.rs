//! EventBridge event patterns: one at a time (`patternMatches`), or many compiled into a
//! `PatternMatcher`. Patterns and events are objects or their JSON text. SNS filter policies
//! (`FilterPolicy`) and topics (`Topic`).

use cnarch_core::events::sns::{FilterPolicy as CorePolicy, Topic as CoreTopic};
use cnarch_core::events::PatternMatcher as CoreMatcher;
use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{data, number, opt_data, opt_string, out, string, to_js_value};
use crate::error::OrJs;

/// Whether `event` matches the EventBridge `pattern`.
#[wasm_bindgen(js_name = patternMatches)]
pub fn pattern_matches(pattern: JsValue, event: JsValue) -> Result<bool, JsValue> {
    ffi::events::matches(&data(&pattern, "pattern")?, &data(&event, "event")?).or_js()
}

/// Many named event patterns compiled into one index.
#[wasm_bindgen]
#[derive(Debug, Default)]
pub struct PatternMatcher(CoreMatcher);

#[wasm_bindgen]
impl PatternMatcher {
    /// An empty matcher.
    #[wasm_bindgen(constructor)]
    pub fn new() -> PatternMatcher {
        PatternMatcher::default()
    }

    /// Adds `pattern` under `name`; the same name again adds an alternative (an OR).
    pub fn add(&mut self, name: JsValue, pattern: JsValue) -> Result<(), JsValue> {
        let name = string(&name, "name")?;
        ffi::events::add(&mut self.0, &name, &data(&pattern, "pattern")?).or_js()
    }

    /// Removes every pattern under `name`; whether there was one.
    pub fn remove(&mut self, name: JsValue) -> Result<bool, JsValue> {
        Ok(self.0.remove(&string(&name, "name")?))
    }

    /// Whether a rule is held under `name`.
    pub fn has(&self, name: JsValue) -> Result<bool, JsValue> {
        Ok(self.0.contains(&string(&name, "name")?))
    }

    /// The names whose patterns match `event`, sorted.
    #[wasm_bindgen(js_name = match)]
    pub fn match_event(&self, event: JsValue) -> Result<Vec<String>, JsValue> {
        ffi::events::match_event(&self.0, &data(&event, "event")?).or_js()
    }

    /// The rule names, sorted.
    #[wasm_bindgen(getter)]
    pub fn names(&self) -> Vec<String> {
        self.0.names()
    }

    /// The number of rule names.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.0.len()
    }
}

/// An SNS subscription filter policy, checked against SNS's operators and limits.
#[wasm_bindgen]
#[derive(Debug)]
pub struct FilterPolicy(CorePolicy);

#[wasm_bindgen]
impl FilterPolicy {
    /// A policy (an object or its JSON text) for `scope`: `MessageAttributes` (the default)
    /// or `MessageBody`.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: JsValue, scope: JsValue) -> Result<FilterPolicy, JsValue> {
        let scope = opt_string(&scope, "scope")?;
        ffi::events::filter_policy(&data(&policy, "policy")?, scope.as_deref())
            .map(FilterPolicy)
            .or_js()
    }

    /// `MessageAttributes` or `MessageBody`.
    #[wasm_bindgen(getter)]
    pub fn scope(&self) -> String {
        self.0.scope().as_str().to_string()
    }

    /// The keys the policy names, sorted.
    #[wasm_bindgen(getter)]
    pub fn keys(&self) -> Vec<String> {
        self.0.keys().to_vec()
    }

    /// The value combinations SNS counts against its 150.
    #[wasm_bindgen(getter)]
    pub fn combinations(&self) -> f64 {
        self.0.combinations() as f64
    }

    /// The verdict on a message: `{delivered, failedKeys, reason?}`.
    pub fn evaluate(&self, attributes: JsValue, body: JsValue) -> Result<JsValue, JsValue> {
        let a = opt_data(&attributes, "attributes")?;
        let b = opt_data(&body, "body")?;
        let r = ffi::events::evaluate(&self.0, a.as_ref(), b.as_ref()).or_js()?;
        out(&r)
    }

    /// Whether the policy accepts the message.
    pub fn matches(&self, attributes: JsValue, body: JsValue) -> Result<bool, JsValue> {
        let a = opt_data(&attributes, "attributes")?;
        let b = opt_data(&body, "body")?;
        Ok(ffi::events::evaluate(&self.0, a.as_ref(), b.as_ref())
            .or_js()?
            .delivered)
    }
}

/// An SNS topic with its subscriptions.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Topic(CoreTopic);

#[wasm_bindgen]
impl Topic {
    /// A topic by name (a FIFO topic's ends in `.fifo`).
    #[wasm_bindgen(constructor)]
    pub fn new(name: JsValue) -> Result<Topic, JsValue> {
        ffi::events::topic(&string(&name, "name")?)
            .map(Topic)
            .or_js()
    }

    /// The topic's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.0.name().to_string()
    }

    /// Whether it is a FIFO topic.
    #[wasm_bindgen(getter)]
    pub fn fifo(&self) -> bool {
        self.0.is_fifo()
    }

    /// The subscription names, in order.
    #[wasm_bindgen(getter)]
    pub fn subscriptions(&self) -> Vec<String> {
        self.0
            .subscriptions()
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// Subscribes `name` with `protocol` and an optional filter policy (an object or its JSON
    /// text, as `Subscribe` takes `FilterPolicy`) read for `scope` (`MessageAttributes` when
    /// absent).
    pub fn subscribe(
        &mut self,
        name: JsValue,
        protocol: JsValue,
        policy: JsValue,
        scope: JsValue,
    ) -> Result<(), JsValue> {
        let name = string(&name, "name")?;
        let protocol = string(&protocol, "protocol")?;
        let scope = opt_string(&scope, "scope")?;
        let policy = opt_data(&policy, "policy")?;
        ffi::events::subscribe(
            &mut self.0,
            &name,
            &protocol,
            policy.as_ref(),
            scope.as_deref(),
        )
        .or_js()
    }

    /// Removes a subscription; whether it was there.
    pub fn unsubscribe(&mut self, name: JsValue) -> Result<bool, JsValue> {
        Ok(self.0.unsubscribe(&string(&name, "name")?))
    }

    /// What publishing the message does for each subscription, in order.
    pub fn publish(&self, attributes: JsValue, body: JsValue) -> Result<JsValue, JsValue> {
        let a = opt_data(&attributes, "attributes")?;
        let b = opt_data(&body, "body")?;
        let r = ffi::events::publish(&self.0, a.as_ref(), b.as_ref()).or_js()?;
        out(&r)
    }
}

/// Whether a message passes the SNS filter `policy`; `options`: `{attributes, body, scope}`.
#[wasm_bindgen(js_name = filterPolicyMatches)]
pub fn filter_policy_matches(policy: JsValue, options: JsValue) -> Result<bool, JsValue> {
    let options = opt_data(&options, "options")?;
    ffi::events::filter_policy_matches_options(&data(&policy, "policy")?, options.as_ref()).or_js()
}

/// A simulated SQS queue with its dead-letter queue; times in milliseconds, queue
/// attributes in AWS's names and units (seconds).
#[wasm_bindgen]
#[derive(Debug)]
pub struct Queue(pub(crate) cnarch_core::events::sqs::Queue);

const HOST: ffi::Host = ffi::Host::JS;

#[wasm_bindgen]
impl Queue {
    /// A queue named `name` with CreateQueue's `attributes` and its dead-letter queue's.
    #[wasm_bindgen(constructor)]
    pub fn new(
        name: JsValue,
        attributes: JsValue,
        dead_letter_attributes: JsValue,
    ) -> Result<Queue, JsValue> {
        let name = string(&name, "name")?;
        let a = opt_data(&attributes, "attributes")?;
        let d = opt_data(&dead_letter_attributes, "deadLetterAttributes")?;
        ffi::sqs::queue(HOST, &name, a.as_ref(), d.as_ref())
            .map(Queue)
            .or_js()
    }

    /// The queue's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.0.name().to_string()
    }

    /// The dead-letter queue's name, or `undefined`.
    #[wasm_bindgen(getter, js_name = deadLetterName)]
    pub fn dead_letter_name(&self) -> Option<String> {
        self.0.dead_letter_name().map(str::to_string)
    }

    /// Whether it is a FIFO queue.
    #[wasm_bindgen(getter)]
    pub fn fifo(&self) -> bool {
        self.0.is_fifo()
    }

    /// SendMessage at `now` (ms); `options`: `{delaySeconds, messageGroupId,
    /// messageDeduplicationId}`.
    pub fn send(
        &mut self,
        now: JsValue,
        body: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let now = number(&now, "now")?;
        let body = string(&body, "body")?;
        let o = opt_data(&options, "options")?;
        to_js_value(&ffi::sqs::send(HOST, &mut self.0, now, &body, o.as_ref()).or_js()?)
    }

    /// ReceiveMessage at `now` (ms); `options`: `{maxMessages, visibilityTimeout,
    /// waitTimeSeconds, deadLetter}`.
    pub fn receive(&mut self, now: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let now = number(&now, "now")?;
        let o = opt_data(&options, "options")?;
        to_js_value(&ffi::sqs::receive(HOST, &mut self.0, now, o.as_ref()).or_js()?)
    }

    /// DeleteMessage at `now` (ms) by the message's latest receipt handle.
    pub fn delete(&mut self, now: JsValue, receipt_handle: JsValue) -> Result<(), JsValue> {
        let now = number(&now, "now")?;
        let h = string(&receipt_handle, "receiptHandle")?;
        ffi::sqs::delete(HOST, &mut self.0, now, &h).or_js()
    }

    /// ChangeMessageVisibility at `now` (ms): visible again `visibilityTimeout` whole seconds
    /// from now.
    #[wasm_bindgen(js_name = changeVisibility)]
    pub fn change_visibility(
        &mut self,
        now: JsValue,
        receipt_handle: JsValue,
        visibility_timeout: JsValue,
    ) -> Result<(), JsValue> {
        let now = number(&now, "now")?;
        let h = string(&receipt_handle, "receiptHandle")?;
        let t = number(&visibility_timeout, "visibilityTimeout")?;
        ffi::sqs::change_visibility(HOST, &mut self.0, now, &h, t).or_js()
    }

    /// The queue's numbers at `now` (ms), its dead-letter queue's under `deadLetter`.
    pub fn metrics(&mut self, now: JsValue) -> Result<JsValue, JsValue> {
        let now = number(&now, "now")?;
        to_js_value(&ffi::sqs::metrics(HOST, &mut self.0, now).or_js()?)
    }
}
