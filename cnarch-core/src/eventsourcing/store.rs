//! Streams, appends and the global log.
//!
//! - **Revisions and positions.** A stream's events have revisions 0, 1, 2, ...; every event
//!   also has a position in the global log (0, 1, 2, ... in commit order; EventStoreDB's
//!   positions are byte offsets, so only their order carries over).
//! - **Expected revision** ([`ExpectedRevision`]), checked as EventStoreDB's commit check does:
//!   - a tombstoned stream refuses every append ([`StoreError::StreamDeleted`]);
//!   - `StreamExists` refuses a soft-deleted stream (deleted) and a stream without events
//!     (wrong expected version);
//!   - `Any` and `StreamExists` are idempotent by event id: when the batch's first id is not
//!     already in the stream the batch is written; when every id is, nothing is written and
//!     the append succeeds with the revision of the last one; when only the first ones are,
//!     the append is refused as a wrong expected version (a retry that does not match);
//!   - an expected revision below the current one (`NoStream` counts as −1) is a retry when
//!     the events after it carry the batch's ids in order (nothing written, success); when the
//!     first does not match, `NoStream` on a soft-deleted stream writes, anything else is a
//!     wrong expected version; an empty batch there is a wrong expected version;
//!   - an expected revision above the current one is a wrong expected version;
//!   - equal: the batch is written, whatever its ids.
//!
//!   EventStoreDB keeps the ids it checks in a bounded cache, so its idempotency for `Any` is
//!   best effort; this store remembers every id, so a retry is recognised however old it is.
//! - **Batches** are atomic: everything is checked before the first event is written.
//! - **Soft delete** hides the stream (reads say not found, `StreamExists` says deleted). The
//!   next append recreates it: revisions continue from the last one, and the events before
//!   stay hidden (EventStoreDB's `$tb` set to the next revision). **Tombstone** deletes the
//!   stream for good: every later append or read is refused as deleted.
//! - **Metadata** ([`StreamMetadata`]: `$maxCount`, `$maxAge`, `$tb`) hides events from the
//!   stream's reads; a stream with metadata and no events exists for `StreamExists`.
//! - **The global log** keeps every event, including those of deleted streams and those the
//!   metadata hides (as `$all` does), until [`Store::scavenge`] removes them. System events
//!   (`$metadata`, `$streamDeleted`) are not in it.

use std::collections::HashMap;

/// The store's tables' hasher: foldhash with a fixed seed (the store is deterministic and
/// its keys, stream names and event ids, are the embedding application's own).
pub(super) type Fixed = foldhash::fast::FixedState;

use serde::Serialize;

/// An event id (a UUID).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EventId(pub u128);

impl EventId {
    /// Reads `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hex digits in either case).
    pub fn parse(s: &str) -> Result<EventId, StoreError> {
        let bad = || StoreError::Invalid {
            path: "id".into(),
            message: format!(
                "expected a UUID such as `3f2504e0-4f89-11d3-9a0c-0305e82c3301`, found `{s}`"
            ),
        };
        let b = s.as_bytes();
        if b.len() != 36 {
            return Err(bad());
        }
        let mut v: u128 = 0;
        for (i, &c) in b.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if c != b'-' {
                    return Err(bad());
                }
                continue;
            }
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(bad()),
            };
            v = (v << 4) | u128::from(d);
        }
        Ok(EventId(v))
    }
}

impl std::fmt::Display for EventId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [b'-'; 36];
        let mut k = 0;
        for (i, slot) in out.iter_mut().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                continue;
            }
            let shift = 124 - 4 * k;
            *slot = HEX[((self.0 >> shift) & 0xf) as usize];
            k += 1;
        }
        f.write_str(std::str::from_utf8(&out).map_err(|_| std::fmt::Error)?)
    }
}

/// An event to append.
#[derive(Debug, Clone, PartialEq)]
pub struct EventData {
    /// Its id (what makes a retried append idempotent).
    pub id: EventId,
    /// Its type (`OrderPlaced`).
    pub event_type: String,
    /// The payload.
    pub data: Vec<u8>,
    /// Metadata.
    pub metadata: Vec<u8>,
    /// Whether the payload is JSON (`application/json`) rather than bytes.
    pub is_json: bool,
}

