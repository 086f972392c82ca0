//! Any text: loading never panics; an accepted file writes back to YAML and JSON that load to
//! equal documents.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(docs) = cnarch_core::load_str(data) {
        let yaml = cnarch_core::to_yaml(&docs).expect("writes yaml");
        assert_eq!(
            cnarch_core::load_str(&yaml).expect("written yaml loads"),
            docs,
            "{yaml}"
        );
        let json = cnarch_core::to_json(&docs).expect("writes json");
        assert_eq!(
            cnarch_core::load_str(&json).expect("written json loads"),
            docs,
            "{json}"
        );
    }
});
