//! An embeddable event store with EventStoreDB's semantics, pure and deterministic (the
//! caller passes the time): streams with expected-revision appends and idempotent retries,
//! soft deletes and tombstones, and the global log read forwards and backwards with filters
//! ([`store`]).
//!
//! The rules follow EventStoreDB's commit check (`IndexWriter.CheckCommit` in the EventStore
//! server) and its client documentation; `docs/eventsourcing.md` lists each with its source.
pub mod store;

pub use store::{
    AppendResult, Direction, EventData, EventId, ExpectedRevision, LogFilter, RecordedEvent, Store,
    StoreError, StreamMetadata,
};
