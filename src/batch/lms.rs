//! Grade files an LMS imports as they are: Canvas's gradebook import CSV and Moodle's
//! grade import CSV, from a gradebook's results and the roster's LMS identity fields.
//!
//! Canvas: the columns of its own gradebook export — `Student`, `ID`, `SIS User ID`,
//! `SIS Login ID`, `Section` — then one column per assignment, named `Title (ID)` when the
//! assignment's Canvas ID is given (so the import updates it rather than creating one),
//! and a `Points Possible` row under the header. Canvas matches a row to a student by
//! `ID`, `SIS User ID` or `SIS Login ID`, so a student with none of them is reported.
//!
//! Moodle: an identity column to "map from" (email, username or ID number), then per
//! grade item its points and its feedback; the import's mapping step pairs them with
//! grade items.
//!
//! A student who could not be graded gets an empty cell, which both LMSs leave as it
//! is: an account labcheck could not read is not a zero.

use super::StudentRecord;
use super::roster::Student;
use crate::lab::Lab;
use crate::report::v1::Status;

/// How the grade columns are cut.
pub struct Columns<'a> {
    /// One column per lab (`false`), or a single column with the total (`true`).
    pub total: bool,
    /// The total column's name.
    pub total_name: &'a str,
    /// LMS assignment IDs, by lab id, or by `total` for the total column.
    pub assignment_ids: &'a std::collections::BTreeMap<String, String>,
}

/// One grade column: its name, its points, and each student's points.
struct Column {
    name: String,
    possible: u32,
    /// The lab ids it sums.
    labs: Vec<String>,
}

fn columns(labs: &[&Lab], cols: &Columns) -> Vec<Column> {
    let with_id = |name: &str, key: &str| match cols.assignment_ids.get(key) {
        Some(id) => format!("{name} ({id})"),
        None => name.to_string(),
    };
    if cols.total {
        vec![Column {
            name: with_id(cols.total_name, "total"),
            possible: labs.iter().map(|l| l.possible_points()).sum(),
            labs: labs.iter().map(|l| l.id.clone()).collect(),
        }]
    } else {
        labs.iter()
            .map(|l| Column { name: with_id(&l.title, &l.id), possible: l.possible_points(), labs: vec![l.id.clone()] })
            .collect()
    }
}

/// The student's points in a column; none when they could not be graded (or have no
/// result for its labs).
fn points(record: &StudentRecord, column: &Column) -> Option<u32> {
    if record.error.is_some() {
        return None;
    }
    let found: Vec<u32> = record.labs.iter().filter(|l| column.labs.contains(&l.id)).map(|l| l.earned).collect();
    (!found.is_empty()).then(|| found.iter().sum())
}

/// The students of `records` in roster order, each with their roster entry; students the
/// roster no longer has are left out (and named in the warnings).
fn pair<'a>(
    roster: &'a [Student],
    records: &'a [StudentRecord],
    warnings: &mut Vec<String>,
) -> Vec<(&'a Student, &'a StudentRecord)> {
    let on_roster: std::collections::HashSet<&str> = roster.iter().map(|s| s.id.as_str()).collect();
    for r in records.iter().filter(|r| !on_roster.contains(r.student.as_str())) {
        warnings.push(format!("{}: in the gradebook but not in the roster; left out", r.student));
    }
    let by_student: std::collections::HashMap<&str, &StudentRecord> =
        records.iter().map(|r| (r.student.as_str(), r)).collect();
    roster.iter().filter_map(|s| by_student.get(s.id.as_str()).map(|r| (s, *r))).collect()
}

