//! Any text: parsing never panics; an accepted quantity prints a canonical form that parses
//! back to the same value, and that form is stable from the second print on (the first may
//! change format, as in Kubernetes: `62.5Ki` prints `64000`, which parses as decimal `64k`).
#![no_main]
use cnarch_core::quantity::Quantity;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &str| {
    if let Ok(q) = Quantity::parse(data) {
        let text = q.to_string();
        let back = Quantity::parse(&text).expect("canonical form parses");
        assert_eq!(back, q, "{data:?} → {text}");
        let again = back.to_string();
        assert_eq!(
            Quantity::parse(&again).expect("reparses").to_string(),
            again,
            "{data:?}"
        );
        let _ = (
            q.value(),
            q.milli_value(),
            q.neg(),
            q.checked_add(&back),
            q.checked_mul(-3),
        );
    }
});
