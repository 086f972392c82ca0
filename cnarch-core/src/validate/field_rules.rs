//! Field rules shared by the model: Kubernetes names, label keys and values, env var names,
//! ports, Prometheus names, ARNs and trace ids. Each returns a `validator::ValidationError`
//! whose code is stable and whose message says what was expected and what was found.
//!
//! The Kubernetes rules follow `k8s.io/apimachinery/pkg/util/validation` (`IsDNS1123Label`,
//! `IsDNS1123Subdomain`, `IsDNS1035Label`, `IsQualifiedName`, `IsValidLabelValue`,
//! `IsEnvVarName`, `IsConfigMapKey`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use validator::ValidationError;

pub(crate) fn fail(code: &'static str, message: String) -> ValidationError {
    ValidationError::new(code).with_message(Cow::Owned(message))
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, without the length limit.
fn dns_label_shape(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && is_lower_alnum(b[0])
        && is_lower_alnum(b[b.len() - 1])
        && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
}

/// Is `s` a DNS-1123 label (namespaces, most Kubernetes names)?
pub fn is_dns1123_label(s: &str) -> bool {
    s.len() <= 63 && dns_label_shape(s)
}

/// Is `s` a DNS-1123 subdomain (config maps, secrets, deployments, ingresses)?
pub fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && !s.is_empty() && s.split('.').all(dns_label_shape)
}

/// Is `s` a DNS-1035 label (Service names: must start with a letter)?
pub fn is_dns1035_label(s: &str) -> bool {
    s.len() <= 63
        && s.as_bytes().first().is_some_and(|c| c.is_ascii_lowercase())
        && dns_label_shape(s)
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters.
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.')
}

/// Is `s` a valid label key (an optional DNS-1123 subdomain prefix and `/`, then a name)?
pub fn is_label_key(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => is_dns1123_subdomain(prefix) && is_qualified_name_part(name),
        None => is_qualified_name_part(s),
    }
}

/// Is `s` a valid label value (empty, or a qualified name part of at most 63 characters)?
pub fn is_label_value(s: &str) -> bool {
    s.is_empty() || is_qualified_name_part(s)
}

macro_rules! rule {
    ($fn:ident, $check:expr, $code:literal, $what:literal) => {
        #[doc = concat!("Validator for ", $what, ".")]
        pub fn $fn(s: &str) -> Result<(), ValidationError> {
            if $check(s) {
                Ok(())
            } else {
                Err(fail(
                    $code,
                    format!(concat!("expected ", $what, ", found `{}`"), s),
                ))
            }
        }
    };
}

rule!(dns1123_label, is_dns1123_label, "invalid_dns1123_label",
    "a DNS-1123 label (at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit)");
rule!(dns1123_subdomain, is_dns1123_subdomain, "invalid_dns1123_subdomain",
    "a DNS-1123 subdomain (at most 253 characters: dot-separated lowercase labels of letters, digits and '-')");
rule!(dns1035_label, is_dns1035_label, "invalid_dns1035_label",
    "a DNS-1035 label (at most 63 lowercase letters, digits or '-', starting with a letter and ending with a letter or digit)");
rule!(
    env_var_name,
    is_env_var_name,
    "invalid_env_var_name",
    "an environment variable name (letters, digits, '_', '-' or '.', not starting with a digit)"
);
rule!(config_map_key, is_config_map_key, "invalid_config_map_key",
    "a config map key (at most 253 letters, digits, '-', '_' or '.', not `.`, `..` or starting with `..`)");
