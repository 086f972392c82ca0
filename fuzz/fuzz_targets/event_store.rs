//! Any bytes: loading either persisted form of the event store never panics and refuses with
//! an offset inside the input; what loads writes out, loads back, and writes the same bytes
//! or text again.
#![no_main]
use cnarch_core::eventsourcing::{Store, StoreError};
use libfuzzer_sys::fuzz_target;

fn offset_inside(r: &Result<Store, StoreError>, len: usize) {
    if let Err(StoreError::Corrupt { offset, .. }) = r {
        assert!(*offset <= len, "offset {offset} past {len}");
    }
}

fuzz_target!(|data: &[u8]| {
    let b = Store::from_bytes(data);
    offset_inside(&b, data.len());
    if let Ok(store) = b {
        let again = store.to_bytes();
        let back = Store::from_bytes(&again).expect("written bytes load");
        assert_eq!(back.to_bytes(), again, "binary round trip");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let j = Store::from_json_lines(text);
        offset_inside(&j, text.len());
        if let Ok(store) = j {
            let again = store.to_json_lines();
            let back = Store::from_json_lines(&again).expect("written text loads");
            assert_eq!(back.to_json_lines(), again, "JSON lines round trip");
            assert_eq!(back.to_bytes(), store.to_bytes());
        }
    }
});
