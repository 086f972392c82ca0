//! The npm package's TypeScript declarations of the ffi's wire types are generated from the Rust
//! types (ts-rs, from their serde shape and doc comments, re-spelled in camelCase as the JS host
//! does): this test fails when `cnarch-wasm/npm/generated.d.ts` differs from what the types
//! say. `CNARCH_BLESS=1 cargo test -p cnarch-core --features ts --test typescript` rewrites it.
#![cfg(feature = "ts")]
#![allow(clippy::unwrap_used, clippy::panic)]

use cnarch_core::ffi::typescript::declarations;

mod common;

#[test]
fn generated_declarations_are_current() {
    let path = common::repo().join("cnarch-wasm/npm/generated.d.ts");
    let want = declarations();
    if std::env::var_os("CNARCH_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{} is out of date; run: CNARCH_BLESS=1 cargo test -p cnarch-core --features ts --test typescript",
        path.display()
    );
}
