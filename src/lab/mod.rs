//! The lab model: what a `lab.yaml` says, typed.
//!
//! A lab is data. This module only describes its shape; [`load`] reads files into it,
//! [`validate`] checks what serde cannot (kinds, JMESPath, templates, references), and
//! [`template`] fills in `{{ name }}` placeholders at grading time.

pub mod diagnostic;
pub mod load;
pub mod locate;
pub mod scenario;
pub mod schema;
pub mod skills;
pub mod template;
pub mod validate;

use crate::expect::{MATCHER_KEYS, Matcher};
use indexmap::IndexMap;
use regex_lite::Regex;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub use diagnostic::Diagnostic;
pub use load::{LoadedLabs, data_dir, default_root, load_lab_dir, load_labs, load_wanted};

/// One lab: a build the learner does, and the checks that grade it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Lab {
    /// Unique id, lowercase kebab-case (`monitoring-metric-filter-alarm`).
    pub id: String,
    /// The lab's name, as reports show it.
    pub title: String,
    /// DOP-C02 task statements this lab covers (`"4.1"`), ids from `labs/skills.yaml`.
    #[serde(default)]
    pub tasks: Vec<String>,
    /// What the learner must build; numbered lines (`1. …`) are the asks checks grade.
    pub summary: String,
    /// The main documentation page for the lab.
    #[serde(default)]
    pub docs: Option<String>,
    /// Values the learner may override with `--param name=value`.
    #[serde(default)]
    pub params: IndexMap<String, Param>,
    pub checks: Vec<Check>,
    /// The file the lab was read from.
    #[serde(skip)]
    pub file: PathBuf,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// The value when the learner gives none.
    #[serde(default)]
    pub default: Option<Value>,
    /// What the param names, for `labcheck show`.
    #[serde(default)]
    pub description: Option<String>,
}

/// A variable every check may use (`{{ aws_region }}`, `var('aws_region')`): the Region
/// being graded, for an ARN a policy question must name.
pub const GRADED_REGION: &str = "aws_region";

/// One graded statement about the account.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Unique within the lab, kebab-case; `needs` and reports name the check by it.
    pub id: String,
    /// What a passing check says about the account ("The log group keeps logs 7 days").
    pub title: String,
    /// Points a PASS earns (default 1).
    #[serde(default = "one")]
    pub points: u32,
    /// DOP-C02 skill ids (`"4.1.2"`) this check exercises.
    #[serde(default)]
    pub skills: Vec<String>,
    /// The numbered asks of the lab's summary this check grades (`[2, 3]`).
    #[serde(default)]
    pub asks: Vec<u32>,
    /// The resource kind to read (`logs.log_group`); see `labcheck kinds`.
    pub kind: String,
    /// Which resources of that kind; keys depend on the kind. Values may hold templates.
    #[serde(default)]
    pub select: BTreeMap<String, Value>,
    /// Whether any or all selected resources must satisfy the expectations.
    #[serde(default, rename = "match")]
    pub match_mode: MatchMode,
    #[serde(default)]
    pub expect: Vec<Expectation>,
    /// Checks that must pass first; their captures become template variables here.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Values to remember from the passing resource: name -> JMESPath, or `{each: JMESPath}`
    /// for a list whose every element is a candidate (every CodeBuild action of a stage).
    #[serde(default)]
    pub capture: IndexMap<String, Capture>,
    /// Re-read until the check passes or the timeout ends.
    #[serde(default)]
    pub eventually: Option<Eventually>,
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(default)]
    pub docs: Option<String>,
    /// Emulators that cannot show what this check reads (`moto`, `localstack`), each with
    /// what it lacks. `labcheck selftest` reports the check "not emulated" there; the
    /// lab's `recorded.yaml` proves it with answers shaped from the API reference.
    #[serde(default)]
    pub not_emulated: BTreeMap<String, String>,
}

impl Check {
    /// Whether `emulator` can show what this check reads (a lab says where it cannot
    /// with `not_emulated`).
    pub fn emulated_on(&self, emulator: &str) -> bool {
        !self.not_emulated.contains_key(emulator)
    }

    /// The params and captures this check reads, each with the field that reads it
    /// (`select.name`, `expect[0].path`, `title`), in the check's order: `{{ name }}` in
    /// selector values, matcher values, the title and the hint, and `var('name')` in paths.
    pub fn variables_used(&self) -> Vec<(String, String)> {
        let mut used: Vec<(String, String)> = Vec::new();
        for (key, value) in &self.select {
            used.extend(template::names_in_value(value).into_iter().map(|n| (format!("select.{key}"), n.to_string())));
        }
        for (i, e) in self.expect.iter().enumerate() {
            let read = crate::paths::var_names(&e.path).into_iter();
            used.extend(read.map(|n| (format!("expect[{i}].path"), n)));
            let values = [&e.equals, &e.not_equals, &e.contains].into_iter().flatten().cloned();
            let values = values.chain(e.one_of.iter().flatten().cloned()).chain(e.matches.clone().map(Value::String));
            for v in values {
                used.extend(template::names_in_value(&v).into_iter().map(|n| (format!("expect[{i}]"), n.to_string())));
            }
        }
        for (field, text) in [("title", Some(&self.title)), ("hint", self.hint.as_ref())] {
            if let Some(text) = text {
                used.extend(template::names(text).map(|n| (field.to_string(), n.to_string())));
            }
        }
        used
    }
}

