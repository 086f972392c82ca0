//! Snapshots of aggregates: taken every N events or every `frequency` of time (the model's
//! `Snapshot.frequency`), kept for a retention, and used to load an aggregate as the latest
//! snapshot plus the events after it.
//!
//! EventStoreDB has no built-in snapshots; this is the pattern its documentation describes
//! (a snapshot holds the state and the revision it was taken at; loading reads the stream
//! from the revision after it). The rules here:
//! - a snapshot is due at a revision when none exists yet and the stream has `every_events`
//!   events, or when `every_events` events were appended since the latest, or when
//!   `frequency` has passed since the latest was taken (a time-only policy takes the first
//!   one at the first offer);
//! - retention drops snapshots taken longer ago than `retention`, never the latest;
//! - a snapshot from before the stream's first readable revision (a soft delete and
//!   recreation, `$tb` or `$maxCount` hid events after it) is not used: its state would
//!   miss events a read no longer returns, so the aggregate loads as the stream reads;
//! - a snapshot past the stream's last revision (from another store) is refused.

use std::collections::HashMap;

use super::projection::RunError;
use super::store::{Direction, RecordedEvent, Store, StoreError};

/// When snapshots are taken and how long they are kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SnapshotPolicy {
    /// Every this many events (1 or more).
    pub every_events: Option<u64>,
    /// Every this many milliseconds (above zero).
    pub every_ms: Option<i64>,
    /// Drop snapshots taken longer ago than this many milliseconds (above zero).
    pub retention_ms: Option<i64>,
}

impl SnapshotPolicy {
    /// The model's snapshot: `frequency` as the time interval, `retention` as the retention.
    pub fn from_model(s: &crate::model::eventsourcing::Snapshot) -> SnapshotPolicy {
        let ms = |d: &crate::duration::Duration| {
            d.to_std().and_then(|d| i64::try_from(d.as_millis()).ok())
        };
        SnapshotPolicy {
            every_events: None,
            every_ms: ms(&s.frequency),
            retention_ms: s.retention.as_ref().and_then(ms),
        }
    }

    fn check(&self) -> Result<(), StoreError> {
        let bad = |path: &str, what: &str| StoreError::Invalid {
            path: path.into(),
            message: what.into(),
        };
        if self.every_events == Some(0) {
            return Err(bad("every_events", "expected 1 or more events"));
        }
        if self.every_ms.is_some_and(|v| v <= 0) {
            return Err(bad("every_ms", "expected an interval above zero"));
        }
        if self.retention_ms.is_some_and(|v| v <= 0) {
            return Err(bad("retention_ms", "expected a retention above zero"));
        }
        if self.every_events.is_none() && self.every_ms.is_none() {
            return Err(bad(
                "every_events",
                "expected `every_events`, `every_ms` or both",
            ));
        }
        Ok(())
    }
}

/// One snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot<S> {
    /// The stream revision the state includes.
    pub revision: u64,
    /// When it was taken (ms since the Unix epoch).
    pub taken: i64,
    /// The aggregate's state.
    pub state: S,
}

/// An aggregate loaded from its stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<S> {
    /// The state.
    pub state: S,
    /// The revision it includes (`None`: no events).
    pub revision: Option<u64>,
    /// The revision of the snapshot it started from (`None`: from the first event).
    pub snapshot: Option<u64>,
    /// Events read from the stream.
    pub events_read: u64,
}

/// The snapshots of many aggregates, by stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshots<S> {
    policy: SnapshotPolicy,
    streams: HashMap<String, Vec<Snapshot<S>>>,
}

impl<S: Clone> Snapshots<S> {
    /// An empty set with `policy`.
    pub fn new(policy: SnapshotPolicy) -> Result<Snapshots<S>, StoreError> {
        policy.check()?;
        Ok(Snapshots {
            policy,
            streams: HashMap::new(),
        })
    }

    /// The policy.
    pub fn policy(&self) -> SnapshotPolicy {
        self.policy
    }

    /// `stream`'s snapshots, oldest first.
    pub fn list(&self, stream: &str) -> &[Snapshot<S>] {
        self.streams.get(stream).map_or(&[], Vec::as_slice)
    }

    /// `stream`'s latest snapshot.
    pub fn latest(&self, stream: &str) -> Option<&Snapshot<S>> {
        self.list(stream).last()
    }

    /// Whether a snapshot of `stream` at `revision` is due at `now`.
    pub fn due(&self, stream: &str, revision: u64, now: i64) -> bool {
        let p = self.policy;
        match self.latest(stream) {
            None => match p.every_events {
                Some(n) => revision + 1 >= n || p.every_ms.is_some(),
                None => true,
            },
            Some(l) if revision <= l.revision => false,
            Some(l) => {
                p.every_events.is_some_and(|n| revision - l.revision >= n)
                    || p.every_ms
                        .is_some_and(|ms| now.saturating_sub(l.taken) >= ms)
            }
        }
    }

    /// Takes a snapshot of `stream` at `revision` when one is due, then applies the
    /// retention; whether one was taken.
    pub fn offer(&mut self, stream: &str, revision: u64, now: i64, state: S) -> bool {
        if !self.due(stream, revision, now) {
            return false;
        }
        self.take(stream, revision, now, state);
        true
    }

    /// Takes a snapshot whether due or not (one at or before the latest's revision is
    /// ignored), then applies the retention.
    pub fn take(&mut self, stream: &str, revision: u64, now: i64, state: S) {
        let list = self.streams.entry(stream.to_string()).or_default();
        if list.last().is_some_and(|l| revision <= l.revision) {
            return;
        }
        list.push(Snapshot {
            revision,
            taken: now,
            state,
        });
        if let Some(keep) = self.policy.retention_ms {
            let cutoff = now.saturating_sub(keep);
            let last = list.len() - 1;
            let mut i = 0;
            list.retain(|s| {
                i += 1;
                i - 1 == last || s.taken >= cutoff
            });
        }
    }

    /// Loads `stream`'s aggregate at `now`: the latest usable snapshot, then `fold` over the
    /// events after it (from `init` and the first readable event without one).
    pub fn load<E>(
        &self,
        store: &Store,
        stream: &str,
        init: S,
        now: i64,
        mut fold: impl FnMut(&S, &RecordedEvent) -> Result<S, E>,
    ) -> Result<Loaded<S>, RunError<E>> {
        let last = store.revision(stream);
        let snap = self.latest(stream);
        if let (Some(s), l) = (snap, last) {
            if l.is_none_or(|l| s.revision > l) {
                return Err(RunError::Store(StoreError::Invalid {
                    path: "snapshot".into(),
                    message: format!(
                        "expected a snapshot at or before the stream's last revision ({}), found one at {}",
                        l.map_or("none".to_string(), |l| l.to_string()),
                        s.revision
                    ),
                }));
            }
        }
        let first = store.first_readable(stream);
        let snap = snap.filter(|s| first.is_none_or(|f| s.revision + 1 >= f));
        let (mut state, from, snapshot) = match snap {
            Some(s) => (s.state.clone(), Some(s.revision + 1), Some(s.revision)),
            None => (init, None, None),
        };
        let events = store
            .read_stream(stream, Direction::Forwards, from, usize::MAX, now)
            .map_err(RunError::Store)?;
        let mut revision = snapshot;
        for e in &events {
            state = fold(&state, e).map_err(|error| RunError::Fold {
                position: e.position,
                error,
            })?;
            revision = Some(e.revision);
        }
        Ok(Loaded {
            state,
            revision,
            snapshot,
            events_read: events.len() as u64,
        })
    }
}
