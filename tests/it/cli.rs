//! What a user sees, snapshot-tested: listings, lab descriptions, validation errors, and
//! the three report formats of a graded run against moto.

use crate::common;

use common::labcheck;
use insta::assert_snapshot;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn list_shows_every_lab() {
    let out = labcheck().arg("list").assert().success().get_output().clone();
    assert_snapshot!(stdout(&out));
}

#[test]
fn show_describes_a_lab() {
    let out = labcheck().args(["show", "monitoring-metric-filter-alarm"]).assert().success().get_output().clone();
    assert_snapshot!(stdout(&out));
}

#[test]
fn show_accepts_a_lab_folder() {
    let out = labcheck().args(["show", "labs/monitoring/metric-filter-alarm"]).assert().success().get_output().clone();
    assert!(stdout(&out).starts_with("monitoring-metric-filter-alarm · "));
}

#[test]
fn the_labs_validate_cleanly() {
    let out = labcheck().args(["validate", "labs"]).assert().success().get_output().clone();
    assert!(stdout(&out).ends_with("no problems found\n"), "{}", stdout(&out));
}

#[test]
fn validation_names_file_line_and_field() {
    let out = labcheck().args(["validate", "tests/fixtures/bad-labs"]).assert().code(2).get_output().clone();
    assert_snapshot!(stderr(&out));
}

#[test]
fn unknown_lab_suggests_the_closest() {
    let out = labcheck().args(["run", "monitoring-metric-filter-alarms"]).assert().code(2).get_output().clone();
    assert_snapshot!(stderr(&out), @"error: no lab `monitoring-metric-filter-alarms` (did you mean `monitoring-metric-filter-alarm`?)");
}

