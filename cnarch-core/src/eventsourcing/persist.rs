//! The store as data: JSON lines for interchange, and a compact binary form.
//!
//! Both hold everything a store is: every stream (name, soft delete or tombstone, the
//! truncation a recreation left, its metadata) and every event of the global log in order,
//! with the events a scavenge removed kept as empty slots (positions never move). Loading
//! checks the whole input before it returns a store: an input that is corrupt, truncated or of
//! another version is refused with the byte offset of the record that does not load, and
//! nothing is half-loaded.
//!
//! **JSON lines** (version 1), one object per line:
//! - `{"format":"cnarch.eventstore","version":1}` first;
//! - one line per stream: `{"stream":"order-1"}`, with `"deleted":"soft"` or
//!   `"tombstone"`, `"truncate_before":N` and `"metadata":{"max_count":..,"max_age_ms":..,
//!   "truncate_before":..}` when they apply;
//! - one line per event, in log order: `{"position":0,"stream":..,"revision":0,"id":"<uuid>",
//!   "type":..,"created":<ms>,"is_json":true,"data":<the payload>}`. The payload is written as
//!   JSON when the event is JSON and its bytes are one JSON value on one line, otherwise as
//!   `"data_base64"`; metadata likewise (`"metadata"` or `"metadata_base64"`, absent when
//!   empty); a removed event is `"removed":true` without payloads;
//! - `{"end":{"streams":S,"events":E}}` last, so a file cut at a line boundary is refused.
//!
//! **Binary** (version 1): `CNES`, a version byte, then postcard records (the stream
//! table, the event type table, the events with their stream and type as table indexes),
//! then a CRC-32 of everything before it, little-endian. postcard is serde's compact varint
//! format (a stable wire format since 1.0, no schema, small code); the checksum catches
//! corruption that still decodes.

use std::collections::HashMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::store::{
    check_name, Deletion, EventId, Fixed, RecordedEvent, Store, StoreError, Stream,
};
use super::StreamMetadata;

const FORMAT: &str = "cnarch.eventstore";
const VERSION: u32 = 1;
const MAGIC: &[u8; 4] = b"CNES";

fn corrupt(offset: usize, message: impl Into<String>) -> StoreError {
    StoreError::Corrupt {
        offset,
        message: message.into(),
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u32,
}

#[derive(Serialize, Deserialize, Default, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct MetaLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_age_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    truncate_before: Option<u64>,
}

impl MetaLine {
    fn of(m: StreamMetadata) -> MetaLine {
        MetaLine {
            max_count: m.max_count,
            max_age_ms: m
                .max_age
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            truncate_before: m.truncate_before,
        }
    }

