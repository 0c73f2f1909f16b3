//! What a Step Functions definition (Amazon States Language) does, for checks to ask
//! instead of reading its text: every state at any depth (inside Parallel branches and
//! Map item processors too), which Retry and Catch handle its errors, where each
//! catcher's path leads, and how the execution can end after an error: an error caught
//! inside a branch whose path reaches a Fail state fails the enclosing Parallel or Map
//! state with the Fail state's error, which that state's handlers meet next.
//!
//! JSONPath and JSONata definitions share everything read here (`Type`, `Next`,
//! `Choices`, `Default`, `Retry`, `Catch`, `Branches`, `ItemProcessor`/`Iterator`).

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Every state of `definition`, in the order written, each followed by the states inside
/// it. Each is the state as written, plus:
/// - `Name`: its name; `Within`: the Parallel/Map states it is inside, outermost first;
/// - `RetriedBy` / `CaughtBy`: its own `Retry` / `Catch` or, when it has none, those of
///   the nearest enclosing state that has them (an error in a branch or an iteration
///   fails the enclosing state, whose handlers then apply); null when none does;
/// - in `CaughtBy`, each catcher gains `Reaches`: the types of the states its `Next`
///   leads to, that state included, following every transition in its scope; and
///   `Ends`: how the execution can end once the catcher has taken an error
///   (`SUCCEEDED`, `FAILED`), following its path out of branches and iterations;
/// - `Handlers`: its own `Retry` and `Catch`, then those of each enclosing state outward
///   (`[{Name, Retry, Catch}]`), which [`error_handling`] walks for one error.
pub fn states(definition: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    walk(definition, &[], &mut out);
    out
}

/// An enclosing state: its name and its (annotated) error handlers.
#[derive(Clone)]
struct Enclosing {
    name: String,
    retry: Option<Value>,
    catch: Option<Value>,
    /// Its own handlers: `{Name, Retry, Catch}`.
    own: Value,
    /// How the execution can end once this state completes (its branches or iterations
    /// done): following its `Next`, or ending where it ends.
    completes: Vec<String>,
    /// A Map state that tolerates failed iterations (`ToleratedFailurePercentage` or
    /// `ToleratedFailureCount` above 0) may complete although an iteration failed.
    tolerates_failures: bool,
}

const SUCCEEDED: &str = "SUCCEEDED";
const FAILED: &str = "FAILED";

fn walk(scope: &Value, within: &[Enclosing], out: &mut Vec<Value>) {
    let Some(states) = scope.get("States").and_then(Value::as_object) else { return };
    for (name, state) in states {
        let Some(fields) = state.as_object() else { continue };
        let own_retry = fields.get("Retry").filter(|r| !r.is_null()).cloned();
        let own_catch =
            fields.get("Catch").filter(|c| !c.is_null()).map(|catch| annotated_catch(catch, states, within));
        let nearest = |pick: fn(&Enclosing) -> Option<Value>| within.iter().rev().find_map(pick);
        let retried_by = own_retry.clone().or_else(|| nearest(|e| e.retry.clone()));
        let caught_by = own_catch.clone().or_else(|| nearest(|e| e.catch.clone()));
        let mut fact: Map<String, Value> = fields.clone();
        fact.insert("Name".into(), json!(name));
        fact.insert("Within".into(), json!(within.iter().map(|e| e.name.clone()).collect::<Vec<_>>()));
        fact.insert("RetriedBy".into(), retried_by.clone().unwrap_or(Value::Null));
        fact.insert("CaughtBy".into(), caught_by.clone().unwrap_or(Value::Null));
        let own = json!({"Name": name, "Retry": own_retry, "Catch": own_catch});
        let handlers: Vec<Value> =
            std::iter::once(own.clone()).chain(within.iter().rev().map(|e| e.own.clone())).collect();
        fact.insert("Handlers".into(), Value::Array(handlers));
        out.push(Value::Object(fact));

        let inner_scopes: Vec<&Value> = match fields.get("Type").and_then(Value::as_str) {
            Some("Parallel") => fields.get("Branches").and_then(Value::as_array).into_iter().flatten().collect(),
            Some("Map") => fields.get("ItemProcessor").or(fields.get("Iterator")).into_iter().collect(),
            _ => vec![],
        };
        if inner_scopes.is_empty() {
            continue;
        }
        let completes = match fields.get("Next").and_then(Value::as_str) {
            Some(next) => ends_from(&reachable(Some(next), states), within),
            None => ends_here(within),
        };
        let tolerance = |field: &str| fields.get(field).and_then(Value::as_f64).is_some_and(|n| n > 0.0);
        let tolerates_failures = tolerance("ToleratedFailurePercentage") || tolerance("ToleratedFailureCount");
        let mut inner_within = within.to_vec();
        inner_within.push(Enclosing {
            name: name.clone(),
            retry: retried_by,
            catch: caught_by,
            own,
            completes,
            tolerates_failures,
        });
        for inner in inner_scopes {
            walk(inner, &inner_within, out);
        }
    }
}

