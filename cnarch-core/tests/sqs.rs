//! testdata/events/sqs.json against `events::sqs`: scenarios of sends, receives, deletes,
//! visibility changes and metrics; refused queues with their paths. Properties: every message
//! sent is visible, delayed, in flight, deleted, expired or moved, never lost; in a FIFO queue
//! no message is out twice at once and each group is received in send order; the model's
//! queue becomes the same queue as its attributes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;

use cnarch_core::error::Coded;
use cnarch_core::events::sqs::{
    Queue, QueueAttributes, QueueMetrics, ReceiveRequest, ReceivedMessage, SendOptions, Side,
};
use cnarch_core::time::Instant;
use proptest::prelude::*;
use serde_json::Value;

fn at(step: &Value) -> Instant {
    Instant::from_nanos((step["at"].as_f64().unwrap() * 1e9).round() as u64)
}

fn make(c: &Value) -> Result<Queue, cnarch_core::events::sqs::SqsError> {
    let attrs = QueueAttributes::from_value(&c["attributes"], "attributes")?;
    let dl = match c.get("dead_letter_attributes") {
        Some(v) => Some(QueueAttributes::from_value(v, "dead_letter_attributes")?),
        None => None,
    };
    Queue::new(
        c["queue"].as_str().or(c["name"].as_str()).unwrap(),
        attrs,
        dl,
    )
}

fn u32_of(step: &Value, key: &str) -> Option<u32> {
    step.get(key).map(|v| v.as_u64().unwrap() as u32)
}

fn check_metrics(name: &str, i: usize, want: &Value, got: &QueueMetrics) {
    for (k, v) in want.as_object().unwrap() {
        let found = match k.as_str() {
            "visible" => got.visible,
            "in_flight" => got.in_flight,
            "delayed" => got.delayed,
            "sent" => got.sent,
            "deduplicated" => got.deduplicated,
            "received" => got.received,
            "deleted" => got.deleted,
            "expired" => got.expired,
            "moved_to_dead_letter" => got.moved_to_dead_letter,
            "moved_in" => got.moved_in,
            "oldest_age" => {
                let age = got.oldest_age.unwrap().as_secs_f64();
                assert!(
                    (age - v.as_f64().unwrap()).abs() < 1e-9,
                    "{name} step {i}: age {age}"
                );
                continue;
            }
            other => panic!("{name}: unknown metric {other}"),
        };
        assert_eq!(found, v.as_u64().unwrap(), "{name} step {i}: {k}");
    }
}

