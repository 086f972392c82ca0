//! Writes the benchmark's generated spec to stdout: `cargo run -p cnarch-benches --example gen_yaml -- 1000`.
fn main() {
    let n = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    print!("{}", cnarch_benches::microservices_yaml(n));
}
