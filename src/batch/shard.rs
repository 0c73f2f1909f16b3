//! A class graded on several machines: `grade --shard I/N` grades a stable part of the
//! roster into a folder of its own, and [`merge`] joins the N folders into the gradebook
//! one machine grading the whole roster would have written, byte for byte.
//!
//! A student's shard depends on their id alone (a hash of it), so adding or removing a
//! student never moves the others, and a shard resumed with `--resume` keeps its own.

use super::{RESULTS_FILE, StudentRecord, read_results};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// The manifest a sharded run writes first into its folder: which part of which roster
/// it grades, so that `merge` can tell a missing or foreign shard from a complete one.
pub const MANIFEST_FILE: &str = "shard.json";
pub const MANIFEST_SCHEMA: &str = "labcheck.shard/v1";

/// Part `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a shard: write I/N, e.g. 2/4 for the second of four parts");
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) =
            (index.trim().parse().map_err(|_| bad())?, count.trim().parse().map_err(|_| bad())?);
        if count == 0 || index == 0 || index > count {
            return Err(format!("`{text}`: a shard is I/N with 1 <= I <= N"));
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the student with this id is graded in this shard.
    pub fn holds(&self, student: &str) -> bool {
        stable_hash(student) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// FNV-1a (64-bit) of the id's UTF-8 bytes: fixed by its definition, so the partition
/// is the same on every machine and in every version of labcheck.
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// What a shard's folder holds, besides its results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: String,
    pub shard: u32,
    pub of: u32,
    /// The labs graded, in order.
    pub labs: Vec<String>,
    /// Every student of the roster, in its order (the merged gradebook's order).
    pub roster: Vec<String>,
    /// The students of this shard.
    pub students: Vec<String>,
}

impl Manifest {
    pub fn new(shard: Shard, labs: Vec<String>, roster: Vec<String>) -> Self {
        let students = roster.iter().filter(|id| shard.holds(id)).cloned().collect();
        Manifest { schema: MANIFEST_SCHEMA.into(), shard: shard.index, of: shard.count, labs, roster, students }
    }

    /// Write it into `out_dir`; a folder that already holds another shard's is refused.
    pub fn write(&self, out_dir: &Path) -> Result<(), String> {
        let path = out_dir.join(MANIFEST_FILE);
        if let Ok(earlier) = read_manifest(out_dir) {
            if &earlier != self {
                return Err(format!(
                    "{} holds shard {}/{} of another run (other labs, roster or shard); choose another --out",
                    out_dir.display(),
                    earlier.shard,
                    earlier.of
                ));
            }
            return Ok(());
        }
        std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())? + "\n";
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

fn read_manifest(dir: &Path) -> Result<Manifest, String> {
    let path = dir.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: not a shard's folder ({MANIFEST_FILE}: {e}); grade with --shard I/N --out {}",
            dir.display(),
            dir.display()
        )
    })?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if manifest.schema != MANIFEST_SCHEMA {
        return Err(format!("{}: schema {} is not {MANIFEST_SCHEMA}", path.display(), manifest.schema));
    }
    Ok(manifest)
}

/// The shards' results joined, in roster order, with what the merged gradebook needs.
#[derive(Debug)]
pub struct Merged {
    pub labs: Vec<String>,
    pub records: Vec<StudentRecord>,
    /// Each student's JUnit file, where a shard wrote one.
    pub junit: Vec<PathBuf>,
}

