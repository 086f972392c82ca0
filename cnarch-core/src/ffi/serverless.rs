//! Serverless cost and checks from plain data: a function or an event-driven architecture as
//! the model writes it (camelCase in every language, never re-spelled), usage options in the
//! host's spelling and time unit, price tables as data.

use serde_json::Value;

use super::{Error, Fields, Host};
use crate::document::Document;
use crate::serverless::{self, Architecture, PriceTable, Usage};

/// The model's documents are read as written.
const AS_WRITTEN: Host = Host::RUST;

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

/// The month's cost of `function` (the model's `ServerlessFunction`) with `options`:
/// `invocations` and `duration` (one invocation's, in the host's unit) required;
/// `memory_mb`, `architecture` (`x86_64`, `arm64`), `free_tier` (true by default) and
/// `prices` (the published table by default) optional.
pub fn cost(host: Host, function: &Value, options: Option<&Value>) -> Result<Value, Error> {
    let Document::ServerlessFunction(f) =
        super::model_document(function, "function", "ServerlessFunction")?
    else {
        return Err(Error::internal(
            "a ServerlessFunction loaded as another kind",
        ));
    };
    let o = Fields::new(
        host,
        options,
        "options",
        &[
            "invocations",
            "duration",
            "memory_mb",
            "architecture",
            "free_tier",
            "prices",
        ],
    )?;
    let invocations = o.u64("invocations")?.ok_or_else(|| {
        Error::type_error(
            &host.name("invocations"),
            "a whole number of invocations",
            "nothing",
        )
    })?;
    let duration = o.f64("duration")?.ok_or_else(|| {
        Error::type_error(
            &host.name("duration"),
            "one invocation's duration",
            "nothing",
        )
    })?;
    let table = match o.value("prices") {
        None => PriceTable::aws_default(),
        Some(v) => prices(host, v)?,
    };
    let architecture = match o.string("architecture")?.as_deref() {
        None | Some("x86_64") => Architecture::X86_64,
        Some("arm64") => Architecture::Arm64,
        Some(other) => {
            return Err(host.error(&crate::error::UnknownName::new(
                "architecture",
                format!("expected architecture `x86_64` or `arm64`, found `{other}`"),
            )))
        }
    };
    let usage = Usage {
        invocations,
        duration: host.duration(duration, "duration")?,
        architecture,
        free_tier: o.bool("free_tier")?.unwrap_or(true),
        memory_mb: o.u32("memory_mb")?,
    };
    let c = serverless::cost(&f, &usage, &table).map_err(|e| host.error(&e))?;
    let mut v = host.output(&c)?;
    v[host.name("billed_duration")] = host.of(c.billed_duration).into();
    Ok(v)
}

/// The findings of [`serverless::check`] on an event-driven architecture (its document
/// without `apiVersion` and `kind`, as the model writes it).
pub fn check(architecture: &Value) -> Result<Value, Error> {
    let Document::EventDrivenArchitecture(a) =
        super::model_document(architecture, "architecture", "EventDrivenArchitecture")?
    else {
        return Err(Error::internal(
            "an EventDrivenArchitecture loaded as another kind",
        ));
    };
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
    let o = Fields::new(
        host,
        options,
        "options",
        &[
            "duration",
            "per_message",
            "timeout",
            "reserved_concurrency",
            "arrivals",
            "until",
            "tick",
        ],
    )?;
    let need = |v: Option<f64>, name: &str, what: &str| {
        v.ok_or_else(|| Error::type_error(&host.name(name), what, "nothing"))
    };
    let consumer = Consumer {
        duration: host.duration(
            need(o.f64("duration")?, "duration", "an invocation's duration")?,
            "duration",
        )?,
        per_message: match o.f64("per_message")? {
            Some(v) => host.duration(v, "per_message")?,
            None => std::time::Duration::ZERO,
        },
        timeout: match o.f64("timeout")? {
            Some(v) => host.duration(v, "timeout")?,
            None => crate::serverless::DEFAULT_TIMEOUT,
        },
        reserved_concurrency: o.u32("reserved_concurrency")?,
    };
    let list = match o.value("arrivals") {
        None => &[][..],
        Some(Value::Array(items)) => items.as_slice(),
        Some(other) => {
            return Err(Error::type_error(
                &host.name(&o.at("arrivals")),
                "a list of arrivals",
                super::kind_of(other),
            ))
        }
    };
    let mut arrivals = Vec::with_capacity(list.len());
    for (i, a) in list.iter().enumerate() {
        let path = format!("options.arrivals[{i}]");
        let f = Fields::new(
            host,
            Some(a),
            &path,
            &["at", "count", "size", "failing", "groups"],
        )?;
        let (Some(at), Some(count)) = (f.f64("at")?, f.u32("count")?) else {
            return Err(Error::type_error(
                &path,
                "an arrival with `at` and `count`",
                "one without",
            ));
        };
        arrivals.push(Arrival {
            at: host.instant(at, "at")?,
            count,
            size: f.u32("size")?.unwrap_or(1024),
            failing: f.u32("failing")?.unwrap_or(0),
            groups: f.u32("groups")?.unwrap_or(1),
        });
    }
    let opts = DrainOptions {
        until: host.instant(
            need(o.f64("until")?, "until", "the last tick's time")?,
            "until",
        )?,
        tick: match o.f64("tick")? {
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