    fn meta(self) -> StreamMetadata {
        StreamMetadata {
            max_count: self.max_count,
            max_age: self.max_age_ms.map(std::time::Duration::from_millis),
            truncate_before: self.truncate_before,
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum DeletedLine {
    Soft,
    Tombstone,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StreamLine<'a> {
    #[serde(borrow)]
    stream: std::borrow::Cow<'a, str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deleted: Option<DeletedLine>,
    #[serde(default, skip_serializing_if = "is_zero")]
    truncate_before: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metadata: Option<MetaLine>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventLine<'a> {
    position: u64,
    #[serde(borrow)]
    stream: std::borrow::Cow<'a, str>,
    revision: u64,
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
    #[serde(rename = "type", borrow)]
    event_type: std::borrow::Cow<'a, str>,
    created: i64,
    is_json: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data: Option<&'a RawValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    data_base64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a RawValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metadata_base64: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    removed: bool,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Counts {
    streams: usize,
    events: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndLine {
    end: Counts,
}

/// Writes `v` as one JSON line (serializing these plain structs into memory cannot fail).
fn line<T: Serialize>(out: &mut Vec<u8>, v: &T) {
    let _ = serde_json::to_writer(&mut *out, v);
    out.push(b'\n');
}

/// Bytes as a one-line JSON value, when they are one.
fn as_json_line(bytes: &[u8]) -> Option<&RawValue> {
    if bytes.is_empty() || bytes.iter().any(|&b| b == b'\n' || b == b'\r') {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let raw: &RawValue = serde_json::from_str(text).ok()?;
    // `from_str` trims surrounding whitespace; only take bytes that come back unchanged
    (raw.get().len() == text.len()).then_some(raw)
}

fn stream_line(s: &Stream) -> StreamLine<'_> {
    StreamLine {
        stream: s.name.as_str().into(),
        deleted: match s.deletion {
            Deletion::None => None,
            Deletion::Soft => Some(DeletedLine::Soft),
            Deletion::Tombstone => Some(DeletedLine::Tombstone),
        },
        truncate_before: s.truncate_before,
        metadata: s.meta.map(MetaLine::of),
    }
}

/// Rebuilds the ids the store derives from its log: each id at its last writer, unless a
/// scavenge removed that event (what appends and scavenges leave). `stream_of` holds each
/// position's stream index.
fn finish(mut store: Store, stream_of: &[u32]) -> Store {
    let mut ids = HashMap::with_capacity_and_hasher(store.log.len(), Fixed::default());
    for (e, &si) in store.log.iter().zip(stream_of) {
        ids.insert(e.id, (si as usize, e.revision));
    }
    for ((e, &si), _) in store
        .log
        .iter()
        .zip(stream_of)
        .zip(&store.removed)
        .filter(|(_, gone)| **gone)
    {
        if ids.get(&e.id) == Some(&(si as usize, e.revision)) {
            ids.remove(&e.id);
        }
    }
    store.ids = ids;
    store
}

impl Store {
    /// The store as JSON lines (see the module documentation).
    pub fn to_json_lines(&self) -> String {
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut out: Vec<u8> = Vec::with_capacity(64 + self.log.len() * 176);
        line(
            &mut out,
            &Header {
                format: FORMAT.into(),
                version: VERSION,
            },
        );
        for s in &self.streams {
            line(&mut out, &stream_line(s));
        }
        for (e, &removed) in self.log.iter().zip(&self.removed) {
            let (data, data_base64) = match (e.is_json, as_json_line(&e.data)) {
                _ if removed => (None, None),
                (true, Some(raw)) => (Some(raw), None),
                _ if e.data.is_empty() => (None, None),
                _ => (None, Some(b64.encode(&e.data))),
            };
            let (metadata, metadata_base64) = match as_json_line(&e.metadata) {
                _ if removed || e.metadata.is_empty() => (None, None),
                Some(raw) => (Some(raw), None),
                None => (None, Some(b64.encode(&e.metadata))),
            };
            line(
                &mut out,
                &EventLine {
                    position: e.position,
                    stream: e.stream.as_str().into(),
                    revision: e.revision,
                    id: e.id.to_string().into(),
                    event_type: e.event_type.as_str().into(),
                    created: e.created,
                    is_json: e.is_json,
                    data,
                    data_base64,
                    metadata,
                    metadata_base64,
                    removed,
                },
            );
        }
        line(
            &mut out,
            &EndLine {
                end: Counts {
                    streams: self.streams.len(),
                    events: self.log.len(),
                },
            },
        );
        // serde_json writes UTF-8
        String::from_utf8(out).unwrap_or_default()
    }

    /// Loads a store from [`Store::to_json_lines`]'s format, all or nothing.
    pub fn from_json_lines(text: &str) -> Result<Store, StoreError> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut store = Store::new();
        let mut offset = 0usize;
        let mut lines = text.split_inclusive('\n').map(|l| {
            let at = offset;
            offset += l.len();
            (at, l.trim_end_matches(['\n', '\r']))
        });
        let (at, first) = lines
            .next()
            .ok_or_else(|| corrupt(0, "expected the header line, found an empty input"))?;
        let header: Header = serde_json::from_str(first).map_err(|e| {
            corrupt(at, format!("expected the header line `{{\"format\":\"{FORMAT}\",\"version\":{VERSION}}}`: {e}"))
        })?;
        if header.format != FORMAT || header.version != VERSION {
            return Err(corrupt(
                at,
                format!(
                    "expected format `{FORMAT}` version {VERSION}, found `{}` version {}",
                    header.format, header.version
                ),
            ));
        }
        let mut ended = false;
        let mut in_events = false;
        // an event line takes at least 100 bytes: reserve for what the input can hold
        let cap = text.len() / 100;
        store.log.reserve(cap);
        store.removed.reserve(cap);
        let mut stream_of: Vec<u32> = Vec::with_capacity(cap);
        for (at, l) in lines {
            if ended {
                if l.trim().is_empty() {
                    continue;
                }
                return Err(corrupt(at, "expected nothing after the end line"));
            }
            let bad = |what: &str, e: serde_json::Error| corrupt(at, format!("{what}: {e}"));
            if l.starts_with("{\"end\"") {
                let end: EndLine =
                    serde_json::from_str(l).map_err(|e| bad("expected the end line", e))?;
                if end.end.streams != store.streams.len() || end.end.events != store.log.len() {
                    return Err(corrupt(
                        at,
                        format!(
                            "the end line counts {} streams and {} events, the input holds {} and {}",
                            end.end.streams,
                            end.end.events,
                            store.streams.len(),
                            store.log.len()
                        ),
                    ));
                }
                ended = true;
            } else if l.starts_with("{\"stream\"") {
                if in_events {
                    return Err(corrupt(
                        at,
                        "expected every stream line before the first event",
                    ));
                }
                let s: StreamLine =
                    serde_json::from_str(l).map_err(|e| bad("expected a stream line", e))?;
                check_name(&s.stream).map_err(|e| corrupt(at, e.to_string()))?;
                if store.by_name.contains_key(s.stream.as_ref()) {
                    return Err(corrupt(
                        at,
                        format!("stream `{}` is listed twice", s.stream),
                    ));
                }
                let mut st = Stream::new(&s.stream);
                st.deletion = match s.deleted {
                    None => Deletion::None,
                    Some(DeletedLine::Soft) => Deletion::Soft,
                    Some(DeletedLine::Tombstone) => Deletion::Tombstone,
                };
                st.truncate_before = s.truncate_before;
                st.meta = s.metadata.map(MetaLine::meta);
                store.by_name.insert(st.name.clone(), store.streams.len());
                store.streams.push(st);
            } else {
                in_events = true;
                let e: EventLine =
                    serde_json::from_str(l).map_err(|e| bad("expected an event line", e))?;
                let position = store.log.len() as u64;
                if e.position != position {
                    return Err(corrupt(
                        at,
                        format!(
                            "expected the event at position {position}, found position {}",
                            e.position
                        ),
                    ));
                }
                let si = *store.by_name.get(e.stream.as_ref()).ok_or_else(|| {
                    corrupt(
                        at,
                        format!("event of stream `{}`, which no stream line lists", e.stream),
                    )
                })?;
                let revision = store.streams[si].events.len() as u64;
                if e.revision != revision {
                    return Err(corrupt(
                        at,
                        format!(
                            "expected revision {revision} of `{}`, found {}",
                            e.stream, e.revision
                        ),
                    ));
                }
                let id = EventId::parse(&e.id).map_err(|err| corrupt(at, err.to_string()))?;
                if e.event_type.is_empty() {
                    return Err(corrupt(at, "expected an event type that is not empty"));
                }
                let payload = |raw: Option<&RawValue>,
                               b: Option<String>,
                               what: &str|
                 -> Result<Vec<u8>, StoreError> {
                    match (raw, b) {
                        (Some(_), Some(_)) => Err(corrupt(
                            at,
                            format!("expected `{what}` or `{what}_base64`, not both"),
                        )),
                        (Some(r), None) => Ok(r.get().as_bytes().to_vec()),
                        (None, Some(b)) => b64
                            .decode(b)
                            .map_err(|err| corrupt(at, format!("`{what}_base64`: {err}"))),
                        (None, None) => Ok(Vec::new()),
                    }
                };
                let data = payload(e.data, e.data_base64, "data")?;
                let metadata = payload(e.metadata, e.metadata_base64, "metadata")?;
                if e.removed && !(data.is_empty() && metadata.is_empty()) {
                    return Err(corrupt(at, "expected no payload on a removed event"));
                }
                let stream = store.streams[si].name.clone();
                store.streams[si].events.push(store.log.len());
                stream_of.push(si as u32);
                store.removed.push(e.removed);
                store.log.push(RecordedEvent {
                    stream,
                    revision,
                    position,
                    id,
                    event_type: e.event_type.into_owned(),
                    data,
                    metadata,
                    is_json: e.is_json,
                    created: e.created,
                });
            }
        }
        if !ended {
            return Err(corrupt(
                offset,
                "expected the end line; the input is truncated",
            ));
        }
        Ok(finish(store, &stream_of))
    }
}

#[derive(Serialize, Deserialize)]
struct BinStream<'a> {
    name: &'a str,
    deletion: u8,
    truncate_before: u64,
    meta: Option<(Option<u64>, Option<u64>, Option<u64>)>,
}

#[derive(Serialize, Deserialize)]
struct BinEvent<'a> {
    stream: u32,
    event_type: u32,
    id: u128,
    created: i64,
    /// Bit 0: JSON; bit 1: removed.
    flags: u8,
    #[serde(borrow, with = "serde_bytes")]
    data: &'a [u8],
    #[serde(borrow, with = "serde_bytes")]
    metadata: &'a [u8],
}

fn put<T: Serialize>(out: &mut Vec<u8>, v: &T) {
    // postcard's `Vec` flavour only fails on types it cannot represent; these are plain
    if let Ok(bytes) = postcard::to_extend(v, std::mem::take(out)) {
        *out = bytes;
    }
}

struct Reader<'a> {
    all: &'a [u8],
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn offset(&self) -> usize {
        self.all.len() - self.rest.len()
    }