/// Canvas's gradebook import CSV, and what the grader should know (students Canvas
/// cannot match, students with no result).
pub fn canvas(labs: &[&Lab], roster: &[Student], records: &[StudentRecord], cols: &Columns) -> (String, Vec<String>) {
    let mut warnings = Vec::new();
    let columns = columns(labs, cols);
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> =
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"].iter().map(|s| s.to_string()).collect();
    header.extend(columns.iter().map(|c| c.name.clone()));
    out.write_record(&header).expect("writes to memory");
    let mut possible = vec!["Points Possible".to_string(), String::new(), String::new(), String::new(), String::new()];
    possible.extend(columns.iter().map(|c| c.possible.to_string()));
    out.write_record(&possible).expect("writes to memory");
    for (student, record) in pair(roster, records, &mut warnings) {
        if student.canvas_id.is_none() && student.sis_user_id.is_none() && student.sis_login_id.is_none() {
            warnings.push(format!(
                "{}: no canvas_id, sis_user_id or sis_login_id in the roster; Canvas cannot match this row",
                student.id
            ));
        }
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut row = vec![
            student.name.clone().unwrap_or_else(|| student.id.clone()),
            text(&student.canvas_id),
            text(&student.sis_user_id),
            text(&student.sis_login_id),
            text(&student.section),
        ];
        row.extend(columns.iter().map(|c| points(record, c).map(|p| p.to_string()).unwrap_or_default()));
        out.write_record(&row).expect("writes to memory");
    }
    (String::from_utf8(out.into_inner().expect("in memory")).expect("UTF-8"), warnings)
}

/// Which roster field Moodle maps its users from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoodleIdentity {
    /// The roster's `email` (Moodle: "Email address").
    Email,
    /// The roster's `sis_login_id` (Moodle: "username").
    Username,
    /// The roster's `sis_user_id` (Moodle: "ID number").
    IdNumber,
}

