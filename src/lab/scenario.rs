//! The scenarios beside a lab that `selftest` runs against an emulator, each in an
//! account of its own:
//!
//! - `near_misses.yaml`: realistic mistakes, each a mutation applied after the reference
//!   solution, and the checks that must then fail;
//! - `alternatives.yaml`: other correct builds of the same lab (another syntax, another
//!   API, CloudFormation, extra candidates, the newer form of a setting), after which
//!   every check must pass.
//!
//! Beside them, `recorded.yaml` proves the checks an emulator cannot show (a lab
//! declares them `not_emulated`), and account states no near miss can build there:
//! AWS's answers, shaped from the API reference, and the status each check must reach
//! on them. No emulator is involved.

use super::load::{parse_yaml, read_text};
use super::locate::Locator;
use super::{Diagnostic, Lab};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearMisses {
    pub near_misses: Vec<NearMiss>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NearMiss {
    pub id: String,
    pub description: String,
    /// Bash run with the solution's environment, in the account `from` names.
    pub run: String,
    /// Exactly these checks FAIL; checks that need them SKIP; every other check PASSes.
    pub fails: Vec<String>,
    #[serde(default)]
    pub from: ScenarioStart,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternatives {
    pub alternatives: Vec<Alternative>,
}

/// A correct build done another way: after it, every check PASSes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    pub id: String,
    pub description: String,
    /// Bash run with the solution's environment, in the account `from` names.
    pub run: String,
    #[serde(default)]
    pub from: ScenarioStart,
}

/// Where a near miss or an alternative starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioStart {
    /// After `solution.sh`: the script changes part of the reference build (replaces a
    /// resource with another, adds candidates beside it).
    #[default]
    Solution,
    /// An empty account: the script is a whole build of its own (for a change the
    /// emulator cannot make to a built resource, say).
    Empty,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedCases {
    pub recorded: Vec<RecordedCase>,
}

/// One account state, as AWS would answer the check's reads, and the check's status.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedCase {
    pub id: String,
    pub description: String,
    /// The check this case proves; the lab is graded whole, so the answers also cover
    /// the checks it needs.
    pub check: String,
    /// `pass` or `fail`.
    pub status: RecordedStatus,
    pub answers: Vec<RecordedAnswer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordedStatus {
    Pass,
    Fail,
}

/// An HTTP answer, given to the first request whose text holds `request`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedAnswer {
    /// Text the request holds: its method and URI, its `X-Amz-Target` header and its body
    /// are searched (`Action=DescribeStacks`, `Logs_20140328.DescribeLogGroups`, `GET /b?replication`).
    pub request: String,
    #[serde(default = "http_ok")]
    pub http_status: u16,
    pub body: String,
}

fn http_ok() -> u16 {
    200
}

pub const NEAR_MISSES_FILE: &str = "near_misses.yaml";
pub const ALTERNATIVES_FILE: &str = "alternatives.yaml";
pub const RECORDED_FILE: &str = "recorded.yaml";

/// Load the near misses of `lab` (none when the file is absent), checked against its checks.
pub fn load_near_misses(lab: &Lab) -> Result<Vec<NearMiss>, Vec<Diagnostic>> {
    let Some((path, text, file)) = load_beside::<NearMisses>(lab, NEAR_MISSES_FILE)? else { return Ok(vec![]) };
    let mut problems = Problems::new(&path, &text);
    problems.unique_ids("near_misses", file.near_misses.iter().map(|m| m.id.as_str()));
    for (i, miss) in file.near_misses.iter().enumerate() {
        if miss.fails.is_empty() {
            problems.add(format!("near_misses[{i}].fails"), "name at least one check that this mistake fails".into());
        }
        for (j, check) in miss.fails.iter().enumerate() {
            if lab.check(check).is_none() {
                problems.add(format!("near_misses[{i}].fails[{j}]"), format!("no check `{check}` in lab `{}`", lab.id));
            }
        }
    }
    problems.into_result(file.near_misses)
}

