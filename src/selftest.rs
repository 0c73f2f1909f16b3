//! `labcheck selftest`: prove that each lab's checks pass and fail when they should.
//!
//! Against a local emulator only (it runs the labs' solution scripts, which write), each
//! scenario gets an account of its own by assuming a role in a fresh account id, which
//! both moto and LocalStack scope state by. For every lab:
//!
//! 1. empty account: every check must FAIL (or SKIP, when a check it needs failed);
//! 2. after `solution.sh`: every check must PASS;
//! 3. each near miss (`solution.sh`, then the mistake): exactly the named checks FAIL,
//!    the checks that need them SKIP, all others PASS;
//! 4. each alternative build (after `solution.sh`, or alone in an empty account): every
//!    check PASSes.
//!
//! Where the emulator can copy an account (labcheck's moto extension), the solution
//! runs once and each near miss (and alternative) starts from a copy of the solved
//! account; elsewhere each runs the solution again first. Both give the same state.
//!
//! A check the emulator cannot serve (an ERROR whose cause is a missing operation) is
//! "not emulated", with the operation named; anything else unexpected is "broken".

use crate::collect::record::CallLog;
use crate::collect::{Cause, Clients, Ctx};
use crate::emulator::{Cloned, Emulator};
use crate::grade::{GradeOptions, LabResult, Outcome, Status, grade_lab};
use crate::lab::scenario::{Alternative, NearMiss, ScenarioStart, load_alternatives, load_near_misses};
use crate::lab::{Lab, template};
use crate::target::assume_role;
use aws_types::SdkConfig;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a solution or near-miss script may run.
const SCRIPT_TIMEOUT: Duration = Duration::from_secs(600);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Proven,
    /// The emulator lacks an operation the check needs.
    NotEmulated {
        operation: String,
    },
    Broken {
        reason: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckProof {
    pub check: String,
    #[serde(flatten)]
    pub verdict: Verdict,
    pub empty: Option<Status>,
    pub solution: Option<Status>,
    /// Near misses that made this check FAIL, as they should.
    pub caught_by: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabProof {
    pub lab: String,
    pub checks: Vec<CheckProof>,
    /// Problems outside any one check: a script that failed, a near-miss file error.
    pub problems: Vec<String>,
    /// Alternative builds (`alternatives.yaml`) after which every check passed.
    pub alternatives: Vec<String>,
    /// Every AWS operation grading sent, in every scenario.
    pub operations: Vec<String>,
}

impl LabProof {
    pub fn is_broken(&self) -> bool {
        !self.problems.is_empty() || self.checks.iter().any(|c| matches!(c.verdict, Verdict::Broken { .. }))
    }
}

/// A fresh 12-digit account id for each scenario of this process.
fn fresh_account() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_micros() as u64).unwrap_or(0);
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    format!("{:012}", 100_000_000_000 + (base.wrapping_mul(7919).wrapping_add(n * 104_729)) % 800_000_000_000)
}

/// One scenario's account: its id, SDK config, and the environment scripts need.
struct Account {
    id: String,
    conf: SdkConfig,
    env: Vec<(String, String)>,
}

async fn new_account(emulator: &Emulator) -> Result<Account, String> {
    let id = fresh_account();
    let role = format!("arn:aws:iam::{id}:role/labcheck-selftest");
    let base = emulator.conf();
    let assumed = assume_role(base, &role, "labcheck-selftest", None).await.map_err(|e| e.to_string())?;
    let mut env = vec![
        ("AWS_ACCESS_KEY_ID".into(), assumed.access_key_id),
        ("AWS_SECRET_ACCESS_KEY".into(), assumed.secret_access_key),
        ("AWS_SESSION_TOKEN".into(), assumed.session_token),
        ("AWS_PAGER".into(), String::new()),
    ];
    if let Some(region) = base.region() {
        env.push(("AWS_REGION".into(), region.to_string()));
        env.push(("AWS_DEFAULT_REGION".into(), region.to_string()));
    }
    Ok(Account { id, conf: assumed.conf, env })
}