/// An event in the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedEvent {
    /// Its stream.
    pub stream: String,
    /// Its revision in the stream.
    pub revision: u64,
    /// Its position in the global log.
    pub position: u64,
    /// Its id.
    pub id: EventId,
    /// Its type.
    pub event_type: String,
    /// The payload.
    pub data: Vec<u8>,
    /// Metadata.
    pub metadata: Vec<u8>,
    /// Whether the payload is JSON.
    pub is_json: bool,
    /// When it was written (milliseconds since the Unix epoch, as the caller gave it).
    pub created: i64,
}

/// What an append expects of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExpectedRevision {
    /// No check.
    Any,
    /// The stream has no events (or is soft-deleted).
    NoStream,
    /// The stream has events.
    StreamExists,
    /// The stream's last revision is this one.
    Exact(u64),
}

/// A successful append.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AppendResult {
    /// The stream's revision after the append (`None`: the stream still has no events).
    pub next_expected_revision: Option<u64>,
    /// The global position of the last event appended or recognised (`None`: none).
    pub position: Option<u64>,
    /// False when the append was a retry that wrote nothing.
    pub written: bool,
}

/// Why the store refused; the bindings carry the codes `wrong_expected_version`,
/// `stream_deleted`, `stream_not_found`, `corrupt_store` and `invalid_store_argument`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The stream is not where the append expected it.
    #[error("wrong expected version on `{stream}`: expected {expected}, the stream is at {}", actual.map_or("no stream".to_string(), |r| r.to_string()))]
    WrongExpectedVersion {
        /// The stream.
        stream: String,
        /// What the append expected.
        expected: String,
        /// The stream's last revision (`None`: no events).
        actual: Option<u64>,
    },
    /// The stream is deleted (tombstoned, or soft-deleted for `StreamExists`).
    #[error("stream `{stream}` is deleted")]
    StreamDeleted {
        /// The stream.
        stream: String,
    },
    /// The stream does not exist (or is soft-deleted).
    #[error("stream `{stream}` not found")]
    StreamNotFound {
        /// The stream.
        stream: String,
    },
    /// A persisted store that does not load (corrupt, truncated or of another format).
    #[error("at byte {offset}: {message}")]
    Corrupt {
        /// The byte offset of the record (or the point) that does not load.
        offset: usize,
        /// What was expected there.
        message: String,
    },
    /// Bad input.
    #[error("{path}: {message}")]
    Invalid {
        /// Where.
        path: String,
        /// What was expected.
        message: String,
    },
}

impl crate::error::Coded for StoreError {
    fn code(&self) -> &'static str {
        match self {
            StoreError::WrongExpectedVersion { .. } => "wrong_expected_version",
            StoreError::StreamDeleted { .. } => "stream_deleted",
            StoreError::StreamNotFound { .. } => "stream_not_found",
            StoreError::Corrupt { .. } => "corrupt_store",
            StoreError::Invalid { .. } => "invalid_store_argument",
        }
    }
    fn kind(&self) -> crate::error::ErrorKind {
        match self {
            StoreError::Corrupt { .. } => crate::error::ErrorKind::Parse,
            StoreError::Invalid { .. } => crate::error::ErrorKind::Argument,
            _ => crate::error::ErrorKind::State,
        }
    }
    fn field(&self) -> Option<&str> {
        match self {
            StoreError::Invalid { path, .. } => Some(path),
            _ => None,
        }
    }
}

impl std::fmt::Display for ExpectedRevision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExpectedRevision::Any => f.write_str("any"),
            ExpectedRevision::NoStream => f.write_str("no stream"),
            ExpectedRevision::StreamExists => f.write_str("stream exists"),
            ExpectedRevision::Exact(r) => write!(f, "{r}"),
        }
    }
}

/// Reading direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    /// Oldest first.
    Forwards,
    /// Newest first.
    Backwards,
}

/// A filter on the global log: an event passes when its stream starts with one of
/// `stream_prefixes` (or the list is empty) and its type with one of `event_type_prefixes`
/// (or that list is empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Stream name prefixes.
    pub stream_prefixes: Vec<String>,
    /// Event type prefixes.
    pub event_type_prefixes: Vec<String>,
}

impl LogFilter {
    /// Whether `e` passes.
    pub fn passes(&self, e: &RecordedEvent) -> bool {
        let any = |list: &[String], s: &str| {
            list.is_empty() || list.iter().any(|p| s.starts_with(p.as_str()))
        };
        any(&self.stream_prefixes, &e.stream) && any(&self.event_type_prefixes, &e.event_type)
    }
}

