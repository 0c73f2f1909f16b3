//! What an IAM policy *allows*: labs ask a policy question ("may events.amazonaws.com
//! call sns:Publish on this topic?") instead of matching the policy's JSON.
//!
//! Evaluation is the `iam-rs` crate's, which implements IAM's documented logic: an
//! explicit deny wins over any allow, an allow wins over the implicit deny; `Action` /
//! `NotAction`, `Resource` / `NotResource`, `Principal` / `NotPrincipal`, IAM wildcards,
//! policy variables and the condition operators (with `…IfExists`, `ForAnyValue:` and
//! `ForAllValues:`). In front of it, [`canonical`] writes a policy the way IAM reads it,
//! whichever of the equivalent spellings the author chose:
//!
//! - a document given as JSON text (or percent-encoded, as IAM returns it) is parsed;
//! - `Statement` and every `Action`, `Resource`, principal and condition value is a list;
//! - `"Principal": {"AWS": "*"}` is `"Principal": "*"` (IAM documents them as the same);
//! - condition keys are lower case (IAM compares them without case), and so are `Bool`
//!   values and the names inside `${…}` policy variables;
//! - a statement without `Resource` or `NotResource` (a trust policy, or a resource policy
//!   whose resource is the one it is attached to) applies to any resource;
//! - a document without `Version` is `2008-10-17`, as IAM assumes;
//! - a resource that is not an ARN (a stack policy's `LogicalResourceId/Db`) is matched
//!   as written, wildcards included.
//!
//! Not modelled: how policies of different *types* combine (SCPs, permission boundaries,
//! session policies, a resource policy granting across accounts together with an identity
//! policy); condition keys the question does not give are absent from the request.

use iam_rs::{Decision, EvaluationOptions, IAMPolicy, IAMRequest, PolicyEvaluator, Principal, PrincipalId};
use serde_json::{Map, Value, json};

/// IAM's answer to a policy question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Answers {
    /// The request is allowed: some statement allows it and none denies it.
    pub allows: bool,
    /// A statement with `"Effect": "Deny"` applies to it.
    pub denies: bool,
}

/// Placeholder for "a resource no statement names".
const ANY_RESOURCE: &str = "any-resource";

