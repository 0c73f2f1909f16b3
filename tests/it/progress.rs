//! `labcheck progress` against moto: a learner with a history (whose last write a crash
//! cut short) builds one lab, runs progress, and sees that lab pass, the history kept
//! and grown by one run, the trend, and an HTML report that opens in a real browser.

use crate::common;
use std::time::Duration;

const BUILT: &str = "monitoring-metric-filter-alarm";
const NOT_BUILT: &str = "sdlc-codebuild-project";

/// Two earlier runs (nothing built, then half the monitoring lab) and a third cut off
/// mid-write.
fn earlier_history(path: &std::path::Path) {
    let line = |at: &str, earned: u32| {
        format!(
            r#"{{"schema":"labcheck.progress/v1","at":"{at}","region":"us-east-1","labs":[{{"id":"{BUILT}","earned":{earned},"possible":15,"passed":false,"errors":0}}]}}"#
        )
    };
    let third = line("2026-11-30T09:00:00Z", 9);
    let text = format!("{}\n{}\n{}", line("2026-11-28T09:00:00Z", 0), line("2026-11-29T09:00:00Z", 6), &third[..70]);
    std::fs::write(path, text).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_keeps_each_run_and_survives_a_write_cut_short() {
    common::needs_emulators!();
    let env = common::moto_account(240_000_000_000 + u64::from(std::process::id()), "progress").await;
    common::build_solution(BUILT, &env).await;
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("data/progress.jsonl");
    std::fs::create_dir_all(history.parent().unwrap()).unwrap();
    earlier_history(&history);
    let page = dir.path().join("progress.html");

    let out = tokio::task::spawn_blocking({
        let (history, page) = (history.clone(), page.clone());
        move || {
            common::labcheck()
                .envs(env)
                .args(["progress", BUILT, NOT_BUILT, "--history"])
                .arg(&history)
                .arg("--html")
                .arg(&page)
                .timeout(Duration::from_secs(120))
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "one lab graded fails:\n{stdout}\n{stderr}");
    assert!(stderr.contains("progress.jsonl:3 skipped: not a whole run"), "the cut line is named:\n{stderr}");
    let built = stdout.lines().find(|l| l.contains(BUILT)).unwrap();
    assert!(built.trim_start().starts_with("PASS") && built.contains("15/15"), "{stdout}");
    let not_built = stdout.lines().find(|l| l.contains(NOT_BUILT)).unwrap();
    assert!(not_built.trim_start().starts_with("FAIL") && not_built.contains(" 0/"), "{stdout}");
    // Monitoring and Logging (15%): 15 of the domain's points; nothing elsewhere.
    let readiness: u32 = stdout.split("lab readiness: ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let loaded = labcheck::lab::load_labs(&common::repo().join("labs"));
    let monitoring: u32 = loaded.labs.iter().filter(|l| l.domain_id() == Some("4")).map(|l| l.possible_points()).sum();
    assert_eq!(readiness, (100.0 + 900.0 * 0.15 * 15.0 / f64::from(monitoring)).round() as u32, "{stdout}");
    assert!(stdout.contains("Trend over 3 runs since 2026-11-28T09:00:00Z: 100 → "), "{stdout}");
    assert!(stdout.contains(&format!(" → {readiness}\n")), "{stdout}");
    assert!(stdout.contains("It is not an exam score"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "no terminal control codes when piped");

    // The history: the two whole runs, the cut line, and this run on a line of its own.
    let text = std::fs::read_to_string(&history).unwrap();
    let runs = labcheck::progress::history::load(&history).unwrap();
    assert_eq!(runs.runs.len(), 3, "{text}");
    assert_eq!(runs.skipped.len(), 1, "{text}");
    let this = &runs.runs[2];
    assert_eq!(
        this.labs.iter().map(|l| (l.id.as_str(), l.passed)).collect::<Vec<_>>(),
        [(BUILT, true), (NOT_BUILT, false)]
    );
    assert_eq!(this.endpoint.as_deref(), Some(common::moto().as_str()));
    for secret in ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID"] {
        let value = std::env::var(secret).unwrap_or_default();
        assert!(value.is_empty() || !text.contains(&value), "no credentials in the history");
    }

    // Without grading, the same standing from the history alone (no AWS call: no
    // credentials, nothing listening).
    let again = common::labcheck()
        .env_remove("AWS_ACCESS_KEY_ID")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(["progress", "--from-history", "--history"])
        .arg(&history)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let again_out = String::from_utf8_lossy(&again.stdout);
    assert_eq!(again.status.code(), Some(0), "{again_out}");
    assert!(again_out.contains(&format!("lab readiness: {readiness} of 1000")), "{again_out}");
    assert!(!again_out.contains("This run"), "{again_out}");

    // The page: both charts drawn, nothing from the network, in a real browser.
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "the page loads nothing from the network");
    assert_eq!(html.matches("<circle class=\"run\"").count(), 3, "a point per run");
    let shot = common::browser::screenshot_path("progress");
    if let Some(seen) = common::browser::check_page(&page, &shot) {
        let charts = seen["charts"].as_array().unwrap();
        let drawn = |id: &str| charts.iter().find(|c| c["id"] == id).map(|c| c["drawn"].as_u64().unwrap());
        // A bar with a size (monitoring's) besides the six tracks; three points, the line, the axes.
        assert!(drawn("domains-chart") >= Some(7), "{seen}");
        assert!(drawn("history-chart") >= Some(7), "{seen}");
        assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "a screenshot of the page: {}", shot.display());
        eprintln!("progress.html in Chromium: {}", shot.display());
    }
}
