//! The event store (eventsourcing::store) on testdata/eventsourcing/appends.json, and property
//! tests: no event lost or reordered, one winner among appenders with the same expectation,
//! reads forwards and backwards agreeing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cnarch_core::eventsourcing::*;
use proptest::prelude::*;
use serde_json::Value;

/// The time appends and reads use unless a step gives one (ms since the Unix epoch).
const NOW: i64 = 1_700_000_000_000;

fn ev(id: u128, ty: &str) -> EventData {
    EventData {
        id: EventId(id),
        event_type: ty.into(),
        data: format!("{{\"n\":{id}}}").into_bytes(),
        metadata: Vec::new(),
        is_json: true,
    }
}

fn expected(v: &Value) -> ExpectedRevision {
    match v {
        Value::Number(n) => ExpectedRevision::Exact(n.as_u64().unwrap()),
        Value::String(s) => match s.as_str() {
            "any" => ExpectedRevision::Any,
            "no_stream" => ExpectedRevision::NoStream,
            "stream_exists" => ExpectedRevision::StreamExists,
            other => panic!("expected revision {other}"),
        },
        other => panic!("expected revision {other}"),
    }
}

/// A JSON list of whole numbers.
fn u64s(v: &Value) -> Vec<u64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect()
}

/// The code the vectors name for each refusal.
fn code(e: &StoreError) -> &'static str {
    match e {
        StoreError::WrongExpectedVersion { .. } => "wrong_expected_version",
        StoreError::StreamDeleted { .. } => "stream_deleted",
        StoreError::StreamNotFound { .. } => "stream_not_found",
        StoreError::Invalid { .. } => "invalid_value",
    }
}

fn check_error(r: Result<(), StoreError>, step: &Value, what: &str) {
    match (r, step.get("error")) {
        (Ok(()), None) => {}
        (Err(e), Some(code)) => {
            assert_eq!(self::code(&e), code.as_str().unwrap(), "{what}: {e}");
            if let (StoreError::WrongExpectedVersion { actual, .. }, Some(a)) =
                (&e, step.get("actual"))
            {
                assert_eq!(*actual, a.as_u64(), "{what}");
            }
        }
        (r, _) => panic!("{what}: got {r:?}"),
    }
}

#[test]
fn append_vectors() {
    let v = common::testdata("eventsourcing/appends.json");
    for sc in v["scenarios"].as_array().unwrap() {
        let mut store = Store::new();
        for (i, step) in sc["steps"].as_array().unwrap().iter().enumerate() {
            let what = format!("{} / step {i}", sc["name"].as_str().unwrap());
            let stream = step.get("stream").and_then(Value::as_str).unwrap_or("");
            let now = step.get("now").and_then(Value::as_i64).unwrap_or(NOW);
            match step["op"].as_str().unwrap() {
                "append" => {
                    let events = step["ids"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| ev(u128::from(x.as_u64().unwrap()), "Happened"))
                        .collect();
                    let before = store.len();
                    let r = store.append(
                        stream,
                        expected(&step["expected"]),
                        events,
                        step.get("at").and_then(Value::as_i64).unwrap_or(NOW),
                    );
                    match (&r, step.get("ok")) {
                        (Ok(res), Some(ok)) => {
                            assert_eq!(res.next_expected_revision, ok["next"].as_u64(), "{what}");
                            assert_eq!(res.written, ok["written"].as_bool().unwrap(), "{what}");
                            assert_eq!(store.len() > before, res.written, "{what}");
                        }
                        _ => {
                            assert_eq!(
                                store.len(),
                                before,
                                "{what}: a refused append writes nothing"
                            );
                            check_error(r.map(|_| ()), step, &what);
                        }
                    }
                }
                "delete" => check_error(
                    store.delete(stream, expected(&step["expected"])),
                    step,
                    &what,
                ),
                "tombstone" => check_error(
                    store.tombstone(stream, expected(&step["expected"])),
                    step,
                    &what,
                ),
                "metadata" => {
                    let meta = StreamMetadata {
                        max_count: step.get("max_count").and_then(Value::as_u64),
                        max_age: step
                            .get("max_age_ms")
                            .and_then(Value::as_u64)
                            .map(std::time::Duration::from_millis),
                        truncate_before: step.get("truncate_before").and_then(Value::as_u64),
                    };
                    check_error(store.set_metadata(stream, meta), step, &what);
                }
                "scavenge" => {
                    assert_eq!(
                        store.scavenge(now) as u64,
                        step["removed"].as_u64().unwrap(),
                        "{what}"
                    );
                }
                "read_all" => {
                    let got: Vec<u64> = store
                        .read_all(Direction::Forwards, None, usize::MAX, &LogFilter::default())
                        .iter()
                        .map(|e| e.position)
                        .collect();
                    assert_eq!(got, u64s(&step["positions"]), "{what}");
                }
                "read" => {
                    let r = store.read_stream(stream, Direction::Forwards, None, usize::MAX, now);
                    match (r, step.get("revisions")) {
                        (Ok(evs), Some(want)) => {
                            let got: Vec<u64> = evs.iter().map(|e| e.revision).collect();
                            assert_eq!(got, u64s(want), "{what}");
                        }
                        (r, _) => check_error(r.map(|_| ()), step, &what),
                    }
                }
                other => panic!("op {other}"),
            }
        }
    }
}