/// Evaluate a question against policies, all of which apply together (a role's inline
/// and managed policies; a resource's policy). `policies` is one document or a list of
/// them; null entries are no policy. See [`request`] for the question's form.
///
/// A question without a resource asks about *some* resource: it is asked of each
/// resource the policies name (as written, so `arn:aws:s3:::logs/*` stands for every
/// object it covers) and of one they do not name, and it is allowed (or denied) when it
/// is for one of them. A principal that is an IAM identity of an account also stands
/// for its account, as IAM reads a policy naming the account (`"AWS": "111122223333"`).
pub fn evaluate(policies: &Value, question: &Value) -> Result<Answers, String> {
    if let Some(Value::Array(principals)) = question.get("principal") {
        let mut answers = Answers::default();
        for principal in principals {
            let mut one = question.clone();
            one["principal"] = principal.clone();
            let answer = evaluate(policies, &one)?;
            answers.allows |= answer.allows;
            answers.denies |= answer.denies;
        }
        return Ok(answers);
    }
    let documents: Vec<&Value> = match policies {
        Value::Array(items) => items.iter().filter(|p| !p.is_null()).collect(),
        Value::Null => vec![],
        single => vec![single],
    };
    let (template, resource) = request(question)?;
    let mut canonical = documents.into_iter().map(canonical).collect::<Result<Vec<_>, _>>()?;
    for document in &mut canonical {
        fill_condition_variables(document, &template.context);
    }
    let parsed = canonical
        .iter()
        .map(|document| {
            serde_json::from_value::<IAMPolicy>(document.clone())
                .map_err(|e| format!("the policy cannot be read as IAM policy JSON: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let evaluator = PolicyEvaluator::with_policies(parsed).with_options(EvaluationOptions::default());
    let resources = match resource {
        Some(resource) => vec![as_arn(&resource)],
        None => named_resources(&canonical),
    };
    let mut principals = vec![template.principal.clone()];
    principals.extend(account_of(&template.principal));
    let mut answers = Answers::default();
    for resource in resources {
        let resource: iam_rs::Arn = serde_json::from_value(Value::String(resource.clone()))
            .map_err(|e| format!("the question's resource `{resource}` is not an ARN: {e}"))?;
        let (mut allowed, mut denied) = (false, false);
        for principal in &principals {
            let request = IAMRequest { principal: principal.clone(), resource: resource.clone(), ..template.clone() };
            match evaluator.evaluate(&request).map_err(|e| format!("the policy cannot be evaluated: {e}"))?.decision {
                Decision::Allow => allowed = true,
                Decision::Deny => denied = true,
                Decision::NotApplicable => {}
            }
        }
        answers.allows |= allowed && !denied;
        answers.denies |= denied;
    }
    Ok(answers)
}

/// Whether a role may do what the question asks: its identity policies (inline and
/// managed, together) allow it and none denies it, and its permissions boundary, when it
/// has one, allows it too. `permissions` is an `iam.role_permissions` fact. (A question
/// without a resource is asked of the policies and of the boundary separately.)
pub fn role_allows(permissions: &Value, question: &Value) -> Result<bool, String> {
    if !permissions.is_object() || permissions.get("Documents").is_none() {
        return Err("role_allows() takes an iam.role_permissions fact (with Documents)".into());
    }
    let identity = evaluate(&permissions["Documents"], question)?;
    let bounded = match permissions.get("PermissionsBoundary") {
        None | Some(Value::Null) => true,
        Some(boundary) => evaluate(&boundary["Document"], question)?.allows,
    };
    Ok(identity.allows && bounded)
}

/// Policy variables in condition values (`"aws:ResourceTag/team": "${aws:PrincipalTag/team}"`)
/// take the request's values, as IAM fills them in; a variable the request lacks keeps
/// its text, so it matches nothing.
fn fill_condition_variables(document: &mut Value, context: &iam_rs::Context) {
    let Some(statements) = document["Statement"].as_array_mut() else { return };
    for condition in statements.iter_mut().filter_map(|s| s.get_mut("Condition")).filter_map(Value::as_object_mut) {
        for values in condition.values_mut().filter_map(Value::as_object_mut).flat_map(|keys| keys.values_mut()) {
            for value in values.as_array_mut().into_iter().flatten() {
                if let Some(text) = value.as_str().filter(|t| t.contains("${"))
                    && let Ok(filled) = iam_rs::interpolate_variables(text, context)
                {
                    *value = Value::String(filled);
                }
            }
        }
    }
}

/// Every resource the statements name, and one they do not.
fn named_resources(documents: &[Value]) -> Vec<String> {
    let mut named: Vec<String> = documents
        .iter()
        .flat_map(|d| d["Statement"].as_array().cloned().unwrap_or_default())
        .flat_map(|statement| statement["Resource"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r.as_str().filter(|r| *r != "*").map(str::to_string))
        .collect();
    named.push(as_arn(ANY_RESOURCE));
    named.sort();
    named.dedup();
    named
}

/// The root of the account an IAM role, user or session belongs to.
fn account_of(principal: &Principal) -> Option<Principal> {
    let Principal::Aws(PrincipalId::String(arn)) = principal else { return None };
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, _, account, resource] = parts[..] else { return None };
    let identity = ["role/", "user/", "assumed-role/"].iter().any(|p| resource.starts_with(p));
    ((service == "iam" || service == "sts") && identity)
        .then(|| Principal::Aws(PrincipalId::String(format!("arn:{partition}:iam::{account}:root"))))
}

/// A lab's request: `{action, resource?, principal?, context?}`.
///
/// - `action`: `service:Action`.
/// - `resource`: the ARN acted on; without it the question is whether the action is
///   allowed on *some* resource (see [`evaluate`]).
/// - `principal`: who asks, for resource and trust policies: a service
///   (`events.amazonaws.com`), an ARN, an account id (its root), or an object such as
///   `{"Federated": "…"}`. Without it the caller is an unnamed role, which only
///   statements for any principal (`"*"`) or with no `Principal` at all (identity
///   policies) apply to. A list of principals asks for each: the policies allow (deny)
///   the request when they allow (deny) it for one of them; an empty list, for none.
/// - `context`: condition keys and their values (`{"aws:SecureTransport": "false"}`).
///
/// Returns the request (its resource a placeholder) and the resource the question names.
fn request(spec: &Value) -> Result<(IAMRequest, Option<String>), String> {
    let spec = spec.as_object().ok_or("a policy question is an object such as {action: 'sns:Publish'}")?;
    for key in spec.keys() {
        if !["action", "resource", "principal", "context"].contains(&key.as_str()) {
            return Err(format!(
                "a policy question has no field `{key}` (it takes action, resource, principal, context)"
            ));
        }
    }
    let action = spec.get("action").and_then(Value::as_str).ok_or("a policy question needs an `action` string")?;
    let resource = spec.get("resource").and_then(Value::as_str);
    let principal = match spec.get("principal") {
        None | Some(Value::Null) => json!({"AWS": "arn:aws:iam::000000000000:role/labcheck-question"}),
        Some(Value::String(who)) if who.ends_with(".amazonaws.com") || who.ends_with(".amazonaws.com.cn") => {
            json!({"Service": who})
        }
        Some(Value::String(account)) if account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) => {
            json!({"AWS": format!("arn:aws:iam::{account}:root")})
        }
        Some(Value::String(arn)) => json!({"AWS": arn}),
        Some(other @ Value::Object(_)) => other.clone(),
        Some(other) => return Err(format!("a policy question's `principal` is a string or an object, not {other}")),
    };
    let context: Map<String, Value> = match spec.get("context") {
        None | Some(Value::Null) => Map::new(),
        // A null value (a field the fact lacks) is a key the request does not carry.
        Some(Value::Object(keys)) => {
            keys.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.to_lowercase(), context_value(v))).collect()
        }
        Some(other) => return Err(format!("a policy question's `context` is an object, not {other}")),
    };
    let body = json!({
        "Principal": principal,
        "Action": action,
        "Resource": as_arn(ANY_RESOURCE),
        "Context": context,
    });
    let request = serde_json::from_value(body).map_err(|e| format!("the policy question cannot be read: {e}"))?;
    Ok((request, resource.map(str::to_string)))
}

/// Resources that are not ARNs (stack policies name `LogicalResourceId/…`) are wrapped
/// in one, on both sides, so that they compare as written.
fn as_arn(resource: &str) -> String {
    if resource.starts_with("arn:") { resource.to_string() } else { format!("arn:aws:labcheck:::{resource}") }
}

/// A context value as evaluation compares it: `"true"` and `"false"` are booleans (a
/// request's context is text, and `Bool` conditions compare these).
fn context_value(value: &Value) -> Value {
    match value {
        Value::String(s) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
        other => other.clone(),
    }
}

/// The document as IAM reads it, in one spelling (see the module's notes).
pub fn canonical(document: &Value) -> Result<Value, String> {
    let mut document = match document {
        Value::String(text) => parse_document_text(text)?,
        Value::Object(_) => document.clone(),
        other => return Err(format!("a policy document is a JSON object or JSON text, not {other}")),
    };
    let object = document.as_object_mut().ok_or("a policy document is a JSON object")?;
    object.entry("Version").or_insert_with(|| json!("2008-10-17"));
    let statements = match object.remove("Statement") {
        Some(Value::Array(items)) => items,
        Some(one @ Value::Object(_)) => vec![one],
        None => vec![],
        Some(other) => return Err(format!("a policy's Statement is an object or a list, not {other}")),
    };
    let statements = statements.into_iter().map(canonical_statement).collect::<Result<Vec<_>, _>>()?;
    object.insert("Statement".into(), Value::Array(statements));
    Ok(document)
}

/// Parse a policy given as text: JSON, or percent-encoded JSON as IAM's API returns it.
fn parse_document_text(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).or_else(|first| {
        let decoded = percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .map_err(|_| format!("the policy is not JSON: {first}"))?;
        serde_json::from_str(&decoded).map_err(|_| format!("the policy is not JSON: {first}"))
    })
}