#[test]
fn scenarios_run_as_sqs_documents() {
    let d = common::testdata("events/sqs.json");
    let cases = d["scenarios"].as_array().unwrap();
    assert!(cases.len() >= 15);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let mut q = make(c).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut saved: HashMap<String, Vec<ReceivedMessage>> = HashMap::new();
        for (i, step) in c["steps"].as_array().unwrap().iter().enumerate() {
            let now = at(step);
            let result: Result<(), cnarch_core::events::sqs::SqsError> = (|| {
                if step.get("send").is_some() || step.get("send_repeat").is_some() {
                    let body = match step.get("send_repeat") {
                        Some(n) => "x".repeat(n.as_u64().unwrap() as usize),
                        None => step["send"].as_str().unwrap().to_string(),
                    };
                    let r = q.send(
                        now,
                        body,
                        &SendOptions {
                            delay_seconds: u32_of(step, "delay"),
                            message_group_id: step["group"].as_str().map(String::from),
                            message_deduplication_id: step["dedup"].as_str().map(String::from),
                        },
                    )?;
                    if let Some(e) = step.get("expect") {
                        if let Some(id) = e.get("message_id") {
                            assert_eq!(
                                r.message_id.to_string(),
                                id.as_str().unwrap(),
                                "{name} {i}"
                            );
                        }
                        if let Some(dup) = e.get("duplicate") {
                            assert_eq!(r.duplicate, dup.as_bool().unwrap(), "{name} {i}");
                        }
                        if let Some(n) = e.get("sequence_number") {
                            assert_eq!(r.sequence_number, n.as_u64(), "{name} {i}");
                        }
                    }
                } else if let Some(n) = step.get("receive") {
                    let got = q.receive(
                        now,
                        &ReceiveRequest {
                            max_messages: n.as_u64().unwrap() as u32,
                            visibility_timeout: u32_of(step, "visibility"),
                            wait_time_seconds: u32_of(step, "wait"),
                            side: if step["dead_letter"].as_bool() == Some(true) {
                                Side::DeadLetter
                            } else {
                                Side::Source
                            },
                        },
                    )?;
                    if let Some(want) = step.get("expect") {
                        let bodies: Vec<&str> = got.iter().map(|m| m.body.as_str()).collect();
                        let want: Vec<&str> = want
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|b| b.as_str().unwrap())
                            .collect();
                        assert_eq!(bodies, want, "{name} step {i}");
                    }
                    if let Some(counts) = step.get("counts") {
                        let got: Vec<u64> =
                            got.iter().map(|m| u64::from(m.receive_count)).collect();
                        let want: Vec<u64> = counts
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|n| n.as_u64().unwrap())
                            .collect();
                        assert_eq!(got, want, "{name} step {i}");
                    }
                    if let Some(groups) = step.get("groups") {
                        let got: Vec<Value> = got
                            .iter()
                            .map(|m| {
                                m.message_group_id
                                    .as_deref()
                                    .map_or(Value::Null, |g| Value::String(g.into()))
                            })
                            .collect();
                        assert_eq!(&Value::Array(got), groups, "{name} step {i}");
                    }
                    for m in &got {
                        assert!(m.first_received_at <= now && m.sent_at <= now, "{name} {i}");
                    }
                    if let Some(s) = step["save"].as_str() {
                        saved.insert(s.to_string(), got);
                    }
                } else if let Some(h) = step.get("delete") {
                    let m = &saved[h.as_str().unwrap()][step["index"].as_u64().unwrap() as usize];
                    q.delete(now, &m.receipt_handle)?;
                } else if let Some(h) = step.get("change_visibility") {
                    let m = &saved[h.as_str().unwrap()][step["index"].as_u64().unwrap() as usize];
                    q.change_visibility(now, &m.receipt_handle, u32_of(step, "timeout").unwrap())?;
                } else if let Some(want) = step.get("metrics") {
                    let (m, dl) = q.metrics_both(now)?;
                    check_metrics(name, i, want, &m);
                    if let Some(w) = step.get("dead_letter") {
                        check_metrics(name, i, w, dl.as_ref().unwrap());
                    }
                } else {
                    panic!("{name}: unknown step {step}");
                }
                Ok(())
            })();
            match (result, step.get("error")) {
                (Ok(()), None) => {}
                (Err(e), Some(code)) => {
                    assert_eq!(e.code(), code.as_str().unwrap(), "{name} step {i}: {e}");
                    if let Some(p) = step.get("path") {
                        assert_eq!(e.field(), p.as_str(), "{name} step {i}: {e}");
                    }
                    assert!(
                        e.to_string().contains("expected") || e.to_string().contains("handle"),
                        "{name} {i}: {e}"
                    );
                }
                (Ok(()), Some(code)) => panic!("{name} step {i}: expected {code}, it passed"),
                (Err(e), None) => panic!("{name} step {i}: {e}"),
            }
        }
    }
}

#[test]
fn refused_queues_name_the_attribute() {
    let d = common::testdata("events/sqs.json");
    let cases = d["invalid"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for c in cases {
        let r = make(c);
        match c["code"].as_str() {
            None => {
                r.unwrap_or_else(|e| panic!("{}: {e}", c["source"]));
            }
            Some(code) => {
                let e = r.expect_err(c["source"].as_str().unwrap());
                assert_eq!(e.code(), code);
                assert_eq!(e.field(), c["path"].as_str(), "{e}");
                assert!(e.to_string().contains("expected"), "{e}");
            }
        }
    }
}

#[test]
fn the_model_queue_is_its_attributes() {
    let q = cnarch_core::model::events::Queue {
        name: "user-events".into(),
        queue_type: None,
        visibility: Some("30s".parse().unwrap()),
        retention: Some("96h".parse().unwrap()),
        dead_letter: Some(cnarch_core::model::events::DeadLetterQueue {
            name: "user-events-dlq".into(),
            max_receive: 5,
        }),
    };
    let sim = Queue::from_model(&q).unwrap();
    assert_eq!(sim.attributes().message_retention_period, 96 * 3600);
    assert_eq!(
        sim.attributes()
            .redrive_policy
            .as_ref()
            .unwrap()
            .max_receive_count,
        5
    );
    assert_eq!(sim.dead_letter_name(), Some("user-events-dlq"));
    let fractional = cnarch_core::model::events::Queue {
        visibility: Some("1.5s".parse().unwrap()),
        ..q
    };
    assert_eq!(
        Queue::from_model(&fractional).unwrap_err().field(),
        Some("visibility")
    );
}

#[derive(Debug, Clone)]
enum Op {
    Send { group: u8, delay: u8 },
    Receive { n: u8, visibility: Option<u8> },
    Delete { pick: u8 },
    Wait { secs: u16 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..4, 0u8..3).prop_map(|(group, delay)| Op::Send { group, delay }),
        (1u8..=10, proptest::option::of(0u8..40))
            .prop_map(|(n, visibility)| Op::Receive { n, visibility }),
        any::<u8>().prop_map(|pick| Op::Delete { pick }),
        (0u16..400).prop_map(|secs| Op::Wait { secs }),
    ]
}