/// What happens to an error named `error` raised in `state` (an entry of [`states`]), as
/// the States Language says: at each level, from the state outward, the first retrier
/// whose `ErrorEquals` matches retries it; the first matching catcher takes it and ends
/// the walk; with no matching catcher the level fails with the same error, and the
/// enclosing Parallel or Map state meets it next. The answer: `Retriers` (the matching
/// retrier of each level passed), `Catcher` (the catcher that takes it, with `Reaches`;
/// null when none does and the execution fails with the error), `CaughtAt` (the name
/// of that catcher's state) and `Ends` (how the execution can end: the catcher's `Ends`,
/// or `["FAILED"]` when no catcher takes the error).
pub fn error_handling(state: &Value, error: &str) -> Value {
    let mut retriers = Vec::new();
    for level in state["Handlers"].as_array().into_iter().flatten() {
        if let Some(retrier) = first_matching(&level["Retry"], error) {
            retriers.push(retrier.clone());
        }
        if let Some(catcher) = first_matching(&level["Catch"], error) {
            let ends = catcher.get("Ends").cloned().unwrap_or_else(|| json!([]));
            return json!({"Retriers": retriers, "Catcher": catcher, "CaughtAt": level["Name"], "Ends": ends});
        }
    }
    json!({"Retriers": retriers, "Catcher": null, "CaughtAt": null, "Ends": [FAILED]})
}

/// The first retrier or catcher whose `ErrorEquals` matches `error`: its name,
/// `States.ALL` (any error), or `States.TaskFailed` (any error but `States.Timeout`).
fn first_matching<'a>(handlers: &'a Value, error: &str) -> Option<&'a Value> {
    let matches = |name: &str| {
        name == error || name == "States.ALL" || (name == "States.TaskFailed" && error != "States.Timeout")
    };
    handlers
        .as_array()?
        .iter()
        .find(|handler| handler["ErrorEquals"].as_array().into_iter().flatten().filter_map(Value::as_str).any(matches))
}

/// The catchers, each with `Reaches`: the types of the states its path goes through,
/// and `Ends`: how the execution can end after it.
fn annotated_catch(catch: &Value, scope: &Map<String, Value>, within: &[Enclosing]) -> Value {
    let catchers = catch.as_array().cloned().unwrap_or_default();
    let annotated = catchers.into_iter().map(|mut catcher| {
        let next = catcher.get("Next").and_then(Value::as_str).map(str::to_string);
        let reached = reachable(next.as_deref(), scope);
        let types: Vec<&str> = reached.iter().filter_map(|state| state.get("Type").and_then(Value::as_str)).collect();
        let ends = ends_from(&reached, within);
        if let Some(fields) = catcher.as_object_mut() {
            fields.insert("Reaches".into(), json!(types));
            fields.insert("Ends".into(), json!(ends));
        }
        catcher
    });
    Value::Array(annotated.collect())
}

/// The states reachable from `start` (included) by any transition, in first-seen order.
fn reachable<'a>(start: Option<&str>, scope: &'a Map<String, Value>) -> Vec<&'a Value> {
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    let mut queue: Vec<String> = start.map(str::to_string).into_iter().collect();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(state) = scope.get(&name) else { continue };
        found.push(state);
        queue.extend(transitions(state).into_iter().rev());
    }
    found
}

