//! What serde cannot check: kinds and selectors, JMESPath, matchers, references between
//! checks, template variables, and the outline's task and skill ids.

use super::diagnostic::did_you_mean;
use super::locate::Locator;
use super::skills::Outline;
use super::template;
use super::{Check, Diagnostic, Lab};
use crate::collect::{self, SelectorType};
use std::collections::{BTreeSet, HashMap};

/// Longest `eventually` timeout a check may ask for, in seconds.
pub const MAX_EVENTUALLY_SECONDS: u64 = 900;

struct Problems<'a> {
    lab: &'a Lab,
    text: &'a str,
    /// Built on the first problem: a lab without any (nearly every load) never pays for
    /// the second parse that positions take.
    locator: std::cell::OnceCell<Locator>,
    found: Vec<Diagnostic>,
}

impl Problems<'_> {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        let pos = self.locator.get_or_init(|| Locator::new(self.text)).find(&field);
        self.found.push(Diagnostic {
            file: self.lab.file.clone(),
            line: pos.map(|p| p.line),
            col: pos.map(|p| p.col),
            field,
            message: message.into(),
        });
    }
}

/// An id usable in file names, URLs and reports: lowercase letters, digits, dashes.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// The emulators `not_emulated` may name (`labcheck selftest --emulator`).
const EMULATORS: &[&str] = &["moto", "localstack"];

pub fn validate_lab(lab: &Lab, text: &str, outline: Option<&Outline>) -> Vec<Diagnostic> {
    let mut p = Problems { lab, text, locator: std::cell::OnceCell::new(), found: Vec::new() };
    if !is_valid_id(&lab.id) {
        p.add("id", format!("lab id `{}` must be lowercase letters, digits and dashes (at most 64)", lab.id));
    }
    if lab.checks.is_empty() {
        p.add("checks", "a lab needs at least one check");
    }
    if lab.tasks.is_empty() {
        p.add("tasks", "name the DOP-C02 task statements the lab covers (for example \"4.1\")");
    }
    if let Some(outline) = outline {
        for (i, task) in lab.tasks.iter().enumerate() {
            if outline.task(task).is_none() {
                let hint = did_you_mean(task, outline.tasks().map(|t| t.id.as_str()))
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default();
                p.add(format!("tasks[{i}]"), format!("unknown task statement \"{task}\"{hint}"));
            }
        }
    }
    for name in lab.params.keys() {
        if !is_identifier(name) {
            p.add(format!("params.{name}"), "param names are letters, digits and underscores, starting with a letter");
        }
    }

    // Variables each check may use: params, plus captures of the checks it needs (transitively).
    let mut captures_of: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    let mut seen_ids: HashMap<&str, usize> = HashMap::new();
    for (i, check) in lab.checks.iter().enumerate() {
        let at = format!("checks[{i}]");
        if !is_valid_id(&check.id) {
            p.add(format!("{at}.id"), format!("check id `{}` must be lowercase letters, digits and dashes", check.id));
        }
        if let Some(first) = seen_ids.insert(&check.id, i) {
            p.add(format!("{at}.id"), format!("duplicate check id `{}` (also checks[{first}])", check.id));
        }
        let mut visible: BTreeSet<&str> = BTreeSet::new();
        for (j, need) in check.needs.iter().enumerate() {
            match captures_of.get(need.as_str()) {
                Some(caps) => visible.extend(caps.iter().copied()),
                None if lab.check(need).is_some() => {
                    p.add(format!("{at}.needs[{j}]"), format!("`{need}` must be defined above the check that needs it"))
                }
                None => {
                    let hint = did_you_mean(need, lab.checks.iter().map(|c| c.id.as_str()))
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    p.add(format!("{at}.needs[{j}]"), format!("no check `{need}` in this lab{hint}"))
                }
            }
        }
        let mut mine = visible.clone();
        for (name, path) in &check.capture {
            if lab.params.contains_key(name) {
                p.add(format!("{at}.capture.{name}"), format!("capture `{name}` has the name of a param"));
            }
            if !is_identifier(name) {
                p.add(format!("{at}.capture.{name}"), "capture names are letters, digits and underscores");
            }
            if let Err(err) = crate::paths::compile(path.path()) {
                p.add(
                    format!("{at}.capture.{name}"),
                    format!("invalid JMESPath: {}", crate::paths::one_line(&err.to_string())),
                );
            }
            mine.insert(name);
        }
        captures_of.insert(&check.id, mine);
        for emulator in check.not_emulated.keys().filter(|e| !EMULATORS.contains(&e.as_str())) {
            p.add(
                format!("{at}.not_emulated.{emulator}"),
                format!("unknown emulator `{emulator}` (moto or localstack)"),
            );
        }
        check_kind(&mut p, &at, check);
        check_expectations(&mut p, &at, check);
        check_templates(&mut p, &at, check, &visible);
        if let Some(ev) = check.eventually {
            if ev.timeout == 0 || ev.timeout > MAX_EVENTUALLY_SECONDS {
                p.add(
                    format!("{at}.eventually.timeout"),
                    format!("timeout must be 1 to {MAX_EVENTUALLY_SECONDS} seconds"),
                );
            }
            if ev.interval == 0 || ev.interval > ev.timeout {
                p.add(
                    format!("{at}.eventually.interval"),
                    "interval must be at least 1 second and at most the timeout",
                );
            }
        }
        if let Some(outline) = outline {
            for (j, skill) in check.skills.iter().enumerate() {
                if !outline.has_skill(skill) {
                    p.add(format!("{at}.skills[{j}]"), format!("unknown skill \"{skill}\" (see labs/skills.yaml)"));
                }
            }
        }
        for (field, url) in [("docs", &check.docs)] {
            if let Some(url) = url
                && !url.starts_with("https://")
            {
                p.add(format!("{at}.{field}"), "documentation links must be https:// URLs");
            }
        }
    }
    check_asks(&mut p);
    p.found
}