fn one() -> u32 {
    1
}

/// One captured value: the value at a path, or each element of the list at a path.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Capture {
    Path(String),
    Each { each: String },
}

impl Capture {
    pub fn path(&self) -> &str {
        match self {
            Capture::Path(path) | Capture::Each { each: path } => path,
        }
    }

    /// Whether each element of the list at the path is a candidate of its own.
    pub fn each(&self) -> bool {
        matches!(self, Capture::Each { .. })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// At least one selected resource satisfies every expectation.
    #[default]
    Any,
    /// Every selected resource satisfies every expectation, and there is at least one.
    All,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Eventually {
    /// Seconds to keep trying.
    pub timeout: u64,
    /// Seconds between tries.
    #[serde(default = "default_interval")]
    pub interval: u64,
}

fn default_interval() -> u64 {
    5
}

/// A JMESPath over one resource's fact, and what its value must be.
///
/// Exactly one matcher is set (`min` and `max` may go together); [`validate`] enforces it
/// and [`Expectation::matcher`] turns the fields into a [`crate::expect::Matcher`].
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// A JMESPath into the resource's fact (see `labcheck show` for a kind's fact).
    pub path: String,
    /// A name for the value in messages ("stage names"); the path is used otherwise.
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub equals: Option<Value>,
    #[serde(default)]
    pub not_equals: Option<Value>,
    #[serde(default)]
    pub contains: Option<Value>,
    #[serde(default)]
    pub exists: Option<bool>,
    #[serde(default)]
    pub absent: Option<bool>,
    #[serde(default)]
    pub matches: Option<String>,
    #[serde(default)]
    pub one_of: Option<Vec<Value>>,
    #[serde(default)]
    pub count: Option<Count>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
}

impl Expectation {
    /// The one matcher the expectation sets. `min` and `max` together are one range.
    pub fn matcher(&self) -> Result<Matcher, String> {
        let e = self;
        let mut found: Vec<(&str, Matcher)> = Vec::new();
        if let Some(v) = &e.equals {
            found.push(("equals", Matcher::Equals(v.clone())));
        }
        if let Some(v) = &e.not_equals {
            found.push(("not_equals", Matcher::NotEquals(v.clone())));
        }
        if let Some(v) = &e.contains {
            found.push(("contains", Matcher::Contains(v.clone())));
        }
        if let Some(v) = e.exists {
            found.push(("exists", Matcher::Exists(v)));
        }
        if let Some(v) = e.absent {
            found.push(("absent", Matcher::Exists(!v)));
        }
        if let Some(pattern) = &e.matches {
            let re = Regex::new(pattern).map_err(|err| format!("`matches` is not a valid regex: {err}"))?;
            found.push(("matches", Matcher::Matches(re)));
        }
        if let Some(v) = &e.one_of {
            found.push(("one_of", Matcher::OneOf(v.clone())));
        }
        if let Some(c) = e.count {
            let (min, max) = match c {
                Count::Exactly(n) => (Some(n), Some(n)),
                Count::Range { min, max } => (min, max),
            };
            if min.is_none() && max.is_none() {
                return Err("`count` needs a number or at least one of `min`, `max`".into());
            }
            found.push(("count", Matcher::Count { min, max }));
        }
        if e.min.is_some() || e.max.is_some() {
            found.push(("min/max", Matcher::Range { min: e.min, max: e.max }));
        }
        match found.len() {
            1 => Ok(found.pop().map(|(_, m)| m).expect("one matcher")),
            0 => Err(format!("no matcher: set one of {}", MATCHER_KEYS.join(", "))),
            _ => {
                let keys: Vec<&str> = found.iter().map(|(k, _)| *k).collect();
                Err(format!("more than one matcher ({}): split them into separate expectations", keys.join(", ")))
            }
        }
    }
}

/// `count: 3` or `count: {min: 2, max: 5}`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, JsonSchema)]
#[serde(untagged)]
pub enum Count {
    Exactly(u64),
    Range {
        #[serde(default)]
        min: Option<u64>,
        #[serde(default)]
        max: Option<u64>,
    },
}

impl Lab {
    /// The numbered asks of the summary (`1. …`, `2. …`): each number with its first line.
    pub fn asks(&self) -> Vec<(u32, String)> {
        self.summary
            .lines()
            .filter_map(|line| {
                let (number, rest) = line.trim_start().split_once(". ")?;
                Some((number.parse().ok()?, rest.trim().to_string()))
            })
            .collect()
    }

    /// The exam domain of the lab: the domain of its first task statement.
    pub fn domain_id(&self) -> Option<&str> {
        self.tasks.first().and_then(|t| t.split('.').next())
    }

    pub fn possible_points(&self) -> u32 {
        self.checks.iter().map(|c| c.points).sum()
    }

    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// Param defaults overlaid with the given overrides, as template variables.
    pub fn param_values(&self, overrides: &BTreeMap<String, String>) -> BTreeMap<String, Value> {
        let mut values = BTreeMap::new();
        for (name, param) in &self.params {
            if let Some(v) = &param.default {
                values.insert(name.clone(), v.clone());
            }
        }
        for (name, v) in overrides {
            if self.params.contains_key(name) {
                values.insert(name.clone(), Value::String(v.clone()));
            }
        }
        values
    }
}
