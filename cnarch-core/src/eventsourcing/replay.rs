//! Replay: the global log between two times or positions, in batches, in the original
//! (commit) order, with progress (the model's `ReplayConfig`).
//!
//! - The range is half-open: from `from` included to `to` excluded. A time bound compares the
//!   event's `created` time, a position bound its global position; the two kinds mix.
//! - The replay covers the log as it was when it started: events appended later are not in
//!   it (`total` is fixed at the start), events a scavenge removed meanwhile are skipped and
//!   counted as done.
//! - Events are in log order even when their times are not monotonic (the caller passes the
//!   time of each append).

use super::store::{LogFilter, RecordedEvent, Store, StoreError};

/// One end of a replay range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The start (as `from`) or the end (as `to`) of the log.
    Open,
    /// A global position.
    Position(u64),
    /// A time, in milliseconds since the Unix epoch.
    Time(i64),
}

/// How far a replay is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Events in the range handed out so far.
    pub done: u64,
    /// Events in the range.
    pub total: u64,
    /// The global position of the last event handed out.
    pub position: Option<u64>,
}

/// A replay in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    from: Bound,
    to: Bound,
    filter: LogFilter,
    batch_size: usize,
    cursor: u64,
    end: u64,
    progress: Progress,
}

fn in_range(from: Bound, to: Bound, e: &RecordedEvent) -> bool {
    let after = match from {
        Bound::Open => true,
        Bound::Position(p) => e.position >= p,
        Bound::Time(t) => e.created >= t,
    };
    let before = match to {
        Bound::Open => true,
        Bound::Position(p) => e.position < p,
        Bound::Time(t) => e.created < t,
    };
    after && before
}

impl Replay {
    /// A replay of `store`'s events in `[from, to)` passing `filter`, `batch_size` (1 or
    /// more) at a time.
    pub fn new(
        store: &Store,
        from: Bound,
        to: Bound,
        filter: LogFilter,
        batch_size: usize,
    ) -> Result<Replay, StoreError> {
        if batch_size == 0 {
            return Err(StoreError::Invalid {
                path: "batch_size".into(),
                message: "expected a batch size of 1 or more".into(),
            });
        }
        let backwards = match (from, to) {
            (Bound::Position(a), Bound::Position(b)) => a > b,
            (Bound::Time(a), Bound::Time(b)) => a > b,
            _ => false,
        };
        if backwards {
            return Err(StoreError::Invalid {
                path: "to".into(),
                message: "expected the end of the range at or after its start".into(),
            });
        }
        let end = match to {
            Bound::Position(p) => p.min(store.end_position()),
            _ => store.end_position(),
        };
        let cursor = match from {
            Bound::Position(p) => p.min(end),
            _ => 0,
        };
        let total = (cursor..end)
            .filter_map(|p| store.at_position(p))
            .filter(|e| in_range(from, to, e) && filter.passes(e))
            .count() as u64;
        Ok(Replay {
            from,
            to,
            filter,
            batch_size,
            cursor,
            end,
            progress: Progress {
                done: 0,
                total,
                position: None,
            },
        })
    }

    /// The model's replay window (`from`, `to`, `batchSize`, default 500) over the whole log.
    pub fn from_model(
        store: &Store,
        config: &crate::model::eventsourcing::ReplayConfig,
    ) -> Result<Replay, StoreError> {
        let time = |t: Option<&crate::model::Timestamp>| {
            t.map_or(Bound::Open, |t| Bound::Time(t.timestamp_millis()))
        };
        let batch = config
            .batch_size
            .map_or(500, |b| usize::try_from(b).unwrap_or(0));
        Replay::new(
            store,
            time(config.from.as_ref()),
            time(config.to.as_ref()),
            LogFilter::default(),
            batch,
        )
    }

    /// The next batch, or `None` when the replay is done.
    pub fn next_batch<'a>(&mut self, store: &'a Store) -> Option<Vec<&'a RecordedEvent>> {
        let mut out = Vec::new();
        while self.cursor < self.end && out.len() < self.batch_size {
            let p = self.cursor;
            self.cursor += 1;
            if let Some(e) = store.at_position(p) {
                if in_range(self.from, self.to, e) && self.filter.passes(e) {
                    out.push(e);
                }
            }
        }
        if out.is_empty() {
            // whatever a scavenge removed meanwhile counts as done
            self.progress.done = self.progress.total;
            return None;
        }
        self.progress.done = (self.progress.done + out.len() as u64).min(self.progress.total);
        self.progress.position = out.last().map(|e| e.position);
        Some(out)
    }

    /// How far it is.
    pub fn progress(&self) -> Progress {
        self.progress
    }
}
