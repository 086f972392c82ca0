//! The event store from plain data: events in and out as mappings (payloads as JSON values,
//! or base64 text for bytes), expected revisions as the host spells them, times in the host's
//! unit (milliseconds since the Unix epoch in the core), options as mappings.

use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::{Error, Fields, Host};
use crate::eventsourcing::{
    Bound, CatchUp, Delivery, Direction, EventData, EventId, ExpectedRevision, Loaded, LogFilter,
    Nack, ParkReason, Partition, Persistent, PersistentSettings, Progress, Projection,
    RecordedEvent, Replay, RunReport, SnapshotPolicy, Snapshots, Source, Store, StoreError,
};
use crate::time::Instant;

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn invalid(host: Host, path: &str, message: impl Into<String>) -> Error {
    host.error(&StoreError::Invalid {
        path: path.into(),
        message: message.into(),
    })
}

/// A time argument in the host's unit as milliseconds since the Unix epoch.
pub fn millis(host: Host, t: f64, field: &str) -> Result<i64, Error> {
    let i = host.instant(t, field)?;
    let ns = i.saturating_since(Instant::ZERO).as_nanos();
    Ok(i64::try_from(ns / 1_000_000).unwrap_or(i64::MAX))
}

/// Milliseconds since the Unix epoch as a time in the host's unit.
pub fn time_out(host: Host, ms: i64) -> f64 {
    host.of_instant(Instant::from_millis(u64::try_from(ms).unwrap_or(0)))
}

/// An expected revision: `any`, `no_stream`, `stream_exists` (as the host spells them) or a
/// revision (a whole number).
pub fn expected(host: Host, v: Option<&Value>) -> Result<ExpectedRevision, Error> {
    let path = host.name("expected");
    match v {
        None | Some(Value::Null) => Ok(ExpectedRevision::Any),
        Some(Value::String(s)) if *s == "any" => Ok(ExpectedRevision::Any),
        Some(Value::String(s)) if *s == host.name("no_stream") => Ok(ExpectedRevision::NoStream),
        Some(Value::String(s)) if *s == host.name("stream_exists") => {
            Ok(ExpectedRevision::StreamExists)
        }
        Some(other) => match other.as_u64() {
            Some(r) => Ok(ExpectedRevision::Exact(r)),
            None => {
                let (no, exists) = (host.name("no_stream"), host.name("stream_exists"));
                Err(invalid(
                    host,
                    &path,
                    format!("expected `any`, `{no}`, `{exists}` or a revision (a whole number 0 or more), found {other}"),
                ))
            }
        },
    }
}

/// A payload: a JSON value under `key`, or base64 text under `key_base64`.
fn payload(
    host: Host,
    m: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<(Vec<u8>, bool), Error> {
    let b64_key = host.name(&format!("{key}_base64"));
    match (m.get(key), m.get(&b64_key)) {
        (Some(_), Some(_)) => Err(invalid(
            host,
            &format!("{at}.{key}"),
            format!("expected `{key}` or `{b64_key}`, not both"),
        )),
        (Some(v), None) => serde_json::to_vec(v)
            .map(|b| (b, true))
            .map_err(|e| invalid(host, &format!("{at}.{key}"), e.to_string())),
        (None, Some(Value::String(s))) => b64().decode(s).map(|b| (b, false)).map_err(|e| {
            invalid(
                host,
                &format!("{at}.{b64_key}"),
                format!("expected base64 text: {e}"),
            )
        }),
        (None, Some(_)) => Err(invalid(
            host,
            &format!("{at}.{b64_key}"),
            "expected base64 text",
        )),
        (None, None) => Ok((Vec::new(), true)),
    }
}

/// Events to append: a list of mappings with `id` (a UUID), `type`, and optionally `data`
/// and `metadata` (JSON values) or `data_base64`/`metadata_base64` (bytes as base64 text), and
/// `is_json` (default: whether `data` was given as JSON).
pub fn events(host: Host, v: &Value) -> Result<Vec<EventData>, Error> {
    let list = v
        .as_array()
        .ok_or_else(|| invalid(host, "events", "expected a list of events"))?;
    let is_json_key = host.name("is_json");
    let known = [
        "id".to_string(),
        "type".to_string(),
        "data".to_string(),
        "metadata".to_string(),
        host.name("data_base64"),
        host.name("metadata_base64"),
        is_json_key.clone(),
    ];
    list.iter()
        .enumerate()
        .map(|(i, e)| {
            let at = format!("events[{i}]");
            let m = e
                .as_object()
                .ok_or_else(|| invalid(host, &at, "expected a mapping"))?;
            if let Some(k) = m.keys().find(|k| !known.contains(k)) {
                return Err(invalid(
                    host,
                    &format!("{at}.{k}"),
                    format!("unknown field `{k}`, expected one of {}", known.join(", ")),
                ));
            }
            let id = match m.get("id") {
                Some(Value::String(s)) => EventId::parse(s).map_err(|e| match e {
                    StoreError::Invalid { message, .. } => {
                        invalid(host, &format!("{at}.id"), message)
                    }
                    other => host.error(&other),
                })?,
                _ => return Err(invalid(host, &format!("{at}.id"), "expected a UUID")),
            };
            let event_type = match m.get("type") {
                Some(Value::String(s)) => s.clone(),
                _ => {
                    return Err(invalid(
                        host,
                        &format!("{at}.type"),
                        "expected an event type",
                    ))
                }
            };
            let (data, json_data) = payload(host, m, "data", &at)?;
            let (metadata, _) = payload(host, m, "metadata", &at)?;
            let is_json = match m.get(&is_json_key) {
                None => json_data,
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    return Err(invalid(
                        host,
                        &format!("{at}.{is_json_key}"),
                        "expected true or false",
                    ))
                }
            };
            Ok(EventData {
                id,
                event_type,
                data,
                metadata,
                is_json,
            })
        })
        .collect()
}

