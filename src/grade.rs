//! Grading: run a lab's checks against one account and decide each one's status.
//!
//! Checks run concurrently: each starts as soon as the checks it `needs` are done. Each
//! check collects its resources (memoised), evaluates its expectations with the matchers,
//! and ends PASS, FAIL, ERROR (the account could not be read) or SKIP (a check it needs did
//! not pass).

use crate::collect::{self, CollectError, Ctx, Resource, Selector};
use crate::expect::{Matcher, show};
use crate::lab::template::{self, Vars};
use crate::lab::{Check, Expectation, Lab, MatchMode};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Pass,
    Fail,
    Error,
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Error => "ERROR",
            Status::Skip => "SKIP",
        }
    }
}

/// One expectation as evaluated on one resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub path: String,
    /// The label, or the path when the lab gives none.
    pub what: String,
    /// "contain \"Deploy\"" — reads after "expected … to".
    pub expected: String,
    pub found: Value,
    pub ok: bool,
}

/// How one check ended.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub points: u32,
    pub earned: u32,
    /// One line: why it passed, failed, errored or was skipped.
    pub message: String,
    /// The resource the message speaks of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The failed expectations of that resource (on FAIL).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<collect::Cause>,
    /// The call that failed, as IAM names it (on an ERROR from the account).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// How many times the account was read (more than one with `eventually`).
    pub attempts: u32,
    #[serde(skip)]
    pub captures: Vars,
    /// On a PASS of a check that captures: how many resources it could have bound.
    #[serde(skip)]
    pub candidates: usize,
}

/// Something a check does while it runs, for progress output.
#[derive(Debug, Clone)]
pub enum Progress {
    Waiting { check: String, attempt: u32, remaining: Duration },
}

pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

#[derive(Clone, Default)]
pub struct GradeOptions {
    /// `--param name=value` overrides.
    pub params: BTreeMap<String, String>,
    pub progress: Option<ProgressFn>,
    /// Caps every `eventually` timeout (emulators settle at once; impatient users).
    pub max_wait: Option<Duration>,
}

/// A lab's outcomes, in the lab's check order.
#[derive(Debug, Clone)]
pub struct LabResult {
    pub lab: Lab,
    pub outcomes: Vec<Outcome>,
}

impl LabResult {
    pub fn earned(&self) -> u32 {
        self.outcomes.iter().map(|o| o.earned).sum()
    }

    pub fn possible(&self) -> u32 {
        self.outcomes.iter().map(|o| o.points).sum()
    }

    pub fn count(&self, status: Status) -> usize {
        self.outcomes.iter().filter(|o| o.status == status).count()
    }
}

/// Which candidate each capturing check binds, by its position among the check's
/// candidates; a check not named binds its first.
type Choices = BTreeMap<String, usize>;

/// At most this many gradings of one lab while looking for the candidates that let the
/// checks down a `needs` chain pass. Reads are memoised, so each costs little.
pub const MAX_CHAIN_GRADINGS: usize = 32;

/// At most this many candidate bindings from one resource's `each` captures.
const MAX_EACH_CANDIDATES: usize = 16;

/// Grade one lab against the account behind `ctx`.
///
/// A check that captures (an alarm's name) may find several resources that satisfy it
/// (a draft alarm beside the finished one). Its captures feed the checks that need it,
/// so grading binds the candidate that lets most of them pass: first the first
/// candidate of each such check, then, while something fails, other candidates
/// (breadth first, at most [`MAX_CHAIN_GRADINGS`] gradings), keeping the grading that
/// earns the most points (the earliest among equals).
pub async fn grade_lab(lab: &Lab, ctx: &Ctx, opts: &GradeOptions) -> LabResult {
    let needed: HashSet<&str> = lab.checks.iter().flat_map(|c| c.needs.iter().map(String::as_str)).collect();
    let branches = |choices: &Choices, graded: &LabResult| -> Vec<Choices> {
        let open = graded.outcomes.iter().filter(|o| needed.contains(o.id.as_str()) && !choices.contains_key(&o.id));
        open.flat_map(|o| {
            (1..o.candidates).map(|k| {
                let mut next = choices.clone();
                next.insert(o.id.clone(), k);
                next
            })
        })
        .collect()
    };
    let mut best = grade_with(lab, ctx, opts, &Choices::new()).await;
    let mut queue: VecDeque<Choices> = branches(&Choices::new(), &best).into();
    // Other gradings read the memo and do not wait for `eventually` checks again.
    let again = GradeOptions { max_wait: Some(Duration::ZERO), progress: None, ..opts.clone() };
    let mut tried: BTreeSet<Choices> = BTreeSet::from([Choices::new()]);
    while tried.len() < MAX_CHAIN_GRADINGS && best.count(Status::Pass) < best.outcomes.len() {
        let Some(choices) = queue.pop_front() else { break };
        if !tried.insert(choices.clone()) {
            continue;
        }
        let graded = grade_with(lab, ctx, &again, &choices).await;
        queue.extend(branches(&choices, &graded));
        if graded.earned() > best.earned() {
            best = graded;
        }
    }
    for o in best.outcomes.iter_mut().filter(|o| o.candidates > 1 && needed.contains(o.id.as_str())) {
        o.message.push_str(&format!(
            " (one of {} candidates; the checks that need it were graded with the one that passes most)",
            o.candidates
        ));
    }
    best
}

