//! The terminal report: what passed, what failed and why, and how to fix it.
//!
//! Styles are written as ANSI codes; the caller prints through `anstream`, which drops
//! them when stdout is not a terminal or NO_COLOR is set.

use super::{Report, percent};
use crate::expect::show;
use crate::grade::{Outcome, Status};
use anstyle::{AnsiColor, Style};
use std::fmt::Write;

pub(crate) const BOLD: Style = Style::new().bold();
pub(crate) const DIM: Style = Style::new().dimmed();

pub(crate) fn status_style(s: Status) -> Style {
    let color = match s {
        Status::Pass => AnsiColor::Green,
        Status::Fail => AnsiColor::Red,
        Status::Error => AnsiColor::Magenta,
        Status::Skip => AnsiColor::Yellow,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for result in report.results {
        let lab = &result.lab;
        let tasks = if lab.tasks.is_empty() { String::new() } else { format!("  (DOP-C02 {})", lab.tasks.join(", ")) };
        let _ = writeln!(out, "{BOLD}{}{BOLD:#} · {}{DIM}{tasks}{DIM:#}", lab.id, lab.title);
        let width = result.outcomes.iter().map(|o| o.id.len()).max().unwrap_or(0);
        for o in &result.outcomes {
            write_outcome(&mut out, o, width);
        }
        let _ = writeln!(
            out,
            "  {BOLD}Score{BOLD:#} {}/{} ({}%) · {}\n",
            result.earned(),
            result.possible(),
            percent(result.earned(), result.possible()),
            counts(&[
                (result.count(Status::Pass), "passed"),
                (result.count(Status::Fail), "failed"),
                (result.count(Status::Error), "errored"),
                (result.count(Status::Skip), "skipped"),
            ])
        );
    }
    let domains = report.domains();
    if report.results.len() > 1 || !domains.is_empty() {
        let _ = writeln!(out, "{BOLD}By exam domain{BOLD:#}");
        for d in &domains {
            let _ = writeln!(out, "  {} {:<40} {:>4}/{:<4} {:>5}%", d.id, d.name, d.earned, d.possible, d.percent);
        }
        if report.results.len() > 1 {
            let _ = writeln!(
                out,
                "  {BOLD}Total{BOLD:#} {}/{} ({}%)",
                report.earned(),
                report.possible(),
                percent(report.earned(), report.possible())
            );
        }
        out.push('\n');
    }
    write_target(&mut out, report.target);
    out
}

/// The account graded: `Graded: profile … · region … · endpoint …`, when any is known.
pub(super) fn write_target(out: &mut String, t: &crate::target::TargetInfo) {
    let mut target = Vec::new();
    if let Some(p) = &t.profile {
        target.push(format!("profile {p}"));
    }
    if let Some(r) = &t.region {
        target.push(format!("region {r}"));
    }
    if let Some(e) = &t.endpoint {
        target.push(format!("endpoint {e}"));
    }
    if !target.is_empty() {
        let _ = writeln!(out, "{DIM}Graded: {}{DIM:#}", target.join(" · "));
    }
}

fn counts(parts: &[(usize, &str)]) -> String {
    let shown: Vec<String> = parts.iter().filter(|(n, _)| *n > 0).map(|(n, w)| format!("{n} {w}")).collect();
    if shown.is_empty() { "no checks".into() } else { shown.join(", ") }
}

fn write_outcome(out: &mut String, o: &Outcome, width: usize) {
    let style = status_style(o.status);
    let _ = writeln!(
        out,
        "  {style}{:<5}{style:#} {:<width$}  {}  {DIM}{}/{}{DIM:#}",
        o.status.as_str(),
        o.id,
        o.title,
        o.earned,
        o.points
    );
    if o.status == Status::Pass {
        return;
    }
    let pad = " ".repeat(8);
    let _ = writeln!(out, "{pad}{}", o.message);
    for f in o.failures.iter().skip(1) {
        let _ = writeln!(out, "{pad}also: {} is {}; expected to {}", f.what, show(&f.found), f.expected);
    }
    if let Some(hint) = &o.hint {
        let _ = writeln!(out, "{pad}{BOLD}hint:{BOLD:#} {hint}");
    }
    if o.status == Status::Fail
        && let Some(docs) = &o.docs
    {
        let _ = writeln!(out, "{pad}{BOLD}docs:{BOLD:#} {docs}");
    }
}
