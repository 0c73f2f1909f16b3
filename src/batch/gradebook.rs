//! The gradebook: CSV (one row per student, one column per check), the full JSON, and
//! a JUnit file per student.

use super::StudentRecord;
use crate::grade::LabResult;
use crate::lab::Lab;
use crate::lab::skills::Outline;
use crate::report::{Report, junit};
use crate::target::TargetInfo;
use serde::ser::{SerializeSeq, Serializer};
use serde_json::ser::PrettyFormatter;
use std::borrow::Borrow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

pub const CSV_FILE: &str = "gradebook.csv";
pub const JSON_FILE: &str = "gradebook.json";

/// How many students a gradebook lists, and how many of them could not be graded.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub students: usize,
    pub errors: usize,
}

/// Write `gradebook.csv`, `gradebook.json` and `gradebook.html` for `records`, in their
/// order, in one pass: each record is written to the CSV and the JSON and tallied for
/// the page as it comes, then let go, so memory does not grow with the class (the page's
/// table of students is the one thing kept, a short row each).
pub fn write<R: Borrow<StudentRecord>>(
    out_dir: &Path,
    labs: &[&Lab],
    outline: Option<&Outline>,
    records: impl IntoIterator<Item = std::io::Result<R>>,
) -> std::io::Result<Tally> {
    // The same bytes as `serde_json::to_string_pretty` of them all: a sequence of
    // unknown length is written element by element.
    let file = BufWriter::new(File::create(out_dir.join(JSON_FILE))?);
    let mut json = serde_json::Serializer::with_formatter(file, PrettyFormatter::new());
    let mut elements = json.serialize_seq(None).map_err(std::io::Error::other)?;
    let mut csv = csv::Writer::from_path(out_dir.join(CSV_FILE)).map_err(std::io::Error::other)?;
    let columns: Vec<(&str, &str)> =
        labs.iter().flat_map(|l| l.checks.iter().map(|c| (l.id.as_str(), c.id.as_str()))).collect();
    let mut header: Vec<String> =
        ["student", "account", "status", "earned", "possible", "percent"].iter().map(|s| s.to_string()).collect();
    header.extend(columns.iter().map(|(lab, check)| format!("{lab}/{check}")));
    header.push("error".into());
    csv.write_record(&header).map_err(std::io::Error::other)?;
    let mut page = super::html::Page::new(labs);
    let mut tally = Tally::default();
    for record in records {
        let record = record?;
        let r = record.borrow();
        elements.serialize_element(r).map_err(std::io::Error::other)?;
        csv.write_record(csv_row(r, &columns)).map_err(std::io::Error::other)?;
        page.add(r);
        tally.students += 1;
        tally.errors += usize::from(r.error.is_some());
    }
    SerializeSeq::end(elements).map_err(std::io::Error::other)?;
    let mut file = json.into_inner();
    file.write_all(b"\n")?;
    file.flush()?;
    csv.flush()?;
    let mut html = BufWriter::new(File::create(out_dir.join(super::html::HTML_FILE))?);
    page.write(outline, &mut html)?;
    html.flush()?;
    Ok(tally)
}

/// A student's CSV row: who, the totals, each check's status (empty when not graded),
/// and the error.
fn csv_row(r: &StudentRecord, columns: &[(&str, &str)]) -> Vec<String> {
    let mut row = vec![
        r.student.clone(),
        r.account.clone(),
        r.status.clone(),
        r.earned.to_string(),
        r.possible.to_string(),
        r.percent.to_string(),
    ];
    for (lab, check) in columns {
        let status = r
            .labs
            .iter()
            .find(|l| l.id == *lab)
            .and_then(|l| l.checks.iter().find(|c| c.id == *check))
            .map(|c| c.status.as_str())
            .unwrap_or("");
        row.push(status.to_string());
    }
    row.push(r.error.clone().unwrap_or_default());
    row
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{CheckRecord, LabRecord, SCHEMA};
    use crate::report::v1::Status;

    fn record(student: &str, error: Option<&str>, message: &str) -> StudentRecord {
        StudentRecord {
            schema: SCHEMA.into(),
            student: student.into(),
            account: "111122223333".into(),
            status: if error.is_some() { "error" } else { "graded" }.into(),
            error: error.map(str::to_string),
            earned: 1,
            possible: 2,
            percent: 50.0,
            api_calls: 7,
            labs: vec![LabRecord {
                id: "lab".into(),
                domain: None,
                earned: 1,
                possible: 2,
                checks: vec![CheckRecord {
                    id: "check".into(),
                    status: Status::Fail,
                    points: 2,
                    earned: 1,
                    message: message.into(),
                }],
                params: Default::default(),
            }],
        }
    }

    /// `gradebook merge` promises a sharded run's gradebook byte for byte: streamed, the
    /// JSON is what `to_string_pretty` of every record at once has always written.
    #[test]
    fn the_streamed_json_is_the_pretty_json_of_them_all() {
        let classes = [
            vec![],
            vec![record("ana", None, "")],
            vec![
                record("ana", None, "line one\nline \"two\" é"),
                record("ben", Some("cannot assume"), ""),
                StudentRecord { labs: vec![], ..record("cy", None, "") },
            ],
        ];
        for records in classes {
            let dir = tempfile::tempdir().unwrap();
            let tally = write(dir.path(), &[], None, records.iter().map(Ok)).unwrap();
            assert_eq!(
                tally,
                Tally { students: records.len(), errors: records.iter().filter(|r| r.error.is_some()).count() }
            );
            let written = std::fs::read_to_string(dir.path().join(JSON_FILE)).unwrap();
            assert_eq!(written, serde_json::to_string_pretty(&records).unwrap() + "\n");
        }
    }
}
