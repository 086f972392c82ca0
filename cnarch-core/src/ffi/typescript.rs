//! TypeScript declarations of the ffi's wire types, spelled as the JavaScript host reads and
//! writes them (camelCase), generated from the Rust types and their doc comments by ts-rs.
//! The npm package ships them as `generated.d.ts`; `cnarch-core/tests/typescript.rs` fails
//! when the committed file is not what these types say. Only with the `ts` feature.

use ts_rs::TS;

/// The text of `cnarch-wasm/npm/generated.d.ts`.
pub fn declarations() -> String {
    let mut out = String::from(
        "// Generated from cnarch-core's ffi types by ts-rs: do not edit. Regenerate with\n\
         // CNARCH_BLESS=1 cargo test -p cnarch-core --features ts --test typescript\n",
    );
    for decl in [
        crate::error::Violation::decl(),
        super::slo::Span::decl(),
        super::resilience::RetryArgs::decl(),
        super::resilience::BulkheadArgs::decl(),
        super::resilience::IstioOutlierArgs::decl(),
    ] {
        out.push('\n');
        out.push_str("export ");
        out.push_str(decl.trim());
        out.push('\n');
    }
    out
}
