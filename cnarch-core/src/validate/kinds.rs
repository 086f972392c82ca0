//! The hand-written cross-field rules of each document kind (references between names, unique
//! names, rules that span fields), after the field rules of [`super::fields`].

use std::collections::BTreeSet;

use super::fields::check;
use super::found::Found;
use crate::model::{
    data, events, eventsourcing, gateway, mesh, observability, serverless, workload,
};

/// `CloudNativeApp`.
pub(crate) fn cloud_native_app(d: &workload::CloudNativeApp, out: &mut Vec<Found>) {
    check("", d, out);
    app(d, out);
}

/// `Microservice`.
pub(crate) fn microservice(d: &workload::Microservice, out: &mut Vec<Found>) {
    check("", d, out);
    if let Some(hc) = &d.health_check {
        health_check("healthCheck", hc, out);
    }
    if let Some(s) = &d.scaling {
        scaling("scaling", s, out);
    }
}

/// `ServiceMesh`.
pub(crate) fn mesh(d: &mesh::ServiceMesh, out: &mut Vec<Found>) {
    check("", d, out);
    service_mesh(d, out);
}

/// `CloudNativeDB`.
pub(crate) fn database(d: &data::CloudNativeDb, out: &mut Vec<Found>) {
    check("", d, out);
    let alerts = d.monitoring.iter().flat_map(|m| m.alerts.iter());
    for (i, a) in alerts.enumerate() {
        if a.slo.is_some() {
            out.push(Found::new(
                format!("monitoring.alerts[{i}].slo"),
                "unknown_field",
                "unknown field `slo`: an alert on a database has no SLO (SLO alerts belong in \
                 `ServiceLevelObjectives.alerts`)",
            ));
        }
    }
    if let Some(b) = &d.backup {
        if b.enabled && b.schedule.is_none() {
            out.push(Found::new(
                "backup.schedule",
                "required",
                "expected a schedule when backups are enabled, found none",
            ));
        }
    }
}

/// `ServerlessFunction`.
pub(crate) fn function(d: &serverless::ServerlessFunction, out: &mut Vec<Found>) {
    check("", d, out);
    if d.name.is_none() {
        out.push(Found::new(
            "name",
            "missing_field",
            "expected a function name, found nothing",
        ));
    }
}

/// `EventDrivenArchitecture`.
pub(crate) fn events(d: &events::EventDrivenArchitecture, out: &mut Vec<Found>) {
    check("", d, out);
    event_driven(d, out);
}

/// `APIGateway`.
pub(crate) fn gateway(d: &gateway::ApiGateway, out: &mut Vec<Found>) {
    check("", d, out);
    api_gateway(d, out);
}

/// `EventSourcing`.
pub(crate) fn event_sourcing(d: &eventsourcing::EventSourcing, out: &mut Vec<Found>) {
    check("", d, out);
    if let Some(r) = &d.replay {
        if let (Some(from), Some(to)) = (r.from, r.to) {
            if from > to {
                out.push(Found::new(
                    "replay.to",
                    "invalid_time_range",
                    format!(
                        "expected `to` at or after `from` ({}), found {}",
                        from.to_rfc3339(),
                        to.to_rfc3339()
                    ),
                ));
            }
        }
    }
}

/// `ObservabilityStack`.
pub(crate) fn observability(d: &observability::ObservabilityStack, out: &mut Vec<Found>) {
    check("", d, out);
    observability_stack(d, out);
}

/// `ServiceLevelObjectives`.
pub(crate) fn objectives(d: &observability::ServiceLevelObjectives, out: &mut Vec<Found>) {
    check("", d, out);
    unique_names("slos", d.slos.iter().map(|s| s.name.as_str()), out);
    let names: BTreeSet<&str> = d.slos.iter().map(|s| s.name.as_str()).collect();
    for (i, a) in d.alerts.iter().enumerate() {
        let path = format!("alerts[{i}].slo");
        match &a.slo {
            Some(slo) => reference(&path, slo, &names, "an SLO in `slos`", out),
            None => out.push(Found::new(
                path,
                "missing_field",
                "missing field: expected `slo`, found nothing",
            )),
        }
    }
}

/// `DistributedTracing`.
pub(crate) fn tracing(d: &observability::DistributedTracing, out: &mut Vec<Found>) {
    check("", d, out);
    for (i, s) in d.spans.iter().enumerate() {
        span(&format!("spans[{i}]"), s, out);
    }
}

