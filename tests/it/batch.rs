//! Bootcamp grading on moto: a roster of 50 students, each an account of its own (moto
//! scopes state by the account a role is assumed into), in varied states. Every row of
//! the gradebook is asserted; an interrupted run, resumed, gives the same gradebook.

use crate::common;

use crate::common::proxy::{Fault, FaultProxy};

use aws_sdk_cloudwatch::types::{ComparisonOperator, Statistic};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    Empty,
    /// Log group with retention only.
    Partial,
    /// Everything but the alarm's SNS action.
    NoAction,
    Complete,
}

const LAB: &str = "monitoring-metric-filter-alarm";
const EXTERNAL_ID: &str = "xid-9f2c41d7e";

fn state_of(i: u64) -> State {
    [State::Complete, State::Partial, State::Empty, State::NoAction][(i % 4) as usize]
}

/// Expected statuses of the lab's checks, in order, for each state.
fn expected(state: State) -> Vec<&'static str> {
    match state {
        State::Empty => vec!["FAIL", "FAIL", "SKIP", "SKIP", "SKIP", "SKIP", "SKIP"],
        State::Partial => vec!["PASS", "FAIL", "SKIP", "SKIP", "SKIP", "SKIP", "SKIP"],
        State::NoAction => vec!["PASS", "PASS", "PASS", "PASS", "PASS", "FAIL", "PASS"],
        State::Complete => vec!["PASS"; 7],
    }
}

