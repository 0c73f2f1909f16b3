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
struct View<'a> {
    graded: usize,
    ungraded: usize,
    average: f64,
    labs: Vec<LabRow<'a>>,
    domains: Vec<DomainRow<'a>>,
    struggles: Vec<Struggle>,
    students: &'a [StudentRow],
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
    /// When students have their own values of params the title names: saying so, since
    /// the title shows the defaults (empty otherwise).
    own_params: String,
    fails: usize,
    errors: usize,
    share: String,
    bar: f64,
}

#[derive(Serialize)]
struct StudentRow {
    id: String,
    account: String,
    percent: f64,
    /// One cell per lab of the page, in its order; none when the student has no result.
    labs: Vec<Option<Cell>>,
    error: String,
}

#[derive(Serialize)]
struct Cell {
    earned: u32,
    possible: u32,
    percent: f64,
}

/// How many of the most-failed checks the page lists.
const STRUGGLES: usize = 15;

/// The page, built one record at a time: the class's sums and the checks it misses are
/// tallied as the records pass, and each student keeps only a row of the table.
pub struct Page<'a> {
    labs: &'a [&'a Lab],
    graded: usize,
    ungraded: usize,
    total: Points,
    by_lab: BTreeMap<String, Points>,
    by_domain: BTreeMap<String, Points>,
    misses: super::Misses,
    students: Vec<StudentRow>,
    /// How many graded students set each (lab, param) to their own value.
    own_params: BTreeMap<(String, String), usize>,
}

impl<'a> Page<'a> {
    pub fn new(labs: &'a [&'a Lab]) -> Self {
        Page {
            labs,
            graded: 0,
            ungraded: 0,
            total: Points::default(),
            by_lab: BTreeMap::new(),
            by_domain: BTreeMap::new(),
            misses: super::Misses::default(),
            students: Vec::new(),
            own_params: BTreeMap::new(),
        }
    }

    /// The next student of the table, in the order the page lists them.
    pub fn add(&mut self, r: &StudentRecord) {
        // The class figures are over the students graded: one who could not be is an
        // error to fix, not a zero.
        if r.error.is_none() {
            self.graded += 1;
            self.total.add(r.earned, r.possible);
            for l in &r.labs {
                for name in l.params.keys() {
                    *self.own_params.entry((l.id.clone(), name.clone())).or_default() += 1;
                }
                self.by_lab.entry(l.id.clone()).or_default().add(l.earned, l.possible);
                if let Some(d) = &l.domain {
                    self.by_domain.entry(d.clone()).or_default().add(l.earned, l.possible);
                }
            }
        } else {
            self.ungraded += 1;
        }
        self.misses.add(r);
        self.students.push(StudentRow {
            id: r.student.clone(),
            account: r.account.clone(),
            percent: r.percent,
            labs: self
                .labs
                .iter()
                .map(|lab| {
                    let l = r.labs.iter().find(|l| l.id == lab.id)?;
                    Some(Cell { earned: l.earned, possible: l.possible, percent: percent(l.earned, l.possible) })
                })
                .collect(),
            error: r.error.clone().unwrap_or_default(),
        });
    }

    /// Render the page into `out`.
    pub fn write(self, outline: Option<&Outline>, mut out: impl std::io::Write) -> std::io::Result<()> {
        let graded = self.graded;
        let struggles = self
            .misses
            .ranked()
            .into_iter()
            .take(STRUGGLES)
            .map(|m| {
                let (fails, errors) = (m.fails, m.errors);
                let share = if graded == 0 { 0.0 } else { 100.0 * fails as f64 / graded as f64 };
                Struggle {
                    title: check_title(self.labs, &m.lab, &m.check),
                    own_params: own_params_note(self.labs, &self.own_params, &m.lab, &m.check),
                    lab: m.lab,
                    check: m.check,
                    fails,
                    errors,
                    share: format!("{share:.0}"),
                    bar: (share * 2.0).round(),
                }
            })
            .collect();
        let view = View {
            graded,
            ungraded: self.ungraded,
            average: self.total.percent(),
            labs: self
                .labs
                .iter()
                .map(|lab| LabRow {
                    id: &lab.id,
                    title: &lab.title,
                    percent: self.by_lab.get(lab.id.as_str()).copied().unwrap_or_default().percent(),
                })
                .collect(),
            domains: self
                .by_domain
                .iter()
                .map(|(id, points)| DomainRow {
                    id,
                    name: outline.and_then(|o| o.domain(id)).map(|d| d.name.as_str()).unwrap_or(""),
                    percent: points.percent(),
                })
                .collect(),
            struggles,
            students: &self.students,
        };
        let mut env = minijinja::Environment::new();
        env.add_template("gradebook.html", TEMPLATE).expect("the gradebook template parses");
        let template = env.get_template("gradebook.html").expect("the gradebook template is there");
        match template.render_captured_to(minijinja::value::Serde(&view), &mut out) {
            Ok(_) => {}
            // A write that failed is the file's error; anything else is a bug in the page.
            Err(e) if e.kind() == minijinja::ErrorKind::WriteFailure => return Err(std::io::Error::other(e)),
            Err(e) => panic!("the gradebook renders: {e}"),
        }
        out.write_all(b"\n")
    }
}