/// Grade one lab with the candidates `choices` names.
async fn grade_with(lab: &Lab, ctx: &Ctx, opts: &GradeOptions, choices: &Choices) -> LabResult {
    let params = lab_vars(lab, ctx, opts);
    let mut done: HashMap<String, Outcome> = HashMap::new();
    let mut pending: Vec<&Check> = lab.checks.iter().collect();
    // Each check starts as soon as the checks it needs are graded, not when a whole
    // wave of them is: a long `eventually` wait holds up only its own dependents.
    let mut running = futures::stream::FuturesUnordered::new();
    let params = &params;
    loop {
        let (ready, waiting): (Vec<&Check>, Vec<&Check>) =
            pending.into_iter().partition(|c| c.needs.iter().all(|n| done.contains_key(n)));
        pending = waiting;
        for check in ready {
            let vars = vars_for(check, params, |id| done.get(id));
            running.push(async move {
                let outcome = match vars {
                    Ok(vars) => run_check(check, ctx, vars, opts, choices.get(&check.id).copied().unwrap_or(0)).await,
                    Err(failed) => {
                        let mut o = skipped(check, format!("needs `{failed}`, which did not pass"));
                        o.title = template::render_str(&check.title, params).unwrap_or(o.title);
                        o
                    }
                };
                (check, outcome)
            });
        }
        let Some((check, mut outcome)) = futures::StreamExt::next(&mut running).await else { break };
        inherit_captures(check, &mut outcome, &done);
        done.insert(check.id.clone(), outcome);
    }
    // Validation rules this out (needs point upwards); never wait forever on bad input.
    for c in pending {
        done.insert(c.id.clone(), skipped(c, "its `needs` cannot be satisfied".into()));
    }
    let outcomes = lab.checks.iter().filter_map(|c| done.remove(&c.id)).collect();
    LabResult { lab: lab.clone(), outcomes }
}

/// The variables every check of the lab sees: its params (with `--param` overrides) and
/// the Region being graded.
pub fn lab_vars(lab: &Lab, ctx: &Ctx, opts: &GradeOptions) -> Vars {
    let mut params = lab.param_values(&opts.params);
    if let Some(region) = ctx.clients.logs().config().region() {
        params.insert(crate::lab::GRADED_REGION.into(), Value::String(region.to_string()));
    }
    params
}

