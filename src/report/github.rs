//! GitHub Actions output (`--format github`): workflow-command annotations for what does
//! not pass, and a Markdown job summary for `$GITHUB_STEP_SUMMARY`.
//!
//! GitHub shows at most 10 annotations of each level per step (and 50 per job) and drops
//! the rest without a word, so the worst come first (ERRORs, then FAILs by points) and one
//! notice says how many were left out. A step summary over 1 MiB is refused whole, so the
//! summary stops adding failures before that and says what it left out.

use super::{Report, percent};
use crate::batch::StudentRecord;
use crate::grade::{LabResult, Outcome, Status};
use crate::lab::Lab;
use std::fmt::Write as _;

/// Annotations of one level GitHub shows per step.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;

/// Bytes the summary may take (GitHub refuses a step summary over 1 MiB).
pub const SUMMARY_BUDGET: usize = 1_000_000;

/// The two parts: the workflow commands for the log, and the job summary.
pub struct Github {
    pub annotations: String,
    pub summary: String,
}

pub fn render(report: &Report) -> Github {
    Github { annotations: annotations(report, ANNOTATIONS_PER_LEVEL), summary: summary(report, SUMMARY_BUDGET) }
}

/// What does not pass, worst first: ERRORs (the account could not be read), then FAILs
/// by the points they cost, each in lab order. SKIPs follow from these and are left out.
fn not_passing<'a>(report: &'a Report) -> Vec<(&'a LabResult, &'a Outcome)> {
    let mut found: Vec<(&LabResult, &Outcome)> = report
        .results
        .iter()
        .flat_map(|r| r.outcomes.iter().map(move |o| (r, o)))
        .filter(|(_, o)| matches!(o.status, Status::Error | Status::Fail))
        .collect();
    found.sort_by_key(|(_, o)| (o.status != Status::Error, std::cmp::Reverse(o.points)));
    found
}

fn annotations(report: &Report, limit: usize) -> String {
    let mut out = String::new();
    let found = not_passing(report);
    for (result, o) in found.iter().take(limit) {
        let mut message = o.message.clone();
        if let Some(hint) = &o.hint {
            message.push_str("\nhint: ");
            message.push_str(hint);
        }
        if let Some(docs) = &o.docs {
            message.push_str("\ndocs: ");
            message.push_str(docs);
        }
        let title = format!("{} {}: {} ({})", o.status.as_str(), result.lab.id, o.id, o.title);
        command(&mut out, "error", &title, &message);
    }
    if found.len() > limit {
        let more = found.len() - limit;
        command(&mut out, "notice", "labcheck", &format!("{more} more checks do not pass: see the job summary"));
    }
    let (earned, possible) = (report.earned(), report.possible());
    let verdict =
        if found.is_empty() && report.count(Status::Skip) == 0 { "every check passes" } else { "not done yet" };
    let score = format!("{earned}/{possible} points ({}%): {verdict}", percent(earned, possible));
    command(&mut out, "notice", "labcheck", &score);
    out
}

/// One workflow command, its title and message escaped as GitHub's toolkit does.
fn command(out: &mut String, level: &str, title: &str, message: &str) {
    let _ = writeln!(out, "::{level} title={}::{}", property(title), data(message));
}

/// Escapes a workflow command's message.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Text from the account or a lab, safe inside Markdown (and a table cell): punctuation
/// Markdown or HTML would read is escaped, line breaks become spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A link when `url` is a plain https URL, else the text escaped.
fn link(text: &str, url: &str) -> String {
    let plain = url.starts_with("https://") && !url.contains(|c: char| c.is_whitespace() || "()<>[]\"'`".contains(c));
    if plain { format!("[{text}]({url})") } else { format!("{text}: {}", md(url)) }
}