/// How the execution can end after a path that reaches `reached` (states of one scope,
/// inside `within`): at each state that ends its scope, a Fail state fails the scope
/// with its error, which the enclosing states' handlers meet ([`ends_after_error`]); any
/// other end completes the scope ([`ends_here`]). Sorted, without repeats.
fn ends_from(reached: &[&Value], within: &[Enclosing]) -> Vec<String> {
    let mut ends = BTreeSet::new();
    for state in reached {
        let kind = state.get("Type").and_then(Value::as_str);
        if kind == Some("Fail") {
            // An `ErrorPath` (or a JSONata `Error`) is known only when it runs: only
            // the catch-alls are sure to match it.
            let error = state.get("Error").and_then(Value::as_str).filter(|e| !e.contains("{%")).unwrap_or("");
            ends.extend(ends_after_error(error, within));
        } else if kind == Some("Succeed") || state.get("End").and_then(Value::as_bool) == Some(true) {
            ends.extend(ends_here(within));
        }
    }
    ends.into_iter().collect()
}

/// How the execution can end once a scope inside `within` completes: it succeeds at the
/// top level; in a branch or an iteration, the enclosing state completes.
fn ends_here(within: &[Enclosing]) -> Vec<String> {
    within.last().map_or_else(|| vec![SUCCEEDED.to_string()], |enclosing| enclosing.completes.clone())
}

/// How the execution can end once a scope inside `within` fails with `error`: the first
/// enclosing state (outward) with a catcher for it follows that catcher's path; with
/// none, the execution fails. A Map state that tolerates failed iterations may also
/// complete as usual.
fn ends_after_error(error: &str, within: &[Enclosing]) -> Vec<String> {
    let mut ends = BTreeSet::new();
    for enclosing in within.iter().rev() {
        if enclosing.tolerates_failures {
            ends.extend(enclosing.completes.iter().cloned());
        }
        if let Some(catcher) = first_matching(&enclosing.own["Catch"], error) {
            let caught = catcher.get("Ends").and_then(Value::as_array).into_iter().flatten();
            ends.extend(caught.filter_map(Value::as_str).map(str::to_string));
            return ends.into_iter().collect();
        }
        // No catcher here: this state fails too, and the one around it meets the error.
    }
    ends.insert(FAILED.to_string());
    ends.into_iter().collect()
}

