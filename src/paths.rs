//! JMESPath as labs write it: the standard functions, plus a few that ask what a policy
//! value means rather than how it is spelt.
//!
//! - `action_matches(actions, 'service:Action')`: whether an IAM `Action` (or `NotAction`)
//!   value, a string or a list, covers the action. IAM reads `*` as any run of
//!   characters and `?` as any one, and ignores letter case in action names, so
//!   `secretsmanager:Get*` and `SecretsManager:getsecretvalue` both cover
//!   `secretsmanager:GetSecretValue`.
//! - `arn_matches(resources, 'arn:…')`: whether a `Resource` (or `NotResource`) value
//!   covers the ARN, with the same wildcards; ARNs keep their case.
//! - `lower(string)`: the string in lower case, for names AWS compares without case
//!   (condition keys, `Bool` values).
//! - `policy_allows(policies, question)`: whether IAM's evaluation of the policies (one
//!   document or a list; objects or JSON text) allows the question's request, such as
//!   `{action: 'sns:Publish', principal: 'events.amazonaws.com', resource: TopicArn}`.
//!   `policy_denies` says whether a statement explicitly denies it;
//!   `canonical_policy(document)` gives the document in the one spelling evaluation
//!   reads. See [`crate::policy_eval`].
//! - `arn_part(arn, 'account')`: one part of an ARN (`partition`, `service`, `region`,
//!   `account` or `resource`), for a question about the resource's own account.
//! - `var('name')`: the value of a lab param, or of a capture of a check this one needs
//!   (what `{{ name }}` gives elsewhere). A path cannot hold templates, so that a value
//!   can never change what the path means; `var` hands the value in as data, for a
//!   policy question such as `{action: 'sns:Publish', resource: var('topic_arn')}`.
//!
//! A null or missing value covers nothing.

use crate::lab::template::Vars;
use crate::policy_eval;
use jmespath::ast::Ast;
use jmespath::functions::{ArgumentType, CustomFunction, Signature};
use jmespath::{Context, ErrorReason, Expression, JmespathError, Rcvar, Runtime, Variable};
use std::sync::{Arc, LazyLock};

thread_local! {
    /// The variables `var()` reads, set by [`with_vars`] around a check's searches.
    static VARS: std::cell::RefCell<Vars> = const { std::cell::RefCell::new(Vars::new()) };
}

/// Run `searches` with `vars` visible to `var()`. Searches are synchronous, so the
/// variables cannot leak into another check's searches on this thread.
pub fn with_vars<T>(vars: &Vars, searches: impl FnOnce() -> T) -> T {
    let previous = VARS.with(|v| v.replace(vars.clone()));
    let result = searches();
    VARS.with(|v| v.replace(previous));
    result
}

/// The names a path reads with `var('name')`, for validation (none when it does not
/// compile: validation reports that on its own).
pub fn var_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack: Vec<Ast> = compile(path).map(|e| vec![e.as_ast().clone()]).unwrap_or_default();
    while let Some(node) = stack.pop() {
        if let Ast::Function { name, args, .. } = &node
            && name == "var"
            && let [Ast::Literal { value, .. }] = &args[..]
            && let Some(name) = value.as_string()
        {
            names.push(name.clone());
        }
        stack.extend(children(node));
    }
    names.reverse();
    names
}

