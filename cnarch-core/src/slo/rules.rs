//! Prometheus recording and alerting rules for SLOs, with Sloth's rule names and labels so
//! dashboards built for Sloth keep working: `slo:sli_error:ratio_rate<window>` for every alert
//! window and the period, `slo:objective:ratio`, `slo:error_budget:ratio`,
//! `slo:time_period:days`, `slo:current_burn_rate:ratio`, `slo:period_burn_rate:ratio`,
//! `slo:period_error_budget_remaining:ratio`, `sloth_slo_info`, labels `sloth_id`,
//! `sloth_service`, `sloth_slo`, `sloth_window`, and a page and a ticket multiwindow
//! multi-burn-rate alert (`sloth_severity`).
//!
//! Inputs: Sloth's `prometheus/v1` spec ([`SlothSpec`]) or the model's
//! `ServiceLevelObjectives` ([`SlothSpec::from_model`]). Numbers are printed as the decimals
//! they are (`0.999`, `1-0.999`), not as float noise.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::budget::Objective;
use crate::error::Violation;
use crate::prom::{duration as prom_duration, exact_number};
/// The rule-file types, which live in [`crate::prom`] (the format is Prometheus's, not the SLO's).
pub use crate::prom::{Rule, RuleFile, RuleGroup};

/// Sloth's `prometheus/v1` spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlothSpec {
    /// `prometheus/v1`.
    pub version: String,
    /// Service name.
    pub service: String,
    /// Labels on every rule.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// SLOs.
    pub slos: Vec<SlothSlo>,
}

/// One SLO.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlothSlo {
    /// Name.
    pub name: String,
    /// Objective in percent (99.9).
    pub objective: f64,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// The SLI.
    pub sli: SlothSli,
    /// Alerting.
    #[serde(default)]
    pub alerting: SlothAlerting,
}

/// An SLI: error and total event queries, or a raw error-ratio query; `{{.window}}` stands for
/// the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlothSli {
    /// Event queries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<SlothEvents>,
    /// A ratio query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<SlothRaw>,
}

/// Event queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlothEvents {
    /// Bad events per second over `{{.window}}`.
    pub error_query: String,
    /// All events per second over `{{.window}}`.
    pub total_query: String,
}

/// A raw error-ratio query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlothRaw {
    /// Error ratio over `{{.window}}`.
    pub error_ratio_query: String,
}

/// Alerting settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SlothAlerting {
    /// Alert name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Labels on both alerts.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Annotations on both alerts.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    /// The page alert.
    #[serde(default)]
    pub page_alert: SlothAlert,
    /// The ticket alert.
    #[serde(default)]
    pub ticket_alert: SlothAlert,
}

/// One alert's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SlothAlert {
    /// Do not generate it.
    #[serde(default)]
    pub disable: bool,
    /// Labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Annotations.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

const WINDOW: &str = "{{.window}}";

impl SlothSlo {
    /// The objective of `slos[i]`, or the violation at its path.
    pub(crate) fn objective_at(&self, i: usize) -> Result<Objective, Vec<Violation>> {
        Objective::from_percent(self.objective).map_err(|e| {
            vec![Violation::invalid_value(
                format!("slos[{i}].objective"),
                e.to_string(),
            )]
        })
    }
}

impl SlothSpec {
    /// Reads and checks a spec (JSON or YAML already parsed), with paths.
    pub fn from_json(v: &serde_json::Value) -> Result<SlothSpec, Vec<Violation>> {
        let spec: SlothSpec = crate::validate::de::deserialize(v)
            .map_err(|e| vec![Violation::invalid_value(e.path_text(), e.message)])?;
        let mut errs = Vec::new();
        if spec.version != "prometheus/v1" {
            errs.push(Violation::invalid_value(
                "version",
                format!("expected `prometheus/v1`, found `{}`", spec.version),
            ));
        }
        for (i, s) in spec.slos.iter().enumerate() {
            if let Err(e) = Objective::from_percent(s.objective) {
                errs.push(Violation::invalid_value(
                    format!("slos[{i}].objective"),
                    e.to_string(),
                ));
            }
            match (&s.sli.events, &s.sli.raw) {
                (Some(ev), None) => {
                    for (q, f) in [
                        (&ev.error_query, "error_query"),
                        (&ev.total_query, "total_query"),
                    ] {
                        if !q.contains(WINDOW) {
                            errs.push(Violation::invalid_value(
                                format!("slos[{i}].sli.events.{f}"),
                                format!("expected the `{WINDOW}` placeholder in the query"),
                            ));
                        }
                    }
                    if ev.error_query.trim() == ev.total_query.trim() {
                        errs.push(Violation::invalid_value(
                            format!("slos[{i}].sli.events"),
                            "expected error_query and total_query to differ".into(),
                        ));
                    }
                }
                (None, Some(raw)) => {
                    if !raw.error_ratio_query.contains(WINDOW) {
                        errs.push(Violation::invalid_value(
                            format!("slos[{i}].sli.raw.error_ratio_query"),
                            format!("expected the `{WINDOW}` placeholder in the query"),
                        ));
                    }
                }
                _ => errs.push(Violation::invalid_value(
                    format!("slos[{i}].sli"),
                    "expected exactly one of `events` and `raw`".into(),
                )),
            }
        }
        errs.extend(spec.rule_problems());
        if errs.is_empty() {
            Ok(spec)
        } else {
            Err(errs)
        }
    }

