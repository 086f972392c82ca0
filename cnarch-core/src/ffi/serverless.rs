//! Serverless cost and checks from plain data: a function or an event-driven architecture as
//! the model writes it (camelCase in every language, never re-spelled), usage options in the
//! host's spelling and time unit, price tables as data.

use serde_json::Value;

use super::{Error, Host};
use crate::error::{InvalidInput, Violation};
use crate::model::events::EventDrivenArchitecture;
use crate::model::serverless::ServerlessFunction;
use crate::serverless::{self, Architecture, PriceTable, Usage};

/// The model's documents are read as written.
const AS_WRITTEN: Host = Host::RUST;

/// Reads a model type and runs its validation rules, every violation with its path under
/// `path`.
fn model<T: serde::de::DeserializeOwned + validator::Validate>(
    v: &Value,
    path: &str,
) -> Result<T, Error> {
    let t: T = super::read(AS_WRITTEN, v, path, &[])?;
    let mut found = Vec::new();
    crate::validate::fields::check(path, &t, &mut found);
    if found.is_empty() {
        Ok(t)
    } else {
        Err(AS_WRITTEN.error(&InvalidInput {
            violations: found
                .into_iter()
                .map(|f| Violation::at(f.path, &f.code, f.message))
                .collect(),
        }))
    }
}

/// The published price table (the default of [`cost`]).
pub fn default_prices(host: Host) -> Result<Value, Error> {
    host.output(&PriceTable::aws_default())
}

/// A price table from plain data, checked.
pub fn prices(host: Host, v: &Value) -> Result<PriceTable, Error> {
    let t: PriceTable = super::read(host, v, "prices", &[])?;
    t.check().map_err(|e| host.error(&e))?;
    Ok(t)
}

/// [`cost`]'s options.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CostArgs {
    invocations: Option<u64>,
    duration: Option<f64>,
    memory_mb: Option<u32>,
    architecture: Option<Architecture>,
    free_tier: Option<bool>,
    prices: Option<Value>,
}

/// The month's cost of `function` (the model's `ServerlessFunction`) with `options`:
/// `invocations` and `duration` (one invocation's, in the host's unit) required;
/// `memory_mb`, `architecture` (`x86_64`, `arm64`), `free_tier` (true by default) and
/// `prices` (the published table by default) optional.
pub fn cost(host: Host, function: &Value, options: Option<&Value>) -> Result<Value, Error> {
    let f: ServerlessFunction = model(function, "function")?;
    let o: CostArgs = super::options(host, options, "options", &[])?;
    let invocations = o.invocations.ok_or_else(|| {
        Error::type_error(
            &host.name("invocations"),
            "a whole number of invocations",
            "nothing",
        )
    })?;
    let duration = o.duration.ok_or_else(|| {
        Error::type_error(
            &host.name("duration"),
            "one invocation's duration",
            "nothing",
        )
    })?;
    let table = match &o.prices {
        None | Some(Value::Null) => PriceTable::aws_default(),
        Some(v) => prices(host, v)?,
    };
    let usage = Usage {
        invocations,
        duration: host.duration(duration, "duration")?,
        architecture: o.architecture.unwrap_or_default(),
        free_tier: o.free_tier.unwrap_or(true),
        memory_mb: o.memory_mb,
    };
    let c = serverless::cost(&f, &usage, &table).map_err(|e| host.error(&e))?;
    let mut v = host.output(&c)?;
    v[host.name("billed_duration")] = host.of(c.billed_duration).into();
    Ok(v)
}

/// The findings of [`serverless::check`] on an event-driven architecture (its document
/// without `apiVersion` and `kind`, as the model writes it).
pub fn check(architecture: &Value) -> Result<Value, Error> {
    let a: EventDrivenArchitecture = model(architecture, "architecture")?;
    AS_WRITTEN.output(&serverless::check(&a))
}