rule!(
    http_path,
    is_http_path,
    "invalid_http_path",
    "an absolute HTTP path starting with `/`"
);
rule!(
    metric_name,
    is_metric_name,
    "invalid_metric_name",
    "a Prometheus metric name matching `[a-zA-Z_:][a-zA-Z0-9_:]*`"
);
rule!(
    arn,
    is_arn,
    "invalid_arn",
    "an ARN like `arn:aws:sqs:us-east-1:123456789012:name`"
);
rule!(
    trace_id,
    is_trace_id,
    "invalid_trace_id",
    "a trace id of 32 lowercase hex digits, not all zero (W3C Trace Context)"
);
rule!(
    span_id,
    is_span_id,
    "invalid_span_id",
    "a span id of 16 lowercase hex digits, not all zero (W3C Trace Context)"
);
rule!(
    not_blank,
    |s: &str| !s.trim().is_empty(),
    "required",
    "a non-empty value"
);
rule!(
    host_name,
    is_host,
    "invalid_host",
    "a host name: a DNS-1123 subdomain, optionally with a leading `*.` wildcard"
);

/// Kubernetes' classic `IsEnvVarName`: `[-._a-zA-Z][-._a-zA-Z0-9]*`.
pub fn is_env_var_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && !b[0].is_ascii_digit()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.')
}

/// Kubernetes' `IsConfigMapKey`.
pub fn is_config_map_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s != "."
        && s != ".."
        && !s.starts_with("..")
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'.')
}

fn is_http_path(s: &str) -> bool {
    s.starts_with('/') && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Kubernetes' `IsValidPortName` (IANA service name): at most 15 characters of lowercase
/// letters, digits and '-', at least one letter, no leading, trailing or doubled '-'.
pub fn is_port_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 15
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && b.iter().any(|c| c.is_ascii_lowercase())
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && !s.contains("--")
}

/// Prometheus metric names: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
pub fn is_metric_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_' || b[0] == b':')
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b':')
}

/// Prometheus label names: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub fn is_prom_label_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_alphabetic() || b[0] == b'_')
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

fn is_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    parts.len() == 6
        && parts[0] == "arn"
        && !parts[1].is_empty()
        && !parts[2].is_empty()
        && !parts[5].is_empty()
}

fn is_hex_id(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        && s.bytes().any(|c| c != b'0')
}

fn is_trace_id(s: &str) -> bool {
    is_hex_id(s, 32)
}

fn is_span_id(s: &str) -> bool {
    is_hex_id(s, 16)
}

fn is_host(s: &str) -> bool {
    is_dns1123_subdomain(s.strip_prefix("*.").unwrap_or(s))
}

/// A label key.
pub fn label_key(k: &str) -> Result<(), ValidationError> {
    if is_label_key(k) {
        Ok(())
    } else {
        Err(fail("invalid_label_key", format!(
            "expected label keys of an optional DNS-1123 subdomain prefix and `/` then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, found `{k}`")))
    }
}

/// A label value.
pub fn label_value(v: &str) -> Result<(), ValidationError> {
    if is_label_value(v) {
        Ok(())
    } else {
        Err(fail("invalid_label_value", format!(
            "expected label values of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty), found `{v}`")))
    }
}

/// Lists of label values.
pub fn label_values(list: &[String]) -> Result<(), ValidationError> {
    list.iter().try_for_each(|v| label_value(v))
}

/// Label maps: every key a label key and every value a label value.
pub fn labels(map: &BTreeMap<String, String>) -> Result<(), ValidationError> {
    map.iter()
        .try_for_each(|(k, v)| label_key(k).and_then(|_| label_value(v)))
}

/// Prometheus label maps: keys are Prometheus label names.
pub fn prom_labels(map: &BTreeMap<String, String>) -> Result<(), ValidationError> {
    match map.keys().find(|k| !is_prom_label_name(k)) {
        Some(k) => Err(fail(
            "invalid_label_name",
            format!(
                "expected Prometheus label names matching `[a-zA-Z_][a-zA-Z0-9_]*`, found `{k}`"
            ),
        )),
        None => Ok(()),
    }
}

/// Environment maps: every key an env var name.
pub fn env_map(map: &BTreeMap<String, String>) -> Result<(), ValidationError> {
    match map.keys().find(|k| !is_env_var_name(k)) {
        Some(k) => env_var_name(k),
        None => Ok(()),
    }
}

/// Lists of Kubernetes object names (DNS-1123 subdomains).
pub fn subdomain_list(list: &[String]) -> Result<(), ValidationError> {
    list.iter().try_for_each(|s| dns1123_subdomain(s))
}

