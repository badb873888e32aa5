//! `harness::decode_response` (tests/properties/harness.rs) on arbitrary input.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/properties/harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| harness::decode_response(data));
