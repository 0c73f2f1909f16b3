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
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
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
    /// The student's own values of the lab's params, where the roster sets them otherwise
    /// than the lab's defaults (the checks' messages already speak of these values).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
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
                params: own_params(&r.lab, student),
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

/// The params of `lab` the student's roster row sets to other values than the lab's defaults.
fn own_params(lab: &Lab, student: &Student) -> BTreeMap<String, String> {
    let defaults = lab.param_values(&BTreeMap::new());
    student
        .params
        .iter()
        .filter(|(name, value)| {
            // A default may be a number or a flag; the roster's value is text.
            let default = defaults.get(*name).map(|d| d.as_str().map_or_else(|| d.to_string(), str::to_string));
            lab.params.contains_key(*name) && default.as_deref() != Some(value.as_str())
        })
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
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
    let mut misses = Misses::default();
    records.iter().for_each(|r| misses.add(r));
    misses.ranked()
}

/// The tally behind [`most_missed`], fed one record at a time: a gradebook is written in
/// one pass over the results, never holding them all.
#[derive(Default)]
pub struct Misses(BTreeMap<(String, String), (usize, usize)>);

impl Misses {
    pub fn add(&mut self, record: &StudentRecord) {
        if record.error.is_some() {
            return;
        }
        for lab in &record.labs {
            for c in &lab.checks {
                let (fail, error) = match c.status {
                    Status::Fail => (1, 0),
                    Status::Error => (0, 1),
                    _ => continue,
                };
                let entry = self.0.entry((lab.id.clone(), c.id.clone())).or_default();
                entry.0 += fail;
                entry.1 += error;
            }
        }
    }

    /// Most FAILs first, then most ERRORs, then lab and check id.
    pub fn ranked(self) -> Vec<Missed> {
        let mut ranked: Vec<Missed> =
            self.0.into_iter().map(|((lab, check), (fails, errors))| Missed { lab, check, fails, errors }).collect();
        ranked.sort_by(|a, b| {
            b.fails.cmp(&a.fails).then(b.errors.cmp(&a.errors)).then((&a.lab, &a.check).cmp(&(&b.lab, &b.check)))
        });
        ranked
    }
}

/// Records already in `results.jsonl` (a line cut short by a crash is ignored).
pub fn read_results(out_dir: &Path) -> BTreeMap<String, StudentRecord> {
    let Ok(text) = std::fs::read_to_string(out_dir.join(RESULTS_FILE)) else { return BTreeMap::new() };
    text.lines()
        .filter_map(|line| serde_json::from_str::<StudentRecord>(line).ok())
        .map(|r| (r.student.clone(), r))
        .collect()
}

/// The records in `results.jsonl`, one at a time, in file order (a line cut short by a
/// crash is passed over). Once a run is complete, its roster's students come first.
pub fn each_result(out_dir: &Path) -> std::io::Result<impl Iterator<Item = std::io::Result<StudentRecord>>> {
    let file = BufReader::new(File::open(out_dir.join(RESULTS_FILE))?);
    Ok(file.lines().filter_map(|line| match line {
        Ok(line) => serde_json::from_str(&line).ok().map(Ok),
        Err(e) => Some(Err(e)),
    }))
}

/// Where each student's record starts in `results.jsonl` (byte offset of the line): the
/// ids of the students graded, without holding their records. A later line for the same
/// student wins, as in [`read_results`]; no file is no students.
pub fn results_index(out_dir: &Path) -> std::io::Result<HashMap<String, u64>> {
    let mut index = HashMap::new();
    let mut file = match File::open(out_dir.join(RESULTS_FILE)) {
        Ok(file) => BufReader::new(file),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(index),
        Err(e) => return Err(e),
    };
    let (mut offset, mut line) = (0, String::new());
    loop {
        line.clear();
        let n = file.read_line(&mut line)?;
        if n == 0 {
            return Ok(index);
        }
        if let Ok(record) = serde_json::from_str::<StudentRecord>(&line) {
            index.insert(record.student, offset);
        }
        offset += n as u64;
    }
}

/// Replace `results.jsonl` with `records`, in their order: once a run is complete, its
/// file lists the students in roster order, whichever finished first (so that a run,
/// resumed or not, sharded and merged or not, writes the same bytes). Written beside
/// and renamed over, so a crash leaves the old file or the new one, never half of one.
pub fn write_results<R: Serialize>(
    out_dir: &Path,
    records: impl IntoIterator<Item = std::io::Result<R>>,
) -> std::io::Result<()> {
    let partial = out_dir.join(format!("{RESULTS_FILE}.partial"));
    let mut file = BufWriter::new(File::create(&partial)?);
    for record in records {
        serde_json::to_writer(&mut file, &record?).map_err(std::io::Error::other)?;
        file.write_all(b"\n")?;
    }
    file.into_inner().map_err(|e| e.into_error())?.sync_data()?;
    std::fs::rename(partial, out_dir.join(RESULTS_FILE))
}

