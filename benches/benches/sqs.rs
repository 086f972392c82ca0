//! The SQS queue simulator, side by side in one run (the target, issue 13: 1,000,000 messages
//! through send, receive and delete in under 1 s):
//! - standard queue, steady: each message sent, received in batches of 10 and deleted, the
//!   queue holding about 10 at a time;
//! - standard queue, backlog: 1,000,000 sent first, then received and deleted in batches of 10
//!   (the deepest the queue gets);
//! - FIFO queue, steady, over 1,000 message groups with content-based deduplication (the
//!   group index and the deduplication table in the loop).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use cnarch_core::events::sqs::{Queue, QueueAttributes, ReceiveRequest, SendOptions};
use cnarch_core::time::Instant;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const N: u64 = 1_000_000;

fn ten() -> ReceiveRequest {
    ReceiveRequest {
        max_messages: 10,
        ..ReceiveRequest::default()
    }
}

/// Sends in tens, each ten received and deleted at once; one millisecond per ten.
fn steady(mut q: Queue, fifo: bool) -> u64 {
    let mut deleted = 0;
    let mut now = Instant::ZERO;
    let groups: Vec<String> = (0..1000).map(|g| format!("g{g}")).collect();
    for batch in 0..N / 10 {
        for i in 0..10 {
            let n = batch * 10 + i;
            let opts = SendOptions {
                message_group_id: fifo.then(|| groups[(n % 1000) as usize].clone()),
                ..SendOptions::default()
            };
            q.send(now, format!("message {n}"), &opts).unwrap();
        }
        for m in q.receive(now, &ten()).unwrap() {
            q.delete(now, &m.receipt_handle).unwrap();
            deleted += 1;
        }
        now = now.saturating_add(Duration::from_millis(1));
    }
    deleted
}

fn backlog(mut q: Queue) -> u64 {
    let now = Instant::ZERO;
    for n in 0..N {
        q.send(now, format!("message {n}"), &SendOptions::default())
            .unwrap();
    }
    let mut deleted = 0;
    loop {
        let got = q.receive(now, &ten()).unwrap();
        if got.is_empty() {
            break;
        }
        for m in got {
            q.delete(now, &m.receipt_handle).unwrap();
            deleted += 1;
        }
    }
    deleted
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sqs");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(20));
    g.throughput(Throughput::Elements(N));
    g.bench_function("standard steady, 1M messages", |b| {
        b.iter(|| {
            let q = Queue::new("orders", QueueAttributes::default(), None).unwrap();
            assert_eq!(black_box(steady(q, false)), N);
        })
    });
    g.bench_function("standard backlog, 1M messages", |b| {
        b.iter(|| {
            let q = Queue::new("orders", QueueAttributes::default(), None).unwrap();
            assert_eq!(black_box(backlog(q)), N);
        })
    });
    g.bench_function("fifo steady, 1M messages, 1000 groups", |b| {
        b.iter(|| {
            let attrs = QueueAttributes {
                content_based_deduplication: true,
                ..QueueAttributes::fifo()
            };
            let q = Queue::new("orders.fifo", attrs, None).unwrap();
            assert_eq!(black_box(steady(q, true)), N);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
