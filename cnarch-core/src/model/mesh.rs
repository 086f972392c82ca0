//! Service mesh: services and their weighted destinations, policies, traffic management.
//! Names and defaults follow Istio (`DestinationRule`, `VirtualService`, `AuthorizationPolicy`).

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::duration::Duration;
use crate::validate::field_rules as rules;

/// A service mesh and what it governs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceMesh {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// DNS-1123 label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::dns1123_label"))]
    pub namespace: Option<String>,
    /// Services in the mesh.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub services: Vec<MeshService>,
    /// Policies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub policies: Vec<MeshPolicy>,
    /// Mesh-wide traffic settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub traffic: Option<TrafficManagement>,
}

/// Protocols Istio recognises on a service port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Protocol {
    /// HTTP/1.1.
    Http,
    /// HTTP over TLS.
    Https,
    /// HTTP/2.
    Http2,
    /// gRPC.
    Grpc,
    /// Opaque TCP.
    Tcp,
    /// TLS passthrough.
    Tls,
    /// MongoDB.
    Mongo,
    /// MySQL.
    Mysql,
    /// Redis.
    Redis,
}

/// A service in the mesh and where its traffic goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshService {
    /// DNS-1035 label.
    #[validate(custom(function = "rules::dns1035_label"))]
    pub name: String,
    /// DNS-1123 label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::dns1123_label"))]
    pub namespace: Option<String>,
    /// Port, 1–65535.
    #[validate(range(min = 1, max = 65535))]
    pub port: i32,
    /// Protocol.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<Protocol>,
    /// Weighted destinations (weights ≥ 0 with a non-zero total).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub destinations: Vec<Destination>,
}

/// A weighted destination service (in a policy rule's `to`, the service may be a pattern).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Destination {
    /// Service name (DNS-1035 label), or in policy rules a pattern: `*`, `prefix*`, `*suffix`.
    #[validate(custom(function = "service_pattern"))]
    pub service: String,
    /// DNS-1123 label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::dns1123_label"))]
    pub namespace: Option<String>,
    /// Relative weight (≥ 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0))]
    pub weight: Option<i32>,
}

/// Kinds of mesh policy (Istio's security resources).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MeshPolicyType {
    /// Who may call what (`AuthorizationPolicy`).
    AuthorizationPolicy,
    /// mTLS mode between workloads (`PeerAuthentication`).
    PeerAuthentication,
    /// End-user JWT validation (`RequestAuthentication`).
    RequestAuthentication,
}

/// How a policy is enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Enforcement {
    /// Decisions are applied.
    Enforce,
    /// Decisions are logged only (Istio's `istio.io/dry-run`).
    DryRun,
}

/// A mesh policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeshPolicy {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// Kind of policy.
    #[serde(rename = "type")]
    pub policy_type: MeshPolicyType,
    /// Rules, evaluated in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub rules: Vec<PolicyRule>,
    /// Enforcement mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforcement: Option<Enforcement>,
}

/// One policy rule: from a source, to a destination, when conditions hold, then actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyRule {
    /// Requesting identities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub from: Option<Source>,
    /// Target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub to: Option<Destination>,
    /// Conditions (all must hold).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub when: Vec<Condition>,
    /// Actions when the rule matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub then: Vec<Action>,
}

/// Request source, as in Istio's `source`. Values match exactly, by prefix (`abc*`), by suffix
/// (`*abc`) or by presence (`*`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Source {
    /// Peer identities (`cluster.local/ns/default/sa/web`); one must match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principals: Vec<String>,
    /// Peer identities none of which may match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_principals: Vec<String>,
    /// Peer namespaces; one must match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(custom(function = "namespace_list"))]
    pub namespaces: Vec<String>,
    /// Peer namespaces none of which may match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(custom(function = "namespace_list"))]
    pub not_namespaces: Vec<String>,
}

fn service_pattern(s: &str) -> Result<(), validator::ValidationError> {
    if s == "*" || s.starts_with('*') || s.ends_with('*') {
        let inner = s.trim_matches('*');
        if !inner.contains('*') && !inner.contains(char::is_whitespace) {
            return Ok(());
        }
    }
    rules::dns1035_label(s)
}

fn namespace_list(list: &[String]) -> Result<(), validator::ValidationError> {
    list.iter()
        .filter(|n| n.as_str() != "*")
        .try_for_each(|n| rules::dns1123_label(n))
}

/// A condition on a request attribute (Istio's `when`): the attribute must be present, match
/// one of `values` (when given) and none of `notValues`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[validate(schema(function = "condition_values"))]
pub struct Condition {
    /// Attribute (`request.headers[x-token]`, `source.ip`).
    #[validate(custom(function = "rules::not_blank"))]
    pub key: String,
    /// Accepted values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Refused values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_values: Vec<String>,
}

fn condition_values(c: &Condition) -> Result<(), validator::ValidationError> {
    if c.values.is_empty() && c.not_values.is_empty() {
        Err(rules::fail(
            "required",
            format!(
                "expected `values` or `notValues` for `{}`, found neither",
                c.key
            ),
        ))
    } else {
        Ok(())
    }
}

/// What a matching rule does (Istio's authorization actions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ActionType {
    /// Let the request through.
    Allow,
    /// Reject the request.
    Deny,
    /// Record the request.
    Audit,
    /// Delegate to an external authorizer.
    Custom,
}

/// A policy action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Action {
    /// Action kind.
    #[serde(rename = "type")]
    pub action_type: ActionType,
    /// Argument (e.g. the provider of a `CUSTOM` action).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Traffic settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrafficManagement {
    /// Load balancing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancing: Option<LoadBalancing>,
    /// Outlier ejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub circuit_breaker: Option<CircuitBreaker>,
    /// Retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub retry: Option<Retry>,
    /// Request timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub timeout: Option<Timeout>,
}

/// Load-balancing algorithms (Istio's `LoadBalancerSettings.SimpleLB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LoadBalancingAlgorithm {
    /// Round robin.
    RoundRobin,
    /// Least outstanding requests (Istio's default).
    LeastRequest,
    /// Random.
    Random,
    /// Forward to the address the caller asked for.
    Passthrough,
}

/// Load balancing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancing {
    /// Algorithm.
    pub algorithm: LoadBalancingAlgorithm,
    /// Session affinity.
    #[serde(default)]
    pub sticky: bool,
}

/// Consecutive-error outlier ejection (Istio's `outlierDetection`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CircuitBreaker {
    /// Consecutive errors that eject a host (≥ 1).
    #[validate(range(min = 1))]
    pub consecutive_errors: i32,
    /// Time between ejection sweeps (positive).
    #[validate(custom(function = "rules::positive_duration"))]
    pub interval: Duration,
    /// Base ejection time (positive).
    #[validate(custom(function = "rules::positive_duration"))]
    pub timeout: Duration,
}

/// Retries (Istio's `HTTPRetry`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Retry {
    /// Retry attempts (≥ 1; omit the block to disable retries).
    #[validate(range(min = 1))]
    pub attempts: i32,
    /// Per-try timeout (positive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::positive_duration"))]
    pub timeout: Option<Duration>,
}

/// Request timeout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Timeout {
    /// Duration (positive).
    #[validate(custom(function = "rules::positive_duration"))]
    pub duration: Duration,
}
