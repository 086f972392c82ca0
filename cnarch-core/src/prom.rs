//! Prometheus's own formats, shared by [`crate::slo`] (recording rules) and
//! [`crate::alerting`] (alerting rules): the rule file (`groups: [{name, rules: [...]}]`, as
//! `promtool check rules` reads it), durations in Prometheus's notation
//! (`model.Duration.String()`: `5m`, `1h30m`, `30d`) and numbers printed as the decimals they
//! are.
//!
//! ```
//! use std::time::Duration;
//! use cnarch_core::prom;
//! assert_eq!(prom::duration(Duration::from_secs(5400)), "1h30m");
//! assert_eq!(prom::number(1.0 - 0.999), "0.001");
//! let file = prom::RuleFile { groups: vec![prom::RuleGroup { name: "g".into(), rules: vec![] }] };
//! assert!(file.to_yaml().contains("name: g"));
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

/// A Prometheus rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// Recording rule name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Alerting rule name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// PromQL.
    pub expr: String,
    /// Labels.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Annotations.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// A rule group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleGroup {
    /// Name.
    pub name: String,
    /// Rules.
    pub rules: Vec<Rule>,
}

/// A rule file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleFile {
    /// Groups.
    pub groups: Vec<RuleGroup>,
}

impl RuleFile {
    /// As YAML Prometheus loads.
    pub fn to_yaml(&self) -> String {
        serde_norway::to_string(self).unwrap_or_default()
    }
}

/// A Prometheus duration for a window (`5m`, `1h`, `30d`).
pub fn duration(d: Duration) -> String {
    crate::duration::PromDuration::from_millis(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .to_prom_string()
}

/// A number without float noise (at most 10 decimals).
pub fn number(x: f64) -> String {
    let s = format!("{:.10}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}
