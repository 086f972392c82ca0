//! The one error model: `testdata/errors.json` (the same bad input per code, run by the Rust,
//! Python and JavaScript suites) through the core and `ffi`, and the table in `docs/errors.md`
//! kept equal to `cnarch_core::error::CODES`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use cnarch_core::error::{code_info, Coded, ErrorKind, CODES};
use cnarch_core::ffi::{self, Error, Host};
use serde_json::{json, Value};

const H: Host = Host::RUST;

fn root() -> std::path::PathBuf {
    common::repo()
}

fn vectors() -> Value {
    common::testdata("errors.json")
}

fn e<E: Coded>(r: Result<impl Sized, E>) -> Result<(), Error> {
    r.map(|_| ()).map_err(|e| H.error(&e))
}

fn f(c: &Value, k: &str) -> f64 {
    c[k].as_f64().unwrap()
}

fn engine_inputs() -> (Value, Value) {
    (
        json!([{"name": "default", "labels": {}}]),
        json!([{"namespace": "default", "name": "web", "labels": {"app": "web"}, "ips": ["10.0.0.2"]}]),
    )
}

/// Runs one case's operation; `Ok` when it did not fail.
fn run(c: &Value) -> Result<(), Error> {
    use cnarch_core::resilience::bulkhead::Bulkhead;
    use cnarch_core::resilience::ratelimit::TokenBucket;
    let s = |k: &str| c[k].as_str().unwrap().to_string();
    match c["op"].as_str().unwrap() {
        "load" => e(cnarch_core::load_str(&s("text"))),
        "quantity" => e(cnarch_core::quantity::Quantity::parse(&s("text"))),
        "quantity_add" => {
            let a = cnarch_core::quantity::Quantity::parse(&s("a")).unwrap();
            let b = cnarch_core::quantity::Quantity::parse(&s("b")).unwrap();
            e(a.try_add(&b))
        }
        "duration" => e(cnarch_core::duration::parse_any(&s("text"))),
        "matchers" => ffi::alerting::parse_matchers(H, &c["text"]).map(|_| ()),
        "alertmanager_config" => ffi::alerting::config(H, &c["config"]).map(|_| ()),
        "schedule" => e(cnarch_core::schedule::Schedule::parse(&s("text"))),
        "selector" => e(cnarch_core::labels::Selector::parse(&s("text"))),
        "event_pattern" => ffi::events::matches(&c["pattern"], &json!({})).map(|_| ()),
        "filter_policy" => ffi::events::filter_policy(&c["policy"], None).map(|_| ()),
        "sns_attributes" => ffi::events::sns_message(Some(&c["attributes"]), None).map(|_| ()),
        "topic_subscribe" => {
            let mut t = ffi::events::topic(&s("topic"))?;
            ffi::events::subscribe(&mut t, "s", &s("protocol"), None, None)
        }
        "serverless_cost" => {
            ffi::serverless::cost(H, &c["function"], Some(&c["usage"])).map(|_| ())
        }
        "parse_exposition" => ffi::prom::parse_exposition(H, &s("text")).map(|_| ()),
        "expand_series" => ffi::prom::expand_series(H, &s("notation")).map(|_| ()),
        "stage_cache" => ffi::gateway::stage_cache(H, Some(&c["options"])).map(|_| ()),
        "router" => ffi::gateway::router(H, &c["routes"]).map(|_| ()),
        "traceparent" => ffi::tracing::parse_traceparent(H, &s("header")).map(|_| ()),
        "tracestate" => ffi::tracing::parse_tracestate(H, &s("header")).map(|_| ()),
        "probability_sampler" => {
            ffi::tracing::probability(H, c["probability"].as_f64().unwrap(), None).map(|_| ())
        }
        "event_source_mapping" => {
            ffi::serverless::event_source_mapping(H, Some(&c["mapping"])).map(|_| ())
        }
        "sqs_queue" => ffi::sqs::queue(H, &s("name"), Some(&c["attributes"]), None).map(|_| ()),
        "sqs_send" => {
            let mut q = ffi::sqs::queue(H, &s("name"), Some(&c["attributes"]), None)?;
            ffi::sqs::send(H, &mut q, 0.0, &s("body"), None).map(|_| ())
        }
        "es_append" => {
            let mut store = cnarch_core::eventsourcing::Store::new();
            for k in 0..c["setup"].as_u64().unwrap() {
                let ev =
                    json!([{"id": format!("00000000-0000-0000-0000-{:012x}", k + 1), "type": "T"}]);
                ffi::eventsourcing::append(H, &mut store, &s("stream"), &ev, None, 0.0)?;
            }
            if c.get("tombstone").is_some() {
                ffi::eventsourcing::delete(H, &mut store, &s("stream"), None, true)?;
            }
            let ev = json!([{"id": "00000000-0000-0000-0000-0000000000ff", "type": "T"}]);
            ffi::eventsourcing::append(H, &mut store, &s("stream"), &ev, Some(&c["expected"]), 0.0)
                .map(|_| ())
        }
        "es_read" => {
            let store = cnarch_core::eventsourcing::Store::new();
            ffi::eventsourcing::read_stream(H, &store, &s("stream"), None).map(|_| ())
        }
        "es_load_json" => ffi::eventsourcing::from_json_lines(H, &s("text")).map(|_| ()),
        "sqs_delete" => {
            let mut q = ffi::sqs::queue(H, "q", None, None)?;
            ffi::sqs::delete(H, &mut q, 0.0, &s("handle"))
        }
        "sqs_not_in_flight" => {
            let mut q = ffi::sqs::queue(H, "q", Some(&json!({"VisibilityTimeout": 0})), None)?;
            ffi::sqs::send(H, &mut q, 0.0, "a", None)?;
            let got = ffi::sqs::receive(H, &mut q, 0.0, None)?;
            let h = got[0]["receipt_handle"].as_str().unwrap().to_string();
            ffi::sqs::change_visibility(H, &mut q, 1.0, &h, 10.0)
        }
        "sqs_over_limit" => {
            let mut q = ffi::sqs::queue(H, "q", None, None)?;
            let n = c["in_flight"].as_u64().unwrap();
            for _ in 0..n {
                ffi::sqs::send(H, &mut q, 0.0, "a", None)?;
            }
            let ten = json!({"max_messages": 10});
            for _ in 0..n / 10 {
                ffi::sqs::receive(H, &mut q, 0.0, Some(&ten))?;
            }
            ffi::sqs::receive(H, &mut q, 0.0, None).map(|_| ())
        }
        "selector_structured" => {
            ffi::labels::from_label_selector(H, Some(&c["selector"])).map(|_| ())
        }
        "selector_nothing_structured" => {
            e(cnarch_core::labels::Selector::nothing().to_label_selector())
        }
        "replica_calc" => ffi::autoscale::replica_calc(
            H,
            c["current_replicas"].as_i64().unwrap() as i32,
            &c["pods"],
            Some(&c["options"]),
        )
        .map(|_| ()),
        "object_replica_calc" => ffi::autoscale::object_replica_calc(
            H,
            c["current_replicas"].as_i64().unwrap() as i32,
            &c["total"],
            Some(&c["options"]),
        )
        .map(|_| ()),
        "hpa" => ffi::autoscale::horizontal_autoscaler(H, &c["spec"], None).map(|_| ()),
        "breaker" => ffi::resilience::circuit_breaker(H, Some(&c["config"])).map(|_| ()),
        "breaker_restore" => {
            ffi::resilience::restore_breaker(H, Some(&c["config"]), &c["snapshot"]).map(|_| ())
        }
        "breaker_state" => {
            let b = ffi::resilience::circuit_breaker(H, None)?;
            b.state(H.instant(f(c, "now"), "now")?);
            Ok(())
        }
        "retry_policy" => ffi::resilience::retry_policy(H, Some(&c["options"])).map(|_| ()),
        "retry_on" => e(cnarch_core::resilience::retry_on::RetryOn::parse(&s(
            "conditions",
        ))),
        "retry_throttle" => e(cnarch_core::resilience::budget::RetryThrottle::new(
            c["max_tokens"].as_u64().unwrap() as u32,
            f(c, "token_ratio"),
        )),
        "retry_budget" => e(cnarch_core::resilience::budget::RetryBudget::new(
            f(c, "budget_percent"),
            3,
        )),
        "token_bucket" => e(TokenBucket::new(f(c, "rate"), c["burst"].as_u64().unwrap())),
        "token_bucket_check" => {
            let mut b = TokenBucket::new(f(c, "rate"), c["burst"].as_u64().unwrap()).unwrap();
            e(b.check(cnarch_core::time::Instant::ZERO, c["n"].as_u64().unwrap()))
        }
        "bulkhead" => e(Bulkhead::new(
            c["max_concurrent"].as_u64().unwrap() as u32,
            0,
            None,
        )),
        "bulkhead_release" => {
            let b = Bulkhead::new(c["max_concurrent"].as_u64().unwrap() as u32, 0, None).unwrap();
            e(b.release(cnarch_core::time::Instant::ZERO))
        }
        "outlier" => ffi::resilience::outlier_config(H, Some(&c["config"])).and_then(|cfg| {
            e(
                cnarch_core::resilience::outlier::OutlierDetector::<String>::new(
                    cfg,
                    cnarch_core::time::Instant::ZERO,
                    0,
                ),
            )
        }),
        "outlier_record" => e(s("result").parse::<cnarch_core::resilience::outlier::HostResult>()),
        "kpa" => {
            ffi::autoscale::serverless_autoscaler(H, Some(&c["config"]), None, 0.0, 0).map(|_| ())
        }
        "kpa_scale" => {
            let mut k = ffi::autoscale::serverless_autoscaler(H, Some(&c["config"]), None, 0.0, 0)?;
            e(k.scale_reachable(
                cnarch_core::time::Instant::ZERO,
                f(c, "stable"),
                f(c, "panic"),
                1,
                true,
            ))
        }
        "scaled_object" => ffi::autoscale::scaled_object(H, &c["config"]).map(|_| ()),
        "burn_rate" => {
            let o = cnarch_core::slo::budget::Objective::new(f(c, "objective"))
                .map_err(|x| H.error(&x))?;
            e(cnarch_core::slo::budget::burn_rate(f(c, "error_ratio"), &o))
        }
        "calendar_window" => e(cnarch_core::slo::window::CalendarWindow::containing(
            s("unit")
                .parse()
                .map_err(|x: cnarch_core::slo::window::WindowError| H.error(&x))?,
            &s("zone"),
            0,
        )),
        "policy_rules" => ffi::slo::policy_from_rules(H, &c["period"], &c["rules"]).map(|_| ()),
        "policy_evaluate" => {
            let (ns, pods) = engine_inputs();
            let engine = ffi::policy::engine(H, &ns, &pods, &json!([]))?;
            e(engine.evaluate_str(
                &s("from"),
                &s("to"),
                80,
                cnarch_core::model::data::NetworkProtocol::Tcp,
            ))
        }
        "policy_engine" => {
            let (ns, pods) = engine_inputs();
            ffi::policy::engine(H, &ns, &pods, &c["policies"]).map(|_| ())
        }
        other => panic!("unknown op {other}"),
    }
}

