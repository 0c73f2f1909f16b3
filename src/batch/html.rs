//! `gradebook.html`: one self-contained page (no network needed to view it) with the
//! class's scores per lab and per exam domain, the checks the class fails most, and a
//! sortable table of students. The page is `templates/gradebook.html` (minijinja, which
//! escapes every value for HTML); this module only works out what it shows.

use super::StudentRecord;
use crate::lab::Lab;
use crate::lab::skills::Outline;
use crate::report::percent;
use serde::Serialize;
use std::collections::BTreeMap;

pub const HTML_FILE: &str = "gradebook.html";

const TEMPLATE: &str = include_str!("templates/gradebook.html");

/// Earned and possible points, summed.
#[derive(Default, Clone, Copy)]
struct Points {
    earned: u32,
    possible: u32,
}

impl Points {
    fn add(&mut self, earned: u32, possible: u32) {
        self.earned += earned;
        self.possible += possible;
    }

    fn percent(self) -> f64 {
        percent(self.earned, self.possible)
    }
}

/// What the page shows.
#[derive(Serialize)]
struct Page<'a> {
    graded: usize,
    ungraded: usize,
    average: f64,
    labs: Vec<LabRow<'a>>,
    domains: Vec<DomainRow<'a>>,
    struggles: Vec<Struggle>,
    students: Vec<StudentRow<'a>>,
}

#[derive(Serialize)]
struct LabRow<'a> {
    id: &'a str,
    title: &'a str,
    percent: f64,
}

#[derive(Serialize)]
struct DomainRow<'a> {
    id: &'a str,
    name: &'a str,
    percent: f64,
}

/// A check the class fails: how many students failed it (and what share of the
/// class), and how many could not be graded on it.
#[derive(Serialize)]
struct Struggle {
    lab: String,
    check: String,
    /// The check's title, its templates filled with the lab's defaults.
    title: String,
    fails: usize,
    errors: usize,
    share: String,
    bar: f64,
}

#[derive(Serialize)]
struct StudentRow<'a> {
    id: &'a str,
    account: &'a str,
    percent: f64,
    /// One cell per lab of the page, in its order; none when the student has no result.
    labs: Vec<Option<Cell>>,
    error: &'a str,
}

#[derive(Serialize)]
struct Cell {
    earned: u32,
    possible: u32,
    percent: f64,
}

/// How many of the most-failed checks the page lists.
const STRUGGLES: usize = 15;

pub fn render(labs: &[&Lab], outline: Option<&Outline>, records: &[StudentRecord]) -> String {
    let graded: Vec<&StudentRecord> = records.iter().filter(|r| r.error.is_none()).collect();
    let mut by_lab: BTreeMap<&str, Points> = BTreeMap::new();
    let mut by_domain: BTreeMap<&str, Points> = BTreeMap::new();
    let mut total = Points::default();
    for r in &graded {
        total.add(r.earned, r.possible);
        for l in &r.labs {
            by_lab.entry(l.id.as_str()).or_default().add(l.earned, l.possible);
            if let Some(d) = &l.domain {
                by_domain.entry(d.as_str()).or_default().add(l.earned, l.possible);
            }
        }
    }
    let struggles = super::most_missed(records)
        .into_iter()
        .take(STRUGGLES)
        .map(|m| {
            let (fails, errors) = (m.fails, m.errors);
            let share = if graded.is_empty() { 0.0 } else { 100.0 * fails as f64 / graded.len() as f64 };
            Struggle {
                title: check_title(labs, &m.lab, &m.check),
                lab: m.lab,
                check: m.check,
                fails,
                errors,
                share: format!("{share:.0}"),
                bar: (share * 2.0).round(),
            }
        })
        .collect();
    let page = Page {
        graded: graded.len(),
        ungraded: records.len() - graded.len(),
        average: total.percent(),
        labs: labs
            .iter()
            .map(|lab| LabRow {
                id: &lab.id,
                title: &lab.title,
                percent: by_lab.get(lab.id.as_str()).copied().unwrap_or_default().percent(),
            })
            .collect(),
        domains: by_domain
            .iter()
            .map(|(id, points)| DomainRow {
                id,
                name: outline.and_then(|o| o.domain(id)).map(|d| d.name.as_str()).unwrap_or(""),
                percent: points.percent(),
            })
            .collect(),
        struggles,
        students: records
            .iter()
            .map(|r| StudentRow {
                id: &r.student,
                account: &r.account,
                percent: r.percent,
                labs: labs
                    .iter()
                    .map(|lab| {
                        let l = r.labs.iter().find(|l| l.id == lab.id)?;
                        Some(Cell { earned: l.earned, possible: l.possible, percent: percent(l.earned, l.possible) })
                    })
                    .collect(),
                error: r.error.as_deref().unwrap_or(""),
            })
            .collect(),
    };
    let mut env = minijinja::Environment::new();
    env.add_template("gradebook.html", TEMPLATE).expect("the gradebook template parses");
    let html = env.get_template("gradebook.html").and_then(|t| t.render(minijinja::value::Serde(&page)));
    html.expect("the gradebook renders") + "\n"
}

