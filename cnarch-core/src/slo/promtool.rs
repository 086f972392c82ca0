//! A `promtool test rules` file from cnarch's SLO rules ([`super::rules::generate`]) and an
//! incident, so that Prometheus itself checks when cnarch says the burn-rate alerts fire.
//!
//! The incident is two counters sampled every `interval`: all requests and the failed ones,
//! as events per interval. The writer
//! - rewrites each SLO's SLI to `sum(rate(<errors>[{{.window}}]))` over
//!   `sum(rate(<requests>[{{.window}}]))` on the incident's two series (the test checks the
//!   alerting arithmetic: windows, factors, thresholds, `and`/`or`, group order; an SLI query
//!   of your own needs live data), and writes the rule file from that spec;
//! - writes the counters in promtool's expanding notation, starting at 0 at time 0, with the
//!   incident's first interval ending at `interval`;
//! - evaluates the rules as Prometheus 2.x does at every evaluation step (range selectors
//!   closed on both ends, `rate()`'s extrapolation with its zero-point clamp, the division,
//!   the `(factor * budget)` product, NaN never above a threshold, no `for`), and writes one
//!   `alert_rule_test` per step and alert name listing the firing alerts with their labels
//!   and annotations;
//! - lists `group_eval_order` (promtool orders unlisted groups at random, and the alerts read
//!   the recordings of the same step);
//! - compares its steps with cnarch's offline replay ([`crate::alerting::evaluate`]) of the
//!   standard policy over the same events, and reports the steps where they differ and where a
//!   ratio lies within 10⁻⁹ (relative) of a threshold, where the order of float operations
//!   (which differs between Prometheus versions) may decide.
//!
//! Alert label and annotation templates are expanded when their actions are `$labels.<name>`
//! only (a label the series lacks expands to the empty string, Prometheus's `missingkey=zero`);
//! anything else (`$value`, functions) is refused with its path, since its text depends on
//! more than the labels.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::rules::{generate, SlothEvents, SlothSli, SlothSpec, SLI_WINDOWS, SLOTH_ALERTS};
use crate::alerting::policy::MultiwindowPolicy;
use crate::error::Violation;
use crate::prom::series::{self, SeriesValue};
use crate::prom::{duration as prom_duration, exact_number, RuleFile};

/// Most steps an incident may have (a week at 5 s, 69 days at 1 minute).
pub const MAX_STEPS: usize = 100_000;

/// An incident: events per interval on two counters.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// The scrape and evaluation interval (whole seconds dividing 5 minutes).
    pub interval: Duration,
    /// Requests per interval.
    pub requests: Vec<f64>,
    /// Failed requests per interval (at most the requests).
    pub errors: Vec<f64>,
    /// The requests counter, in series notation (`http_requests_total{job="api"}`).
    pub requests_series: String,
    /// The errors counter, in series notation.
    pub errors_series: String,
}

/// A stretch of steady traffic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Phase {
    /// How long (a whole number of intervals).
    pub duration: Duration,
    /// Requests per second.
    pub requests_per_second: f64,
    /// Failed share of them, in [0, 1].
    pub error_ratio: f64,
}

/// Default series names.
pub const DEFAULT_REQUESTS_SERIES: &str = "slo_requests_total";
/// Default series names.
pub const DEFAULT_ERRORS_SERIES: &str = "slo_errors_total";

