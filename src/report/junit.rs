//! `--format junit`: one test suite per lab, one test case per check, for CI dashboards.
//! FAIL is a <failure>, ERROR an <error>, SKIP <skipped>.

use super::Report;
use crate::grade::{Outcome, Status};
use quick_junit::{NonSuccessKind, Report as JUnit, TestCase, TestCaseStatus, TestSuite};

pub fn render(report: &Report) -> String {
    let mut junit = JUnit::new("labcheck");
    for result in report.results {
        let mut suite = TestSuite::new(result.lab.id.as_str());
        suite.add_property(("title", result.lab.title.as_str()));
        suite.add_property(("score", format!("{}/{}", result.earned(), result.possible()).as_str()));
        for outcome in &result.outcomes {
            let mut case = TestCase::new(outcome.id.as_str(), status(outcome));
            case.set_classname(result.lab.id.as_str());
            if outcome.status == Status::Pass {
                case.set_system_out(details(outcome));
            }
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit.to_string().expect("JUnit serializes")
}

fn status(o: &Outcome) -> TestCaseStatus {
    match o.status {
        Status::Pass => TestCaseStatus::success(),
        Status::Skip => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(o.message.as_str());
            s
        }
        Status::Fail | Status::Error => {
            let kind = if o.status == Status::Fail { NonSuccessKind::Failure } else { NonSuccessKind::Error };
            let mut s = TestCaseStatus::non_success(kind);
            s.set_message(o.message.as_str());
            s.set_type(o.cause.map(|c| format!("{c:?}")).unwrap_or_else(|| o.status.as_str().to_string()));
            s.set_description(details(o));
            s
        }
    }
}

fn details(o: &Outcome) -> String {
    let mut lines =
        vec![format!("{}: {} ({}/{} points)", o.status.as_str(), o.title, o.earned, o.points), o.message.clone()];
    for f in &o.failures {
        lines.push(format!("expected {} to {}; found {}", f.what, f.expected, crate::expect::show(&f.found)));
    }
    if let Some(hint) = &o.hint {
        lines.push(format!("hint: {hint}"));
    }
    if let Some(docs) = &o.docs {
        lines.push(format!("docs: {docs}"));
    }
    lines.join("\n")
}
