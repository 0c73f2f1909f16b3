//! `--format json`: the machine-readable report, as [`v1::Report`] (schema
//! `labcheck.report/v1`, frozen; see the v1 module).

use super::{Report, exit_code, percent, v1};
use crate::grade::Status;

pub const SCHEMA: &str = v1::REPORT;

/// The report as its v1 document.
pub fn document(report: &Report) -> v1::Report {
    v1::Report {
        schema: SCHEMA.into(),
        labcheck_version: env!("CARGO_PKG_VERSION").into(),
        target: report.target.into(),
        summary: v1::Summary {
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
            .map(|r| v1::Lab {
                id: r.lab.id.clone(),
                title: r.lab.title.clone(),
                tasks: r.lab.tasks.clone(),
                domain: r.lab.domain_id().map(str::to_string),
                earned: r.earned(),
                possible: r.possible(),
                percent: percent(r.earned(), r.possible()),
                checks: r.outcomes.iter().map(v1::Check::from).collect(),
            })
            .collect(),
    }
}

pub fn render(report: &Report) -> String {
    serde_json::to_string_pretty(&document(report)).expect("report serializes") + "\n"
}
