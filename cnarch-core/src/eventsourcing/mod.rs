//! An embeddable event store with EventStoreDB's semantics, pure and deterministic (the
//! caller passes the time): streams with expected-revision appends and idempotent retries,
//! soft deletes and tombstones, and the global log read forwards and backwards with filters
//! ([`store`]); subscriptions with checkpoints, catch-up and persistent ([`subscription`]);
//! projections ([`projection`]); snapshots ([`snapshot`]); replay ([`replay`]).
//!
//! The rules follow EventStoreDB's commit check (`IndexWriter.CheckCommit` in the EventStore
//! server) and its client documentation; `docs/eventsourcing.md` lists each with its source.
pub mod persist;
pub mod projection;
pub mod replay;
pub mod snapshot;
pub mod store;
pub mod subscription;

pub use projection::{Partition, Projection, RunError, RunReport};
pub use replay::{Bound, Progress, Replay};
pub use snapshot::{Loaded, Snapshot, SnapshotPolicy, Snapshots};
pub use store::{
    AppendResult, Direction, EventData, EventId, ExpectedRevision, LogFilter, RecordedEvent, Store,
    StoreError, StreamMetadata,
};
pub use subscription::{
    Batch, CatchUp, Delivery, Nack, ParkReason, Persistent, PersistentSettings, Source,
};