#[test]
fn every_case_gets_its_code_kind_path_and_violations() {
    let v = vectors();
    let mut seen = BTreeSet::new();
    for c in v["cases"].as_array().unwrap() {
        let why = c["why"].as_str().unwrap();
        let code = c["code"].as_str().unwrap();
        seen.insert(code.to_string());
        if c.get("only")
            .is_some_and(|o| !o.as_array().unwrap().iter().any(|l| l == "rust"))
        {
            continue;
        }
        let err = run(c).expect_err(why);
        assert_eq!(err.code, code, "{why}: {err:?}");
        assert_eq!(err.kind.as_str(), c["kind"].as_str().unwrap(), "{why}");
        if let Some(p) = c.get("path") {
            assert_eq!(err.path.as_deref(), p.as_str(), "{why}");
        }
        if let Some(vs) = c.get("violations") {
            let got: Vec<(String, String)> = err
                .violations
                .iter()
                .map(|x| (x.path.clone(), x.code.clone()))
                .collect();
            let mut want: Vec<(String, String)> = vs
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
                .collect();
            let mut got_set = got.clone();
            got_set.sort();
            want.sort();
            assert_eq!(got_set, want, "{why}");
        }
        // Violations of a text: in source order, each with its line and column.
        if let Some(located) = c.get("located") {
            let got: Vec<(String, Option<u32>, Option<u32>)> = err
                .violations
                .iter()
                .map(|x| (x.path.clone(), x.line, x.column))
                .collect();
            let want: Vec<(String, Option<u32>, Option<u32>)> = located
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    let n = |i: usize| p[i].as_u64().and_then(|n| u32::try_from(n).ok());
                    (p[0].as_str().unwrap().into(), n(1), n(2))
                })
                .collect();
            assert_eq!(got, want, "{why}");
        }
        // Messages follow the style guide: lowercase start, no final period, no line breaks,
        // no Rust type names.
        let m = &err.message;
        assert!(!m.ends_with('.') && !m.contains('\n'), "{why}: {m}");
        assert!(
            m.chars().next().is_some_and(|ch| !ch.is_uppercase()),
            "{why}: {m}"
        );
        for rust in [
            "u32", "i32", "u64", "f64", "usize", "struct ", "Option<", "Vec<",
        ] {
            assert!(!m.contains(rust), "{why}: Rust type in `{m}`");
        }
    }
    let all: BTreeSet<String> = CODES.iter().map(|c| c.code.to_string()).collect();
    assert_eq!(
        seen, all,
        "errors.json must have a case for every code, and only codes of CODES"
    );
    for c in v["cases"].as_array().unwrap() {
        let info = code_info(c["code"].as_str().unwrap()).unwrap();
        assert_eq!(
            info.kind.as_str(),
            c["kind"].as_str().unwrap(),
            "{}",
            c["why"]
        );
    }
}