/// Bytes as a JSON value under `key` when they are one, else as base64 under `key_base64`.
fn put_payload(host: Host, out: &mut Map<String, Value>, key: &str, bytes: &[u8], json: bool) {
    if bytes.is_empty() {
        out.insert(key.into(), Value::Null);
        return;
    }
    if json {
        if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
            out.insert(key.into(), v);
            return;
        }
    }
    out.insert(key.into(), Value::Null);
    out.insert(
        host.name(&format!("{key}_base64")),
        Value::String(b64().encode(bytes)),
    );
}

/// A recorded event as a mapping: `stream`, `revision`, `position`, `id`, `type`, `is_json`,
/// `created` (in the host's unit), `data` and `metadata` (JSON values; bytes that are not
/// JSON as base64 text under `data_base64`/`metadata_base64`, with `data` null).
pub fn event(host: Host, e: &RecordedEvent) -> Value {
    let mut m = Map::new();
    m.insert("stream".into(), Value::String(e.stream.clone()));
    m.insert("revision".into(), json!(e.revision));
    m.insert("position".into(), json!(e.position));
    m.insert("id".into(), Value::String(e.id.to_string()));
    m.insert("type".into(), Value::String(e.event_type.clone()));
    m.insert(host.name("is_json"), Value::Bool(e.is_json));
    m.insert("created".into(), json!(time_out(host, e.created)));
    put_payload(host, &mut m, "data", &e.data, e.is_json);
    put_payload(host, &mut m, "metadata", &e.metadata, true);
    Value::Object(m)
}

fn event_list(host: Host, list: &[&RecordedEvent]) -> Value {
    Value::Array(list.iter().map(|e| event(host, e)).collect())
}

/// Appends `events` to `stream` with `expected` at `now`:
/// `{next_expected_revision, position, written}`.
pub fn append(
    host: Host,
    store: &mut Store,
    stream: &str,
    events_value: &Value,
    expected_value: Option<&Value>,
    now: f64,
) -> Result<Value, Error> {
    let exp = expected(host, expected_value)?;
    let evs = events(host, events_value)?;
    let now = millis(host, now, "now")?;
    let r = store
        .append(stream, exp, evs, now)
        .map_err(|e| host.error(&e))?;
    host.output(&r)
}

fn direction(host: Host, o: &Fields) -> Result<Direction, Error> {
    match o.string("direction")?.as_deref() {
        None | Some("forwards") => Ok(Direction::Forwards),
        Some("backwards") => Ok(Direction::Backwards),
        Some(other) => Err(invalid(
            host,
            "direction",
            format!("expected `forwards` or `backwards`, found `{other}`"),
        )),
    }
}

fn max_count(o: &Fields) -> Result<usize, Error> {
    Ok(o.u64("max_count")?
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX)))
}

