//! Mesh authorization with Istio `AuthorizationPolicy` semantics, over the model's
//! [`MeshPolicy`] / [`PolicyRule`] / [`Source`] / [`Condition`] / `Action`.
//!
//! Istio puts one action on a policy; the seed design puts actions on rules (`then`), so each
//! rule counts for each action it lists (a rule without actions counts as `ALLOW`, Istio's
//! default). A policy of type `AuthorizationPolicy` without rules is Istio's `spec: {}`: an
//! `ALLOW` policy that matches nothing, which turns on deny-by-default. Other policy types are
//! not authorization and are skipped; `enforcement: dryRun` policies are evaluated and
//! reported but never decide (Istio's `istio.io/dry-run`).
//!
//! Order, as Istio applies it: a matching `CUSTOM` rule whose provider denies (or gave no
//! decision: fail closed) denies; then any matching `DENY` rule denies; then, with no `ALLOW`
//! rules or policies at all, the request is allowed; then any matching `ALLOW` rule allows;
//! otherwise it is denied. `AUDIT` rules never decide. Within a rule `from`, `to` and every
//! `when` must match; within a field one value must match and no `not` value may. Values
//! match exactly, by prefix (`abc*`), by suffix (`*abc`) or by presence (`*`).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::mesh::{
    ActionType, Condition, Destination, Enforcement, MeshPolicy, MeshPolicyType, PolicyRule, Source,
};

/// What is known about a request (as data, camelCase keys).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Request {
    /// The peer's mTLS identity (`cluster.local/ns/default/sa/web`), if any.
    #[serde(default)]
    pub principal: Option<String>,
    /// The peer's namespace, if known.
    #[serde(default)]
    pub namespace: Option<String>,
    /// The destination service.
    pub service: String,
    /// The destination namespace.
    #[serde(default)]
    pub service_namespace: Option<String>,
    /// Attributes for `when` conditions (`request.headers[x-token]`, `source.ip`, ...).
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Decisions of `CUSTOM` providers, by provider name (`true` allows).
    #[serde(default)]
    pub custom_decisions: BTreeMap<String, bool>,
}

/// A rule of a policy, named for verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    /// Policy name.
    pub policy: String,
    /// Rule index in the policy.
    pub rule: usize,
}

impl fmt::Display for RuleRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` rule {}", self.policy, self.rule)
    }
}

/// Why a request was allowed or denied (as data: `{"decision": "allowed_by", "rule": ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// A `CUSTOM` rule matched and its provider denied (or gave no decision).
    DeniedByCustom {
        /// The rule.
        rule: RuleRef,
        /// The provider (the action's `value`).
        provider: String,
    },
    /// A `DENY` rule matched.
    DeniedByDeny {
        /// The rule.
        rule: RuleRef,
    },
    /// No `ALLOW` rules or policies apply, so the request is allowed.
    AllowedNoAllowPolicy,
    /// An `ALLOW` rule matched.
    AllowedBy {
        /// The rule.
        rule: RuleRef,
    },
    /// `ALLOW` policies exist and none of their rules matched.
    DeniedNoAllowMatched {
        /// The `ALLOW` policies.
        allow_policies: Vec<String>,
    },
}

/// The decision, plus what audit and dry-run rules matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuthzVerdict {
    /// Whether the request goes through.
    pub allowed: bool,
    /// The deciding step.
    pub decision: Decision,
    /// Matching `AUDIT` rules.
    pub audited: Vec<RuleRef>,
    /// Rules of dry-run policies that matched, with their action.
    pub dry_run: Vec<(RuleRef, ActionType)>,
}

/// Istio string matching: exact, `prefix*`, `*suffix`, or `*` (any non-empty value).
pub fn string_matches(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        return !value.is_empty();
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return value.starts_with(prefix);
    }
    if let Some(suffix) = pattern.strip_prefix('*') {
        return value.ends_with(suffix);
    }
    pattern == value
}