/// The rows of the first markdown table under `heading` in docs/errors.md.
fn table(heading: &str) -> Vec<Vec<String>> {
    let doc = std::fs::read_to_string(root().join("docs/errors.md")).unwrap();
    let start = doc
        .find(heading)
        .unwrap_or_else(|| panic!("docs/errors.md lacks {heading}"));
    doc[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|cell| cell.trim().trim_matches('`').to_string())
                .collect()
        })
        .collect()
}

#[test]
fn docs_errors_md_lists_every_code_and_kind() {
    let rows = table("## Codes");
    let doc: BTreeMap<String, String> = rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    let core: BTreeMap<String, String> = CODES
        .iter()
        .map(|c| (c.code.to_string(), c.kind.as_str().to_string()))
        .collect();
    assert_eq!(
        doc, core,
        "docs/errors.md's code table must equal cnarch_core::error::CODES"
    );
    let v = vectors();
    let kinds = table("## Kinds");
    let names: BTreeMap<String, (String, String)> = kinds
        .iter()
        .map(|r| (r[0].clone(), (r[1].clone(), r[2].clone())))
        .collect();
    let want: BTreeMap<String, (String, String)> = ErrorKind::ALL
        .iter()
        .map(|k| {
            let e = &v["kinds"][k.as_str()];
            (
                k.as_str().to_string(),
                (
                    e["python"].as_str().unwrap().to_string(),
                    e["js"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(
        names, want,
        "docs/errors.md's kinds must name the classes errors.json checks"
    );
}

#[test]
fn every_code_a_core_error_returns_is_in_the_table() {
    // The string literals in the body of every `fn code` in the core: a new code added there
    // without a row in CODES (and so in docs/errors.md and errors.json) fails here.
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                let mut rest = text.as_str();
                while let Some(i) = rest.find("fn code(&self) -> &'static str {") {
                    let body = &rest[i..];
                    let end = body
                        .find("\n    }\n")
                        .or_else(|| body.find("\n}\n"))
                        .unwrap_or(body.len());
                    for lit in body[..end].split('"').skip(1).step_by(2) {
                        if lit
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
                            && lit.contains('_')
                        {
                            out.push((p.display().to_string(), lit.to_string()));
                        }
                    }
                    rest = &body[end..];
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join("cnarch-core/src"), &mut found);
    assert!(
        found.len() > 20,
        "the scan found the codes ({})",
        found.len()
    );
    for (file, code) in found {
        assert!(
            code_info(&code).is_some(),
            "{file}: code `{code}` is not in CODES / docs/errors.md"
        );
    }
}