/// Reads `stream` with `options` (`direction`, `from_revision`, `max_count`, `now`: the
/// read's time for `$maxAge`; without it no event counts as too old).
pub fn read_stream(
    host: Host,
    store: &Store,
    stream: &str,
    options: Option<&Value>,
) -> Result<Value, Error> {
    let o = Fields::new(
        host,
        options,
        "options",
        &["direction", "from_revision", "max_count", "now"],
    )?;
    let now = match o.f64("now")? {
        Some(t) => millis(host, t, "now")?,
        // the epoch: `$maxAge` then hides nothing
        None => 0,
    };
    let list = store
        .read_stream(
            stream,
            direction(host, &o)?,
            o.u64("from_revision")?,
            max_count(&o)?,
            now,
        )
        .map_err(|e| host.error(&e))?;
    Ok(event_list(host, &list))
}

fn filter(host: Host, o: &Fields) -> Result<LogFilter, Error> {
    let list = |key: &str| -> Result<Vec<String>, Error> {
        match o.value(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| invalid(host, key, "expected a list of prefixes"))
                })
                .collect(),
            Some(_) => Err(invalid(host, key, "expected a list of prefixes")),
        }
    };
    Ok(LogFilter {
        stream_prefixes: list("stream_prefixes")?,
        event_type_prefixes: list("event_type_prefixes")?,
    })
}

/// Reads the global log with `options` (`direction`, `from_position`, `max_count`,
/// `stream_prefixes`, `event_type_prefixes`).
pub fn read_all(host: Host, store: &Store, options: Option<&Value>) -> Result<Value, Error> {
    let o = Fields::new(
        host,
        options,
        "options",
        &[
            "direction",
            "from_position",
            "max_count",
            "stream_prefixes",
            "event_type_prefixes",
        ],
    )?;
    let list = store.read_all(
        direction(host, &o)?,
        o.u64("from_position")?,
        max_count(&o)?,
        &filter(host, &o)?,
    );
    Ok(event_list(host, &list))
}

/// Soft-deletes (`hard` false) or tombstones `stream` with `expected`.
pub fn delete(
    host: Host,
    store: &mut Store,
    stream: &str,
    expected_value: Option<&Value>,
    hard: bool,
) -> Result<(), Error> {
    let exp = expected(host, expected_value)?;
    let r = if hard {
        store.tombstone(stream, exp)
    } else {
        store.delete(stream, exp)
    };
    r.map_err(|e| host.error(&e))
}

/// Sets `stream`'s metadata from `meta` (`max_count`, `max_age` in the host's unit,
/// `truncate_before`).
pub fn set_metadata(
    host: Host,
    store: &mut Store,
    stream: &str,
    meta: Option<&Value>,
) -> Result<(), Error> {
    let o = Fields::new(
        host,
        meta,
        "metadata",
        &["max_count", "max_age", "truncate_before"],
    )?;
    let max_age = match o.f64("max_age")? {
        Some(t) => Some(host.duration(t, "max_age")?),
        None => None,
    };
    store
        .set_metadata(
            stream,
            crate::eventsourcing::StreamMetadata {
                max_count: o.u64("max_count")?,
                max_age,
                truncate_before: o.u64("truncate_before")?,
            },
        )
        .map_err(|e| host.error(&e))
}

/// `stream`'s metadata, or null.
pub fn metadata(host: Host, store: &Store, stream: &str) -> Result<Value, Error> {
    match store.metadata(stream) {
        None => Ok(Value::Null),
        Some(m) => host.output(&json!({
            "max_count": m.max_count,
            "max_age": m.max_age.map(|d| host.of(d)),
            "truncate_before": m.truncate_before,
        })),
    }
}

/// Loads a store from JSON lines.
pub fn from_json_lines(host: Host, text: &str) -> Result<Store, Error> {
    Store::from_json_lines(text).map_err(|e| host.error(&e))
}

/// Loads a store from its binary form.
pub fn from_bytes(host: Host, bytes: &[u8]) -> Result<Store, Error> {
    Store::from_bytes(bytes).map_err(|e| host.error(&e))
}

/// A subscription source: a stream name (text), or the global log (null, or a mapping with
/// `stream_prefixes` and `event_type_prefixes`).
pub fn source(host: Host, v: Option<&Value>) -> Result<Source, Error> {
    match v {
        Some(Value::String(s)) => Ok(Source::Stream(s.clone())),
        None | Some(Value::Null) => Ok(Source::All(LogFilter::default())),
        Some(Value::Object(_)) => {
            let o = Fields::new(
                host,
                v,
                "source",
                &["stream_prefixes", "event_type_prefixes"],
            )?;
            Ok(Source::All(filter(host, &o)?))
        }
        Some(_) => Err(invalid(
            host,
            "source",
            "expected a stream name, or null or a filter mapping for the global log",
        )),
    }
}