/// Params as the scripts read them: upper-cased names (their defaults).
pub fn param_env(lab: &Lab) -> Vec<(String, String)> {
    lab.param_values(&BTreeMap::new())
        .into_iter()
        .map(|(k, v)| (k.to_uppercase(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
        .collect()
}

async fn run_script(
    emulator: &Emulator,
    what: &str,
    script: ScriptSource<'_>,
    dir: &Path,
    env: &[(String, String)],
) -> Result<(), String> {
    let path;
    let args: Vec<&str> = match script {
        ScriptSource::File(file) => {
            path = file.to_string_lossy();
            vec![&*path]
        }
        ScriptSource::Inline(text) => vec!["-euo", "pipefail", "-c", text],
    };
    let mut cmd = emulator.script_command(&args, dir, env);
    let out = tokio::time::timeout(SCRIPT_TIMEOUT, cmd.output())
        .await
        .map_err(|_| format!("{what} ran longer than {}s", SCRIPT_TIMEOUT.as_secs()))?
        .map_err(|e| format!("{what} could not start: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
    Err(format!("{what} failed ({}): {}", out.status, tail.join(" | ")))
}

#[derive(Clone, Copy)]
enum ScriptSource<'a> {
    File(&'a Path),
    Inline(&'a str),
}

/// Checks that need `failed` directly or through other checks.
fn dependents(lab: &Lab, failed: &[String]) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for check in &lab.checks {
        if check.needs.iter().any(|n| failed.contains(n) || out.contains(n)) {
            out.insert(check.id.clone());
        }
    }
    out
}

fn status_of(result: &Result<LabResult, String>, id: &str) -> Option<Status> {
    result.as_ref().ok().and_then(|r| r.outcomes.iter().find(|o| o.id == id)).map(|o| o.status)
}

/// Which checks' operations the emulator does not implement, found by reading each
/// check's kind once in an empty account. Captures are not known there, so templates
/// that name one read a placeholder: the answer is "no such resource", or "not
/// implemented".
async fn missing_operations(base: &Emulator, log: &CallLog, lab: &Lab) -> Result<BTreeMap<String, String>, String> {
    let account = new_account(base).await?;
    let ctx = Ctx::new(Clients::with_log(&account.conf, log.clone()));
    let params = lab.param_values(&BTreeMap::new());
    let mut missing = BTreeMap::new();
    for check in &lab.checks {
        let Some(kind) = crate::collect::kind(&check.kind) else { continue };
        let mut vars = params.clone();
        for value in check.select.values() {
            for name in template::names_in_value(value) {
                vars.entry(name.to_string()).or_insert_with(|| "labcheck-probe".into());
            }
        }
        let mut selector = crate::collect::Selector::new();
        for (k, v) in &check.select {
            selector.insert(k.clone(), template::render_value(v, &vars).map_err(|e| e.to_string())?);
        }
        if let Err(err) = ctx.collect(kind, &selector).await
            && err.cause == Cause::NotImplemented
        {
            missing.insert(check.id.clone(), err.operation.clone());
        }
    }
    Ok(missing)
}

/// What every proof of one selftest run shares: the emulator, how long a check may
/// take to settle, and how many scenarios run at once over all the labs.
pub struct Prover {
    base: Emulator,
    max_wait: Duration,
    /// A scenario runs AWS CLI processes, which are CPU-bound: more at once than a
    /// few per core only slows every call, until the emulator's answers outlast the
    /// CLI's read timeout and it retries calls that are not idempotent. LocalStack
    /// also starts its per-account Kinesis backends one at a time, so a crowd of
    /// fresh accounts queues behind each other there.
    scenarios: Semaphore,
    /// Whether the emulator copies accounts (asked once, on first need).
    clones: tokio::sync::OnceCell<bool>,
    /// Which emulator this is (`moto`, `localstack`), for the checks a lab declares it
    /// cannot show.
    emulator: String,
}

/// Where a scenario's account starts: empty, or a copy of a solved account.
#[derive(Clone, Copy)]
enum Start<'a> {
    Empty,
    CopyOf(&'a str),
}

impl Prover {
    /// `jobs`: scenarios (a fresh account, its scripts, a grading) at once; at least 1.
    pub fn new(base: Emulator, max_wait: Duration, jobs: usize) -> Self {
        Prover {
            base,
            max_wait,
            scenarios: Semaphore::new(jobs.max(1)),
            clones: tokio::sync::OnceCell::new(),
            emulator: String::new(),
        }
    }

    /// Name the emulator (`moto`, `localstack`): checks that declare it in
    /// `not_emulated` are reported "not emulated", whatever their scenarios show.
    pub fn named(mut self, emulator: &str) -> Self {
        self.emulator = emulator.to_string();
        self
    }

    /// Prove one lab against the emulator.
    pub async fn prove_lab(&self, lab: &Lab) -> LabProof {
        let log = CallLog::default();
        let mut proof = self.prove_with_log(&log, lab).await;
        proof.operations = log.operations().into_keys().collect();
        proof
    }

    /// Whether this emulator copies accounts: a copy between two unused accounts succeeds.
    async fn clones_accounts(&self) -> bool {
        *self
            .clones
            .get_or_init(|| async {
                matches!(self.base.clone_account(&fresh_account(), &fresh_account()).await, Ok(Cloned::Services(_)))
            })
            .await
    }

    /// A fresh account, started as `start` says, after `scripts` ran in it.
    async fn prepare(
        &self,
        lab: &Lab,
        start: Start<'_>,
        scripts: &[(String, ScriptSource<'_>)],
    ) -> Result<Account, String> {
        let _permit = self.scenarios.acquire().await.map_err(|e| e.to_string())?;
        let account = new_account(&self.base).await?;
        if let Start::CopyOf(source) = start {
            match self.base.clone_account(source, &account.id).await? {
                Cloned::Services(_) => {}
                Cloned::Unsupported => return Err("the emulator stopped copying accounts".into()),
            }
        }
        let dir =
            lab.file.parent().and_then(|d| std::fs::canonicalize(d).ok()).unwrap_or_else(|| Path::new(".").into());
        let mut env = account.env.clone();
        env.extend(param_env(lab));
        for (what, script) in scripts {
            run_script(&self.base, what, *script, &dir, &env).await?;
        }
        Ok(account)
    }

    async fn grade(&self, log: &CallLog, lab: &Lab, account: &Account) -> Result<LabResult, String> {
        let _permit = self.scenarios.acquire().await.map_err(|e| e.to_string())?;
        let ctx = Ctx::new(Clients::with_log(&account.conf, log.clone()));
        let opts = GradeOptions { max_wait: Some(self.max_wait), ..GradeOptions::default() };
        Ok(grade_lab(lab, &ctx, &opts).await)
    }

    /// A scenario: a fresh account, started as `start` says, `scripts`, then a grading.
    async fn scenario(
        &self,
        log: &CallLog,
        lab: &Lab,
        start: Start<'_>,
        scripts: &[(String, ScriptSource<'_>)],
    ) -> Result<LabResult, String> {
        let account = self.prepare(lab, start, scripts).await?;
        self.grade(log, lab, &account).await
    }

    async fn prove_with_log(&self, log: &CallLog, lab: &Lab) -> LabProof {
        let mut proof = LabProof {
            lab: lab.id.clone(),
            checks: Vec::new(),
            problems: Vec::new(),
            alternatives: Vec::new(),
            operations: Vec::new(),
        };
        let near_misses = load_near_misses(lab).unwrap_or_else(|diags| {
            proof.problems.extend(diags.iter().map(ToString::to_string));
            vec![]
        });
        let alternatives = load_alternatives(lab).unwrap_or_else(|diags| {
            proof.problems.extend(diags.iter().map(ToString::to_string));
            vec![]
        });
        // Absolute, since scripts run in the lab's folder.
        let solution = lab.file.parent().map(|d| d.join("solution.sh")).and_then(|p| std::fs::canonicalize(p).ok());
        let Some(solution) = solution else {
            proof.problems.push("no solution.sh beside lab.yaml".into());
            return proof;
        };
        let empty = self.scenario(log, lab, Start::Empty, &[]).await;
        // An emulator without some operation cannot run the solution either: say which
        // checks it cannot serve, and prove nothing more of this lab there. A pattern
        // test is only graded, never built with: its checks are judged not emulated
        // below, and the rest of the lab is proven.
        let missing = match missing_operations(&self.base, log, lab).await {
            Ok(missing) => Ok(missing.into_iter().filter(|(_, op)| !crate::collect::is_pattern_test(op)).collect()),
            Err(e) => Err(e),
        };
        let missing: BTreeMap<String, String> = match missing {
            Ok(missing) => missing,
            Err(e) => {
                proof.problems.push(e);
                return proof;
            }
        };
        if !missing.is_empty() {
            let ops: BTreeSet<&str> = missing.values().map(String::as_str).collect();
            let ops = ops.into_iter().collect::<Vec<_>>().join(", ");
            for check in &lab.checks {
                let operation = match missing.get(&check.id) {
                    Some(op) => op.clone(),
                    None => format!("not run: the lab's solution needs {ops}"),
                };
                proof.checks.push(CheckProof {
                    check: check.id.clone(),
                    verdict: Verdict::NotEmulated { operation },
                    empty: status_of(&empty, &check.id),
                    solution: None,
                    caught_by: vec![],
                });
            }
            return proof;
        }
        let solution_run = ("solution.sh".to_string(), ScriptSource::File(&solution));
        let solution_only = std::slice::from_ref(&solution_run);
        // Each near miss and alternative: whether it starts from the solved build, and its script.
        let plans: Vec<(bool, (String, ScriptSource))> = near_misses
            .iter()
            .map(|m| {
                (m.from == ScenarioStart::Solution, (format!("near miss `{}`", m.id), ScriptSource::Inline(&m.run)))
            })
            .chain(alternatives.iter().map(|a| {
                (a.from == ScenarioStart::Solution, (format!("alternative `{}`", a.id), ScriptSource::Inline(&a.run)))
            }))
            .collect();
        // Where the emulator copies accounts, the solution runs once and the scenarios
        // that start from it start from a copy; elsewhere each runs the solution first.
        let solved_account = match self.clones_accounts().await {
            true => Some(self.prepare(lab, Start::Empty, solution_only).await),
            false => None,
        };
        let scripts: Vec<Vec<(String, ScriptSource)>> = plans
            .iter()
            .map(|(after_solution, run)| match *after_solution && solved_account.is_none() {
                true => vec![solution_run.clone(), run.clone()],
                false => vec![run.clone()],
            })
            .collect();
        let runs = futures::future::join_all(plans.iter().zip(&scripts).map(|((after_solution, _), scripts)| {
            let start = match (after_solution, &solved_account) {
                (true, Some(Ok(account))) => Ok(Start::CopyOf(&account.id)),
                (true, Some(Err(e))) => Err(e.clone()),
                _ => Ok(Start::Empty),
            };
            async move { self.scenario(log, lab, start?, scripts).await }
        }));
        let solved = async {
            match &solved_account {
                Some(Ok(account)) => self.grade(log, lab, account).await,
                Some(Err(e)) => Err(e.clone()),
                None => self.scenario(log, lab, Start::Empty, solution_only).await,
            }
        };
        let (solved, mut misses) = tokio::join!(solved, runs);
        let built_otherwise = misses.split_off(near_misses.len());
        let scenarios = Scenarios {
            empty,
            solved,
            near_misses: &near_misses,
            misses,
            alternatives: &alternatives,
            built_otherwise,
        };
        judge(lab, &scenarios, &self.emulator, &mut proof);
        proof
    }
}

/// What each scenario of a lab's proof graded.
struct Scenarios<'a> {
    empty: Result<LabResult, String>,
    solved: Result<LabResult, String>,
    near_misses: &'a [NearMiss],
    /// One per near miss.
    misses: Vec<Result<LabResult, String>>,
    alternatives: &'a [Alternative],
    /// One per alternative.
    built_otherwise: Vec<Result<LabResult, String>>,
}

/// The verdict on each check from what its scenarios showed: problems for scenarios
/// that could not run, then one [`CheckProof`] per check.
fn judge(lab: &Lab, scenarios: &Scenarios, emulator: &str, proof: &mut LabProof) {
    let Scenarios { empty, solved, near_misses, misses, alternatives, built_otherwise } = scenarios;
    let mut broken: BTreeMap<String, String> = BTreeMap::new();
    let outcome_in = |r: &Result<LabResult, String>, id: &str| -> Option<Outcome> {
        r.as_ref().ok().and_then(|r| r.outcomes.iter().find(|o| o.id == id).cloned())
    };
    for (phase, result) in [("empty account", empty), ("solution", solved)] {
        if let Err(e) = result {
            proof.problems.push(format!("{phase}: {e}"));
        }
    }
    // An operation the emulator lacks, met only once there was something to read (a
    // Get after a List that found the solution's resource): not emulated, not broken.
    let mut unemulated: BTreeMap<String, String> = lab
        .checks
        .iter()
        .filter(|c| !c.emulated_on(emulator))
        .map(|c| (c.id.clone(), format!("declared: {}", c.not_emulated[emulator])))
        .collect();
    let declared: BTreeSet<String> = unemulated.keys().cloned().collect();
    for check in lab.checks.iter().filter(|c| !declared.contains(&c.id)) {
        let id = &check.id;
        // A check that needs one the emulator cannot show is skipped there: no proof either.
        if let Some(need) = check.needs.iter().find(|n| unemulated.contains_key(*n)) {
            unemulated.insert(id.clone(), format!("needs {need}"));
            continue;
        }
        let lacking = [outcome_in(empty, id), outcome_in(solved, id)]
            .into_iter()
            .flatten()
            .find(|o| o.status == Status::Error && o.cause == Some(Cause::NotImplemented));
        if let Some(o) = lacking {
            unemulated.insert(id.clone(), o.operation.clone().unwrap_or_default());
            continue;
        }
        if let Some(o) = outcome_in(empty, id)
            && !matches!(o.status, Status::Fail | Status::Skip)
        {
            broken.insert(id.clone(), format!("on an empty account it is {}: {}", o.status.as_str(), o.message));
        } else if let Some(o) = outcome_in(solved, id)
            && o.status != Status::Pass
        {
            broken.insert(id.clone(), format!("after solution.sh it is {}: {}", o.status.as_str(), o.message));
        }
    }
    let mut caught: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (miss, result) in near_misses.iter().zip(misses.iter()) {
        let result = match result {
            Ok(r) => r,
            Err(e) => {
                proof.problems.push(format!("near miss `{}`: {e}", miss.id));
                continue;
            }
        };
        let skipped = dependents(lab, &miss.fails);
        for o in &result.outcomes {
            if broken.contains_key(&o.id) || unemulated.contains_key(&o.id) {
                continue;
            }
            let want = if miss.fails.contains(&o.id) {
                Status::Fail
            } else if skipped.contains(&o.id) {
                Status::Skip
            } else {
                Status::Pass
            };
            if o.status != want {
                let why = format!(
                    "near miss `{}`: expected {}, got {}: {}",
                    miss.id,
                    want.as_str(),
                    o.status.as_str(),
                    o.message
                );
                broken.insert(o.id.clone(), why);
            } else if want == Status::Fail {
                caught.entry(o.id.clone()).or_default().push(miss.id.clone());
            }
        }
    }
    // An alternative build passes every check the emulator serves.
    for (alternative, result) in alternatives.iter().zip(built_otherwise) {
        let result = match result {
            Ok(r) => r,
            Err(e) => {
                proof.problems.push(format!("alternative `{}`: {e}", alternative.id));
                continue;
            }
        };
        let mut passed = true;
        for o in result.outcomes.iter().filter(|o| !unemulated.contains_key(&o.id) && o.status != Status::Pass) {
            passed = false;
            let why =
                format!("alternative `{}`: expected PASS, got {}: {}", alternative.id, o.status.as_str(), o.message);
            broken.entry(o.id.clone()).or_insert(why);
        }
        if passed {
            proof.alternatives.push(alternative.id.clone());
        }
    }
    for check in &lab.checks {
        let id = &check.id;
        let verdict = if let Some(operation) = unemulated.remove(id) {
            Verdict::NotEmulated { operation }
        } else if let Some(reason) = broken.remove(id) {
            Verdict::Broken { reason }
        } else if empty.is_err() || solved.is_err() {
            Verdict::Broken { reason: "a scenario could not run (see problems)".into() }
        } else if status_of(empty, id) != Some(Status::Fail) && !caught.contains_key(id) {
            // A check never seen failing might be one that cannot fail.
            Verdict::Broken { reason: "never seen failing: SKIP on an empty account and no near miss fails it".into() }
        } else {
            Verdict::Proven
        };
        proof.checks.push(CheckProof {
            check: id.clone(),
            verdict,
            empty: status_of(empty, id),
            solution: status_of(solved, id),
            caught_by: caught.remove(id).unwrap_or_default(),
        });
    }
}

/// The proof as a table, one row per check.
pub fn render_table(proofs: &[LabProof], emulator: &str, markdown: bool) -> String {
    use comfy_table::{Table, presets};
    let mut table = Table::new();
    table.load_style(if markdown { presets::ASCII_MARKDOWN } else { presets::UTF8_FULL_CONDENSED });
    table.set_header(["lab", "check", "empty", "solution", "caught by near miss", emulator]);
    let status = |s: Option<Status>| s.map(|s| s.as_str()).unwrap_or("-");
    for proof in proofs {
        for c in &proof.checks {
            let verdict = match &c.verdict {
                Verdict::Proven => "proven".to_string(),
                Verdict::NotEmulated { operation } => format!("not emulated ({operation})"),
                Verdict::Broken { reason } => format!("BROKEN: {reason}"),
            };
            table.add_row([
                proof.lab.as_str(),
                c.check.as_str(),
                status(c.empty),
                status(c.solution),
                &c.caught_by.join(", "),
                &verdict,
            ]);
        }
    }
    // In Markdown a table ends at a blank line; the terminal needs none.
    let end = if markdown { "\n\n" } else { "\n" };
    let mut out = table.to_string() + end;
    if proofs.iter().any(|p| !p.alternatives.is_empty()) {
        let mut built = Table::new();
        built.load_style(if markdown { presets::ASCII_MARKDOWN } else { presets::UTF8_FULL_CONDENSED });
        built.set_header(["lab", "alternative builds that pass every check"]);
        for proof in proofs.iter().filter(|p| !p.alternatives.is_empty()) {
            built.add_row([proof.lab.as_str(), &proof.alternatives.join(", ")]);
        }
        if !markdown {
            out.push('\n');
        }
        out.push_str(&(built.to_string() + end));
    }
    for proof in proofs {
        for p in &proof.problems {
            out.push_str(&format!("{}: {p}\n", proof.lab));
        }
    }
    let checks: usize = proofs.iter().map(|p| p.checks.len()).sum();
    let count = |f: fn(&Verdict) -> bool| proofs.iter().flat_map(|p| &p.checks).filter(|c| f(&c.verdict)).count();
    out.push_str(&format!(
        "{} labs, {checks} checks on {emulator}: {} proven, {} not emulated, {} broken\n",
        proofs.len(),
        count(|v| matches!(v, Verdict::Proven)),
        count(|v| matches!(v, Verdict::NotEmulated { .. })),
        count(|v| matches!(v, Verdict::Broken { .. })),
    ));
    out
}