async fn build(conf: &aws_types::SdkConfig, account: &str, state: State) {
    if state == State::Empty {
        return;
    }
    if state == State::Partial {
        common::build_log_group(conf, None).await;
        return;
    }
    let filter = common::Filter { name: "errors", pattern: "ERROR", metric: "AppErrors", namespace: "Bootcamp/App" };
    common::build_log_group(conf, Some(filter)).await;
    let mut alarm = aws_sdk_cloudwatch::Client::new(conf)
        .put_metric_alarm()
        .alarm_name("app-errors")
        .metric_name("AppErrors")
        .namespace("Bootcamp/App")
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(1)
        .threshold(1.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .actions_enabled(true);
    if state == State::Complete {
        alarm = alarm.alarm_actions(format!("arn:aws:sns:us-east-1:{account}:alerts"));
    }
    alarm.send().await.unwrap();
}

/// 50 students (one with a bad row in the roster) in accounts of this process's own.
async fn roster(dir: &Path) -> BTreeMap<String, State> {
    let base = common::emulator_config(&common::moto()).await;
    let first = 400_000_000_000u64 + u64::from(std::process::id()) * 100;
    let mut csv = String::from("id,account,role_arn,external_id\n");
    // The external ID is a shared secret: it must appear in no output.
    let mut states = BTreeMap::new();
    let mut builds = Vec::new();
    for i in 0..50u64 {
        let account = format!("{}", first + i);
        let id = format!("student-{i:02}");
        let role = format!("arn:aws:iam::{account}:role/grader");
        csv.push_str(&format!("{id},{account},{role},{EXTERNAL_ID}\n"));
        states.insert(id, state_of(i));
        let base = base.clone();
        builds.push(async move {
            let a = labcheck::target::assume_role(&base, &role, "setup", None).await.unwrap();
            build(&a.conf, &account, state_of(i)).await;
        });
    }
    futures::future::join_all(builds).await;
    csv.push_str("broken,12345,arn:aws:iam::12345:role/grader,\n");
    std::fs::write(dir.join("roster.csv"), csv).unwrap();
    states
}

fn grade(dir: &Path, extra: &[&str]) -> std::process::Output {
    common::labcheck()
        .args(["grade", LAB, "--roster", dir.join("roster.csv").to_str().unwrap()])
        .args(["--out", dir.join("out").to_str().unwrap(), "--endpoint-url", &common::moto(), "--jobs", "8"])
        .args(extra)
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap()
}

fn gradebook_rows(dir: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_path(dir.join("out/gradebook.csv")).unwrap();
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roster_of_fifty_students_into_a_gradebook() {
    common::needs_emulators!();
    let dir = tempfile::tempdir().unwrap();
    let states = roster(dir.path()).await;
    let out = tokio::task::spawn_blocking({
        let dir = dir.path().to_path_buf();
        move || grade(&dir, &[])
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "the bad roster row makes the run exit 2:\n{stderr}");
    assert!(stderr.contains("roster.csv:52: student `broken`: account `12345` is not a 12-digit"), "{stderr}");
    let rows = gradebook_rows(dir.path());
    assert_eq!(rows.len(), 50, "every valid student has a row");
    for row in &rows {
        let state = states[&row[0]];
        assert_eq!(row[2], "graded", "{row:?}");
        let checks: Vec<&str> = row[6..13].iter().map(String::as_str).collect();
        assert_eq!(checks, expected(state), "{} ({state:?})", row[0]);
        let earned: u32 = row[3].parse().unwrap();
        let want = match state {
            State::Empty => 0,
            State::Partial => 2,
            State::NoAction => 13,
            State::Complete => 15,
        };
        assert_eq!(earned, want, "{} ({state:?})", row[0]);
    }
    assert!(dir.path().join("out/junit/student-00.xml").is_file());
    for entry in std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .chain(std::fs::read_dir(dir.path().join("out/junit")).unwrap())
    {
        let path = entry.unwrap().path();
        if path.is_file() {
            assert!(
                !std::fs::read_to_string(&path).unwrap().contains(EXTERNAL_ID),
                "{} shows the external ID",
                path.display()
            );
        }
    }
    assert!(!String::from_utf8_lossy(&out.stdout).contains(EXTERNAL_ID) && !stderr.contains(EXTERNAL_ID));
    let html = std::fs::read_to_string(dir.path().join("out/gradebook.html")).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "the page loads nothing from the network");
    assert_eq!(html.matches("<tr><td>student-").count(), 50, "a row per student");
    // Half the class (empty and partial accounts) has no metric filter; that check leads the list.
    let struggles = html.split("Where the class struggles").nth(1).unwrap();
    let first = struggles.split("<tr><td>").nth(1).unwrap();
    assert!(first.starts_with("monitoring-metric-filter-alarm/metric-filter-on-log-group"), "{first}");
    assert!(first.contains(">25 (50%)<"), "{first}");
    // In a real browser: it loads with no error and nothing from the network, and the
    // student table sorts on every column; the screenshot stays in target/test-output/.
    let shot = common::browser::screenshot_path("gradebook");
    if let Some(seen) = common::browser::check_page(&dir.path().join("out/gradebook.html"), &shot) {
        let students = seen["tables"].as_array().unwrap().iter().find(|t| t["id"] == "students").unwrap();
        assert_eq!(students["rows"], 50, "{seen}");
        assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "a screenshot of the page: {}", shot.display());
        eprintln!("gradebook.html in Chromium: {}", shot.display());
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/gradebook.json")).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 50);

    // Interrupted halfway: keep the first 20 results (and a line cut short by the
    // crash), resume, and get exactly the same gradebook.
    let uninterrupted = std::fs::read_to_string(dir.path().join("out/gradebook.csv")).unwrap();
    let results = std::fs::read_to_string(dir.path().join("out/results.jsonl")).unwrap();
    let kept: Vec<&str> = results.lines().take(20).collect();
    let torn = &results.lines().nth(20).unwrap()[..40];
    std::fs::write(dir.path().join("out/results.jsonl"), format!("{}\n{torn}", kept.join("\n"))).unwrap();
    let refused = grade(dir.path(), &[]);
    assert_eq!(refused.status.code(), Some(2), "results are never overwritten without --resume");
    let resumed = tokio::task::spawn_blocking({
        let dir = dir.path().to_path_buf();
        move || grade(&dir, &["--resume"])
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&resumed.stdout);
    assert!(stdout.contains("(30 graded now, 20 kept from before)"), "only the missing students are graded:\n{stdout}");
    let after = std::fs::read_to_string(dir.path().join("out/gradebook.csv")).unwrap();
    assert_eq!(after, uninterrupted);
}

/// A student whose role cannot be assumed is that student's ERROR row, with its cause;
/// the others are graded as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_account_does_not_stop_the_others() {
    common::needs_emulators!();
    let dir = tempfile::tempdir().unwrap();
    let first = 410_000_000_000u64 + u64::from(std::process::id()) * 10;
    let (ok, denied_role, also_ok) = (first, first + 1, first + 2);
    let mut csv = String::from("id,account,role_arn\n");
    for (id, account) in [("ok", ok), ("no-role", denied_role), ("also-ok", also_ok)] {
        csv.push_str(&format!("{id},{account},arn:aws:iam::{account}:role/grader\n"));
    }
    std::fs::write(dir.path().join("roster.csv"), csv).unwrap();
    let proxy = FaultProxy::start(&common::moto()).await;
    // STS is a query API: the role ARN is in the request body.
    proxy.plan_matching("AssumeRole", Some(&denied_role.to_string()), Fault::Deny, usize::MAX);
    let out = tokio::task::spawn_blocking({
        let (dir, url) = (dir.path().to_path_buf(), proxy.url.clone());
        move || {
            common::labcheck()
                .args(["grade", LAB, "--roster", dir.join("roster.csv").to_str().unwrap()])
                .args(["--out", dir.join("out").to_str().unwrap(), "--endpoint-url", &url])
                .args(["--format", "github"])
                .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
                .timeout(Duration::from_secs(120))
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    // In GitHub Actions: the student is an annotation, the class a job summary.
    let log = String::from_utf8_lossy(&out.stdout);
    assert!(log.contains("::error title=student no-role ("), "{log}");
    assert!(log.contains("::notice title=labcheck::3 students, "), "{log}");
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.starts_with("## labcheck: 3 students") && summary.contains("| ⚠️ cannot assume"), "{summary}");
    let rows: BTreeMap<String, Vec<String>> =
        gradebook_rows(dir.path()).into_iter().map(|r| (r[0].clone(), r)).collect();
    assert_eq!(rows.len(), 3);
    let no_role = &rows["no-role"];
    assert_eq!(no_role[2], "error");
    assert!(no_role.last().unwrap().contains("cannot assume"), "{no_role:?}");
    assert!(no_role.last().unwrap().contains("AccessDenied"), "{no_role:?}");
    for id in ["ok", "also-ok"] {
        assert_eq!(rows[id][2], "graded", "{:?}", rows[id]);
        assert_eq!(rows[id][6..12], ["FAIL", "FAIL", "SKIP", "SKIP", "SKIP", "SKIP"], "{id}: an empty account");
    }
}

/// A student whose calls are denied has ERROR checks naming the cause, and one whose
/// account answers too slowly is an error row; the others finish, graded as usual.
/// The proxy tells the students apart by the Region their requests are signed for.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denied_and_slow_students_do_not_hold_up_the_class() {
    common::needs_emulators!();
    let dir = tempfile::tempdir().unwrap();
    let first = 420_000_000_000u64 + u64::from(std::process::id()) * 10;
    let mut csv = String::from("id,account,role_arn,region\n");
    for (i, (id, region)) in
        [("fine", "us-east-1"), ("denied", "eu-west-3"), ("slow", "eu-west-2"), ("fine-too", "us-east-1")]
            .iter()
            .enumerate()
    {
        let account = first + i as u64;
        csv.push_str(&format!("{id},{account},arn:aws:iam::{account}:role/grader,{region}\n"));
    }
    std::fs::write(dir.path().join("roster.csv"), csv).unwrap();
    let proxy = FaultProxy::start(&common::moto()).await;
    proxy.plan_matching("DescribeLogGroups", Some("/eu-west-3/"), Fault::Deny, usize::MAX);
    proxy.plan_matching("DescribeMetricFilters", Some("/eu-west-2/"), Fault::Slow(Duration::from_secs(8)), usize::MAX);
    let started = std::time::Instant::now();
    let out = tokio::task::spawn_blocking({
        let (dir, url) = (dir.path().to_path_buf(), proxy.url.clone());
        move || {
            common::labcheck()
                .args(["grade", LAB, "--roster", dir.join("roster.csv").to_str().unwrap()])
                .args(["--out", dir.join("out").to_str().unwrap(), "--endpoint-url", &url, "--timeout", "3"])
                .timeout(Duration::from_secs(120))
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(30), "the slow account held the run up: {:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: BTreeMap<String, Vec<String>> =
        gradebook_rows(dir.path()).into_iter().map(|r| (r[0].clone(), r)).collect();
    for id in ["fine", "fine-too"] {
        assert_eq!(rows[id][2], "graded");
        assert_eq!(rows[id][6..12], ["FAIL", "FAIL", "SKIP", "SKIP", "SKIP", "SKIP"], "{id}: an empty account");
    }
    assert_eq!(rows["slow"][2], "error");
    assert!(rows["slow"].last().unwrap().contains("grading took longer than 3s"), "{:?}", rows["slow"]);
    assert_eq!(rows["denied"][2], "graded", "denied calls are the student's ERROR checks, not a lost row");
    assert_eq!(rows["denied"][6], "ERROR");
    let record = std::fs::read_to_string(dir.path().join("out/results.jsonl")).unwrap();
    let denied = record.lines().find(|l| l.contains("\"student\":\"denied\"")).unwrap();
    assert!(denied.contains("logs:DescribeLogGroups: access denied"), "{denied}");
}

/// `labcheck grade LAB` of the roster in `dir` into `dir/out`, one student at a time, on
/// the endpoint `url`, with nothing of this process's AWS settings and no output.
fn quiet_grade(dir: &Path, out: &str, url: &str, extra: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("labcheck"));
    cmd.current_dir(common::repo())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .envs([("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"), ("AWS_REGION", "us-east-1")])
        .args(["grade", LAB, "--roster", dir.join("roster.csv").to_str().unwrap()])
        .args(["--out", dir.join(out).to_str().unwrap(), "--endpoint-url", url, "--jobs", "1"])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

/// Lines of `dir/out/results.jsonl` so far.
fn result_lines(dir: &Path, out: &str) -> usize {
    std::fs::read_to_string(dir.join(out).join("results.jsonl")).map_or(0, |t| t.lines().count())
}

/// Wait (at most 60 s) until `dir/out` holds `n` results.
fn wait_for_results(dir: &Path, out: &str, n: usize) {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while result_lines(dir, out) < n && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(result_lines(dir, out) >= n, "{out}: only {} results after 60 s", result_lines(dir, out));
}

/// 24 students in accounts of this process's own (from `first`), in every state, and
/// their roster in `dir`.
async fn small_class(dir: &Path, first: u64) {
    let base = common::emulator_config(&common::moto()).await;
    let mut csv = String::from("id,account,role_arn\n");
    for i in 0..24u64 {
        let account = first + i;
        let role = format!("arn:aws:iam::{account}:role/grader");
        csv.push_str(&format!("s{i:02},{account},{role}\n"));
        let a = labcheck::target::assume_role(&base, &role, "setup", None).await.unwrap();
        build(&a.conf, &account.to_string(), state_of(i)).await;
    }
    std::fs::write(dir.join("roster.csv"), csv).unwrap();
}

/// Killed halfway (SIGKILL, then Ctrl-C), resumed: the same gradebook as a run that was
/// never interrupted. A slowed emulator keeps the run long enough to interrupt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_and_resumed_equals_uninterrupted() {
    common::needs_emulators!();
    let dir = tempfile::tempdir().unwrap();
    small_class(dir.path(), 430_000_000_000u64 + u64::from(std::process::id()) * 100).await;
    let proxy = FaultProxy::start(&common::moto()).await;
    proxy.plan("DescribeLogGroups", Fault::Slow(Duration::from_millis(150)), usize::MAX);
    let (dir_path, url) = (dir.path().to_path_buf(), proxy.url.clone());
    let (whole, resumed_twice) = tokio::task::spawn_blocking(move || {
        let run = |out: &str, extra: &[&str]| quiet_grade(&dir_path, out, &url, extra);
        // The uninterrupted run.
        assert!(run("whole", &[]).status().unwrap().success());
        // SIGKILL after 8 students, then Ctrl-C (SIGINT) after 16, then finish.
        let mut child = run("interrupted", &[]).spawn().unwrap();
        wait_for_results(&dir_path, "interrupted", 8);
        child.kill().unwrap();
        child.wait().unwrap();
        let mut child = run("interrupted", &["--resume"]).spawn().unwrap();
        wait_for_results(&dir_path, "interrupted", 16);
        std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
        assert_eq!(child.wait().unwrap().code(), Some(130), "Ctrl-C stops with exit code 130");
        assert!(result_lines(&dir_path, "interrupted") < 24, "the run was interrupted before its end");
        assert!(run("interrupted", &["--resume"]).status().unwrap().success());
        let read = |out: &str| std::fs::read(dir_path.join(out).join("gradebook.csv")).unwrap();
        (read("whole"), read("interrupted"))
    })
    .await
    .unwrap();
    assert_eq!(resumed_twice, whole);
}

/// Files a merged gradebook must hold byte for byte as one run writes them.
const GRADEBOOK_FILES: [&str; 4] = ["results.jsonl", "gradebook.csv", "gradebook.json", "gradebook.html"];

/// The class in four shards, the largest killed after its first student and resumed,
/// merged: byte for byte the gradebook of one unsharded run. Merge refuses an unfinished
/// shard, a missing one, one given twice, and a folder that already holds a gradebook.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_shards_merged_equal_one_run() {
    use labcheck::batch::shard::Shard;
    common::needs_emulators!();
    let dir = tempfile::tempdir().unwrap();
    small_class(dir.path(), 450_000_000_000u64 + u64::from(std::process::id()) * 100).await;
    let proxy = FaultProxy::start(&common::moto()).await;
    proxy.plan("DescribeLogGroups", Fault::Slow(Duration::from_millis(100)), usize::MAX);
    let (dir_path, url) = (dir.path().to_path_buf(), proxy.url.clone());
    tokio::task::spawn_blocking(move || {
        let run = |out: &str, extra: &[&str]| quiet_grade(&dir_path, out, &url, extra);
        assert!(run("whole", &[]).status().unwrap().success());
        let size = |index: u32| (0..24).filter(|i| Shard { index, count: 4 }.holds(&format!("s{i:02}"))).count();
        let largest = (1..=4).max_by_key(|i| size(*i)).unwrap();
        assert!(size(largest) >= 2, "24 students in 4 shards: the largest holds {}", size(largest));
        let merge = |out: &str, shards: &[u32]| {
            let folders: Vec<String> =
                shards.iter().map(|i| dir_path.join(format!("shard-{i}")).display().to_string()).collect();
            common::labcheck()
                .args(["gradebook", "merge", dir_path.join(out).to_str().unwrap()])
                .args(folders)
                .output()
                .unwrap()
        };
        for index in 1..=4u32 {
            let (out, shard) = (format!("shard-{index}"), format!("{index}/4"));
            if index == largest {
                let mut child = run(&out, &["--shard", &shard]).spawn().unwrap();
                wait_for_results(&dir_path, &out, 1);
                child.kill().unwrap();
                child.wait().unwrap();
                assert!(result_lines(&dir_path, &out) < size(index), "shard {shard} was killed before its end");
            } else {
                assert!(run(&out, &["--shard", &shard]).status().unwrap().success(), "shard {shard}");
            }
        }
        let unfinished = merge("merged", &[1, 2, 3, 4]);
        assert_eq!(unfinished.status.code(), Some(2));
        let said = String::from_utf8_lossy(&unfinished.stderr);
        assert!(said.contains(&format!("(shard {largest}/4) lacks")) && said.contains("--resume"), "{said}");
        assert!(!dir_path.join("merged/results.jsonl").exists(), "a refused merge writes nothing");
        let shard = format!("{largest}/4");
        assert!(run(&format!("shard-{largest}"), &["--shard", &shard, "--resume"]).status().unwrap().success());

        let missing = merge("merged", &[1, 2, 3]);
        assert!(String::from_utf8_lossy(&missing.stderr).contains("shard 4/4 is missing"), "{missing:?}");
        let twice = merge("merged", &[1, 2, 3, 4, 1]);
        assert!(String::from_utf8_lossy(&twice.stderr).contains("shard 1/4 is given twice"), "{twice:?}");
        let merged = merge("merged", &[1, 2, 3, 4]);
        assert!(merged.status.success(), "{}", String::from_utf8_lossy(&merged.stderr));
        for file in GRADEBOOK_FILES {
            let read = |out: &str| std::fs::read(dir_path.join(out).join(file)).unwrap();
            assert!(read("merged") == read("whole"), "{file}: the merged shards differ from one run");
        }
        let junit = |out: &str| std::fs::read_dir(dir_path.join(out).join("junit")).unwrap().count();
        assert_eq!(junit("merged"), junit("whole"), "a JUnit file per graded student");
        let again = merge("merged", &[1, 2, 3, 4]);
        assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a gradebook"), "{again:?}");
    })
    .await
    .unwrap();
}
