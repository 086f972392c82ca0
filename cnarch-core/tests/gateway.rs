//! API Gateway route selection against `testdata/gateway/routes.json` (the API Gateway
//! guide's rules and its routing example, and cnarch's documented conventions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use cnarch_core::error::Coded;
use cnarch_core::ffi::{self, Host};
use cnarch_core::gateway::Router;
use proptest::prelude::*;
use serde_json::{json, Value};

fn vectors() -> Value {
    let path = format!(
        "{}/../testdata/gateway/routes.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn check(r: &Router, req: &Value, why: &str) {
    let got = ffi::gateway::select(
        Host::RUST,
        r,
        req["method"].as_str().unwrap(),
        req["path"].as_str().unwrap(),
    )
    .unwrap();
    for k in ["route_key", "path_parameters", "rule", "status"] {
        assert_eq!(
            got[k], req[k],
            "{why}: {} {}: {k}",
            req["method"], req["path"]
        );
    }
    if req["status"] == 404 {
        assert_eq!(got["body"], r#"{"message":"Not Found"}"#);
    }
}

#[test]
fn route_selection_vectors() {
    let v = vectors();
    for api in v["apis"].as_array().unwrap() {
        let why = api["name"].as_str().unwrap();
        let r = ffi::gateway::router(Host::RUST, &api["routes"]).unwrap();
        for req in api["requests"].as_array().unwrap() {
            check(&r, req, why);
        }
    }
    for c in v["invalid"].as_array().unwrap() {
        let keys: Vec<&str> = c["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        let e = Router::new(&keys).expect_err(c["why"].as_str().unwrap());
        assert_eq!(e.code(), "invalid_route_key");
        assert_eq!(
            e.field(),
            Some(format!("routes[{}]", c["index"]).as_str()),
            "{}",
            c["why"]
        );
    }
    let rest = &v["rest_api"];
    let r = ffi::gateway::router_from_api(Host::RUST, &rest["api"]).unwrap();
    assert_eq!(json!(ffi::gateway::keys(&r)), rest["keys"]);
    for req in rest["requests"].as_array().unwrap() {
        check(&r, req, "REST API resources and methods");
    }
}

proptest! {
    /// Selection never panics, and a route selected by a full match is one whose pattern
    /// matches the path segment by segment.
    #[test]
    fn selection_is_total_and_sound(
        routes in prop::collection::vec(("(GET|POST|ANY)", prop::collection::vec("(a|b|\\{v\\}|\\{w\\+\\})", 0..4)), 0..12),
        method in "(GET|POST|PUT)",
        path in prop::collection::vec("(a|b|c|)", 0..5),
    ) {
        let keys: Vec<String> = routes.iter().map(|(m, segs)| format!("{m} /{}", segs.join("/"))).collect();
        let Ok(r) = Router::new(&keys) else { return Ok(()) };
        let p = format!("/{}", path.join("/"));
        let s = r.select(&method, &p);
        if s.rule == "exact" {
            let key = s.route_key.unwrap();
            let (m, rp) = key.split_once(' ').unwrap();
            prop_assert!(m == method || m == "ANY");
            let want: Vec<&str> = rp.trim_start_matches('/').split('/').filter(|x| !x.is_empty()).collect();
            let got: Vec<&str> = p.trim_start_matches('/').split('/').filter(|x| !x.is_empty() || p.len() > 1).collect();
            prop_assert_eq!(want.len(), got.len(), "{} for {}", key, p);
            for (w, g) in want.iter().zip(&got) {
                prop_assert!(w.starts_with('{') || w == g, "{} for {}", key, p);
            }
        }
    }
}

fn cors_vectors() -> Value {
    let path = format!(
        "{}/../testdata/gateway/cors.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn cors_vectors_follow_the_fetch_standard() {
    let v = cors_vectors();
    for c in v["cors_check"].as_array().unwrap() {
        let got =
            ffi::gateway::cors_check(Host::RUST, &c["request"], &c["response_headers"]).unwrap();
        assert_eq!(
            (&got["ok"], &got["rule"]),
            (&c["ok"], &c["rule"]),
            "{}",
            c["why"]
        );
    }
    for c in v["preflight"].as_array().unwrap() {
        let h = (!c["response_headers"].is_null()).then(|| &c["response_headers"]);
        let got = ffi::gateway::preflight(
            Host::RUST,
            &c["request"],
            c["status"].as_u64().unwrap() as u16,
            h,
        )
        .unwrap();
        for k in ["needed", "unsafe_headers", "ok", "rule", "max_age"] {
            let want = if k == "max_age" && !c[k].is_null() {
                json!(c[k].as_f64().unwrap())
            } else {
                c[k].clone()
            };
            assert_eq!(got[k], want, "{}: {k}", c["why"]);
        }
    }
    for c in v["gateway"].as_array().unwrap() {
        let got = ffi::gateway::gateway_cors(Host::RUST, &c["config"], &c["request"]).unwrap();
        for k in ["preflight", "status", "headers"] {
            assert_eq!(got[k], c[k], "{}: {k}", c["why"]);
        }
    }
}

/// The gateway's answer to a preflight passes the browser's preflight check for the methods
/// and headers it allows.
#[test]
fn a_gateway_preflight_satisfies_the_browser() {
    let v = cors_vectors();
    let c = &v["gateway"][0];
    let answer = ffi::gateway::gateway_cors(Host::RUST, &c["config"], &c["request"]).unwrap();
    let request = json!({"origin": "https://app.example.com", "method": "PUT",
        "headers": [["Content-Type", "application/json"], ["Authorization", "Bearer t"]], "credentials": "include"});
    let got = ffi::gateway::preflight(Host::RUST, &request, 204, Some(&answer["headers"])).unwrap();
    assert_eq!(got["ok"], true, "{got}");
    assert_eq!(got["max_age"], 600.0);
}

fn throttle_vectors() -> Value {
    let path = format!(
        "{}/../testdata/gateway/throttle.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn throttling_and_caching_vectors() {
    let v = throttle_vectors();
    for s in v["throttle"].as_array().unwrap() {
        let why = s["why"].as_str().unwrap();
        let settings = (!s["settings"].is_null()).then(|| &s["settings"]);
        let mut t = ffi::gateway::throttle(Host::RUST, settings).unwrap();
        for r in s["requests"].as_array().unwrap() {
            for _ in 0..r.get("repeat").and_then(Value::as_u64).unwrap_or(1) {
                let got = ffi::gateway::throttle_request(
                    Host::RUST,
                    &mut t,
                    r["at"].as_f64().unwrap(),
                    r["client"].as_str(),
                    r["route_key"].as_str().unwrap(),
                )
                .unwrap();
                assert_eq!(
                    (&got["status"], &got["level"]),
                    (&r["status"], &r["level"]),
                    "{why}: {r}"
                );
                if let Some(w) = r.get("retry_after") {
                    let g = got["retry_after"].as_f64().unwrap();
                    assert!(
                        (g - w.as_f64().unwrap()).abs() < 1e-9,
                        "{why}: retry after {g}"
                    );
                }
                if r["status"] == 429 {
                    assert_eq!(got["body"], r#"{"message":"Too Many Requests"}"#);
                }
            }
        }
    }
    for c in v["throttle_invalid"].as_array().unwrap() {
        let e = ffi::gateway::throttle(Host::RUST, Some(&c["settings"])).unwrap_err();
        assert_eq!(e.code, "invalid_gateway_settings", "{}", c["why"]);
        assert_eq!(e.path.as_deref(), c["path"].as_str(), "{}", c["why"]);
    }
    for s in v["cache"].as_array().unwrap() {
        let why = s["why"].as_str().unwrap();
        let options = (!s["options"].is_null()).then(|| &s["options"]);
        let mut cache = ffi::gateway::stage_cache(Host::RUST, options).unwrap();
        for r in s["requests"].as_array().unwrap() {
            let got = ffi::gateway::cache_request(
                Host::RUST,
                &mut cache,
                r["at"].as_f64().unwrap(),
                r["method"].as_str().unwrap(),
                r["resource"].as_str().unwrap(),
                Some(&r["parameters"]),
                r["cache_control"].as_str(),
            )
            .unwrap();
            assert_eq!(got["outcome"], r["outcome"], "{why}: {r}");
            match r["expires_at"].as_f64() {
                Some(w) => assert!(
                    (got["expires_at"].as_f64().unwrap() - w).abs() < 1e-9,
                    "{why}"
                ),
                None => assert!(got["expires_at"].is_null(), "{why}"),
            }
        }
    }
    for c in v["cache_invalid"].as_array().unwrap() {
        let e = ffi::gateway::stage_cache(Host::RUST, Some(&c["options"])).unwrap_err();
        assert_eq!(e.code, "invalid_gateway_settings", "{}", c["why"]);
    }
}
