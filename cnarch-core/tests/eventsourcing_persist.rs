//! The event store's persisted forms (eventsourcing::persist): round trips of random stores
//! in both forms, and refusal with an offset of every truncation and every corrupted byte.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cnarch_core::eventsourcing::*;
use proptest::prelude::*;

fn ev(id: u128, ty: &str, data: &[u8], is_json: bool) -> EventData {
    EventData {
        id: EventId(id),
        event_type: ty.into(),
        data: data.to_vec(),
        metadata: if id.is_multiple_of(3) {
            b"{\"by\":\"x\"}".to_vec()
        } else {
            Vec::new()
        },
        is_json,
    }
}

/// A store with every kind of state: JSON and binary payloads (one pretty-printed, one with
/// surrounding spaces), soft-deleted and recreated streams, a tombstone, metadata, a
/// metadata-only stream, and a scavenge.
fn sample() -> Store {
    let mut s = Store::new();
    let any = ExpectedRevision::Any;
    s.append(
        "order-1",
        any,
        vec![
            ev(1, "Placed", b"{\"n\":1}", true),
            ev(2, "Paid", b"\x00\xffbytes", false),
        ],
        10,
    )
    .unwrap();
    s.append(
        "order-2",
        any,
        vec![
            ev(3, "Placed", b"{\n  \"pretty\": true\n}", true),
            ev(4, "Placed", b" [1, 2] ", true),
        ],
        20,
    )
    .unwrap();
    s.append(
        "order-3",
        any,
        vec![
            ev(5, "Placed", b"not json", true),
            ev(6, "Placed", b"", true),
        ],
        30,
    )
    .unwrap();
    s.delete("order-2", any).unwrap();
    s.append("order-2", any, vec![ev(7, "Reopened", b"{}", true)], 40)
        .unwrap();
    s.tombstone("order-3", any).unwrap();
    s.set_metadata(
        "order-1",
        StreamMetadata {
            max_count: Some(5),
            max_age: Some(std::time::Duration::from_secs(60)),
            truncate_before: Some(1),
        },
    )
    .unwrap();
    s.set_metadata(
        "empty",
        StreamMetadata {
            max_count: Some(1),
            ..StreamMetadata::default()
        },
    )
    .unwrap();
    s.append(
        "user-1",
        any,
        vec![
            ev(8, "Created", b"{\"name\":\"\\u00e9\"}", true),
            ev(9, "Noted", b"{\n  \"pretty\": true\n}", true),
            ev(10, "Noted", b" [1, 2] ", true),
            ev(11, "Noted", b"not json", true),
        ],
        50,
    )
    .unwrap();
    s.scavenge(100);
    s
}

/// Everything a caller can observe of a store.
fn observe(s: &Store) -> String {
    let mut out = String::new();
    for e in s.read_all(Direction::Forwards, None, usize::MAX, &LogFilter::default()) {
        out += &format!("{e:?}\n");
    }
    for name in ["order-1", "order-2", "order-3", "empty", "user-1", "none"] {
        out += &format!(
            "{name}: {:?} {:?} {:?}\n",
            s.revision(name),
            s.metadata(name),
            s.read_stream(name, Direction::Forwards, None, usize::MAX, 50)
                .map(|v| v.iter().map(|e| e.revision).collect::<Vec<_>>())
        );
    }
    out
}

/// The store's idempotency: what a retry of each id (with `any`) on each stream does.
fn retries(s: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for stream in ["order-1", "order-2", "order-3", "user-1"] {
        for id in 1..=12u128 {
            let mut c = s.clone();
            let r = c.append(
                stream,
                ExpectedRevision::Any,
                vec![ev(id, "T", b"{}", true)],
                0,
            );
            out.push(format!("{stream} {id}: {r:?}"));
        }
    }
    out
}

#[test]
fn both_forms_round_trip_exactly() {
    let s = sample();
    let text = s.to_json_lines();
    let bytes = s.to_bytes();
    let a = Store::from_json_lines(&text).unwrap();
    let b = Store::from_bytes(&bytes).unwrap();
    assert_eq!(observe(&a), observe(&s));
    assert_eq!(observe(&b), observe(&s));
    assert_eq!(retries(&a), retries(&s));
    assert_eq!(retries(&b), retries(&s));
    // each form reproduces itself and the other
    assert_eq!(a.to_json_lines(), text);
    assert_eq!(b.to_bytes(), bytes);
    assert_eq!(a.to_bytes(), bytes);
    // JSON payloads on one line stay readable, the others are base64
    assert!(text.contains("\"data\":{\"name\":\"\\u00e9\"}"), "{text}");
    assert!(
        text.contains("\"data_base64\":\"ewogICJwcmV0dHkiOiB0cnVlCn0=\""),
        "{text}"
    );
    assert!(text.contains("\"data_base64\":\"IFsxLCAyXSA=\""), "{text}");
    assert!(text.contains("\"data_base64\":\"bm90IGpzb24=\""), "{text}");
    assert!(text.lines().next().unwrap() == "{\"format\":\"cnarch.eventstore\",\"version\":1}");
    assert!(
        text.ends_with("{\"end\":{\"streams\":5,\"events\":11}}\n"),
        "{text}"
    );
}

fn corrupt_offset(r: Result<Store, StoreError>) -> usize {
    match r {
        Err(StoreError::Corrupt { offset, .. }) => offset,
        other => panic!(
            "expected a corrupt-store error, got {:?}",
            other.map(|s| s.len())
        ),
    }
}