/// Moodle's grade import CSV, and what the grader should know.
pub fn moodle(
    labs: &[&Lab],
    roster: &[Student],
    records: &[StudentRecord],
    cols: &Columns,
    identity: MoodleIdentity,
) -> (String, Vec<String>) {
    let mut warnings = Vec::new();
    let columns = columns(labs, cols);
    let (header, field): (&str, fn(&Student) -> &Option<String>) = match identity {
        MoodleIdentity::Email => ("email", |s| &s.email),
        MoodleIdentity::Username => ("username", |s| &s.sis_login_id),
        MoodleIdentity::IdNumber => ("idnumber", |s| &s.sis_user_id),
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut names = vec![header.to_string()];
    for c in &columns {
        names.push(c.name.clone());
        names.push(format!("{} feedback", c.name));
    }
    out.write_record(&names).expect("writes to memory");
    for (student, record) in pair(roster, records, &mut warnings) {
        let Some(who) = field(student) else {
            warnings.push(format!("{}: no {header} in the roster; left out (Moodle maps users by it)", student.id));
            continue;
        };
        let mut row = vec![who.clone()];
        for c in &columns {
            row.push(points(record, c).map(|p| p.to_string()).unwrap_or_default());
            row.push(feedback(record, c));
        }
        out.write_record(&row).expect("writes to memory");
    }
    (String::from_utf8(out.into_inner().expect("in memory")).expect("UTF-8"), warnings)
}

/// A column's feedback: the points, then each check that does not pass with its message
/// (as `--feedback` left it when the class was graded).
fn feedback(record: &StudentRecord, column: &Column) -> String {
    if let Some(error) = &record.error {
        return format!("not graded: {error}");
    }
    let mut parts = Vec::new();
    for lab in record.labs.iter().filter(|l| column.labs.contains(&l.id)) {
        parts.push(format!("{}: {}/{}", lab.id, lab.earned, lab.possible));
        for c in lab.checks.iter().filter(|c| c.status != Status::Pass) {
            parts.push(format!("{} {}: {}", c.status.as_str(), c.id, c.message));
        }
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::Status as Graded;
    use crate::grade::made_up::graded;
    use std::collections::BTreeMap;

    fn class() -> (Vec<Lab>, Vec<Student>, Vec<StudentRecord>) {
        let loaded = crate::lab::load_labs(std::path::Path::new("labs"));
        let labs: Vec<Lab> = ["monitoring-metric-filter-alarm", "sdlc-ecr-repository"]
            .iter()
            .map(|id| loaded.find(id).unwrap().clone())
            .collect();
        let student = |id: &str, name: &str, canvas: Option<&str>, email: Option<&str>| Student {
            id: id.into(),
            account: "111111111111".into(),
            role_arn: "arn:aws:iam::111111111111:role/grader".into(),
            name: Some(name.into()),
            canvas_id: canvas.map(str::to_string),
            sis_login_id: Some(format!("{id}01")),
            section: Some("Cohort 3".into()),
            email: email.map(str::to_string),
            ..Default::default()
        };
        let roster = vec![
            student("ada", "Lovelace, Ada", Some("1001"), Some("ada@example.edu")),
            student("bob", "Bob \"B\" Smith", Some("1002"), None),
            student("eve", "Eve", None, Some("eve@example.edu")),
        ];
        let ada_results: Vec<_> = labs
            .iter()
            .map(|l| {
                let every: Vec<(&str, Graded)> = l.checks.iter().map(|c| (c.id.as_str(), Graded::Pass)).collect();
                graded(&l.id, &every)
            })
            .collect();
        let bob_results: Vec<_> =
            labs.iter().map(|l| graded(&l.id, &[(l.checks[0].id.as_str(), Graded::Pass)])).collect();
        let lab_refs: Vec<&Lab> = labs.iter().collect();
        let records = vec![
            StudentRecord::graded(&roster[0], &ada_results, 10),
            StudentRecord::graded(&roster[1], &bob_results, 10),
            StudentRecord::failed(&roster[2], &lab_refs, "cannot assume the role".into()),
        ];
        (labs, roster, records)
    }

    #[test]
    fn canvas_has_its_export_columns_a_points_row_and_assignment_ids() {
        let (labs, roster, records) = class();
        let labs: Vec<&Lab> = labs.iter().collect();
        let ids = BTreeMap::from([("sdlc-ecr-repository".to_string(), "4521".to_string())]);
        let cols = Columns { total: false, total_name: "AWS labs", assignment_ids: &ids };
        let (file, warnings) = canvas(&labs, &roster, &records, &cols);
        let mut lines = file.lines();
        let header = lines.next().unwrap();
        assert!(header.starts_with("Student,ID,SIS User ID,SIS Login ID,Section,"), "{header}");
        assert!(header.ends_with("(4521)"), "an assignment ID in parentheses: {header}");
        assert!(lines.next().unwrap().starts_with("Points Possible,,,,,15,"));
        assert!(warnings.is_empty(), "every row has an ID Canvas matches by: {warnings:?}");
        insta::assert_snapshot!("canvas_per_lab", file);

        let ids = BTreeMap::from([("total".to_string(), "9000".to_string())]);
        let cols = Columns { total: true, total_name: "AWS labs", assignment_ids: &ids };
        insta::assert_snapshot!("canvas_total", canvas(&labs, &roster, &records, &cols).0);
    }

    #[test]
    fn canvas_names_the_rows_it_cannot_match_and_the_students_it_left_out() {
        let (labs, mut roster, records) = class();
        let labs: Vec<&Lab> = labs.iter().collect();
        roster[2].sis_login_id = None;
        roster.remove(1);
        let none = BTreeMap::new();
        let cols = Columns { total: false, total_name: "AWS labs", assignment_ids: &none };
        let (file, warnings) = canvas(&labs, &roster, &records, &cols);
        assert_eq!(
            warnings,
            [
                "bob: in the gradebook but not in the roster; left out",
                "eve: no canvas_id, sis_user_id or sis_login_id in the roster; Canvas cannot match this row",
            ]
        );
        assert_eq!(file.lines().count(), 4, "header, points, ada, eve");
    }

    #[test]
    fn moodle_maps_from_an_identity_column_with_grades_and_feedback() {
        let (labs, roster, records) = class();
        let labs: Vec<&Lab> = labs.iter().collect();
        let none = BTreeMap::new();
        let cols = Columns { total: false, total_name: "AWS labs", assignment_ids: &none };
        let (file, warnings) = moodle(&labs, &roster, &records, &cols, MoodleIdentity::Email);
        assert!(file.starts_with("email,"), "{file}");
        assert_eq!(warnings, ["bob: no email in the roster; left out (Moodle maps users by it)"]);
        insta::assert_snapshot!("moodle_per_lab", file);
        let (file, warnings) = moodle(&labs, &roster, &records, &cols, MoodleIdentity::Username);
        assert!(file.starts_with("username,") && warnings.is_empty() && file.contains("\nbob01,"), "{file}");
    }
}