fn canonical_statement(statement: Value) -> Result<Value, String> {
    let Value::Object(mut statement) = statement else {
        return Err(format!("a policy statement is an object, not {statement}"));
    };
    for key in ["Action", "NotAction"] {
        if let Some(value) = statement.remove(key) {
            statement.insert(key.into(), as_list(value, &|s| s));
        }
    }
    for key in ["Resource", "NotResource"] {
        if let Some(value) = statement.remove(key) {
            statement.insert(key.into(), as_list(value, &|s| if s == "*" { s } else { as_arn(&s) }));
        }
    }
    if !statement.contains_key("Resource") && !statement.contains_key("NotResource") {
        statement.insert("Resource".into(), json!(["*"]));
    }
    for key in ["Principal", "NotPrincipal"] {
        if let Some(principal) = statement.remove(key) {
            statement.insert(key.into(), canonical_principal(principal));
        }
    }
    if let Some(condition) = statement.remove("Condition") {
        statement.insert("Condition".into(), canonical_condition(condition)?);
    }
    Ok(Value::Object(statement))
}

fn canonical_principal(principal: Value) -> Value {
    match principal {
        Value::Object(types) => {
            let any_aws = types.get("AWS").is_some_and(|aws| match aws {
                Value::String(s) => s == "*",
                Value::Array(items) => items.iter().any(|i| i == "*"),
                _ => false,
            });
            if any_aws {
                return json!("*");
            }
            Value::Object(types.into_iter().map(|(kind, ids)| (kind, as_list(ids, &|s| s))).collect())
        }
        other => other,
    }
}

