//! What a shell command line does when a command in it fails: whether the line's exit
//! status still says so. A CodeBuild phase fails when one of its commands exits
//! non-zero, so a test command whose failure the line hides (`pytest || true`,
//! `pytest; echo done`, `pytest | tee out.log`, `if pytest; then ...; else echo; fi`)
//! turns failing tests into a green build.
//!
//! The line is parsed as bash parses it (brush-parser), then its exit status is followed
//! the way POSIX sh defines it: a list's status is its last command's, `&&`/`||` run the
//! next pipeline on success/failure, a pipeline's status is its last command's (any
//! command's under `set -o pipefail`), `set -e` exits at a failure outside a condition,
//! `exit` ends the line (a subshell only), `!` inverts. Commands other than the ones
//! asked about, `true`, `false`, `:`, `exit`, `set` and `X=$?` are taken to succeed.
//! Loops and `case`, whose runs depend on data, give no answer.

use brush_parser::ast::{
    AndOr, AndOrList, AssignmentName, AssignmentValue, Command, CommandPrefixOrSuffixItem, CompoundCommand,
    CompoundList, Pipeline, SeparatorOperator, SimpleCommand,
};
use std::collections::HashMap;

/// Whether `line` fails when any one command in it that `is_target` picks (asked of the
/// command's words, unquoted and joined by single spaces) fails and the others succeed:
/// `Some(true)` when the line's exit status is a failure each time, `Some(false)` when
/// one such failure ends in success, `None` when no command is picked, the line does not
/// parse, or its status depends on what it cannot know.
pub fn fails_when(line: &str, is_target: &dyn Fn(&str) -> bool) -> Option<bool> {
    let mut parser = brush_parser::Parser::new(std::io::Cursor::new(line), &brush_parser::ParserOptions::default());
    let program = parser.parse_program().ok()?;
    let mut answer = None;
    // Each target command in turn is the one that fails; bounded by the targets one run meets.
    for failing in 0.. {
        let mut shell = Shell {
            is_target,
            failing,
            met: 0,
            errexit: false,
            pipefail: false,
            in_condition: false,
            vars: HashMap::new(),
        };
        let mut status = Status::Succeeded;
        for list in &program.complete_commands {
            match shell.list(list, status) {
                Flow::Exit(end) => {
                    status = end;
                    break;
                }
                Flow::Next(end) => status = end,
            }
        }
        if shell.met <= failing {
            return answer;
        }
        match status {
            Status::Failed => answer = Some(true),
            Status::Succeeded => return Some(false),
            Status::Unknown => return None,
        }
    }
    answer
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Succeeded,
    Failed,
    Unknown,
}

impl Status {
    fn inverted(self) -> Status {
        match self {
            Status::Succeeded => Status::Failed,
            Status::Failed => Status::Succeeded,
            Status::Unknown => Status::Unknown,
        }
    }

    fn from_code(code: &str) -> Status {
        match code.parse::<i64>() {
            Ok(0) => Status::Succeeded,
            Ok(_) => Status::Failed,
            Err(_) => Status::Unknown,
        }
    }
}

/// What running a piece of the line leads to: the next command, with this status, or
/// the end of the (sub)shell.
#[derive(Debug, Clone, Copy)]
enum Flow {
    Next(Status),
    Exit(Status),
}

impl Flow {
    fn status(self) -> Status {
        match self {
            Flow::Next(status) | Flow::Exit(status) => status,
        }
    }
}

struct Shell<'a> {
    is_target: &'a dyn Fn(&str) -> bool,
    /// Which target command fails (in the order they run); the others succeed.
    failing: usize,
    /// Target commands run so far.
    met: usize,
    errexit: bool,
    pipefail: bool,
    /// Inside an `if` or `elif` condition, at any depth, where `set -e` does not apply.
    in_condition: bool,
    /// Variables that hold an exit status (`rc=$?`).
    vars: HashMap<String, Status>,
}

