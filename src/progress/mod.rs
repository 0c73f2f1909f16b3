//! `labcheck progress`: how ready a learner's lab work is, per exam domain and over time.
//!
//! Each graded run is kept as one line of a local history ([`history`]); the standing
//! reads the latest result of every lab in it. A domain's score is the share of its
//! labs' points earned (a lab counts in its first task's domain, as reports count it;
//! a lab never graded earns nothing). The exam weights its domains (`labs/skills.yaml`),
//! and so does the readiness figure: 100 + 900 × the weighted mean of the domain scores,
//! on the exam's 100–1000 scale with its 750 line. It measures lab work, not the exam.

pub mod history;
pub mod html;
pub mod text;

use crate::grade::{LabResult, Status};
use crate::lab::Lab;
use crate::lab::skills::Outline;
use serde::{Deserialize, Serialize};

/// The schema name of a history line.
pub const SCHEMA: &str = "labcheck.progress/v1";

/// The exam's passing line on its 100–1000 scale.
pub const PASSING: u32 = 750;

/// What the readiness figure measures, said wherever it is shown.
pub const DISCLAIMER: &str = "Lab readiness measures the labs you have built, weighted as the exam weights its \
     domains. It is not an exam score and does not predict one: the exam asks questions about \
     situations; the labs ask you to build things.";

/// One graded run, as the history keeps it: when, where (never the credentials), and
/// each lab's points. A line of the history file; `labcheck schema progress` publishes
/// its JSON Schema, and fields are only ever added within v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Run {
    pub schema: String,
    /// RFC 3339, UTC.
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub labs: Vec<LabRun>,
}

/// One lab's result in a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LabRun {
    pub id: String,
    pub earned: u32,
    pub possible: u32,
    /// Every check passed.
    pub passed: bool,
    /// Checks that could not be run (ERROR): their points are missing for a reason
    /// other than the build.
    #[serde(default)]
    pub errors: usize,
}

impl Run {
    /// The history line for `results`, graded now against `target`.
    pub fn new(results: &[LabResult], target: &crate::target::TargetInfo) -> Run {
        let now = aws_smithy_types::DateTime::from(std::time::SystemTime::now());
        let at = aws_smithy_types::DateTime::from_secs(now.secs())
            .fmt(aws_smithy_types::date_time::Format::DateTime)
            .unwrap_or_default();
        Run {
            schema: SCHEMA.into(),
            at,
            region: target.region.clone(),
            endpoint: target.endpoint.clone(),
            profile: target.profile.clone(),
            labs: results
                .iter()
                .map(|r| LabRun {
                    id: r.lab.id.clone(),
                    earned: r.earned(),
                    possible: r.possible(),
                    passed: r.outcomes.iter().all(|o| o.status == Status::Pass),
                    errors: r.count(Status::Error),
                })
                .collect(),
        }
    }
}

/// A lab as the standing sees it: its latest result, if it was ever graded.
#[derive(Debug, Clone, Serialize)]
pub struct LabStanding<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// Its points today (the lab file's).
    pub possible: u32,
    /// Points earned at its latest grading (in proportion, if the lab's points changed since).
    pub earned: u32,
    pub passed: bool,
    pub graded: bool,
    pub errors: usize,
}

/// One exam domain's standing.
#[derive(Debug, Clone, Serialize)]
pub struct DomainStanding<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Percent of the exam's scored content.
    pub weight: u32,
    pub labs: Vec<LabStanding<'a>>,
    /// The score after the run before the latest, when there was one.
    pub previous: Option<f64>,
}

impl DomainStanding<'_> {
    /// Earned over possible points of its labs, 0 to 1.
    pub fn score(&self) -> f64 {
        let possible = self.possible();
        if possible == 0 { 0.0 } else { f64::from(self.earned()) / f64::from(possible) }
    }

    pub fn passed(&self) -> usize {
        self.labs.iter().filter(|l| l.passed).count()
    }

    pub fn earned(&self) -> u32 {
        self.labs.iter().map(|l| l.earned).sum()
    }

    pub fn possible(&self) -> u32 {
        self.labs.iter().map(|l| l.possible).sum()
    }
}

