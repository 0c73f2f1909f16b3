//! The API's own JSON answer, for services that speak JSON on the wire (awsJson and
//! restJson: CodeBuild, DynamoDB, ECR, Lambda, SSM and most others).
//!
//! For those, the response body already is the fact: the AWS API's shape by
//! construction, every field the service sent, including fields newer than this SDK.
//! The typed SDK call still signs, retries, paginates and classifies errors; an
//! interceptor keeps the body it deserialized. (Services that answer in XML or CBOR
//! convert their typed output with [`super::fact::ToFact`] instead.)
//!
//! Timestamps stay as the wire sends them (epoch seconds).

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// Pages a listing follows at most: a service that keeps answering with a next token
/// cannot keep a grading run busy for ever.
pub const MAX_PAGES: usize = 1000;

/// Keeps the body of the last response of one operation (the last attempt, after retries).
#[derive(Debug, Clone, Default)]
pub struct RawBody(Arc<Mutex<Option<Vec<u8>>>>);

impl RawBody {
    /// The body as JSON; `{}` when it was empty (some operations answer with no body).
    pub fn json(&self) -> Value {
        let body = self.0.lock().unwrap_or_else(|p| p.into_inner()).take().unwrap_or_default();
        if body.iter().all(u8::is_ascii_whitespace) {
            return Value::Object(Default::default());
        }
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    }
}

impl Intercept for RawBody {
    fn name(&self) -> &'static str {
        "labcheck::RawBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(bytes) = context.response().body().bytes() {
            *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(bytes.to_vec());
        }
        Ok(())
    }
}

/// Send a fluent SDK request; `Ok((typed output, JSON body))`.
#[macro_export]
macro_rules! send_raw {
    ($request:expr) => {{
        let raw = $crate::collect::raw::RawBody::default();
        $request.customize().interceptor(raw.clone()).send().await.map(|out| (out, raw.json()))
    }};
}

/// One memoised call: the JSON answer, or `null` when the service says `not_found`.
#[macro_export]
macro_rules! raw_call {
    ($ctx:expr, $op:expr, $input:expr, $not_found:expr, $request:expr) => {
        $ctx.call($op, $input, || async {
            match $crate::send_raw!($request) {
                Ok((_, body)) => Ok(body),
                Err(err) => {
                    $crate::collect::CollectError::classify($op, err, $not_found).map(|()| ::serde_json::Value::Null)
                }
            }
        })
    };
}

/// A memoised listing: the `$items` arrays of every page, in order. `$token` names the
/// page token inside `$request`; `$next` is where the answer gives the next one.
#[macro_export]
macro_rules! raw_pages {
    ($ctx:expr, $op:expr, $input:expr, $not_found:expr, $items:literal, $next:literal, |$token:ident| $request:expr) => {
        $ctx.call($op, $input, || async {
            let mut items = Vec::new();
            let mut $token: Option<String> = None;
            for _ in 0..$crate::collect::raw::MAX_PAGES {
                match $crate::send_raw!($request) {
                    Ok((_, mut body)) => {
                        if let Some(::serde_json::Value::Array(page)) =
                            body.get_mut($items).map(::serde_json::Value::take)
                        {
                            items.extend(page);
                        }
                        $token = body
                            .get($next)
                            .and_then(::serde_json::Value::as_str)
                            .filter(|t| !t.is_empty())
                            .map(str::to_string);
                        if $token.is_none() {
                            break;
                        }
                    }
                    Err(err) => {
                        $crate::collect::CollectError::classify($op, err, $not_found)?;
                        break;
                    }
                }
            }
            Ok(::serde_json::Value::Array(items))
        })
    };
}

/// The member `key` of an answer (`null` stays `null`).
pub fn member(mut body: Value, key: &str) -> Value {
    body.get_mut(key).map(Value::take).unwrap_or(Value::Null)
}

/// Decode the JSON documents an answer carries as strings (policies, patterns), at
/// dotted `paths` such as `Attributes.Policy`, the way [`super::fact::json_document`] does.
pub fn decode_documents(mut fact: Value, paths: &[&str]) -> Value {
    for path in paths {
        let mut at = Some(&mut fact);
        for key in path.split('.') {
            at = at.and_then(|v| v.get_mut(key));
        }
        if let Some(value) = at
            && let Some(text) = value.as_str()
        {
            *value = super::fact::json_document(text);
        }
    }
    fact
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_string_documents_at_paths() {
        let fact = json!({"Attributes": {"Policy": "{\"Version\":\"2012-10-17\"}", "Other": "1"}, "Missing": null});
        let decoded = decode_documents(fact, &["Attributes.Policy", "Attributes.Absent", "Nope.Deeper"]);
        assert_eq!(
            decoded,
            json!({"Attributes": {"Policy": {"Version": "2012-10-17"}, "Other": "1"}, "Missing": null})
        );
    }

    #[test]
    fn an_empty_body_is_an_empty_object() {
        assert_eq!(RawBody::default().json(), json!({}));
        let raw = RawBody::default();
        *raw.0.lock().unwrap() = Some(b"{\"a\": [1]}".to_vec());
        assert_eq!(raw.json(), json!({"a": [1]}));
    }

    #[test]
    fn member_takes_one_key() {
        assert_eq!(member(json!({"Table": {"TableName": "t"}}), "Table"), json!({"TableName": "t"}));
        assert_eq!(member(Value::Null, "Table"), Value::Null);
    }
}