impl Incident {
    /// Steady phases at `interval`: `requests_per_second × interval` requests per step, of
    /// which `error_ratio` fail.
    pub fn from_phases(interval: Duration, phases: &[Phase]) -> Result<Incident, Vec<Violation>> {
        let mut errs = Vec::new();
        let (mut requests, mut errors) = (Vec::new(), Vec::new());
        let step = interval.as_millis();
        if step == 0 {
            errs.push(Violation::invalid_value(
                "interval",
                "expected an interval above zero".into(),
            ));
        }
        for (i, p) in phases.iter().enumerate() {
            let path = format!("phases[{i}]");
            if step == 0 {
                break;
            }
            let ms = p.duration.as_millis();
            if ms == 0 || !ms.is_multiple_of(step) {
                errs.push(Violation::invalid_value(
                    format!("{path}.duration"),
                    format!(
                        "expected a whole number of intervals ({}) above zero, found {}",
                        prom_duration(interval),
                        prom_duration(p.duration)
                    ),
                ));
                continue;
            }
            if !(p.requests_per_second.is_finite() && p.requests_per_second >= 0.0) {
                errs.push(Violation::invalid_value(
                    format!("{path}.requests_per_second"),
                    format!(
                        "expected requests per second of zero or more, found {}",
                        p.requests_per_second
                    ),
                ));
            }
            if !(0.0..=1.0).contains(&p.error_ratio) {
                errs.push(Violation::invalid_value(
                    format!("{path}.error_ratio"),
                    format!("expected a ratio in [0, 1], found {}", p.error_ratio),
                ));
            }
            let n = (ms / step) as usize;
            if requests.len() + n > MAX_STEPS {
                errs.push(Violation::invalid_value(
                    format!("{path}.duration"),
                    format!("expected at most {MAX_STEPS} steps in all"),
                ));
                break;
            }
            let per = p.requests_per_second * interval.as_secs_f64();
            requests.extend(std::iter::repeat_n(per, n));
            errors.extend(std::iter::repeat_n(per * p.error_ratio, n));
        }
        if errs.is_empty() {
            Ok(Incident {
                interval,
                requests,
                errors,
                requests_series: DEFAULT_REQUESTS_SERIES.into(),
                errors_series: DEFAULT_ERRORS_SERIES.into(),
            })
        } else {
            Err(errs)
        }
    }

    /// Checks the incident: the interval, the lengths, the counts and the two series.
    pub fn check(&self) -> Result<(Series, Series), Vec<Violation>> {
        let mut errs = Vec::new();
        let ms = self.interval.as_millis();
        if ms == 0 || !ms.is_multiple_of(1000) || !300_000u128.is_multiple_of(ms) {
            errs.push(Violation::invalid_value(
                "interval",
                format!(
                    "expected whole seconds dividing 5m (1s, 5s, 15s, 30s, 1m, 5m, ...), so that every SLI window starts on a sample, found {}",
                    prom_duration(self.interval)
                ),
            ));
        }
        if self.requests.len() != self.errors.len() {
            errs.push(Violation::invalid_value(
                "errors",
                format!(
                    "expected one count per step as in `requests` ({}), found {}",
                    self.requests.len(),
                    self.errors.len()
                ),
            ));
        } else if self.requests.is_empty() || self.requests.len() > MAX_STEPS {
            errs.push(Violation::invalid_value(
                "requests",
                format!(
                    "expected 1 to {MAX_STEPS} steps, found {}",
                    self.requests.len()
                ),
            ));
        } else {
            for (i, (&r, &e)) in self.requests.iter().zip(&self.errors).enumerate() {
                if !(r.is_finite() && e.is_finite() && e >= 0.0 && r >= e) {
                    errs.push(Violation::invalid_value(
                        format!("errors[{i}]"),
                        format!(
                            "expected 0 <= errors <= requests, found {e} errors of {r} requests"
                        ),
                    ));
                    if errs.len() > 20 {
                        break;
                    }
                }
            }
        }
        let r = Series::parse(&self.requests_series, "requests_series");
        let e = Series::parse(&self.errors_series, "errors_series");
        match (r, e) {
            (Ok(r), Ok(e)) if errs.is_empty() => {
                if r == e {
                    Err(vec![Violation::invalid_value(
                        "errors_series",
                        "expected a series other than `requests_series`".into(),
                    )])
                } else {
                    Ok((r, e))
                }
            }
            (r, e) => {
                errs.extend(r.err());
                errs.extend(e.err());
                Err(errs)
            }
        }
    }
}

/// One series: a metric name and labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The metric name.
    pub name: String,
    /// Labels, sorted by name.
    pub labels: Vec<(String, String)>,
}

impl Series {
    /// Reads `name{label="value", ...}` (values quoted and escaped as in the exposition
    /// format).
    pub fn parse(text: &str, path: &str) -> Result<Series, Violation> {
        let bad = |why: String| {
            Violation::invalid_value(
                path,
                format!("expected a series such as `http_requests_total{{job=\"api\"}}`, found `{text}`: {why}"),
            )
        };
        let t = text.trim();
        if t.contains('\n') || t.contains('#') {
            return Err(bad("one series on one line".into()));
        }
        let fams = crate::prom::exposition::parse(&format!("{t} 0\n"))
            .map_err(|e| bad(e.message.clone()))?;
        let s = match fams.as_slice() {
            [f] if f.samples.len() == 1 => &f.samples[0],
            _ => return Err(bad("one series".into())),
        };
        if s.timestamp.is_some() {
            return Err(bad("no value or timestamp".into()));
        }
        let mut labels = s.labels.clone();
        labels.sort();
        if labels.iter().any(|(k, _)| k == "__name__") {
            return Err(bad("the name outside the braces".into()));
        }
        Ok(Series {
            name: s.name.clone(),
            labels,
        })
    }