/// Appends one line per record, flushed at once.
struct ResultsFile(Mutex<std::fs::File>);

impl ResultsFile {
    fn open(out_dir: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(out_dir)?;
        let mut file =
            std::fs::OpenOptions::new().create(true).read(true).append(true).open(out_dir.join(RESULTS_FILE))?;
        // A line cut short by a crash ends the file without its newline: end it, so the
        // next record starts a line of its own (the run reads the records back from here).
        if file.metadata()?.len() > 0 {
            let mut last = [0u8];
            file.seek(SeekFrom::End(-1))?;
            std::io::Read::read_exact(&mut file, &mut last)?;
            if last != *b"\n" {
                file.write_all(b"\n")?;
            }
        }
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

/// Grade every student not yet in `results.jsonl`, appending each result as it completes,
/// then rewrite the file in roster order. Returns how many of the roster's students it
/// holds: its first lines, which [`each_result`] reads back one at a time (no record is
/// kept in memory once it is on disk, so memory does not grow with the roster).
pub async fn grade_roster(
    base: &SdkConfig,
    students: &[Student],
    labs: &[&Lab],
    opts: &BatchOptions,
    on_event: &(dyn Fn(Event) + Sync),
) -> std::io::Result<usize> {
    let earlier = results_index(&opts.out_dir)?;
    let file = ResultsFile::open(&opts.out_dir)?;
    let todo: Vec<&Student> = students.iter().filter(|s| !earlier.contains_key(&s.id)).collect();
    let total = todo.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
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
        // The JUnit file first: a student in results.jsonl is never graded again, so a
        // run killed between the two must not leave that student without one.
        if let Some(results) = results {
            gradebook::write_junit(&opts.out_dir, &record.student, &results)?;
        }
        file.append(&record)?;
        let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        on_event(Event::Done { record: &record, done: n, total });
    }
    drop(file);
    // The file now holds every result, earlier and fresh, in the order they finished:
    // copy it in roster order, one record at a time, by where each one starts.
    let index = results_index(&opts.out_dir)?;
    let mut starts: Vec<u64> = students.iter().filter_map(|s| index.get(&s.id).copied()).collect();
    let on_roster = starts.len();
    // Results of students since taken off the roster stay in the file (after the
    // roster's, by id), though not in the gradebook.
    let roster_ids: HashSet<&str> = students.iter().map(|s| s.id.as_str()).collect();
    let mut gone: Vec<(&String, &u64)> = index.iter().filter(|(id, _)| !roster_ids.contains(id.as_str())).collect();
    gone.sort();
    starts.extend(gone.into_iter().map(|(_, start)| *start));
    let mut results = BufReader::new(File::open(opts.out_dir.join(RESULTS_FILE))?);
    write_results(&opts.out_dir, starts.into_iter().map(|start| read_at(&mut results, start)))?;
    Ok(on_roster)
}

/// The record whose line starts at `start`.
fn read_at(file: &mut BufReader<File>, start: u64) -> std::io::Result<StudentRecord> {
    file.seek(SeekFrom::Start(start))?;
    let mut line = String::new();
    file.read_line(&mut line)?;
    serde_json::from_str(&line).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A student's record keeps the params their roster row sets otherwise than the
    /// lab's defaults, and only those of the lab.
    #[test]
    fn a_record_keeps_the_params_a_student_sets_otherwise() {
        let loaded = crate::lab::load_labs(Path::new("labs"));
        let lab = loaded.find("monitoring-metric-filter-alarm").expect("the lab");
        let default = lab.param_values(&BTreeMap::new())["log_group"].as_str().expect("a default").to_string();
        let row = format!(
            "students:\n  - {{id: ana, account: '111122223333', role_arn: 'arn:aws:iam::111122223333:role/g', \
             params: {{log_group: /ana/app, not_a_param: x}}}}\n  - {{id: ben, account: '111122223334', \
             role_arn: 'arn:aws:iam::111122223334:role/g', params: {{log_group: '{default}'}}}}\n"
        );
        let students = roster::parse_roster(Path::new("roster.yaml"), &row, false).expect("a roster");
        assert!(students.problems.is_empty(), "{:?}", students.problems);
        let own: Vec<BTreeMap<String, String>> = students.students.iter().map(|s| own_params(lab, s)).collect();
        assert_eq!(own[0], BTreeMap::from([("log_group".to_string(), "/ana/app".to_string())]));
        assert!(own[1].is_empty(), "the default, set again, is no value of the student's own");
    }
}