fn canonical_condition(condition: Value) -> Result<Value, String> {
    let Value::Object(operators) = condition else {
        return Err(format!("a statement's Condition is an object, not {condition}"));
    };
    let mut canonical = Map::new();
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else {
            return Err(format!("the condition operator {operator} takes an object of keys, not {keys}"));
        };
        let lower_values = operator.trim_end_matches("IfExists") == "Bool";
        let values: Map<String, Value> = keys
            .into_iter()
            .map(|(key, values)| {
                let fold = |s: String| if lower_values { s.to_lowercase() } else { lower_variable_names(&s) };
                (key.to_lowercase(), as_list(values, &fold))
            })
            .collect();
        canonical.insert(operator, Value::Object(values));
    }
    Ok(Value::Object(canonical))
}

/// A value as a list of strings (numbers and booleans written as IAM compares them).
fn as_list(value: Value, fold: &dyn Fn(String) -> String) -> Value {
    let items = match value {
        Value::Array(items) => items,
        one => vec![one],
    };
    Value::Array(
        items
            .into_iter()
            .map(|item| match item {
                Value::String(s) => Value::String(fold(s)),
                Value::Number(n) => Value::String(fold(n.to_string())),
                Value::Bool(b) => Value::String(fold(b.to_string())),
                other => other,
            })
            .collect(),
    )
}

