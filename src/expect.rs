//! Matchers: pure functions from a found JSON value to yes or no, and words for both.

use regex_lite::Regex;
use serde_json::Value;

/// What a value must be (a lab's expectation builds one, after templates are rendered).
#[derive(Debug, Clone)]
pub enum Matcher {
    Equals(Value),
    NotEquals(Value),
    Contains(Value),
    Exists(bool),
    Matches(Regex),
    OneOf(Vec<Value>),
    Count { min: Option<u64>, max: Option<u64> },
    Range { min: Option<f64>, max: Option<f64> },
}

/// The matcher keys an expectation may use, for messages.
pub const MATCHER_KEYS: &[&str] =
    &["equals", "not_equals", "contains", "exists", "absent", "matches", "one_of", "count", "min", "max"];

impl Matcher {
    pub fn test(&self, found: &Value) -> bool {
        match self {
            Matcher::Equals(v) => loosely_equal(found, v),
            Matcher::NotEquals(v) => !loosely_equal(found, v),
            Matcher::Contains(v) => match found {
                Value::String(s) => v.as_str().is_some_and(|needle| s.contains(needle)),
                Value::Array(items) => items.iter().any(|item| loosely_equal(item, v)),
                Value::Object(map) => v.as_str().is_some_and(|k| map.contains_key(k)),
                _ => false,
            },
            Matcher::Exists(should) => found.is_null() != *should,
            Matcher::Matches(re) => match found {
                Value::String(s) => re.is_match(s),
                Value::Number(n) => re.is_match(&n.to_string()),
                Value::Bool(b) => re.is_match(&b.to_string()),
                _ => false,
            },
            Matcher::OneOf(options) => options.iter().any(|o| loosely_equal(found, o)),
            Matcher::Count { min, max } => {
                let Some(n) = length(found) else { return false };
                min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
            }
            Matcher::Range { min, max } => {
                let Some(n) = number(found) else { return false };
                min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
            }
        }
    }

    /// What the matcher wants, as the end of "expected … to …".
    pub fn describe(&self) -> String {
        match self {
            Matcher::Equals(v) => format!("equal {}", show(v)),
            Matcher::NotEquals(v) => format!("differ from {}", show(v)),
            Matcher::Contains(v) => format!("contain {}", show(v)),
            Matcher::Exists(true) => "be set".into(),
            Matcher::Exists(false) => "be absent".into(),
            Matcher::Matches(re) => format!("match /{}/", re.as_str()),
            Matcher::OneOf(options) => format!("be one of {}", show(&Value::Array(options.clone()))),
            Matcher::Count { min, max } => {
                format!("have {}", bounds(min.map(|n| n as f64), max.map(|n| n as f64), " items"))
            }
            Matcher::Range { min, max } => format!("be {}", bounds(*min, *max, "")),
        }
    }
}

fn bounds(min: Option<f64>, max: Option<f64>, unit: &str) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => format!("exactly {a}{unit}"),
        (Some(a), Some(b)) => format!("between {a} and {b}{unit}"),
        (Some(a), None) => format!("at least {a}{unit}"),
        (None, Some(b)) => format!("at most {b}{unit}"),
        (None, None) => "anything".into(),
    }
}

/// Equality that forgives what YAML and the command line blur: `5` equals `5.0`, and a
/// string from `--param` equals the number or boolean it spells.
pub fn loosely_equal(found: &Value, expected: &Value) -> bool {
    match (found, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::String(s), Value::Number(_) | Value::Bool(_))
        | (Value::Number(_) | Value::Bool(_), Value::String(s)) => {
            let other = if found.is_string() { expected } else { found };
            match other {
                Value::Bool(b) => s == if *b { "true" } else { "false" },
                _ => s.parse::<f64>().ok() == other.as_f64(),
            }
        }
        _ => found == expected,
    }
}