fn summary(report: &Report, budget: usize) -> String {
    let mut out = String::new();
    let (earned, possible) = (report.earned(), report.possible());
    let _ = writeln!(out, "## labcheck: {earned}/{possible} points ({}%)\n", percent(earned, possible));
    let _ = writeln!(out, "| | lab | points | passed | failed | errored | skipped |");
    let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for r in report.results {
        let mark = if r.count(Status::Error) > 0 {
            "⚠️"
        } else if r.count(Status::Fail) + r.count(Status::Skip) > 0 {
            "❌"
        } else {
            "✅"
        };
        let _ = writeln!(
            out,
            "| {mark} | {} ({}) | {}/{} | {} | {} | {} | {} |",
            md(&r.lab.title),
            md(&r.lab.id),
            r.earned(),
            r.possible(),
            r.count(Status::Pass),
            r.count(Status::Fail),
            r.count(Status::Error),
            r.count(Status::Skip)
        );
    }
    let domains = report.domains();
    if !domains.is_empty() {
        let _ = writeln!(out, "\n### By exam domain\n\n| domain | points | % |\n| --- | ---: | ---: |");
        for d in &domains {
            let _ = writeln!(out, "| {} {} | {}/{} | {} |", d.id, md(&d.name), d.earned, d.possible, d.percent);
        }
    }
    let found = not_passing(report);
    if found.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n### What does not pass\n");
    let entries = found.iter().map(|(result, o)| {
        let mut entry =
            format!("- **{}** {} › {}: {}", o.status.as_str(), md(&result.lab.id), md(&o.title), md(&o.message));
        if let Some(hint) = &o.hint {
            let _ = write!(entry, "<br>hint: {}", md(hint));
        }
        if let Some(docs) = &o.docs {
            let _ = write!(entry, "<br>{}", link("docs", docs));
        }
        entry + "\n"
    });
    push_capped(&mut out, entries, found.len(), "", budget);
    out
}

/// Append `entries` (`total` of them) while the summary stays within `budget`, then one
/// line that says how many `what` were left out.
fn push_capped(out: &mut String, entries: impl Iterator<Item = String>, total: usize, what: &str, budget: usize) {
    // Room for the line that says what was left out.
    let budget = budget.saturating_sub(200);
    for (shown, entry) in entries.enumerate() {
        if out.len() + entry.len() > budget {
            let _ = writeln!(out, "\n…and {} more{what} (the summary is capped below GitHub's 1 MiB)", total - shown);
            return;
        }
        out.push_str(&entry);
    }
}

/// For `grade --format github`: an `::error` per student who could not be graded (worst
/// first, at most 10, then a notice of how many more), a notice with the class's figures,
/// and a summary: each lab's class average and full marks, the checks most students do
/// not pass, and a row per student, capped like the run summary.
pub fn render_class(labs: &[&Lab], records: &[StudentRecord]) -> Github {
    let mut annotations = String::new();
    let errored: Vec<&StudentRecord> = records.iter().filter(|r| r.error.is_some()).collect();
    for r in errored.iter().take(ANNOTATIONS_PER_LEVEL) {
        let title = format!("student {} ({}) could not be graded", r.student, r.account);
        command(&mut annotations, "error", &title, r.error.as_deref().unwrap_or_default());
    }
    if errored.len() > ANNOTATIONS_PER_LEVEL {
        let more = errored.len() - ANNOTATIONS_PER_LEVEL;
        command(
            &mut annotations,
            "notice",
            "labcheck",
            &format!("{more} more students could not be graded: see the job summary"),
        );
    }
    // Over the students graded: one who could not be is an error to fix, not a zero.
    let (earned, possible): (u32, u32) =
        records.iter().filter(|r| r.error.is_none()).fold((0, 0), |(e, p), r| (e + r.earned, p + r.possible));
    let full = records.iter().filter(|r| r.error.is_none() && r.earned == r.possible).count();
    let figures = format!(
        "{} students, class average {}%, {full} with full marks, {} could not be graded",
        records.len(),
        percent(earned, possible),
        errored.len()
    );
    command(&mut annotations, "notice", "labcheck", &figures);
    Github { annotations, summary: class_summary(labs, records, &figures, SUMMARY_BUDGET) }
}

