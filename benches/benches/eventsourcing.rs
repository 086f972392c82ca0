//! The event store (issue 15's targets): 1,000,000 small events appended to 10,000 streams
//! (under 1 s), and a 100,000-event stream read (under 20 ms).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;

use cnarch_core::eventsourcing::{Direction, EventData, EventId, ExpectedRevision, Store};
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