/// Text written over several lines (a long path, an error), on one.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether `name` is a JMESPath identifier that needs no quotes (`retentionInDays`).
pub fn is_plain_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The functions labcheck adds to JMESPath (the AWS CLI's `--query` has none of them).
pub const LABCHECK_FUNCTIONS: &[&str] = &[
    "action_matches",
    "arn_matches",
    "lower",
    "policy_allows",
    "policy_denies",
    "role_allows",
    "canonical_policy",
    "arn_part",
    "sfn_states",
    "sfn_error",
    "sh_fails_with",
    "yaml",
    "items",
    "var",
];

/// The functions of [`LABCHECK_FUNCTIONS`] a path calls, in reading order, each once.
pub fn labcheck_functions_in(path: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = Vec::new();
    let mut stack: Vec<Ast> = compile(path).map(|e| vec![e.as_ast().clone()]).unwrap_or_default();
    while let Some(node) = stack.pop() {
        if let Ast::Function { name, .. } = &node
            && let Some(known) = LABCHECK_FUNCTIONS.iter().find(|f| *f == name)
            && !found.contains(known)
        {
            found.push(known);
        }
        let mut children = children(node);
        children.reverse();
        stack.extend(children);
    }
    found
}

/// A policy question a path asks of the fact itself (`policy_allows(Attributes.Policy,
/// {...})`): the function, and the expressions that give its policies and its question.
pub struct PolicyQuestion {
    pub function: String,
    pub policies: Expression<'static>,
    pub question: Expression<'static>,
}

/// The policy questions (`policy_allows`, `policy_denies`, `role_allows`) a path asks of
/// the whole fact: those outside any projection or sub-expression, whose arguments can
/// be evaluated on the fact alone to show what was asked.
pub fn policy_questions(path: &str) -> Vec<PolicyQuestion> {
    let mut questions = Vec::new();
    let mut stack: Vec<Ast> = compile(path).map(|e| vec![e.as_ast().clone()]).unwrap_or_default();
    while let Some(node) = stack.pop() {
        match node {
            Ast::Function { name, args, .. }
                if ["policy_allows", "policy_denies", "role_allows"].contains(&name.as_str()) && args.len() == 2 =>
            {
                let expression = |ast: &Ast| Expression::new(format!("argument of {name}"), ast.clone(), &RUNTIME);
                questions.push(PolicyQuestion {
                    policies: expression(&args[0]),
                    question: expression(&args[1]),
                    function: name,
                });
            }
            // These evaluate their operands on the same value as themselves.
            Ast::Comparison { .. } | Ast::And { .. } | Ast::Or { .. } | Ast::Not { .. } | Ast::Function { .. } => {
                let mut children = children(node);
                children.reverse();
                stack.extend(children);
            }
            _ => {}
        }
    }
    questions
}

/// Whether the path reads a field of a negation (`!a.b`): JMESPath binds `!` tighter than
/// `.`, so that reads `.b` of `!a` (a boolean), always null, and a filter on it never
/// holds. The author meant `!(a.b)`.
pub fn reads_a_negation(path: &str) -> bool {
    let mut stack: Vec<Ast> = compile(path).map(|e| vec![e.as_ast().clone()]).unwrap_or_default();
    while let Some(node) = stack.pop() {
        if let Ast::Subexpr { lhs, .. } | Ast::Projection { lhs, .. } = &node
            && matches!(**lhs, Ast::Not { .. })
        {
            return true;
        }
        stack.extend(children(node));
    }
    false
}

/// The expressions directly inside `node`, in reading order.
fn children(node: Ast) -> Vec<Ast> {
    match node {
        Ast::Comparison { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Subexpr { lhs, rhs, .. } => vec![*lhs, *rhs],
        Ast::Condition { predicate, then, .. } => vec![*predicate, *then],
        Ast::Expref { ast: node, .. }
        | Ast::Flatten { node, .. }
        | Ast::Not { node, .. }
        | Ast::ObjectValues { node, .. } => {
            vec![*node]
        }
        Ast::Function { args, .. } => args,
        Ast::MultiList { elements, .. } => elements,
        Ast::MultiHash { elements, .. } => elements.into_iter().map(|pair| pair.value).collect(),
        Ast::Identity { .. } | Ast::Field { .. } | Ast::Index { .. } | Ast::Literal { .. } | Ast::Slice { .. } => {
            vec![]
        }
    }
}

static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    let mut runtime = Runtime::new();
    runtime.register_builtin_functions();
    let patterns_and_value = || {
        let patterns = ArgumentType::Union(vec![ArgumentType::String, ArgumentType::Array, ArgumentType::Null]);
        Signature::new(vec![patterns, ArgumentType::String], None)
    };
    runtime.register_function(
        "action_matches",
        Box::new(CustomFunction::new(patterns_and_value(), Box::new(|args, _| covers(args, true)))),
    );
    runtime.register_function(
        "arn_matches",
        Box::new(CustomFunction::new(patterns_and_value(), Box::new(|args, _| covers(args, false)))),
    );
    runtime.register_function(
        "lower",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::String], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                Ok(Arc::new(Variable::String(args[0].as_string().map(|s| s.to_lowercase()).unwrap_or_default())))
            }),
        )),
    );
    runtime.register_function(
        "unique",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Array], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                let mut seen: Vec<Rcvar> = Vec::new();
                for item in args[0].as_array().into_iter().flatten() {
                    if !seen.contains(item) {
                        seen.push(item.clone());
                    }
                }
                Ok(Arc::new(Variable::Array(seen)))
            }),
        )),
    );
    let policy_question = || Signature::new(vec![ArgumentType::Any, ArgumentType::Object], None);
    runtime.register_function(
        "policy_allows",
        Box::new(CustomFunction::new(policy_question(), Box::new(|args, ctx| answer(args, ctx, |a| a.allows)))),
    );
    runtime.register_function(
        "policy_denies",
        Box::new(CustomFunction::new(policy_question(), Box::new(|args, ctx| answer(args, ctx, |a| a.denies)))),
    );
    runtime.register_function(
        "role_allows",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Object, ArgumentType::Object], None),
            Box::new(|args: &[Rcvar], ctx: &mut Context<'_>| {
                let allowed = policy_eval::role_allows(&to_json(&args[0]), &to_json(&args[1]))
                    .map_err(|e| runtime_error(ctx, e))?;
                Ok(Arc::new(Variable::Bool(allowed)))
            }),
        )),
    );
    runtime.register_function(
        "canonical_policy",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Any], None),
            Box::new(|args: &[Rcvar], ctx: &mut Context<'_>| {
                let canonical = policy_eval::canonical(&to_json(&args[0])).map_err(|e| runtime_error(ctx, e))?;
                Ok(Arc::new(Variable::from_serializable(canonical)?))
            }),
        )),
    );
    runtime.register_function(
        "arn_part",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::String, ArgumentType::String], None),
            Box::new(|args: &[Rcvar], ctx: &mut Context<'_>| {
                let (arn, part) = (args[0].as_string().cloned().unwrap_or_default(), args[1].as_string().cloned());
                let index = ["partition", "service", "region", "account", "resource"]
                    .iter()
                    .position(|p| Some(*p) == part.as_deref())
                    .ok_or_else(|| runtime_error(ctx, format!("an ARN has no part {part:?}")))?;
                let parts: Vec<&str> = arn.splitn(6, ':').collect();
                let found = (parts.len() == 6 && parts[0] == "arn").then(|| parts[index + 1].to_string());
                Ok(Arc::new(found.map_or(Variable::Null, Variable::String)))
            }),
        )),
    );
    runtime.register_function(
        "sfn_states",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Any], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                Ok(Arc::new(Variable::from_serializable(crate::state_machine::states(&to_json(&args[0])))?))
            }),
        )),
    );
    runtime.register_function(
        "sfn_error",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Object, ArgumentType::String], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                let error = args[1].as_string().cloned().unwrap_or_default();
                let handling = crate::state_machine::error_handling(&to_json(&args[0]), &error);
                Ok(Arc::new(Variable::from_serializable(handling)?))
            }),
        )),
    );
    runtime.register_function(
        "sh_fails_with",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Any, ArgumentType::String], None),
            Box::new(|args: &[Rcvar], ctx: &mut Context<'_>| {
                // Whether a shell command line fails when a command in it matching the
                // regex fails (see crate::shell); null when none matches, or unknown.
                let pattern = args[1].as_string().cloned().unwrap_or_default();
                let command = regex_lite::Regex::new(&pattern).map_err(|e| runtime_error(ctx, e.to_string()))?;
                let answer = args[0]
                    .as_string()
                    .and_then(|line| crate::shell::fails_when(line, &|words| command.is_match(words)));
                Ok(Arc::new(answer.map_or(Variable::Null, Variable::Bool)))
            }),
        )),
    );
    runtime.register_function(
        "yaml",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Any], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                // YAML text (a buildspec, a template) as data; JSON is YAML too. Not text, or
                // not YAML: null.
                let parsed = args[0]
                    .as_string()
                    .and_then(|text| serde_yaml::from_str::<serde_json::Value>(text).ok())
                    .unwrap_or(serde_json::Value::Null);
                Ok(Arc::new(Variable::from_serializable(parsed)?))
            }),
        )),
    );
    runtime.register_function(
        "items",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::Object], None),
            Box::new(|args: &[Rcvar], _: &mut Context<'_>| {
                let pairs: Vec<Rcvar> = args[0]
                    .as_object()
                    .map(|object| {
                        object
                            .iter()
                            .map(|(key, value)| {
                                Arc::new(Variable::Array(vec![Arc::new(Variable::String(key.clone())), value.clone()]))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Ok(Arc::new(Variable::Array(pairs)))
            }),
        )),
    );
    runtime.register_function(
        "var",
        Box::new(CustomFunction::new(
            Signature::new(vec![ArgumentType::String], None),
            Box::new(|args: &[Rcvar], ctx: &mut Context<'_>| {
                let name = args[0].as_string().cloned().unwrap_or_default();
                let value = VARS.with(|vars| vars.borrow().get(&name).cloned());
                let value = value.ok_or_else(|| runtime_error(ctx, format!("no variable `{name}`")))?;
                Ok(Arc::new(Variable::from_serializable(value)?))
            }),
        )),
    );
    runtime
});

