//! Machine output, version 1: the documents `--format json` writes, frozen.
//!
//! These types are the contract with whatever reads labcheck's output (a gradebook
//! script, a CI step, a dashboard). They are filled from the engine's own types
//! (`grade::Outcome`, `selftest::LabProof`), which may change freely; these may not.
//! Within v1 a field may be added; none is renamed, removed or given another meaning
//! without a new schema version. `labcheck schema NAME` prints each one's JSON Schema,
//! and the golden tests in `tests/it/cli.rs` keep both the schemas and sample
//! documents under snapshot.

use crate::grade;
use crate::selftest;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `schema` of a `labcheck run --format json` report.
pub const REPORT: &str = "labcheck.report/v1";
/// `schema` of a `labcheck selftest --format json` document.
pub const SELFTEST: &str = "labcheck.selftest/v1";

/// A graded run: `labcheck run --format json`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Always `labcheck.report/v1`.
    pub schema: String,
    pub labcheck_version: String,
    /// The account graded, as the command line named it.
    pub target: Target,
    pub summary: Summary,
    /// Points per exam domain, in the exam guide's order.
    pub domains: Vec<Domain>,
    pub labs: Vec<Lab>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// A custom endpoint (an emulator), when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub earned: u32,
    pub possible: u32,
    /// `earned / possible` in percent, one decimal.
    pub percent: f64,
    pub pass: usize,
    pub fail: usize,
    pub error: usize,
    pub skip: usize,
    /// The process's exit code: 0 all passed, 1 some check failed or was skipped, 2 some
    /// check could not be run.
    pub exit_code: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// The exam domain's number (`"1"` … `"6"`).
    pub id: String,
    pub name: String,
    pub earned: u32,
    pub possible: u32,
    pub percent: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    pub id: String,
    pub title: String,
    /// The exam task statements the lab exercises (`"1.2"`).
    pub tasks: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    pub earned: u32,
    pub possible: u32,
    pub percent: f64,
    pub checks: Vec<Check>,
}

/// How one check ended.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub points: u32,
    pub earned: u32,
    /// One line: why it passed, failed, could not run or was skipped.
    pub message: String,
    /// The resource the message speaks of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// On FAIL: the expectations that resource did not meet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<Finding>,
    /// On ERROR: why the check could not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// On an ERROR from the account: the call that failed, as IAM names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    /// The exam guide's skill lines the check exercises (`"1.2.3"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// How many times the account was read (more than one for a check that waits).
    pub attempts: u32,
}

/// One expectation of a check, as it was met or not.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// The JMESPath expression read from the resource.
    pub path: String,
    /// What it reads, in words.
    pub what: String,
    /// What was expected, reading after "expected … to": `contain "Deploy"`.
    pub expected: String,
    /// What the path found.
    pub found: serde_json::Value,
    pub ok: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Pass,
    Fail,
    Error,
    Skip,
}

/// Why a check could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    AccessDenied,
    Throttled,
    /// The endpoint does not implement the operation (an emulator).
    NotImplemented,
    Timeout,
    Unreachable,
    NoCredentials,
    /// Any other error the service returned.
    Service,
    /// The lab itself is wrong (its path or template cannot be evaluated): the account
    /// was not at fault.
    Lab,
}

/// `labcheck selftest --format json`: what each lab's scenarios proved on one emulator.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Selftest {
    /// Always `labcheck.selftest/v1`.
    pub schema: String,
    pub labcheck_version: String,
    /// The emulator, as `--emulator` names it (`moto`, `localstack`; default `emulator`).
    pub emulator: String,
    pub labs: Vec<LabProof>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabProof {
    pub lab: String,
    pub checks: Vec<CheckProof>,
    /// Problems outside any one check: a script that failed, a scenario file's error.
    pub problems: Vec<String>,
    /// The alternative builds after which every check passed.
    pub alternatives: Vec<String>,
    /// Every AWS operation grading sent, in every scenario.
    pub operations: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckProof {
    pub check: String,
    /// `proven`, `not_emulated` (the emulator cannot show it; `reason` names the
    /// operation) or `broken` (`reason` says what went wrong).
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Its status in an empty account (FAIL, or SKIP when a check it needs failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty: Option<Status>,
    /// Its status after the lab's solution (PASS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solution: Option<Status>,
    /// The near misses that made it FAIL, as they should.
    pub caught_by: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Proven,
    NotEmulated,
    Broken,
}

/// The JSON Schema of a document, by the name `labcheck schema` takes.
pub fn schema(name: &str) -> Option<serde_json::Value> {
    let schema = match name {
        "report" => schemars::schema_for!(Report),
        "selftest" => schemars::schema_for!(Selftest),
        "student" => schemars::schema_for!(crate::batch::StudentRecord),
        "progress" => schemars::schema_for!(crate::progress::Run),
        _ => return None,
    };
    Some(serde_json::to_value(schema).expect("a schema serializes"))
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::Skip => "SKIP",
        }
    }
}

