//! Data: cloud-native databases, storage, backup, monitoring, security, network policy.

use serde::{Deserialize, Serialize};
use url::Url;
use validator::Validate;

use super::Labels;
use crate::quantity::Quantity;
use crate::schedule::Schedule;
use crate::validate::field_rules as rules;

/// Database engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseType {
    /// PostgreSQL.
    Postgresql,
    /// MySQL.
    Mysql,
    /// MariaDB.
    Mariadb,
    /// MongoDB.
    Mongodb,
    /// Redis.
    Redis,
    /// Apache Cassandra.
    Cassandra,
    /// CockroachDB.
    Cockroachdb,
    /// Elasticsearch.
    Elasticsearch,
    /// Amazon DynamoDB.
    Dynamodb,
}

/// A database run the cloud-native way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudNativeDb {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// Engine.
    #[serde(rename = "type")]
    pub db_type: DatabaseType,
    /// Engine version (`16.2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::not_blank"))]
    pub version: Option<String>,
    /// Replicas (≥ 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1))]
    pub replicas: Option<i32>,
    /// Volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub storage: Option<Storage>,
    /// Backups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub backup: Option<Backup>,
    /// Monitoring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub monitoring: Option<Monitoring>,
    /// Security.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub security: Option<Security>,
}

/// Persistent-volume access modes (Kubernetes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AccessMode {
    /// One node, read-write.
    ReadWriteOnce,
    /// Many nodes, read-only.
    ReadOnlyMany,
    /// Many nodes, read-write.
    ReadWriteMany,
    /// One pod, read-write.
    ReadWriteOncePod,
}

/// A volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Storage {
    /// Size (> 0, e.g. `100Gi`).
    #[validate(custom(function = "rules::positive_quantity"))]
    pub size: Quantity,
    /// Storage class (DNS-1123 subdomain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub class: Option<String>,
    /// Access mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_mode: Option<AccessMode>,
    /// Survives pod deletion.
    #[serde(default)]
    pub persistent: bool,
}

/// Backups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Backup {
    /// Whether backups run.
    #[serde(default)]
    pub enabled: bool,
    /// When they run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// Days a backup is kept (≥ 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1))]
    pub retention: Option<i32>,
    /// Where they go (`s3://bucket/prefix`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Url>,
}

/// Monitoring.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Monitoring {
    /// Whether it is on.
    #[serde(default)]
    pub enabled: bool,
    /// Metric names (Prometheus names).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(custom(function = "rules::metric_name_list"))]
    pub metrics: Vec<String>,
    /// Log streams.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logs: Vec<String>,
    /// Alerts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub alerts: Vec<super::observability::Alert>,
}

/// Alert severities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Needs attention during working hours.
    Warning,
    /// Wakes someone up.
    Critical,
}

/// Security.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Security {
    /// Encryption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub encryption: Option<Encryption>,
    /// Access control.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<AccessControl>,
    /// Network policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub network: Option<NetworkPolicy>,
}

/// Encryption.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Encryption {
    /// Data at rest.
    #[serde(default)]
    pub at_rest: bool,
    /// Data in transit.
    #[serde(default)]
    pub in_transit: bool,
    /// Key reference (a KMS key id or secret name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::not_blank"))]
    pub key: Option<String>,
    /// Cipher (`AES-256-GCM`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::not_blank"))]
    pub algorithm: Option<String>,
}

/// Access control.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessControl {
    /// Role-based access control on.
    #[serde(default)]
    pub rbac: bool,
    /// Policy names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<String>,
    /// Role names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

/// Directions a network policy can isolate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PolicyType {
    /// Inbound traffic to the selected pods.
    Ingress,
    /// Outbound traffic from the selected pods.
    Egress,
}

/// A network policy in the networking.k8s.io/v1 shape. Inside a database's `security` only
/// `ingress`/`egress` are needed; the policy engine ([`crate::policy::network`]) also needs
/// `podSelector` (required there, as in Kubernetes) and takes `namespace` and `policyTypes`
/// (absent: `Ingress`, plus `Egress` when there are egress rules, as Kubernetes defaults it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkPolicy {
    /// Name (DNS-1123 subdomain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: Option<String>,
    /// Namespace (DNS-1123 label).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::dns1123_label"))]
    pub namespace: Option<String>,
    /// The pods it applies to (in its namespace); `{}` selects them all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub pod_selector: Option<LabelSelector>,
    /// Directions it isolates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_types: Vec<PolicyType>,
    /// Allowed inbound traffic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub ingress: Vec<IngressRule>,
    /// Allowed outbound traffic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub egress: Vec<EgressRule>,
}

impl NetworkPolicy {
    /// The directions it isolates, with Kubernetes' default when `policyTypes` is absent.
    pub fn effective_policy_types(&self) -> Vec<PolicyType> {
        if !self.policy_types.is_empty() {
            return self.policy_types.clone();
        }
        let mut out = vec![PolicyType::Ingress];
        if !self.egress.is_empty() {
            out.push(PolicyType::Egress);
        }
        out
    }
}

/// Inbound rule: from any listed peer, to any listed port.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressRule {
    /// Peers (empty: all sources).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub from: Vec<NetworkPolicyPeer>,
    /// Ports (empty: all ports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub ports: Vec<NetworkPolicyPort>,
}

/// Outbound rule: to any listed peer, on any listed port.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EgressRule {
    /// Peers (empty: all destinations).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub to: Vec<NetworkPolicyPeer>,
    /// Ports (empty: all ports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub ports: Vec<NetworkPolicyPort>,
}