    fn take<T: Deserialize<'a>>(&mut self, what: &str) -> Result<T, StoreError> {
        let at = self.offset();
        let (v, rest) = postcard::take_from_bytes::<T>(self.rest)
            .map_err(|e| corrupt(at, format!("expected {what}: {e}")))?;
        self.rest = rest;
        Ok(v)
    }
}

impl Store {
    /// The store in the binary form (see the module documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.log.len() * 40);
        out.extend_from_slice(MAGIC);
        out.push(VERSION as u8);
        put(&mut out, &(self.streams.len() as u64));
        for s in &self.streams {
            put(
                &mut out,
                &BinStream {
                    name: &s.name,
                    deletion: match s.deletion {
                        Deletion::None => 0,
                        Deletion::Soft => 1,
                        Deletion::Tombstone => 2,
                    },
                    truncate_before: s.truncate_before,
                    meta: s.meta.map(|m| {
                        let l = MetaLine::of(m);
                        (l.max_count, l.max_age_ms, l.truncate_before)
                    }),
                },
            );
        }
        let mut types: HashMap<&str, u32, Fixed> = HashMap::default();
        let mut type_list: Vec<&str> = Vec::new();
        let mut type_of = Vec::with_capacity(self.log.len());
        for e in &self.log {
            let n = *types.entry(e.event_type.as_str()).or_insert_with(|| {
                type_list.push(e.event_type.as_str());
                (type_list.len() - 1) as u32
            });
            type_of.push(n);
        }
        put(&mut out, &type_list);
        let mut stream_of = vec![0u32; self.log.len()];
        for (si, s) in self.streams.iter().enumerate() {
            for &i in &s.events {
                stream_of[i] = si as u32;
            }
        }
        put(&mut out, &(self.log.len() as u64));
        for ((e, &removed), &t) in self.log.iter().zip(&self.removed).zip(&type_of) {
            let stream = stream_of[e.position as usize];
            put(
                &mut out,
                &BinEvent {
                    stream,
                    event_type: t,
                    id: e.id.0,
                    created: e.created,
                    flags: u8::from(e.is_json) | (u8::from(removed) << 1),
                    data: &e.data,
                    metadata: &e.metadata,
                },
            );
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }

