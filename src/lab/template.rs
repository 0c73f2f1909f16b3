//! `{{ name }}` placeholders in selectors, matcher values, titles and hints.
//!
//! Templates are substituted into values only, never into JMESPath text, so a param can
//! never change what a path means. A string that is exactly one placeholder takes the
//! variable's value with its type (a captured number stays a number); otherwise the
//! variables are written into the string.

use regex_lite::Regex;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::LazyLock;

pub type Vars = BTreeMap<String, Value>;

static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}").expect("valid regex"));

/// The variable names a string refers to.
pub fn names(text: &str) -> impl Iterator<Item = &str> {
    PLACEHOLDER.captures_iter(text).filter_map(|c| c.get(1)).map(|m| m.as_str())
}

/// Every variable name inside a JSON value (strings at any depth).
pub fn names_in_value(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => names(s).collect(),
        Value::Array(items) => items.iter().flat_map(names_in_value).collect(),
        Value::Object(map) => map.values().flat_map(names_in_value).collect(),
        _ => Vec::new(),
    }
}

/// A variable missing at render time (validation makes this rare: a capture whose
/// path found nothing).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("template variable `{0}` has no value")]
pub struct Unbound(pub String);

/// Render a string, writing each variable's text in place.
pub fn render_str(text: &str, vars: &Vars) -> Result<String, Unbound> {
    let mut missing = None;
    let out = PLACEHOLDER.replace_all(text, |c: &regex_lite::Captures| {
        let name = &c[1];
        match vars.get(name) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => {
                missing.get_or_insert_with(|| name.to_string());
                String::new()
            }
        }
    });
    match missing {
        Some(name) => Err(Unbound(name)),
        None => Ok(out.into_owned()),
    }
}

/// Render every string inside a JSON value.
pub fn render_value(value: &Value, vars: &Vars) -> Result<Value, Unbound> {
    Ok(match value {
        Value::String(s) => {
            if let Some(c) = PLACEHOLDER.captures(s)
                && c.get(0).is_some_and(|m| m.as_str() == s)
            {
                let name = &c[1];
                return vars.get(name).cloned().ok_or_else(|| Unbound(name.to_string()));
            }
            Value::String(render_str(s, vars)?)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| render_value(v, vars)).collect::<Result<_, _>>()?),
        Value::Object(map) => Value::Object(
            map.iter().map(|(k, v)| Ok((k.clone(), render_value(v, vars)?))).collect::<Result<_, Unbound>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars() -> Vars {
        Vars::from([("name".into(), json!("app")), ("threshold".into(), json!(5))])
    }

    #[test]
    fn whole_placeholder_keeps_type() {
        assert_eq!(render_value(&json!("{{ threshold }}"), &vars()).unwrap(), json!(5));
        assert_eq!(render_value(&json!("{{name}}"), &vars()).unwrap(), json!("app"));
    }

    #[test]
    fn interpolates_inside_text_and_nested_values() {
        let v = render_value(&json!({"a": ["/logs/{{ name }}-{{ threshold }}"]}), &vars()).unwrap();
        assert_eq!(v, json!({"a": ["/logs/app-5"]}));
    }

    #[test]
    fn unbound_names_the_variable() {
        assert_eq!(render_str("x {{ nope }}", &vars()), Err(Unbound("nope".into())));
    }

    #[test]
    fn lists_names() {
        assert_eq!(names("{{ a }} and {{b}} but not {{ 1x }}").collect::<Vec<_>>(), vec!["a", "b"]);
    }
}
