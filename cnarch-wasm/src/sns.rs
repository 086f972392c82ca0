//! SNS subscription filter policies (`FilterPolicy`, `filterPolicyMatches`) and topics
//! (`Topic`). Policies are objects or their JSON text.

use cnarch_core::events::sns::{FilterPolicy as CorePolicy, Topic as CoreTopic};
use cnarch_core::ffi;
use wasm_bindgen::prelude::*;

use crate::convert::{data, opt_data, opt_string, out, string};
use crate::error::OrJs;

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