/// Items in an array, characters in a string, keys in an object; a missing value has none.
fn length(v: &Value) -> Option<u64> {
    match v {
        Value::Null => Some(0),
        Value::Array(a) => Some(a.len() as u64),
        Value::String(s) => Some(s.chars().count() as u64),
        Value::Object(o) => Some(o.len() as u64),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A value as a short, readable text for messages.
pub fn show(v: &Value) -> String {
    const LIMIT: usize = 240;
    let text = match v {
        Value::Null => return "nothing".into(),
        other => other.to_string(),
    };
    if text.chars().count() > LIMIT {
        let cut: String = text.chars().take(LIMIT).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn exp(yaml: &str) -> crate::lab::Expectation {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn matcher(yaml: &str) -> Matcher {
        exp(yaml).matcher().unwrap()
    }

    #[test]
    fn equals_is_loose_about_numbers_and_param_strings() {
        let m = matcher("{path: a, equals: 5}");
        assert!(m.test(&json!(5)));
        assert!(m.test(&json!(5.0)));
        assert!(m.test(&json!("5")));
        assert!(!m.test(&json!(6)));
        assert!(!m.test(&Value::Null));
        assert!(matcher("{path: a, equals: 'true'}").test(&json!(true)));
        assert!(matcher("{path: a, equals: [1, 2]}").test(&json!([1, 2])));
        assert!(!matcher("{path: a, equals: [1, 2]}").test(&json!([2, 1])));
    }

    #[test]
    fn not_equals() {
        let m = matcher("{path: a, not_equals: FAILED}");
        assert!(m.test(&json!("SUCCEEDED")));
        assert!(!m.test(&json!("FAILED")));
    }

    #[test]
    fn contains_on_strings_arrays_and_objects() {
        let m = matcher("{path: a, contains: Deploy}");
        assert!(m.test(&json!(["Source", "Build", "Deploy"])));
        assert!(!m.test(&json!(["Source", "Build"])));
        assert!(m.test(&json!("PreDeployCheck")));
        assert!(m.test(&json!({"Deploy": 1})));
        assert!(!m.test(&json!(42)));
        assert!(!m.test(&Value::Null));
    }

    #[test]
    fn exists_and_absent() {
        assert!(matcher("{path: a, exists: true}").test(&json!(0)));
        assert!(!matcher("{path: a, exists: true}").test(&Value::Null));
        assert!(matcher("{path: a, absent: true}").test(&Value::Null));
        assert!(!matcher("{path: a, absent: true}").test(&json!("x")));
        assert!(matcher("{path: a, exists: false}").test(&Value::Null));
    }

    #[test]
    fn matches_regex_on_strings_and_numbers() {
        let m = matcher(r#"{path: a, matches: '^arn:aws:sns:'}"#);
        assert!(m.test(&json!("arn:aws:sns:us-east-1:123456789012:alerts")));
        assert!(!m.test(&json!("arn:aws:sqs:us-east-1:123456789012:q")));
        assert!(!m.test(&json!(["arn:aws:sns:x"])));
        assert!(matcher("{path: a, matches: '^5'}").test(&json!(500)));
    }

    #[test]
    fn one_of() {
        let m = matcher("{path: a, one_of: [SELF_MANAGED, SERVICE_MANAGED]}");
        assert!(m.test(&json!("SELF_MANAGED")));
        assert!(!m.test(&json!("OTHER")));
    }

    #[test]
    fn count_exact_and_range() {
        assert!(matcher("{path: a, count: 3}").test(&json!([1, 2, 3])));
        assert!(!matcher("{path: a, count: 3}").test(&json!([1, 2])));
        let m = matcher("{path: a, count: {min: 2}}");
        assert!(m.test(&json!([1, 2])));
        assert!(!m.test(&json!([1])));
        assert!(!m.test(&Value::Null));
        assert!(matcher("{path: a, count: {max: 0}}").test(&Value::Null));
        assert!(!matcher("{path: a, count: 1}").test(&json!(7)));
    }

    #[test]
    fn min_max_range() {
        let m = matcher("{path: a, min: 1, max: 30}");
        assert!(m.test(&json!(1)));
        assert!(m.test(&json!(30)));
        assert!(!m.test(&json!(31)));
        assert!(!m.test(&json!(0.5)));
        assert!(!m.test(&Value::Null));
        assert!(matcher("{path: a, min: 1}").test(&json!("7")));
    }

    #[test]
    fn rejects_none_or_several_matchers_and_bad_regex() {
        let none = exp("{path: a}").matcher().unwrap_err();
        assert!(none.starts_with("no matcher"), "{none}");
        let two = exp("{path: a, equals: 1, contains: 1}").matcher().unwrap_err();
        assert!(two.contains("equals, contains"), "{two}");
        let re = exp("{path: a, matches: '('}").matcher().unwrap_err();
        assert!(re.contains("not a valid regex"), "{re}");
        assert!(exp("{path: a, count: {}}").matcher().is_err());
        // Unicode classes are not part of the syntax: refused, not silently widened.
        let unicode = exp(r"{path: a, matches: '^\p{L}+$'}").matcher().unwrap_err();
        assert!(unicode.contains("not a valid regex"), "{unicode}");
    }

    #[test]
    fn regex_classes_are_ascii() {
        // An account id is twelve ASCII digits; `\d` takes no other script's digits.
        let account = matcher(r"{path: a, matches: '^arn:aws[a-z-]*:iam::\d{12}:role/'}");
        assert!(account.test(&json!("arn:aws:iam::123456789012:role/deploy")));
        assert!(account.test(&json!("arn:aws-us-gov:iam::123456789012:role/x")));
        assert!(!account.test(&json!("arn:aws:iam::١٢٣٤٥٦٧٨٩٠١٢:role/deploy")));
        assert!(!account.test(&json!("arn:aws:iam::12345678901:role/deploy")));
        // Text beyond ASCII still matches as characters.
        assert!(matcher("{path: a, matches: '^caf.$'}").test(&json!("café")));
        assert!(matcher("{path: a, matches: '(?i)^PROD'}").test(&json!("production")));
    }

    #[test]
    fn describes_what_it_wants() {
        assert_eq!(matcher("{path: a, contains: Deploy}").describe(), "contain \"Deploy\"");
        assert_eq!(matcher("{path: a, min: 1, max: 30}").describe(), "be between 1 and 30");
        assert_eq!(matcher("{path: a, count: {min: 2}}").describe(), "have at least 2 items");
        assert_eq!(matcher("{path: a, absent: true}").describe(), "be absent");
    }

    #[test]
    fn show_shortens_long_values() {
        assert_eq!(show(&Value::Null), "nothing");
        let long = json!("x".repeat(1000));
        assert!(show(&long).ends_with('…'));
    }
}
