//! Hostile and broken lab files: each gets a clear error naming the file (and the line
//! where there is one), in bounded time and memory, and never a panic.

use crate::common;

use std::path::Path;
use std::time::Duration;

/// Validate a lab folder holding `text` as its lab.yaml; return stderr.
fn validate(name: &str, text: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let lab = dir.path().join(name);
    std::fs::create_dir_all(&lab).unwrap();
    std::fs::write(lab.join("lab.yaml"), text).unwrap();
    let out = common::labcheck()
        .args(["validate", dir.path().to_str().unwrap()])
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{name}: expected exit 2 (bad input), got {:?}\n{stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert!(
        stderr.contains(&format!("{name}{}lab.yaml", std::path::MAIN_SEPARATOR)),
        "{name}: no file named: {stderr}"
    );
    stderr
}

fn has(stderr: &str, line: Option<usize>, fragment: &str) {
    assert!(stderr.contains(fragment), "expected {fragment:?} in:\n{stderr}");
    if let Some(line) = line {
        assert!(stderr.contains(&format!("lab.yaml:{line}:")), "expected line {line} in:\n{stderr}");
    }
}

const HEAD: &str = "id: hostile\ntitle: t\ntasks: [\"4.1\"]\nsummary: s\n";

#[test]
fn malformed_yaml() {
    has(
        &validate("malformed", b"id: x\ntitle: \"unterminated\nsummary: s\n"),
        Some(4),
        "while scanning a quoted scalar",
    );
}

#[test]
fn alias_bomb_is_refused() {
    let mut text = String::from(HEAD);
    text.push_str("params:\n  a0:\n    default: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("  a{i}:\n    default: &a{i} [{refs}]\n"));
    }
    text.push_str("checks:\n  - {id: a, title: a, kind: cloudwatch.alarm}\n");
    has(&validate("bomb", text.as_bytes()), None, "repetition limit exceeded");
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!("{HEAD}checks: {}{}\n", "[".repeat(500_000), "]".repeat(500_000));
    has(&validate("deep", text.as_bytes()), Some(5), "nested deeper than 64 levels");
}

#[test]
fn huge_file_is_refused_unread() {
    let text = format!("{HEAD}# {}\n", "x".repeat(2 << 20));
    has(&validate("huge", text.as_bytes()), None, "the limit is 1048576");
}

#[test]
fn binary_file() {
    has(&validate("binary", b"\xff\xfe\x00\x01garbage"), None, "not UTF-8 text");
}

#[test]
fn empty_and_wrong_shaped_documents() {
    has(&validate("empty", b""), None, "missing field");
    has(&validate("list", b"- a\n- b\n"), None, "invalid type: sequence");
}

#[test]
fn wrong_types_name_the_field() {
    let text = format!("{HEAD}checks:\n  - id: a\n    title: a\n    kind: cloudwatch.alarm\n    points: lots\n");
    has(&validate("types", text.as_bytes()), Some(9), "checks[0].points: invalid type: string \"lots\"");
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let text = format!("{HEAD}checks:\n  - id: a\n    title: a\n    kind: cloudwatch.alarm\n    hnit: fix it\n");
    has(&validate("unknown", text.as_bytes()), Some(9), "unknown field `hnit` (did you mean `hint`?)");
}

#[test]
fn bad_jmespath() {
    let text = format!(
        "{HEAD}checks:\n  - id: a\n    title: a\n    kind: cloudwatch.alarm\n    expect:\n      - path: 'MetricAlarms[?'\n        exists: true\n"
    );
    has(&validate("jmespath", text.as_bytes()), Some(10), "invalid JMESPath `MetricAlarms[?`");
}

#[test]
fn lab_ids_cannot_be_paths() {
    let text = "id: ../../etc/passwd\ntitle: t\ntasks: [\"4.1\"]\nsummary: s\nchecks:\n  - {id: a, title: a, kind: cloudwatch.alarm}\n";
    has(&validate("traversal", text.as_bytes()), Some(1), "must be lowercase letters, digits and dashes");
}

#[test]
fn templates_cannot_reach_into_paths() {
    let text = format!(
        "{HEAD}params:\n  q:\n    default: x\nchecks:\n  - id: a\n    title: a\n    kind: cloudwatch.alarm\n    expect:\n      - path: \"MetricAlarms[?AlarmName=='{{{{ q }}}}']\"\n        exists: true\n"
    );
    has(&validate("injection", text.as_bytes()), Some(13), "templates are not allowed in paths");
}

/// A param value that looks like a template or a JMESPath is compared as plain text.
#[test]
fn param_values_are_data_not_code() {
    let out = common::labcheck()
        .args(["run", "monitoring-metric-filter-alarm", "--param", "log_group={{ log_group }}' || `true`"])
        .args(["--endpoint-url", "http://127.0.0.1:9", "--format", "json"])
        .env("AWS_MAX_ATTEMPTS", "1")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let title = report["labs"][0]["checks"][0]["title"].as_str().unwrap();
    assert_eq!(title, "The log group {{ log_group }}' || `true` keeps logs for a bounded time");
    assert!(Path::new("labs").exists());
}

/// A hostile roster: refused with file and line before any AWS call.
fn grade_roster(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join(name);
    std::fs::write(&roster, text).unwrap();
    let out = common::labcheck()
        .args(["grade", "monitoring-metric-filter-alarm", "--roster", roster.to_str().unwrap()])
        .args(["--out", dir.path().join("out").to_str().unwrap(), "--endpoint-url", "http://127.0.0.1:9"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(name), "{name}: the file is named: {stderr}");
    stderr
}

#[test]
fn hostile_rosters() {
    let mut bomb = String::from("students:\n  - &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        bomb.push_str(&format!("  - &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
    }
    let e = grade_roster("bomb.yaml", &bomb);
    assert!(e.contains("repetition limit exceeded"), "{e}");
    let deep = format!("students: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert!(grade_roster("deep.yaml", &deep).contains("nested deeper than 64"));
    let huge = format!("id,account,role_arn\n{}", "a,111111111111,arn:aws:iam::111111111111:role/r\n".repeat(30_000));
    assert!(grade_roster("huge.csv", &huge).contains("the limit is 1048576"));
    let traversal = "id,account,role_arn\n../../etc,111111111111,arn:aws:iam::111111111111:role/r\n";
    assert!(grade_roster("traversal.csv", traversal).contains("traversal.csv:2: student id `../../etc`"));
}
