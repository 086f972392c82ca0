//! Kubernetes NetworkPolicy evaluation (networking.k8s.io/v1 semantics, as the Kubernetes
//! documentation states them).
//!
//! - A pod is isolated for a direction when at least one policy in its namespace selects it
//!   (`podSelector`) and has that direction in its policy types (absent `policyTypes`:
//!   `Ingress`, plus `Egress` when the policy has egress rules).
//! - A connection needs egress allowed at the source pod and ingress allowed at the
//!   destination pod; a non-isolated pod allows everything in that direction, and an isolated
//!   one only what the union of the rules of the policies selecting it allows.
//! - A rule allows a connection when one of its peers matches the other end (no peers: every
//!   end) and one of its ports matches (no ports: every port).
//! - Peers: `podSelector` alone selects pods in the policy's namespace; `namespaceSelector`
//!   alone all pods in matching namespaces; both together pods matching both (AND); `ipBlock`
//!   the addresses in `cidr` outside every `except` (applied to external addresses and, here,
//!   to pod IPs too: Kubernetes leaves pod IPs in `ipBlock` to the implementation).
//! - Ports: protocol defaults to TCP; a number (with `endPort`, a range) or the name of a
//!   container port of the destination pod.
//!
//! Every verdict says why: per direction, the policy and rule that allowed it, or that the pod
//! is isolated by which policies and nothing allows it.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::labels::{LabelSet, Selector, SelectorParseError};
use crate::model::data::{
    IpBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkProtocol, PolicyType,
    PortRef,
};

/// A namespace and its labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Namespace {
    /// Name.
    pub name: String,
    /// Labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// A named container port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerPort {
    /// Port name (for named ports in policies).
    #[serde(default)]
    pub name: Option<String>,
    /// Port number.
    pub port: u16,
    /// Protocol (Kubernetes' default: TCP).
    #[serde(default = "tcp")]
    pub protocol: NetworkProtocol,
}

fn tcp() -> NetworkProtocol {
    NetworkProtocol::Tcp
}

/// A pod: where it runs, its labels, addresses and container ports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pod {
    /// Namespace.
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Pod IPs.
    #[serde(default)]
    pub ips: Vec<IpAddr>,
    /// Container ports.
    #[serde(default)]
    pub ports: Vec<ContainerPort>,
}

/// One end of a connection. As text: `namespace/name` for a pod, an IP address otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// A pod, by namespace and name.
    Pod {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
    },
    /// An address outside the cluster's pods.
    Ip(IpAddr),
}

impl Endpoint {
    /// Reads `namespace/name` (a pod) or an IPv4/IPv6 address.
    pub fn parse(text: &str) -> Result<Endpoint, PolicyError> {
        match text.split_once('/') {
            Some((ns, name)) if !ns.is_empty() && !name.is_empty() && !name.contains('/') => {
                Ok(Endpoint::Pod {
                    namespace: ns.to_string(),
                    name: name.to_string(),
                })
            }
            Some(_) => Err(PolicyError::Endpoint {
                input: text.to_string(),
            }),
            None => text
                .parse()
                .map(Endpoint::Ip)
                .map_err(|_| PolicyError::Endpoint {
                    input: text.to_string(),
                }),
        }
    }
}

impl std::str::FromStr for Endpoint {
    type Err = PolicyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Endpoint::parse(s)
    }
}

/// Why the engine could not be built or could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// A policy lacks a required field.
    #[error("policy `{policy}`: expected `{field}`, found nothing")]
    Missing {
        /// The policy.
        policy: String,
        /// The missing field.
        field: &'static str,
    },
    /// A selector in a policy is invalid.
    #[error("policy `{policy}`: {source}")]
    Selector {
        /// The policy.
        policy: String,
        /// The selector problem.
        source: SelectorParseError,
    },
    /// A policy breaks a rule of the NetworkPolicy schema.
    #[error("policy `{policy}` at `{path}`: {message}")]
    Invalid {
        /// The policy.
        policy: String,
        /// Where in the policy.
        path: String,
        /// What was expected.
        message: String,
    },
    /// An endpoint's text is neither `namespace/name` nor an IP address.
    #[error("invalid endpoint `{input}`: expected `namespace/name` for a pod or an IP address")]
    Endpoint {
        /// The text.
        input: String,
    },
    /// An endpoint names a pod the engine does not know.
    #[error("unknown pod `{namespace}/{name}`: expected a pod given to the engine")]
    UnknownPod {
        /// Namespace.
        namespace: String,
        /// Name.
        name: String,
    },
}

