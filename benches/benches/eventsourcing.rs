//! The event store (issue 15's targets): 1,000,000 small events appended to 10,000 streams
//! (under 1 s), a 100,000-event stream read (under 20 ms), an aggregate loaded from a snapshot
//! every 1,000 events (under 10 µs plus the events after it), and 1,000,000 events serialized
//! and loaded (under 1 s each, in both persisted forms).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use cnarch_core::eventsourcing::{
    Direction, EventData, EventId, ExpectedRevision, RecordedEvent, SnapshotPolicy, Snapshots,
    Store,
};
use criterion::{criterion_group, criterion_main, Criterion};

fn small(id: u128) -> EventData {
    EventData {
        id: EventId(id),
        event_type: "Deposited".into(),
        data: b"{\"amount\":10}".to_vec(),
        metadata: Vec::new(),
        is_json: true,
    }
}

fn append_million() -> Store {
    let names: Vec<String> = (0..10_000).map(|i| format!("account-{i}")).collect();
    let mut s = Store::new();
    for k in 0..1_000_000u128 {
        let name = &names[(k % 10_000) as usize];
        let exp = match s.revision(name) {
            Some(r) => ExpectedRevision::Exact(r),
            None => ExpectedRevision::NoStream,
        };
        s.append(name, exp, vec![small(k + 1)], 0).unwrap();
    }
    s
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("eventsourcing");
    g.sample_size(10);
    g.bench_function(
        "append 1,000,000 events to 10,000 streams (exact revisions)",
        |b| b.iter(|| black_box(append_million().len())),
    );
    let mut s = Store::new();
    for k in 0..100_000u128 {
        s.append("big", ExpectedRevision::Any, vec![small(k + 1)], 0)
            .unwrap();
    }
    g.bench_function("read a 100,000-event stream forwards", |b| {
        b.iter(|| {
            black_box(
                s.read_stream("big", Direction::Forwards, None, usize::MAX, 0)
                    .unwrap()
                    .len(),
            )
        })
    });
    // an aggregate of 10,500 events with a snapshot every 1,000: the latest at revision
    // 9,999, so a load reads 500 events; beside it, a load of the same stream from scratch and
    // the 500-event read alone
    let mut acct = Store::new();
    let mut snaps: Snapshots<u64> = Snapshots::new(SnapshotPolicy {
        every_events: Some(1_000),
        ..SnapshotPolicy::default()
    })
    .unwrap();
    let fold = |sum: &u64, e: &RecordedEvent| -> Result<u64, ()> { Ok(sum + e.data.len() as u64) };
    let mut sum = 0u64;
    for k in 0..10_500u128 {
        acct.append("acct", ExpectedRevision::Any, vec![small(k + 1)], 0)
            .unwrap();
        sum += 13;
        snaps.offer("acct", k as u64, 0, sum);
    }
    assert_eq!(snaps.latest("acct").unwrap().revision, 9_999);
    g.bench_function("load an aggregate: snapshot + 500 events", |b| {
        b.iter(|| black_box(snaps.load(&acct, "acct", 0, 0, fold).unwrap().state))
    });
    g.bench_function("read the 500 events after the snapshot", |b| {
        b.iter(|| {
            black_box(
                acct.read_stream("acct", Direction::Forwards, Some(10_000), usize::MAX, 0)
                    .unwrap()
                    .len(),
            )
        })
    });
    let none: Snapshots<u64> = Snapshots::new(SnapshotPolicy {
        every_events: Some(1_000),
        ..SnapshotPolicy::default()
    })
    .unwrap();
    g.bench_function("load an aggregate without a snapshot: 10,500 events", |b| {
        b.iter(|| black_box(none.load(&acct, "acct", 0, 0, fold).unwrap().state))
    });

    // the loads are timed without freeing the loaded store afterwards (criterion's
    // `iter_with_large_drop`): the target is loading, and the drop of 1,000,000 events is the
    // caller's, whenever it lets the store go
    let million = append_million();
    let text = million.to_json_lines();
    let bytes = million.to_bytes();
    println!(
        "1,000,000 events: JSON lines {} bytes, binary {} bytes",
        text.len(),
        bytes.len()
    );
    g.bench_function("serialize 1,000,000 events (binary)", |b| {
        b.iter(|| black_box(million.to_bytes().len()))
    });
    g.bench_function("load 1,000,000 events (binary)", |b| {
        b.iter_with_large_drop(|| black_box(Store::from_bytes(&bytes).unwrap()))
    });
    g.bench_function("serialize 1,000,000 events (JSON lines)", |b| {
        b.iter(|| black_box(million.to_json_lines().len()))
    });
    g.bench_function("load 1,000,000 events (JSON lines)", |b| {
        b.iter_with_large_drop(|| black_box(Store::from_json_lines(&text).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