/// `part` of IAM's answer to the question `args[1]` about the policies `args[0]`.
fn answer(
    args: &[Rcvar],
    ctx: &mut Context<'_>,
    part: fn(policy_eval::Answers) -> bool,
) -> Result<Rcvar, JmespathError> {
    let found = policy_eval::evaluate(&to_json(&args[0]), &to_json(&args[1])).map_err(|e| runtime_error(ctx, e))?;
    Ok(Arc::new(Variable::Bool(part(found))))
}

fn to_json(value: &Rcvar) -> serde_json::Value {
    serde_json::to_value(&**value).unwrap_or(serde_json::Value::Null)
}

/// A function's own error. Grading reads any runtime error as "nothing found".
fn runtime_error(ctx: &Context<'_>, message: String) -> JmespathError {
    JmespathError::from_ctx(ctx, ErrorReason::Parse(message))
}

/// Compile a lab's JMESPath with labcheck's functions.
pub fn compile(expression: &str) -> Result<Expression<'static>, JmespathError> {
    RUNTIME.compile(expression)
}

/// `args[0]` (a pattern or list of patterns) covers `args[1]`.
fn covers(args: &[Rcvar], ignore_case: bool) -> Result<Rcvar, JmespathError> {
    let value = args[1].as_string().cloned().unwrap_or_default();
    let patterns: Vec<String> = match &*args[0] {
        Variable::String(s) => vec![s.clone()],
        Variable::Array(items) => items.iter().filter_map(|v| v.as_string().cloned()).collect(),
        _ => vec![],
    };
    let fold = |s: &str| if ignore_case { s.to_lowercase() } else { s.to_string() };
    let value = fold(&value);
    Ok(Arc::new(Variable::Bool(patterns.iter().any(|p| wildcard_match(&fold(p), &value)))))
}

