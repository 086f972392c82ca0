//! The binding-facing calls: where Rust, Python and JavaScript meet (as in cedar's `ffi`).
//!
//! A binding entry point converts its language's values in, calls a function here, and
//! converts the result out. Everything a binding would otherwise decide lives here or below:
//! defaults (taken from the core's own `Default`s and constructors), time units (one
//! [`Host`] per language: seconds and snake_case names for Python, milliseconds and
//! camelCase names for JavaScript), and the one error shape, [`Error`], that both bindings
//! map to their exception classes by its [`ErrorKind`].
//!
//! Submodules, one per concept:
//! - [`error`]: [`Error`], and rendering core errors for a host.
//! - [`host`]: [`Host`] and [`Case`]: each language's time unit and spelling.
//! - [`data`]: reading a binding's plain data (NaN and infinities refused with their path).
//! - [`alerting`]: Alertmanager matcher lists, configurations, routes and notification
//!   timelines.
//! - [`autoscale`]: pods, metric inputs, KPA, KEDA and simulator inputs from plain data, and
//!   the replica calculator and HPA controller options with the controller's defaults.
//! - [`events`]: event patterns and events as mappings or JSON text, and the compiled
//!   pattern matcher's calls.
//! - [`serverless`]: Lambda cost from a function and usage options (price tables as data),
//!   and the checks of an architecture's functions.
//! - [`sqs`]: SQS queues from CreateQueue's attribute mappings, and their calls at the
//!   host's times.
//! - [`slo`]: budget math arguments, policies (standard, Pyrra, custom rules with the
//!   workbook's default short window), Sloth specs, routing and escalation inputs.
//! - [`resilience`]: breaker, outlier detection, retry policy and bulkhead configurations.
//! - [`policy`]: network policy engines and mesh authorization requests.
//! - `typescript` (feature `ts`): TypeScript declarations of the wire types.
//!
//! ```
//! use cnarch_core::ffi::{self, Host};
//! let e = ffi::Error::from_coded(
//!     &cnarch_core::resilience::breaker::CircuitBreaker::new(
//!         cnarch_core::resilience::breaker::BreakerConfig {
//!             failure_rate_threshold: 0.0,
//!             ..Default::default()
//!         },
//!     )
//!     .unwrap_err(),
//!     Host::JS,
//! );
//! assert_eq!(e.code, "invalid_breaker_config");
//! assert_eq!(e.path.as_deref(), Some("failureRateThreshold"));
//! assert!(e.message.contains("failureRateThreshold"));
//! ```

pub mod alerting;
pub mod autoscale;
pub mod data;
pub mod error;
pub mod events;
#[cfg(feature = "eventsourcing")]
pub mod eventsourcing;
pub mod gateway;
pub mod host;
pub mod labels;
pub mod serverless;
pub mod slo;
pub mod sqs;
pub mod tracing;

pub use crate::error::ErrorKind;
pub use crate::time::TimeUnit;
pub use error::{Error, OrFfi};
pub use host::{Case, Host};
pub mod policy;
pub mod probes;
pub mod prom;
pub mod resilience;
#[cfg(feature = "ts")]
pub mod typescript;

use serde_json::Value;

use crate::error::{InvalidInput, Violation};

/// Reads `T` from plain data the caller gave, at `path` (an argument name): names in the
/// host's spelling become the core's (values under `keep` stay as written), and a mismatch is
/// a validation error whose violation names the field as the caller wrote it.
pub fn read<T: serde::de::DeserializeOwned>(
    host: Host,
    v: &Value,
    path: &str,
    keep: &[&str],
) -> Result<T, Error> {
    crate::validate::schema::read_input(&host.input(v.clone(), keep), path).map_err(|v| {
        host.error(&InvalidInput {
            violations: vec![v],
        })
    })
}

/// Reads an options or configuration object (absent or `null`: `T::default()`, the core's
/// defaults); anything but a mapping is refused, so a list is never read as a struct.
pub fn options<T: serde::de::DeserializeOwned + Default>(
    host: Host,
    v: Option<&Value>,
    path: &str,
    keep: &[&str],
) -> Result<T, Error> {
    match v {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v @ Value::Object(_)) => read(host, v, path, keep),
        Some(other) => Err(host.error(&InvalidInput {
            violations: vec![Violation::at(
                path,
                "invalid_type",
                format!("invalid type: expected a mapping, found {}", kind_of(other)),
            )],
        })),
    }
}

