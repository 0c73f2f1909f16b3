//! `labcheck explain LAB CHECK`: one check, graded exactly as `run` grades it, shown with
//! what it reads (the API calls, and an AWS CLI command to paste), the facts it found
//! (only the values it looks at, unless `full`), and each expectation evaluated on them.
//! Sample-event checks show each sample's verdict; policy questions show the question
//! asked and the policy it was asked of.
//!
//! The verdict is `run`'s: the whole lab is graded (the checks this one `needs` and the
//! candidates they bind), and then this check's resources are read again from the same
//! memo, so they are the very answers its verdict was made on.

use crate::aws_cli::{self, Commands};
use crate::collect::{self, Ctx, Resource, Selector, SelectorType};
use crate::grade::{self, Finding, GradeOptions, Outcome, Rendered, Status};
use crate::lab::template::Vars;
use crate::lab::{Check, Lab, MatchMode};
use serde::Serialize;
use serde_json::{Map, Value};

/// The `schema` of `explain --format json`. Within v1, fields are only added.
pub const SCHEMA: &str = "labcheck.explain/v1";

/// One check, explained.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub schema: &'static str,
    pub lab: String,
    /// The check as `labcheck run --format json` reports it: the same status, message,
    /// hint and points.
    pub graded: crate::report::v1::Check,
    /// The same, as grading gave it.
    #[serde(skip)]
    pub outcome: Outcome,
    pub reads: Reads,
    /// The params and captured values the check reads.
    pub variables: Vec<Variable>,
    /// The checks this one needs, as they were graded.
    pub needs: Vec<Need>,
    /// Every resource the check selected, the one the verdict is about marked.
    pub resources: Vec<Candidate>,
    /// On a sample-event check: each sample, and whether the pattern treated it right.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<Sample>,
    /// Each policy question an expectation asks, as asked of the verdict's resource.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy_questions: Vec<PolicyQuestion>,
    /// What a passing check hands to the checks that need it.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub captured: Map<String, Value>,
    /// Whether `facts` are the whole facts (`--full`) rather than the values looked at.
    pub full: bool,
    /// Set when the facts shown are not the ones the verdict was made on (an
    /// `eventually` check, read again after it waited, and changed since).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What the check reads.