    /// What `promtool check rules` would refuse in the rules generated from this spec: queries
    /// that are not PromQL (with `{{.window}}` read as `5m`), label names Prometheus refuses
    /// on rules (`bad-key`, `0team`, `__name__`), annotation names that are not label names,
    /// and alert label or annotation templates that Go's `text/template` cannot parse.
    pub fn rule_problems(&self) -> Vec<Violation> {
        let mut errs = Vec::new();
        let names = |errs: &mut Vec<Violation>,
                     map: &BTreeMap<String, String>,
                     path: &str,
                     what: &str| {
            for k in map.keys() {
                if !crate::prom::is_rule_label_name(k) {
                    errs.push(Violation::at(
                        format!("{path}.{k}"),
                        "invalid_label_name",
                        format!("expected {what} matching `[a-zA-Z_][a-zA-Z0-9_]*` (and not `__name__`), found `{k}`"),
                    ));
                }
            }
        };
        let templates = |errs: &mut Vec<Violation>, map: &BTreeMap<String, String>, path: &str| {
            for (k, v) in map {
                if let Err(e) = crate::prom::check_template(v) {
                    errs.push(Violation::at(
                        format!("{path}.{k}"),
                        "invalid_template",
                        format!("expected a Go template Prometheus can expand, found `{v}`: {e}"),
                    ));
                }
            }
        };
        names(&mut errs, &self.labels, "labels", "a label name");
        for (i, slo) in self.slos.iter().enumerate() {
            let p = format!("slos[{i}]");
            names(
                &mut errs,
                &slo.labels,
                &format!("{p}.labels"),
                "a label name",
            );
            let queries: Vec<(&String, String)> = match (&slo.sli.events, &slo.sli.raw) {
                (Some(ev), _) => vec![
                    (&ev.error_query, format!("{p}.sli.events.error_query")),
                    (&ev.total_query, format!("{p}.sli.events.total_query")),
                ],
                (None, Some(raw)) => vec![(
                    &raw.error_ratio_query,
                    format!("{p}.sli.raw.error_ratio_query"),
                )],
                (None, None) => Vec::new(),
            };
            for (q, path) in queries {
                if let Err(e) = crate::prom::check_promql(&q.replace(WINDOW, "5m")) {
                    errs.push(Violation::at(
                        path,
                        "invalid_promql",
                        format!("expected a PromQL query, found `{}`: {e}", q.trim()),
                    ));
                }
            }
            let a = &slo.alerting;
            let ap = format!("{p}.alerting");
            for (map, path) in [
                (&a.labels, format!("{ap}.labels")),
                (&a.page_alert.labels, format!("{ap}.page_alert.labels")),
                (&a.ticket_alert.labels, format!("{ap}.ticket_alert.labels")),
            ] {
                names(&mut errs, map, &path, "a label name");
                templates(&mut errs, map, &path);
            }
            for (map, path) in [
                (&a.annotations, format!("{ap}.annotations")),
                (
                    &a.page_alert.annotations,
                    format!("{ap}.page_alert.annotations"),
                ),
                (
                    &a.ticket_alert.annotations,
                    format!("{ap}.ticket_alert.annotations"),
                ),
            ] {
                names(&mut errs, map, &path, "an annotation name");
                templates(&mut errs, map, &path);
            }
        }
        errs
    }