/// "3 students have their own region_1" for the params `check`'s title names that some
/// graded students set otherwise (`counts`; the title shows the lab's defaults); empty if none.
fn own_params_note(labs: &[&Lab], counts: &BTreeMap<(String, String), usize>, lab: &str, check: &str) -> String {
    let Some(title) = labs.iter().find(|l| l.id == lab).and_then(|l| l.check(check)).map(|c| &c.title) else {
        return String::new();
    };
    let mut named: Vec<&str> = Vec::new();
    for name in crate::lab::template::names(title) {
        if !named.contains(&name) {
            named.push(name);
        }
    }
    let notes: Vec<String> = named
        .into_iter()
        .filter_map(|name| {
            let n = *counts.get(&(lab.to_string(), name.to_string()))?;
            Some(format!(
                "{n} student{} {} their own {name}",
                if n == 1 { "" } else { "s" },
                if n == 1 { "has" } else { "have" }
            ))
        })
        .collect();
    notes.join("; ")
}

/// A check's title as the learner reads it: its templates (`{{ role }}`) filled with the
/// lab's default params (see [`own_params_note`] for students' own values).
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
        record_with(student, error, check, &[])
    }

    /// A record whose roster row set `params` of the lab.
    fn record_with(student: &str, error: Option<&str>, check: Status, params: &[(&str, &str)]) -> StudentRecord {
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
                params: params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
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
        let labs = [lab];
        let mut page = Page::new(&labs);
        records.iter().for_each(|r| page.add(r));
        let mut html = Vec::new();
        page.write(loaded.outline.as_ref(), &mut html).expect("writes to memory");
        let html = String::from_utf8(html).expect("UTF-8");
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

    /// A title shows the lab's defaults; when graded students set the params it names to
    /// their own values, the page says how many, beside the title.
    #[test]
    fn a_title_says_when_students_have_their_own_params() {
        let loaded = crate::lab::load_labs(std::path::Path::new("labs"));
        let lab = loaded.find("security-compliance-iam-permissions-boundary").expect("the lab");
        let title = &lab.check("role-trust-requires-mfa").unwrap().title;
        let param = crate::lab::template::names(title).next().expect("the title names a param").to_string();
        let render = |records: &[StudentRecord]| {
            let labs = [lab];
            let mut page = Page::new(&labs);
            records.iter().for_each(|r| page.add(r));
            let mut html = Vec::new();
            page.write(loaded.outline.as_ref(), &mut html).expect("writes to memory");
            String::from_utf8(html).expect("UTF-8")
        };
        let own = [(param.as_str(), "team-a-dev")];
        let html = render(&[
            record_with("ana", None, Status::Fail, &own),
            record_with("ben", None, Status::Fail, &own),
            record("cy", None, Status::Fail),
            // Not graded: not counted.
            record_with("dee", Some("cannot assume"), Status::Error, &own),
        ]);
        let note = format!("(with the lab's defaults; 2 students have their own {param})");
        assert!(html.contains(&note), "{html}");
        let same = render(&[record("ana", None, Status::Fail), record("cy", None, Status::Fail)]);
        assert!(!same.contains("class=\"own\""), "no note when everyone has the defaults");
    }
}
