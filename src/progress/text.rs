//! `labcheck progress` in the terminal: this run's labs, the readiness figure, each
//! domain's standing and change, the trend, and the labs worth doing next.
//!
//! Styles are ANSI codes; the caller prints through `anstream`, which drops them when
//! stdout is not a terminal or NO_COLOR is set.

use super::{DISCLAIMER, PASSING, Run, Standing};
use crate::grade::Status;
use crate::report::human::{BOLD, DIM, status_style};
use std::fmt::Write;

/// How many runs the trend line shows.
const TREND_RUNS: usize = 8;

/// The report. `run` is this run's line of the history (none with `--from-history`).
pub fn render(standing: &Standing, run: Option<&Run>) -> String {
    let mut out = String::new();
    if let Some(run) = run {
        let _ = writeln!(out, "{BOLD}This run{BOLD:#} ({})", run.at);
        let width = run.labs.iter().map(|l| l.id.len()).max().unwrap_or(0);
        for lab in &run.labs {
            let status = if lab.errors > 0 {
                Status::Error
            } else if lab.passed {
                Status::Pass
            } else {
                Status::Fail
            };
            let style = status_style(status);
            let why = match status {
                Status::Pass => String::new(),
                Status::Error => format!(
                    "  {DIM}{} check(s) could not be read; `labcheck run {}` says why{DIM:#}",
                    lab.errors, lab.id
                ),
                _ => format!("  {DIM}`labcheck run {}` says what is missing{DIM:#}", lab.id),
            };
            let _ = writeln!(
                out,
                "  {style}{:<5}{style:#} {:<width$} {:>7}{why}",
                status.as_str(),
                lab.id,
                format!("{}/{}", lab.earned, lab.possible),
            );
        }
        out.push('\n');
    }

    let to_go = if standing.readiness >= PASSING {
        "at or above the 750 line".to_string()
    } else {
        format!("{} below the 750 line", PASSING - standing.readiness)
    };
    let _ = writeln!(out, "{BOLD}{} lab readiness: {} of 1000{BOLD:#} ({to_go})", standing.exam, standing.readiness);
    let _ = writeln!(out, "  {}\n", scale(standing.readiness));

    let name_width = standing.domains.iter().map(|d| d.id.len() + 1 + d.name.len()).max().unwrap_or(0);
    let _ =
        writeln!(out, "  {BOLD}{:<name_width$}  weight  labs passed   points  score  change{BOLD:#}", "exam domain");
    for d in &standing.domains {
        let change = match d.previous {
            Some(p) => signed_points(d.score() - p),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "  {:<name_width$}  {:>5}%  {:>4} of {:<3}  {:>3}/{:<4} {:>4}%  {change}",
            format!("{} {}", d.id, d.name),
            d.weight,
            d.passed(),
            d.labs.len(),
            d.earned(),
            d.possible(),
            (d.score() * 100.0).round(),
        );
    }
    out.push('\n');

    if let Some((first, _)) = standing.trend.first() {
        let shown: Vec<String> = standing
            .trend
            .iter()
            .skip(standing.trend.len().saturating_sub(TREND_RUNS))
            .map(|(_, r)| r.to_string())
            .collect();
        let runs = standing.trend.len();
        let plural = if runs == 1 { "" } else { "s" };
        let _ = writeln!(out, "{BOLD}Trend{BOLD:#} over {runs} run{plural} since {first}: {}", shown.join(" → "));
    }
    let next = standing.next_labs(3);
    if !next.is_empty() {
        let _ = writeln!(out, "{BOLD}Next{BOLD:#}: the labs that would raise the figure most");
        let width = next.iter().map(|(l, _)| l.id.len()).max().unwrap_or(0);
        for (lab, gain) in next {
            let done =
                if lab.graded { format!("{} of {} points", lab.earned, lab.possible) } else { "not graded yet".into() };
            let _ = writeln!(out, "  +{gain:<3} labcheck run {:<width$}  {DIM}{} · {done}{DIM:#}", lab.id, lab.title);
        }
    }
    let _ = writeln!(out, "\n{DIM}{DISCLAIMER}{DIM:#}");
    out
}

/// A bar from 100 to 1000 with the readiness filled and the 750 line marked.
fn scale(readiness: u32) -> String {
    const WIDTH: u32 = 36;
    let at = |figure: u32| ((figure.clamp(100, 1000) - 100) * WIDTH).div_ceil(900) as usize;
    let (filled, line) = (at(readiness), at(PASSING));
    let mut bar = String::new();
    for i in 0..WIDTH as usize {
        bar.push(if i == line {
            '|'
        } else if i < filled {
            '█'
        } else {
            '░'
        });
    }
    format!("100 {bar} 1000  {DIM}(| is 750){DIM:#}")
}

/// A change of score as signed percentage points ("+12", "−3"), nothing for none.
fn signed_points(delta: f64) -> String {
    let points = (delta * 100.0).round();
    if points == 0.0 {
        "·".into()
    } else if points > 0.0 {
        format!("+{points}")
    } else {
        format!("−{}", -points)
    }
}