impl Shell<'_> {
    /// A list (`a; b & c`), after a command that ended with `last`.
    fn list(&mut self, list: &CompoundList, mut last: Status) -> Flow {
        for item in &list.0 {
            let flow = self.and_or(&item.0, last);
            if let Flow::Exit(_) = flow {
                return flow;
            }
            // A background job leaves `$?` at 0.
            last = if matches!(item.1, SeparatorOperator::Async) { Status::Succeeded } else { flow.status() };
        }
        Flow::Next(last)
    }

    /// `a && b || c`.
    fn and_or(&mut self, list: &AndOrList, last: Status) -> Flow {
        let rest: Vec<(bool, &Pipeline)> = list
            .additional
            .iter()
            .map(|next| match next {
                AndOr::And(pipeline) => (true, pipeline),
                AndOr::Or(pipeline) => (false, pipeline),
            })
            .collect();
        let mut flow = self.pipeline(&list.first, last);
        let mut ran_last = rest.is_empty();
        let mut negated = list.first.bang;
        for (index, (on_success, pipeline)) in rest.iter().enumerate() {
            if let Flow::Exit(_) = flow {
                return flow;
            }
            let status = flow.status();
            let runs = match (status, on_success) {
                (Status::Unknown, _) => return Flow::Next(Status::Unknown),
                (Status::Succeeded, true) | (Status::Failed, false) => true,
                _ => false,
            };
            if runs {
                flow = self.pipeline(pipeline, status);
                ran_last = index + 1 == rest.len();
                negated = pipeline.bang;
            }
        }
        match flow {
            Flow::Next(Status::Failed) if self.errexit && ran_last && !negated && !self.in_condition => {
                Flow::Exit(Status::Failed)
            }
            flow => flow,
        }
    }

    /// `a | b`: its last command's status, or a failure of any under `pipefail`; `!`
    /// inverts it. Each command of a longer pipeline runs in a subshell.
    fn pipeline(&mut self, pipeline: &Pipeline, last: Status) -> Flow {
        let alone = pipeline.seq.len() == 1;
        let mut statuses = Vec::new();
        for command in &pipeline.seq {
            let flow = self.command(command, last);
            if alone && let Flow::Exit(_) = flow {
                return if pipeline.bang { Flow::Exit(flow.status()) } else { flow };
            }
            statuses.push(flow.status());
        }
        let mut status = *statuses.last().unwrap_or(&Status::Succeeded);
        if self.pipefail {
            if statuses.contains(&Status::Failed) {
                status = Status::Failed;
            } else if statuses.contains(&Status::Unknown) {
                status = Status::Unknown;
            }
        }
        Flow::Next(if pipeline.bang { status.inverted() } else { status })
    }

    fn command(&mut self, command: &Command, last: Status) -> Flow {
        match command {
            Command::Simple(simple) => self.simple(simple, last),
            Command::Compound(CompoundCommand::BraceGroup(group), _) => self.list(&group.list, last),
            Command::Compound(CompoundCommand::Subshell(subshell), _) => {
                let (errexit, pipefail) = (self.errexit, self.pipefail);
                let flow = self.list(&subshell.list, last);
                (self.errexit, self.pipefail) = (errexit, pipefail);
                Flow::Next(flow.status())
            }
            Command::Compound(CompoundCommand::IfClause(clause), _) => {
                let mut branches = vec![(Some(&clause.condition), &clause.then)];
                for other in clause.elses.iter().flatten() {
                    branches.push((other.condition.as_ref(), &other.body));
                }
                for (condition, body) in branches {
                    let Some(condition) = condition else { return self.list(body, last) };
                    match self.condition(condition, last) {
                        Flow::Exit(status) => return Flow::Exit(status),
                        Flow::Next(Status::Succeeded) => return self.list(body, Status::Succeeded),
                        Flow::Next(Status::Failed) => continue,
                        Flow::Next(Status::Unknown) => return Flow::Next(Status::Unknown),
                    }
                }
                // No branch taken: an `if` without a matching branch succeeds.
                Flow::Next(Status::Succeeded)
            }
            Command::Function(_) => Flow::Next(Status::Succeeded),
            _ => Flow::Next(Status::Unknown),
        }
    }

    /// An `if` or `elif` condition: a list in which `set -e` does not apply.
    fn condition(&mut self, list: &CompoundList, last: Status) -> Flow {
        let outer = std::mem::replace(&mut self.in_condition, true);
        let flow = self.list(list, last);
        self.in_condition = outer;
        flow
    }

    fn simple(&mut self, command: &SimpleCommand, last: Status) -> Flow {
        let words: Vec<String> = command
            .word_or_name
            .iter()
            .chain(command.suffix.iter().flat_map(|suffix| suffix.0.iter()).filter_map(|item| match item {
                CommandPrefixOrSuffixItem::Word(word) => Some(word),
                _ => None,
            }))
            .map(|word| brush_parser::unquote_str(&word.value))
            .collect();
        if words.is_empty() {
            // Only assignments: `rc=$?` keeps the status; the command itself succeeds.
            for item in command.prefix.iter().flat_map(|prefix| prefix.0.iter()) {
                if let CommandPrefixOrSuffixItem::AssignmentWord(assignment, _) = item
                    && let (AssignmentName::VariableName(name), AssignmentValue::Scalar(value)) =
                        (&assignment.name, &assignment.value)
                {
                    let kept = if brush_parser::unquote_str(&value.value) == "$?" { last } else { Status::Unknown };
                    self.vars.insert(name.clone(), kept);
                }
            }
            return Flow::Next(Status::Succeeded);
        }
        if (self.is_target)(&words.join(" ")) {
            self.met += 1;
            let fails = self.met - 1 == self.failing;
            return Flow::Next(if fails { Status::Failed } else { Status::Succeeded });
        }
        let args = &words[1..];
        match words[0].as_str() {
            "true" | ":" => Flow::Next(Status::Succeeded),
            "false" => Flow::Next(Status::Failed),
            "exit" => Flow::Exit(match args.first() {
                None => last,
                Some(code) => self.status_of(code, last),
            }),
            "set" => {
                self.set(args);
                Flow::Next(Status::Succeeded)
            }
            _ => Flow::Next(Status::Succeeded),
        }
    }

    /// An exit code as written: a number, `$?`, or a variable that kept one.
    fn status_of(&self, code: &str, last: Status) -> Status {
        if code == "$?" {
            return last;
        }
        let name = code.trim_start_matches('$').trim_start_matches('{').trim_end_matches('}');
        if code.starts_with('$') {
            return self.vars.get(name).copied().unwrap_or(Status::Unknown);
        }
        Status::from_code(code)
    }

    /// `set -e`, `set -o pipefail`, `set -eo pipefail`, `set +e`...
    fn set(&mut self, args: &[String]) {
        let mut args = args.iter().peekable();
        while let Some(arg) = args.next() {
            let (on, flags) = match arg.strip_prefix('-') {
                Some(flags) => (true, flags),
                None => match arg.strip_prefix('+') {
                    Some(flags) => (false, flags),
                    None => continue,
                },
            };
            for flag in flags.chars() {
                match flag {
                    'e' => self.errexit = on,
                    'o' => match args.next().map(String::as_str) {
                        Some("errexit") => self.errexit = on,
                        Some("pipefail") => self.pipefail = on,
                        _ => {}
                    },
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fails_when;

    fn pytest(line: &str) -> Option<bool> {
        let runner = regex_lite::Regex::new(r"^(python3? -m |coverage run -m )?(pytest|py\.test)( |$)").unwrap();
        fails_when(line, &|command| runner.is_match(command))
    }

    #[test]
    fn a_failure_that_decides_the_line() {
        for line in [
            "pytest",
            "python -m pytest tests --junitxml=reports/junit.xml",
            "cd tests && pytest",
            "pytest && echo passed",
            "pytest || exit 1",
            "pytest || (echo 'tests failed'; exit 1)",
            "pytest || { echo 'tests failed'; exit 1; }",
            "set -o pipefail; pytest | tee report.txt",
            "set -eo pipefail\npytest | tee report.txt\necho done",
            "set -e; pytest; echo done",
            "pytest; rc=$?; echo done; exit $rc",
            "if ! pytest; then exit 1; fi",
            "mkdir -p reports || true; pytest",
            "pip install pytest && pytest",
            "pytest tests/unit && pytest tests/integration",
        ] {
            assert_eq!(pytest(line), Some(true), "{line}");
        }
    }

    #[test]
    fn a_failure_that_the_line_hides() {
        for line in [
            "pytest || true",
            "pytest || :",
            "pytest||true",
            "pytest || echo 'some tests failed'",
            "pytest || exit 0",
            "pytest; true",
            "pytest ; echo done",
            "pytest | tee report.txt",
            "pytest\necho done",
            "if pytest; then echo passed; else echo failed; fi",
            // `set -e` does not apply anywhere inside a condition, grouped or not.
            "set -e; if { pytest; }; then echo passed; fi; echo done",
            "! pytest",
            "pytest tests/unit; pytest tests/integration",
            "(pytest; exit 0)",
            "pytest & wait",
        ] {
            assert_eq!(pytest(line), Some(false), "{line}");
        }
    }

    #[test]
    fn no_answer_without_the_command_or_with_a_status_known_only_when_it_runs() {
        assert_eq!(pytest("pip install pytest pytest-cov"), None);
        assert_eq!(pytest("echo 'run pytest later'"), None);
        assert_eq!(pytest("for d in unit integration; do pytest tests/$d; done"), None);
        assert_eq!(pytest("pytest; exit $STATUS"), None);
        assert_eq!(pytest("pytest 'unclosed"), None);
    }
}