fn run(fifo: bool, ops: &[Op]) {
    let mut attrs = if fifo {
        QueueAttributes::fifo()
    } else {
        QueueAttributes::default()
    };
    attrs.visibility_timeout = 20;
    attrs.message_retention_period = 600;
    attrs.content_based_deduplication = fifo;
    attrs.redrive_policy = Some(cnarch_core::events::sqs::RedrivePolicy {
        dead_letter_target: if fifo { "dlq.fifo" } else { "dlq" }.into(),
        max_receive_count: 2,
    });
    let mut q = Queue::new(if fifo { "q.fifo" } else { "q" }, attrs, None).unwrap();
    let mut now = Instant::ZERO;
    let mut handles: Vec<ReceivedMessage> = Vec::new();
    let mut sent = 0u64;
    // FIFO: the last sequence received per group, and what is out now.
    let mut last_seq: HashMap<Option<String>, u64> = HashMap::new();
    let mut out: HashMap<cnarch_core::events::sqs::MessageId, (Option<String>, Instant)> =
        HashMap::new();
    let mut n = 0u64;
    for o in ops {
        match o {
            Op::Send { group, delay } => {
                n += 1;
                let opts = SendOptions {
                    delay_seconds: (!fifo).then_some(u32::from(*delay) * 5),
                    message_group_id: fifo.then(|| format!("g{group}")),
                    message_deduplication_id: None,
                };
                let r = q.send(now, format!("body {n}"), &opts).unwrap();
                assert!(!r.duplicate);
                sent += 1;
            }
            Op::Receive { n, visibility } => {
                let got = q
                    .receive(
                        now,
                        &ReceiveRequest {
                            max_messages: u32::from(*n),
                            visibility_timeout: visibility.map(u32::from),
                            ..ReceiveRequest::default()
                        },
                    )
                    .unwrap();
                let mut ids: Vec<_> = got.iter().map(|m| m.message_id).collect();
                ids.sort();
                ids.dedup();
                assert_eq!(ids.len(), got.len(), "a message twice in one receive");
                let vis = std::time::Duration::from_secs(u64::from(visibility.unwrap_or(20)));
                for m in &got {
                    let g = m.message_group_id.as_deref().map(String::from);
                    // Out until its visibility timeout ends or it expires (retention 600 s).
                    let busy = out.iter().any(|(id, (og, until))| {
                        *until > now
                            && (*id == m.message_id
                                || (fifo && *og == g && !got.iter().any(|x| x.message_id == *id)))
                    });
                    assert!(
                        !busy,
                        "{} handed out while it (or, FIFO, its group) is in flight",
                        m.message_id
                    );
                    if fifo {
                        let seq = m.sequence_number.unwrap();
                        if let Some(&prev) = last_seq.get(&g) {
                            // A group moves on only past messages that are gone.
                            assert!(
                                seq >= prev || m.receive_count > 1,
                                "group {g:?} out of order"
                            );
                        }
                        last_seq.insert(g.clone(), seq);
                    }
                }
                for m in &got {
                    out.insert(
                        m.message_id,
                        (
                            m.message_group_id.as_deref().map(String::from),
                            now.saturating_add(vis).min(
                                m.sent_at
                                    .saturating_add(std::time::Duration::from_secs(600)),
                            ),
                        ),
                    );
                }
                handles.extend(got);
            }
            Op::Delete { pick } => {
                if !handles.is_empty() {
                    let m = handles.remove(usize::from(*pick) % handles.len());
                    if q.delete(now, &m.receipt_handle).is_ok() {
                        out.remove(&m.message_id);
                    }
                }
            }
            Op::Wait { secs } => {
                now = now.saturating_add(std::time::Duration::from_secs(u64::from(*secs)));
            }
        }
        let (m, d) = q.metrics_both(now).unwrap();
        let d = d.unwrap();
        assert_eq!(m.sent, sent);
        let held = m.visible + m.in_flight + m.delayed;
        assert_eq!(
            m.sent,
            held + m.deleted + m.expired + m.moved_to_dead_letter,
            "a message lost or made up: {m:?}"
        );
        assert_eq!(d.moved_in, m.moved_to_dead_letter);
        assert_eq!(
            d.moved_in,
            d.visible + d.in_flight + d.delayed + d.deleted + d.expired,
            "{d:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn standard_queues_never_lose_a_message(ops in proptest::collection::vec(op(), 1..120)) {
        run(false, &ops);
    }

    #[test]
    fn fifo_queues_never_lose_duplicate_or_reorder(ops in proptest::collection::vec(op(), 1..120)) {
        run(true, &ops);
    }
}