    /// As PromQL and promtool read it.
    pub fn text(&self) -> String {
        if self.labels.is_empty() {
            return self.name.clone();
        }
        let inner: Vec<String> = self
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::prom::string_literal(v)))
            .collect();
        format!("{}{{{}}}", self.name, inner.join(", "))
    }
}

/// One firing alert at one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FiringAlert {
    /// The alert's labels (without `alertname`).
    pub labels: BTreeMap<String, String>,
    /// The expanded annotations.
    pub annotations: BTreeMap<String, String>,
}

/// The alerts of one alert name at one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// Seconds from the series start (the host's unit through `ffi`).
    pub time: f64,
    /// The alert name.
    pub alertname: String,
    /// Severities firing (`page`, `ticket`), in the rule file's order.
    pub firing: Vec<String>,
    /// The firing alerts as promtool compares them.
    #[serde(skip)]
    pub alerts: Vec<FiringAlert>,
}

/// The written test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PromtoolTest {
    /// The rule file (YAML).
    pub rules: String,
    /// The test file (YAML) naming the rule file.
    pub test: String,
    /// Every check the test makes, in time order.
    pub checks: Vec<Check>,
    /// Times (seconds) where cnarch's offline replay fires otherwise.
    pub replay_differences: Vec<f64>,
    /// Times (seconds) where a ratio is within 10⁻⁹ (relative) of a threshold.
    pub near_ties: Vec<f64>,
}

/// Test-file options.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The rule file's name as the test file refers to it.
    pub rules_file: String,
    /// The test group's name.
    pub name: String,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            rules_file: "slo_rules.yaml".into(),
            name: "cnarch incident".into(),
        }
    }
}

/// Counter values at every step (0 at time 0), as promtool reads the notation written.
fn counter(events: &[f64]) -> Result<(String, Vec<f64>), Violation> {
    let mut values = Vec::with_capacity(events.len() + 1);
    let mut c = 0.0f64;
    values.push(SeriesValue::Value(c));
    for &e in events {
        c += e;
        values.push(SeriesValue::Value(c));
    }
    let text = series::format(&values);
    let back = series::expand(&text).map_err(|e| Violation::invalid_value("", e.message))?;
    let out: Vec<f64> = back
        .into_iter()
        .map(|v| match v {
            SeriesValue::Value(x) => x,
            _ => f64::NAN,
        })
        .collect();
    Ok((text, out))
}

/// `rate(x[range])` at step `k` as Prometheus 2.x computes it over samples every `step_s`
/// seconds (`values[j]` at `j × step`), `None` without two samples in `[t − range, t]`.
fn rate(values: &[f64], k: usize, step_ms: i64, range_ms: i64) -> Option<f64> {
    let t = k as i64 * step_ms;
    let start = t - range_ms;
    let first = if start <= 0 {
        0
    } else {
        // the first sample at or after the start (ranges are closed on the left in 2.x)
        ((start + step_ms - 1) / step_ms) as usize
    };
    if k < first + 1 {
        return None;
    }
    let pts = &values[first..=k];
    let mut correction = 0.0;
    let mut last = pts[0];
    for &v in &pts[1..] {
        if v < last {
            correction += last;
        }
        last = v;
    }
    let mut result = last - pts[0] + correction;
    let first_t = first as i64 * step_ms;
    let mut to_start = (first_t - start) as f64 / 1000.0;
    let to_end = 0.0f64;
    let sampled = (t - first_t) as f64 / 1000.0;
    let avg = sampled / (pts.len() - 1) as f64;
    if result > 0.0 && pts[0] >= 0.0 {
        let to_zero = sampled * (pts[0] / result);
        if to_zero < to_start {
            to_start = to_zero;
        }
    }
    let threshold = avg * 1.1;
    let mut ext = sampled;
    ext += if to_start < threshold {
        to_start
    } else {
        avg / 2.0
    };
    ext += if to_end < threshold {
        to_end
    } else {
        avg / 2.0
    };
    result *= ext / sampled;
    Some(result / (range_ms as f64 / 1000.0))
}

