//! The gradebook: CSV (one row per student, one column per check), the full JSON, and
//! a JUnit file per student.

use super::StudentRecord;
use crate::grade::LabResult;
use crate::lab::Lab;
use crate::lab::skills::Outline;
use crate::report::{Report, junit};
use crate::target::TargetInfo;
use std::path::Path;

pub const CSV_FILE: &str = "gradebook.csv";
pub const JSON_FILE: &str = "gradebook.json";

/// Write `gradebook.csv`, `gradebook.json` and `gradebook.html` for `records`, in their order.
pub fn write(
    out_dir: &Path,
    labs: &[&Lab],
    outline: Option<&Outline>,
    records: &[StudentRecord],
) -> std::io::Result<()> {
    std::fs::write(out_dir.join(super::html::HTML_FILE), super::html::render(labs, outline, records))?;
    std::fs::write(
        out_dir.join(JSON_FILE),
        serde_json::to_string_pretty(records).map_err(std::io::Error::other)? + "\n",
    )?;
    let mut csv = csv::Writer::from_path(out_dir.join(CSV_FILE)).map_err(std::io::Error::other)?;
    let columns: Vec<(String, String)> =
        labs.iter().flat_map(|l| l.checks.iter().map(|c| (l.id.clone(), c.id.clone()))).collect();
    let mut header: Vec<String> =
        ["student", "account", "status", "earned", "possible", "percent"].iter().map(|s| s.to_string()).collect();
    header.extend(columns.iter().map(|(lab, check)| format!("{lab}/{check}")));
    header.push("error".into());
    csv.write_record(&header).map_err(std::io::Error::other)?;
    for r in records {
        let mut row = vec![
            r.student.clone(),
            r.account.clone(),
            r.status.clone(),
            r.earned.to_string(),
            r.possible.to_string(),
            r.percent.to_string(),
        ];
        for (lab, check) in &columns {
            let status = r
                .labs
                .iter()
                .find(|l| &l.id == lab)
                .and_then(|l| l.checks.iter().find(|c| &c.id == check))
                .map(|c| c.status.as_str())
                .unwrap_or("");
            row.push(status.to_string());
        }
        row.push(r.error.clone().unwrap_or_default());
        csv.write_record(&row).map_err(std::io::Error::other)?;
    }
    csv.flush()
}

/// `junit/<student>.xml`: the student's graded labs as JUnit.
pub fn write_junit(out_dir: &Path, student: &str, results: &[LabResult]) -> std::io::Result<()> {
    let path = junit_path(out_dir, student);
    std::fs::create_dir_all(out_dir.join(JUNIT_DIR))?;
    let target = TargetInfo::default();
    let report = Report { results, outline: None, target: &target };
    std::fs::write(path, junit::render(&report))
}

pub const JUNIT_DIR: &str = "junit";

/// Where a student's JUnit file goes in a gradebook folder.
pub fn junit_path(out_dir: &Path, student: &str) -> std::path::PathBuf {
    out_dir.join(JUNIT_DIR).join(format!("{student}.xml"))
}
