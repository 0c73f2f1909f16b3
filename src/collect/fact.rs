//! SDK output turned into facts: JSON with the AWS API's own field names.
//!
//! The SDK's types do not serialize, so each collector says field by field how its
//! output reads in the API reference (and so in `aws <service> <op>` output). Absent
//! optional fields are left out, as the CLI does; list fields are always present.

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{DateTime, Document};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;

/// A value as the AWS API's JSON spells it.
pub trait ToFact {
    fn to_fact(&self) -> Value;
}

/// Build a JSON object, leaving out fields whose value is absent.
#[macro_export]
macro_rules! fact {
    ($($key:literal => $value:expr),* $(,)?) => {{
        #[allow(unused_mut)]
        let mut map = ::serde_json::Map::new();
        $(
            let value = $crate::collect::fact::ToFact::to_fact(&$value);
            if !value.is_null() {
                map.insert($key.to_string(), value);
            }
        )*
        ::serde_json::Value::Object(map)
    }};
}

/// SDK enums: the wire string.
#[macro_export]
macro_rules! enum_facts {
    ($($ty:ty),* $(,)?) => {
        $(impl $crate::collect::fact::ToFact for $ty {
            fn to_fact(&self) -> ::serde_json::Value {
                ::serde_json::Value::String(self.as_str().to_string())
            }
        })*
    };
}

impl ToFact for str {
    fn to_fact(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl ToFact for String {
    fn to_fact(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToFact for bool {
    fn to_fact(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToFact for i32 {
    fn to_fact(&self) -> Value {
        Value::from(*self)
    }
}

impl ToFact for i64 {
    fn to_fact(&self) -> Value {
        Value::from(*self)
    }
}

impl ToFact for f64 {
    fn to_fact(&self) -> Value {
        Number::from_f64(*self).map(Value::Number).unwrap_or(Value::Null)
    }
}

impl ToFact for DateTime {
    fn to_fact(&self) -> Value {
        self.fmt(Format::DateTime).map(Value::String).unwrap_or(Value::Null)
    }
}

impl ToFact for Document {
    fn to_fact(&self) -> Value {
        match self {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(*b),
            Document::Number(n) => Number::from_f64(n.to_f64_lossy()).map(Value::Number).unwrap_or(Value::Null),
            Document::String(s) => Value::String(s.clone()),
            Document::Array(items) => Value::Array(items.iter().map(ToFact::to_fact).collect()),
            Document::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), v.to_fact())).collect()),
        }
    }
}

impl ToFact for Value {
    fn to_fact(&self) -> Value {
        self.clone()
    }
}

impl<T: ToFact + ?Sized> ToFact for &T {
    fn to_fact(&self) -> Value {
        (**self).to_fact()
    }
}

impl<T: ToFact> ToFact for Option<T> {
    fn to_fact(&self) -> Value {
        self.as_ref().map(ToFact::to_fact).unwrap_or(Value::Null)
    }
}

impl<T: ToFact> ToFact for [T] {
    fn to_fact(&self) -> Value {
        Value::Array(self.iter().map(ToFact::to_fact).collect())
    }
}

impl<T: ToFact> ToFact for Vec<T> {
    fn to_fact(&self) -> Value {
        self.as_slice().to_fact()
    }
}

impl<V: ToFact> ToFact for HashMap<String, V> {
    fn to_fact(&self) -> Value {
        let sorted: std::collections::BTreeMap<_, _> = self.iter().collect();
        Value::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v.to_fact())).collect::<Map<_, _>>())
    }
}

/// A JSON document the API returns as a string (an IAM policy, a Config rule's input
/// parameters), decoded the way the AWS CLI shows it. URL-encoded text (IAM) is decoded
/// first; text that is not JSON stays a string.
pub fn json_document(text: &str) -> Value {
    let decoded = if text.trim_start().starts_with('%') || text.contains("%7B") || text.contains("%22") {
        percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
    } else {
        text.to_string()
    };
    serde_json::from_str(&decoded).unwrap_or(Value::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fact_macro_leaves_out_absent_fields() {
        let name: Option<&str> = Some("a");
        let missing: Option<i32> = None;
        let list: &[String] = &[];
        assert_eq!(fact! { "name" => name, "n" => missing, "list" => list }, json!({"name": "a", "list": []}));
    }

    #[test]
    fn decodes_url_encoded_policy_documents() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(json_document(encoded), json!({"Version": "2012-10-17", "Statement": []}));
        assert_eq!(json_document("{\"a\":1}"), json!({"a": 1}));
        assert_eq!(json_document("not json %zz"), json!("not json %zz"));
    }

    #[test]
    fn timestamps_are_iso_8601() {
        assert_eq!(DateTime::from_secs(0).to_fact(), json!("1970-01-01T00:00:00Z"));
    }
}