#[derive(Debug, Clone, Serialize)]
pub struct Reads {
    pub kind: String,
    pub description: String,
    /// The calls, as IAM names them.
    pub operations: Vec<String>,
    /// The selector, its templates filled in (as written when they could not be).
    pub select: Selector,
    pub match_mode: MatchMode,
    pub aws_cli: Commands,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variable {
    pub name: String,
    pub value: Value,
    /// `param`, `region`, or `captured by CHECK`.
    pub from: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Need {
    pub check: String,
    pub status: Status,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub id: String,
    /// The resource the verdict is about.
    pub verdict: bool,
    /// Whether it meets every expectation.
    pub meets_all: bool,
    /// The values at the check's paths (expectations, then captures), keyed by path; the
    /// whole fact with `full`.
    pub facts: Value,
    pub expectations: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    pub must_match: bool,
    pub matched: bool,
    pub ok: bool,
    pub sample: Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyQuestion {
    /// The expectation that asks it (from 1).
    pub expectation: usize,
    pub what: String,
    /// `policy_allows`, `policy_denies` or `role_allows`.
    pub function: String,
    pub question: Value,
    pub policies: Value,
    /// IAM's answer (`true`/`false`), or why the policies could not be evaluated.
    pub answer: Value,
}

/// The check `wanted` of `lab`, or a message that lists the lab's checks (the closest
/// first, when one is close).
pub fn find_check<'a>(lab: &'a Lab, wanted: &str) -> Result<&'a Check, String> {
    if let Some(check) = lab.check(wanted) {
        return Ok(check);
    }
    let ids = lab.checks.iter().map(|c| c.id.as_str());
    let close = crate::lab::diagnostic::did_you_mean(wanted, ids.clone())
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    let all: Vec<&str> = ids.collect();
    Err(format!("lab `{}` has no check `{wanted}`{close}; its checks: {}", lab.id, all.join(", ")))
}

/// Grade `lab` as `run` does and explain its check `check`.
pub async fn explain(lab: &Lab, check: &Check, ctx: &Ctx, opts: &GradeOptions, full: bool) -> Explanation {
    let graded = grade::grade_lab(lab, ctx, opts).await;
    let outcome_of = |id: &str| graded.outcomes.iter().find(|o| o.id == id);
    let outcome = outcome_of(&check.id).expect("every check of the lab is graded").clone();
    let params = grade::lab_vars(lab, ctx, opts);
    let vars = grade::vars_for(check, &params, outcome_of).ok();
    let rendered = vars.as_ref().and_then(|vars| Rendered::new(check, vars).ok());
    let mut note = None;
    let resources = match (&rendered, collect::kind(&check.kind)) {
        (Some(rendered), Some(kind)) if matches!(outcome.status, Status::Pass | Status::Fail) => {
            // The first read is in the memo; an `eventually` check's last was not.
            let reader = if outcome.attempts > 1 { ctx.fresh() } else { ctx.clone() };
            match reader.collect(kind, &rendered.selector).await {
                Ok(resources) => resources,
                Err(err) => {
                    note = Some(format!("reading it again failed: {err}"));
                    vec![]
                }
            }
        }
        _ => vec![],
    };
    let needs = check
        .needs
        .iter()
        .filter_map(|id| outcome_of(id))
        .map(|o| Need { check: o.id.clone(), status: o.status, message: o.message.clone() })
        .collect();
    let mut explained = build(lab, check, &outcome, Graded { params, vars, rendered, resources, needs }, full);
    explained.note = explained.note.or(note);
    explained
}

/// What grading left for the explanation of one check.
pub struct Graded {
    /// The lab's params and the Region.
    pub params: Vars,
    /// The check's variables, params and captures (none when a check it needs failed).
    pub vars: Option<Vars>,
    /// The check with its templates filled in (none without `vars`, or on a lab error).
    pub rendered: Option<Rendered>,
    /// What it read.
    pub resources: Vec<Resource>,
    pub needs: Vec<Need>,
}

/// The explanation of `check`, whose outcome is `outcome`. Pure: no AWS.
pub fn build(lab: &Lab, check: &Check, outcome: &Outcome, graded: Graded, full: bool) -> Explanation {
    let Graded { params, vars, rendered, resources, needs } = graded;
    let kind = collect::kind(&check.kind);
    let select = rendered.as_ref().map(|r| r.selector.clone()).unwrap_or_else(|| check.select.clone());
    let query_paths = query_paths(check);
    let reads = Reads {
        kind: check.kind.clone(),
        description: kind.map(|k| k.description.to_string()).unwrap_or_default(),
        operations: kind.map(|k| k.operations_for(&select).map(str::to_string).collect()).unwrap_or_default(),
        aws_cli: kind
            .map(|k| {
                let paths: Vec<(String, &str)> = query_paths.iter().map(|(k, p)| (k.clone(), p.as_str())).collect();
                aws_cli::commands(k, &select, &paths)
            })
            .unwrap_or_default(),
        select,
        match_mode: check.match_mode,
    };
    let mut explained = Explanation {
        schema: SCHEMA,
        lab: lab.id.clone(),
        graded: outcome.into(),
        outcome: outcome.clone(),
        reads,
        variables: variables(lab, check, vars.as_ref().unwrap_or(&params)),
        needs,
        resources: vec![],
        samples: vec![],
        policy_questions: vec![],
        captured: check
            .capture
            .keys()
            .filter_map(|name| outcome.captures.get(name).map(|v| (name.clone(), v.clone())))
            .collect(),
        full,
        note: None,
    };
    let (Some(rendered), Some(vars)) = (rendered, vars) else { return explained };
    crate::paths::with_vars(&vars, || {
        let per_resource: Vec<Vec<Finding>> =
            resources.iter().map(|r| grade::findings(r, &rendered.expectations)).collect();
        let verdict = verdict_index(outcome, &resources, &per_resource);
        explained.resources = resources
            .iter()
            .zip(per_resource)
            .enumerate()
            .map(|(i, (resource, findings))| Candidate {
                id: resource.id.clone(),
                verdict: Some(i) == verdict,
                meets_all: findings.iter().all(|f| f.ok),
                facts: if full { resource.fact.clone() } else { trimmed(resource, &rendered) },
                expectations: findings,
            })
            .collect();
        let again = grade::evaluate(&resources, &rendered.expectations, check.match_mode);
        let again = if matches!(again, grade::Verdict::Pass { .. }) { Status::Pass } else { Status::Fail };
        if matches!(outcome.status, Status::Pass | Status::Fail) && again != outcome.status {
            explained.note = Some(format!(
                "the account changed after the check was graded {}: the facts below, read afterwards, are {}",
                outcome.status.as_str(),
                again.as_str()
            ));
        }
        if let Some(i) = verdict {
            let resource = &resources[i];
            if kind.is_some_and(|k| k.selector.iter().any(|key| key.ty == SelectorType::Samples)) {
                explained.samples = samples(&rendered.selector, &resource.fact);
            }
            explained.policy_questions = policy_questions(check, resource);
        }
    });
    explained
}

/// The paths a `--query` should show, each under a key: the expectations' (a plain field
/// path under its last field, any other as `e1`, `e2`, ... by its place), then the
/// captures' (under the capture's name).
fn query_paths(check: &Check) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = Vec::new();
    let plain_field = |path: &str| {
        let field = path.rsplit('.').next().unwrap_or_default();
        path.split('.').all(crate::paths::is_plain_identifier).then(|| field.to_string())
    };
    for (i, e) in check.expect.iter().enumerate() {
        let key = plain_field(&e.path).unwrap_or_else(|| format!("e{}", i + 1));
        let key = if keys.iter().any(|(k, _)| *k == key) { format!("e{}", i + 1) } else { key };
        keys.push((key, e.path.clone()));
    }
    for (name, capture) in &check.capture {
        if !keys.iter().any(|(k, _)| k == name) {
            keys.push((name.clone(), capture.path().to_string()));
        }
    }
    keys
}

