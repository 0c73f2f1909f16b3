//! `near_misses.yaml` beside a lab: realistic mistakes, each a mutation applied after the
//! reference solution, and the checks that must then fail. `selftest` runs them.

use super::load::{parse_yaml, read_text};
use super::locate::Locator;
use super::{Diagnostic, Lab};
use serde::Deserialize;
use std::path::Path;

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
    /// Bash run after `solution.sh`, with the same environment.
    pub run: String,
    /// Exactly these checks FAIL; checks that need them SKIP; every other check PASSes.
    pub fails: Vec<String>,
}

pub const FILE_NAME: &str = "near_misses.yaml";

/// Load the near misses of `lab` (none when the file is absent), checked against its checks.
pub fn load_near_misses(lab: &Lab) -> Result<Vec<NearMiss>, Vec<Diagnostic>> {
    let Some(dir) = lab.file.parent() else { return Ok(vec![]) };
    let path = dir.join(FILE_NAME);
    if !path.exists() {
        return Ok(vec![]);
    }
    let text = read_text(&path).map_err(|d| vec![d])?;
    let file: NearMisses = parse_yaml(&path, &text).map_err(|d| vec![d])?;
    let problems = check_references(&path, &text, lab, &file.near_misses);
    if problems.is_empty() { Ok(file.near_misses) } else { Err(problems) }
}

fn check_references(path: &Path, text: &str, lab: &Lab, misses: &[NearMiss]) -> Vec<Diagnostic> {
    let locator = Locator::new(text);
    let mut problems = Vec::new();
    let mut add = |field: String, message: String| {
        let pos = locator.find(&field);
        problems.push(Diagnostic {
            file: path.to_path_buf(),
            line: pos.map(|p| p.line),
            col: pos.map(|p| p.col),
            field,
            message,
        });
    };
    let mut ids = std::collections::HashSet::new();
    for (i, miss) in misses.iter().enumerate() {
        if !ids.insert(miss.id.as_str()) {
            add(format!("near_misses[{i}].id"), format!("duplicate near-miss id `{}`", miss.id));
        }
        if miss.fails.is_empty() {
            add(format!("near_misses[{i}].fails"), "name at least one check that this mistake fails".into());
        }
        for (j, check) in miss.fails.iter().enumerate() {
            if lab.check(check).is_none() {
                add(format!("near_misses[{i}].fails[{j}]"), format!("no check `{check}` in lab `{}`", lab.id));
            }
        }
    }
    problems
}