    /// Loads a store from [`Store::to_bytes`]'s form, all or nothing.
    pub fn from_bytes(bytes: &[u8]) -> Result<Store, StoreError> {
        if bytes.len() < MAGIC.len() + 1 + 4 || &bytes[..4] != MAGIC {
            return Err(corrupt(
                0,
                "expected a binary cnarch event store (starting with `CNES`)",
            ));
        }
        if bytes[4] != VERSION as u8 {
            return Err(corrupt(
                4,
                format!("expected version {VERSION}, found {}", bytes[4]),
            ));
        }
        let body = &bytes[..bytes.len() - 4];
        let mut r = Reader {
            all: body,
            rest: &body[5..],
        };
        let mut store = Store::new();
        let n_streams: u64 = r.take("the stream count")?;
        for _ in 0..n_streams {
            let at = r.offset();
            let s: BinStream = r.take("a stream")?;
            check_name(s.name).map_err(|e| corrupt(at, e.to_string()))?;
            if store.by_name.contains_key(s.name) {
                return Err(corrupt(at, format!("stream `{}` is listed twice", s.name)));
            }
            let mut st = Stream::new(s.name);
            st.deletion = match s.deletion {
                0 => Deletion::None,
                1 => Deletion::Soft,
                2 => Deletion::Tombstone,
                d => {
                    return Err(corrupt(
                        at,
                        format!("expected a deletion of 0, 1 or 2, found {d}"),
                    ))
                }
            };
            st.truncate_before = s.truncate_before;
            st.meta = s.meta.map(|(max_count, max_age_ms, truncate_before)| {
                MetaLine {
                    max_count,
                    max_age_ms,
                    truncate_before,
                }
                .meta()
            });
            store.by_name.insert(st.name.clone(), store.streams.len());
            store.streams.push(st);
        }
        let at = r.offset();
        let types: Vec<&str> = r.take("the event type table")?;
        if types.iter().any(|t| t.is_empty()) {
            return Err(corrupt(at, "expected event types that are not empty"));
        }
        let n_events: u64 = r.take("the event count")?;
        // an event record takes at least 22 bytes: never reserve more than the input can hold
        let cap = (n_events as usize).min(r.rest.len() / 22);
        store.log.reserve(cap);
        store.removed.reserve(cap);
        let mut stream_of: Vec<u32> = Vec::with_capacity(cap);
        for _ in 0..n_events {
            let at = r.offset();
            let e: BinEvent = r.take("an event")?;
            let si = e.stream as usize;
            let (Some(st), Some(ty)) = (store.streams.get(si), types.get(e.event_type as usize))
            else {
                return Err(corrupt(
                    at,
                    "expected an event whose stream and type are in the tables",
                ));
            };
            if e.flags > 3 {
                return Err(corrupt(
                    at,
                    format!("expected flags below 4, found {}", e.flags),
                ));
            }
            let removed = e.flags & 2 != 0;
            if removed && !(e.data.is_empty() && e.metadata.is_empty()) {
                return Err(corrupt(at, "expected no payload on a removed event"));
            }
            let revision = st.events.len() as u64;
            let position = store.log.len() as u64;
            let stream = st.name.clone();
            store.streams[si].events.push(store.log.len());
            stream_of.push(si as u32);
            store.removed.push(removed);
            store.log.push(RecordedEvent {
                stream,
                revision,
                position,
                id: EventId(e.id),
                event_type: (*ty).to_string(),
                data: e.data.to_vec(),
                metadata: e.metadata.to_vec(),
                is_json: e.flags & 1 != 0,
                created: e.created,
            });
        }
        if !r.rest.is_empty() {
            return Err(corrupt(
                r.offset(),
                "expected the checksum after the last event",
            ));
        }
        let mut crc = [0u8; 4];
        crc.copy_from_slice(&bytes[bytes.len() - 4..]);
        if crc32fast::hash(body) != u32::from_le_bytes(crc) {
            return Err(corrupt(
                body.len(),
                "the checksum does not match: the input is corrupt",
            ));
        }
        Ok(finish(store, &stream_of))
    }
}
