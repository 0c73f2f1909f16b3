//! Bootcamp grading: a roster of student accounts, graded concurrently into a gradebook.
//!
//! Each student's account is read through a role assumed from the instructor's own
//! credentials. Students are graded `jobs` at a time, each within a time limit; one
//! student's failure (a role that cannot be assumed, AccessDenied, a timeout) is that
//! student's ERROR row and never stops the others. Every result is appended to
//! `results.jsonl` the moment it is complete, so an interrupted run loses nothing and
//! `--resume` grades only who is missing.

pub mod gradebook;
pub mod html;
pub mod lms;
pub mod roster;
pub mod shard;

use crate::collect::{Clients, Ctx};
use crate::grade::{GradeOptions, LabResult, grade_lab};
use crate::lab::Lab;
use crate::report::percent;
use crate::report::v1::Status;
use aws_types::SdkConfig;
use aws_types::region::Region;
use futures::StreamExt;
use roster::Student;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

pub const RESULTS_FILE: &str = "results.jsonl";
pub const SCHEMA: &str = "labcheck.student/v1";

#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub jobs: usize,
    /// Longest a student's grading may take, role assumption included.
    pub per_student_timeout: Duration,
    /// API calls in flight at once against one student's account.
    pub per_account_calls: usize,
    pub max_wait: Option<Duration>,
    pub out_dir: PathBuf,
    /// What a check that does not pass tells the student, in every file.
    pub feedback: crate::feedback::Feedback,
}

/// One student's result: a line of `results.jsonl` (schema `labcheck.student/v1`, frozen:
/// fields may be added within v1, never renamed, removed or redefined).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct StudentRecord {
    pub schema: String,
    pub student: String,
    pub account: String,
    /// `graded`, or `error` when the account could not be graded at all.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub earned: u32,
    pub possible: u32,
    pub percent: f64,
    /// AWS API calls made to grade this student (role assumption not counted).
    #[serde(default)]
    pub api_calls: u64,
    pub labs: Vec<LabRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct LabRecord {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    pub earned: u32,
    pub possible: u32,
    pub checks: Vec<CheckRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
pub struct CheckRecord {
    pub id: String,
    pub status: Status,
    pub points: u32,
    pub earned: u32,
    pub message: String,
}

impl StudentRecord {
    pub(crate) fn graded(student: &Student, results: &[LabResult], api_calls: u64) -> Self {
        let labs: Vec<LabRecord> = results
            .iter()
            .map(|r| LabRecord {
                id: r.lab.id.clone(),
                domain: r.lab.domain_id().map(str::to_string),
                earned: r.earned(),
                possible: r.possible(),
                checks: r
                    .outcomes
                    .iter()
                    .map(|o| CheckRecord {
                        id: o.id.clone(),
                        status: o.status.into(),
                        points: o.points,
                        earned: o.earned,
                        message: o.message.clone(),
                    })
                    .collect(),
            })
            .collect();
        let earned = labs.iter().map(|l| l.earned).sum();
        let possible = labs.iter().map(|l| l.possible).sum();
        StudentRecord {
            schema: SCHEMA.into(),
            student: student.id.clone(),
            account: student.account.clone(),
            status: "graded".into(),
            error: None,
            earned,
            possible,
            percent: percent(earned, possible),
            api_calls,
            labs,
        }
    }

    pub(crate) fn failed(student: &Student, labs: &[&Lab], error: String) -> Self {
        let possible = labs.iter().map(|l| l.possible_points()).sum();
        StudentRecord {
            schema: SCHEMA.into(),
            student: student.id.clone(),
            account: student.account.clone(),
            status: "error".into(),
            error: Some(error),
            earned: 0,
            possible,
            percent: 0.0,
            api_calls: 0,
            labs: vec![],
        }
    }
}

/// A check that graded students did not pass: how many FAILed it, and how many could not
/// be graded on it (ERROR).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missed {
    pub lab: String,
    pub check: String,
    pub fails: usize,
    pub errors: usize,
}

/// The checks the class misses, most FAILs first (then most ERRORs, then lab and check
/// id), over the students graded: where the class needs help.
pub fn most_missed(records: &[StudentRecord]) -> Vec<Missed> {
    let mut misses: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    for lab in records.iter().filter(|r| r.error.is_none()).flat_map(|r| &r.labs) {
        for c in &lab.checks {
            let entry = misses.entry((lab.id.as_str(), c.id.as_str())).or_default();
            match c.status {
                Status::Fail => entry.0 += 1,
                Status::Error => entry.1 += 1,
                _ => {}
            }
        }
    }
    let mut ranked: Vec<Missed> = misses
        .into_iter()
        .filter(|(_, (fails, errors))| fails + errors > 0)
        .map(|((lab, check), (fails, errors))| Missed { lab: lab.into(), check: check.into(), fails, errors })
        .collect();
    ranked.sort_by(|a, b| {
        b.fails.cmp(&a.fails).then(b.errors.cmp(&a.errors)).then((&a.lab, &a.check).cmp(&(&b.lab, &b.check)))
    });
    ranked
}

/// Records already in `results.jsonl` (a line cut short by a crash is ignored).
pub fn read_results(out_dir: &Path) -> BTreeMap<String, StudentRecord> {
    let Ok(text) = std::fs::read_to_string(out_dir.join(RESULTS_FILE)) else { return BTreeMap::new() };
    text.lines()
        .filter_map(|line| serde_json::from_str::<StudentRecord>(line).ok())
        .map(|r| (r.student.clone(), r))
        .collect()
}