/// Lists of Prometheus metric names.
pub fn metric_name_list(list: &[String]) -> Result<(), ValidationError> {
    list.iter().try_for_each(|s| metric_name(s))
}

/// Config map data keys.
pub fn config_map_keys<V>(map: &BTreeMap<String, V>) -> Result<(), ValidationError> {
    map.keys().try_for_each(|k| config_map_key(k))
}

/// A finite number (no NaN or infinity).
pub fn finite(v: f64) -> Result<(), ValidationError> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(fail(
            "not_finite",
            format!("expected a finite number, found {v}"),
        ))
    }
}

/// A fraction in [0, 1].
pub fn unit_interval(v: f64) -> Result<(), ValidationError> {
    if (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        Err(fail(
            "out_of_range",
            format!("expected a number between 0 and 1, found {v}"),
        ))
    }
}

/// An SLO objective in the open interval (0, 1).
pub fn objective(v: f64) -> Result<(), ValidationError> {
    if v > 0.0 && v < 1.0 {
        Ok(())
    } else {
        Err(fail(
            "out_of_range",
            format!("expected an objective strictly between 0 and 1 (like 0.999), found {v}"),
        ))
    }
}

/// A strictly positive Go duration.
pub fn positive_duration(d: &crate::duration::Duration) -> Result<(), ValidationError> {
    if d.is_positive() {
        Ok(())
    } else {
        Err(fail(
            "not_positive",
            format!("expected a positive duration, found `{d}`"),
        ))
    }
}

/// A non-negative Go duration.
pub fn non_negative_duration(d: &crate::duration::Duration) -> Result<(), ValidationError> {
    if d.as_nanos() >= 0 {
        Ok(())
    } else {
        Err(fail(
            "negative",
            format!("expected a duration of zero or more, found `{d}`"),
        ))
    }
}

/// A strictly positive Prometheus duration.
pub fn positive_prom_duration(d: &crate::duration::PromDuration) -> Result<(), ValidationError> {
    if d.as_millis() > 0 {
        Ok(())
    } else {
        Err(fail(
            "not_positive",
            format!("expected a positive duration, found `{d}`"),
        ))
    }
}

/// A non-negative quantity.
pub fn non_negative_quantity(q: &crate::quantity::Quantity) -> Result<(), ValidationError> {
    if q.nanos() >= 0 {
        Ok(())
    } else {
        Err(fail(
            "negative",
            format!("expected a quantity of zero or more, found `{q}`"),
        ))
    }
}

/// A strictly positive quantity.
pub fn positive_quantity(q: &crate::quantity::Quantity) -> Result<(), ValidationError> {
    if q.nanos() > 0 {
        Ok(())
    } else {
        Err(fail(
            "not_positive",
            format!("expected a quantity greater than zero, found `{q}`"),
        ))
    }
}

/// A list that must not be empty.
pub fn non_empty_list<T>(list: &[T]) -> Result<(), ValidationError> {
    if list.is_empty() {
        Err(fail(
            "required",
            "expected at least one item, found none".to_string(),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_names() {
        assert!(is_dns1123_label("user-service"));
        assert!(!is_dns1123_label("User"));
        assert!(!is_dns1123_label("-a"));
        assert!(!is_dns1123_label(&"a".repeat(64)));
        assert!(is_dns1123_subdomain("a.b-c.d"));
        assert!(!is_dns1123_subdomain("a..b"));
        assert!(is_dns1035_label("svc1"));
        assert!(!is_dns1035_label("1svc"));
        assert!(is_label_key("app.kubernetes.io/name"));
        assert!(is_label_key("app"));
        assert!(!is_label_key("/app"));
        assert!(!is_label_key("a/b/c"));
        assert!(is_label_value(""));
        assert!(!is_label_value("a b"));
        assert!(is_env_var_name("DATABASE_URL"));
        assert!(!is_env_var_name("1X"));
        assert!(!is_config_map_key(".."));
        assert!(is_metric_name("http_requests_total"));
        assert!(!is_metric_name("1x"));
    }
}
