//! What a Step Functions definition (Amazon States Language) does, for checks to ask
//! instead of reading its text: every state at any depth (inside Parallel branches and
//! Map item processors too), which Retry and Catch handle its errors, and where each
//! catcher's path leads.
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
///   leads to, that state included, following every transition in its scope;
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
}

fn walk(scope: &Value, within: &[Enclosing], out: &mut Vec<Value>) {
    let Some(states) = scope.get("States").and_then(Value::as_object) else { return };
    for (name, state) in states {
        let Some(fields) = state.as_object() else { continue };
        let own_retry = fields.get("Retry").filter(|r| !r.is_null()).cloned();
        let own_catch = fields.get("Catch").filter(|c| !c.is_null()).map(|catch| annotated_catch(catch, states));
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
        let mut inner_within = within.to_vec();
        inner_within.push(Enclosing { name: name.clone(), retry: retried_by, catch: caught_by, own });
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
/// null when none does and the execution fails with the error) and `CaughtAt` (the name
/// of that catcher's state).
pub fn error_handling(state: &Value, error: &str) -> Value {
    let mut retriers = Vec::new();
    for level in state["Handlers"].as_array().into_iter().flatten() {
        if let Some(retrier) = first_matching(&level["Retry"], error) {
            retriers.push(retrier.clone());
        }
        if let Some(catcher) = first_matching(&level["Catch"], error) {
            return json!({"Retriers": retriers, "Catcher": catcher, "CaughtAt": level["Name"]});
        }
    }
    json!({"Retriers": retriers, "Catcher": null, "CaughtAt": null})
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

/// The catchers, each with `Reaches`: the types of the states its path goes through.
fn annotated_catch(catch: &Value, scope: &Map<String, Value>) -> Value {
    let catchers = catch.as_array().cloned().unwrap_or_default();
    let annotated = catchers.into_iter().map(|mut catcher| {
        let next = catcher.get("Next").and_then(Value::as_str).map(str::to_string);
        if let Some(fields) = catcher.as_object_mut() {
            fields.insert("Reaches".into(), json!(reachable_types(next.as_deref(), scope)));
        }
        catcher
    });
    Value::Array(annotated.collect())
}

/// The types of the states reachable from `start` (included) by any transition, in
/// first-seen order.
fn reachable_types(start: Option<&str>, scope: &Map<String, Value>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut types = Vec::new();
    let mut queue: Vec<String> = start.map(str::to_string).into_iter().collect();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(state) = scope.get(&name) else { continue };
        if let Some(kind) = state.get("Type").and_then(Value::as_str) {
            types.push(kind.to_string());
        }
        queue.extend(transitions(state).into_iter().rev());
    }
    types
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
}
