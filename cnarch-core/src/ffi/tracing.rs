//! W3C Trace Context headers and OpenTelemetry samplers from plain data: headers as text,
//! results as plain data in the host's spelling, samplers from their parameters.

use serde_json::{json, Value};

use super::{Error, Fields, Host};
use crate::tracing::context::{self, FLAG_RANDOM, FLAG_SAMPLED};
use crate::tracing::{Parent, ParentBased, Sampler, TraceParent, TraceState};

/// A parsed `traceparent`: `{version, trace_id, parent_id, trace_flags, sampled,
/// random_trace_id}` (ids as lowercase hex, flags as a number).
pub fn parse_traceparent(host: Host, header: &str) -> Result<Value, Error> {
    let tp = TraceParent::parse(header).map_err(|e| host.error(&e))?;
    host.output(&json!({
        "version": tp.version,
        "trace_id": tp.trace_id_hex(),
        "parent_id": tp.parent_id_hex(),
        "trace_flags": tp.flags,
        "sampled": tp.sampled(),
        "random_trace_id": tp.random_trace_id(),
    }))
}

/// A version 00 `traceparent` from hex ids and `options`: `sampled`, `random` (booleans) or
/// `trace_flags` (a number from 0 to 255, which the booleans then set or clear).
pub fn format_traceparent(
    host: Host,
    trace_id: &str,
    parent_id: &str,
    options: Option<&Value>,
) -> Result<String, Error> {
    let o = Fields::new(
        host,
        options,
        "options",
        &["sampled", "random", "trace_flags"],
    )?;
    let mut flags = match o.u64("trace_flags")? {
        None => 0u8,
        Some(f) => u8::try_from(f).map_err(|_| {
            Error::number(
                &host.name("options.trace_flags"),
                "a number from 0 to 255",
                f,
            )
        })?,
    };
    for (key, bit) in [("sampled", FLAG_SAMPLED), ("random", FLAG_RANDOM)] {
        match o.bool(key)? {
            Some(true) => flags |= bit,
            Some(false) => flags &= !bit,
            None => {}
        }
    }
    let tp = TraceParent::new(trace_id, parent_id, flags).map_err(|e| host.error(&e))?;
    Ok(tp.to_string())
}

fn state(host: Host, header: &str) -> Result<TraceState, Error> {
    TraceState::parse(header).map_err(|e| host.error(&e))
}

/// A `tracestate`'s members, leftmost first, as `[key, value]` pairs.
pub fn parse_tracestate(host: Host, header: &str) -> Result<Vec<(String, String)>, Error> {
    Ok(state(host, header)?.members().to_vec())
}

/// `header` with `key` set to `value` and moved to the left.
pub fn update_tracestate(
    host: Host,
    header: &str,
    key: &str,
    value: &str,
) -> Result<String, Error> {
    let mut ts = state(host, header)?;
    ts.insert(key, value).map_err(|e| host.error(&e))?;
    Ok(ts.to_string())
}

/// `header` without `key`.
pub fn remove_tracestate(host: Host, header: &str, key: &str) -> Result<String, Error> {
    let mut ts = state(host, header)?;
    ts.remove(key);
    Ok(ts.to_string())
}

/// `header` truncated to at most `max_len` characters (members over 128 characters first,
/// then from the right).
pub fn truncate_tracestate(host: Host, header: &str, max_len: usize) -> Result<String, Error> {
    Ok(state(host, header)?.truncate(max_len).to_string())
}

/// Go's `TraceIDRatioBased(ratio)`.
pub fn trace_id_ratio(host: Host, ratio: f64) -> Result<Sampler, Error> {
    Sampler::trace_id_ratio(ratio).map_err(|e| host.error(&e))
}

/// The consistent probability sampler (precision 4 unless given).
pub fn probability(host: Host, probability: f64, precision: Option<u32>) -> Result<Sampler, Error> {
    Sampler::probability(probability, precision.unwrap_or(4)).map_err(|e| host.error(&e))
}

/// ParentBased around `root`, with Go's defaults for the delegates not given.
pub fn parent_based(
    root: Sampler,
    remote_parent_sampled: Option<Sampler>,
    remote_parent_not_sampled: Option<Sampler>,
    local_parent_sampled: Option<Sampler>,
    local_parent_not_sampled: Option<Sampler>,
) -> Sampler {
    let d = ParentBased::new(root);
    Sampler::ParentBased(Box::new(ParentBased {
        remote_parent_sampled: remote_parent_sampled.unwrap_or(d.remote_parent_sampled),
        remote_parent_not_sampled: remote_parent_not_sampled.unwrap_or(d.remote_parent_not_sampled),
        local_parent_sampled: local_parent_sampled.unwrap_or(d.local_parent_sampled),
        local_parent_not_sampled: local_parent_not_sampled.unwrap_or(d.local_parent_not_sampled),
        root: d.root,
    }))
}

