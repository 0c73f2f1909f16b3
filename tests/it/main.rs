//! labcheck's integration tests, in one binary: each test file would otherwise link the
//! 31 AWS SDK crates into a binary of its own.
//!
//! Tests that need the emulators return early, saying so, under a plain `cargo test`;
//! `bash tests/run.sh` starts the emulators and requires them.

mod common;

mod batch;
mod cli;
mod emulators;
mod explain;
mod faults;
mod hostile;
mod install;
mod policy_proof;
mod progress;
mod recorded;
mod watch;
