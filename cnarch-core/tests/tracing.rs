//! W3C Trace Context and OpenTelemetry samplers against the shared vectors
//! (`testdata/tracing/*.json`: the W3C test suite, the recommendation, the OpenTelemetry
//! specification and Go SDK).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cnarch_core::error::Coded;
use cnarch_core::ffi::{self, Host};
use cnarch_core::tracing::{Parent, Sampler, TraceParent, TraceState};
use proptest::prelude::*;
use serde_json::{json, Value};

fn vectors(name: &str) -> Value {
    let path = format!("{}/../testdata/tracing/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn traceparent_vectors() {
    let v = vectors("traceparent.json");
    for c in v["valid"].as_array().unwrap() {
        let got = ffi::tracing::parse_traceparent(Host::RUST, c["header"].as_str().unwrap())
            .unwrap_or_else(|e| panic!("{}: {e:?}", c["why"]));
        for k in [
            "version",
            "trace_id",
            "parent_id",
            "trace_flags",
            "sampled",
            "random_trace_id",
        ] {
            assert_eq!(got[k], c[k], "{}: {k}", c["why"]);
        }
    }
    for c in v["invalid"].as_array().unwrap() {
        let e = TraceParent::parse(c["header"].as_str().unwrap())
            .expect_err(c["why"].as_str().unwrap());
        assert_eq!(e.code(), "invalid_traceparent", "{}", c["why"]);
        assert_eq!(e.field(), Some("traceparent"));
    }
    for c in v["format"].as_array().unwrap() {
        let opts = (!c["options"].is_null()).then(|| &c["options"]);
        let got = ffi::tracing::format_traceparent(
            Host::RUST,
            c["trace_id"].as_str().unwrap(),
            c["parent_id"].as_str().unwrap(),
            opts,
        )
        .unwrap();
        assert_eq!(got, c["header"].as_str().unwrap(), "{}", c["why"]);
    }
    for c in v["format_invalid"].as_array().unwrap() {
        let e = ffi::tracing::format_traceparent(
            Host::RUST,
            c["trace_id"].as_str().unwrap(),
            c["parent_id"].as_str().unwrap(),
            None,
        )
        .unwrap_err();
        assert_eq!(e.code, c["code"].as_str().unwrap(), "{}", c["why"]);
    }
}

#[test]
fn tracestate_vectors() {
    let v = vectors("tracestate.json");
    for c in v["valid"].as_array().unwrap() {
        let got = ffi::tracing::parse_tracestate(Host::RUST, c["header"].as_str().unwrap())
            .unwrap_or_else(|e| panic!("{}: {e:?}", c["why"]));
        assert_eq!(json!(got), c["members"], "{}", c["why"]);
    }
    for c in v["invalid"].as_array().unwrap() {
        let e =
            TraceState::parse(c["header"].as_str().unwrap()).expect_err(c["why"].as_str().unwrap());
        assert_eq!(e.code(), "invalid_tracestate", "{}", c["why"]);
    }
    for c in v["update"].as_array().unwrap() {
        let got = ffi::tracing::update_tracestate(
            Host::RUST,
            c["header"].as_str().unwrap(),
            c["key"].as_str().unwrap(),
            c["value"].as_str().unwrap(),
        )
        .unwrap();
        assert_eq!(got, c["after"].as_str().unwrap(), "{}", c["why"]);
    }
    for c in v["update_invalid"].as_array().unwrap() {
        let e = ffi::tracing::update_tracestate(
            Host::RUST,
            c["header"].as_str().unwrap(),
            c["key"].as_str().unwrap(),
            c["value"].as_str().unwrap(),
        )
        .unwrap_err();
        assert_eq!(e.code, "invalid_tracestate", "{}", c["why"]);
    }
    for c in v["truncate"].as_array().unwrap() {
        let got = ffi::tracing::truncate_tracestate(
            Host::RUST,
            c["header"].as_str().unwrap(),
            c["max_len"].as_u64().unwrap() as usize,
        )
        .unwrap();
        assert_eq!(got, c["after"].as_str().unwrap(), "{}", c["why"]);
    }
}

/// A sampler from a vector's description of it.
fn sampler(spec: &Value) -> Result<Sampler, ffi::Error> {
    let h = Host::RUST;
    let sub = |k: &str| spec.get(k).map(sampler).transpose();
    Ok(match spec["type"].as_str().unwrap() {
        "always_on" => Sampler::AlwaysOn,
        "always_off" => Sampler::AlwaysOff,
        "trace_id_ratio_based" => ffi::tracing::trace_id_ratio(h, spec["ratio"].as_f64().unwrap())?,
        "probability" => ffi::tracing::probability(
            h,
            spec["probability"].as_f64().unwrap(),
            spec.get("precision").map(|p| p.as_u64().unwrap() as u32),
        )?,
        "parent_based" => ffi::tracing::parent_based(
            sampler(&spec["root"])?,
            sub("remote_parent_sampled")?,
            sub("remote_parent_not_sampled")?,
            sub("local_parent_sampled")?,
            sub("local_parent_not_sampled")?,
        ),
        other => panic!("unknown sampler {other}"),
    })
}

#[test]
fn sampler_vectors() {
    let v = vectors("samplers.json");
    for c in v["thresholds"].as_array().unwrap() {
        let s = Sampler::probability(
            c["probability"].as_f64().unwrap(),
            c["precision"].as_u64().unwrap() as u32,
        )
        .unwrap();
        let Sampler::Probability { th, .. } = &s else {
            panic!("not a probability sampler")
        };
        assert_eq!(th, c["th"].as_str().unwrap(), "1 in {}", c["one_in"]);
    }
    for c in v["decisions"].as_array().unwrap() {
        let s = sampler(&c["sampler"]).unwrap();
        let parent = (!c["parent"].is_null()).then(|| &c["parent"]);
        let d =
            ffi::tracing::should_sample(Host::RUST, &s, c["trace_id"].as_str().unwrap(), parent)
                .unwrap();
        assert_eq!(d["sampled"], c["sampled"], "{}", c["why"]);
        assert_eq!(d["tracestate"], c["tracestate"], "{}", c["why"]);
    }
    for c in v["descriptions"].as_array().unwrap() {
        assert_eq!(
            sampler(&c["sampler"]).unwrap().description(),
            c["description"].as_str().unwrap()
        );
    }
    for c in v["invalid"].as_array().unwrap() {
        let e = sampler(&c["sampler"]).unwrap_err();
        assert_eq!(e.code, c["code"].as_str().unwrap(), "{}", c["why"]);
    }
}

proptest! {
    /// Formatting then parsing gives the same context; any text parses or is refused,
    /// never panics.
    #[test]
    fn traceparent_round_trips(
        trace in prop::array::uniform16(any::<u8>()),
        parent in prop::array::uniform8(any::<u8>()),
        flags in any::<u8>(),
        noise in ".{0,80}",
    ) {
        prop_assume!(trace != [0; 16] && parent != [0; 8]);
        let tp = TraceParent { version: 0, trace_id: trace, parent_id: parent, flags };
        prop_assert_eq!(TraceParent::parse(&tp.to_string()).unwrap(), tp);
        let _ = TraceParent::parse(&noise);
        let _ = TraceState::parse(&noise);
    }

    /// A parsed tracestate writes back to a header that parses to the same members, and
    /// truncation never exceeds its limit.
    #[test]
    fn tracestate_round_trips(
        members in prop::collection::btree_map("[a-z][a-z0-9_*/-]{0,8}", "[!-+\\--<>-~]{1,20}", 0..40),
        max_len in 0usize..400,
    ) {
        let header: Vec<String> = members.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let header = header.join(" , ");
        match TraceState::parse(&header) {
            Ok(ts) => {
                prop_assert!(members.len() <= 32);
                prop_assert_eq!(TraceState::parse(&ts.to_string()).unwrap(), ts.clone());
                prop_assert!(ts.truncate(max_len).to_string().len() <= max_len);
            }
            Err(_) => prop_assert!(members.len() > 32),
        }
    }

    /// The probability sampler is consistent: whatever it samples at p, it samples at any
    /// larger p, and a ParentBased child follows a sampled remote parent.
    #[test]
    fn probability_sampling_is_consistent(
        trace in prop::array::uniform16(any::<u8>()),
        p in 0.0001f64..1.0,
        q in 0.0001f64..1.0,
    ) {
        let (lo, hi) = if p <= q { (p, q) } else { (q, p) };
        let at = |x: f64| Sampler::probability(x, 4).unwrap().should_sample(&trace, None).sampled;
        prop_assert!(!at(lo) || at(hi));
        let pb = ffi::tracing::parent_based(Sampler::AlwaysOff, None, None, None, None);
        let parent = Parent { sampled: true, remote: true, tracestate: TraceState::new() };
        prop_assert!(pb.should_sample(&trace, Some(&parent)).sampled);
    }
}

/// `testdata/tracing/trees.json`: Jaeger's critical path, self time and the structural
/// findings, through the ffi (times in seconds from each trace's first start).
#[test]
fn span_tree_vectors() {
    let v = vectors("trees.json");
    for c in v["cases"].as_array().unwrap() {
        let why = c["name"].as_str().unwrap();
        let got = ffi::tracing::span_tree(Host::RUST, &json!({"spans": c["spans"]}))
            .unwrap_or_else(|e| panic!("{why}: {e:?}"));
        let want = c["expect"].as_array().unwrap();
        assert_eq!(got.as_array().unwrap().len(), want.len(), "{why}");
        for (g, w) in got.as_array().unwrap().iter().zip(want) {
            for k in ["trace_id", "roots", "orphans"] {
                assert_eq!(g[k], w[k], "{why}: {k}");
            }
            let path: Vec<(String, i64, i64)> = g["critical_path"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    let us = |x: &Value| (x.as_f64().unwrap() * 1e6).round() as i64;
                    (
                        s["span_id"].as_str().unwrap().to_string(),
                        us(&s["start"]),
                        us(&s["end"]),
                    )
                })
                .collect();
            let want_path: Vec<(String, i64, i64)> = w["critical_path_us"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s[0].as_str().unwrap().to_string(),
                        s[1].as_i64().unwrap(),
                        s[2].as_i64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(path, want_path, "{why}: critical path");
            let node = |id: &str| {
                g["spans"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|s| s["span_id"] == id)
                    .unwrap_or_else(|| panic!("{why}: no span {id}"))
                    .clone()
            };
            if let Some(st) = w.get("self_time_us") {
                for (id, us) in st.as_object().unwrap() {
                    let got = (node(id)["self_time"].as_f64().unwrap() * 1e6).round() as i64;
                    assert_eq!(got, us.as_i64().unwrap(), "{why}: self time of {id}");
                }
            }
            if let Some(d) = w.get("depth") {
                for (id, depth) in d.as_object().unwrap() {
                    assert_eq!(node(id)["depth"], *depth, "{why}: depth of {id}");
                }
            }
            if let Some(ch) = w.get("children") {
                for (id, kids) in ch.as_object().unwrap() {
                    assert_eq!(node(id)["children"], *kids, "{why}: children of {id}");
                }
            }
            let findings: Vec<Value> = g["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| json!([f["span_id"], f["code"]]))
                .collect();
            assert_eq!(json!(findings), w["findings"], "{why}: findings");
        }
    }
}

proptest! {
    /// On any tree of timed spans the critical path tiles the root: its sections are
    /// contiguous, latest first, from the root's end back to its start; and self times never
    /// exceed durations.
    #[test]
    fn critical_path_tiles_the_root(
        shape in prop::collection::vec((0usize..8, 0i64..100, 0i64..100), 1..12),
    ) {
        let mut spans = vec![json!({"traceID": "4bf92f3577b34da6a3ce929d0e0e4736", "spanID": "0000000000000001",
            "name": "root", "startTime": "2026-01-15T09:30:00Z", "endTime": "2026-01-15T09:30:00.000100Z"})];
        for (i, (p, a, len)) in shape.iter().enumerate() {
            let parent = format!("{:016x}", 1 + (p % (i + 1)));
            let (a, b) = (*a, (*a + *len).min(150));
            spans.push(json!({"traceID": "4bf92f3577b34da6a3ce929d0e0e4736", "spanID": format!("{:016x}", i + 2),
                "parentID": parent, "name": "s",
                "startTime": format!("2026-01-15T09:30:00.{:06}Z", a), "endTime": format!("2026-01-15T09:30:00.{:06}Z", b)}));
        }
        let got = ffi::tracing::span_tree(Host::RUST, &json!({"spans": spans})).unwrap();
        let path = got[0]["critical_path"].as_array().unwrap();
        let mut at = 100.0e-6;
        for s in path {
            prop_assert!((s["end"].as_f64().unwrap() - at).abs() < 1e-12);
            at = s["start"].as_f64().unwrap();
            prop_assert!(s["end"].as_f64().unwrap() > at);
        }
        prop_assert!(at.abs() < 1e-12, "path ends at {} not 0", at);
        for s in got[0]["spans"].as_array().unwrap() {
            if let (Some(st), Some(d)) = (s["self_time"].as_f64(), s["duration"].as_f64()) {
                prop_assert!(st >= -1e-12 && st <= d + 1e-12);
            }
        }
    }
}
