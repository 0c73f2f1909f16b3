//! Any bytes as a lab file: loading, locating and validating must never panic, and
//! must finish in bounded time.
#![no_main]

use labcheck::lab::Lab;
use labcheck::lab::load::parse_yaml;
use labcheck::lab::locate::Locator;
use labcheck::lab::validate::validate_lab;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("fuzz/lab.yaml");
    if let Ok(lab) = parse_yaml::<Lab>(path, text) {
        let _ = validate_lab(&lab, text, None);
    }
    let locator = Locator::new(text);
    let _ = locator.find("checks[0].expect[0].path");
});