/// A check's title as the learner reads it: its templates (`{{ role }}`) filled with the
/// lab's default params (a student's own params are not in the gradebook).
fn check_title(labs: &[&Lab], lab: &str, check: &str) -> String {
    let Some(lab) = labs.iter().find(|l| l.id == lab) else { return String::new() };
    let Some(check) = lab.check(check) else { return String::new() };
    let defaults = lab.param_values(&BTreeMap::new());
    crate::lab::template::render_str(&check.title, &defaults).unwrap_or_else(|_| check.title.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{CheckRecord, LabRecord};
    use crate::report::v1::Status;

    fn record(student: &str, error: Option<&str>, check: Status) -> StudentRecord {
        let earned = if check == Status::Pass { 2 } else { 0 };
        StudentRecord {
            schema: crate::batch::SCHEMA.into(),
            student: student.into(),
            account: "111122223333".into(),
            status: if error.is_some() { "error" } else { "graded" }.into(),
            error: error.map(str::to_string),
            earned,
            possible: 2,
            percent: percent(earned, 2),
            api_calls: 3,
            labs: vec![LabRecord {
                id: "security-compliance-iam-permissions-boundary".into(),
                domain: Some("6".into()),
                earned,
                possible: 2,
                checks: vec![CheckRecord {
                    id: "role-trust-requires-mfa".into(),
                    status: check,
                    points: 2,
                    earned,
                    message: String::new(),
                }],
            }],
        }
    }

    #[test]
    fn every_value_is_escaped_and_titles_read_as_the_learner_reads_them() {
        let loaded = crate::lab::load_labs(std::path::Path::new("labs"));
        let lab = loaded.find("security-compliance-iam-permissions-boundary").expect("the lab");
        let records = [
            record("<script>alert(1)</script>", None, Status::Fail),
            record("ana", None, Status::Pass),
            record("ben", Some("cannot assume \"x\" & <y>"), Status::Error),
        ];
        let html = render(&[lab], loaded.outline.as_ref(), &records);
        assert!(!html.contains("<script>alert"), "a student's id is text, not markup");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;"), "escaped, and shown");
        assert!(html.contains("cannot assume &quot;x&quot; &amp; &lt;y&gt;"));
        let struggles = html.split("Where the class struggles").nth(1).unwrap();
        let first = struggles.split("<tr><td>").nth(1).unwrap();
        assert!(first.starts_with("security-compliance-iam-permissions-boundary/role-trust-requires-mfa"), "{first}");
        assert!(first.contains(">1 (50%)<"), "one of the two graded students: {first}");
        assert!(
            first.contains("The role labcheck-sec-developer can be assumed only with MFA"),
            "the title as the learner reads it: {first}"
        );
        assert_eq!(html.matches("<script>").count(), 1, "the sorting script only");
    }
}
