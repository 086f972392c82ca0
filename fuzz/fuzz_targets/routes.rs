//! Route keys and requests from any text: compiling never panics, selection never panics,
//! and a full match's route has the request's method or ANY.
#![no_main]
use cnarch_core::gateway::Router;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    let mut lines = data.lines();
    let request = lines.next().unwrap_or("");
    let keys: Vec<&str> = lines.take(64).collect();
    let Ok(r) = Router::new(&keys) else {
        return;
    };
    let (method, path) = request.split_once(' ').unwrap_or(("GET", request));
    let s = r.select(method, path);
    if s.rule == "exact" {
        let key = s.route_key.unwrap_or_default();
        let m = key.split(' ').next().unwrap_or("");
        assert!(m == method || m == "ANY", "{key} for {method}");
    }
});