fn size(host: Host, n: Option<u64>, field: &str, default: usize) -> Result<usize, Error> {
    match n {
        None => Ok(default),
        Some(n) => {
            usize::try_from(n).map_err(|_| invalid(host, field, "expected a smaller number"))
        }
    }
}

/// A catch-up subscription to `source` with `options` (`checkpoint`: resume after it;
/// `batch_size`: events per poll, default 500).
pub fn catch_up(
    host: Host,
    source_value: Option<&Value>,
    options: Option<&Value>,
) -> Result<CatchUp, Error> {
    let src = source(host, source_value)?;
    let o = Fields::new(host, options, "options", &["checkpoint", "batch_size"])?;
    let batch = size(host, o.u64("batch_size")?, "batch_size", 500)?;
    CatchUp::new(src, o.u64("checkpoint")?, batch).map_err(|e| host.error(&e))
}

/// The next batch of a catch-up subscription at `now`: `{events, checkpoint, caught_up}`.
pub fn poll(host: Host, c: &mut CatchUp, store: &Store, now: f64) -> Result<Value, Error> {
    let now = millis(host, now, "now")?;
    let b = c.poll(store, now).map_err(|e| host.error(&e))?;
    let mut m = Map::new();
    m.insert("events".into(), event_list(host, &b.events));
    m.insert("checkpoint".into(), json!(b.checkpoint));
    m.insert(host.name("caught_up"), Value::Bool(b.caught_up));
    Ok(Value::Object(m))
}

/// A persistent subscription with `options` (`start_after`, `max_retry_count`,
/// `message_timeout` in the host's unit, `buffer_size`).
pub fn persistent(
    host: Host,
    source_value: Option<&Value>,
    options: Option<&Value>,
) -> Result<Persistent, Error> {
    let src = source(host, source_value)?;
    let o = Fields::new(
        host,
        options,
        "options",
        &[
            "start_after",
            "max_retry_count",
            "message_timeout",
            "buffer_size",
        ],
    )?;
    let d = PersistentSettings::default();
    let message_timeout_ms = match o.f64("message_timeout")? {
        Some(t) => {
            let dur = host.duration(t, "message_timeout")?;
            i64::try_from(dur.as_millis()).unwrap_or(i64::MAX)
        }
        None => d.message_timeout_ms,
    };
    let settings = PersistentSettings {
        max_retry_count: o.u32("max_retry_count")?.unwrap_or(d.max_retry_count),
        message_timeout_ms,
        buffer_size: size(host, o.u64("buffer_size")?, "buffer_size", d.buffer_size)?,
    };
    Persistent::new(src, o.u64("start_after")?, settings).map_err(|e| host.error(&e))
}

/// What a persistent subscription hands out at `now`: `[{event, retry_count}]`.
pub fn persistent_poll(
    host: Host,
    p: &mut Persistent,
    store: &Store,
    now: f64,
) -> Result<Value, Error> {
    let now = millis(host, now, "now")?;
    let ds: Vec<Delivery> = p.poll(store, now).map_err(|e| host.error(&e))?;
    let retry = host.name("retry_count");
    Ok(Value::Array(
        ds.iter()
            .map(|d| {
                let mut m = Map::new();
                m.insert("event".into(), event(host, d.event));
                m.insert(retry.clone(), json!(d.retry_count));
                Value::Object(m)
            })
            .collect(),
    ))
}

/// Nacks the event at `position` with `action` (`retry`, `park` or `skip`).
pub fn nack(host: Host, p: &mut Persistent, position: u64, action: &str) -> Result<(), Error> {
    let a = match action {
        "retry" => Nack::Retry,
        "park" => Nack::Park,
        "skip" => Nack::Skip,
        other => {
            return Err(invalid(
                host,
                "action",
                format!("expected `retry`, `park` or `skip`, found `{other}`"),
            ))
        }
    };
    p.nack(position, a).map_err(|e| host.error(&e))
}