/// Every numbered ask of the summary is graded by a check, and every check names the
/// asks it grades, so an ask cannot go ungraded unnoticed.
fn check_asks(p: &mut Problems) {
    let lab = p.lab;
    let asks = lab.asks();
    if asks.is_empty() {
        p.add("summary", "number what the learner must build (`1. …`, `2. …`): checks name the asks they grade");
        return;
    }
    for (i, check) in lab.checks.iter().enumerate() {
        if check.asks.is_empty() {
            p.add(format!("checks[{i}]"), "name the summary's asks this check grades (`asks: [1]`)");
        }
        for (j, number) in check.asks.iter().enumerate() {
            if !asks.iter().any(|(n, _)| n == number) {
                let known: Vec<String> = asks.iter().map(|(n, _)| n.to_string()).collect();
                p.add(
                    format!("checks[{i}].asks[{j}]"),
                    format!("the summary has no ask {number} (asks: {})", known.join(", ")),
                );
            }
        }
    }
    for (number, text) in &asks {
        if !lab.checks.iter().any(|c| c.asks.contains(number)) {
            let short: String = text.chars().take(60).collect();
            let more = if short.len() < text.len() { "…" } else { "" };
            p.add("summary", format!("ask {number} (\"{short}{more}\") is graded by no check"));
        }
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn check_kind(p: &mut Problems, at: &str, check: &Check) {
    let Some(kind) = collect::kind(&check.kind) else {
        let hint = did_you_mean(&check.kind, collect::KINDS.iter().map(|k| k.name))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_else(|| " (see `labcheck kinds`)".into());
        p.add(format!("{at}.kind"), format!("unknown resource kind `{}`{hint}", check.kind));
        return;
    };
    for (key, value) in &check.select {
        let Some(spec) = kind.selector.iter().find(|s| s.name == key) else {
            let allowed: Vec<&str> = kind.selector.iter().map(|s| s.name).collect();
            let hint = did_you_mean(key, allowed.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            p.add(
                format!("{at}.select.{key}"),
                format!("`{}` has no selector `{key}`{hint}; allowed: {}", kind.name, allowed.join(", ")),
            );
            continue;
        };
        let ok = match spec.ty {
            SelectorType::String => value.is_string(),
            SelectorType::Bool => value.is_boolean(),
            SelectorType::Samples => value.is_array(),
            SelectorType::Strings => {
                value.is_string() || value.as_array().is_some_and(|l| l.iter().all(serde_json::Value::is_string))
            }
        };
        if !ok {
            let want = match spec.ty {
                SelectorType::String => "a string",
                SelectorType::Bool => "true or false",
                SelectorType::Samples => "a list of samples",
                SelectorType::Strings => "a list of strings, or one string",
            };
            p.add(format!("{at}.select.{key}"), format!("selector `{key}` must be {want}"));
        }
    }
    for spec in kind.selector.iter().filter(|s| s.required) {
        if !check.select.contains_key(spec.name) {
            p.add(format!("{at}.select"), format!("`{}` needs the selector `{}` ({})", kind.name, spec.name, spec.doc));
        }
    }
    if !kind.one_of.is_empty() && !kind.one_of.iter().any(|k| check.select.contains_key(*k)) {
        p.add(format!("{at}.select"), format!("`{}` needs one of the selectors {}", kind.name, kind.one_of.join(", ")));
    }
}

fn check_expectations(p: &mut Problems, at: &str, check: &Check) {
    for (i, e) in check.expect.iter().enumerate() {
        let here = format!("{at}.expect[{i}]");
        if let Err(err) = crate::paths::compile(&e.path) {
            p.add(
                format!("{here}.path"),
                format!("invalid JMESPath `{}`: {}", e.path, crate::paths::one_line(&err.to_string())),
            );
        }
        if template::names(&e.path).next().is_some() {
            p.add(format!("{here}.path"), "templates are not allowed in paths; use a selector or a capture");
        }
        if crate::paths::reads_a_negation(&e.path) {
            p.add(
                format!("{here}.path"),
                "`!a.b` reads `.b` of `!a` (JMESPath binds `!` tighter than `.`), which is always null: write `!(a.b)`",
            );
        }
        // A regex that holds a template is checked once rendered, at grading time.
        let templated_regex = e.matches.as_deref().is_some_and(|m| template::names(m).next().is_some());
        if !templated_regex && let Err(msg) = e.matcher() {
            p.add(here, msg);
        }
    }
}

fn check_templates(p: &mut Problems, at: &str, check: &Check, captures: &BTreeSet<&str>) {
    let known =
        |name: &str| p.lab.params.contains_key(name) || captures.contains(name) || name == crate::lab::GRADED_REGION;
    let used = check.variables_used().into_iter().map(|(field, name)| (format!("{at}.{field}"), name));
    let missing: Vec<_> = used.filter(|(_, name)| !known(name)).collect();
    for (field, name) in missing {
        let names = p.lab.params.keys().map(String::as_str).chain(captures.iter().copied());
        let hint = did_you_mean(&name, names).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
        p.add(
            field,
            format!("`{{{{ {name} }}}}` is neither a param of the lab nor a capture of a check this one needs{hint}"),
        );
    }
}
