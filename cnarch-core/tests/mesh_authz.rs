//! Mesh authorization against `testdata/policy/mesh.json` (from the Istio documentation).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cnarch_core::model::mesh::MeshPolicy;
use cnarch_core::policy::mesh::{authorize, string_matches, Decision, Request};
use serde_json::Value;

fn request(v: &Value) -> Request {
    // The vectors' requests deserialize as they are, which is what the bindings rely on.
    serde_json::from_value(v.clone()).unwrap()
}

#[test]
fn documented_cases() {
    let v: Value = common::testdata("policy/mesh.json");
    for c in v["cases"].as_array().unwrap() {
        let policies: Vec<MeshPolicy> = serde_json::from_value(c["policies"].clone()).unwrap();
        for p in &policies {
            validator::Validate::validate(p).unwrap();
        }
        let verdict = authorize(&policies, &request(&c["request"]));
        let name = c["name"].as_str().unwrap();
        assert_eq!(
            verdict.allowed,
            c["allowed"].as_bool().unwrap(),
            "{name}: {verdict:?}"
        );
        let (kind, rule) = match &verdict.decision {
            Decision::DeniedByCustom { rule, .. } => ("denied_by_custom", Some(rule)),
            Decision::DeniedByDeny { rule } => ("denied_by_deny", Some(rule)),
            Decision::AllowedNoAllowPolicy => ("allowed_no_allow_policy", None),
            Decision::AllowedBy { rule } => ("allowed_by", Some(rule)),
            Decision::DeniedNoAllowMatched { .. } => ("denied_no_allow_matched", None),
        };
        assert_eq!(kind, c["decision"].as_str().unwrap(), "{name}");
        if let Some(want) = c["rule"].as_array() {
            let r = rule.unwrap();
            assert_eq!(
                (r.policy.as_str(), r.rule as u64),
                (want[0].as_str().unwrap(), want[1].as_u64().unwrap()),
                "{name}"
            );
        }
        assert_eq!(
            verdict.audited.len() as u64,
            c["audited"].as_u64().unwrap_or(0),
            "{name}"
        );
        assert_eq!(
            verdict.dry_run.len() as u64,
            c["dry_run"].as_u64().unwrap_or(0),
            "{name}"
        );
    }
}

#[test]
fn string_matching() {
    assert!(string_matches("abc", "abc") && !string_matches("abc", "abcd"));
    assert!(string_matches("abc*", "abcd") && !string_matches("abc*", "xabc"));
    assert!(string_matches("*abc", "xabc") && !string_matches("*abc", "abcx"));
    assert!(string_matches("*", "x") && !string_matches("*", ""));
}