/// A peer: pods by namespace and/or pod labels (both given: both must match), or an IP block.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[validate(schema(function = "peer_shape"))]
pub struct NetworkPolicyPeer {
    /// Namespaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub namespace_selector: Option<LabelSelector>,
    /// Pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub pod_selector: Option<LabelSelector>,
    /// Addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub ip_block: Option<IpBlock>,
}

fn peer_shape(p: &NetworkPolicyPeer) -> Result<(), validator::ValidationError> {
    let selectors = p.namespace_selector.is_some() || p.pod_selector.is_some();
    match (selectors, p.ip_block.is_some()) {
        (false, false) => Err(rules::fail(
            "invalid_peer",
            "expected one of podSelector, namespaceSelector or ipBlock, found none".to_string(),
        )),
        (true, true) => Err(rules::fail(
            "invalid_peer",
            "expected ipBlock alone, found it with a pod or namespace selector".to_string(),
        )),
        _ => Ok(()),
    }
}

/// A CIDR and the CIDRs inside it that are excluded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IpBlock {
    /// The block (`10.0.0.0/16`, `2001:db8::/32`).
    pub cidr: ipnet::IpNet,
    /// Excluded sub-blocks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<ipnet::IpNet>,
}

/// A port by number or by the name of a container port.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PortRef {
    /// A port number.
    Number(i32),
    /// A named container port (an IANA service name).
    Name(String),
}

/// A structured label selector (metav1 `LabelSelector`): every `matchLabels` pair and every
/// `matchExpressions` requirement must hold. Empty selects everything; a missing selector
/// (an absent field) selects nothing. [`crate::labels::Selector::from_label_selector`] gives
/// its exact semantics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabelSelector {
    /// Labels that must all be present with these values.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    #[validate(custom(function = "rules::labels"))]
    pub match_labels: Labels,
    /// Set-based requirements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// Operators of structured selectors (`Gt`/`Lt` exist only for node selectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LabelSelectorOperator {
    /// The value is one of `values`.
    In,
    /// The key is absent or its value is none of `values`.
    NotIn,
    /// The key is present.
    Exists,
    /// The key is absent.
    DoesNotExist,
}

/// One set-based requirement: `In`/`NotIn` need values, `Exists`/`DoesNotExist` take none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[validate(schema(function = "selector_requirement_values"))]
pub struct LabelSelectorRequirement {
    /// Label key.
    #[validate(custom(function = "rules::label_key"))]
    pub key: String,
    /// Operator.
    pub operator: LabelSelectorOperator,
    /// Values (label values).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(custom(function = "rules::label_values"))]
    pub values: Vec<String>,
}

fn selector_requirement_values(
    r: &LabelSelectorRequirement,
) -> Result<(), validator::ValidationError> {
    match (r.operator, r.values.is_empty()) {
        (LabelSelectorOperator::In | LabelSelectorOperator::NotIn, true) => Err(rules::fail(
            "invalid_selector_values",
            format!(
                "expected values for `{:?}` on `{}`, found none",
                r.operator, r.key
            ),
        )),
        (LabelSelectorOperator::Exists | LabelSelectorOperator::DoesNotExist, false) => {
            Err(rules::fail(
                "invalid_selector_values",
                format!(
                    "expected no values for `{:?}` on `{}`, found {}",
                    r.operator,
                    r.key,
                    r.values.len()
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// Transport protocols a network policy port names (Kubernetes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum NetworkProtocol {
    /// TCP (Kubernetes' default).
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl std::str::FromStr for NetworkProtocol {
    type Err = crate::error::UnknownName;
    /// `TCP`, `UDP` or `SCTP`, as Kubernetes spells them.
    fn from_str(s: &str) -> Result<Self, crate::error::UnknownName> {
        match s {
            "TCP" => Ok(NetworkProtocol::Tcp),
            "UDP" => Ok(NetworkProtocol::Udp),
            "SCTP" => Ok(NetworkProtocol::Sctp),
            other => Err(crate::error::UnknownName::new(
                "protocol",
                format!("expected protocol `TCP`, `UDP` or `SCTP`, found `{other}`"),
            )),
        }
    }
}

/// A port in a network policy rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[validate(schema(function = "port_range"))]
pub struct NetworkPolicyPort {
    /// Protocol (Kubernetes defaults to TCP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<NetworkProtocol>,
    /// Port number (1–65535) or container port name (absent: all ports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<PortRef>,
    /// Last port of a range starting at `port` (numeric `port` only; `endPort ≥ port`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_port: Option<i32>,
}

fn port_range(p: &NetworkPolicyPort) -> Result<(), validator::ValidationError> {
    match (&p.port, p.end_port) {
        (Some(PortRef::Number(n)), _) if !(1..=65535).contains(n) => {
            Err(rules::fail("out_of_range", format!("expected a port between 1 and 65535, found {n}")))
        }
        (Some(PortRef::Name(name)), _) if !rules::is_port_name(name) => Err(rules::fail(
            "invalid_port_name",
            format!("expected a port name (at most 15 lowercase letters, digits and '-', with a letter, no '--'), found `{name}`"),
        )),
        (Some(PortRef::Number(n)), Some(e)) if e < *n || e > 65535 => {
            Err(rules::fail("out_of_range", format!("expected endPort between port ({n}) and 65535, found {e}")))
        }
        (Some(PortRef::Name(_)) | None, Some(_)) => {
            Err(rules::fail("invalid_end_port", "expected endPort only with a numeric port".to_string()))
        }
        _ => Ok(()),
    }
}