fn reference(path: &str, name: &str, known: &BTreeSet<&str>, what: &str, out: &mut Vec<Found>) {
    if !known.contains(name) {
        let list: Vec<&str> = known.iter().copied().collect();
        let expected = if list.is_empty() {
            "nothing is declared".to_string()
        } else {
            format!("one of {}", list.join(", "))
        };
        out.push(Found::new(
            path,
            "unknown_reference",
            format!("expected the name of {what} ({expected}), found `{name}`"),
        ));
    }
}

fn unique_names<'a>(path: &str, names: impl Iterator<Item = &'a str>, out: &mut Vec<Found>) {
    let mut seen = BTreeSet::new();
    for (i, n) in names.enumerate() {
        if !seen.insert(n) {
            out.push(Found::new(
                format!("{path}[{i}].name"),
                "duplicate_name",
                format!("expected unique names, found `{n}` again"),
            ));
        }
    }
}

fn app(d: &workload::CloudNativeApp, out: &mut Vec<Found>) {
    unique_names("services", d.services.iter().map(|s| s.name.as_str()), out);
    unique_names(
        "configMaps",
        d.config_maps.iter().map(|s| s.name.as_str()),
        out,
    );
    unique_names("secrets", d.secrets.iter().map(|s| s.name.as_str()), out);
    unique_names(
        "deployments",
        d.deployments.iter().map(|s| s.name.as_str()),
        out,
    );
    if let Some(ing) = &d.ingress {
        if !d.services.is_empty() {
            let names: BTreeSet<&str> = d.services.iter().map(|s| s.name.as_str()).collect();
            reference(
                "ingress.service",
                &ing.service,
                &names,
                "a service in `services`",
                out,
            );
        }
    }
}

fn health_check(prefix: &str, hc: &workload::HealthCheck, out: &mut Vec<Found>) {
    for (name, probe) in [("liveness", &hc.liveness), ("startup", &hc.startup)] {
        if let Some(p) = probe {
            if let Some(s) = p.success_threshold {
                if s != 1 {
                    out.push(Found::new(
                        format!("{prefix}.{name}.successThreshold"),
                        "invalid_success_threshold",
                        format!(
                            "expected 1 for a {name} probe (as Kubernetes requires), found {s}"
                        ),
                    ));
                }
            }
        }
    }
}

fn scaling(prefix: &str, s: &workload::Scaling, out: &mut Vec<Found>) {
    if s.max_replicas < s.min_replicas {
        out.push(Found::new(
            format!("{prefix}.maxReplicas"),
            "max_below_min",
            format!(
                "expected maxReplicas at least minReplicas ({}), found {}",
                s.min_replicas, s.max_replicas
            ),
        ));
    }
}

fn service_mesh(d: &mesh::ServiceMesh, out: &mut Vec<Found>) {
    unique_names("services", d.services.iter().map(|s| s.name.as_str()), out);
    for (i, s) in d.services.iter().enumerate() {
        if !s.destinations.is_empty() {
            let total: i64 = s
                .destinations
                .iter()
                .map(|x| i64::from(x.weight.unwrap_or(0).max(0)))
                .sum();
            if total == 0 {
                out.push(Found::new(
                    format!("services[{i}].destinations"),
                    "zero_total_weight",
                    "expected destination weights with a total above 0, found a total of 0",
                ));
            }
        }
    }
}

fn event_driven(d: &events::EventDrivenArchitecture, out: &mut Vec<Found>) {
    for (key, f) in &d.functions {
        let prefix = format!("functions.{key}");
        check(&prefix, f, out);
        if let Some(n) = &f.name {
            if n != key {
                out.push(Found::new(
                    format!("{prefix}.name"),
                    "name_mismatch",
                    format!("expected the map key `{key}` or no name, found `{n}`"),
                ));
            }
        }
    }
    for (key, e) in &d.events {
        let prefix = format!("events.{key}");
        check(&prefix, e, out);
        if let Some(n) = &e.name {
            if n != key {
                out.push(Found::new(
                    format!("{prefix}.name"),
                    "name_mismatch",
                    format!("expected the map key `{key}` or no name, found `{n}`"),
                ));
            }
        }
    }
    let functions: BTreeSet<&str> = d.functions.keys().map(String::as_str).collect();
    let event_names: BTreeSet<&str> = d.events.keys().map(String::as_str).collect();
    for (i, r) in d.rules.iter().enumerate() {
        reference(
            &format!("rules[{i}].event"),
            &r.event,
            &event_names,
            "an event in `events`",
            out,
        );
        reference(
            &format!("rules[{i}].target"),
            &r.target,
            &functions,
            "a function in `functions`",
            out,
        );
    }
    for (i, s) in d.schedules.iter().enumerate() {
        reference(
            &format!("schedules[{i}].target"),
            &s.target,
            &functions,
            "a function in `functions`",
            out,
        );
    }
    unique_names("queues", d.queues.iter().map(|q| q.name.as_str()), out);
    unique_names("topics", d.topics.iter().map(|q| q.name.as_str()), out);
}