/// The actions of a template, when each is `$labels.<name>`: the expansion over `labels`.
fn expand_labels(text: &str, labels: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find("}}") else {
            return Err("an unclosed action".into());
        };
        let body = after[..end].trim();
        match body.strip_prefix("$labels.") {
            Some(name) if crate::prom::exposition::valid_label_name(name) => {
                out.push_str(labels.get(name).map(String::as_str).unwrap_or(""));
            }
            _ => return Err(format!("`{{{{{}}}}}`", &after[..end])),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The severities' alert rules of one SLO as the writer evaluates them.
struct AlertPlan {
    /// The SLO (index in the spec) the alert belongs to.
    slo: usize,
    alertname: String,
    severity: String,
    /// (short window, long window, threshold), seconds.
    pairs: Vec<(u64, u64, f64)>,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
}

/// Writes the test for `spec` (period `period`) and `incident`.
pub fn write(
    spec: &SlothSpec,
    period: Duration,
    incident: &Incident,
    opts: &Options,
) -> Result<PromtoolTest, Vec<Violation>> {
    let (req_series, err_series) = incident.check()?;
    let mut spec = spec.clone();
    for slo in spec.slos.iter_mut() {
        slo.sli = SlothSli {
            events: Some(SlothEvents {
                error_query: format!("sum(rate({}[{{{{.window}}}}]))", err_series.text()),
                total_query: format!("sum(rate({}[{{{{.window}}}}]))", req_series.text()),
            }),
            raw: None,
        };
    }
    let file: RuleFile = generate(&spec, period)?;
    let (req_text, req_values) = counter(&incident.requests).map_err(|v| vec![v])?;
    let (err_text, err_values) = counter(&incident.errors).map_err(|v| vec![v])?;
    let step_ms = i64::try_from(incident.interval.as_millis()).unwrap_or(i64::MAX);
    let steps = incident.requests.len();

    // The alerts, as generate writes them.
    let mut plans: Vec<AlertPlan> = Vec::new();
    let mut errs = Vec::new();
    for (i, slo) in spec.slos.iter().enumerate() {
        let o = slo.objective_at(i)?;
        let budget: f64 = o.budget_text().parse().unwrap_or(f64::NAN);
        let mut base = spec.labels.clone();
        base.extend(slo.labels.clone());
        base.insert("sloth_id".into(), format!("{}-{}", spec.service, slo.name));
        base.insert("sloth_service".into(), spec.service.clone());
        base.insert("sloth_slo".into(), slo.name.clone());
        let Some(group) = file
            .groups
            .iter()
            .find(|g| g.name == format!("sloth-slo-alerts-{}-{}", spec.service, slo.name))
        else {
            continue;
        };
        let mut rules = group.rules.iter();
        for (severity, settings) in [
            ("page", &slo.alerting.page_alert),
            ("ticket", &slo.alerting.ticket_alert),
        ] {
            if settings.disable {
                continue;
            }
            let Some(rule) = rules.next() else { break };
            let pairs = SLOTH_ALERTS
                .iter()
                .filter(|a| a.0 == severity)
                .map(|&(_, short, long, share)| {
                    let f = super::budget::factor_for(share, period, Duration::from_secs(long));
                    let f: f64 = exact_number(f).parse().unwrap_or(f64::NAN);
                    (short, long, f * budget)
                })
                .collect();
            // Labels: the series' labels, then the rule's (templates over the series' labels).
            let mut labels = base.clone();
            let ap = format!("slos[{i}].alerting");
            let mut expand = |map: &BTreeMap<String, String>,
                              paths: &[(&BTreeMap<String, String>, String)],
                              out: &mut BTreeMap<String, String>,
                              drop_empty: bool| {
                for (k, v) in map {
                    match expand_labels(v, &base) {
                        Ok(x) if x.is_empty() && drop_empty => {
                            out.remove(k);
                        }
                        Ok(x) => {
                            out.insert(k.clone(), x);
                        }
                        Err(what) => {
                            let path = paths
                                .iter()
                                .rev()
                                .find(|(m, _)| m.contains_key(k))
                                .map(|(_, p)| format!("{p}.{k}"))
                                .unwrap_or_else(|| format!("{ap}.{k}"));
                            errs.push(Violation::at(
                                path,
                                "unsupported_template",
                                format!("expected only `{{{{ $labels.<name> }}}}` actions, which the promtool test writer can expand, found {what}"),
                            ));
                        }
                    }
                }
            };
            let label_paths = [
                (&slo.alerting.labels, format!("{ap}.labels")),
                (&settings.labels, format!("{ap}.{severity}_alert.labels")),
            ];
            expand(&rule.labels, &label_paths, &mut labels, true);
            let ann_paths = [
                (&slo.alerting.annotations, format!("{ap}.annotations")),
                (
                    &settings.annotations,
                    format!("{ap}.{severity}_alert.annotations"),
                ),
            ];
            let mut annotations = BTreeMap::new();
            expand(&rule.annotations, &ann_paths, &mut annotations, false);
            plans.push(AlertPlan {
                slo: i,
                alertname: rule.alert.clone().unwrap_or_default(),
                severity: severity.into(),
                pairs,
                labels,
                annotations,
            });
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }

    // The SLI ratios at every step, as the recording rules write them.
    let windows: Vec<u64> = SLI_WINDOWS.to_vec();
    let ratio = |w: u64, k: usize| -> Option<f64> {
        let range = w as i64 * 1000;
        let e = rate(&err_values, k, step_ms, range)?;
        let r = rate(&req_values, k, step_ms, range)?;
        Some(e / r)
    };
    let mut names: Vec<String> = Vec::new();
    for p in &plans {
        if !names.contains(&p.alertname) {
            names.push(p.alertname.clone());
        }
    }
    let mut checks = Vec::with_capacity((steps + 1) * names.len());
    let mut near_ties = Vec::new();
    // firing[k][plan]
    let mut firing: Vec<Vec<bool>> = Vec::with_capacity(steps + 1);
    for k in 0..=steps {
        let ratios: BTreeMap<u64, Option<f64>> =
            windows.iter().map(|&w| (w, ratio(w, k))).collect();
        let mut tie = false;
        let states: Vec<bool> = plans
            .iter()
            .map(|p| {
                p.pairs.iter().any(|&(s, l, th)| {
                    for w in [s, l] {
                        if let Some(Some(x)) = ratios.get(&w) {
                            if (x - th).abs() <= th.abs() * 1e-9 {
                                tie = true;
                            }
                        }
                    }
                    let over = |w: u64| matches!(ratios.get(&w), Some(Some(x)) if *x > th);
                    over(s) && over(l)
                })
            })
            .collect();
        let time = (k as i64 * step_ms) as f64 / 1000.0;
        if tie {
            near_ties.push(time);
        }
        for name in &names {
            let mut c = Check {
                time,
                alertname: name.clone(),
                firing: Vec::new(),
                alerts: Vec::new(),
            };
            for (p, &on) in plans.iter().zip(&states) {
                if on && &p.alertname == name {
                    c.firing.push(p.severity.clone());
                    c.alerts.push(FiringAlert {
                        labels: p.labels.clone(),
                        annotations: p.annotations.clone(),
                    });
                }
            }
            checks.push(c);
        }
        firing.push(states);
    }

    // cnarch's offline replay over the same events.
    let policy = MultiwindowPolicy::standard(period);
    let t: Vec<f64> = (1..=steps)
        .map(|k| (k as i64 * step_ms) as f64 / 1000.0)
        .collect();
    let good: Vec<f64> = incident
        .requests
        .iter()
        .zip(&incident.errors)
        .map(|(r, e)| r - e)
        .collect();
    let mut replay_differences = Vec::new();
    for (i, slo) in spec.slos.iter().enumerate() {
        let o = slo.objective_at(i)?;
        let ev = crate::alerting::evaluate::evaluate(&policy, &o, &t, &good, &incident.requests)?;
        for k in 1..=steps {
            for (pi, plan) in plans.iter().enumerate().filter(|(_, p)| p.slo == i) {
                let sev = &plan.severity;
                let replay = ev
                    .rules
                    .iter()
                    .filter(|r| &r.severity == sev)
                    .any(|r| r.states[k - 1] == crate::alerting::rule::AlertState::Firing);
                if replay != firing[k][pi] {
                    replay_differences.push(t[k - 1]);
                }
            }
        }
    }
    replay_differences.sort_by(f64::total_cmp);
    replay_differences.dedup();

    let test = test_yaml(
        opts,
        &file,
        incident.interval,
        &[(req_series.text(), req_text), (err_series.text(), err_text)],
        &checks,
    );
    Ok(PromtoolTest {
        rules: file.to_yaml(),
        test,
        checks,
        replay_differences,
        near_ties,
    })
}

/// A YAML double-quoted scalar: JSON's string syntax, which YAML's double-quoted style reads.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// The test file, written line by line (every string quoted).
fn test_yaml(
    opts: &Options,
    file: &RuleFile,
    interval: Duration,
    series: &[(String, String)],
    checks: &[Check],
) -> String {
    use std::fmt::Write as _;
    let every = prom_duration(interval);
    let mut y = String::new();
    let _ = writeln!(y, "rule_files:\n- {}", quoted(&opts.rules_file));
    let _ = writeln!(y, "evaluation_interval: {every}\ngroup_eval_order:");
    for g in &file.groups {
        let _ = writeln!(y, "- {}", quoted(&g.name));
    }
    let _ = writeln!(
        y,
        "tests:\n- name: {}\n  interval: {every}\n  input_series:",
        quoted(&opts.name)
    );
    for (s, v) in series {
        let _ = writeln!(y, "  - series: {}\n    values: {}", quoted(s), quoted(v));
    }
    let _ = writeln!(y, "  alert_rule_test:");
    let map = |y: &mut String, key: &str, m: &BTreeMap<String, String>| {
        let _ = writeln!(y, "      {key}:");
        for (k, v) in m {
            let _ = writeln!(y, "        {}: {}", quoted(k), quoted(v));
        }
    };
    for c in checks {
        let t = prom_duration(Duration::from_secs_f64(c.time));
        let _ = write!(
            y,
            "  - eval_time: {t}\n    alertname: {}\n    exp_alerts:",
            quoted(&c.alertname)
        );
        if c.alerts.is_empty() {
            y.push_str(" []\n");
            continue;
        }
        y.push('\n');
        for a in &c.alerts {
            if a.labels.is_empty() {
                y.push_str("    - exp_labels: {}\n");
            } else {
                y.push_str("    - exp_labels:\n");
                for (k, v) in &a.labels {
                    let _ = writeln!(y, "        {}: {}", quoted(k), quoted(v));
                }
            }
            if !a.annotations.is_empty() {
                map(&mut y, "exp_annotations", &a.annotations);
            }
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_extrapolates_as_prometheus_2() {
        // samples every 60 s: 0, 60, 120, ...
        let v: Vec<f64> = (0..=10).map(|i| 60.0 * i as f64).collect();
        // a full 5m window at t = 10m: (600 - 300) / 300 s
        assert_eq!(rate(&v, 10, 60_000, 300_000), Some(1.0));
        // at t = 2m the window reaches before the first sample, which is 0: no extrapolation
        // back past the zero point, so the increase (120) over the 300 s range
        assert_eq!(rate(&v, 2, 60_000, 300_000), Some(120.0 / 300.0));
        // one sample: no rate
        assert_eq!(rate(&v, 0, 60_000, 300_000), None);
        // a counter starting above zero, window before the start: half an interval at most
        let w: Vec<f64> = (0..=10).map(|i| 1000.0 + 60.0 * i as f64).collect();
        assert_eq!(
            rate(&w, 2, 60_000, 300_000),
            Some(120.0 * (150.0 / 120.0) / 300.0)
        );
        // a reset adds the value before it
        let r = [0.0, 50.0, 10.0, 70.0, 130.0, 190.0];
        assert_eq!(rate(&r, 5, 60_000, 300_000), Some(240.0 / 300.0));
    }

    #[test]
    fn series_and_templates() {
        let s = Series::parse(" http_requests_total{job=\"api\",code=\"5\\\"x\"} ", "s").unwrap();
        assert_eq!(
            s.text(),
            "http_requests_total{code=\"5\\\"x\", job=\"api\"}"
        );
        assert_eq!(Series::parse("up", "s").unwrap().text(), "up");
        for bad in [
            "",
            "0up",
            "up{job=api}",
            "up 1",
            "up{__name__=\"x\"}",
            "a\nb",
        ] {
            assert!(Series::parse(bad, "s").is_err(), "{bad}");
        }
        let l = BTreeMap::from([("a".to_string(), "x".to_string())]);
        assert_eq!(
            expand_labels("<{{ $labels.a }}|{{$labels.b}}>", &l).unwrap(),
            "<x|>"
        );
        assert!(expand_labels("{{ $value }}", &l).is_err());
        assert!(expand_labels("{{ $labels.a ", &l).is_err());
    }
}
