//! Projections: a fold over events into states, by stream or over the global log, optionally
//! partitioned, as EventStoreDB's user projections (`fromStream`/`fromAll`, `when` by event
//! type, `foreachStream`, `partitionBy`).
//!
//! The fold is the caller's (a Rust closure here; a Python callable or JS function through the
//! bindings), passed to each [`Projection::run`]. It gets the partition's state and an event
//! and returns the new state; when it fails, the projection stops before that event, with the
//! state and position as they were, so the next run starts there again. [`Projection::reset`]
//! forgets everything: running again from scratch gives the same states as running live, in
//! any number of steps (a property test checks it).

use std::collections::{BTreeMap, BTreeSet};

use super::store::{RecordedEvent, Store, StoreError};
use super::subscription::{CatchUp, Source};

/// How events are grouped into states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Partition {
    /// One state for everything (key `""`).
    None,
    /// One state per stream (`foreachStream`).
    Stream,
    /// One state per value of a field of the JSON payload, named by a JSON pointer such as
    /// `/region` (`partitionBy`). Events without it (or not JSON, or whose value is not a
    /// string or number) are passed over, as a `partitionBy` returning nothing.
    Field(String),
}

/// Why a run stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError<E> {
    /// The store refused the read.
    Store(StoreError),
    /// The fold failed on the event at this global position.
    Fold {
        /// The event's position.
        position: u64,
        /// The fold's error.
        error: E,
    },
}

/// A projection's definition and progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection<S> {
    source: Source,
    partition: Partition,
    event_types: BTreeSet<String>,
    init: S,
    states: BTreeMap<String, S>,
    sub: CatchUp,
    processed: u64,
}

/// What one run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunReport {
    /// Events folded.
    pub folded: u64,
    /// Events read and passed over (another type, or no partition key).
    pub passed_over: u64,
    /// The checkpoint after the run.
    pub checkpoint: Option<u64>,
}

impl<S: Clone> Projection<S> {
    /// A projection of `source` folding the events whose type is in `event_types` (empty:
    /// every type), grouped by `partition`, each state starting at `init`, reading
    /// `batch_size` events at a time.
    pub fn new(
        source: Source,
        event_types: impl IntoIterator<Item = String>,
        partition: Partition,
        init: S,
        batch_size: usize,
    ) -> Result<Projection<S>, StoreError> {
        if let Partition::Field(p) = &partition {
            if !(p.is_empty() || p.starts_with('/')) {
                return Err(StoreError::Invalid {
                    path: "partition".into(),
                    message: format!(
                        "expected a JSON pointer such as `/region` (empty or starting with `/`), found `{p}`"
                    ),
                });
            }
        }
        Ok(Projection {
            sub: CatchUp::new(source.clone(), None, batch_size)?,
            source,
            partition,
            event_types: event_types.into_iter().collect(),
            init,
            states: BTreeMap::new(),
            processed: 0,
        })
    }

    fn key(&self, e: &RecordedEvent) -> Option<String> {
        match &self.partition {
            Partition::None => Some(String::new()),
            Partition::Stream => Some(e.stream.clone()),
            Partition::Field(pointer) => {
                if !e.is_json {
                    return None;
                }
                let v: serde_json::Value = serde_json::from_slice(&e.data).ok()?;
                match v.pointer(pointer)? {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                }
            }
        }
    }

    /// Folds every event appended since the last run, at `now`, with `fold(state, event)`.
    pub fn run<E>(
        &mut self,
        store: &Store,
        now: i64,
        mut fold: impl FnMut(&S, &RecordedEvent) -> Result<S, E>,
    ) -> Result<RunReport, RunError<E>> {
        let mut report = RunReport {
            folded: 0,
            passed_over: 0,
            checkpoint: self.sub.checkpoint(),
        };
        loop {
            let batch = self.sub.poll(store, now).map_err(RunError::Store)?;
            for e in &batch.events {
                let wanted =
                    self.event_types.is_empty() || self.event_types.contains(&e.event_type);
                let key = if wanted { self.key(e) } else { None };
                if let Some(key) = key {
                    let state = self.states.get(&key).unwrap_or(&self.init);
                    match fold(state, e) {
                        Ok(next) => {
                            self.states.insert(key, next);
                            report.folded += 1;
                            self.processed += 1;
                        }
                        Err(error) => {
                            self.sub.rewind();
                            return Err(RunError::Fold {
                                position: e.position,
                                error,
                            });
                        }
                    }
                } else {
                    report.passed_over += 1;
                }
                let here = match self.source {
                    Source::Stream(_) => e.revision,
                    Source::All(_) => e.position,
                };
                // each event is acknowledged once folded, so a failure later in the batch
                // resumes right after it
                self.sub.ack(Some(here)).map_err(RunError::Store)?;
            }
            // a filtered read checkpoints what it scanned
            self.sub.ack(batch.checkpoint).map_err(RunError::Store)?;
            report.checkpoint = self.sub.checkpoint();
            if batch.caught_up {
                return Ok(report);
            }
        }
    }

    /// The state of partition `key` (`""` without partitions).
    pub fn state(&self, key: &str) -> Option<&S> {
        self.states.get(key)
    }

    /// Every partition's state, by key.
    pub fn states(&self) -> &BTreeMap<String, S> {
        &self.states
    }

    /// Events folded since the start (or the last reset).
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// The checkpoint (the last revision or position handled).
    pub fn checkpoint(&self) -> Option<u64> {
        self.sub.checkpoint()
    }

    /// Forgets the states and the checkpoint: the next run rebuilds from scratch.
    pub fn reset(&mut self) {
        self.states.clear();
        self.processed = 0;
        self.sub.reset();
    }
}