impl PolicyError {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::Missing { .. } => "missing_field",
            PolicyError::Selector { source, .. } => source.code(),
            PolicyError::UnknownPod { .. } => "unknown_pod",
            PolicyError::Endpoint { .. } => "invalid_endpoint",
            PolicyError::Invalid { .. } => "invalid_policy",
        }
    }
}

/// The outcome in one direction (as data: `{"verdict": "allowed", "policy": ..., "rule": ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum DirectionVerdict {
    /// The end is not a pod, so no policy applies on its side.
    NotApplicable,
    /// No policy isolates the pod in this direction: allowed.
    NotIsolated,
    /// Allowed by this rule (index into the policy's `ingress` or `egress` list).
    Allowed {
        /// `namespace/name` of the policy.
        policy: String,
        /// Rule index.
        rule: usize,
    },
    /// The pod is isolated by these policies and no rule of theirs allows the connection.
    Denied {
        /// `namespace/name` of each isolating policy.
        isolated_by: Vec<String>,
    },
}

impl DirectionVerdict {
    /// Does this direction let the connection through?
    pub fn allows(&self) -> bool {
        !matches!(self, DirectionVerdict::Denied { .. })
    }
}

/// Whether a connection is allowed, and why, per direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// Both directions allow it.
    pub allowed: bool,
    /// At the source pod.
    pub egress: DirectionVerdict,
    /// At the destination pod.
    pub ingress: DirectionVerdict,
}

impl fmt::Display for DirectionVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DirectionVerdict::NotApplicable => f.write_str("not applicable (not a pod)"),
            DirectionVerdict::NotIsolated => f.write_str("allowed (not isolated)"),
            DirectionVerdict::Allowed { policy, rule } => {
                write!(f, "allowed by `{policy}` rule {rule}")
            }
            DirectionVerdict::Denied { isolated_by } => write!(
                f,
                "denied (isolated by {}, no rule allows it)",
                isolated_by.join(", ")
            ),
        }
    }
}

enum Peer {
    Pods {
        namespaces: Option<Selector>,
        pods: Option<Selector>,
    },
    Block(IpBlock),
}

struct Rule {
    peers: Vec<Peer>,
    ports: Vec<NetworkPolicyPort>,
}

struct Compiled {
    id: String,
    namespace: String,
    selector: Selector,
    ingress_isolates: bool,
    egress_isolates: bool,
    ingress: Vec<Rule>,
    egress: Vec<Rule>,
}

/// Namespaces, pods and policies, ready to answer "is this connection allowed?".
pub struct NetworkPolicyEngine {
    namespaces: HashMap<String, LabelSet>,
    pods: Vec<Pod>,
    pod_sets: Vec<LabelSet>,
    by_name: HashMap<(String, String), usize>,
    policies: Vec<Compiled>,
}

impl fmt::Debug for NetworkPolicyEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "NetworkPolicyEngine({} namespaces, {} pods, {} policies)",
            self.namespaces.len(),
            self.pods.len(),
            self.policies.len()
        )
    }
}

fn compile_peer(p: &NetworkPolicyPeer, id: &str) -> Result<Peer, PolicyError> {
    let sel =
        |s: &Option<crate::model::data::LabelSelector>| -> Result<Option<Selector>, PolicyError> {
            s.as_ref()
                .map(|ls| {
                    Selector::from_label_selector(Some(ls)).map_err(|source| {
                        PolicyError::Selector {
                            policy: id.to_string(),
                            source,
                        }
                    })
                })
                .transpose()
        };
    Ok(match &p.ip_block {
        Some(b) => Peer::Block(b.clone()),
        None => Peer::Pods {
            namespaces: sel(&p.namespace_selector)?,
            pods: sel(&p.pod_selector)?,
        },
    })
}

