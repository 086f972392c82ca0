//! Any JSON document: reading it as a Sloth spec or a model ServiceLevelObjectives document
//! never panics; an accepted spec generates rules whose YAML parses.
#![no_main]
use std::time::Duration;

use cnarch_core::ffi::slo::spec_from_json;
use cnarch_core::slo::rules::generate;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &str| {
    let Ok(v) = serde_json::from_str::<Value>(data) else {
        return;
    };
    let Ok(spec) = spec_from_json(&v, None) else {
        return;
    };
    if let Ok(rules) = generate(&spec, Duration::from_secs(30 * 86_400)) {
        let yaml = rules.to_yaml();
        serde_norway::from_str::<serde_norway::Value>(&yaml).expect("generated rules parse");
    }
});
