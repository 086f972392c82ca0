//! Workloads: apps, microservices, deployments, services, config, ingress, probes, scaling.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use validator::Validate;

use super::Labels;
use crate::quantity::Quantity;
use crate::validate::field_rules as rules;

/// A cloud-native application: its image and resources, and the Kubernetes objects around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CloudNativeApp {
    /// DNS-1035 label (it names a Service too).
    #[validate(custom(function = "rules::dns1035_label"))]
    pub name: String,
    /// DNS-1123 label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::dns1123_label"))]
    pub namespace: Option<String>,
    /// Desired replicas (≥ 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0))]
    pub replicas: Option<i32>,
    /// Container image reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::not_blank"))]
    pub image: Option<String>,
    /// Resource requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub resources: Option<Resources>,
    /// Services (the design declared this field twice; it is one list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub services: Vec<Service>,
    /// Config maps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub config_maps: Vec<ConfigMap>,
    /// Secrets.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub secrets: Vec<Secret>,
    /// Deployments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub deployments: Vec<Deployment>,
    /// Ingress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub ingress: Option<Ingress>,
}

/// Compute and storage amounts, as Kubernetes quantities.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Resources {
    /// CPU (`500m`, `2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::non_negative_quantity"))]
    pub cpu: Option<Quantity>,
    /// Memory (`512Mi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::non_negative_quantity"))]
    pub memory: Option<Quantity>,
    /// Storage (`10Gi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::non_negative_quantity"))]
    pub storage: Option<Quantity>,
}

/// Kubernetes Service types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ServiceType {
    /// Cluster-internal virtual IP (Kubernetes' default).
    ClusterIP,
    /// A port on every node.
    NodePort,
    /// An external load balancer.
    LoadBalancer,
    /// A CNAME to an external name.
    ExternalName,
}

/// A Kubernetes Service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Service {
    /// DNS-1035 label.
    #[validate(custom(function = "rules::dns1035_label"))]
    pub name: String,
    /// Service port, 1–65535.
    #[validate(range(min = 1, max = 65535))]
    pub port: i32,
    /// Container port, 1–65535 (Kubernetes defaults it to `port`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 65535))]
    pub target_port: Option<i32>,
    /// Service type (Kubernetes defaults to `ClusterIP`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub service_type: Option<ServiceType>,
    /// Pod selector.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    #[validate(custom(function = "rules::labels"))]
    pub selector: Labels,
}

impl Service {
    /// The target port, defaulted to `port` as Kubernetes does.
    pub fn target_port_or_default(&self) -> i32 {
        self.target_port.unwrap_or(self.port)
    }
}

/// A Kubernetes ConfigMap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMap {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// Entries; keys follow Kubernetes' config map key rule.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[validate(custom(function = "rules::config_map_keys"))]
    pub data: BTreeMap<String, String>,
}

/// A Kubernetes Secret. `data` values are base64, as in the Kubernetes API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Secret {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// Secret type (`Opaque`, `kubernetes.io/tls`, ...; Kubernetes defaults to `Opaque`). The
    /// set is open in Kubernetes, so it stays a string.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::not_blank"))]
    pub secret_type: Option<String>,
    /// Base64-encoded values.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[validate(custom(function = "secret_data"))]
    pub data: BTreeMap<String, String>,
}

fn secret_data(map: &BTreeMap<String, String>) -> Result<(), validator::ValidationError> {
    use base64::Engine;
    rules::config_map_keys(map)?;
    for (k, v) in map {
        if base64::engine::general_purpose::STANDARD.decode(v).is_err() {
            return Err(rules::fail("invalid_base64", format!("expected base64 data for key `{k}` (as Kubernetes stores secret data), found `{v}`")));
        }
    }
    Ok(())
}

/// A Kubernetes Deployment, reduced to what the model needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Deployment {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// Replicas (≥ 0; Kubernetes defaults to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0))]
    pub replicas: Option<i32>,
    /// Container image.
    #[validate(custom(function = "rules::not_blank"))]
    pub image: String,
    /// Container port, 1–65535.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 65535))]
    pub port: Option<i32>,
    /// Environment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(nested)]
    pub env: Vec<EnvVar>,
}

/// One environment variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvVar {
    /// Kubernetes env var name.
    #[validate(custom(function = "rules::env_var_name"))]
    pub name: String,
    /// Value (may be empty).
    #[serde(default)]
    pub value: String,
}

