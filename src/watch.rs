//! `labcheck watch`: grade a lab in rounds until every check passes.
//!
//! What a round changed ([`changes`]), how long to wait before the next one
//! ([`Backoff`]) and how a change reads when the output is not a terminal
//! ([`render_changes`]). The loop itself (grading, redrawing, Ctrl-C) is in `app.rs`.

use crate::collect::Cause;
use crate::grade::{LabResult, Outcome, Status};
use std::fmt::Write as _;
use std::time::Duration;

/// One check whose verdict changed between two rounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub check: String,
    pub before: Status,
    pub after: Status,
    /// The new verdict's one-line reason.
    pub message: String,
}

/// The checks whose status differs between `before` and `now` (same lab), in lab order.
pub fn changes(before: &LabResult, now: &LabResult) -> Vec<Change> {
    now.outcomes
        .iter()
        .filter_map(|o| {
            let previous = before.outcomes.iter().find(|p| p.id == o.id)?;
            (previous.status != o.status).then(|| Change {
                check: o.id.clone(),
                before: previous.status,
                after: o.status,
                message: o.message.clone(),
            })
        })
        .collect()
}

/// Whether every check of the round passed.
pub fn all_pass(result: &LabResult) -> bool {
    result.outcomes.iter().all(|o| o.status == Status::Pass)
}

/// Whether the account refused calls for their rate: the next round should wait longer.
pub fn throttled(result: &LabResult) -> bool {
    result.outcomes.iter().any(|o: &Outcome| o.cause == Some(Cause::Throttled))
}

/// The wait between rounds: `interval` after a round that changed something, doubling
/// after each round that changed nothing or was throttled, up to `max`.
#[derive(Debug, Clone)]
pub struct Backoff {
    interval: Duration,
    max: Duration,
    current: Duration,
}

impl Backoff {
    /// Rounds every `interval`, backing off to at most 8 × `interval` (and never below
    /// `interval`).
    pub fn new(interval: Duration) -> Self {
        Backoff { interval, max: interval * 8, current: interval }
    }

    /// The wait before the next round, after a round that `changed` something or not,
    /// and was `throttled` or not.
    pub fn next(&mut self, changed: bool, throttled: bool) -> Duration {
        self.current = if throttled || !changed { (self.current * 2).min(self.max) } else { self.interval };
        self.current
    }
}

/// Lines for a round's changes when stdout is not a terminal: one per check, then a
/// count of what still does not pass.
pub fn render_changes(round: u32, changes: &[Change], result: &LabResult) -> String {
    let mut out = String::new();
    for c in changes {
        let _ =
            writeln!(out, "round {round}: {} {} -> {}: {}", c.check, c.before.as_str(), c.after.as_str(), c.message);
    }
    if !changes.is_empty() {
        let open = result.outcomes.iter().filter(|o| o.status != Status::Pass).count();
        let _ = match open {
            0 => writeln!(out, "round {round}: every check passes"),
            n => writeln!(out, "round {round}: {n} of {} checks do not pass yet", result.outcomes.len()),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graded(statuses: &[(&str, Status)]) -> LabResult {
        crate::grade::made_up::graded("monitoring-metric-filter-alarm", statuses)
    }

    #[test]
    fn only_checks_whose_status_changed_are_reported() {
        let ids: Vec<String> = graded(&[]).outcomes.iter().map(|o| o.id.clone()).collect();
        let before = graded(&[(&ids[0], Status::Pass)]);
        let now = graded(&[(&ids[0], Status::Pass), (&ids[1], Status::Pass)]);
        let found = changes(&before, &now);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].check.as_str(), found[0].before, found[0].after),
            (ids[1].as_str(), Status::Fail, Status::Pass)
        );
        assert!(changes(&now, &now).is_empty());
        let everything: Vec<(&str, Status)> = ids.iter().map(|id| (id.as_str(), Status::Pass)).collect();
        let done = graded(&everything);
        assert!(all_pass(&done) && !all_pass(&now));
        insta::assert_snapshot!(render_changes(3, &changes(&before, &now), &now));
        insta::assert_snapshot!("watch_last_round", render_changes(4, &changes(&now, &done), &done));
    }

    #[test]
    fn waits_grow_while_nothing_changes_and_reset_on_a_change() {
        let mut backoff = Backoff::new(Duration::from_secs(5));
        let waits: Vec<u64> = [false, false, false, false, true, false]
            .into_iter()
            .map(|changed| backoff.next(changed, false).as_secs())
            .collect();
        assert_eq!(waits, [10, 20, 40, 40, 5, 10]);
        assert_eq!(backoff.next(true, true).as_secs(), 20, "a throttled round backs off though something changed");
    }
}
