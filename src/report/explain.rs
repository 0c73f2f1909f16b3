//! `labcheck explain` on a terminal: the verdict, what the check reads, what it found,
//! and each expectation PASS or FAIL. Styled like the run report (plain when piped).

use super::human::{BOLD, DIM, status_style, write_target};
use crate::expect::show;
use crate::explain::{Candidate, Explanation};
use crate::grade::Status;
use crate::target::TargetInfo;
use std::fmt::Write;

/// At most this many other candidates are listed by name.
const OTHERS_SHOWN: usize = 20;

pub fn render(e: &Explanation, target: &TargetInfo) -> String {
    let mut out = String::new();
    let o = &e.outcome;
    let _ = writeln!(out, "{BOLD}{} · {}{BOLD:#}", e.lab, o.id);
    let _ = writeln!(out, "{}", o.title);
    let style = status_style(o.status);
    let _ = writeln!(out, "  {style}{}{style:#}  {}/{}  {}", o.status.as_str(), o.earned, o.points, o.message);
    if let Some(cause) = e.graded.cause {
        let cause = serde_json::to_value(cause).unwrap_or_default();
        let _ = writeln!(out, "  {DIM}cause: {}{DIM:#}", cause.as_str().unwrap_or("?"));
    }
    write_reads(&mut out, e);
    write_found(&mut out, e);
    if let Some(note) = &e.note {
        let _ = writeln!(out, "\n{BOLD}note:{BOLD:#} {note}");
    }
    // As in the run report: the hint unless it passed, the docs on a FAIL.
    let docs = o.docs.as_ref().filter(|_| o.status == Status::Fail);
    if o.hint.is_some() || docs.is_some() {
        out.push('\n');
        if let Some(hint) = &o.hint {
            let _ = writeln!(out, "{BOLD}hint:{BOLD:#} {hint}");
        }
        if let Some(docs) = docs {
            let _ = writeln!(out, "{BOLD}docs:{BOLD:#} {docs}");
        }
    }
    out.push('\n');
    write_target(&mut out, target);
    out
}

fn write_reads(out: &mut String, e: &Explanation) {
    let r = &e.reads;
    let _ = writeln!(out, "\n{BOLD}Reads{BOLD:#} {}  {DIM}{}{DIM:#}", r.kind, r.description);
    let _ = writeln!(out, "  calls    {}", r.operations.join(", "));
    // Samples are listed with their verdicts below; here only how many.
    let select: Vec<String> = r
        .select
        .iter()
        .map(|(k, v)| match v.as_array() {
            Some(samples) if !e.samples.is_empty() => format!("{k} = {} samples", samples.len()),
            _ => format!("{k} = {}", show(v)),
        })
        .collect();
    let select = if select.is_empty() { "every one in the Region".to_string() } else { select.join(", ") };
    let matching = match r.match_mode {
        crate::lab::MatchMode::Any => String::new(),
        crate::lab::MatchMode::All => format!("  {DIM}(every one must meet every expectation){DIM:#}"),
    };
    let _ = writeln!(out, "  select   {select}{matching}");
    for command in &r.aws_cli.commands {
        let _ = writeln!(out, "  try      {command}");
    }
    if let Some(note) = &r.aws_cli.note {
        let _ = writeln!(out, "           {DIM}labcheck's fact: {note}{DIM:#}");
    }
    for placeholder in &r.aws_cli.placeholders {
        let _ = writeln!(out, "           {DIM}{placeholder}{DIM:#}");
    }
    for left_out in &r.aws_cli.not_in_query {
        let _ = writeln!(out, "           {DIM}not in --query: {left_out}{DIM:#}");
    }
    if !e.variables.is_empty() {
        let _ = writeln!(out, "\n{BOLD}Uses{BOLD:#}");
        for v in &e.variables {
            let value = if v.value.is_null() { "nothing yet".to_string() } else { show(&v.value) };
            let _ = writeln!(out, "  {} = {value}  {DIM}({}){DIM:#}", v.name, v.from);
        }
    }
    if !e.needs.is_empty() {
        let _ = writeln!(out, "\n{BOLD}Needs{BOLD:#}");
        for n in &e.needs {
            let style = status_style(n.status);
            let _ = writeln!(out, "  {style}{:<5}{style:#} {}  {DIM}{}{DIM:#}", n.status.as_str(), n.check, n.message);
        }
    }
}