/// The learner's standing after a history of runs.
#[derive(Debug, Clone, Serialize)]
pub struct Standing<'a> {
    pub exam: &'a str,
    pub domains: Vec<DomainStanding<'a>>,
    /// 100 to 1000.
    pub readiness: u32,
    /// The readiness after each run, oldest first: (when, figure).
    pub trend: Vec<(String, u32)>,
}

impl<'a> Standing<'a> {
    /// The standing of `labs` after `runs` (oldest first).
    pub fn new(outline: &'a Outline, labs: &'a [Lab], runs: &[Run]) -> Standing<'a> {
        let mut latest: std::collections::HashMap<&str, &LabRun> = std::collections::HashMap::new();
        let mut trend = Vec::new();
        let mut before = None;
        let mut domains = domains_at(outline, labs, &latest);
        for run in runs {
            for lab in &run.labs {
                latest.insert(lab.id.as_str(), lab);
            }
            before = Some(std::mem::replace(&mut domains, domains_at(outline, labs, &latest)));
            trend.push((run.at.clone(), readiness(&domains)));
        }
        // The change is against the run before the latest: none after the first run.
        if runs.len() > 1
            && let Some(before) = before
        {
            for (d, b) in domains.iter_mut().zip(before) {
                d.previous = Some(b.score());
            }
        }
        Standing { exam: &outline.exam, readiness: readiness(&domains), domains, trend }
    }

    /// Labs not passed yet, with how much passing each would raise the readiness figure
    /// (its missing points' share of its domain, times the domain's weight), most first.
    /// At most `n`.
    pub fn next_labs(&self, n: usize) -> Vec<(&LabStanding<'a>, u32)> {
        let weights: u32 = self.domains.iter().map(|d| d.weight).sum();
        let mut next: Vec<(&LabStanding, f64)> = self
            .domains
            .iter()
            .flat_map(|d| {
                let share = f64::from(d.weight) / f64::from(weights.max(1)) / f64::from(d.possible().max(1));
                d.labs.iter().filter(|l| !l.passed).map(move |l| (l, 900.0 * share * f64::from(l.possible - l.earned)))
            })
            .collect();
        // Ties (labs of one size in one domain) keep the outline's order.
        next.sort_by(|a, b| b.1.total_cmp(&a.1));
        next.into_iter().take(n).map(|(l, gain)| (l, gain.round() as u32)).collect()
    }
}

fn lab_standing<'a>(lab: &'a Lab, latest: Option<&LabRun>) -> LabStanding<'a> {
    let possible = lab.possible_points();
    let earned = latest.map_or(0, |r| {
        if r.possible == possible {
            r.earned.min(possible)
        } else {
            (f64::from(r.earned.min(r.possible)) * f64::from(possible) / f64::from(r.possible.max(1))).round() as u32
        }
    });
    LabStanding {
        id: &lab.id,
        title: &lab.title,
        possible,
        earned,
        passed: latest.is_some_and(|r| r.passed),
        graded: latest.is_some(),
        errors: latest.map_or(0, |r| r.errors),
    }
}

/// Each domain of the outline with its labs at their `latest` grading.
fn domains_at<'a>(
    outline: &'a Outline,
    labs: &'a [Lab],
    latest: &std::collections::HashMap<&str, &LabRun>,
) -> Vec<DomainStanding<'a>> {
    outline
        .domains
        .iter()
        .map(|d| DomainStanding {
            id: &d.id,
            name: &d.name,
            weight: d.weight,
            labs: labs
                .iter()
                .filter(|l| l.domain_id() == Some(d.id.as_str()))
                .map(|l| lab_standing(l, latest.get(l.id.as_str()).copied()))
                .collect(),
            previous: None,
        })
        .collect()
}

/// 100 + 900 × the mean of the domains' scores weighted as the exam weights them, rounded.
fn readiness(domains: &[DomainStanding]) -> u32 {
    let weights: u32 = domains.iter().map(|d| d.weight).sum();
    if weights == 0 {
        return 100;
    }
    let weighted: f64 = domains.iter().map(|d| f64::from(d.weight) * d.score()).sum();
    (100.0 + 900.0 * weighted / f64::from(weights)).round() as u32
}

#[cfg(test)]
mod tests;
