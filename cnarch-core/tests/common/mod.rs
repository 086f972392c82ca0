//! What the integration tests share: reading the JSON vectors in `testdata/`.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The repository's root.
#[allow(dead_code)]
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[allow(dead_code)]
/// The JSON file at `testdata/<rel>`; a missing or malformed file fails the test with its name.
pub fn testdata(rel: &str) -> Value {
    let path = repo().join("testdata").join(rel);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}