fn write_found(out: &mut String, e: &Explanation) {
    if matches!(e.outcome.status, Status::Skip | Status::Error) {
        return;
    }
    let Some(about) = e.resources.iter().find(|c| c.verdict) else {
        let _ = writeln!(out, "\n{BOLD}Found{BOLD:#} nothing");
        return;
    };
    let count = e.resources.len();
    let which = match count {
        1 => format!("1 {}: {}", e.reads.kind, about.id),
        n => {
            let why = match (e.outcome.status, e.reads.match_mode) {
                (Status::Pass, _) => "",
                (_, crate::lab::MatchMode::Any) => ", the closest",
                (_, crate::lab::MatchMode::All) => ", the first that falls short",
            };
            format!("{n} {}; the verdict is about {}{why}", e.reads.kind, about.id)
        }
    };
    let shown = if e.full { "the whole fact" } else { "the values the check looks at" };
    let _ = writeln!(out, "\n{BOLD}Found{BOLD:#} {which}  {DIM}({shown}){DIM:#}");
    let facts = serde_json::to_string_pretty(&about.facts).unwrap_or_default();
    for line in facts.lines() {
        let _ = writeln!(out, "  {line}");
    }
    if !about.expectations.is_empty() {
        let _ = writeln!(out, "\n{BOLD}Expectations{BOLD:#} on {}", about.id);
        for f in &about.expectations {
            let style = status_style(if f.ok { Status::Pass } else { Status::Fail });
            let verdict = if f.ok { "PASS" } else { "FAIL" };
            let _ = writeln!(
                out,
                "  {style}{verdict}{style:#}  {} is {}; expected to {}",
                f.what,
                show(&f.found),
                f.expected
            );
        }
    }
    write_samples(out, e);
    write_policy_questions(out, e);
    if !e.captured.is_empty() {
        let _ = writeln!(out, "\n{BOLD}Captured{BOLD:#} for the checks that need it");
        for (name, value) in &e.captured {
            let _ = writeln!(out, "  {name} = {}", show(value));
        }
    }
    let others: Vec<&Candidate> = e.resources.iter().filter(|c| !c.verdict).collect();
    if !others.is_empty() {
        let _ = writeln!(out, "\n{BOLD}Other candidates{BOLD:#} ({})", others.len());
        for c in others.iter().take(OTHERS_SHOWN) {
            let met = c.expectations.iter().filter(|f| f.ok).count();
            let _ = writeln!(out, "  {}  {DIM}{met}/{} expectations met{DIM:#}", c.id, c.expectations.len());
        }
        if others.len() > OTHERS_SHOWN {
            let _ =
                writeln!(out, "  {DIM}and {} more (--format json lists them all){DIM:#}", others.len() - OTHERS_SHOWN);
        }
    }
}

fn write_samples(out: &mut String, e: &Explanation) {
    if e.samples.is_empty() {
        return;
    }
    let must = e.samples.iter().filter(|s| s.must_match).count();
    let _ = writeln!(
        out,
        "\n{BOLD}Samples{BOLD:#}: the pattern must match {must} and must not match {}",
        e.samples.len() - must
    );
    for s in &e.samples {
        let style = status_style(if s.ok { Status::Pass } else { Status::Fail });
        let verdict = if s.ok { "PASS" } else { "FAIL" };
        let rule = if s.must_match { "must match    " } else { "must not match" };
        let did = if s.matched { "matched    " } else { "not matched" };
        let _ = writeln!(out, "  {style}{verdict}{style:#}  {rule}  {did}  {}", show(&s.sample));
    }
}

fn write_policy_questions(out: &mut String, e: &Explanation) {
    let mut previous: Option<&serde_json::Value> = None;
    for q in &e.policy_questions {
        let _ = writeln!(out, "\n{BOLD}Policy question{BOLD:#} (expectation {}): {}", q.expectation, q.what);
        let _ = writeln!(out, "  asks     {} {}", q.function, q.question);
        let _ = writeln!(out, "  answer   {}", show(&q.answer));
        if previous == Some(&q.policies) {
            let _ = writeln!(out, "  of       the same policies as above");
        } else {
            let policies = serde_json::to_string_pretty(&q.policies).unwrap_or_default();
            let mut lines = policies.lines();
            let _ = writeln!(out, "  of       {}", lines.next().unwrap_or_default());
            for line in lines {
                let _ = writeln!(out, "           {line}");
            }
        }
        previous = Some(&q.policies);
    }
}