/// IAM's wildcard match: `*` is any run of characters (also none), `?` any one.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and the text position it has swallowed up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn eval(expr: &str, data: Value) -> Value {
        crate::grade::search(&compile(expr).unwrap(), &data)
    }

    /// The examples of the IAM User Guide's Action and Resource element pages.
    #[test]
    fn wildcards_as_iam_reads_them() {
        assert!(wildcard_match("iam:*accesskey*", "iam:createaccesskey"));
        assert!(wildcard_match("s3:*", "s3:getobject"));
        assert!(wildcard_match("*", "anything:at-all"));
        assert!(wildcard_match("arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket/a/b.txt"));
        assert!(!wildcard_match("arn:aws:s3:::amzn-s3-demo-bucket/*", "arn:aws:s3:::amzn-s3-demo-bucket"));
        assert!(wildcard_match("arn:aws:iam::123456789012:user/D???", "arn:aws:iam::123456789012:user/Dave"));
        assert!(!wildcard_match("arn:aws:iam::123456789012:user/D???", "arn:aws:iam::123456789012:user/Diane"));
        assert!(wildcard_match("a*b*c", "axxbyyc"));
        assert!(!wildcard_match("a*b*c", "axxbyy"));
        assert!(wildcard_match("", ""));
        assert!(!wildcard_match("", "x"));
    }

    #[test]
    fn action_matches_ignores_case_and_takes_a_string_or_a_list() {
        let statement = json!({"Action": ["ec2:Describe*", "SecretsManager:get*"], "Single": "s3:*"});
        assert_eq!(eval("action_matches(Action, 'secretsmanager:GetSecretValue')", statement.clone()), json!(true));
        assert_eq!(eval("action_matches(Single, 's3:GetObject')", statement.clone()), json!(true));
        assert_eq!(eval("action_matches(Action, 'secretsmanager:PutSecretValue')", statement.clone()), json!(false));
        assert_eq!(eval("action_matches(Missing, 's3:GetObject')", statement), json!(false));
    }

    #[test]
    fn arn_matches_keeps_case() {
        let statement = json!({"Resource": "arn:aws:s3:::Data/*"});
        assert_eq!(eval("arn_matches(Resource, 'arn:aws:s3:::Data/x')", statement.clone()), json!(true));
        assert_eq!(eval("arn_matches(Resource, 'arn:aws:s3:::data/x')", statement), json!(false));
    }

    #[test]
    fn unique_keeps_the_first_of_each_value() {
        let subnets = json!({"Subnets": [
            {"AvailabilityZone": "eu-west-1a"}, {"AvailabilityZone": "eu-west-1a"}, {"AvailabilityZone": "eu-west-1b"}
        ]});
        assert_eq!(eval("unique(Subnets[].AvailabilityZone)", subnets), json!(["eu-west-1a", "eu-west-1b"]));
        assert_eq!(eval("length(unique(`[]`))", json!({})), json!(0));
    }

    #[test]
    fn lower_folds_case() {
        assert_eq!(eval("lower(k)", json!({"k": "aws:MultiFactorAuthPresent"})), json!("aws:multifactorauthpresent"));
    }

    #[test]
    fn policy_questions_read_the_fact_they_are_asked_on() {
        // An SNS topic whose policy is JSON text, as GetTopicAttributes returns it.
        let topic = json!({"Attributes": {
            "TopicArn": "arn:aws:sns:us-east-1:111122223333:alerts",
            "Policy": r#"{"Statement":{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}}"#
        }});
        let ask = |who: &str| {
            format!(
                "policy_allows(Attributes.Policy, {{action: 'sns:Publish', principal: '{who}', resource: Attributes.TopicArn}})"
            )
        };
        assert_eq!(eval(&ask("events.amazonaws.com"), topic.clone()), json!(true));
        assert_eq!(eval(&ask("s3.amazonaws.com"), topic.clone()), json!(false));
        let insecure =
            "policy_denies(Attributes.Policy, {action: 'sns:Publish', context: {\"aws:SecureTransport\": 'false'}})";
        assert_eq!(eval(insecure, topic.clone()), json!(false));
        assert_eq!(eval("canonical_policy(Attributes.Policy).Statement[0].Action", topic), json!(["sns:Publish"]));
        // A question the evaluator cannot read finds nothing.
        assert_eq!(eval("policy_allows(Attributes.Policy, {verb: 'x'})", json!({})), Value::Null);
    }

    #[test]
    fn var_reads_the_checks_variables_as_data() {
        let vars: Vars = [("topic".to_string(), json!("arn:aws:sns:us-east-1:111122223333:alerts"))].into();
        let found = with_vars(&vars, || eval("[var('topic'), var('nothing')]", json!({})));
        assert_eq!(found, Value::Null, "an unknown variable is an error, so nothing is found");
        let found = with_vars(&vars, || eval("var('topic')", json!({})));
        assert_eq!(found, json!("arn:aws:sns:us-east-1:111122223333:alerts"));
        assert_eq!(eval("var('topic')", json!({})), Value::Null, "outside with_vars there are none");
        assert_eq!(
            var_names("policy_allows(P, {resource: var('topic'), context: {k: var( 'rule_arn')}})"),
            ["topic", "rule_arn"]
        );
        assert!(var_names(r"starts_with(Name, 'var(\'x\')')").is_empty(), "text that only looks like a call");
        assert_eq!(var_names("[?a == var('x')] | sort_by(@, &var('y'))"), ["x", "y"]);
    }

    #[test]
    fn sfn_states_answers_where_a_tasks_errors_lead() {
        let machine = json!({"definition": {"StartAt": "Work", "States": {
            "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Notify"}]},
            "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true},
            "Done": {"Type": "Succeed"}, "Failed": {"Type": "Fail"}}}});
        let unfailing = "sfn_states(definition)[?Type=='Task' && contains(Resource, 'lambda')] \
                         | [?!CaughtBy || length(CaughtBy[?!contains(Reaches, 'Fail')]) > `0`].Name";
        assert_eq!(eval(unfailing, machine.clone()), json!(["Work"]), "the catcher's path ends without failing");
        let mut fixed = machine;
        fixed["definition"]["States"]["Notify"] = json!({"Type": "Task", "Resource": "sns", "Next": "Failed"});
        assert_eq!(eval(unfailing, fixed), json!([]));
    }

    #[test]
    fn sfn_error_says_how_the_execution_ends() {
        let machine = json!({"definition": {"StartAt": "Work", "States": {
            "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
                "Retry": [{"ErrorEquals": ["Lambda.ServiceException"], "BackoffRate": 2}]},
            "Done": {"Type": "Succeed"}}}});
        let tasks = "sfn_states(definition)[?Type=='Task']";
        let uncaught = format!("{tasks} | [?!(sfn_error(@, 'Any.Error').Catcher)].Name");
        assert_eq!(eval(&uncaught, machine.clone()), json!(["Work"]));
        assert!(!reads_a_negation(&uncaught));
        assert!(reads_a_negation(&format!("{tasks} | [?!sfn_error(@, 'Any.Error').Catcher].Name")), "(!x).Catcher");
        assert_eq!(eval(&format!("{tasks} | [0] | sfn_error(@, 'Any.Error').Ends"), machine), json!(["FAILED"]));
    }

    #[test]
    fn yaml_reads_text_as_data_and_items_pairs_keys_with_values() {
        let project = json!({"buildspec": "version: 0.2\nphases:\n  build:\n    on-failure: CONTINUE\n    commands: [make test]\n"});
        assert_eq!(eval("yaml(buildspec).phases.build.\"on-failure\"", project), json!("CONTINUE"));
        assert_eq!(eval("yaml(text).a", json!({"text": "{\"a\": [1]}"})), json!([1]), "JSON is YAML");
        assert_eq!(eval("yaml(text)", json!({"text": "a: [unclosed"})), Value::Null);
        assert_eq!(eval("yaml(n)", json!({"n": 5})), Value::Null, "not text");
        let map = json!({"InputPathsMap": {"pipeline": "$.detail.pipeline", "state": "$.detail.state"}});
        assert_eq!(
            eval("items(InputPathsMap)[?[1] == '$.detail.pipeline'] | [0]", map),
            json!(["pipeline", "$.detail.pipeline"])
        );
    }

    #[test]
    fn labcheck_functions_are_those_registered() {
        for name in LABCHECK_FUNCTIONS {
            assert!(RUNTIME.get_function(name).is_some(), "{name}");
        }
        assert_eq!(labcheck_functions_in("length(a) > `0` && lower(b) == 'x'"), ["lower"]);
        assert_eq!(labcheck_functions_in("policy_allows(P, {resource: var('t')})"), ["policy_allows", "var"]);
        assert!(labcheck_functions_in("MetricAlarms[?contains(@, ':sns:')]").is_empty());
    }

    #[test]
    fn policy_questions_are_found_where_they_read_the_fact() {
        let fact = json!({"P": {"Statement": []}, "Arn": "arn:aws:sqs:us-east-1:111122223333:q"});
        let questions = policy_questions("!policy_allows(P, {action: 'sqs:SendMessage', resource: Arn}) && `true`");
        assert_eq!(questions.len(), 1);
        assert_eq!(questions[0].function, "policy_allows");
        assert_eq!(crate::grade::search(&questions[0].policies, &fact), json!({"Statement": []}));
        assert_eq!(
            crate::grade::search(&questions[0].question, &fact)["resource"],
            json!("arn:aws:sqs:us-east-1:111122223333:q")
        );
        assert!(policy_questions("Roles[?role_allows(@, {action: 'x:Y'})]").is_empty(), "asked of each element");
    }

    #[test]
    fn arn_part_splits_an_arn() {
        let role = json!({"Arn": "arn:aws:iam::111122223333:role/app/ci"});
        assert_eq!(eval("arn_part(Arn, 'account')", role.clone()), json!("111122223333"));
        assert_eq!(eval("arn_part(Arn, 'resource')", role.clone()), json!("role/app/ci"));
        assert_eq!(eval("arn_part(Arn, 'region')", role.clone()), json!(""));
        assert_eq!(eval("arn_part('not-an-arn', 'account')", role.clone()), Value::Null);
        assert_eq!(eval("arn_part(Arn, 'colour')", role), Value::Null);
    }
}