/// A passing check hands on what the checks it needs captured, so a check two steps
/// down a `needs` chain sees every capture above it.
fn inherit_captures(check: &Check, outcome: &mut Outcome, done: &HashMap<String, Outcome>) {
    if outcome.status != Status::Pass {
        return;
    }
    for need in &check.needs {
        if let Some(upstream) = done.get(need) {
            for (k, v) in &upstream.captures {
                outcome.captures.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
}

/// Params plus the captures of every needed check (`graded` finds a check's outcome);
/// the first needed check that did not pass otherwise.
pub fn vars_for<'a>(
    check: &Check,
    params: &Vars,
    graded: impl Fn(&str) -> Option<&'a Outcome>,
) -> Result<Vars, String> {
    let mut vars = params.clone();
    for need in &check.needs {
        let Some(outcome) = graded(need).filter(|o| o.status == Status::Pass) else {
            return Err(need.clone());
        };
        vars.extend(outcome.captures.clone());
    }
    Ok(vars)
}

fn base_outcome(check: &Check, status: Status, message: String) -> Outcome {
    Outcome {
        id: check.id.clone(),
        title: check.title.clone(),
        status,
        points: check.points,
        earned: 0,
        message,
        resource: None,
        failures: vec![],
        cause: None,
        operation: None,
        hint: check.hint.clone(),
        docs: check.docs.clone(),
        skills: check.skills.clone(),
        attempts: 0,
        captures: Vars::new(),
        candidates: 0,
    }
}

fn skipped(check: &Check, message: String) -> Outcome {
    let mut o = base_outcome(check, Status::Skip, message);
    o.hint = None;
    o
}

fn errored(check: &Check, err: &CollectError, attempts: u32) -> Outcome {
    let mut o = base_outcome(check, Status::Error, err.to_string());
    o.cause = Some(err.cause);
    o.operation = Some(err.operation.clone());
    o.hint = None;
    o.attempts = attempts;
    o
}

/// A lab problem found only at grading time (a capture without a value).
fn lab_error(check: &Check, message: String) -> Outcome {
    let mut o = base_outcome(check, Status::Error, format!("lab error: {message}"));
    o.cause = Some(collect::Cause::Lab);
    o.hint = None;
    o
}

async fn run_check(check: &Check, ctx: &Ctx, vars: Vars, opts: &GradeOptions, choice: usize) -> Outcome {
    let Some(kind) = collect::kind(&check.kind) else {
        return lab_error(check, format!("unknown resource kind `{}`", check.kind));
    };
    let rendered = match Rendered::new(check, &vars) {
        Ok(r) => r,
        Err(msg) => return lab_error(check, msg),
    };
    let started = Instant::now();
    let deadline = check.eventually.map(|e| {
        let wait = Duration::from_secs(e.timeout);
        started + opts.max_wait.map_or(wait, |cap| wait.min(cap))
    });
    let mut attempt = 0;
    loop {
        attempt += 1;
        // The first read shares the run's memo; re-reads must see fresh state.
        let reader = if attempt == 1 { ctx.clone() } else { ctx.fresh() };
        let resources = match reader.collect(kind, &rendered.selector).await {
            Ok(r) => r,
            Err(err) => {
                let mut o = errored(check, &err, attempt);
                o.title = rendered.title.clone();
                return o;
            }
        };
        let mut outcome = crate::paths::with_vars(&vars, || {
            let verdict = evaluate(&resources, &rendered.expectations, check.match_mode);
            rendered.outcome(check, kind.name, verdict, &resources, choice)
        });
        outcome.attempts = attempt;
        let retry_at = deadline.zip(check.eventually).and_then(|(end, e)| {
            let next = (Instant::now() + Duration::from_secs(e.interval)).min(end);
            // Wait only for state that exists but is not there yet (an execution in
            // progress); a missing resource will not appear by waiting.
            (outcome.status == Status::Fail && !resources.is_empty() && Instant::now() < end).then_some((next, end))
        });
        let Some((next, end)) = retry_at else { return outcome };
        if let Some(progress) = &opts.progress {
            progress(Progress::Waiting { check: check.id.clone(), attempt, remaining: end - Instant::now() });
        }
        tokio::time::sleep_until(next.into()).await;
    }
}

/// A check with its templates filled in.
pub struct Rendered {
    pub title: String,
    pub hint: Option<String>,
    pub selector: Selector,
    pub expectations: Vec<Compiled>,
    /// Each capture's name, path, and whether every element of the list is a candidate.
    pub capture: Vec<(String, jmespath::Expression<'static>, bool)>,
}

impl Rendered {
    pub fn new(check: &Check, vars: &Vars) -> Result<Rendered, String> {
        let text = |s: &str| template::render_str(s, vars).map_err(|e| e.to_string());
        let value = |v: &Value| template::render_value(v, vars).map_err(|e| e.to_string());
        let mut selector = Selector::new();
        for (k, v) in &check.select {
            selector.insert(k.clone(), value(v)?);
        }
        let mut expectations = Vec::new();
        for e in &check.expect {
            let mut e = e.clone();
            for slot in [&mut e.equals, &mut e.not_equals, &mut e.contains].into_iter().flatten() {
                *slot = value(slot)?;
            }
            if let Some(options) = &mut e.one_of {
                for o in options.iter_mut() {
                    *o = value(o)?;
                }
            }
            if let Some(m) = &mut e.matches {
                *m = text(m)?;
            }
            expectations.push(Compiled::new(e)?);
        }
        let capture = check
            .capture
            .iter()
            .map(|(name, capture)| {
                let expr = crate::paths::compile(capture.path()).map_err(|e| e.to_string())?;
                Ok((name.clone(), expr, capture.each()))
            })
            .collect::<Result<_, String>>()?;
        Ok(Rendered {
            title: text(&check.title)?,
            hint: check.hint.as_deref().map(text).transpose()?,
            selector,
            expectations,
            capture,
        })
    }

    /// The candidate bindings this check captures from `resource`: one, or one per
    /// element of each `each` capture (at most [`MAX_EACH_CANDIDATES`] per resource);
    /// none when a capture finds nothing.
    fn captures_of(&self, resource: &Resource) -> Vec<Vars> {
        let mut bindings = vec![Vars::new()];
        for (name, expr, each) in &self.capture {
            let values = match (search(expr, &resource.fact), each) {
                (Value::Null, _) => return vec![],
                (Value::Array(items), true) => items.into_iter().filter(|v| !v.is_null()).collect(),
                (found, _) => vec![found],
            };
            bindings = bindings
                .iter()
                .flat_map(|vars| {
                    values.iter().map(move |value| {
                        let mut vars = vars.clone();
                        vars.insert(name.clone(), value.clone());
                        vars
                    })
                })
                .take(MAX_EACH_CANDIDATES)
                .collect();
        }
        bindings
    }

    fn outcome(&self, check: &Check, kind: &str, verdict: Verdict, resources: &[Resource], choice: usize) -> Outcome {
        let mut o = base_outcome(check, Status::Fail, String::new());
        o.title = self.title.clone();
        o.hint = self.hint.clone();
        match verdict {
            Verdict::Pass { passing } => {
                // Candidates: passing resources with every capture present. A check
                // that others need binds the one `choice` names (the first by default).
                let captured: Vec<(usize, Vars)> = passing
                    .iter()
                    .flat_map(|&i| self.captures_of(&resources[i]).into_iter().map(move |vars| (i, vars)))
                    .collect();
                let Some((index, captures)) = captured.get(choice.min(captured.len().saturating_sub(1))).cloned()
                else {
                    let resource = &resources[passing[0]];
                    let missing = self.capture.iter().find(|(_, expr, each)| match search(expr, &resource.fact) {
                        Value::Null => true,
                        Value::Array(items) => *each && items.iter().all(Value::is_null),
                        _ => false,
                    });
                    let (name, expr, _) = missing.expect("a passing resource without captures lacks one");
                    o.message = format!("{}: found nothing at `{}` to capture as `{name}`", resource.id, expr.as_str());
                    o.resource = Some(resource.id.clone());
                    return o;
                };
                let resource = &resources[index];
                o.status = Status::Pass;
                o.earned = o.points;
                o.hint = None;
                o.captures = captures;
                o.candidates = if self.capture.is_empty() { 1 } else { captured.len() };
                o.resource = Some(resource.id.clone());
                o.message = match resources.len() {
                    1 => format!("{} is as expected", resource.id),
                    n if check.match_mode == MatchMode::All => format!("all {n} selected resources are as expected"),
                    _ => format!("{} is as expected", resource.id),
                };
            }
            Verdict::NoResources => {
                o.message = format!("found no {kind}{}", describe_selector(&self.selector));
            }
            Verdict::Fail { resource, findings } => {
                let r = &resources[resource];
                let failed: Vec<Finding> = findings.into_iter().filter(|f| !f.ok).collect();
                let first = &failed[0];
                let others = match resources.len() {
                    1 => String::new(),
                    n if check.match_mode == MatchMode::All => format!(" (1 of {n} selected)"),
                    n => format!(" (closest of {n} selected)"),
                };
                o.message = format!(
                    "{}{others}: {} is {}; expected to {}",
                    r.id,
                    first.what,
                    show(&first.found),
                    first.expected
                );
                o.resource = Some(r.id.clone());
                o.failures = failed;
            }
        }
        o
    }
}

fn describe_selector(selector: &Selector) -> String {
    if selector.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = selector.iter().map(|(k, v)| format!("{k} {}", show(v))).collect();
    format!(" with {}", parts.join(", "))
}

/// A JMESPath search over one fact; a runtime error (a function on the wrong type) is
/// "nothing found".
pub fn search(expr: &jmespath::Expression<'_>, fact: &Value) -> Value {
    expr.search(fact.clone()).ok().and_then(|v| serde_json::to_value(&*v).ok()).unwrap_or(Value::Null)
}

#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Every resource that satisfies the check, in the order they were listed.
    Pass {
        passing: Vec<usize>,
    },
    NoResources,
    /// The resource the message should speak of, with all its findings.
    Fail {
        resource: usize,
        findings: Vec<Finding>,
    },
}

/// An expectation ready to run: its path parsed once, its matcher built.
pub struct Compiled {
    pub expectation: Expectation,
    pub matcher: Matcher,
    pub path: jmespath::Expression<'static>,
}

impl Compiled {
    pub fn new(expectation: Expectation) -> Result<Compiled, String> {
        let matcher = expectation.matcher()?;
        let path = crate::paths::compile(&expectation.path).map_err(|e| e.to_string())?;
        Ok(Compiled { expectation, matcher, path })
    }
}

/// Every expectation evaluated on one resource, in the check's order.
pub fn findings(resource: &Resource, expectations: &[Compiled]) -> Vec<Finding> {
    expectations
        .iter()
        .map(|c| {
            let found = search(&c.path, &resource.fact);
            Finding {
                path: c.expectation.path.clone(),
                what: c.expectation.label.clone().unwrap_or_else(|| c.expectation.path.clone()),
                expected: c.matcher.describe(),
                ok: c.matcher.test(&found),
                found,
            }
        })
        .collect()
}

/// Decide a check over the selected resources. Pure: no AWS, no time.
pub fn evaluate(resources: &[Resource], expectations: &[Compiled], mode: MatchMode) -> Verdict {
    if resources.is_empty() {
        return Verdict::NoResources;
    }
    let per_resource: Vec<Vec<Finding>> = resources.iter().map(|r| findings(r, expectations)).collect();
    let passes = |f: &Vec<Finding>| f.iter().all(|x| x.ok);
    match mode {
        MatchMode::Any => match (0..resources.len()).filter(|&i| passes(&per_resource[i])).collect::<Vec<_>>() {
            passing if !passing.is_empty() => Verdict::Pass { passing },
            _ => {
                // Speak of the resource that came closest.
                let best = (0..resources.len())
                    .max_by_key(|&i| (per_resource[i].iter().filter(|f| f.ok).count(), std::cmp::Reverse(i)))
                    .unwrap_or(0);
                Verdict::Fail { resource: best, findings: per_resource.into_iter().nth(best).unwrap_or_default() }
            }
        },
        MatchMode::All => match per_resource.iter().position(|f| !passes(f)) {
            None => Verdict::Pass { passing: (0..resources.len()).collect() },
            Some(bad) => {
                Verdict::Fail { resource: bad, findings: per_resource.into_iter().nth(bad).unwrap_or_default() }
            }
        },
    }
}

/// Results made up for tests of what reads them (reports, `watch`): one lab of `labs/`,
/// each check with the status given (FAIL when not named).
#[cfg(test)]
pub mod made_up {
    use super::*;

    pub fn graded(lab_id: &str, statuses: &[(&str, Status)]) -> LabResult {
        let labs = crate::lab::load_labs(std::path::Path::new("labs"));
        let lab = labs.find(lab_id).expect("a lab of labs/").clone();
        let outcomes = lab
            .checks
            .iter()
            .map(|check| {
                let status = statuses.iter().find(|(id, _)| *id == check.id).map_or(Status::Fail, |(_, s)| *s);
                let mut outcome = base_outcome(check, status, format!("{} is {}", check.id, status.as_str()));
                outcome.earned = if status == Status::Pass { check.points } else { 0 };
                outcome.attempts = 1;
                outcome
            })
            .collect();
        LabResult { lab, outcomes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exps(yaml: &str) -> Vec<Compiled> {
        let list: Vec<Expectation> = serde_yaml::from_str(yaml).unwrap();
        list.into_iter().map(|e| Compiled::new(e).unwrap()).collect()
    }

    fn res(id: &str, fact: Value) -> Resource {
        Resource { id: id.into(), fact }
    }

    #[test]
    fn any_passes_on_first_matching_resource() {
        let r = [res("a", json!({"n": 1})), res("b", json!({"n": 5}))];
        assert_eq!(evaluate(&r, &exps("[{path: n, min: 3}]"), MatchMode::Any), Verdict::Pass { passing: vec![1] });
    }

    #[test]
    fn any_fails_speaking_of_the_closest_resource() {
        let r = [res("a", json!({"n": 1, "s": "x"})), res("b", json!({"n": 5, "s": "x"}))];
        let Verdict::Fail { resource, findings } =
            evaluate(&r, &exps("[{path: n, min: 3}, {path: s, equals: y}]"), MatchMode::Any)
        else {
            panic!("expected a failure")
        };
        assert_eq!(resource, 1);
        assert_eq!(findings.iter().filter(|f| !f.ok).count(), 1);
    }

    #[test]
    fn all_needs_every_resource() {
        let r = [res("a", json!({"s": "CURRENT"})), res("b", json!({"s": "OUTDATED"}))];
        let v = evaluate(&r, &exps("[{path: s, equals: CURRENT}]"), MatchMode::All);
        assert!(matches!(v, Verdict::Fail { resource: 1, .. }), "{v:?}");
        assert_eq!(
            evaluate(&r[..1], &exps("[{path: s, equals: CURRENT}]"), MatchMode::All),
            Verdict::Pass { passing: vec![0] }
        );
    }

    #[test]
    fn nothing_selected_is_its_own_verdict() {
        assert_eq!(evaluate(&[], &exps("[{path: s, exists: true}]"), MatchMode::All), Verdict::NoResources);
    }

    #[test]
    fn no_expectations_pass_on_existence() {
        assert_eq!(evaluate(&[res("a", json!({}))], &[], MatchMode::Any), Verdict::Pass { passing: vec![0] });
    }

    #[test]
    fn captures_flow_down_a_needs_chain() {
        let lab: Lab = serde_yaml::from_str(
            "id: l\ntitle: t\nsummary: s\nchecks:\n  - {id: a, title: a, kind: config.rule}\n  \
             - {id: b, title: b, kind: config.rule, needs: [a]}\n  - {id: c, title: c, kind: config.rule, needs: [b]}\n",
        )
        .unwrap();
        let mut done = HashMap::new();
        let mut a = base_outcome(&lab.checks[0], Status::Pass, String::new());
        a.captures.insert("rule_name".into(), json!("s3-sse"));
        done.insert("a".to_string(), a);
        let mut b = base_outcome(&lab.checks[1], Status::Pass, String::new());
        inherit_captures(&lab.checks[1], &mut b, &done);
        done.insert("b".to_string(), b);
        let vars = vars_for(&lab.checks[2], &Vars::new(), |id| done.get(id)).unwrap();
        assert_eq!(vars.get("rule_name"), Some(&json!("s3-sse")));
        // A failed link in the chain hands on nothing: the check is skipped.
        done.get_mut("b").unwrap().status = Status::Fail;
        assert_eq!(vars_for(&lab.checks[2], &Vars::new(), |id| done.get(id)), Err("b".to_string()));
    }

    #[test]
    fn each_capture_makes_every_element_a_candidate() {
        let lab: Lab = serde_yaml::from_str(
            "id: l\ntitle: t\nsummary: s\nchecks:\n  - {id: a, title: a, kind: config.rule, \
             capture: {project: {each: 'actions[].name'}, stage: stage}}\n",
        )
        .unwrap();
        let rendered = Rendered::new(&lab.checks[0], &Vars::new()).unwrap();
        let pipeline = json!({"stage": "Test", "actions": [{"name": "lint"}, {"name": "unit-tests"}]});
        let bindings = rendered.captures_of(&res("p", pipeline));
        assert_eq!(bindings.len(), 2);
        assert_eq!((&bindings[1]["project"], &bindings[1]["stage"]), (&json!("unit-tests"), &json!("Test")));
        assert!(rendered.captures_of(&res("p", json!({"stage": "Test"}))).is_empty(), "nothing to capture");
        assert!(rendered.captures_of(&res("p", json!({"stage": "Test", "actions": []}))).is_empty(), "no element");
    }

    #[test]
    fn jmespath_runtime_errors_are_nothing_found() {
        let expr = crate::paths::compile("length(a)").unwrap();
        assert_eq!(search(&expr, &json!({"a": 5})), Value::Null);
    }
}