fn api_gateway(d: &gateway::ApiGateway, out: &mut Vec<Found>) {
    let authorizers: BTreeSet<&str> = d.authorizers.iter().map(|a| a.name.as_str()).collect();
    let paths: BTreeSet<&str> = d.resources.iter().map(|r| r.path.as_str()).collect();
    for (i, r) in d.resources.iter().enumerate() {
        if let Some(a) = &r.authorizer {
            reference(
                &format!("resources[{i}].authorizer"),
                a,
                &authorizers,
                "an authorizer in `authorizers`",
                out,
            );
        }
        if let Some(c) = &r.cors {
            if c.allow_credentials && c.allow_origins.iter().any(|o| o == "*") {
                out.push(Found::new(
                    format!("resources[{i}].cors.allowCredentials"),
                    "cors_credentials_with_wildcard",
                    "expected explicit origins when credentials are allowed (the Fetch standard ignores credentials with origin `*`), found `*`",
                ));
            }
        }
    }
    if !d.resources.is_empty() {
        for (i, m) in d.methods.iter().enumerate() {
            reference(
                &format!("methods[{i}].resource"),
                &m.resource,
                &paths,
                "a resource path in `resources`",
                out,
            );
        }
    }
    unique_names("stages", d.stages.iter().map(|s| s.name.as_str()), out);
}

fn observability_stack(d: &observability::ObservabilityStack, out: &mut Vec<Found>) {
    if let Some(a) = &d.alerts {
        let channels: BTreeSet<&str> = a.channels.iter().map(|c| c.name.as_str()).collect();
        if let Some(esc) = &a.escalation {
            for (i, step) in esc.steps.iter().enumerate() {
                for (j, c) in step.channels.iter().enumerate() {
                    reference(
                        &format!("alerts.escalation.steps[{i}].channels[{j}]"),
                        c,
                        &channels,
                        "a channel in `alerts.channels`",
                        out,
                    );
                }
            }
        }
        unique_names("alerts.rules", a.rules.iter().map(|r| r.name.as_str()), out);
    }
    for (i, dash) in d.dashboards.iter().enumerate() {
        for (j, p) in dash.panels.iter().enumerate() {
            if let Some(axes) = &p.axes {
                for (name, axis) in [
                    ("left", &axes.left),
                    ("right", &axes.right),
                    ("bottom", &axes.bottom),
                ] {
                    if let Some(Some((lo, hi))) = axis.as_ref().map(|a| a.min.zip(a.max)) {
                        if lo > hi {
                            out.push(Found::new(
                                format!("dashboards[{i}].panels[{j}].axes.{name}.max"),
                                "max_below_min",
                                format!("expected max at least min ({lo}), found {hi}"),
                            ));
                        }
                    }
                }
            }
        }
    }
    unique_names("slos", d.slos.iter().map(|s| s.name.as_str()), out);
}

fn span(prefix: &str, s: &observability::Span, out: &mut Vec<Found>) {
    if let (Some(start), Some(end)) = (s.start_time, s.end_time) {
        if end < start {
            out.push(Found::new(
                format!("{prefix}.endTime"),
                "invalid_time_range",
                format!(
                    "expected endTime at or after startTime ({}), found {}",
                    start.to_rfc3339(),
                    end.to_rfc3339()
                ),
            ));
        } else if let Some(d) = s.duration {
            let actual = (end - start).num_nanoseconds();
            if actual != Some(d.as_nanos()) {
                let shown = actual
                    .map(|n| crate::duration::Duration::from_nanos(n).to_string())
                    .unwrap_or_default();
                out.push(Found::new(
                    format!("{prefix}.duration"),
                    "duration_mismatch",
                    format!("expected endTime − startTime ({shown}), found `{d}`"),
                ));
            }
        }
    }
    if s.parent_id.as_deref() == Some(s.span_id.as_str()) {
        out.push(Found::new(
            format!("{prefix}.parentID"),
            "self_parent",
            "expected a parent span other than the span itself",
        ));
    }
}
