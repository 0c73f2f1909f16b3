//! Any bytes as a roster, YAML and CSV: parsing must never panic.
#![no_main]

use labcheck::batch::roster::parse_roster;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = parse_roster(Path::new("fuzz/roster.yaml"), text, false);
    let _ = parse_roster(Path::new("fuzz/roster.csv"), text, true);
});