#[test]
fn undeclared_param_is_bad_input() {
    let out = labcheck()
        .args([
            "run",
            "monitoring-metric-filter-alarm",
            "--param",
            "log_grup=/x",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(
        stderr(&out).contains("--param log_grup: no selected lab has this param (params: log_group)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_region_is_bad_input() {
    let out = labcheck()
        .env_remove("AWS_REGION")
        .args(["run", "monitoring-metric-filter-alarm"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(stderr(&out).contains("no AWS Region"), "{}", stderr(&out));
}

#[test]
fn skills_shows_the_coverage_matrix() {
    let out = labcheck().arg("skills").assert().success().get_output().clone();
    let text = stdout(&out);
    // The library's promise: every task statement of the exam guide has a lab, and at
    // least 70% of its skills are exercised by some check.
    assert!(!text.contains("labs: no lab"), "a task statement has no lab:\n{text}");
    assert!(text.contains("Task statements with a lab: 19/19"), "{text}");
    let covered = text.rsplit("skills exercised by a check: ").next().unwrap_or_default();
    let (checked, total) = covered.split_once(' ').unwrap_or_default().0.split_once('/').unwrap();
    let (checked, total): (f64, f64) = (checked.parse().unwrap(), total.parse().unwrap());
    assert!(checked / total >= 0.7, "skill coverage {checked}/{total} is under 70%");
    assert_snapshot!(text);
}

/// The README's kinds table is `labcheck kinds --format markdown`, between its markers.
#[test]
fn readme_lists_every_kind() {
    let out = labcheck().args(["kinds", "--format", "markdown"]).assert().success().get_output().clone();
    let table = String::from_utf8(out.stdout).unwrap();
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    let start = readme.find("<!-- kinds:begin -->\n").expect("README has the kinds:begin marker") + 21;
    let end = readme.find("<!-- kinds:end -->").expect("README has the kinds:end marker");
    assert_eq!(&readme[start..end], table, "README.md's kinds table differs from `labcheck kinds --format markdown`");
}

/// The machine outputs are frozen (`src/report/v1.rs`): any change to a document's shape
/// shows here, in its published JSON Schema.
#[test]
fn machine_output_schemas_are_frozen() {
    for name in ["report", "selftest", "student", "progress"] {
        let out = labcheck().args(["schema", name]).assert().success().get_output().clone();
        let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(schema["type"], "object", "{name}");
        insta::assert_json_snapshot!(format!("schema_{name}"), schema);
    }
}

/// Completion scripts know every command and its options; the man page is roff with
/// every command in it.
#[test]
fn completions_and_the_man_page_cover_every_command() {
    let commands = [
        "list",
        "show",
        "run",
        "watch",
        "explain",
        "progress",
        "grade",
        "gradebook",
        "validate",
        "kinds",
        "policy",
        "selftest",
        "schema",
    ];
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = labcheck().args(["completions", shell]).assert().success().get_output().clone();
        let script = stdout(&out);
        for command in commands {
            assert!(script.contains(command), "{shell} completes `{command}`");
        }
        assert!(script.contains("feedback") && script.contains("github"), "{shell} completes options and values");
    }
    let out = labcheck().arg("man").assert().success().get_output().clone();
    let page = stdout(&out);
    assert!(page.contains(".TH labcheck 1"), "a section-1 page");
    for command in commands {
        assert!(page.contains(command), "the man page names `{command}`");
    }
    labcheck().args(["completions", "tcsh"]).assert().code(2);
}

/// `labcheck gradebook canvas|moodle` turns a gradebook folder and its roster into the
/// LMS's import file; a wrong assignment ID or an empty folder is a clear error.
#[test]
fn a_gradebook_becomes_the_file_canvas_or_moodle_imports() {
    let dir = tempfile::tempdir().unwrap();
    let roster = dir.path().join("roster.csv");
    std::fs::write(
        &roster,
        "id,account,role_arn,name,email,sis_login_id,canvas_id\n\
         ada,111111111111,arn:aws:iam::111111111111:role/g,\"Lovelace, Ada\",ada@example.edu,ada01,1001\n",
    )
    .unwrap();
    let book = dir.path().join("book");
    std::fs::create_dir(&book).unwrap();
    let record = serde_json::json!({
        "schema": "labcheck.student/v1", "student": "ada", "account": "111111111111", "status": "graded",
        "earned": 13, "possible": 15, "percent": 86.7, "api_calls": 5,
        "labs": [{"id": "monitoring-metric-filter-alarm", "domain": "4", "earned": 13, "possible": 15, "checks": [
            {"id": "alarm-condition", "status": "FAIL", "points": 2, "earned": 0, "message": "statistic is Average"}
        ]}]
    });
    std::fs::write(book.join("results.jsonl"), format!("{record}\n")).unwrap();
    let (book, roster) = (book.to_str().unwrap(), roster.to_str().unwrap());

    let out =
        labcheck().args(["gradebook", "canvas", book, "--roster", roster]).assert().success().get_output().clone();
    assert_eq!(
        stdout(&out),
        "Student,ID,SIS User ID,SIS Login ID,Section,Turn application errors into an alarm\n\
         Points Possible,,,,,15\n\
         \"Lovelace, Ada\",1001,,ada01,,13\n"
    );
    let args = ["gradebook", "moodle", book, "--roster", roster, "--total", "AWS labs"];
    let out = labcheck().args(args).assert().success().get_output().clone();
    assert_eq!(
        stdout(&out),
        "email,AWS labs,AWS labs feedback\n\
         ada@example.edu,13,monitoring-metric-filter-alarm: 13/15; FAIL alarm-condition: statistic is Average\n"
    );
    let args = ["gradebook", "canvas", book, "--roster", roster, "--assignment-id", "no-such-lab=7"];
    let out = labcheck().args(args).assert().code(2).get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("--assignment-id no-such-lab: not a lab of this gradebook"));
    let empty = dir.path().to_str().unwrap();
    let out = labcheck().args(["gradebook", "canvas", empty, "--roster", roster]).assert().code(2).get_output().clone();
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no results"));
}

#[test]
fn kinds_lists_selectors_and_calls() {
    let out = labcheck().arg("kinds").assert().success().get_output().clone();
    assert_snapshot!(stdout(&out));
}

#[test]
fn selftest_refuses_a_real_account() {
    let out = labcheck().args(["selftest", "monitoring-metric-filter-alarm"]).assert().code(2).get_output().clone();
    assert!(stderr(&out).contains("only runs against a local emulator"), "{}", stderr(&out));
    assert!(stderr(&out).contains("no endpoint URL is set"), "{}", stderr(&out));
}

/// Endpoints that look local but are not, from the command line or the environment, are
/// refused before any request: the reason names what is wrong. (Unit tests in
/// `src/emulator.rs` try many more spellings.)
#[test]
fn selftest_refuses_endpoints_that_only_look_local() {
    for (url, why) in [
        ("http://127.0.0.1@sts.amazonaws.com", "user information"),
        ("http://127.attacker.example:4566", "not localhost or a loopback address"),
        ("http://localhost.:4566", "not localhost or a loopback address"),
        ("http://127.1:4566", "write it as http://127.0.0.1:4566"),
    ] {
        let from_flag = labcheck()
            .args(["selftest", "monitoring-metric-filter-alarm", "--endpoint-url", url])
            .assert()
            .code(2)
            .get_output()
            .clone();
        let from_env = labcheck()
            .args(["selftest", "monitoring-metric-filter-alarm"])
            .env("AWS_ENDPOINT_URL", url)
            .assert()
            .code(2)
            .get_output()
            .clone();
        for out in [from_flag, from_env] {
            assert!(stderr(&out).contains(why), "{url}: {}", stderr(&out));
            assert!(stdout(&out).is_empty(), "{url}: nothing was proven: {}", stdout(&out));
        }
    }
}

/// A role that cannot be assumed is bad input (exit 2) said once, before any grading.
#[test]
fn a_role_that_cannot_be_assumed_is_said_plainly() {
    let role = "arn:aws:iam::111122223333:role/grader";
    let out = labcheck()
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_MAX_ATTEMPTS", "1")
        .args([
            "run",
            "monitoring-metric-filter-alarm",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "http://127.0.0.1:9",
        ])
        .args(["--role-arn", role])
        .assert()
        .code(2)
        .get_output()
        .clone();
    assert!(stderr(&out).starts_with(&format!("error: cannot assume {role}: ")), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "nothing graded: {}", stdout(&out));
}

/// An unreachable endpoint is an ERROR naming the cause, with exit code 2.
#[test]
fn unreachable_endpoint_is_an_error_not_a_failure() {
    let out = labcheck()
        .args(["run", "monitoring-metric-filter-alarm", "--endpoint-url", "http://127.0.0.1:9", "--format", "json"])
        .env("AWS_MAX_ATTEMPTS", "1")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let checks = report["labs"][0]["checks"].as_array().unwrap();
    assert_eq!(checks[0]["status"], "ERROR");
    assert_eq!(checks[0]["cause"], "unreachable");
    assert!(checks.iter().all(|c| c["status"] == "ERROR" || c["status"] == "SKIP"), "{checks:#?}");
    // The document is exactly the frozen v1 shape (its types refuse unknown fields).
    let frozen: labcheck::report::v1::Report = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(frozen.summary.exit_code, 2);
    assert_eq!(frozen.labs[0].checks[0].cause, Some(labcheck::report::v1::Cause::Unreachable));
}

mod graded_run {
    use super::*;
    use tokio::sync::OnceCell;

    /// The role into this test process's own account on moto: earlier runs on the same
    /// server do not leak in.
    fn role() -> String {
        format!("arn:aws:iam::{}:role/snapshot", 210_000_000_000u64 + u64::from(std::process::id()))
    }

    /// A learner's half-finished monitoring lab, in an account of its own on moto:
    /// the log group (with retention) and a metric filter whose pattern is lowercase.
    async fn account() -> &'static Vec<(String, String)> {
        static ENV: OnceCell<Vec<(String, String)>> = OnceCell::const_new();
        ENV.get_or_init(|| async { common::half_built_monitoring_account(&role(), "snapshot").await }).await
    }

    async fn run(format: &str) -> (i32, String) {
        let env = account().await.clone();
        let format = format.to_string();
        tokio::task::spawn_blocking(move || {
            let out = labcheck()
                .envs(env)
                .args(["run", "monitoring-metric-filter-alarm", "--format", &format])
                .output()
                .unwrap();
            (out.status.code().unwrap_or(-1), stdout(&out))
        })
        .await
        .unwrap()
    }

    fn redacted(text: &str) -> String {
        text.replace(&common::moto(), "http://127.0.0.1:[PORT]")
    }

    #[tokio::test]
    async fn human_report() {
        common::needs_emulators!();
        let (code, out) = run("human").await;
        assert_eq!(code, 1, "some checks fail: exit 1");
        assert!(!out.contains('\u{1b}'), "no colour when not on a terminal");
        assert_snapshot!(redacted(&out));
    }

    #[tokio::test]
    async fn json_report() {
        common::needs_emulators!();
        let (code, out) = run("json").await;
        assert_eq!(code, 1);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(doc["schema"], "labcheck.report/v1");
        assert_eq!(doc["summary"]["exit_code"], 1);
        assert_snapshot!(redacted(&out));
    }

    /// `--role-arn` reads the same account through its role, from other credentials:
    /// the same report as with the role's own keys.
    #[tokio::test]
    async fn run_reads_through_a_role() {
        common::needs_emulators!();
        let (_, direct) = run("json").await;
        account().await;
        let through = tokio::task::spawn_blocking(|| {
            labcheck()
                .env("AWS_ACCESS_KEY_ID", "test")
                .env("AWS_SECRET_ACCESS_KEY", "test")
                .env("AWS_REGION", "us-east-1")
                .args(["run", "monitoring-metric-filter-alarm", "--format", "json", "--endpoint-url", &common::moto()])
                .args(["--role-arn", &role(), "--external-id", "any"])
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        assert_eq!(through.status.code(), Some(1), "{}", stderr(&through));
        let statuses = |out: &str| {
            let doc: serde_json::Value = serde_json::from_str(out).unwrap();
            doc["labs"][0]["checks"].as_array().unwrap().iter().map(|c| c["status"].clone()).collect::<Vec<_>>()
        };
        assert_eq!(statuses(&stdout(&through)), statuses(&direct));
    }

    #[tokio::test]
    async fn junit_report() {
        common::needs_emulators!();
        let (code, out) = run("junit").await;
        assert_eq!(code, 1);
        assert_snapshot!(redacted(&out));
    }

    /// Credentials and session tokens never reach any output.
    #[tokio::test]
    async fn no_secret_in_any_output() {
        common::needs_emulators!();
        let env = account().await.clone();
        let secrets: Vec<String> =
            env.iter().filter(|(k, _)| k != "AWS_ENDPOINT_URL").map(|(_, v)| v.clone()).collect();
        assert!(secrets.iter().all(|s| s.len() >= 16), "real-looking secrets: {secrets:?}");
        let outputs = tokio::task::spawn_blocking(move || {
            ["human", "json", "junit"]
                .iter()
                .map(|format| {
                    let out = labcheck()
                        .envs(env.clone())
                        .args(["run", "monitoring-metric-filter-alarm", "--format", format])
                        .output()
                        .unwrap();
                    format!("{}{}", stdout(&out), stderr(&out))
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap();
        for (output, secret) in outputs.iter().flat_map(|o| secrets.iter().map(move |s| (o, s))) {
            assert!(!output.contains(secret.as_str()), "a secret leaked into the output:\n{output}");
        }
    }

    #[tokio::test]
    async fn colour_when_forced_and_none_with_no_color() {
        common::needs_emulators!();
        let env = account().await.clone();
        let (forced, plain) = tokio::task::spawn_blocking(move || {
            let run = |extra: &[(&str, &str)]| {
                let mut cmd = labcheck();
                cmd.envs(env.clone()).args(["run", "monitoring-metric-filter-alarm"]);
                for (k, v) in extra {
                    cmd.env(k, v);
                }
                stdout(&cmd.output().unwrap())
            };
            (run(&[("CLICOLOR_FORCE", "1")]), run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]))
        })
        .await
        .unwrap();
        assert!(forced.contains("\u{1b}["), "CLICOLOR_FORCE gives colour");
        assert!(!plain.contains("\u{1b}["), "NO_COLOR wins");
    }
}

#[test]
fn policy_lists_exactly_the_reads_the_labs_need() {
    let out = labcheck().args(["policy", "monitoring-metric-filter-alarm"]).assert().success().get_output().clone();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        doc["Statement"][0]["Action"],
        serde_json::json!([
            "cloudwatch:DescribeAlarms",
            "logs:DescribeLogGroups",
            "logs:DescribeMetricFilters",
            "logs:TestMetricFilter"
        ])
    );
    let all = labcheck().arg("policy").assert().success().get_output().clone();
    assert_snapshot!(stdout(&all));
    let cfn = labcheck().args(["policy", "--format", "cloudformation"]).assert().success().get_output().clone();
    assert!(stdout(&cfn).contains("sts:ExternalId: !Ref ExternalId"), "{}", stdout(&cfn));
}

/// A lab library in a temporary folder holding one lab of the repository's: the folder
/// (pass it to `--labs`) and the lab's own folder in it.
fn copy_of_lab(lab: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join(lab);
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(common::repo().join("labs/skills.yaml"), dir.path().join("skills.yaml")).unwrap();
    for file in ["lab.yaml", "solution.sh", "near_misses.yaml", "alternatives.yaml"] {
        let original = common::repo().join("labs").join(lab).join(file);
        if original.exists() {
            std::fs::copy(original, copy.join(file)).unwrap();
        }
    }
    (dir, copy)
}

/// A copy of `lab` (as [`copy_of_lab`]) whose `solution.sh` first runs `prelude`, a few
/// lines of bash, then the lab's own solution.
fn lab_with_solution_after(lab: &str, prelude: &str) -> tempfile::TempDir {
    let (dir, copy) = copy_of_lab(lab);
    std::fs::rename(copy.join("solution.sh"), copy.join("original-solution.sh")).unwrap();
    let wrapped = format!("#!/usr/bin/env bash\nset -euo pipefail\n{prelude}bash ./original-solution.sh\n");
    std::fs::write(copy.join("solution.sh"), wrapped).unwrap();
    dir
}

/// On moto (whose extension copies accounts) a lab's solution runs once, however many
/// near misses and alternatives start from it, and the lab is still proven.
#[test]
fn selftest_runs_the_solution_once_where_the_emulator_copies_accounts() {
    common::needs_emulators!();
    let dir = lab_with_solution_after("monitoring/metric-filter-alarm", "echo ran >> \"$RUNS\"\n");
    let runs = dir.path().join("runs");
    let out = labcheck()
        .args(["selftest", "--labs"])
        .arg(dir.path())
        .args(["--format", "json", "--endpoint-url", &common::moto()])
        .env("RUNS", &runs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let proofs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let frozen: labcheck::report::v1::Selftest = serde_json::from_value(proofs.clone()).unwrap();
    assert_eq!((frozen.schema.as_str(), frozen.emulator.as_str()), ("labcheck.selftest/v1", "emulator"));
    assert!(proofs["labs"][0]["checks"].as_array().unwrap().len() > 1, "{proofs:#}");
    assert!(proofs["labs"][0]["checks"].as_array().unwrap().iter().all(|c| c["verdict"] == "proven"), "{proofs:#}");
    assert!(proofs["labs"][0]["alternatives"].as_array().is_some_and(|a| !a.is_empty()), "{proofs:#}");
    assert_eq!(std::fs::read_to_string(&runs).unwrap(), "ran\n");
}

/// `labcheck selftest --jobs N` runs at most N scenarios at once. The lab's alternative
/// builds here first take a gate (an atomic `mkdir`) and fail if another scenario holds
/// it: with `--jobs 1` every scenario finds it free; with `--jobs 4` the alternatives,
/// which start at once, collide.
#[test]
fn selftest_jobs_bounds_the_scenarios_at_once() {
    common::needs_emulators!();
    let (dir, copy) = copy_of_lab("monitoring/metric-filter-alarm");
    let gated = "mkdir \"$GATE\" || { echo 'another scenario is running' >&2; exit 1; }\n\
                 trap 'rmdir \"$GATE\"' EXIT\n\
                 sleep 1\n";
    let alternatives: Vec<serde_json::Value> = (1..=3)
        .map(|n| serde_json::json!({"id": format!("gated-{n}"), "description": "takes the gate", "run": gated}))
        .collect();
    let file = serde_json::json!({ "alternatives": alternatives });
    std::fs::write(copy.join("alternatives.yaml"), file.to_string()).unwrap(); // JSON is YAML
    let gate = dir.path().join("gate");
    let selftest = |jobs: &str| {
        let out = labcheck()
            .args(["selftest", "--labs"])
            .arg(dir.path())
            .args(["--format", "json", "--jobs", jobs, "--endpoint-url", &common::moto()])
            .env("GATE", &gate)
            .output()
            .unwrap();
        let proofs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out, proofs)
    };

    let (out, proofs) = selftest("1");
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(proofs["labs"][0]["checks"].as_array().unwrap().iter().all(|c| c["verdict"] == "proven"), "{proofs:#}");

    let (out, proofs) = selftest("4");
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    let problems = proofs["labs"][0]["problems"].to_string();
    assert!(problems.contains("another scenario is running"), "{proofs:#}");
}

/// Service-specific endpoints in the environment (here a closed port standing in for
/// real AWS) beside the emulator's `AWS_ENDPOINT_URL` reach neither labcheck's SDK
/// clients nor the solution's AWS CLI, though both would prefer them: the lab is proven
/// on the emulator, and the script saw no `AWS_*` variable but the scenario's own.
#[test]
fn selftest_keeps_every_request_on_the_emulator() {
    common::needs_emulators!();
    let dir = lab_with_solution_after("monitoring/metric-filter-alarm", "env | grep '^AWS_' | sort > \"$ENV_DUMP\"\n");
    let dump = dir.path().join("env");
    let elsewhere = "http://127.0.0.1:9";
    let out = labcheck()
        .args(["selftest", "--labs"])
        .arg(dir.path())
        .args(["--format", "json"])
        .env("ENV_DUMP", &dump)
        .env("AWS_ENDPOINT_URL", common::moto())
        .env("AWS_ENDPOINT_URL_STS", elsewhere)
        .env("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", elsewhere)
        .env("AWS_ENDPOINT_URL_CLOUDWATCH", elsewhere)
        .env("AWS_CA_BUNDLE", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let proofs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(proofs["labs"][0]["checks"].as_array().unwrap().iter().all(|c| c["verdict"] == "proven"), "{proofs:#}");

    let seen = std::fs::read_to_string(&dump).unwrap();
    let names: Vec<&str> = seen.lines().filter_map(|l| l.split_once('=')).map(|(k, _)| k).collect();
    assert_eq!(
        names,
        [
            "AWS_ACCESS_KEY_ID",
            "AWS_CONFIG_FILE",
            "AWS_DEFAULT_REGION",
            "AWS_ENDPOINT_URL",
            "AWS_PAGER",
            "AWS_REGION",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_SHARED_CREDENTIALS_FILE",
        ],
        "{seen}"
    );
    assert!(seen.contains(&format!("AWS_ENDPOINT_URL={}\n", common::moto())), "{seen}");
    assert!(seen.contains("AWS_CONFIG_FILE=/dev/null\n") && seen.contains("AWS_SHARED_CREDENTIALS_FILE=/dev/null\n"));
}

/// `labcheck selftest` exits 1 when a lab is broken, and says which checks and why: here
/// a near miss claims the wrong check (deleting the retention policy fails
/// `log-group-retention`, not `alarm-condition`). The other checks stay proven.
#[test]
fn selftest_exits_1_naming_what_is_broken() {
    common::needs_emulators!();
    let (dir, copy) = copy_of_lab("monitoring/metric-filter-alarm");
    let near_misses = std::fs::read_to_string(copy.join("near_misses.yaml")).unwrap();
    let mislabelled = near_misses.replacen("fails: [log-group-retention]", "fails: [alarm-condition]", 1);
    assert_ne!(mislabelled, near_misses);
    std::fs::write(copy.join("near_misses.yaml"), mislabelled).unwrap();

    let out = labcheck()
        .args(["selftest", "--labs"])
        .arg(dir.path())
        .args(["--format", "json", "--endpoint-url", &common::moto()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    let proofs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = proofs["labs"][0]["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 7);
    for check in checks {
        let id = check["check"].as_str().unwrap();
        if ["log-group-retention", "alarm-condition"].contains(&id) {
            assert_eq!(check["verdict"], "broken", "{check:#}");
            assert!(check["reason"].as_str().unwrap().contains("retention-never-expires"), "{check:#}");
        } else {
            assert_eq!(check["verdict"], "proven", "{check:#}");
        }
    }
}
