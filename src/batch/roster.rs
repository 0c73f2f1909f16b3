//! Rosters: the students a bootcamp grades, from YAML or CSV.
//!
//! YAML:
//! ```yaml
//! students:
//!   - id: ada
//!     account: "111111111111"
//!     role_arn: arn:aws:iam::111111111111:role/labcheck-grader
//!     external_id: bootcamp-2026      # optional
//!     region: eu-west-1               # optional
//!     params: { log_group: /ada/app } # optional
//! ```
//! CSV: a header row with `id`, `account`, `role_arn`, and optionally `external_id`,
//! `session_name`, `region`, `param:NAME` columns, and the LMS identity columns `name`,
//! `email`, `sis_user_id`, `sis_login_id`, `section`, `canvas_id` (YAML: the same keys).
//!
//! A bad row is reported with its file and line and left out; the valid rows are kept.

use crate::lab::Diagnostic;
use crate::lab::load::{parse_yaml, read_text};
use crate::lab::locate::Locator;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Student {
    /// Unique; used in file names, so letters, digits, `.`, `_`, `-`.
    pub id: String,
    pub account: String,
    pub role_arn: String,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub session_name: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// How the student is known to the LMS, for `labcheck gradebook canvas|moodle`; all
    /// optional.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub sis_user_id: Option<String>,
    #[serde(default)]
    pub sis_login_id: Option<String>,
    #[serde(default)]
    pub section: Option<String>,
    /// Canvas's own user ID (its gradebook export's `ID` column).
    #[serde(default)]
    pub canvas_id: Option<String>,
}

/// The valid students, and a diagnostic for every row left out.
#[derive(Debug, Default)]
pub struct Roster {
    pub students: Vec<Student>,
    pub problems: Vec<Diagnostic>,
}

/// Read a roster; CSV when the file name ends in `.csv`, YAML otherwise. An unreadable
/// file is an error; bad rows are only problems.
pub fn load_roster(path: &Path) -> Result<Roster, Diagnostic> {
    let text = read_text(path)?;
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    parse_roster(path, &text, is_csv)
}

/// Parse roster text; `path` names it in diagnostics.
pub fn parse_roster(path: &Path, text: &str, is_csv: bool) -> Result<Roster, Diagnostic> {
    let rows: Rows = if is_csv { csv_rows(path, text)? } else { yaml_rows(path, text)? };
    let mut roster = Roster::default();
    let mut seen = HashSet::new();
    for (line, row) in rows {
        let problem = match row {
            Ok(student) => match check_student(&student) {
                Ok(()) if !seen.insert(student.id.clone()) => Some(format!("duplicate student id `{}`", student.id)),
                Ok(()) => {
                    roster.students.push(student);
                    None
                }
                Err(e) => Some(e),
            },
            Err(e) => Some(e),
        };
        if let Some(message) = problem {
            roster.problems.push(Diagnostic {
                file: path.to_path_buf(),
                line: Some(line),
                col: None,
                field: String::new(),
                message,
            });
        }
    }
    Ok(roster)
}

/// Each row's line, and the student or why the row is bad.
type Rows = Vec<(usize, Result<Student, String>)>;

fn yaml_rows(path: &Path, text: &str) -> Result<Rows, Diagnostic> {
    // Parse the outer shape loosely, then each row on its own, so one bad row does not
    // hide the others.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Loose {
        students: Vec<serde_yaml::Value>,
    }
    let loose: Loose = parse_yaml(path, text)?;
    let locator = Locator::new(text);
    Ok(loose
        .students
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let line = locator.find(&format!("students[{i}]")).map_or(0, |p| p.line);
            (line, serde_yaml::from_value::<Student>(value).map_err(|e| e.to_string()))
        })
        .collect())
}

