//! Subscriptions: catch-up subscriptions with checkpoints the caller stores, and persistent
//! subscriptions (consumer groups) with acknowledgements, retries and parking.
//!
//! Both are pull-driven and deterministic: the caller polls with the store and the time,
//! and says what its handler did. Nothing runs in the background.
//!
//! - **Catch-up** ([`CatchUp`]), as EventStoreDB's client subscriptions: it starts after a
//!   checkpoint (the revision or position of the last event handled; `None`: the start),
//!   reads the history in batches, and once a poll reaches the end it is live (the batch says
//!   `caught_up`; later polls return what was appended since). The checkpoint advances only
//!   when the caller acknowledges a batch ([`CatchUp::ack`]); a subscription restarted from
//!   the stored checkpoint ([`CatchUp::new`] again, after a crash) delivers every event after
//!   it again, so delivery is at least once. A filtered subscription to the global log
//!   checkpoints the positions it scanned, also when no event passed the filter (EventStoreDB's
//!   `checkpointReached`), so a restart does not rescan them.
//! - **Persistent** ([`Persistent`]), as EventStoreDB's server-side subscription groups:
//!   events are handed out up to `buffer_size` outstanding at a time; each must be acked or
//!   nacked (`retry`, `park`, `skip`) before `message_timeout`. A nack with `retry`, or a
//!   timeout, delivers the event again with its retry count one higher, retries first, unless
//!   its retry count has reached `max_retry_count`: then it is parked (EventStoreDB's
//!   `ActionTakenForRetriedMessage`). Parked events wait in the parked list until
//!   [`Persistent::replay_parked`] hands them out again with a retry count of 0. The group's
//!   checkpoint is the position just before the oldest event not yet acked (EventStoreDB's
//!   `TryMarkCheckpoint`; the server writes it at most every `checkPointAfter` or
//!   `checkPointLowerBound`..`UpperBound` events, which this engine leaves to the caller).

use std::collections::{BTreeMap, VecDeque};

use super::store::{LogFilter, RecordedEvent, Store, StoreError};

/// What a subscription reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// One stream; checkpoints are revisions.
    Stream(String),
    /// The global log, filtered; checkpoints are positions.
    All(LogFilter),
}

impl Source {
    /// Up to `max` events from source position `from`, with the last source position read
    /// (scanned, for the global log). A stream that does not exist yet reads as empty.
    fn read<'a>(
        &self,
        store: &'a Store,
        from: u64,
        max: usize,
        now: i64,
    ) -> Result<(Vec<&'a RecordedEvent>, Option<u64>), StoreError> {
        match self {
            Source::Stream(name) => {
                match store.read_stream(name, super::Direction::Forwards, Some(from), max, now) {
                    Ok(events) => {
                        let last = events.last().map(|e| e.revision);
                        Ok((events, last))
                    }
                    Err(StoreError::StreamNotFound { .. }) => Ok((Vec::new(), None)),
                    Err(e) => Err(e),
                }
            }
            Source::All(filter) => Ok(store.scan_all(from, max, filter)),
        }
    }
}

/// One poll's events.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch<'a> {
    /// The events, in order.
    pub events: Vec<&'a RecordedEvent>,
    /// The checkpoint to acknowledge once the events are handled: the revision (stream) or
    /// position (global log) of the last event delivered or scanned (`None`: nothing yet).
    pub checkpoint: Option<u64>,
    /// Whether the poll reached the end of the source (the subscription is live).
    pub caught_up: bool,
}

fn invalid(path: &str, message: &str) -> StoreError {
    StoreError::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

/// A catch-up subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatchUp {
    source: Source,
    batch_size: usize,
    /// Acknowledged: the checkpoint to store.
    checkpoint: Option<u64>,
    /// Delivered up to here.
    cursor: Option<u64>,
    live: bool,
}

impl CatchUp {
    /// A subscription to `source` after `checkpoint` (`None`: from the start), reading
    /// `batch_size` events per poll (1 or more; the model's `Projection.batchSize`).
    pub fn new(
        source: Source,
        checkpoint: Option<u64>,
        batch_size: usize,
    ) -> Result<CatchUp, StoreError> {
        if batch_size == 0 {
            return Err(invalid("batch_size", "expected a batch size of 1 or more"));
        }
        Ok(CatchUp {
            source,
            batch_size,
            checkpoint,
            cursor: checkpoint,
            live: false,
        })
    }