/// Load the alternative builds of `lab` (none when the file is absent).
pub fn load_alternatives(lab: &Lab) -> Result<Vec<Alternative>, Vec<Diagnostic>> {
    let Some((path, text, file)) = load_beside::<Alternatives>(lab, ALTERNATIVES_FILE)? else { return Ok(vec![]) };
    let mut problems = Problems::new(&path, &text);
    problems.unique_ids("alternatives", file.alternatives.iter().map(|a| a.id.as_str()));
    for (i, alternative) in file.alternatives.iter().enumerate() {
        if alternative.run.trim().is_empty() {
            problems.add(format!("alternatives[{i}].run"), "an alternative build needs a script".into());
        }
    }
    problems.into_result(file.alternatives)
}

/// Load the recorded cases of `lab` (none when the file is absent). Every check the lab
/// declares `not_emulated` needs a case where it passes and one where it fails.
pub fn load_recorded(lab: &Lab) -> Result<Vec<RecordedCase>, Vec<Diagnostic>> {
    let loaded = load_beside::<RecordedCases>(lab, RECORDED_FILE)?;
    let declared: Vec<&str> = lab.checks.iter().filter(|c| !c.not_emulated.is_empty()).map(|c| c.id.as_str()).collect();
    let Some((path, text, file)) = loaded else {
        return match declared.first() {
            None => Ok(vec![]),
            Some(check) => Err(vec![Diagnostic {
                file: lab.file.clone(),
                line: None,
                col: None,
                field: String::new(),
                message: format!("check `{check}` is not emulated, so {RECORDED_FILE} beside the lab must prove it"),
            }]),
        };
    };
    let mut problems = Problems::new(&path, &text);
    problems.unique_ids("recorded", file.recorded.iter().map(|c| c.id.as_str()));
    for (i, case) in file.recorded.iter().enumerate() {
        if lab.check(&case.check).is_none() {
            problems.add(format!("recorded[{i}].check"), format!("no check `{}` in lab `{}`", case.check, lab.id));
        }
        if case.answers.is_empty() {
            problems.add(format!("recorded[{i}].answers"), "a case needs the answers the check reads".into());
        }
    }
    for check in declared {
        for status in [RecordedStatus::Pass, RecordedStatus::Fail] {
            if !file.recorded.iter().any(|c| c.check == check && c.status == status) {
                let word = if status == RecordedStatus::Pass { "passes" } else { "fails" };
                problems.add("recorded".into(), format!("check `{check}` is not emulated: add a case where it {word}"));
            }
        }
    }
    problems.into_result(file.recorded)
}

/// Every problem in the scenario files beside `lab`, for `labcheck validate`.
pub fn scenario_problems(lab: &Lab) -> Vec<Diagnostic> {
    let mut problems = load_near_misses(lab).err().unwrap_or_default();
    problems.extend(load_alternatives(lab).err().unwrap_or_default());
    problems.extend(load_recorded(lab).err().unwrap_or_default());
    problems
}

/// The file `name` beside `lab.yaml`, parsed; `None` when there is none.
fn load_beside<T: DeserializeOwned>(lab: &Lab, name: &str) -> Result<Option<(PathBuf, String, T)>, Vec<Diagnostic>> {
    let Some(dir) = lab.file.parent() else { return Ok(None) };
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    let text = read_text(&path).map_err(|d| vec![d])?;
    let parsed = parse_yaml(&path, &text).map_err(|d| vec![d])?;
    Ok(Some((path, text, parsed)))
}

/// Diagnostics for one scenario file, each placed at its field.
struct Problems<'a> {
    path: &'a Path,
    locator: Locator,
    found: Vec<Diagnostic>,
}

impl<'a> Problems<'a> {
    fn new(path: &'a Path, text: &str) -> Self {
        Problems { path, locator: Locator::new(text), found: Vec::new() }
    }

    fn add(&mut self, field: String, message: String) {
        let pos = self.locator.find(&field);
        self.found.push(Diagnostic {
            file: self.path.to_path_buf(),
            line: pos.map(|p| p.line),
            col: pos.map(|p| p.col),
            field,
            message,
        });
    }

    /// Each id once in the list `list`.
    fn unique_ids<'i>(&mut self, list: &str, ids: impl Iterator<Item = &'i str>) {
        let mut seen = HashSet::new();
        for (i, id) in ids.enumerate() {
            if !seen.insert(id) {
                self.add(format!("{list}[{i}].id"), format!("duplicate id `{id}`"));
            }
        }
    }

    fn into_result<T>(self, value: T) -> Result<T, Vec<Diagnostic>> {
        if self.found.is_empty() { Ok(value) } else { Err(self.found) }
    }
}