fn class_summary(labs: &[&Lab], records: &[StudentRecord], figures: &str, budget: usize) -> String {
    let mut out =
        format!("## labcheck: {}\n\n| lab | class average | full marks |\n| --- | ---: | ---: |\n", md(figures));
    let graded: Vec<&StudentRecord> = records.iter().filter(|r| r.error.is_none()).collect();
    for lab in labs {
        let rows: Vec<_> = graded.iter().filter_map(|r| r.labs.iter().find(|l| l.id == lab.id)).collect();
        let (earned, possible) = rows.iter().fold((0, 0), |(e, p), l| (e + l.earned, p + l.possible));
        let full = rows.iter().filter(|l| l.earned == l.possible).count();
        let _ = writeln!(
            out,
            "| {} ({}) | {}% | {full} of {} |",
            md(&lab.title),
            md(&lab.id),
            percent(earned, possible),
            rows.len()
        );
    }
    let missed = crate::batch::most_missed(records);
    if !missed.is_empty() {
        let _ = writeln!(
            out,
            "\n### Checks the class misses most\n\n| lab | check | FAIL | ERROR |\n| --- | --- | ---: | ---: |"
        );
        for m in missed.iter().take(10) {
            let _ = writeln!(
                out,
                "| {} | {} | {} of {n} | {} of {n} |",
                md(&m.lab),
                md(&m.check),
                m.fails,
                m.errors,
                n = graded.len()
            );
        }
    }
    let _ = writeln!(out, "\n### Students\n\n| | student | account | points | % |\n| --- | --- | --- | ---: | ---: |");
    let rows = records.iter().map(|r| {
        let (mark, detail) = match &r.error {
            Some(error) => ("⚠️", format!(" {}", md(error))),
            None if r.earned == r.possible => ("✅", String::new()),
            None => ("❌", String::new()),
        };
        let (student, account) = (md(&r.student), md(&r.account));
        format!("| {mark}{detail} | {student} | {account} | {}/{} | {} |\n", r.earned, r.possible, r.percent)
    });
    push_capped(&mut out, rows, records.len(), " students", budget);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::made_up::graded;

    #[test]
    fn commands_are_escaped_as_the_toolkit_does() {
        assert_eq!(data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(property("a: b, c%"), "a%3A b%2C c%25");
        let mut out = String::new();
        command(&mut out, "error", "FAIL lab: check, again", "line one\nline two");
        assert_eq!(out, "::error title=FAIL lab%3A check%2C again::line one%0Aline two\n");
    }

    fn report_of(results: &[LabResult], run: impl FnOnce(&Report) -> String) -> String {
        let labs = crate::lab::load_labs(std::path::Path::new("labs"));
        let target = crate::target::TargetInfo::default();
        run(&Report { results, outline: labs.outline.as_ref(), target: &target })
    }

    fn two_labs() -> Vec<LabResult> {
        let mut monitoring = graded("monitoring-metric-filter-alarm", &[]);
        let ids: Vec<(String, Status)> = monitoring.outcomes.iter().map(|o| (o.id.clone(), Status::Pass)).collect();
        monitoring = graded("monitoring-metric-filter-alarm", &[(&ids[0].0, Status::Pass), (&ids[1].0, Status::Error)]);
        monitoring.outcomes[1].message = "logs:DescribeMetricFilters: access denied (AccessDeniedException)".into();
        monitoring.outcomes[2].message =
            "metric filter: filterPattern is \"error\"; expected to match `ERROR | <x>`".into();
        let pipeline = graded("sdlc-codepipeline-three-stage", &[]);
        let all_pass: Vec<(&str, Status)> = pipeline.outcomes.iter().map(|o| (o.id.as_str(), Status::Pass)).collect();
        let pipeline = graded("sdlc-codepipeline-three-stage", &all_pass);
        vec![monitoring, pipeline]
    }

    #[test]
    fn the_log_and_the_summary_read_well() {
        let results = two_labs();
        insta::assert_snapshot!("github_annotations", report_of(&results, |r| render(r).annotations));
        insta::assert_snapshot!("github_summary", report_of(&results, |r| render(r).summary));
    }

    #[test]
    fn errors_come_first_and_no_more_than_github_shows() {
        let ids = ["monitoring-metric-filter-alarm", "sdlc-codepipeline-three-stage", "resilience-backup-cross-region"];
        let results: Vec<LabResult> = ids.iter().map(|id| graded(id, &[])).collect();
        let failing: usize = results.iter().map(|r| r.count(Status::Fail)).sum();
        assert!(failing > ANNOTATIONS_PER_LEVEL, "enough failures to cap: {failing}");
        let log = report_of(&results, |r| annotations(r, ANNOTATIONS_PER_LEVEL));
        assert_eq!(log.lines().filter(|l| l.starts_with("::error ")).count(), ANNOTATIONS_PER_LEVEL);
        let more = format!("::notice title=labcheck::{} more checks do not pass: see the job summary", failing - 10);
        assert!(log.lines().any(|l| l == more), "{log}");

        let mut with_error = results.clone();
        with_error[2].outcomes[3].status = Status::Error;
        let log = report_of(&with_error, |r| annotations(r, ANNOTATIONS_PER_LEVEL));
        assert!(log.starts_with(&format!(
            "::error title=ERROR resilience-backup-cross-region%3A {}",
            with_error[2].outcomes[3].id
        )));
    }

    #[test]
    fn the_summary_stays_under_its_budget_and_says_what_it_left_out() {
        let results: Vec<LabResult> = ["monitoring-metric-filter-alarm", "sdlc-codepipeline-three-stage"]
            .iter()
            .map(|id| graded(id, &[]))
            .collect();
        let whole = report_of(&results, |r| summary(r, usize::MAX));
        let capped = report_of(&results, |r| summary(r, whole.len() - 100));
        assert!(capped.len() <= whole.len() - 100, "{} over {}", capped.len(), whole.len() - 100);
        assert!(capped.contains("more (the summary is capped below GitHub's 1 MiB)"), "{capped}");
        assert!(!whole.contains("capped"));
    }

    fn student(id: &str) -> crate::batch::roster::Student {
        crate::batch::roster::Student {
            id: id.into(),
            account: "111111111111".into(),
            role_arn: "arn:aws:iam::111111111111:role/grader".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_class_reads_well_and_errored_students_are_annotated() {
        let loaded = crate::lab::load_labs(std::path::Path::new("labs"));
        let lab = loaded.find("monitoring-metric-filter-alarm").unwrap();
        let everything: Vec<(&str, Status)> = lab.checks.iter().map(|c| (c.id.as_str(), Status::Pass)).collect();
        let first = lab.checks[0].id.as_str();
        let records = vec![
            StudentRecord::graded(&student("ada"), &[graded(&lab.id, &everything)], 5),
            StudentRecord::graded(&student("bob"), &[graded(&lab.id, &[(first, Status::Pass)])], 5),
            StudentRecord::failed(
                &student("eve|<b>"),
                &[lab],
                "cannot assume the role: AccessDenied, try again".into(),
            ),
        ];
        let github = render_class(&[lab], &records);
        insta::assert_snapshot!("github_class_annotations", github.annotations);
        insta::assert_snapshot!("github_class_summary", github.summary);

        let many: Vec<StudentRecord> =
            (0..25).map(|i| StudentRecord::failed(&student(&format!("s{i}")), &[lab], "denied".into())).collect();
        let log = render_class(&[lab], &many).annotations;
        assert_eq!(log.lines().filter(|l| l.starts_with("::error ")).count(), ANNOTATIONS_PER_LEVEL);
        assert!(log.contains("::notice title=labcheck::15 more students could not be graded"), "{log}");
        let whole = class_summary(&[lab], &many, "x", usize::MAX);
        let capped = class_summary(&[lab], &many, "x", whole.len() - 100);
        assert!(capped.len() <= whole.len() - 100 && capped.contains("more students (the summary is capped"));
    }

    #[test]
    fn markdown_from_the_account_stays_text() {
        assert_eq!(md("a|b <script> *x* [l](u)\nnext"), "a\\|b \\<script\\> \\*x\\* \\[l\\](u) next");
    }
}
