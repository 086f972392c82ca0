//! The declarative field rules (`#[validate(...)]`, via `validator`) turned into violations
//! named by the path the user wrote (`healthCheck.liveness.periodSeconds`).

use std::borrow::Cow;

use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use super::found::Found;

/// Rust field names whose wire name is not their plain lowerCamelCase.
fn wire_name(field: &str) -> Cow<'_, str> {
    let special = match field {
        "target_cpu" => Some("targetCPU"),
        "authorizer_uri" => Some("authorizerURI"),
        "ref_id" => Some("refID"),
        "trace_id" => Some("traceID"),
        "span_id" => Some("spanID"),
        "parent_id" => Some("parentID"),
        "service_type" | "secret_type" | "db_type" | "policy_type" | "action_type"
        | "trigger_type" | "event_type" | "queue_type" | "topic_type" | "integration_type"
        | "authorizer_type" | "store_type" | "collector_type" | "metric_type"
        | "aggregator_type" | "parser_type" | "tracing_type" | "alerting_type" | "channel_type"
        | "panel_type" | "variable_type" | "indicator_type" => Some("type"),
        _ => None,
    };
    if let Some(s) = special {
        return Cow::Borrowed(s);
    }
    if !field.contains('_') {
        return Cow::Borrowed(field);
    }
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_string()
    } else if field.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix}.{field}")
    }
}

/// Flattens `validator`'s nested errors into path-named violations.
pub(crate) fn flatten(prefix: &str, errors: &ValidationErrors, out: &mut Vec<Found>) {
    for (field, kind) in errors.errors() {
        let name = wire_name(field);
        // A probe's handler enum nests its action under `httpGet` etc.; the enum itself has
        // no key on the wire.
        let path = if (field == "handler" && matches!(kind, ValidationErrorsKind::Struct(_)))
            || field == "__all__"
        {
            prefix.to_string()
        } else {
            join(prefix, &name)
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    out.push(field_error(&path, e));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten(&format!("{path}[{i}]"), inner, out);
                }
            }
        }
    }
}

fn field_error(path: &str, e: &validator::ValidationError) -> Found {
    if e.code == "range" {
        let p = |k: &str| e.params.get(k).map(|v| v.to_string());
        let found = p("value").unwrap_or_default();
        let expected = match (p("min").or(p("exclusive_min")), p("max")) {
            (Some(lo), Some(hi)) => format!("a value between {lo} and {hi}"),
            (Some(lo), None) if e.params.contains_key("exclusive_min") => {
                format!("a value greater than {lo}")
            }
            (Some(lo), None) => format!("a value of at least {lo}"),
            (None, Some(hi)) => format!("a value of at most {hi}"),
            (None, None) => "a value in range".to_string(),
        };
        return Found::new(
            path,
            "out_of_range",
            format!("expected {expected}, found {found}"),
        );
    }
    let message = e
        .message
        .as_ref()
        .map(|m| m.to_string())
        .unwrap_or_else(|| format!("failed the `{}` rule", e.code));
    Found::new(path, e.code.to_string(), message)
}

pub(crate) fn check<T: Validate>(prefix: &str, v: &T, out: &mut Vec<Found>) {
    if let Err(e) = v.validate() {
        flatten(prefix, &e, out);
    }
}