/// A stream's metadata, as EventStoreDB's `$$stream` holds it: `$maxCount` (keep the last
/// N events), `$maxAge` (hide events older than this at read time), `$tb` (hide revisions
/// below this). Reads of the stream hide what these exclude; the global log keeps it until
/// [`Store::scavenge`] removes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StreamMetadata {
    /// `$maxCount`.
    pub max_count: Option<u64>,
    /// `$maxAge`.
    pub max_age: Option<std::time::Duration>,
    /// `$tb`.
    pub truncate_before: Option<u64>,
}

impl StreamMetadata {
    /// The model's `EventStore.retention` as `$maxAge`.
    pub fn from_model(store: &crate::model::eventsourcing::EventStore) -> StreamMetadata {
        StreamMetadata {
            max_age: store.retention.as_ref().and_then(|d| d.to_std()),
            ..StreamMetadata::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Deletion {
    None,
    Soft,
    Tombstone,
}

#[derive(Debug, Clone)]
pub(super) struct Stream {
    pub(super) name: String,
    /// Log index of each revision.
    pub(super) events: Vec<usize>,
    /// Revisions below this are hidden (a soft delete's truncation).
    pub(super) truncate_before: u64,
    pub(super) deletion: Deletion,
    pub(super) meta: Option<StreamMetadata>,
}

impl Stream {
    pub(super) fn new(name: &str) -> Stream {
        Stream {
            name: name.to_string(),
            events: Vec::new(),
            truncate_before: 0,
            deletion: Deletion::None,
            meta: None,
        }
    }

    fn last(&self) -> Option<u64> {
        (self.events.len() as u64).checked_sub(1)
    }

    /// The first revision a read may return, by the soft delete's truncation, `$tb` and
    /// `$maxCount`.
    fn first_visible(&self) -> u64 {
        let m = self.meta.unwrap_or_default();
        let by_count = match (m.max_count, self.last()) {
            (Some(n), Some(last)) => (last + 1).saturating_sub(n),
            _ => 0,
        };
        self.truncate_before
            .max(m.truncate_before.unwrap_or(0))
            .max(by_count)
    }

    /// Whether `e` is older than `$maxAge` at `now`.
    fn expired(&self, e: &RecordedEvent, now: i64) -> bool {
        match self.meta.and_then(|m| m.max_age) {
            Some(age) => {
                let ms = i64::try_from(age.as_millis()).unwrap_or(i64::MAX);
                e.created < now.saturating_sub(ms)
            }
            None => false,
        }
    }
}

/// The event store.
#[derive(Debug, Clone, Default)]
pub struct Store {
    pub(super) log: Vec<RecordedEvent>,
    /// Events a scavenge removed (their payloads dropped).
    pub(super) removed: Vec<bool>,
    pub(super) streams: Vec<Stream>,
    pub(super) by_name: HashMap<String, usize, Fixed>,
    /// The stream and revision each id was last written at, unless a scavenge removed that
    /// event.
    pub(super) ids: HashMap<EventId, (usize, u64), Fixed>,
}

enum Check {
    Write,
    Retry(u64),
    Nothing,
}

pub(super) fn check_name(stream: &str) -> Result<(), StoreError> {
    if stream.is_empty() || stream.starts_with('$') {
        return Err(StoreError::Invalid {
            path: "stream".into(),
            message: format!(
                "expected a stream name that is not empty and does not start with `$` (system streams), found `{stream}`"
            ),
        });
    }
    Ok(())
}

impl Store {
    /// An empty store.
    pub fn new() -> Store {
        Store::default()
    }

    /// Events in the global log.
    pub fn len(&self) -> usize {
        self.log.len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.log.is_empty()
    }

    /// A stream's last revision (`None`: no events, or no such stream).
    pub fn revision(&self, stream: &str) -> Option<u64> {
        self.by_name
            .get(stream)
            .and_then(|&i| self.streams[i].last())
    }

    fn wrong(stream: &str, expected: ExpectedRevision, actual: Option<u64>) -> StoreError {
        StoreError::WrongExpectedVersion {
            stream: stream.to_string(),
            expected: expected.to_string(),
            actual,
        }
    }

    /// The stream's index, last revision and deletion; a tombstoned stream is refused.
    fn state(&self, stream: &str) -> Result<(Option<usize>, Option<u64>, Deletion), StoreError> {
        let si = self.by_name.get(stream).copied();
        let s = si.map(|i| &self.streams[i]);
        let deletion = s.map_or(Deletion::None, |s| s.deletion);
        if deletion == Deletion::Tombstone {
            return Err(StoreError::StreamDeleted {
                stream: stream.into(),
            });
        }
        Ok((si, s.and_then(Stream::last), deletion))
    }

    /// The index of `stream`, created without events if it is new.
    fn index_or_create(&mut self, stream: &str) -> usize {
        if let Some(&i) = self.by_name.get(stream) {
            return i;
        }
        self.streams.push(Stream::new(stream));
        self.by_name
            .insert(stream.to_string(), self.streams.len() - 1);
        self.streams.len() - 1
    }

    /// EventStoreDB's commit check for `ids` appended to `stream` with `expected`.
    fn check(
        &self,
        stream: &str,
        expected: ExpectedRevision,
        ids: &[EventId],
    ) -> Result<Check, StoreError> {
        let (si, cur, deletion) = self.state(stream)?;
        let s = si.map(|i| &self.streams[i]);
        let at = |rev: u64| -> Option<EventId> {
            let s = s?;
            let &i = s.events.get(usize::try_from(rev).ok()?)?;
            Some(self.log[i].id)
        };
        if expected == ExpectedRevision::StreamExists {
            if deletion == Deletion::Soft {
                return Err(StoreError::StreamDeleted {
                    stream: stream.into(),
                });
            }
            // a stream with metadata but no events exists (EventStoreDB looks at `$$stream`)
            if cur.is_none() && s.is_none_or(|s| s.meta.is_none()) {
                return Err(Store::wrong(stream, expected, cur));
            }
        }
        if matches!(
            expected,
            ExpectedRevision::Any | ExpectedRevision::StreamExists
        ) {
            let mut last = None;
            for (k, id) in ids.iter().enumerate() {
                match self.ids.get(id) {
                    Some(&(sj, rev)) if Some(sj) == si => last = Some(rev),
                    _ if k == 0 => return Ok(Check::Write),
                    _ => return Err(Store::wrong(stream, expected, cur)),
                }
            }
            return Ok(last.map_or(Check::Nothing, Check::Retry));
        }
        let e: i128 = match expected {
            ExpectedRevision::Exact(r) => i128::from(r),
            _ => -1,
        };
        let c: i128 = cur.map_or(-1, i128::from);
        if e < c {
            let mut rev = e;
            for (k, id) in ids.iter().enumerate() {
                rev += 1;
                let here = u64::try_from(rev).ok().and_then(at);
                if here == Some(*id) {
                    continue;
                }
                if k == 0 && expected == ExpectedRevision::NoStream && deletion == Deletion::Soft {
                    return Ok(Check::Write);
                }
                return Err(Store::wrong(stream, expected, cur));
            }
            return match u64::try_from(rev) {
                Ok(r) if !ids.is_empty() => Ok(Check::Retry(r)),
                _ => Err(Store::wrong(stream, expected, cur)),
            };
        }
        if e > c {
            return Err(Store::wrong(stream, expected, cur));
        }
        Ok(Check::Write)
    }

    /// Appends `events` to `stream` at `now` (milliseconds since the Unix epoch), all or none.
    pub fn append(
        &mut self,
        stream: &str,
        expected: ExpectedRevision,
        events: Vec<EventData>,
        now: i64,
    ) -> Result<AppendResult, StoreError> {
        check_name(stream)?;
        for (i, e) in events.iter().enumerate() {
            if e.event_type.is_empty() {
                return Err(StoreError::Invalid {
                    path: format!("events[{i}].event_type"),
                    message: "expected an event type that is not empty".into(),
                });
            }
        }
        let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
        let si = self.by_name.get(stream).copied();
        match self.check(stream, expected, &ids)? {
            Check::Retry(rev) => {
                let position = si.and_then(|i| {
                    let s = &self.streams[i];
                    s.events
                        .get(usize::try_from(rev).ok()?)
                        .map(|&j| self.log[j].position)
                });
                Ok(AppendResult {
                    next_expected_revision: Some(rev),
                    position,
                    written: false,
                })
            }
            Check::Nothing => Ok(AppendResult {
                next_expected_revision: self.revision(stream),
                position: None,
                written: false,
            }),
            // an empty batch that passes the check writes nothing (and creates no stream)
            Check::Write if events.is_empty() => Ok(AppendResult {
                next_expected_revision: self.revision(stream),
                position: None,
                written: false,
            }),
            Check::Write => {
                let si = match si {
                    Some(i) => i,
                    None => self.index_or_create(stream),
                };
                let s = &mut self.streams[si];
                if s.deletion == Deletion::Soft {
                    // recreated: revisions continue, the events before stay hidden
                    s.deletion = Deletion::None;
                    s.truncate_before = s.events.len() as u64;
                }
                let mut last = 0u64;
                for e in events {
                    let revision = s.events.len() as u64;
                    let position = self.log.len() as u64;
                    s.events.push(self.log.len());
                    self.ids.insert(e.id, (si, revision));
                    self.removed.push(false);
                    self.log.push(RecordedEvent {
                        stream: s.name.clone(),
                        revision,
                        position,
                        id: e.id,
                        event_type: e.event_type,
                        data: e.data,
                        metadata: e.metadata,
                        is_json: e.is_json,
                        created: now,
                    });
                    last = position;
                }
                Ok(AppendResult {
                    next_expected_revision: s.last(),
                    position: Some(last),
                    written: true,
                })
            }
        }
    }

    /// Checks `expected` for a delete (no idempotency by id: a delete carries no events).
    fn check_delete(
        &self,
        stream: &str,
        expected: ExpectedRevision,
    ) -> Result<Option<usize>, StoreError> {
        check_name(stream)?;
        let (si, cur, deletion) = self.state(stream)?;
        let ok = match expected {
            ExpectedRevision::Any => true,
            ExpectedRevision::NoStream => cur.is_none() || deletion == Deletion::Soft,
            ExpectedRevision::StreamExists => cur.is_some() && deletion != Deletion::Soft,
            ExpectedRevision::Exact(r) => cur == Some(r),
        };
        if ok {
            Ok(si)
        } else {
            Err(Store::wrong(stream, expected, cur))
        }
    }

    /// Soft-deletes `stream`: reads say not found until an append recreates it.
    pub fn delete(&mut self, stream: &str, expected: ExpectedRevision) -> Result<(), StoreError> {
        if let Some(i) = self.check_delete(stream, expected)? {
            self.streams[i].deletion = Deletion::Soft;
        }
        Ok(())
    }

    /// Tombstones `stream`: no append or read is accepted under that name again.
    pub fn tombstone(
        &mut self,
        stream: &str,
        expected: ExpectedRevision,
    ) -> Result<(), StoreError> {
        let i = match self.check_delete(stream, expected)? {
            Some(i) => i,
            None => self.index_or_create(stream),
        };
        self.streams[i].deletion = Deletion::Tombstone;
        Ok(())
    }

    /// Up to `max` events of `stream` from revision `from` (`None`: the start forwards, the
    /// end backwards), both ends inclusive, as a read at `now` (milliseconds since the Unix
    /// epoch) sees them: without what `$tb`, `$maxCount`, `$maxAge` or a soft delete's
    /// truncation hide. A stream whose events are all hidden reads as empty.
    pub fn read_stream(
        &self,
        stream: &str,
        direction: Direction,
        from: Option<u64>,
        max: usize,
        now: i64,
    ) -> Result<Vec<&RecordedEvent>, StoreError> {
        let not_found = || StoreError::StreamNotFound {
            stream: stream.into(),
        };
        let s = self
            .by_name
            .get(stream)
            .map(|&i| &self.streams[i])
            .ok_or_else(not_found)?;
        match s.deletion {
            Deletion::Tombstone => {
                return Err(StoreError::StreamDeleted {
                    stream: stream.into(),
                })
            }
            Deletion::Soft => return Err(not_found()),
            Deletion::None => {}
        }
        let Some(last) = s.last() else {
            return if s.meta.is_some() {
                Ok(Vec::new())
            } else {
                Err(not_found())
            };
        };
        let lo = s.first_visible();
        let visible = |r: &u64| {
            let i = s.events[*r as usize];
            !self.removed[i] && !s.expired(&self.log[i], now)
        };
        let pick = |r: u64| &self.log[s.events[r as usize]];
        Ok(match direction {
            Direction::Forwards => {
                let start = from.unwrap_or(0).max(lo);
                (start..=last).filter(visible).take(max).map(pick).collect()
            }
            Direction::Backwards => {
                let start = from.unwrap_or(last).min(last);
                if start < lo {
                    Vec::new()
                } else {
                    (lo..=start)
                        .rev()
                        .filter(visible)
                        .take(max)
                        .map(pick)
                        .collect()
                }
            }
        })
    }

    /// Sets `stream`'s metadata (creating the stream, without events, if it has none); a
    /// tombstoned stream refuses. `$maxCount` must be 1 or more, `$maxAge` above zero.
    pub fn set_metadata(&mut self, stream: &str, meta: StreamMetadata) -> Result<(), StoreError> {
        check_name(stream)?;
        if meta.max_count == Some(0) {
            return Err(StoreError::Invalid {
                path: "max_count".into(),
                message: "expected `$maxCount` of 1 or more".into(),
            });
        }
        if meta.max_age == Some(std::time::Duration::ZERO) {
            return Err(StoreError::Invalid {
                path: "max_age".into(),
                message: "expected `$maxAge` above zero".into(),
            });
        }
        let i = self.index_or_create(stream);
        if self.streams[i].deletion == Deletion::Tombstone {
            return Err(StoreError::StreamDeleted {
                stream: stream.into(),
            });
        }
        self.streams[i].meta = Some(meta);
        Ok(())
    }

    /// A stream's metadata.
    pub fn metadata(&self, stream: &str) -> Option<StreamMetadata> {
        self.by_name.get(stream).and_then(|&i| self.streams[i].meta)
    }

    /// What a scavenge at `now` removes for good, and removes it: the events of tombstoned
    /// and soft-deleted streams, and those `$tb`, `$maxCount`, `$maxAge` or a truncation
    /// hide. Positions do not move; the removed events leave the global log and their ids are
    /// forgotten (a retry of them writes again). The count removed.
    pub fn scavenge(&mut self, now: i64) -> usize {
        let mut gone = 0;
        for (si, s) in self.streams.iter().enumerate() {
            let all = s.deletion != Deletion::None;
            let lo = s.first_visible();
            for (r, &i) in s.events.iter().enumerate() {
                if self.removed[i] {
                    continue;
                }
                if all || (r as u64) < lo || s.expired(&self.log[i], now) {
                    self.removed[i] = true;
                    let e = &mut self.log[i];
                    e.data = Vec::new();
                    e.metadata = Vec::new();
                    if self.ids.get(&e.id) == Some(&(si, r as u64)) {
                        self.ids.remove(&e.id);
                    }
                    gone += 1;
                }
            }
        }
        gone
    }

    /// The event at global `position`, unless a scavenge removed it.
    pub fn at_position(&self, position: u64) -> Option<&RecordedEvent> {
        let i = usize::try_from(position).ok()?;
        match self.removed.get(i) {
            Some(false) => self.log.get(i),
            _ => None,
        }
    }

    /// The first revision a read of `stream` may return (by a soft delete's truncation, `$tb`
    /// and `$maxCount`); `None` for an unknown stream.
    pub fn first_readable(&self, stream: &str) -> Option<u64> {
        self.by_name
            .get(stream)
            .map(|&i| self.streams[i].first_visible())
    }

    /// The next global position to be written (the log's length).
    pub fn end_position(&self) -> u64 {
        self.log.len() as u64
    }

    /// Scans the log forwards from `from` for up to `max` events passing `filter`; also
    /// returns the last position scanned (what a filtered subscription checkpoints even when
    /// no event passed), `None` when nothing was scanned.
    pub(crate) fn scan_all(
        &self,
        from: u64,
        max: usize,
        filter: &LogFilter,
    ) -> (Vec<&RecordedEvent>, Option<u64>) {
        let start = from.min(self.log.len() as u64) as usize;
        let mut out = Vec::new();
        let mut last = None;
        for (i, (e, gone)) in self.log[start..]
            .iter()
            .zip(&self.removed[start..])
            .enumerate()
        {
            if out.len() == max {
                break;
            }
            last = Some((start + i) as u64);
            if !*gone && filter.passes(e) {
                out.push(e);
            }
        }
        (out, last)
    }

    /// Up to `max` events of the global log passing `filter`: forwards from position `from`
    /// (inclusive; `None`: the start), or backwards from before `from` (exclusive; `None`: the
    /// end).
    pub fn read_all(
        &self,
        direction: Direction,
        from: Option<u64>,
        max: usize,
        filter: &LogFilter,
    ) -> Vec<&RecordedEvent> {
        let n = self.log.len() as u64;
        match direction {
            Direction::Forwards => {
                let start = from.unwrap_or(0).min(n) as usize;
                self.log[start..]
                    .iter()
                    .zip(&self.removed[start..])
                    .filter(|(e, gone)| !**gone && filter.passes(e))
                    .map(|(e, _)| e)
                    .take(max)
                    .collect()
            }
            Direction::Backwards => {
                let end = from.unwrap_or(n).min(n) as usize;
                self.log[..end]
                    .iter()
                    .zip(&self.removed[..end])
                    .rev()
                    .filter(|(e, gone)| !**gone && filter.passes(e))
                    .map(|(e, _)| e)
                    .take(max)
                    .collect()
            }
        }
    }
}