impl NetworkPolicyEngine {
    /// Builds the engine. Every policy needs `namespace` and `podSelector`.
    pub fn new(
        namespaces: Vec<Namespace>,
        pods: Vec<Pod>,
        policies: &[NetworkPolicy],
    ) -> Result<Self, PolicyError> {
        let mut compiled = Vec::with_capacity(policies.len());
        for (i, p) in policies.iter().enumerate() {
            let label = p.name.clone().unwrap_or_else(|| format!("#{i}"));
            let namespace = p.namespace.clone().ok_or_else(|| PolicyError::Missing {
                policy: label.clone(),
                field: "namespace",
            })?;
            let id = format!("{namespace}/{label}");
            if let Err(errors) = validator::Validate::validate(p) {
                let mut found = Vec::new();
                crate::validate::fields::flatten("", &errors, &mut found);
                found.sort_by(|a, b| a.path.cmp(&b.path));
                if let Some(f) = found.into_iter().next() {
                    return Err(PolicyError::Invalid {
                        policy: id,
                        path: f.path,
                        message: f.message,
                    });
                }
            }
            let ls = p
                .pod_selector
                .as_ref()
                .ok_or_else(|| PolicyError::Missing {
                    policy: id.clone(),
                    field: "podSelector",
                })?;
            let selector = Selector::from_label_selector(Some(ls)).map_err(|source| {
                PolicyError::Selector {
                    policy: id.clone(),
                    source,
                }
            })?;
            let types = p.effective_policy_types();
            let rules = |peers: Vec<&Vec<NetworkPolicyPeer>>,
                         ports: Vec<&Vec<NetworkPolicyPort>>|
             -> Result<Vec<Rule>, PolicyError> {
                peers
                    .into_iter()
                    .zip(ports)
                    .map(|(peers, ports)| {
                        Ok(Rule {
                            peers: peers
                                .iter()
                                .map(|x| compile_peer(x, &id))
                                .collect::<Result<_, _>>()?,
                            ports: ports.clone(),
                        })
                    })
                    .collect()
            };
            let ingress = rules(
                p.ingress.iter().map(|r| &r.from).collect(),
                p.ingress.iter().map(|r| &r.ports).collect(),
            )?;
            let egress = rules(
                p.egress.iter().map(|r| &r.to).collect(),
                p.egress.iter().map(|r| &r.ports).collect(),
            )?;
            compiled.push(Compiled {
                id,
                namespace,
                selector,
                ingress_isolates: types.contains(&PolicyType::Ingress),
                egress_isolates: types.contains(&PolicyType::Egress),
                ingress,
                egress,
            });
        }
        let by_name = pods
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.namespace.clone(), p.name.clone()), i))
            .collect();
        let pod_sets = pods.iter().map(|p| LabelSet::new(&p.labels)).collect();
        let namespaces = namespaces
            .into_iter()
            .map(|n| (n.name, LabelSet::new(&n.labels)))
            .collect();
        Ok(NetworkPolicyEngine {
            namespaces,
            pods,
            pod_sets,
            by_name,
            policies: compiled,
        })
    }

    /// The pods, in the order given.
    pub fn pods(&self) -> &[Pod] {
        &self.pods
    }

    fn pod_by_name(&self, namespace: &str, name: &str) -> Result<usize, PolicyError> {
        self.by_name
            .get(&(namespace.to_string(), name.to_string()))
            .copied()
            .ok_or_else(|| PolicyError::UnknownPod {
                namespace: namespace.to_string(),
                name: name.to_string(),
            })
    }

    fn pod_index(&self, e: &Endpoint) -> Result<Option<usize>, PolicyError> {
        match e {
            Endpoint::Ip(_) => Ok(None),
            Endpoint::Pod { namespace, name } => self.pod_by_name(namespace, name).map(Some),
        }
    }

    /// The `namespace/name` of every policy that selects the pod (whatever its types).
    pub fn policies_selecting(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Vec<String>, PolicyError> {
        let i = self.pod_by_name(namespace, name)?;
        Ok(self.selecting(i).map(|p| p.id.clone()).collect())
    }

    fn selecting(&self, pod: usize) -> impl Iterator<Item = &Compiled> {
        self.selecting_indexed(pod).map(|(_, c)| c)
    }

    fn selecting_indexed(&self, pod: usize) -> impl Iterator<Item = (usize, &Compiled)> {
        let p = &self.pods[pod];
        let set = &self.pod_sets[pod];
        self.policies
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.namespace == p.namespace && c.selector.matches(set))
    }

    fn peer_matches(
        &self,
        peer: &Peer,
        policy_ns: &str,
        other: Option<usize>,
        other_ip: Option<IpAddr>,
    ) -> bool {
        match peer {
            Peer::Pods { namespaces, pods } => {
                let Some(i) = other else { return false };
                let pod = &self.pods[i];
                let ns_ok = match namespaces {
                    Some(sel) => self
                        .namespaces
                        .get(&pod.namespace)
                        .is_some_and(|labels| sel.matches(labels)),
                    None => pod.namespace == policy_ns,
                };
                ns_ok
                    && pods
                        .as_ref()
                        .is_none_or(|sel| sel.matches(&self.pod_sets[i]))
            }
            Peer::Block(b) => {
                let in_block =
                    |ip: &IpAddr| b.cidr.contains(ip) && !b.except.iter().any(|x| x.contains(ip));
                match (other, other_ip) {
                    (Some(i), _) => self.pods[i].ips.iter().any(in_block),
                    (None, Some(ip)) => in_block(&ip),
                    (None, None) => false,
                }
            }
        }
    }

    fn port_matches(
        p: &NetworkPolicyPort,
        port: u16,
        protocol: NetworkProtocol,
        dst: Option<&Pod>,
    ) -> bool {
        if p.protocol.unwrap_or(NetworkProtocol::Tcp) != protocol {
            return false;
        }
        match &p.port {
            None => true,
            Some(PortRef::Number(n)) => {
                let end = p.end_port.unwrap_or(*n);
                (i64::from(*n)..=i64::from(end)).contains(&i64::from(port))
            }
            Some(PortRef::Name(name)) => dst.is_some_and(|d| {
                d.ports.iter().any(|c| {
                    c.name.as_deref() == Some(name) && c.port == port && c.protocol == protocol
                })
            }),
        }
    }

    fn direction(
        &self,
        pod: usize,
        ingress: bool,
        other: (Option<usize>, Option<IpAddr>),
        conn: (u16, NetworkProtocol, Option<&Pod>),
    ) -> DirectionVerdict {
        let mut isolated_by = Vec::new();
        for c in self.selecting(pod) {
            let (isolates, rules) = if ingress {
                (c.ingress_isolates, &c.ingress)
            } else {
                (c.egress_isolates, &c.egress)
            };
            if !isolates {
                continue;
            }
            for (i, r) in rules.iter().enumerate() {
                let peer_ok = r.peers.is_empty()
                    || r.peers
                        .iter()
                        .any(|p| self.peer_matches(p, &c.namespace, other.0, other.1));
                let port_ok = r.ports.is_empty()
                    || r.ports
                        .iter()
                        .any(|p| Self::port_matches(p, conn.0, conn.1, conn.2));
                if peer_ok && port_ok {
                    return DirectionVerdict::Allowed {
                        policy: c.id.clone(),
                        rule: i,
                    };
                }
            }
            isolated_by.push(c.id.clone());
        }
        if isolated_by.is_empty() {
            DirectionVerdict::NotIsolated
        } else {
            DirectionVerdict::Denied { isolated_by }
        }
    }

    /// [`NetworkPolicyEngine::evaluate`] with endpoints as text (`namespace/name` or an IP).
    pub fn evaluate_str(
        &self,
        from: &str,
        to: &str,
        port: u16,
        protocol: NetworkProtocol,
    ) -> Result<Verdict, PolicyError> {
        self.evaluate(
            &Endpoint::parse(from)?,
            &Endpoint::parse(to)?,
            port,
            protocol,
        )
    }

    /// Is a connection from `from` to `to` on `port`/`protocol` allowed, and why?
    pub fn evaluate(
        &self,
        from: &Endpoint,
        to: &Endpoint,
        port: u16,
        protocol: NetworkProtocol,
    ) -> Result<Verdict, PolicyError> {
        let src = self.pod_index(from)?;
        let dst = self.pod_index(to)?;
        let ip = |e: &Endpoint| match e {
            Endpoint::Ip(ip) => Some(*ip),
            Endpoint::Pod { .. } => None,
        };
        let dst_pod = dst.map(|d| &self.pods[d]);
        let egress = match src {
            Some(s) => self.direction(s, false, (dst, ip(to)), (port, protocol, dst_pod)),
            None => DirectionVerdict::NotApplicable,
        };
        let ingress = match dst {
            Some(d) => self.direction(d, true, (src, ip(from)), (port, protocol, dst_pod)),
            None => DirectionVerdict::NotApplicable,
        };
        Ok(Verdict {
            allowed: egress.allows() && ingress.allows(),
            egress,
            ingress,
        })
    }

    /// The pod-to-pod truth table for one port: `table[i][j]` says whether pod `i` may open a
    /// connection to pod `j` (pods in the order given).
    pub fn connectivity(&self, port: u16, protocol: NetworkProtocol) -> Vec<Vec<bool>> {
        let n = self.pods.len();
        // For every policy rule and direction, the pods its peers match, computed once.
        let peer_sets = |c: &Compiled, rules: &[Rule]| -> Vec<Vec<bool>> {
            rules
                .iter()
                .map(|r| {
                    (0..n)
                        .map(|j| {
                            r.peers.is_empty()
                                || r.peers
                                    .iter()
                                    .any(|p| self.peer_matches(p, &c.namespace, Some(j), None))
                        })
                        .collect()
                })
                .collect()
        };
        let ingress_peers: Vec<Vec<Vec<bool>>> = self
            .policies
            .iter()
            .map(|c| peer_sets(c, &c.ingress))
            .collect();
        let egress_peers: Vec<Vec<Vec<bool>>> = self
            .policies
            .iter()
            .map(|c| peer_sets(c, &c.egress))
            .collect();
        // allowed_in[d][s]: ingress at d allows s; allowed_out[s][d]: egress at s allows d.
        let mut allowed_in = vec![vec![true; n]; n];
        let mut allowed_out = vec![vec![true; n]; n];
        for x in 0..n {
            let (mut iso_in, mut iso_out) = (false, false);
            let mut ok_in = vec![false; n];
            let mut ok_out = vec![false; n];
            for (k, c) in self.selecting_indexed(x) {
                if c.ingress_isolates {
                    iso_in = true;
                    for (r, rule) in c.ingress.iter().enumerate() {
                        if rule.ports.is_empty()
                            || rule
                                .ports
                                .iter()
                                .any(|p| Self::port_matches(p, port, protocol, Some(&self.pods[x])))
                        {
                            for (s, m) in ingress_peers[k][r].iter().enumerate() {
                                ok_in[s] |= *m;
                            }
                        }
                    }
                }
                if c.egress_isolates {
                    iso_out = true;
                    for (r, rule) in c.egress.iter().enumerate() {
                        for d in 0..n {
                            if !ok_out[d]
                                && egress_peers[k][r][d]
                                && (rule.ports.is_empty()
                                    || rule.ports.iter().any(|p| {
                                        Self::port_matches(p, port, protocol, Some(&self.pods[d]))
                                    }))
                            {
                                ok_out[d] = true;
                            }
                        }
                    }
                }
            }
            if iso_in {
                allowed_in[x] = ok_in;
            }
            if iso_out {
                allowed_out[x] = ok_out;
            }
        }
        (0..n)
            .map(|s| {
                (0..n)
                    .map(|d| allowed_out[s][d] && allowed_in[d][s])
                    .collect()
            })
            .collect()
    }
}

crate::error::coded!(PolicyError, crate::error::ErrorKind::Policy);
