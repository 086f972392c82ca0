//! Benchmarks for cnarch live in `benches/benches/`; this crate holds their shared helpers.