impl From<grade::Status> for Status {
    fn from(status: grade::Status) -> Self {
        match status {
            grade::Status::Pass => Status::Pass,
            grade::Status::Fail => Status::Fail,
            grade::Status::Error => Status::Error,
            grade::Status::Skip => Status::Skip,
        }
    }
}

impl From<crate::collect::Cause> for Cause {
    fn from(cause: crate::collect::Cause) -> Self {
        use crate::collect::Cause as C;
        match cause {
            C::AccessDenied => Cause::AccessDenied,
            C::Throttled => Cause::Throttled,
            C::NotImplemented => Cause::NotImplemented,
            C::Timeout => Cause::Timeout,
            C::Unreachable => Cause::Unreachable,
            C::NoCredentials => Cause::NoCredentials,
            C::Service => Cause::Service,
            C::Lab => Cause::Lab,
        }
    }
}

impl From<&grade::Finding> for Finding {
    fn from(finding: &grade::Finding) -> Self {
        Finding {
            path: finding.path.clone(),
            what: finding.what.clone(),
            expected: finding.expected.clone(),
            found: finding.found.clone(),
            ok: finding.ok,
        }
    }
}

impl From<&grade::Outcome> for Check {
    fn from(outcome: &grade::Outcome) -> Self {
        Check {
            id: outcome.id.clone(),
            title: outcome.title.clone(),
            status: outcome.status.into(),
            points: outcome.points,
            earned: outcome.earned,
            message: outcome.message.clone(),
            resource: outcome.resource.clone(),
            failures: outcome.failures.iter().map(Finding::from).collect(),
            cause: outcome.cause.map(Cause::from),
            operation: outcome.operation.clone(),
            hint: outcome.hint.clone(),
            docs: outcome.docs.clone(),
            skills: outcome.skills.clone(),
            attempts: outcome.attempts,
        }
    }
}

impl From<&crate::target::TargetInfo> for Target {
    fn from(target: &crate::target::TargetInfo) -> Self {
        Target { profile: target.profile.clone(), region: target.region.clone(), endpoint: target.endpoint.clone() }
    }
}

impl From<&selftest::LabProof> for LabProof {
    fn from(proof: &selftest::LabProof) -> Self {
        LabProof {
            lab: proof.lab.clone(),
            checks: proof.checks.iter().map(CheckProof::from).collect(),
            problems: proof.problems.clone(),
            alternatives: proof.alternatives.clone(),
            operations: proof.operations.clone(),
        }
    }
}

impl From<&selftest::CheckProof> for CheckProof {
    fn from(proof: &selftest::CheckProof) -> Self {
        let (verdict, reason) = match &proof.verdict {
            selftest::Verdict::Proven => (Verdict::Proven, None),
            selftest::Verdict::NotEmulated { operation } => (Verdict::NotEmulated, Some(operation.clone())),
            selftest::Verdict::Broken { reason } => (Verdict::Broken, Some(reason.clone())),
        };
        CheckProof {
            check: proof.check.clone(),
            verdict,
            reason,
            empty: proof.empty.map(Status::from),
            solution: proof.solution.map(Status::from),
            caught_by: proof.caught_by.clone(),
        }
    }
}

impl Selftest {
    pub fn new(emulator: &str, proofs: &[selftest::LabProof]) -> Self {
        Selftest {
            schema: SELFTEST.into(),
            labcheck_version: env!("CARGO_PKG_VERSION").into(),
            emulator: emulator.to_string(),
            labs: proofs.iter().map(LabProof::from).collect(),
        }
    }
}