/// A Kubernetes Ingress with one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Ingress {
    /// DNS-1123 subdomain.
    #[validate(custom(function = "rules::dns1123_subdomain"))]
    pub name: String,
    /// Host (a DNS-1123 subdomain, optionally `*.`-prefixed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::host_name"))]
    pub host: Option<String>,
    /// Path, starting with `/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::http_path"))]
    pub path: Option<String>,
    /// Backend Service name (DNS-1035 label).
    #[validate(custom(function = "rules::dns1035_label"))]
    pub service: String,
    /// Backend port, 1–65535.
    #[validate(range(min = 1, max = 65535))]
    pub port: i32,
    /// Terminate TLS.
    #[serde(default)]
    pub tls: bool,
}

/// A microservice running on Kubernetes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Microservice {
    /// DNS-1035 label (it names a Service too).
    #[validate(custom(function = "rules::dns1035_label"))]
    pub name: String,
    /// DNS-1123 label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(custom(function = "rules::dns1123_label"))]
    pub namespace: Option<String>,
    /// Container image.
    #[validate(custom(function = "rules::not_blank"))]
    pub image: String,
    /// Replicas (≥ 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0))]
    pub replicas: Option<i32>,
    /// Resource requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub resources: Option<Resources>,
    /// Environment variables by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[validate(custom(function = "rules::env_map"))]
    pub environment: BTreeMap<String, String>,
    /// Secret names it mounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(custom(function = "rules::subdomain_list"))]
    pub secrets: Vec<String>,
    /// Config map names it mounts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(custom(function = "rules::subdomain_list"))]
    pub config_maps: Vec<String>,
    /// Names of the services it calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[validate(custom(function = "rules::subdomain_list"))]
    pub dependencies: Vec<String>,
    /// Probes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub health_check: Option<HealthCheck>,
    /// Autoscaling bounds and targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub scaling: Option<Scaling>,
}

/// The three Kubernetes probes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HealthCheck {
    /// Restarts the container when it fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub liveness: Option<Probe>,
    /// Removes the pod from endpoints when it fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub readiness: Option<Probe>,
    /// Holds off the others until it succeeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub startup: Option<Probe>,
}

/// How a probe checks the container: exactly one handler, as Kubernetes requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeHandler {
    /// HTTP GET; success is a status in 200–399.
    HttpGet(HttpGetAction),
    /// A TCP connection opens.
    TcpSocket(TcpSocketAction),
    /// A command exits with 0.
    Exec(ExecAction),
}

/// A Kubernetes probe. Absent timings take Kubernetes' defaults only through the
/// `*_or_default` accessors (initial delay 0 s, period 10 s, timeout 1 s, failure threshold 3,
/// success threshold 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(try_from = "RawProbe", into = "RawProbe")]
pub struct Probe {
    /// The check; on the wire exactly one of the keys `httpGet`, `tcpSocket`, `exec`.
    #[validate(nested)]
    pub handler: ProbeHandler,
    /// Seconds before the first check (≥ 0).
    #[validate(range(min = 0))]
    pub initial_delay_seconds: Option<i32>,
    /// Seconds between checks (≥ 1).
    #[validate(range(min = 1))]
    pub period_seconds: Option<i32>,
    /// Seconds before a check times out (≥ 1).
    #[validate(range(min = 1))]
    pub timeout_seconds: Option<i32>,
    /// Consecutive failures to fail (≥ 1).
    #[validate(range(min = 1))]
    pub failure_threshold: Option<i32>,
    /// Consecutive successes to succeed (≥ 1; exactly 1 for liveness and startup).
    #[validate(range(min = 1))]
    pub success_threshold: Option<i32>,
}

impl Probe {
    /// Initial delay, Kubernetes default 0.
    pub fn initial_delay_seconds_or_default(&self) -> i32 {
        self.initial_delay_seconds.unwrap_or(0)
    }
    /// Period, Kubernetes default 10.
    pub fn period_seconds_or_default(&self) -> i32 {
        self.period_seconds.unwrap_or(10)
    }
    /// Timeout, Kubernetes default 1.
    pub fn timeout_seconds_or_default(&self) -> i32 {
        self.timeout_seconds.unwrap_or(1)
    }
    /// Failure threshold, Kubernetes default 3.
    pub fn failure_threshold_or_default(&self) -> i32 {
        self.failure_threshold.unwrap_or(3)
    }
    /// Success threshold, Kubernetes default 1.
    pub fn success_threshold_or_default(&self) -> i32 {
        self.success_threshold.unwrap_or(1)
    }
}

