//! An HTML page of labcheck's, checked in a real headless Chromium by
//! `tests/browser/check_page.mjs` (puppeteer-core): what it saw, as JSON.
//!
//! Needs Node.js, Chromium and `bash tests/browser/install.sh`. Without them the check
//! is skipped with a message, except under `tests/run.sh` and CI
//! (`LABCHECK_REQUIRE_BROWSER`), where it fails.

use super::repo;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where screenshots go: kept with the test output (`target/test-output/`).
pub fn screenshot_path(name: &str) -> PathBuf {
    let dir = repo().join("target/test-output");
    std::fs::create_dir_all(&dir).expect("target/test-output");
    dir.join(format!("{name}.png"))
}

/// Open `page` in Chromium: `None` when the browser tools are missing (and not required).
/// Panics when the check ran and found a problem, with everything it saw.
pub fn check_page(page: &Path, screenshot: &Path) -> Option<Value> {
    let script = repo().join("tests/browser/check_page.mjs");
    let ready = repo().join("tests/browser/node_modules/puppeteer-core").is_dir();
    if !ready {
        let why =
            "tests/browser/node_modules is missing: run `bash tests/browser/install.sh` (Chromium, puppeteer-core)";
        assert!(std::env::var_os("LABCHECK_REQUIRE_BROWSER").is_none(), "{why}");
        eprintln!("skipped the browser check of {}: {why}", page.display());
        return None;
    }
    let mut child = std::process::Command::new("node")
        .arg(&script)
        .arg(page)
        .arg(screenshot)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node on PATH");
    // Bounded: a browser that hangs fails the test instead of holding it up.
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("wait for node").is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            panic!("the browser check of {} took over 120 s", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("node's output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => Some(serde_json::from_str(&stdout).expect("check_page.mjs prints JSON")),
        Some(1) => panic!("{} in Chromium:\n{stdout}\n{stderr}", page.display()),
        _ => {
            let why = format!("the browser could not be run: {stderr}");
            assert!(std::env::var_os("LABCHECK_REQUIRE_BROWSER").is_none(), "{why}");
            eprintln!("skipped the browser check of {}: {why}", page.display());
            None
        }
    }
}