/// The parked events: `[{position, reason}]` (`max_retries` or `by_client`, as the host
/// spells them).
pub fn parked(host: Host, p: &Persistent) -> Value {
    Value::Array(
        p.parked()
            .iter()
            .map(|(pos, r)| {
                let reason = match r {
                    ParkReason::MaxRetries => host.name("max_retries"),
                    ParkReason::ByClient => host.name("by_client"),
                };
                json!({"position": pos, "reason": reason})
            })
            .collect(),
    )
}

/// A projection of `source` with `event_types` (empty: all), `partition` (null: one state;
/// `stream`; or a JSON pointer such as `/region`), starting each state at `init`.
pub fn projection<S: Clone>(
    host: Host,
    source_value: Option<&Value>,
    event_types: Vec<String>,
    partition: Option<&str>,
    init: S,
    batch_size: Option<u64>,
) -> Result<Projection<S>, Error> {
    let src = source(host, source_value)?;
    let part = match partition {
        None => Partition::None,
        Some("stream") => Partition::Stream,
        Some(p) => Partition::Field(p.to_string()),
    };
    let batch = size(host, batch_size, "batch_size", 500)?;
    Projection::new(src, event_types, part, init, batch).map_err(|e| host.error(&e))
}

/// A run's report: `{folded, passed_over, checkpoint}`.
pub fn run_report(host: Host, r: &RunReport) -> Result<Value, Error> {
    host.output(&json!({
        "folded": r.folded,
        "passed_over": r.passed_over,
        "checkpoint": r.checkpoint,
    }))
}

/// Snapshots with `options` (`every_events`, `every` and `retention` in the host's unit).
pub fn snapshots<S: Clone>(host: Host, options: Option<&Value>) -> Result<Snapshots<S>, Error> {
    let o = Fields::new(
        host,
        options,
        "options",
        &["every_events", "every", "retention"],
    )?;
    let ms = |key: &str| -> Result<Option<i64>, Error> {
        match o.f64(key)? {
            Some(t) => {
                let d = host.duration(t, key)?;
                Ok(Some(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)))
            }
            None => Ok(None),
        }
    };
    let policy = SnapshotPolicy {
        every_events: o.u64("every_events")?,
        every_ms: ms("every")?,
        retention_ms: ms("retention")?,
    };
    Snapshots::new(policy).map_err(|e| host.error(&e))
}

/// A load's numbers (without the state): `{revision, snapshot, events_read}`.
pub fn loaded<S>(host: Host, l: &Loaded<S>) -> Result<Value, Error> {
    host.output(&json!({
        "revision": l.revision,
        "snapshot": l.snapshot,
        "events_read": l.events_read,
    }))
}

/// A replay of `store` with `options` (`from_position` or `from_time`, `to_position` or
/// `to_time` (times in the host's unit), `stream_prefixes`, `event_type_prefixes`,
/// `batch_size`, default 500).
pub fn replay(host: Host, store: &Store, options: Option<&Value>) -> Result<Replay, Error> {
    let o = Fields::new(
        host,
        options,
        "options",
        &[
            "from_position",
            "from_time",
            "to_position",
            "to_time",
            "stream_prefixes",
            "event_type_prefixes",
            "batch_size",
        ],
    )?;
    let bound = |pos: &str, time: &str| -> Result<Bound, Error> {
        match (o.u64(pos)?, o.f64(time)?) {
            (Some(_), Some(_)) => Err(invalid(
                host,
                pos,
                format!(
                    "expected `{}` or `{}`, not both",
                    host.name(pos),
                    host.name(time)
                ),
            )),
            (Some(p), None) => Ok(Bound::Position(p)),
            (None, Some(t)) => Ok(Bound::Time(millis(host, t, time)?)),
            (None, None) => Ok(Bound::Open),
        }
    };
    let from = bound("from_position", "from_time")?;
    let to = bound("to_position", "to_time")?;
    let batch = size(host, o.u64("batch_size")?, "batch_size", 500)?;
    Replay::new(store, from, to, filter(host, &o)?, batch).map_err(|e| host.error(&e))
}

/// The next replay batch (a list of events), or null when done.
pub fn replay_next(host: Host, r: &mut Replay, store: &Store) -> Value {
    match r.next_batch(store) {
        Some(list) => event_list(host, &list),
        None => Value::Null,
    }
}

/// A replay's progress: `{done, total, position}`.
pub fn progress(host: Host, p: Progress) -> Result<Value, Error> {
    host.output(&json!({"done": p.done, "total": p.total, "position": p.position}))
}