/// The wire shape of a probe (Kubernetes' keys).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawProbe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    http_get: Option<HttpGetAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tcp_socket: Option<TcpSocketAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    exec: Option<ExecAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    initial_delay_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timeout_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    failure_threshold: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    success_threshold: Option<i32>,
}

/// Message prefix the loader maps to the `probe_handler` code.
pub(crate) const PROBE_HANDLER_MESSAGE: &str = "expected exactly one probe handler";

impl TryFrom<RawProbe> for Probe {
    type Error = String;
    fn try_from(r: RawProbe) -> Result<Self, String> {
        let mut found = Vec::new();
        if r.http_get.is_some() {
            found.push("httpGet");
        }
        if r.tcp_socket.is_some() {
            found.push("tcpSocket");
        }
        if r.exec.is_some() {
            found.push("exec");
        }
        let handler = match (r.http_get, r.tcp_socket, r.exec) {
            (Some(h), None, None) => ProbeHandler::HttpGet(h),
            (None, Some(t), None) => ProbeHandler::TcpSocket(t),
            (None, None, Some(e)) => ProbeHandler::Exec(e),
            _ => {
                let what = if found.is_empty() {
                    "none".to_string()
                } else {
                    found.join(", ")
                };
                return Err(format!(
                    "{PROBE_HANDLER_MESSAGE} (httpGet, tcpSocket or exec), found {what}"
                ));
            }
        };
        Ok(Probe {
            handler,
            initial_delay_seconds: r.initial_delay_seconds,
            period_seconds: r.period_seconds,
            timeout_seconds: r.timeout_seconds,
            failure_threshold: r.failure_threshold,
            success_threshold: r.success_threshold,
        })
    }
}

impl From<Probe> for RawProbe {
    fn from(p: Probe) -> RawProbe {
        let (http_get, tcp_socket, exec) = match p.handler {
            ProbeHandler::HttpGet(h) => (Some(h), None, None),
            ProbeHandler::TcpSocket(t) => (None, Some(t), None),
            ProbeHandler::Exec(e) => (None, None, Some(e)),
        };
        RawProbe {
            http_get,
            tcp_socket,
            exec,
            initial_delay_seconds: p.initial_delay_seconds,
            period_seconds: p.period_seconds,
            timeout_seconds: p.timeout_seconds,
            failure_threshold: p.failure_threshold,
            success_threshold: p.success_threshold,
        }
    }
}

/// HTTP GET probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HttpGetAction {
    /// Path, starting with `/`.
    #[validate(custom(function = "rules::http_path"))]
    pub path: String,
    /// Port, 1–65535.
    #[validate(range(min = 1, max = 65535))]
    pub port: i32,
}

/// TCP probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TcpSocketAction {
    /// Port, 1–65535.
    #[validate(range(min = 1, max = 65535))]
    pub port: i32,
}

/// Command probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExecAction {
    /// The command and its arguments (not run through a shell).
    #[validate(custom(function = "rules::non_empty_list"))]
    pub command: Vec<String>,
}

/// Horizontal scaling bounds and utilization targets (percent of the request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scaling {
    /// Lower bound (≥ 1; HPA's `minReplicas`).
    #[validate(range(min = 1))]
    pub min_replicas: i32,
    /// Upper bound (≥ min).
    #[validate(range(min = 1))]
    pub max_replicas: i32,
    /// CPU utilization target, 1–100 percent.
    #[serde(default, rename = "targetCPU", skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 100))]
    pub target_cpu: Option<i32>,
    /// Memory utilization target, 1–100 percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 100))]
    pub target_memory: Option<i32>,
}

impl Validate for ProbeHandler {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        let (field, result) = match self {
            ProbeHandler::HttpGet(h) => ("httpGet", h.validate()),
            ProbeHandler::TcpSocket(t) => ("tcpSocket", t.validate()),
            ProbeHandler::Exec(e) => ("exec", e.validate()),
        };
        validator::ValidationErrors::merge(Ok(()), field, result)
    }
}
