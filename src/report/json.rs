//! `--format json`: the machine-readable report.
//!
//! Schema `labcheck.report/v1`. Within v1, fields are only ever added; a field is never
//! renamed, removed or given another meaning without a new schema version.

use super::{Report, exit_code, percent};
use crate::grade::{Outcome, Status};
use serde::Serialize;

pub const SCHEMA: &str = "labcheck.report/v1";

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    labcheck_version: &'static str,
    target: &'a crate::target::TargetInfo,
    summary: Summary,
    domains: Vec<super::DomainScore>,
    labs: Vec<LabDoc<'a>>,
}

#[derive(Serialize)]
struct Summary {
    earned: u32,
    possible: u32,
    percent: f64,
    pass: usize,
    fail: usize,
    error: usize,
    skip: usize,
    exit_code: i32,
}

#[derive(Serialize)]
struct LabDoc<'a> {
    id: &'a str,
    title: &'a str,
    tasks: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    domain: Option<&'a str>,
    earned: u32,
    possible: u32,
    percent: f64,
    checks: &'a [Outcome],
}

pub fn render(report: &Report) -> String {
    let doc = Document {
        schema: SCHEMA,
        labcheck_version: env!("CARGO_PKG_VERSION"),
        target: report.target,
        summary: Summary {
            earned: report.earned(),
            possible: report.possible(),
            percent: percent(report.earned(), report.possible()),
            pass: report.count(Status::Pass),
            fail: report.count(Status::Fail),
            error: report.count(Status::Error),
            skip: report.count(Status::Skip),
            exit_code: exit_code(report.results),
        },
        domains: report.domains(),
        labs: report
            .results
            .iter()
            .map(|r| LabDoc {
                id: &r.lab.id,
                title: &r.lab.title,
                tasks: &r.lab.tasks,
                domain: r.lab.domain_id(),
                earned: r.earned(),
                possible: r.possible(),
                percent: percent(r.earned(), r.possible()),
                checks: &r.outcomes,
            })
            .collect(),
    };
    serde_json::to_string_pretty(&doc).expect("report serializes") + "\n"
}
