//! labcheck: grade hands-on AWS labs by reading an account, never writing to it.
//!
//! The data flows one way: a lab file is loaded into a [`lab::Lab`]; [`grade`] runs its
//! checks through [`collect`]ors (the only code that calls AWS) and [`expect`] matchers;
//! a [`report`] formats the outcomes.

pub mod app;
pub mod aws_cli;
pub mod batch;
pub mod cli;
pub mod collect;
pub mod emulator;
pub mod error;
pub mod expect;
pub mod explain;
pub mod feedback;
pub mod grade;
pub mod lab;
pub mod paths;
pub mod policy;
pub mod policy_eval;
pub mod progress;
pub mod report;
pub mod selftest;
pub mod shell;
pub mod state_machine;
pub mod target;
pub mod watch;