#[test]
fn every_truncation_is_refused() {
    let s = sample();
    let bytes = s.to_bytes();
    for n in 0..bytes.len() {
        let off = corrupt_offset(Store::from_bytes(&bytes[..n]));
        assert!(off <= n, "cut at {n}: offset {off}");
    }
    let text = s.to_json_lines();
    // the end line without its final newline is still whole
    for n in 0..text.len() - 1 {
        if !text.is_char_boundary(n) {
            continue;
        }
        let off = corrupt_offset(Store::from_json_lines(&text[..n]));
        assert!(off <= n, "cut at {n}: offset {off}");
    }
    assert!(Store::from_json_lines(&text[..text.len() - 1]).is_ok());
}

#[test]
fn every_corrupted_byte_of_the_binary_form_is_refused() {
    let bytes = sample().to_bytes();
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[i] ^= flip;
            corrupt_offset(Store::from_bytes(&b));
        }
    }
}

#[test]
fn json_lines_refusals_name_the_line() {
    let text = sample().to_json_lines();
    let lines: Vec<&str> = text.lines().collect();
    let offset_of = |k: usize| lines[..k].iter().map(|l| l.len() + 1).sum::<usize>();
    let cases: Vec<(usize, String, &str)> = vec![
        (
            0,
            "{\"format\":\"cnarch.eventstore\",\"version\":2}".into(),
            "version 1",
        ),
        (
            1,
            lines[1].replace("\"stream\":\"order-1\"", "\"stream\":\"$system\""),
            "system streams",
        ),
        (
            6,
            lines[6].replace("\"position\":0", "\"position\":1"),
            "position 0",
        ),
        (
            6,
            lines[6].replace("\"revision\":0", "\"revision\":3"),
            "revision 0",
        ),
        (6, lines[6].replace("\"id\":\"", "\"id\":\"x"), "UUID"),
        (6, lines[6].replace("}", ",\"extra\":1}"), "unknown field"),
        (6, "{\"position\": 0".into(), "event line"),
    ];
    for (k, line, want) in cases {
        let mut ls: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        ls[k] = line;
        let t = ls.join("\n") + "\n";
        match Store::from_json_lines(&t) {
            Err(StoreError::Corrupt { offset, message }) => {
                assert_eq!(offset, offset_of(k), "{want}: {message}");
                assert!(message.contains(want), "{want}: {message}");
            }
            other => panic!("{want}: {:?}", other.map(|s| s.len())),
        }
    }
    // a line added after the end, and a count that does not match
    let extra = text.clone() + "{\"stream\":\"late\"}\n";
    assert_eq!(corrupt_offset(Store::from_json_lines(&extra)), text.len());
    let short = text.replace("\"events\":11", "\"events\":12");
    assert!(matches!(
        Store::from_json_lines(&short),
        Err(StoreError::Corrupt { .. })
    ));
}

proptest! {
    /// Random stores (appends, deletes, tombstones, metadata, scavenges) load back from both
    /// forms with the same reads, the same idempotency and the same persisted bytes.
    #[test]
    fn random_stores_round_trip(ops in prop::collection::vec((0u8..6, 0usize..4, 1usize..4, any::<bool>()), 1..40)) {
        let mut s = Store::new();
        let mut id = 0u128;
        for (op, stream, n, json) in ops {
            let name = format!("s{stream}");
            let _ = match op {
                0..=2 => s.append(&name, ExpectedRevision::Any, (0..n).map(|_| { id += 1; ev(id, "E", if json { b"{\"a\":[1]}" } else { b"\x01\x02" }, json) }).collect(), id as i64).map(|_| ()),
                3 => s.delete(&name, ExpectedRevision::Any),
                4 => s.set_metadata(&name, StreamMetadata { max_count: Some(n as u64), ..StreamMetadata::default() }),
                _ => { if json { s.scavenge(0); Ok(()) } else { s.tombstone(&name, ExpectedRevision::Any) } }
            };
        }
        let a = Store::from_json_lines(&s.to_json_lines()).unwrap();
        let b = Store::from_bytes(&s.to_bytes()).unwrap();
        prop_assert_eq!(observe(&a), observe(&s));
        prop_assert_eq!(observe(&b), observe(&s));
        prop_assert_eq!(a.to_bytes(), s.to_bytes());
        prop_assert_eq!(b.to_json_lines(), s.to_json_lines());
        for st in 0..4 {
            for i in 1..=id.min(12) {
                let name = format!("s{st}");
                let r = |x: &Store| { let mut c = x.clone(); format!("{:?}", c.append(&name, ExpectedRevision::Any, vec![ev(i, "T", b"{}", true)], 0)) };
                prop_assert_eq!(r(&a), r(&s));
                prop_assert_eq!(r(&b), r(&s));
            }
        }
    }
}

/// The sample store in both forms, committed in testdata/ so the Python and JavaScript tests
/// load what Rust wrote (`CNARCH_REGENERATE=1` rewrites them after a deliberate format change).
#[test]
fn committed_files_are_what_the_sample_writes() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/eventsourcing");
    let s = sample();
    let text = s.to_json_lines();
    let bytes = s.to_bytes();
    if std::env::var_os("CNARCH_REGENERATE").is_some() {
        std::fs::write(root.join("store.jsonl"), &text).unwrap();
        std::fs::write(root.join("store.bin"), &bytes).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(root.join("store.jsonl")).unwrap(),
        text
    );
    assert_eq!(std::fs::read(root.join("store.bin")).unwrap(), bytes);
}
