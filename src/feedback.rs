//! How much a report tells the graded (`--feedback`): a grader may keep the expected and
//! found values (and the hints) out of what students see. Applied to the results before
//! any report is written, so every format says the same.

use crate::grade::{LabResult, Status};

/// What a check that does not pass tells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Feedback {
    /// Everything: what was found, what was expected, the hint and the docs link.
    #[default]
    Full,
    /// Which checks do not pass, with their hints and docs links; not what was found or
    /// expected.
    Hints,
    /// Which checks do not pass, and nothing more.
    Minimal,
}

/// What a FAIL says when its details are held back.
pub const WITHHELD: &str = "not met yet (the grader keeps the details back)";

/// Hold back what `level` does not show. PASS, SKIP (it names the check it needs) and
/// ERROR (why the account could not be read) say nothing about the solution and stay.
pub fn apply(results: &mut [LabResult], level: Feedback) {
    if level == Feedback::Full {
        return;
    }
    for outcome in results.iter_mut().flat_map(|r| r.outcomes.iter_mut()) {
        if outcome.status == Status::Fail {
            outcome.message = WITHHELD.into();
            outcome.failures.clear();
            outcome.resource = None;
        }
        if level == Feedback::Minimal && outcome.status != Status::Pass {
            outcome.hint = None;
            outcome.docs = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::Finding;
    use crate::grade::made_up::graded;
    use crate::report::{Report, github, human, json, junit};

    const FOUND: &str = "found-value-7f3a";

    fn results() -> Vec<LabResult> {
        let mut result = graded("monitoring-metric-filter-alarm", &[]);
        let fail = &mut result.outcomes[0];
        fail.message = format!("filterPattern is \"{FOUND}\"; expected to match ERROR");
        fail.resource = Some("app-errors".into());
        fail.failures = vec![Finding {
            path: "filterPattern".into(),
            what: "filter pattern".into(),
            expected: "match ERROR".into(),
            found: FOUND.into(),
            ok: false,
        }];
        fail.hint = Some("hint-text-1c2d".into());
        fail.docs = Some("https://docs.aws.amazon.com/hint-docs".into());
        vec![result]
    }

    /// Every format, as one text.
    fn every_format(results: &[LabResult]) -> String {
        let target = crate::target::TargetInfo::default();
        let report = Report { results, outline: None, target: &target };
        let github = github::render(&report);
        [human::render(&report), json::render(&report), junit::render(&report), github.annotations, github.summary]
            .join("\n")
    }

    #[test]
    fn each_level_holds_back_what_it_says_in_every_format() {
        let full = every_format(&results());
        assert!(full.contains(FOUND) && full.contains("hint-text-1c2d") && full.contains("hint-docs"));

        let mut hints = results();
        apply(&mut hints, Feedback::Hints);
        let shown = every_format(&hints);
        assert!(!shown.contains(FOUND), "no found value: {shown}");
        assert!(shown.contains(WITHHELD) && shown.contains("hint-text-1c2d") && shown.contains("hint-docs"));

        let mut minimal = results();
        apply(&mut minimal, Feedback::Minimal);
        let shown = every_format(&minimal);
        assert!(!shown.contains(FOUND) && !shown.contains("hint-text-1c2d") && !shown.contains("hint-docs"), "{shown}");
        assert!(shown.contains(WITHHELD));
        // What passed, and the points, are the same at every level.
        assert_eq!(minimal[0].earned(), results()[0].earned());
    }
}
