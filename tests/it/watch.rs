//! `labcheck watch` against moto: a learner starts it on an unfinished lab, builds the
//! rest in another terminal, and watch says so and exits 0.

use crate::common;
use std::time::Duration;

const LAB: &str = "monitoring-metric-filter-alarm";

/// Piped, the first round prints the whole report and later rounds only the checks that
/// changed; once the lab's solution is built (here, in another task), a round passes
/// every check and watch exits 0.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_exits_0_once_the_lab_is_built() {
    common::needs_emulators!();
    let env = common::moto_account(230_000_000_000 + u64::from(std::process::id()), "watch").await;
    let watching = tokio::task::spawn_blocking({
        let env = env.clone();
        move || {
            common::labcheck()
                .envs(env)
                .args(["watch", LAB, "--interval", "1", "--timeout", "120"])
                .timeout(Duration::from_secs(150))
                .output()
                .unwrap()
        }
    });
    // The first round sees an empty account; then the learner builds the lab.
    tokio::time::sleep(Duration::from_secs(3)).await;
    common::build_solution(LAB, &env).await;
    let loaded = labcheck::lab::load_labs(&common::repo().join("labs"));
    let lab = loaded.find(LAB).unwrap();

    let out = watching.await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "every check passes in the end:\n{stdout}");
    let (first, later) = stdout.split_once("\nround ").expect("later rounds print their changes");
    assert!(first.contains("FAIL") && first.contains(LAB), "the first round is the whole report:\n{first}");
    for check in &lab.checks {
        let passed = format!(": {} ", check.id);
        let line = later.lines().find(|l| l.contains(&passed) && l.contains("-> PASS"));
        assert!(line.is_some(), "{} is reported when it passes:\n{later}", check.id);
    }
    assert!(later.trim_end().ends_with("every check passes"), "{later}");
    assert!(!stdout.contains('\u{1b}'), "no terminal control codes when piped");
}