    /// The model's `ServiceLevelObjectives` as a Sloth spec for `service`: each SLO's first
    /// indicator query (a good-ratio query with a range such as `[5m]`) becomes the raw error
    /// ratio `1 - (query)` with `{{.window}}` for its ranges.
    pub fn from_model(
        slos: &crate::model::observability::ServiceLevelObjectives,
        service: &str,
    ) -> Result<SlothSpec, Vec<Violation>> {
        let mut out = Vec::new();
        let mut errs = Vec::new();
        for (i, s) in slos.slos.iter().enumerate() {
            let Some(ind) = s.indicators.first() else {
                errs.push(Violation::invalid_value(
                    format!("slos[{i}].indicators"),
                    "expected at least one indicator with a query".into(),
                ));
                continue;
            };
            let templated = templated_ranges(&ind.query);
            if !templated.contains(WINDOW) {
                errs.push(Violation::invalid_value(
                    format!("slos[{i}].indicators[0].query"),
                    "expected a range selector such as [5m] to turn into the window".into(),
                ));
                continue;
            }
            out.push(SlothSlo {
                name: s.name.clone(),
                objective: s.objective * 100.0,
                description: s.description.clone(),
                labels: BTreeMap::new(),
                sli: SlothSli {
                    events: None,
                    raw: Some(SlothRaw {
                        error_ratio_query: format!("1 - ({templated})"),
                    }),
                },
                alerting: SlothAlerting {
                    name: Some(format!("{}{}HighErrorRate", camel(service), camel(&s.name))),
                    ..SlothAlerting::default()
                },
            });
        }
        if errs.is_empty() {
            Ok(SlothSpec {
                version: "prometheus/v1".into(),
                service: service.to_string(),
                labels: BTreeMap::new(),
                slos: out,
            })
        } else {
            Err(errs)
        }
    }
}

