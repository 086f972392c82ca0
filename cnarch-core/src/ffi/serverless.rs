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

/// An SQS event source mapping from CreateEventSourceMapping's parameters (AWS's names, as
/// written in every language; absent: the defaults), checked for a standard queue.
pub fn event_source_mapping(
    host: Host,
    mapping: Option<&Value>,
) -> Result<crate::serverless::esm::EventSourceMapping, Error> {
    match mapping {
        None | Some(Value::Null) => Ok(Default::default()),
        Some(v) => crate::serverless::esm::EventSourceMapping::from_value(v, "")
            .map_err(|e| host.error(&e)),
    }
}

/// The mapping's settings as plain data.
pub fn mapping_settings(
    host: Host,
    m: &crate::serverless::esm::EventSourceMapping,
) -> Result<Value, Error> {
    host.output(&serde_json::json!({
        "batch_size": m.batch_size,
        "maximum_batching_window": m.maximum_batching_window,
        "report_batch_item_failures": m.report_batch_item_failures,
        "maximum_concurrency": m.maximum_concurrency,
    }))
}

/// One arrival of [`drain`]'s trace.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ArrivalArgs {
    at: f64,
    count: u32,
    size: Option<u32>,
    failing: Option<u32>,
    groups: Option<u32>,
}

/// [`drain`]'s options.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DrainArgs {
    duration: Option<f64>,
    per_message: Option<f64>,
    timeout: Option<f64>,
    reserved_concurrency: Option<u32>,
    arrivals: Vec<ArrivalArgs>,
    until: Option<f64>,
    tick: Option<f64>,
}

/// Drains `queue` through a function with `mapping`; `options`: `duration` (per invocation,
/// required), `per_message`, `timeout` (3 s by default), `reserved_concurrency`, `arrivals`
/// (`[{at, count, size, failing, groups}]`), `until` (required) and `tick` (1 s by default),
/// times in the host's unit. The timeline and totals as plain data.
pub fn drain(
    host: Host,
    queue: &mut crate::events::sqs::Queue,
    mapping: &crate::serverless::esm::EventSourceMapping,
    options: Option<&Value>,
) -> Result<Value, Error> {
    use crate::serverless::esm::{self, Arrival, Consumer, DrainOptions};
    let o: DrainArgs = super::options(host, options, "options", &[])?;
    let need = |v: Option<f64>, name: &str, what: &str| {
        v.ok_or_else(|| Error::type_error(&host.name(name), what, "nothing"))
    };
    let consumer = Consumer {
        duration: host.duration(
            need(o.duration, "duration", "an invocation's duration")?,
            "duration",
        )?,
        per_message: match o.per_message {
            Some(v) => host.duration(v, "per_message")?,
            None => std::time::Duration::ZERO,
        },
        timeout: match o.timeout {
            Some(v) => host.duration(v, "timeout")?,
            None => crate::serverless::DEFAULT_TIMEOUT,
        },
        reserved_concurrency: o.reserved_concurrency,
    };
    let arrivals = o
        .arrivals
        .iter()
        .map(|a| {
            Ok(Arrival {
                at: host.instant(a.at, "at")?,
                count: a.count,
                size: a.size.unwrap_or(1024),
                failing: a.failing.unwrap_or(0),
                groups: a.groups.unwrap_or(1),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let opts = DrainOptions {
        until: host.instant(need(o.until, "until", "the last tick's time")?, "until")?,
        tick: match o.tick {
            Some(v) => host.duration(v, "tick")?,
            None => std::time::Duration::from_secs(1),
        },
    };
    let d = esm::drain(queue, mapping, &consumer, &arrivals, &opts).map_err(|e| host.error(&e))?;
    let points: Vec<Value> = d
        .points
        .iter()
        .map(|p| {
            serde_json::json!({
                "at": host.of_instant(p.at),
                "visible": p.visible,
                "in_flight": p.in_flight,
                "oldest_age": p.oldest_age.map(|a| host.of(a)),
                "concurrency": p.concurrency,
                "batches_allowed": p.batches_allowed,
                "invocations": p.invocations,
                "throttles": p.throttles,
                "deleted": p.deleted,
                "moved_to_dead_letter": p.moved_to_dead_letter,
            })
        })
        .collect();
    host.output(&serde_json::json!({
        "points": points,
        "invocations": d.invocations,
        "throttles": d.throttles,
        "timeouts": d.timeouts,
        "failed_records": d.failed_records,
        "max_concurrency": d.max_concurrency,
        "deleted": d.deleted,
        "moved_to_dead_letter": d.moved_to_dead_letter,
        "stale_deletes": d.stale_deletes,
        "drained_at": d.drained_at.map(|t| host.of_instant(t)),
    }))
}
