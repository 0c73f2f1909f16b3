//! The progress history: one JSON line per graded run, appended.
//!
//! A run is written with one append and flushed to disk before `progress` reports it. A
//! crash mid-write can leave at most a last line cut short; reading skips any line that
//! is not a whole run (and says so), and the next append starts on a line of its own,
//! so every run before it is kept.

use super::{Run, SCHEMA};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Where the history lives when `--history` does not say: `progress.jsonl` in
/// labcheck's data folder (`$XDG_DATA_HOME/labcheck`, `~/.local/share/labcheck`, or
/// `%LOCALAPPDATA%\labcheck`).
pub fn default_path() -> Option<PathBuf> {
    crate::lab::data_dir().map(|d| d.join("progress.jsonl"))
}

/// The history read: its runs (oldest first) and the lines that were not runs.
#[derive(Debug, Default)]
pub struct History {
    pub runs: Vec<Run>,
    /// 1-based line numbers of lines skipped, with why.
    pub skipped: Vec<(usize, String)>,
}

/// Read the history at `path`; a missing file is an empty history.
pub fn load(path: &Path) -> std::io::Result<History> {
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
        Err(e) => return Err(e),
    };
    let mut history = History::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Run>(line) {
            Ok(run) if run.schema == SCHEMA => history.runs.push(run),
            Ok(run) => history.skipped.push((i + 1, format!("schema {:?}, not {SCHEMA}", run.schema))),
            Err(e) => history.skipped.push((i + 1, format!("not a whole run ({e}); a write cut off?"))),
        }
    }
    Ok(history)
}

/// Append `run` to the history at `path` (creating it and its folder), on disk when
/// this returns.
pub fn append(path: &Path, run: &Run) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut line = serde_json::to_string(run).map_err(std::io::Error::other)?;
    line.push('\n');
    let mut file = std::fs::OpenOptions::new().create(true).read(true).append(true).open(path)?;
    // A line cut short by an earlier crash has no newline: start after it.
    if file.metadata()?.len() > 0 {
        let mut last = [0u8; 1];
        file.seek(SeekFrom::End(-1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            line.insert(0, '\n');
        }
    }
    // One write of the whole line: appends from two runs at once do not interleave.
    file.write_all(line.as_bytes())?;
    file.sync_data()
}
