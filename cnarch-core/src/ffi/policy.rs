//! Policy engines from plain data. Namespaces, pods, NetworkPolicies, mesh policies and
//! requests are Kubernetes- and Istio-shaped (camelCase), the same in every language.

use serde_json::Value;

use super::{read, Error, Host};
use crate::model::data::{NetworkPolicy, NetworkProtocol};
use crate::model::mesh::MeshPolicy;
use crate::policy::mesh::{authorize as mesh_authorize, AuthzVerdict, Request};
use crate::policy::network::{Namespace, NetworkPolicyEngine, Pod};

/// Kubernetes-shaped data is read as written, whatever the host's spelling.
const AS_WRITTEN: Host = Host::RUST;

/// The engine for `namespaces` (`{name, labels}`), `pods` (`{namespace, name, labels, ips,
/// ports}`) and NetworkPolicy objects.
pub fn engine(
    host: Host,
    namespaces: &Value,
    pods: &Value,
    policies: &Value,
) -> Result<NetworkPolicyEngine, Error> {
    let namespaces: Vec<Namespace> = read(AS_WRITTEN, namespaces, "namespaces", &[])?;
    let pods: Vec<Pod> = read(AS_WRITTEN, pods, "pods", &[])?;
    let policies: Vec<NetworkPolicy> = read(AS_WRITTEN, policies, "policies", &[])?;
    NetworkPolicyEngine::new(namespaces, pods, &policies).map_err(|e| host.error(&e))
}

/// A protocol name (`TCP` when absent).
pub fn protocol(host: Host, p: Option<&str>) -> Result<NetworkProtocol, Error> {
    p.unwrap_or("TCP").parse().map_err(|e| host.error(&e))
}

/// Decides `request` against mesh `policies` (Istio AuthorizationPolicy semantics).
pub fn authorize(_host: Host, policies: &Value, request: &Value) -> Result<AuthzVerdict, Error> {
    let policies: Vec<MeshPolicy> = read(AS_WRITTEN, policies, "policies", &[])?;
    let request: Request = read(AS_WRITTEN, request, "request", &[])?;
    Ok(mesh_authorize(&policies, &request))
}