    /// The next events after what was delivered. A stream that does not exist yet (or is
    /// soft-deleted) gives an empty batch: the subscription waits for it. A tombstoned stream
    /// is refused as deleted.
    pub fn poll<'a>(&mut self, store: &'a Store, now: i64) -> Result<Batch<'a>, StoreError> {
        let from = self.cursor.map_or(0, |c| c.saturating_add(1));
        let (events, last) = self.source.read(store, from, self.batch_size, now)?;
        let caught_up = match &self.source {
            Source::Stream(_) => events.len() < self.batch_size,
            Source::All(_) => last.is_none_or(|l| l + 1 >= store.end_position()),
        };
        if last.is_some() {
            self.cursor = last;
        }
        self.live |= caught_up;
        Ok(Batch {
            events,
            checkpoint: self.cursor,
            caught_up,
        })
    }

    /// The handler finished everything up to `checkpoint` (a batch's): it becomes the
    /// checkpoint to store. A checkpoint past what was delivered is refused.
    pub fn ack(&mut self, checkpoint: Option<u64>) -> Result<(), StoreError> {
        if checkpoint > self.cursor {
            return Err(invalid(
                "checkpoint",
                "expected a checkpoint no later than the last batch delivered",
            ));
        }
        if checkpoint > self.checkpoint {
            self.checkpoint = checkpoint;
        }
        Ok(())
    }

    /// The handler failed: the next poll delivers again from the stored checkpoint.
    pub fn rewind(&mut self) {
        self.cursor = self.checkpoint;
    }

    /// The acknowledged checkpoint (what to store; what a restart resumes after).
    pub fn checkpoint(&self) -> Option<u64> {
        self.checkpoint
    }

    /// Forgets the checkpoint: the next poll starts from the beginning of the source.
    pub fn reset(&mut self) {
        self.checkpoint = None;
        self.cursor = None;
        self.live = false;
    }

    /// Whether a poll has reached the end of the source.
    pub fn is_live(&self) -> bool {
        self.live
    }
}

/// A persistent subscription's settings, with EventStoreDB's defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersistentSettings {
    /// Retries before an event is parked (default 10).
    pub max_retry_count: u32,
    /// How long a delivered event may stay unacknowledged before it is retried, in
    /// milliseconds (default 30,000).
    pub message_timeout_ms: i64,
    /// Events outstanding (delivered, not acked) at most (default 10, the .NET client's
    /// buffer size).
    pub buffer_size: usize,
}

impl Default for PersistentSettings {
    fn default() -> Self {
        PersistentSettings {
            max_retry_count: 10,
            message_timeout_ms: 30_000,
            buffer_size: 10,
        }
    }
}

/// What the handler says of an event it could not handle (EventStoreDB's `NakAction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nack {
    /// Deliver it again (parked instead once its retry count reached `max_retry_count`).
    Retry,
    /// Park it now.
    Park,
    /// Drop it, as if acknowledged.
    Skip,
}

/// An event handed out by a persistent subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery<'a> {
    /// The event.
    pub event: &'a RecordedEvent,
    /// How many times it was delivered before (0 the first time).
    pub retry_count: u32,
}

/// Why an event was parked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParkReason {
    /// Its retry count reached `max_retry_count`.
    MaxRetries,
    /// The handler nacked it with `park`.
    ByClient,
}

/// A persistent subscription (one consumer group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Persistent {
    source: Source,
    settings: PersistentSettings,
    /// The next source position to read (a revision, or a global position).
    next: u64,
    /// Retries waiting, in order: (global position, source position, retry count).
    retries: VecDeque<(u64, u64, u32)>,
    /// Delivered and not acked: global position → (source position, retry count, deadline).
    outstanding: BTreeMap<u64, (u64, u32, i64)>,
    parked: Vec<(u64, ParkReason)>,
    /// The last source position read.
    last_read: Option<u64>,
}

impl Persistent {
    /// A group on `source` starting after `start_after` (`None`: from the start).
    pub fn new(
        source: Source,
        start_after: Option<u64>,
        settings: PersistentSettings,
    ) -> Result<Persistent, StoreError> {
        if settings.buffer_size == 0 {
            return Err(invalid(
                "buffer_size",
                "expected a buffer size of 1 or more",
            ));
        }
        if settings.message_timeout_ms <= 0 {
            return Err(invalid(
                "message_timeout_ms",
                "expected a message timeout above zero",
            ));
        }
        Ok(Persistent {
            source,
            settings,
            next: start_after.map_or(0, |c| c.saturating_add(1)),
            retries: VecDeque::new(),
            outstanding: BTreeMap::new(),
            parked: Vec::new(),
            last_read: start_after,
        })
    }