fn csv_rows(path: &Path, text: &str) -> Result<Rows, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Diagnostic {
            file: path.to_path_buf(),
            line: Some(1),
            col: None,
            field: String::new(),
            message: format!("cannot read the header row: {e}"),
        })?
        .clone();
    for required in ["id", "account", "role_arn"] {
        if !headers.iter().any(|h| h == required) {
            return Err(Diagnostic {
                file: path.to_path_buf(),
                line: Some(1),
                col: None,
                field: String::new(),
                message: format!(
                    "the header row has no `{required}` column (columns: {})",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
            });
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let (line, row) = match record {
            Err(e) => (e.position().map_or(0, |p| p.line() as usize), Err(e.to_string())),
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                let get = |name: &str| {
                    headers
                        .iter()
                        .position(|h| h == name)
                        .and_then(|i| record.get(i))
                        .filter(|v| !v.is_empty())
                        .map(str::to_string)
                };
                let mut params = BTreeMap::new();
                for (i, h) in headers.iter().enumerate() {
                    if let (Some(name), Some(v)) = (h.strip_prefix("param:"), record.get(i))
                        && !v.is_empty()
                    {
                        params.insert(name.to_string(), v.to_string());
                    }
                }
                let student = match (get("id"), get("account"), get("role_arn")) {
                    (Some(id), Some(account), Some(role_arn)) => Ok(Student {
                        id,
                        account,
                        role_arn,
                        external_id: get("external_id"),
                        session_name: get("session_name"),
                        region: get("region"),
                        params,
                        name: get("name"),
                        email: get("email"),
                        sis_user_id: get("sis_user_id"),
                        sis_login_id: get("sis_login_id"),
                        section: get("section"),
                        canvas_id: get("canvas_id"),
                    }),
                    _ => Err("every row needs id, account and role_arn".to_string()),
                };
                (line, student)
            }
        };
        rows.push((line, row));
    }
    Ok(rows)
}

fn check_student(s: &Student) -> Result<(), String> {
    let id_ok = !s.id.is_empty()
        && s.id.len() <= 64
        && s.id.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && !s.id.starts_with('.');
    if !id_ok {
        return Err(format!("student id `{}`: use letters, digits, `.`, `_`, `-` (at most 64)", s.id));
    }
    if s.account.len() != 12 || !s.account.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("student `{}`: account `{}` is not a 12-digit AWS account id", s.id, s.account));
    }
    let arn_account = s.role_arn.strip_prefix("arn:").and_then(|rest| rest.split(':').nth(3));
    if !s.role_arn.starts_with("arn:aws") || !s.role_arn.contains(":role/") || arn_account != Some(s.account.as_str()) {
        return Err(format!("student `{}`: role_arn `{}` is not a role in account {}", s.id, s.role_arn, s.account));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn yaml_keeps_good_rows_and_names_bad_ones() {
        let (_d, path) = write(
            "roster.yaml",
            "students:\n  - id: ada\n    account: \"111111111111\"\n    role_arn: arn:aws:iam::111111111111:role/g\n    params: {log_group: /ada}\n  - id: bob\n    account: \"12\"\n    role_arn: arn:aws:iam::12:role/g\n  - id: cy\n    acount: \"1\"\n  - id: ada\n    account: \"111111111111\"\n    role_arn: arn:aws:iam::111111111111:role/g\n",
        );
        let r = load_roster(&path).unwrap();
        assert_eq!(r.students.len(), 1);
        assert_eq!(r.students[0].params["log_group"], "/ada");
        let lines: Vec<_> = r.problems.iter().map(|d| (d.line, d.message.clone())).collect();
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert_eq!(lines[0].0, Some(6));
        assert!(lines[0].1.contains("not a 12-digit"));
        assert_eq!(lines[1].0, Some(9));
        assert!(lines[1].1.contains("unknown field `acount`"), "{}", lines[1].1);
        assert!(lines[2].1.contains("duplicate student id `ada`"));
    }

    #[test]
    fn csv_with_params_and_a_bad_row() {
        let (_d, path) = write(
            "roster.csv",
            "id,account,role_arn,external_id,param:log_group\nada,111111111111,arn:aws:iam::111111111111:role/g,ext,/ada\n../x,222222222222,arn:aws:iam::222222222222:role/g,,\nbob,333333333333,arn:aws:iam::444444444444:role/g,,\n",
        );
        let r = load_roster(&path).unwrap();
        assert_eq!(r.students.len(), 1);
        assert_eq!(r.students[0].external_id.as_deref(), Some("ext"));
        assert_eq!(r.students[0].params["log_group"], "/ada");
        assert_eq!(r.problems.iter().map(|d| d.line).collect::<Vec<_>>(), vec![Some(3), Some(4)]);
        assert!(r.problems[1].message.contains("not a role in account 333333333333"));
    }

    #[test]
    fn csv_without_required_columns_is_an_error() {
        let (_d, path) = write("roster.csv", "name,account\nada,1\n");
        let err = load_roster(&path).unwrap_err();
        assert!(err.message.contains("no `id` column"), "{err}");
    }
}