/// Replace `results.jsonl` with `records`, in their order: once a run is complete, its
/// file lists the students in roster order, whichever finished first (so that a run,
/// resumed or not, sharded and merged or not, writes the same bytes). Written beside
/// and renamed over, so a crash leaves the old file or the new one, never half of one.
pub fn write_results(out_dir: &Path, records: &[StudentRecord]) -> std::io::Result<()> {
    let mut text = String::new();
    for record in records {
        text.push_str(&serde_json::to_string(record).map_err(std::io::Error::other)?);
        text.push('\n');
    }
    let partial = out_dir.join(format!("{RESULTS_FILE}.partial"));
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(text.as_bytes())?;
    file.sync_data()?;
    std::fs::rename(partial, out_dir.join(RESULTS_FILE))
}

/// Appends one line per record, flushed at once.
struct ResultsFile(Mutex<std::fs::File>);

impl ResultsFile {
    fn open(out_dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(out_dir)?;
        let file = std::fs::OpenOptions::new().create(true).append(true).open(out_dir.join(RESULTS_FILE))?;
        Ok(ResultsFile(Mutex::new(file)))
    }

    fn append(&self, record: &StudentRecord) -> std::io::Result<()> {
        let mut line = serde_json::to_string(record).map_err(std::io::Error::other)?;
        line.push('\n');
        let mut file = self.0.lock().unwrap_or_else(|p| p.into_inner());
        file.write_all(line.as_bytes())?;
        file.sync_data()
    }
}

/// The SDK configuration for one student: the instructor's configuration with the
/// student's role (see [`crate::target::through_role`]) and Region.
async fn student_config(base: &SdkConfig, student: &Student) -> Result<SdkConfig, String> {
    let role = crate::target::Role {
        arn: student.role_arn.clone(),
        external_id: student.external_id.clone(),
        session_name: student.session_name.clone().unwrap_or_else(|| format!("labcheck-{}", student.id)),
    };
    let (conf, _) = crate::target::through_role(base, &role).await.map_err(|e| e.to_string())?;
    Ok(match &student.region {
        Some(region) => conf.into_builder().region(Region::new(region.clone())).build(),
        None => conf,
    })
}

async fn grade_student(
    base: &SdkConfig,
    student: &Student,
    labs: &[&Lab],
    opts: &BatchOptions,
) -> Result<(Vec<LabResult>, u64), String> {
    let conf = student_config(base, student).await?;
    let clients = Clients::new(&conf);
    let log = clients.log.clone();
    let ctx = Ctx::new(clients).with_call_limit(opts.per_account_calls);
    let grade_opts = GradeOptions { params: student.params.clone(), progress: None, max_wait: opts.max_wait };
    let mut results = Vec::new();
    for lab in labs {
        results.push(grade_lab(lab, &ctx, &grade_opts).await);
    }
    crate::feedback::apply(&mut results, opts.feedback);
    Ok((results, log.total()))
}

/// Something that happened in the run, for progress output.
pub enum Event<'a> {
    Done { record: &'a StudentRecord, done: usize, total: usize },
}

/// Grade every student not yet in `results.jsonl`, appending each result as it completes.
/// Returns every record (earlier ones included), in roster order.
pub async fn grade_roster(
    base: &SdkConfig,
    students: &[Student],
    labs: &[&Lab],
    opts: &BatchOptions,
    on_event: &(dyn Fn(Event) + Sync),
) -> std::io::Result<Vec<StudentRecord>> {
    let earlier = read_results(&opts.out_dir);
    let file = ResultsFile::open(&opts.out_dir)?;
    let todo: Vec<&Student> = students.iter().filter(|s| !earlier.contains_key(&s.id)).collect();
    let total = todo.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let mut fresh: BTreeMap<String, StudentRecord> = BTreeMap::new();
    let mut stream = futures::stream::iter(todo.into_iter().map(|student| async move {
        let graded = tokio::time::timeout(opts.per_student_timeout, grade_student(base, student, labs, opts)).await;
        let (record, results) = match graded {
            Ok(Ok((results, calls))) => (StudentRecord::graded(student, &results, calls), Some(results)),
            Ok(Err(error)) => (StudentRecord::failed(student, labs, error), None),
            Err(_) => {
                let error = format!("grading took longer than {}s", opts.per_student_timeout.as_secs());
                (StudentRecord::failed(student, labs, error), None)
            }
        };
        (record, results)
    }))
    .buffer_unordered(opts.jobs.max(1));
    while let Some((record, results)) = stream.next().await {
        file.append(&record)?;
        if let Some(results) = results {
            gradebook::write_junit(&opts.out_dir, &record.student, &results)?;
        }
        let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        on_event(Event::Done { record: &record, done: n, total });
        fresh.insert(record.student.clone(), record);
    }
    drop(file);
    let mut records: Vec<StudentRecord> =
        students.iter().filter_map(|s| fresh.remove(&s.id).or_else(|| earlier.get(&s.id).cloned())).collect();
    // Results of students since taken off the roster stay in the file (after the
    // roster's), though not in the gradebook.
    let on_roster: std::collections::HashSet<&str> = students.iter().map(|s| s.id.as_str()).collect();
    let gone: Vec<StudentRecord> =
        earlier.values().filter(|r| !on_roster.contains(r.student.as_str())).cloned().collect();
    let graded = records.len();
    records.extend(gone);
    write_results(&opts.out_dir, &records)?;
    records.truncate(graded);
    Ok(records)
}