/// The states a state can move to next: `Next`, a Choice's rules and `Default`, and its
/// catchers.
fn transitions(state: &Value) -> Vec<String> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    let mut next: Vec<String> = state.get("Next").and_then(text).into_iter().collect();
    let choices = state.get("Choices").and_then(Value::as_array).into_iter().flatten();
    next.extend(choices.filter_map(|choice| choice.get("Next").and_then(text)));
    next.extend(state.get("Default").and_then(text));
    let catchers = state.get("Catch").and_then(Value::as_array).into_iter().flatten();
    next.extend(catchers.filter_map(|catcher| catcher.get("Next").and_then(text)));
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named<'a>(states: &'a [Value], name: &str) -> &'a Value {
        states.iter().find(|s| s["Name"] == name).unwrap_or_else(|| panic!("no state {name}"))
    }

    #[test]
    fn finds_states_inside_parallel_branches_and_map_processors() {
        let definition = json!({"StartAt": "Fan", "States": {
            "Fan": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
            ]},
            "Each": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "B", "States": {
                "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}},
            "Old": {"Type": "Map", "End": true, "Iterator": {"StartAt": "C", "States": {
                "C": {"Type": "Pass", "End": true}}}}
        }});
        let states = states(&definition);
        let names: Vec<&str> = states.iter().filter_map(|s| s["Name"].as_str()).collect();
        assert_eq!(names, ["Fan", "A", "Each", "B", "Old", "C"]);
        assert_eq!(named(&states, "A")["Within"], json!(["Fan"]));
        assert_eq!(named(&states, "Fan")["Within"], json!([]));
    }

    #[test]
    fn a_state_without_handlers_is_handled_by_the_nearest_enclosing_state_that_has_them() {
        let definition = json!({"StartAt": "Fan", "States": {
            "Fan": {"Type": "Parallel", "Next": "Done",
                "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Notify"}],
                "Branches": [{"StartAt": "A", "States": {
                    "A": {"Type": "Task", "Resource": "r", "End": true},
                    "Own": {"Type": "Task", "Resource": "r", "End": true,
                        "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Quiet"}]},
                    "Quiet": {"Type": "Succeed"}}}]},
            "Notify": {"Type": "Task", "Resource": "sns", "Next": "Failed"},
            "Failed": {"Type": "Fail"},
            "Done": {"Type": "Succeed"}
        }});
        let states = states(&definition);
        let a = named(&states, "A");
        assert_eq!(a["RetriedBy"][0]["BackoffRate"], json!(2));
        assert_eq!(a["CaughtBy"][0]["Reaches"], json!(["Task", "Fail"]));
        let own = named(&states, "Own");
        assert_eq!(own["CaughtBy"][0]["Reaches"], json!(["Succeed"]), "its own catcher, in its branch");
        assert_eq!(own["RetriedBy"][0]["ErrorEquals"], json!(["States.ALL"]));
        assert_eq!(named(&states, "Notify")["CaughtBy"], Value::Null);
    }

    #[test]
    fn an_error_meets_the_first_matching_handler_of_each_level_outward() {
        let definition = json!({"StartAt": "Fan", "States": {
            "Fan": {"Type": "Parallel", "End": true,
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "BackoffRate": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
                "Branches": [{"StartAt": "Each", "States": {
                    "Each": {"Type": "Map", "End": true,
                        "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Skip"}],
                        "ItemProcessor": {"StartAt": "Work", "States": {
                            "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                                "Retry": [{"ErrorEquals": ["States.Timeout"], "BackoffRate": 1}]}}}},
                    "Skip": {"Type": "Succeed"}}}]},
            "Failed": {"Type": "Fail"}
        }});
        let states = states(&definition);
        let work = named(&states, "Work");
        let names: Vec<&Value> = work["Handlers"].as_array().unwrap().iter().map(|h| &h["Name"]).collect();
        assert_eq!(names, [&json!("Work"), &json!("Each"), &json!("Fan")]);

        let lambda = error_handling(work, "Lambda.ServiceException");
        assert_eq!(lambda["Retriers"], json!([{"ErrorEquals": ["Lambda.ServiceException"], "BackoffRate": 2}]));
        assert_eq!((&lambda["CaughtAt"], &lambda["Catcher"]["Reaches"]), (&json!("Fan"), &json!(["Fail"])));

        let timeout = error_handling(work, "States.Timeout");
        assert_eq!(timeout["Retriers"], json!([{"ErrorEquals": ["States.Timeout"], "BackoffRate": 1}]));
        assert_eq!((&timeout["CaughtAt"], &timeout["Catcher"]["Reaches"]), (&json!("Each"), &json!(["Succeed"])));

        let fan = named(&states, "Fan");
        assert_eq!(error_handling(fan, "Custom.Error")["CaughtAt"], json!("Fan"));
        assert_eq!(error_handling(named(&states, "Failed"), "Custom.Error")["Catcher"], Value::Null);
    }

    #[test]
    fn task_failed_matches_every_error_but_a_timeout() {
        let state = json!({"Handlers": [{"Name": "T", "Retry": null,
            "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "X", "Reaches": []}]}]});
        assert_eq!(error_handling(&state, "Lambda.ServiceException")["CaughtAt"], json!("T"));
        assert_eq!(error_handling(&state, "States.Timeout")["Catcher"], Value::Null);
    }

    #[test]
    fn a_catchers_path_follows_choices_defaults_and_loops() {
        let definition = json!({"StartAt": "Work", "States": {
            "Work": {"Type": "Task", "Resource": "r", "End": true,
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Decide"}]},
            "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.retry", "BooleanEquals": true, "Next": "Wait"}],
                "Default": "Give up"},
            "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Decide"},
            "Give up": {"Type": "Fail"}
        }});
        let states = states(&definition);
        assert_eq!(named(&states, "Work")["CaughtBy"][0]["Reaches"], json!(["Choice", "Wait", "Fail"]));
        assert!(super::states(&json!({"no": "states"})).is_empty());
    }

    /// A Parallel state whose one branch catches a Lambda error and ends in a Fail state.
    fn order_flow(parallel_catch: Value) -> Value {
        json!({"StartAt": "Fan", "States": {
            "Fan": {"Type": "Parallel", "Next": "Done", "Catch": parallel_catch,
                "Branches": [{"StartAt": "Charge", "States": {
                    "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Refund"}]},
                    "Refund": {"Type": "Pass", "Next": "Give up"},
                    "Give up": {"Type": "Fail", "Error": "Order.Failed"}}}]},
            "Log": {"Type": "Pass", "Next": "Done"},
            "Stop": {"Type": "Fail", "Error": "Order.Failed"},
            "Done": {"Type": "Succeed"}
        }})
    }

    fn ends(definition: &Value, state: &str, error: &str) -> Value {
        error_handling(named(&states(definition), state), error)["Ends"].clone()
    }

    #[test]
    fn a_fail_state_in_a_branch_fails_the_parallel_state_whose_catchers_decide_the_end() {
        let no_catch = order_flow(Value::Null);
        assert_eq!(ends(&no_catch, "Charge", "Order.Unexpected"), json!(["FAILED"]));

        let swallowed = order_flow(json!([{"ErrorEquals": ["Order.Failed"], "Next": "Log"}]));
        assert_eq!(ends(&swallowed, "Charge", "Order.Unexpected"), json!(["SUCCEEDED"]));
        let swallowed_states = states(&swallowed);
        let caught = &named(&swallowed_states, "Charge")["CaughtBy"][0];
        assert_eq!(caught["Reaches"], json!(["Pass", "Fail"]), "the path inside the branch");

        let rethrown = order_flow(json!([
            {"ErrorEquals": ["Order.Failed"], "Next": "Stop"},
            {"ErrorEquals": ["States.ALL"], "Next": "Log"}]));
        assert_eq!(ends(&rethrown, "Charge", "Order.Unexpected"), json!(["FAILED"]), "the first matching catcher");
        assert_eq!(ends(&rethrown, "Fan", "Other.Error"), json!(["SUCCEEDED"]));

        let task_failed = order_flow(json!([{"ErrorEquals": ["States.TaskFailed"], "Next": "Log"}]));
        assert_eq!(
            ends(&task_failed, "Charge", "States.Timeout"),
            json!(["SUCCEEDED"]),
            "Order.Failed is what Fan meets"
        );
    }

    #[test]
    fn a_branch_that_completes_continues_after_the_enclosing_state() {
        let definition = json!({"StartAt": "Each", "States": {
            "Each": {"Type": "Map", "Next": "Check", "ItemProcessor": {"StartAt": "Work", "States": {
                "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Skip"}]},
                "Skip": {"Type": "Pass", "End": true}}}},
            "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}],
                "Default": "Failed"},
            "Done": {"Type": "Succeed"},
            "Failed": {"Type": "Fail", "Error": "Batch.Failed"}
        }});
        assert_eq!(ends(&definition, "Work", "Any.Error"), json!(["FAILED", "SUCCEEDED"]));
    }

    #[test]
    fn a_map_state_that_tolerates_failed_iterations_may_complete_after_one_fails() {
        let definition = |tolerance: Value| {
            json!({"StartAt": "Each", "States": {
                "Each": {"Type": "Map", "End": true, "ToleratedFailurePercentage": tolerance,
                    "ItemProcessor": {"StartAt": "Work", "States": {
                        "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]},
                        "Failed": {"Type": "Fail", "Error": "Item.Failed"}}}}
            }})
        };
        assert_eq!(ends(&definition(json!(10)), "Work", "Any.Error"), json!(["FAILED", "SUCCEEDED"]));
        assert_eq!(ends(&definition(json!(0)), "Work", "Any.Error"), json!(["FAILED"]));
    }
}