#[test]
fn ids_print_and_parse_as_uuids() {
    let id = EventId::parse("3F2504E0-4f89-11d3-9a0c-0305e82c3301").unwrap();
    assert_eq!(id.to_string(), "3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    assert_eq!(
        EventId(7).to_string(),
        "00000000-0000-0000-0000-000000000007"
    );
    for bad in [
        "",
        "3f2504e04f8911d39a0c0305e82c3301",
        "3f2504e0-4f89-11d3-9a0c-0305e82c330g",
        "{3f2504e0-4f89-11d3-9a0c-0305e82c3301}",
    ] {
        assert!(EventId::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn reads_and_filters() {
    let mut s = Store::new();
    s.append(
        "order-1",
        ExpectedRevision::NoStream,
        vec![ev(1, "OrderPlaced"), ev(2, "OrderPaid")],
        0,
    )
    .unwrap();
    s.append(
        "user-1",
        ExpectedRevision::NoStream,
        vec![ev(3, "UserCreated")],
        0,
    )
    .unwrap();
    s.append(
        "order-2",
        ExpectedRevision::NoStream,
        vec![ev(4, "OrderPlaced")],
        0,
    )
    .unwrap();
    s.append(
        "order-1",
        ExpectedRevision::Exact(1),
        vec![ev(5, "OrderShipped")],
        0,
    )
    .unwrap();
    let pos = |v: Vec<&RecordedEvent>| v.iter().map(|e| e.position).collect::<Vec<_>>();
    let all = LogFilter::default();
    assert_eq!(
        pos(s.read_all(Direction::Forwards, None, 10, &all)),
        [0, 1, 2, 3, 4]
    );
    assert_eq!(
        pos(s.read_all(Direction::Forwards, Some(2), 2, &all)),
        [2, 3]
    );
    assert_eq!(pos(s.read_all(Direction::Backwards, None, 2, &all)), [4, 3]);
    assert_eq!(
        pos(s.read_all(Direction::Backwards, Some(2), 10, &all)),
        [1, 0]
    );
    let orders = LogFilter {
        stream_prefixes: vec!["order-".into()],
        ..LogFilter::default()
    };
    assert_eq!(
        pos(s.read_all(Direction::Forwards, None, 10, &orders)),
        [0, 1, 3, 4]
    );
    let placed = LogFilter {
        event_type_prefixes: vec!["OrderPl".into(), "User".into()],
        ..LogFilter::default()
    };
    assert_eq!(
        pos(s.read_all(Direction::Backwards, None, 10, &placed)),
        [3, 2, 0]
    );
    let revs = |v: Vec<&RecordedEvent>| v.iter().map(|e| e.revision).collect::<Vec<_>>();
    assert_eq!(
        revs(
            s.read_stream("order-1", Direction::Forwards, Some(1), 10, 0)
                .unwrap()
        ),
        [1, 2]
    );
    assert_eq!(
        revs(
            s.read_stream("order-1", Direction::Backwards, None, 2, 0)
                .unwrap()
        ),
        [2, 1]
    );
    assert_eq!(
        revs(
            s.read_stream("order-1", Direction::Backwards, Some(0), 5, 0)
                .unwrap()
        ),
        [0]
    );
    assert_eq!(
        revs(
            s.read_stream("order-1", Direction::Forwards, Some(9), 5, 0)
                .unwrap()
        ),
        Vec::<u64>::new()
    );
    assert!(matches!(
        s.read_stream("nope", Direction::Forwards, None, 1, 0),
        Err(StoreError::StreamNotFound { .. })
    ));
    // an empty batch passes the check, writes nothing and creates no stream
    let r = s
        .append("empty", ExpectedRevision::NoStream, vec![], 0)
        .unwrap();
    assert_eq!((r.next_expected_revision, r.written), (None, false));
    assert!(matches!(
        s.read_stream("empty", Direction::Forwards, None, 1, 0),
        Err(StoreError::StreamNotFound { .. })
    ));
    // deleted streams' events stay in the global log
    s.tombstone("user-1", ExpectedRevision::Any).unwrap();
    assert_eq!(s.read_all(Direction::Forwards, None, 10, &all).len(), 5);
    for bad in ["", "$all", "$ce-order"] {
        assert!(
            matches!(
                s.append(bad, ExpectedRevision::Any, vec![ev(9, "X")], 0),
                Err(StoreError::Invalid { .. })
            ),
            "{bad}"
        );
    }
    assert!(matches!(
        s.append("x", ExpectedRevision::Any, vec![ev(9, "")], 0),
        Err(StoreError::Invalid { .. })
    ));
}

proptest! {
    /// Random appends (some retried, some with stale expectations) over a few streams: the log
    /// holds exactly the accepted events in order, each stream's read is its subsequence, and
    /// reading backwards gives the reverse.
    #[test]
    fn nothing_lost_or_reordered(ops in prop::collection::vec((0usize..4, 0u8..4, 1usize..4, any::<bool>()), 1..60)) {
        let mut s = Store::new();
        let mut next_id = 1u128;
        let mut accepted: Vec<(String, u128)> = Vec::new();
        let mut last_batch: Option<(String, ExpectedRevision, Vec<EventData>)> = None;
        for (stream, how, n, retry) in ops {
            let name = format!("s{stream}");
            let (name, exp, batch) = match (retry, &last_batch) {
                (true, Some(b)) => b.clone(),
                _ => {
                    let cur = s.revision(&name);
                    let exp = match how {
                        0 => ExpectedRevision::Any,
                        1 => cur.map_or(ExpectedRevision::NoStream, ExpectedRevision::Exact),
                        2 => ExpectedRevision::Exact(cur.map_or(0, |r| r + 1)), // stale: always wrong
                        _ => ExpectedRevision::StreamExists,
                    };
                    let batch: Vec<EventData> = (0..n).map(|_| { next_id += 1; ev(next_id, "E") }).collect();
                    (name, exp, batch)
                }
            };
            let before = s.len();
            let r = s.append(&name, exp, batch.clone(), 0);
            match r {
                Ok(res) if res.written => {
                    for e in &batch { accepted.push((name.clone(), e.id.0)); }
                }
                Ok(_) => prop_assert_eq!(s.len(), before),
                Err(_) => prop_assert_eq!(s.len(), before),
            }
            last_batch = Some((name, exp, batch));
        }
        let all = s.read_all(Direction::Forwards, None, usize::MAX, &LogFilter::default());
        let got: Vec<(String, u128)> = all.iter().map(|e| (e.stream.clone(), e.id.0)).collect();
        prop_assert_eq!(&got, &accepted);
        for (i, e) in all.iter().enumerate() { prop_assert_eq!(e.position, i as u64); }
        let mut back = s.read_all(Direction::Backwards, None, usize::MAX, &LogFilter::default());
        back.reverse();
        prop_assert_eq!(back, all.clone());
        for k in 0..4 {
            let name = format!("s{k}");
            let want: Vec<u128> = accepted.iter().filter(|(s, _)| *s == name).map(|(_, id)| *id).collect();
            match s.read_stream(&name, Direction::Forwards, None, usize::MAX, 0) {
                Ok(evs) => {
                    prop_assert_eq!(evs.iter().map(|e| e.id.0).collect::<Vec<_>>(), want);
                    for (r, e) in evs.iter().enumerate() { prop_assert_eq!(e.revision, r as u64); }
                }
                Err(_) => prop_assert!(want.is_empty()),
            }
        }
    }

    /// Appenders that all read the same revision and append with it: exactly one wins, the
    /// others get the winner's revision as the actual one.
    #[test]
    fn one_winner_per_expectation(first in 0usize..3, writers in 2usize..6, order in prop::collection::vec(any::<u8>(), 6)) {
        let mut s = Store::new();
        let seed: Vec<EventData> = (0..first).map(|i| ev(1000 + i as u128, "Seed")).collect();
        if first > 0 { s.append("acct", ExpectedRevision::NoStream, seed, 0).unwrap(); }
        let cur = s.revision("acct");
        let exp = cur.map_or(ExpectedRevision::NoStream, ExpectedRevision::Exact);
        let mut idx: Vec<usize> = (0..writers).collect();
        idx.sort_by_key(|&i| order[i]);
        let mut wins = 0;
        for i in idx {
            match s.append("acct", exp, vec![ev(1 + i as u128, "Deposit")], 0) {
                Ok(r) => { prop_assert!(r.written); wins += 1; }
                Err(StoreError::WrongExpectedVersion { actual, .. }) => {
                    prop_assert_eq!(actual, Some(cur.map_or(0, |r| r + 1)));
                }
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
        prop_assert_eq!(wins, 1);
    }
}

#[test]
fn model_retention_is_max_age() {
    let m = cnarch_core::model::eventsourcing::EventStore {
        name: "ledger".into(),
        store_type: "eventstoredb".into(),
        retention: Some(cnarch_core::duration::parse_any("30d").unwrap()),
        encryption: false,
        compression: false,
    };
    let meta = StreamMetadata::from_model(&m);
    assert_eq!(
        meta.max_age,
        Some(std::time::Duration::from_secs(30 * 86400))
    );
    assert_eq!((meta.max_count, meta.truncate_before), (None, None));
}
