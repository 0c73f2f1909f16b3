//! Why a command could not do its job, and the exit code that tells a script so.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | every check passed (or the command did what it was asked) |
//! | 1 | some check failed or was skipped; `selftest`: some lab is broken |
//! | 2 | some check could not be run (ERROR), or bad input: a lab file, the command line, a roster, no Region |
//! | 130 | interrupted (Ctrl-C); `grade` keeps what it finished |

use std::path::PathBuf;

/// Exit codes, named.
pub mod exit {
    pub const PASSED: i32 = 0;
    pub const FAILED: i32 = 1;
    pub const ERROR: i32 = 2;
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something the user gave is wrong: an argument, a lab's name, a roster.
    #[error("{0}")]
    BadInput(String),
    /// Lab files have problems; they were printed as diagnostics already.
    #[error("fix the lab files first")]
    InvalidLabs,
    /// No AWS Region from the flags, the environment or the profile.
    #[error("no AWS Region: pass --region, set AWS_REGION, or set one in your profile")]
    NoRegion,
    /// A role could not be assumed.
    #[error("cannot assume {role}: {why}")]
    AssumeRole { role: String, why: String },
    /// Writing an output failed.
    #[error("writing to {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Ctrl-C; `resume` says what is kept and how to go on.
    #[error("interrupted: {resume}")]
    Interrupted { resume: String },
}

impl AppError {
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Interrupted { .. } => exit::INTERRUPTED,
            AppError::BadInput(_)
            | AppError::InvalidLabs
            | AppError::NoRegion
            | AppError::AssumeRole { .. }
            | AppError::Write { .. } => exit::ERROR,
        }
    }
}