fn field(values: &[String], not_values: &[String], actual: Option<&str>) -> bool {
    if values.is_empty() && not_values.is_empty() {
        return true;
    }
    let Some(v) = actual else { return false };
    (values.is_empty() || values.iter().any(|p| string_matches(p, v)))
        && !not_values.iter().any(|p| string_matches(p, v))
}

fn source_matches(s: &Source, r: &Request) -> bool {
    field(&s.principals, &s.not_principals, r.principal.as_deref())
        && field(&s.namespaces, &s.not_namespaces, r.namespace.as_deref())
}

fn destination_matches(d: &Destination, r: &Request) -> bool {
    string_matches(&d.service, &r.service)
        && d.namespace.as_ref().is_none_or(|ns| {
            r.service_namespace
                .as_deref()
                .is_some_and(|v| string_matches(ns, v))
        })
}

fn condition_matches(c: &Condition, r: &Request) -> bool {
    match r.attributes.get(&c.key) {
        None => false,
        Some(v) => field(&c.values, &c.not_values, Some(v)),
    }
}

fn rule_matches(rule: &PolicyRule, r: &Request) -> bool {
    rule.from.as_ref().is_none_or(|s| source_matches(s, r))
        && rule.to.as_ref().is_none_or(|d| destination_matches(d, r))
        && rule.when.iter().all(|c| condition_matches(c, r))
}

/// Decides a request against the policies (all taken to apply to its destination).
pub fn authorize(policies: &[MeshPolicy], request: &Request) -> AuthzVerdict {
    let mut custom = Vec::new();
    let mut deny = Vec::new();
    let mut allow = Vec::new();
    let mut audited = Vec::new();
    let mut dry_run = Vec::new();
    let mut allow_policies: Vec<String> = Vec::new();
    for p in policies
        .iter()
        .filter(|p| p.policy_type == MeshPolicyType::AuthorizationPolicy)
    {
        let enforced = p.enforcement != Some(Enforcement::DryRun);
        if p.rules.is_empty() && enforced && !allow_policies.contains(&p.name) {
            allow_policies.push(p.name.clone());
        }
        for (i, rule) in p.rules.iter().enumerate() {
            let actions: Vec<(ActionType, Option<&str>)> = if rule.then.is_empty() {
                vec![(ActionType::Allow, None)]
            } else {
                rule.then
                    .iter()
                    .map(|a| (a.action_type, a.value.as_deref()))
                    .collect()
            };
            if enforced
                && actions.iter().any(|(a, _)| *a == ActionType::Allow)
                && !allow_policies.contains(&p.name)
            {
                allow_policies.push(p.name.clone());
            }
            if !rule_matches(rule, request) {
                continue;
            }
            let at = RuleRef {
                policy: p.name.clone(),
                rule: i,
            };
            for (action, value) in actions {
                if !enforced {
                    dry_run.push((at.clone(), action));
                    continue;
                }
                match action {
                    ActionType::Custom => {
                        custom.push((at.clone(), value.unwrap_or("").to_string()))
                    }
                    ActionType::Deny => deny.push(at.clone()),
                    ActionType::Allow => allow.push(at.clone()),
                    ActionType::Audit => audited.push(at.clone()),
                }
            }
        }
    }
    let decision = if let Some((rule, provider)) = custom
        .into_iter()
        .find(|(_, p)| request.custom_decisions.get(p) != Some(&true))
    {
        Decision::DeniedByCustom { rule, provider }
    } else if let Some(rule) = deny.into_iter().next() {
        Decision::DeniedByDeny { rule }
    } else if allow_policies.is_empty() {
        Decision::AllowedNoAllowPolicy
    } else if let Some(rule) = allow.into_iter().next() {
        Decision::AllowedBy { rule }
    } else {
        Decision::DeniedNoAllowMatched { allow_policies }
    };
    let allowed = matches!(
        decision,
        Decision::AllowedNoAllowPolicy | Decision::AllowedBy { .. }
    );
    AuthzVerdict {
        allowed,
        decision,
        audited,
        dry_run,
    }
}