/// What a JSON value is, in words.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// An options mapping read field by field, without a serde type per mapping (each of those
/// costs the npm module a deserializer): names in the host's spelling, unknown names refused,
/// each value checked, errors as [`options`] gives them (`invalid_input`, the field's path).
#[derive(Debug)]
pub(crate) struct Fields {
    host: Host,
    path: String,
    map: serde_json::Map<String, Value>,
}

impl Fields {
    /// The mapping `v` (absent or `null`: empty) with only the fields in `known` (the core's
    /// names).
    pub(crate) fn new(
        host: Host,
        v: Option<&Value>,
        path: &str,
        known: &[&str],
    ) -> Result<Fields, Error> {
        let map = match v {
            None | Some(Value::Null) => serde_json::Map::new(),
            Some(Value::Object(m)) => match host.input(Value::Object(m.clone()), &[]) {
                Value::Object(m) => m,
                _ => serde_json::Map::new(), // renaming keys keeps a mapping a mapping
            },
            Some(other) => {
                return Err(Fields::refuse(
                    host,
                    path.to_string(),
                    "invalid_type",
                    format!("invalid type: expected a mapping, found {}", kind_of(other)),
                ))
            }
        };
        if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
            let names: Vec<String> = known
                .iter()
                .map(|n| format!("`{}`", host.name(n)))
                .collect();
            return Err(Fields::refuse(
                host,
                format!("{path}.{k}"),
                "unknown_field",
                format!(
                    "unknown field `{}`, expected one of {}",
                    host.name(k),
                    names.join(", ")
                ),
            ));
        }
        Ok(Fields {
            host,
            path: path.to_string(),
            map,
        })
    }

    fn refuse(host: Host, at: String, code: &str, message: String) -> Error {
        host.error(&InvalidInput {
            violations: vec![Violation::at(at, code, message)],
        })
    }

    fn typed<T>(
        &self,
        key: &str,
        what: &str,
        read: impl FnOnce(&Value) -> Option<T>,
    ) -> Result<Option<T>, Error> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => read(v).map(Some).ok_or_else(|| {
                Fields::refuse(
                    self.host,
                    format!("{}.{key}", self.path),
                    "invalid_type",
                    format!("invalid type: expected {what}, found {}", kind_of(v)),
                )
            }),
        }
    }

    /// A whole number from 0 to 2^32 − 1.
    pub(crate) fn u32(&self, key: &str) -> Result<Option<u32>, Error> {
        self.typed(key, "a whole number of 0 or more", |v| {
            v.as_u64().and_then(|n| u32::try_from(n).ok())
        })
    }

    /// A whole number of 0 or more.
    pub(crate) fn u64(&self, key: &str) -> Result<Option<u64>, Error> {
        self.typed(key, "a whole number of 0 or more", Value::as_u64)
    }

    /// A number.
    pub(crate) fn f64(&self, key: &str) -> Result<Option<f64>, Error> {
        self.typed(key, "a number", Value::as_f64)
    }

    /// A boolean.
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, Error> {
        self.typed(key, "a boolean", Value::as_bool)
    }

    /// A string.
    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, Error> {
        self.typed(key, "a string", |v| v.as_str().map(str::to_string))
    }

    /// A value as given (absent or `null`: `None`).
    pub(crate) fn value(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    /// The path of a field, for errors about its value.
    pub(crate) fn at(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }
}

/// Reads a document of `kind` given without `apiVersion` and `kind` (as the model writes it),
/// loading it as a document is loaded: the same rules, violations with the document's paths.
pub(crate) fn model_document(
    v: &Value,
    argument: &str,
    kind: &str,
) -> Result<crate::document::Document, Error> {
    let Value::Object(map) = v else {
        return Err(Error::type_error(
            argument,
            &format!("a {kind} as the model writes it (a mapping)"),
            kind_of(v),
        ));
    };
    let mut doc = map.clone();
    doc.insert(
        "apiVersion".into(),
        Value::String(crate::API_VERSION.into()),
    );
    doc.insert("kind".into(), Value::String(kind.into()));
    if matches!(
        kind,
        "ServerlessFunction" | "DistributedTracing" | "APIGateway"
    ) {
        // The name matters to the document, not to the cost or the tree: it may be left out.
        doc.entry("name")
            .or_insert_with(|| Value::String(argument.into()));
    }
    let mut docs = crate::load_json_value(Value::Object(doc)).map_err(|e| Host::RUST.error(&e))?;
    docs.pop()
        .ok_or_else(|| Error::internal("a loaded document went missing"))
}
