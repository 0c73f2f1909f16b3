//! Reports: a graded run, formatted. A reporter only formats; it decides nothing.

pub mod explain;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod v1;

use crate::grade::{LabResult, Status};
use crate::lab::skills::Outline;
use crate::target::TargetInfo;

/// Everything a reporter needs.
pub struct Report<'a> {
    pub results: &'a [LabResult],
    pub outline: Option<&'a Outline>,
    pub target: &'a TargetInfo,
}

/// Points per exam domain, over every lab graded.
pub type DomainScore = v1::Domain;

/// The process exit code for a run: 0 all passed, 1 some check failed (or was skipped),
/// 2 some check could not be run.
pub fn exit_code(results: &[LabResult]) -> i32 {
    let any = |s: Status| results.iter().any(|r| r.count(s) > 0);
    use crate::error::exit;
    if any(Status::Error) {
        exit::ERROR
    } else if any(Status::Fail) || any(Status::Skip) {
        exit::FAILED
    } else {
        exit::PASSED
    }
}

pub fn percent(earned: u32, possible: u32) -> f64 {
    if possible == 0 { 0.0 } else { (f64::from(earned) * 1000.0 / f64::from(possible)).round() / 10.0 }
}

impl Report<'_> {
    pub fn earned(&self) -> u32 {
        self.results.iter().map(LabResult::earned).sum()
    }

    pub fn possible(&self) -> u32 {
        self.results.iter().map(LabResult::possible).sum()
    }

    pub fn count(&self, status: Status) -> usize {
        self.results.iter().map(|r| r.count(status)).sum()
    }

    /// Scores by exam domain, in the outline's order; a lab counts in its first task's domain.
    pub fn domains(&self) -> Vec<DomainScore> {
        let mut scores: Vec<DomainScore> = Vec::new();
        for r in self.results {
            let Some(id) = r.lab.domain_id() else { continue };
            let name = self.outline.and_then(|o| o.domain(id)).map(|d| d.name.clone()).unwrap_or_default();
            let idx = match scores.iter().position(|d| d.id == id) {
                Some(i) => i,
                None => {
                    scores.push(DomainScore { id: id.to_string(), name, earned: 0, possible: 0, percent: 0.0 });
                    scores.len() - 1
                }
            };
            scores[idx].earned += r.earned();
            scores[idx].possible += r.possible();
        }
        for d in &mut scores {
            d.percent = percent(d.earned, d.possible);
        }
        scores.sort_by(|a, b| a.id.cmp(&b.id));
        scores
    }
}