/// Join the shard folders `dirs`: all N shards of one run, each complete. Refuses, naming
/// every problem at once: a folder that is no shard, shards of different runs, a shard
/// missing or given twice, a student graded in two folders or in none.
pub fn merge(dirs: &[PathBuf]) -> Result<Merged, Vec<String>> {
    let mut problems = Vec::new();
    let manifests: Vec<(&PathBuf, Manifest)> =
        dirs.iter().filter_map(|dir| read_manifest(dir).map_err(|e| problems.push(e)).ok().map(|m| (dir, m))).collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some((first_dir, first)) = manifests.first() else { return Err(vec!["name at least one shard folder".into()]) };
    for (dir, m) in &manifests[1..] {
        if (m.of, &m.labs, &m.roster) != (first.of, &first.labs, &first.roster) {
            problems.push(format!(
                "{} is shard {}/{} of another run than {} (shard {}/{}): the shards must grade the same labs and roster \
                 in as many parts",
                dir.display(),
                m.shard,
                m.of,
                first_dir.display(),
                first.shard,
                first.of
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut seen: BTreeMap<u32, &PathBuf> = BTreeMap::new();
    for (dir, m) in &manifests {
        if let Some(other) = seen.insert(m.shard, dir) {
            problems.push(format!(
                "shard {}/{} is given twice: {} and {}",
                m.shard,
                m.of,
                other.display(),
                dir.display()
            ));
        }
    }
    let absent: Vec<String> =
        (1..=first.of).filter(|i| !seen.contains_key(i)).map(|i| format!("{i}/{}", first.of)).collect();
    if !absent.is_empty() {
        problems.push(format!("shard {} is missing", absent.join(", ")));
    }
    let mut graded_in: BTreeMap<String, (&PathBuf, StudentRecord)> = BTreeMap::new();
    let mut junit = Vec::new();
    for (dir, m) in &manifests {
        let own: BTreeSet<&str> = m.students.iter().map(String::as_str).collect();
        let results = read_results(dir);
        for (student, record) in results {
            if !own.contains(student.as_str()) {
                problems.push(format!(
                    "{}: student {student} does not belong to shard {}/{}",
                    dir.display(),
                    m.shard,
                    m.of
                ));
                continue;
            }
            if let Some((other, _)) = graded_in.get(&student) {
                problems.push(format!(
                    "student {student} is graded twice: in {} and {}",
                    other.display(),
                    dir.display()
                ));
                continue;
            }
            let file = super::gradebook::junit_path(dir, &student);
            if file.exists() {
                junit.push(file);
            }
            graded_in.insert(student, (dir, record));
        }
        let missing: Vec<&str> =
            m.students.iter().filter(|s| !graded_in.contains_key(*s)).map(String::as_str).collect();
        if !missing.is_empty() {
            problems.push(format!(
                "{} (shard {}/{}) lacks {} of its {} students ({}): finish it with `labcheck grade … --shard {}/{} --out {} --resume`",
                dir.display(),
                m.shard,
                m.of,
                missing.len(),
                m.students.len(),
                preview(&missing),
                m.shard,
                m.of,
                dir.display()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let records = first.roster.iter().filter_map(|id| graded_in.remove(id).map(|(_, r)| r)).collect();
    Ok(Merged { labs: first.labs.clone(), records, junit })
}

/// The first few ids, and how many more.
fn preview(ids: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut text = ids.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", ");
    if ids.len() > SHOWN {
        text.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    text
}

/// Whether `out_dir` already holds results (a merge never overwrites a gradebook).
pub fn holds_results(out_dir: &Path) -> bool {
    out_dir.join(RESULTS_FILE).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_refuse_nonsense() {
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "2", "a/b", "-1/4"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_student_is_in_exactly_one_shard_and_stays_there() {
        let ids: Vec<String> = (0..1000).map(|i| format!("student-{i:04}")).collect();
        let shards: Vec<Shard> = (1..=4).map(|index| Shard { index, count: 4 }).collect();
        for id in &ids {
            assert_eq!(shards.iter().filter(|s| s.holds(id)).count(), 1, "{id}");
        }
        // Balanced enough to be worth sharding: each part within 20 % of a quarter.
        for shard in &shards {
            let n = ids.iter().filter(|id| shard.holds(id)).count();
            assert!((200..=300).contains(&n), "shard {shard} holds {n} of 1000");
        }
        // The partition is fixed by the algorithm: these never change between versions.
        assert_eq!(stable_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(stable_hash("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