/// ParentBased sampler `s` with the delegate `which` (`remote_parent_sampled`,
/// `remote_parent_not_sampled`, `local_parent_sampled`, `local_parent_not_sampled`, in the
/// host's spelling) replaced by `delegate`.
pub fn with_delegate(
    host: Host,
    s: &Sampler,
    which: &str,
    delegate: &Sampler,
) -> Result<Sampler, Error> {
    let Sampler::ParentBased(p) = s else {
        return Err(Error::type_error(
            "sampler",
            "a ParentBased sampler",
            &s.description(),
        ));
    };
    let mut p = p.clone();
    const NAMES: [&str; 4] = [
        "remote_parent_sampled",
        "remote_parent_not_sampled",
        "local_parent_sampled",
        "local_parent_not_sampled",
    ];
    let slot = match NAMES.iter().position(|n| host.name(n) == which) {
        Some(0) => &mut p.remote_parent_sampled,
        Some(1) => &mut p.remote_parent_not_sampled,
        Some(2) => &mut p.local_parent_sampled,
        Some(3) => &mut p.local_parent_not_sampled,
        _ => {
            let names: Vec<String> = NAMES
                .iter()
                .map(|n| format!("`{}`", host.name(n)))
                .collect();
            return Err(Error::type_error(
                "which",
                &format!("one of {}", names.join(", ")),
                &format!("`{which}`"),
            ));
        }
    };
    *slot = delegate.clone();
    Ok(Sampler::ParentBased(p))
}

/// The sampler a model's `sampleRate` stands for (ParentBased around TraceIdRatioBased).
pub fn from_sample_rate(host: Host, rate: Option<f64>) -> Result<Sampler, Error> {
    Sampler::from_sample_rate(rate).map_err(|e| host.error(&e))
}

/// The decision for a span of `trace_id` (32 hex digits) with `parent` (absent for a root
/// span): `{sampled, decision, tracestate, sampler}`. `parent` is `{sampled, remote, tracestate}`:
/// `sampled` required, `remote` true unless given, `tracestate` a header (empty unless given).
pub fn should_sample(
    host: Host,
    s: &Sampler,
    trace_id: &str,
    parent: Option<&Value>,
) -> Result<Value, Error> {
    let id = context::trace_id(trace_id).map_err(|e| host.error(&e))?;
    let parent = match parent {
        None | Some(Value::Null) => None,
        Some(v) => {
            let p = Fields::new(
                host,
                Some(v),
                "parent",
                &["sampled", "remote", "tracestate"],
            )?;
            let sampled = p.bool("sampled")?.ok_or_else(|| {
                Error::type_error(&host.name("parent.sampled"), "a boolean", "nothing")
            })?;
            Some(Parent {
                sampled,
                remote: p.bool("remote")?.unwrap_or(true),
                tracestate: state(host, &p.string("tracestate")?.unwrap_or_default())?,
            })
        }
    };
    let d = s.should_sample(&id, parent.as_ref());
    host.output(&json!({
        "sampled": d.sampled,
        "decision": if d.sampled { "RecordAndSample" } else { "Drop" },
        "tracestate": d.tracestate.to_string(),
        "sampler": s.decider(parent.as_ref()).description(),
    }))
}

/// The span trees of a `DistributedTracing` (as the model writes it, without `apiVersion` and
/// `kind`; `name` may be left out): per trace, roots, orphans, spans with their depth,
/// children, start, duration and self time, the critical path, and the findings. Times are
/// in the host's unit from the trace's first start.
pub fn span_tree(host: Host, tracing: &Value) -> Result<Value, Error> {
    let crate::document::Document::DistributedTracing(t) =
        super::model_document(tracing, "tracing", "DistributedTracing")?
    else {
        return Err(Error::internal(
            "a DistributedTracing loaded as another kind",
        ));
    };
    let unit = host.unit_seconds();
    let scale = |x: f64| x / unit;
    let trees: Vec<Value> = crate::tracing::trees(&t.spans)
        .into_iter()
        .map(|tr| {
            let spans: Vec<Value> = tr
                .spans
                .iter()
                .map(|s| {
                    json!({
                        "span_id": s.span_id,
                        "parent_id": s.parent_id,
                        "name": s.name,
                        "depth": s.depth,
                        "children": s.children,
                        "start": s.start.map(scale),
                        "duration": s.duration.map(scale),
                        "self_time": s.self_time.map(scale),
                    })
                })
                .collect();
            let path: Vec<Value> = tr
                .critical_path
                .iter()
                .map(|c| {
                    json!({
                        "span_id": c.span_id,
                        "name": c.name,
                        "start": scale(c.start),
                        "end": scale(c.end),
                    })
                })
                .collect();
            json!({
                "trace_id": tr.trace_id,
                "roots": tr.roots,
                "orphans": tr.orphans,
                "spans": spans,
                "critical_path": path,
                "findings": tr.findings,
            })
        })
        .collect();
    host.output(&trees)
}
