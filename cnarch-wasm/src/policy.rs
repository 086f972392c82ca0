//! Kubernetes NetworkPolicy evaluation and Istio-style mesh authorization.

use cnarch_core::ffi;
use cnarch_core::policy::network::NetworkPolicyEngine as CoreEngine;
use wasm_bindgen::prelude::*;

use crate::convert::{data, opt_string, string, to_js_value, whole};
use crate::error::{OrJs, HOST};

/// Namespaces, pods and NetworkPolicies, ready to decide connections.
#[wasm_bindgen]
#[derive(Debug)]
pub struct NetworkPolicyEngine(CoreEngine);

#[wasm_bindgen]
impl NetworkPolicyEngine {
    /// Builds the engine from plain objects. Throws `PolicyError`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        namespaces: JsValue,
        pods: JsValue,
        policies: JsValue,
    ) -> Result<NetworkPolicyEngine, JsValue> {
        ffi::policy::engine(
            HOST,
            &data(&namespaces, "namespaces")?,
            &data(&pods, "pods")?,
            &data(&policies, "policies")?,
        )
        .map(NetworkPolicyEngine)
        .or_js()
    }

    /// Decides a connection; endpoints are `"namespace/name"` or an IP address.
    pub fn evaluate(
        &self,
        from: JsValue,
        to: JsValue,
        port: JsValue,
        protocol: JsValue,
    ) -> Result<JsValue, JsValue> {
        let port: u16 = whole(&port, "port")?;
        let proto =
            ffi::policy::protocol(HOST, opt_string(&protocol, "protocol")?.as_deref()).or_js()?;
        let v = self
            .0
            .evaluate_str(&string(&from, "from")?, &string(&to, "to")?, port, proto)
            .or_js()?;
        to_js_value(&v)
    }

    /// The pod-to-pod truth table for one port.
    pub fn connectivity(&self, port: JsValue, protocol: JsValue) -> Result<JsValue, JsValue> {
        let port: u16 = whole(&port, "port")?;
        let proto =
            ffi::policy::protocol(HOST, opt_string(&protocol, "protocol")?.as_deref()).or_js()?;
        to_js_value(&self.0.connectivity(port, proto))
    }

    /// `namespace/name` of the policies that select a pod.
    #[wasm_bindgen(js_name = policiesSelecting)]
    pub fn policies_selecting(
        &self,
        namespace: JsValue,
        name: JsValue,
    ) -> Result<JsValue, JsValue> {
        let v = self
            .0
            .policies_selecting(&string(&namespace, "namespace")?, &string(&name, "name")?)
            .or_js()?;
        to_js_value(&v)
    }
}

/// Decides a request against mesh policies with Istio AuthorizationPolicy semantics.
#[wasm_bindgen]
pub fn authorize(policies: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let v = ffi::policy::authorize(
        HOST,
        &data(&policies, "policies")?,
        &data(&request, "request")?,
    )
    .or_js()?;
    to_js_value(&v)
}