/// The resource the outcome speaks of: the one it names (on a PASS, one that meets every
/// expectation), or none when nothing was selected.
fn verdict_index(outcome: &Outcome, resources: &[Resource], findings: &[Vec<Finding>]) -> Option<usize> {
    let named = |i: &usize| Some(resources[*i].id.as_str()) == outcome.resource.as_deref();
    let meets_all = |i: &usize| findings[*i].iter().all(|f| f.ok);
    let all = 0..resources.len();
    all.clone()
        .find(|i| named(i) && (outcome.status != Status::Pass || meets_all(i)))
        .or_else(|| all.clone().find(named))
        .or_else(|| all.clone().next())
}

/// The values at the check's paths: each expectation's, then each capture's, by path.
fn trimmed(resource: &Resource, rendered: &Rendered) -> Value {
    let mut facts = Map::new();
    for c in &rendered.expectations {
        facts.insert(crate::paths::one_line(&c.expectation.path), grade::search(&c.path, &resource.fact));
    }
    for (_, path, _) in &rendered.capture {
        facts.insert(crate::paths::one_line(path.as_str()), grade::search(path, &resource.fact));
    }
    Value::Object(facts)
}

/// Each variable the check reads, once, with its value and where it comes from.
fn variables(lab: &Lab, check: &Check, vars: &Vars) -> Vec<Variable> {
    let mut names: Vec<String> = Vec::new();
    for (_, name) in check.variables_used() {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let from = if lab.params.contains_key(&name) {
                "param".to_string()
            } else if name == crate::lab::GRADED_REGION {
                "region".to_string()
            } else {
                match capturing_check(lab, check, &name) {
                    Some(id) => format!("captured by {id}"),
                    None => "capture".to_string(),
                }
            };
            Variable { value: vars.get(&name).cloned().unwrap_or(Value::Null), name, from }
        })
        .collect()
}

/// The check up `check`'s `needs` chain that captures `name` (the nearest first).
fn capturing_check<'a>(lab: &'a Lab, check: &Check, name: &str) -> Option<&'a str> {
    let mut queue: Vec<&str> = check.needs.iter().map(String::as_str).collect();
    let mut seen = Vec::new();
    while !queue.is_empty() {
        let id = queue.remove(0);
        let Some(needed) = lab.check(id).filter(|_| !seen.contains(&id)) else { continue };
        seen.push(id);
        if needed.capture.contains_key(name) {
            return Some(&needed.id);
        }
        queue.extend(needed.needs.iter().map(String::as_str));
    }
    None
}

/// Each sample of a pattern check with how the pattern treated it, from the fact's
/// `missed` and `wrongly_matched`.
fn samples(selector: &Selector, fact: &Value) -> Vec<Sample> {
    let listed = |key: &str| selector.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
    let in_fact =
        |key: &str, sample: &Value| fact.get(key).and_then(Value::as_array).is_some_and(|l| l.contains(sample));
    let must = listed("match").into_iter().map(|sample| {
        let matched = !in_fact("missed", &sample);
        Sample { must_match: true, matched, ok: matched, sample }
    });
    let must_not = listed("no_match").into_iter().map(|sample| {
        let matched = in_fact("wrongly_matched", &sample);
        Sample { must_match: false, matched, ok: !matched, sample }
    });
    must.chain(must_not).collect()
}

/// The policy questions the check's expectations ask of `resource`, each asked again to
/// show its parts. Runs inside the check's variables (`var()`).
fn policy_questions(check: &Check, resource: &Resource) -> Vec<PolicyQuestion> {
    let mut asked = Vec::new();
    for (i, e) in check.expect.iter().enumerate() {
        for q in crate::paths::policy_questions(&e.path) {
            let policies = grade::search(&q.policies, &resource.fact);
            let question = grade::search(&q.question, &resource.fact);
            let answer = match q.function.as_str() {
                "role_allows" => crate::policy_eval::role_allows(&policies, &question),
                "policy_denies" => crate::policy_eval::evaluate(&policies, &question).map(|a| a.denies),
                _ => crate::policy_eval::evaluate(&policies, &question).map(|a| a.allows),
            };
            asked.push(PolicyQuestion {
                expectation: i + 1,
                what: e.label.clone().unwrap_or_else(|| e.path.clone()),
                function: q.function,
                question,
                policies,
                answer: answer.map_or_else(Value::String, Value::Bool),
            });
        }
    }
    asked
}