    fn source_position(&self, e: &RecordedEvent) -> u64 {
        match self.source {
            Source::Stream(_) => e.revision,
            Source::All(_) => e.position,
        }
    }

    /// Retries or parks an event that was nacked or timed out.
    fn retry_or_park(&mut self, position: u64, source: u64, retry_count: u32) {
        if retry_count >= self.settings.max_retry_count {
            self.parked.push((position, ParkReason::MaxRetries));
        } else {
            self.retries.push_back((position, source, retry_count + 1));
        }
    }

    /// Hands out events at `now`: first the outstanding events whose timeout passed are
    /// retried (or parked), then retries and new events are delivered, retries first, up to
    /// `buffer_size` outstanding.
    pub fn poll<'a>(
        &mut self,
        store: &'a Store,
        now: i64,
    ) -> Result<Vec<Delivery<'a>>, StoreError> {
        let expired: Vec<(u64, (u64, u32, i64))> = self
            .outstanding
            .iter()
            .filter(|(_, v)| v.2 <= now)
            .map(|(k, v)| (*k, *v))
            .collect();
        for (position, (source, count, _)) in expired {
            self.outstanding.remove(&position);
            self.retry_or_park(position, source, count);
        }
        let deadline = now.saturating_add(self.settings.message_timeout_ms);
        let mut out = Vec::new();
        while self.outstanding.len() < self.settings.buffer_size {
            let Some((position, source, count)) = self.retries.pop_front() else {
                break;
            };
            // an event a scavenge removed meanwhile is gone for good
            if let Some(event) = store.at_position(position) {
                self.outstanding.insert(position, (source, count, deadline));
                out.push(Delivery {
                    event,
                    retry_count: count,
                });
            }
        }
        let room = self.settings.buffer_size - self.outstanding.len();
        if room > 0 {
            let (events, last) = self.source.read(store, self.next, room, now)?;
            if let Some(l) = last {
                self.next = l + 1;
                self.last_read = Some(l);
            }
            for event in events {
                let source = self.source_position(event);
                self.outstanding
                    .insert(event.position, (source, 0, deadline));
                out.push(Delivery {
                    event,
                    retry_count: 0,
                });
            }
        }
        Ok(out)
    }

    fn take_outstanding(&mut self, position: u64) -> Result<(u64, u32), StoreError> {
        self.outstanding
            .remove(&position)
            .map(|(s, c, _)| (s, c))
            .ok_or_else(|| {
                invalid(
                    "position",
                    &format!("expected the position of an outstanding event, found {position}"),
                )
            })
    }

    /// The handler handled the event at global `position`.
    pub fn ack(&mut self, position: u64) -> Result<(), StoreError> {
        self.take_outstanding(position).map(|_| ())
    }

    /// The handler could not handle the event at global `position`.
    pub fn nack(&mut self, position: u64, action: Nack) -> Result<(), StoreError> {
        let (source, count) = self.take_outstanding(position)?;
        match action {
            Nack::Retry => self.retry_or_park(position, source, count),
            Nack::Park => self.parked.push((position, ParkReason::ByClient)),
            Nack::Skip => {}
        }
        Ok(())
    }

    /// The parked events (global positions), oldest parking first, with why.
    pub fn parked(&self) -> &[(u64, ParkReason)] {
        &self.parked
    }

    /// Hands the parked events out again (as retries with a retry count of 0).
    pub fn replay_parked(&mut self, store: &Store) {
        for (position, _) in std::mem::take(&mut self.parked) {
            if let Some(e) = store.at_position(position) {
                let source = self.source_position(e);
                self.retries.push_back((position, source, 0));
            }
        }
    }

    /// Events delivered and not yet acknowledged.
    pub fn outstanding(&self) -> usize {
        self.outstanding.len()
    }

    /// The group's checkpoint: the source position just before the oldest event still
    /// outstanding or waiting as a retry; with none, the last position read (`None`:
    /// nothing to checkpoint yet). Parked events do not hold it back.
    pub fn checkpoint(&self) -> Option<u64> {
        let lowest = self
            .outstanding
            .values()
            .map(|v| v.0)
            .chain(self.retries.iter().map(|r| r.1))
            .min();
        match lowest {
            Some(l) => l.checked_sub(1),
            None => self.last_read,
        }
    }
}