/// `${aws:PrincipalTag/Team}` → `${aws:principaltag/team}`: variables name condition
/// keys, which the request's context holds in lower case.
fn lower_variable_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('}') else { break };
        let inner = &rest[start + 2..start + len];
        // A default value (`${aws:username, 'none'}`) keeps its case.
        let (name, default) = inner.split_once(',').map_or((inner, None), |(n, d)| (n, Some(d)));
        out.push_str("${");
        out.push_str(&name.to_lowercase());
        if let Some(default) = default {
            out.push(',');
            out.push_str(default);
        }
        out.push('}');
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::111122223333:role/app";

    #[derive(Debug, PartialEq)]
    enum Answer {
        Allow,
        ExplicitDeny,
        ImplicitDeny,
    }

    fn answer(policy: Value, request: Value) -> Answer {
        match evaluate(&policy, &request).unwrap_or_else(|e| panic!("{e}")) {
            Answers { denies: true, .. } => Answer::ExplicitDeny,
            Answers { allows: true, .. } => Answer::Allow,
            _ => Answer::ImplicitDeny,
        }
    }

    fn doc(statements: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    #[test]
    fn a_role_may_do_what_its_policies_allow_within_its_boundary() {
        let allow = |action: &str| json!({"Statement": {"Effect": "Allow", "Action": action, "Resource": "*"}});
        let deny = json!({"Statement": [{"Effect": "Deny", "Action": "kinesis:*", "Resource": "*"}]});
        let question =
            json!({"action": "kinesis:PutRecord", "resource": "arn:aws:kinesis:us-east-1:111122223333:stream/s"});
        let role = |documents: Value, boundary: Value| json!({"Documents": documents, "PermissionsBoundary": boundary});
        let may = |fact: Value| role_allows(&fact, &question).unwrap();
        assert!(may(role(json!([allow("s3:*"), allow("kinesis:Put*")]), Value::Null)), "a managed or inline policy");
        assert!(!may(role(json!([allow("kinesis:Put*"), deny]), Value::Null)), "a deny in another policy wins");
        assert!(!may(role(json!([allow("kinesis:*")]), json!({"Document": allow("s3:*")}))), "outside the boundary");
        assert!(may(role(json!([allow("kinesis:*")]), json!({"Document": allow("kinesis:PutRecord")}))));
        assert!(!may(role(json!([]), Value::Null)), "no policy, no permission");
        assert!(role_allows(&json!({"PolicyDocument": {}}), &question).is_err(), "not a role_permissions fact");
    }
    #[test]
    fn one_statement_object_and_string_values_read_as_lists() {
        let policy = doc(json!({"Effect": "Allow", "Action": "sns:Publish", "Resource": "*"}));
        let request = json!({"action": "sns:Publish", "resource": "arn:aws:sns:us-east-1:111122223333:t"});
        assert_eq!(answer(policy.clone(), request), Answer::Allow);
        assert_eq!(answer(policy, json!({"action": "sns:Subscribe"})), Answer::ImplicitDeny);
    }

    #[test]
    fn action_names_ignore_case_and_take_wildcards() {
        let policy = doc(json!([{"Effect": "Allow", "Action": ["SNS:publish", "s3:Get?bject"], "Resource": "*"}]));
        assert_eq!(answer(policy.clone(), json!({"action": "sns:Publish"})), Answer::Allow);
        assert_eq!(answer(policy, json!({"action": "s3:GetObject"})), Answer::Allow);
    }

    #[test]
    fn an_explicit_deny_beats_an_allow() {
        // The documented way to require TLS on a bucket.
        let policy = doc(json!([
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
        ]));
        let over_http = json!({"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "principal": ROLE,
                               "context": {"aws:SecureTransport": "false"}});
        let over_tls = json!({"action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "principal": ROLE,
                              "context": {"aws:SecureTransport": "true"}});
        assert_eq!(answer(policy.clone(), over_http), Answer::ExplicitDeny);
        assert_eq!(answer(policy, over_tls), Answer::Allow);
    }

    #[test]
    fn condition_keys_and_bool_values_ignore_case() {
        let policy = doc(json!([{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
                                 "Condition": {"Bool": {"AWS:securetransport": "False"}}}]));
        let request = json!({"action": "s3:PutObject", "context": {"aws:SecureTransport": false}});
        assert_eq!(answer(policy, request), Answer::ExplicitDeny);
    }

    #[test]
    fn not_action_and_not_resource_allow_everything_else() {
        // "Allow everything except IAM" from the NotAction documentation.
        let policy = doc(json!([{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}]));
        assert_eq!(answer(policy.clone(), json!({"action": "iam:CreateUser"})), Answer::ImplicitDeny);
        assert_eq!(
            answer(policy.clone(), json!({"action": "s3:GetObject", "resource": "arn:aws:s3:::secret/k"})),
            Answer::ImplicitDeny
        );
        assert_eq!(answer(policy, json!({"action": "s3:GetObject", "resource": "arn:aws:s3:::open/k"})), Answer::Allow);
    }

    #[test]
    fn a_trust_policy_without_resource_names_who_may_assume_the_role() {
        let trust = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Principal": {"Service": ["lambda.amazonaws.com", "events.amazonaws.com"]}, "Action": "sts:AssumeRole"}});
        let assume = |who: &str| json!({"action": "sts:AssumeRole", "principal": who});
        assert_eq!(answer(trust.clone(), assume("events.amazonaws.com")), Answer::Allow);
        assert_eq!(answer(trust.clone(), assume("ec2.amazonaws.com")), Answer::ImplicitDeny);
        assert_eq!(answer(trust, assume(ROLE)), Answer::ImplicitDeny);
    }

    #[test]
    fn any_aws_principal_is_anyone() {
        let policy = doc(
            json!([{"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "sqs:SendMessage", "Resource": "*"}]),
        );
        assert_eq!(
            answer(policy, json!({"action": "sqs:SendMessage", "principal": "events.amazonaws.com"})),
            Answer::Allow
        );
    }

    #[test]
    fn a_list_of_principals_asks_for_each() {
        let policy = doc(json!([
            {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:user/a", "arn:aws:iam::111122223333:user/b"]},
             "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:user/b"}, "Action": "sts:AssumeRole"}]));
        let ask = |who: Value| answer(policy.clone(), json!({"action": "sts:AssumeRole", "principal": who}));
        assert_eq!(ask(json!(["arn:aws:iam::111122223333:user/c", "arn:aws:iam::111122223333:user/a"])), Answer::Allow);
        assert_eq!(ask(json!(["arn:aws:iam::111122223333:user/b"])), Answer::ExplicitDeny);
        assert_eq!(ask(json!(["arn:aws:iam::111122223333:user/c"])), Answer::ImplicitDeny);
        assert_eq!(ask(json!([])), Answer::ImplicitDeny, "no principal: nothing allowed");
    }

    #[test]
    fn an_account_principal_is_that_account() {
        // The default key policy: the account may administer its key through IAM.
        let policy =
            doc(json!([{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "kms:*", "Resource": "*"}]));
        assert_eq!(
            answer(policy.clone(), json!({"action": "kms:Decrypt", "principal": "111122223333"})),
            Answer::Allow
        );
        assert_eq!(answer(policy, json!({"action": "kms:Decrypt", "principal": "444455556666"})), Answer::ImplicitDeny);
    }

    #[test]
    fn not_principal_denies_everyone_else_and_needs_the_account_named_too() {
        // The NotPrincipal documentation: a Deny for everyone but one role must also name
        // the role's account, which IAM evaluates along with the role.
        let policy = |excepted: Value| {
            doc(json!([
                {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"},
                {"Effect": "Deny", "NotPrincipal": {"AWS": excepted}, "Action": "s3:DeleteBucket", "Resource": "*"}
            ]))
        };
        let delete = |who: &str| json!({"action": "s3:DeleteBucket", "principal": who});
        let with_account = policy(json!(["arn:aws:iam::111122223333:role/admin", "arn:aws:iam::111122223333:root"]));
        assert_eq!(answer(with_account.clone(), delete("arn:aws:iam::111122223333:role/admin")), Answer::Allow);
        assert_eq!(answer(with_account, delete(ROLE)), Answer::ExplicitDeny);
        let role_only = policy(json!("arn:aws:iam::111122223333:role/admin"));
        assert_eq!(answer(role_only, delete("arn:aws:iam::111122223333:role/admin")), Answer::ExplicitDeny);
    }

    #[test]
    fn a_negated_operator_holds_for_every_value_but_the_listed_ones() {
        // The documented "deny outside these Regions" pattern.
        let policy = doc(json!([{"Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}]));
        let in_region =
            |region: &str| json!({"action": "ec2:RunInstances", "context": {"aws:RequestedRegion": region}});
        assert_eq!(answer(policy.clone(), in_region("eu-west-1")), Answer::ImplicitDeny);
        assert_eq!(answer(policy, in_region("ap-south-1")), Answer::ExplicitDeny);
    }

    #[test]
    fn if_exists_and_set_operators_follow_the_documentation() {
        let policy = doc(json!([{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"dynamodb:Attributes": ["ID", "Name"]},
                          "StringEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}}]));
        let get =
            |attributes: Value| json!({"action": "dynamodb:GetItem", "context": {"dynamodb:Attributes": attributes}});
        assert_eq!(answer(policy.clone(), get(json!(["ID"]))), Answer::Allow);
        assert_eq!(answer(policy.clone(), get(json!(["ID", "Price"]))), Answer::ImplicitDeny);
        // ForAllValues holds when the key is absent; IfExists when its key is absent.
        assert_eq!(answer(policy, json!({"action": "dynamodb:GetItem"})), Answer::Allow);
    }

    #[test]
    fn a_source_arn_condition_limits_a_service_principal() {
        let policy =
            doc(json!([{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish",
            "Resource": "arn:aws:sns:us-east-1:111122223333:alerts",
            "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/*"}}}]));
        let publish = |source: &str| {
            json!({"action": "sns:Publish", "principal": "events.amazonaws.com",
            "resource": "arn:aws:sns:us-east-1:111122223333:alerts", "context": {"aws:SourceArn": source}})
        };
        assert_eq!(
            answer(policy.clone(), publish("arn:aws:events:us-east-1:111122223333:rule/deploys")),
            Answer::Allow
        );
        assert_eq!(answer(policy, publish("arn:aws:events:us-east-1:444455556666:rule/x")), Answer::ImplicitDeny);
    }

    #[test]
    fn policy_variables_resolve_from_the_context_whatever_their_case() {
        let policy = doc(
            json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:UserName}/*"}]),
        );
        let get = |key: &str| json!({"action": "s3:GetObject", "resource": key, "context": {"aws:username": "bob"}});
        assert_eq!(answer(policy.clone(), get("arn:aws:s3:::home/bob/notes")), Answer::Allow);
        assert_eq!(answer(policy, get("arn:aws:s3:::home/alice/notes")), Answer::ImplicitDeny);
    }

    #[test]
    fn several_policies_apply_together() {
        let allow = doc(json!([{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]));
        let deny = doc(json!([{"Effect": "Deny", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]));
        let both = json!([allow, Value::Null, deny.to_string()]);
        assert_eq!(answer(both.clone(), json!({"action": "kms:Decrypt"})), Answer::Allow);
        assert_eq!(answer(both, json!({"action": "kms:ScheduleKeyDeletion"})), Answer::ExplicitDeny);
        assert_eq!(answer(Value::Null, json!({"action": "kms:Decrypt"})), Answer::ImplicitDeny);
    }

    #[test]
    fn text_and_percent_encoded_documents_are_read() {
        let text = r#"{"Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}"#;
        let encoded: String =
            percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string();
        assert_eq!(answer(json!(text), json!({"action": "logs:PutLogEvents"})), Answer::Allow);
        assert_eq!(answer(json!(encoded), json!({"action": "logs:PutLogEvents"})), Answer::Allow);
    }

    #[test]
    fn a_bad_question_or_policy_is_an_error_that_says_so() {
        let policy = doc(json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]));
        let error = evaluate(&policy, &json!({"action": "s3:GetObject", "resourse": "x"})).unwrap_err();
        assert!(error.contains("no field `resourse`"), "{error}");
        let error = evaluate(&json!("not json"), &json!({"action": "s3:GetObject"})).unwrap_err();
        assert!(error.contains("not JSON"), "{error}");
        let error = evaluate(&policy, &json!({"resource": "arn:aws:s3:::b"})).unwrap_err();
        assert!(error.contains("`action`"), "{error}");
    }

    #[test]
    fn a_stack_policy_names_logical_resources() {
        // The stack policy example from the CloudFormation user guide.
        let policy = doc(json!([
            {"Effect": "Allow", "Action": "Update:*", "Principal": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "Update:*", "Principal": "*", "Resource": "LogicalResourceId/ProductionDatabase"}
        ]));
        let update = |resource: &str| json!({"action": "Update:Replace", "resource": resource});
        assert_eq!(answer(policy.clone(), update("LogicalResourceId/ProductionDatabase")), Answer::ExplicitDeny);
        assert_eq!(answer(policy, update("LogicalResourceId/WebServer")), Answer::Allow);
    }

    #[test]
    fn without_a_resource_the_question_is_about_some_resource() {
        // Read secret a, never secret b: some secret may be read, and one is denied.
        let policy = doc(json!([
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:a-AbCdEf"},
            {"Effect": "Deny", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:b-*"}
        ]));
        let answers = evaluate(&policy, &json!({"action": "secretsmanager:GetSecretValue"})).unwrap();
        assert_eq!(answers, Answers { allows: true, denies: true });
        // A Deny on every resource leaves nothing allowed.
        let everywhere = doc(json!([
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:111122223333:key/k"},
            {"Effect": "Deny", "Action": "kms:*", "Resource": "*"}
        ]));
        assert_eq!(answer(everywhere, json!({"action": "kms:Decrypt"})), Answer::ExplicitDeny);
    }

    #[test]
    fn a_policy_naming_an_account_applies_to_its_identities() {
        let trust = doc(json!({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}));
        let assume = |who: &str| json!({"action": "sts:AssumeRole", "principal": who});
        assert_eq!(answer(trust.clone(), assume("arn:aws:iam::111122223333:role/ci")), Answer::Allow);
        assert_eq!(answer(trust.clone(), assume("arn:aws:sts::111122223333:assumed-role/ci/session")), Answer::Allow);
        assert_eq!(answer(trust, assume("arn:aws:iam::444455556666:role/ci")), Answer::ImplicitDeny);
        // Naming one role is not naming its account.
        let one_role = doc(
            json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "sts:AssumeRole"}),
        );
        assert_eq!(answer(one_role.clone(), assume("arn:aws:iam::111122223333:role/ci")), Answer::Allow);
        assert_eq!(answer(one_role, assume("arn:aws:iam::111122223333:role/other")), Answer::ImplicitDeny);
    }

    #[test]
    fn variables_in_condition_values_take_the_requests_values() {
        // Attribute-based access: a team reaches its own team's resources.
        let policy = doc(json!([{"Effect": "Allow", "Action": "ec2:StartInstances", "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}]));
        let start = |resource_team: &str| {
            json!({"action": "ec2:StartInstances",
            "context": {"aws:PrincipalTag/team": "payments", "aws:ResourceTag/team": resource_team}})
        };
        assert_eq!(answer(policy.clone(), start("payments")), Answer::Allow);
        assert_eq!(answer(policy.clone(), start("search")), Answer::ImplicitDeny);
        // A key the fact lacks (null) is not in the request.
        let untagged = json!({"action": "ec2:StartInstances", "context": {"aws:PrincipalTag/team": null, "aws:ResourceTag/team": "payments"}});
        assert_eq!(answer(policy, untagged), Answer::ImplicitDeny);
    }
}