fn camel(s: &str) -> String {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Replaces every range selector `[<duration>]` by `[{{.window}}]`.
fn templated_ranges(q: &str) -> String {
    let mut out = String::with_capacity(q.len());
    let mut rest = q;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        match after.find(']') {
            Some(close) if crate::duration::PromDuration::parse(&after[..close]).is_ok() => {
                out.push_str(WINDOW);
                out.push(']');
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// The windows Sloth records (besides the period), shortest first.
pub const SLI_WINDOWS: [u64; 7] = [300, 1800, 3600, 7200, 21600, 86400, 259200];

/// The four multiwindow alerts (severity, short, long, budget share) Sloth uses.
pub const SLOTH_ALERTS: [(&str, u64, u64, f64); 4] = [
    ("page", 300, 3600, 0.02),
    ("page", 1800, 21600, 0.05),
    ("ticket", 7200, 86400, 0.1),
    ("ticket", 21600, 259200, 0.1),
];

/// Generates the rule file for `spec` with an SLO `period` (Sloth's default: 30 days).
pub fn generate(spec: &SlothSpec, period: Duration) -> Result<RuleFile, Vec<Violation>> {
    let problems = spec.rule_problems();
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut groups = Vec::new();
    for (i, slo) in spec.slos.iter().enumerate() {
        let o = slo.objective_at(i)?;
        let id = format!("{}-{}", spec.service, slo.name);
        let sel = format!(
            "sloth_id={}, sloth_service={}, sloth_slo={}",
            crate::prom::string_literal(&id),
            crate::prom::string_literal(&spec.service),
            crate::prom::string_literal(&slo.name)
        );
        let mut base = spec.labels.clone();
        base.extend(slo.labels.clone());
        let with = |extra: &[(&str, &str)]| {
            let mut l = base.clone();
            l.insert("sloth_id".into(), id.clone());
            l.insert("sloth_service".into(), spec.service.clone());
            l.insert("sloth_slo".into(), slo.name.clone());
            for (k, v) in extra {
                l.insert((*k).into(), (*v).into());
            }
            l
        };
        let record = |name: String, expr: String, labels: BTreeMap<String, String>| Rule {
            record: Some(name),
            alert: None,
            expr,
            labels,
            annotations: BTreeMap::new(),
        };
        // SLI recordings.
        let mut sli = Vec::new();
        for w in SLI_WINDOWS {
            let win = prom_duration(Duration::from_secs(w));
            let expr = match (&slo.sli.events, &slo.sli.raw) {
                (Some(ev), _) => format!(
                    "({})\n/\n({})\n",
                    ev.error_query.replace(WINDOW, &win).trim(),
                    ev.total_query.replace(WINDOW, &win).trim()
                ),
                (None, Some(raw)) => {
                    format!("({})\n", raw.error_ratio_query.replace(WINDOW, &win).trim())
                }
                (None, None) => {
                    return Err(vec![Violation::invalid_value(
                        format!("slos[{i}].sli"),
                        "expected `events` or `raw`".into(),
                    )])
                }
            };
            sli.push(record(
                format!("slo:sli_error:ratio_rate{win}"),
                expr,
                with(&[("sloth_window", &win)]),
            ));
        }
        let pw = prom_duration(period);
        sli.push(record(
            format!("slo:sli_error:ratio_rate{pw}"),
            format!("sum_over_time(slo:sli_error:ratio_rate5m{{{sel}}}[{pw}])\n/ ignoring (sloth_window)\ncount_over_time(slo:sli_error:ratio_rate5m{{{sel}}}[{pw}])\n"),
            with(&[("sloth_window", &pw)]),
        ));
        groups.push(RuleGroup {
            name: format!("sloth-slo-sli-recordings-{id}"),
            rules: sli,
        });
        // Metadata.
        let days = exact_number(period.as_secs_f64() / 86400.0);
        let budget_expr = format!("vector(1-{o})");
        let meta = vec![
            record("slo:objective:ratio".into(), format!("vector({o})"), with(&[])),
            record("slo:error_budget:ratio".into(), budget_expr, with(&[])),
            record("slo:time_period:days".into(), format!("vector({days})"), with(&[])),
            record(
                "slo:current_burn_rate:ratio".into(),
                format!("slo:sli_error:ratio_rate5m{{{sel}}}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{{{sel}}}\n"),
                with(&[]),
            ),
            record(
                "slo:period_burn_rate:ratio".into(),
                format!("slo:sli_error:ratio_rate{pw}{{{sel}}}\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio{{{sel}}}\n"),
                with(&[]),
            ),
            record("slo:period_error_budget_remaining:ratio".into(), format!("1 - slo:period_burn_rate:ratio{{{sel}}}"), with(&[])),
            record("sloth_slo_info".into(), "vector(1)".into(), with(&[("sloth_mode", "cli-gen-prom"), ("sloth_objective", &o.percent_text())])),
        ];
        groups.push(RuleGroup {
            name: format!("sloth-slo-meta-recordings-{id}"),
            rules: meta,
        });
        // Alerts.
        let mut alerts = Vec::new();
        let name = slo.alerting.name.clone().unwrap_or_else(|| {
            format!("{}{}HighErrorRate", camel(&spec.service), camel(&slo.name))
        });
        for (severity, settings) in [
            ("page", &slo.alerting.page_alert),
            ("ticket", &slo.alerting.ticket_alert),
        ] {
            if settings.disable {
                continue;
            }
            let pairs: Vec<String> = SLOTH_ALERTS
                .iter()
                .filter(|a| a.0 == severity)
                .map(|&(_, short, long, share)| {
                    let f = exact_number(super::budget::factor_for(share, period, Duration::from_secs(long)));
                    let (s, l) = (prom_duration(Duration::from_secs(short)), prom_duration(Duration::from_secs(long)));
                    let b = o.budget_text();
                    format!(
                        "(\n    max(slo:sli_error:ratio_rate{s}{{{sel}}} > ({f} * {b})) without (sloth_window)\n    and\n    max(slo:sli_error:ratio_rate{l}{{{sel}}} > ({f} * {b})) without (sloth_window)\n)"
                    )
                })
                .collect();
            let mut labels = slo.alerting.labels.clone();
            labels.extend(settings.labels.clone());
            labels.insert("sloth_severity".into(), severity.into());
            let mut annotations = BTreeMap::from([
                ("title".to_string(), format!("({severity}) {{{{$labels.sloth_service}}}} {{{{$labels.sloth_slo}}}} SLO error budget burn rate is too fast.")),
                ("summary".to_string(), "{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.".to_string()),
            ]);
            annotations.extend(slo.alerting.annotations.clone());
            annotations.extend(settings.annotations.clone());
            alerts.push(Rule {
                record: None,
                alert: Some(name.clone()),
                expr: pairs.join("\nor\n") + "\n",
                labels,
                annotations,
            });
        }
        if !alerts.is_empty() {
            groups.push(RuleGroup {
                name: format!("sloth-slo-alerts-{id}"),
                rules: alerts,
            });
        }
    }
    Ok(RuleFile { groups })
}
