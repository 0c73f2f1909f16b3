//! The JSON Schema of a `lab.yaml` (`labcheck schema lab`, kept in `labs/lab.schema.json`
//! for editors): the shape of the typed lab model, plus what its Rust types cannot say —
//! which kinds exist, each kind's selectors, and that an expectation sets one matcher.
//!
//! An editor with the YAML language server completes and checks a lab file from it as it
//! is typed. It is a first line only: `labcheck validate` also checks what no schema can
//! (JMESPath, templates, `needs`, task and skill ids).

use super::Lab;
use crate::collect::{KINDS, Kind, SelectorType};
use crate::expect::MATCHER_KEYS;
use serde_json::{Map, Value, json};

/// Where the schema is published for the labs' `yaml-language-server` modelines.
pub const SCHEMA_FILE: &str = "lab.schema.json";

/// The modeline every lab file starts with (the schema sits in the labs folder, two
/// levels up from `labs/<domain>/<lab>/lab.yaml`).
pub const MODELINE: &str = "# yaml-language-server: $schema=../../lab.schema.json";

/// The schema of a lab file.
pub fn lab_schema() -> Value {
    let mut schema = schemars::schema_for!(Lab).to_value();
    let defs = schema["$defs"].as_object_mut().expect("the lab model has definitions");

    let check = defs.get_mut("Check").expect("a Check definition");
    check["properties"]["kind"]["enum"] = KINDS.iter().map(|k| json!(k.name)).collect();
    check["allOf"] = KINDS.iter().map(|k| selectors_of(k)).collect();

    let expectation = defs.get_mut("Expectation").expect("an Expectation definition");
    expectation["oneOf"] = one_matcher();
    schema
}

/// When `kind` is this kind, `select` holds only its selectors, with their types, and the
/// ones it needs.
fn selectors_of(kind: &Kind) -> Value {
    let mut properties = Map::new();
    for key in kind.selector {
        let ty = match key.ty {
            SelectorType::String => json!({ "type": "string" }),
            SelectorType::Bool => json!({ "type": "boolean" }),
            SelectorType::Samples => json!({ "type": "array" }),
            SelectorType::Strings => json!({ "type": ["array", "string"], "items": { "type": "string" } }),
        };
        let mut property = ty;
        property["description"] = json!(key.doc);
        properties.insert(key.name.to_string(), property);
    }
    let required: Vec<&str> = kind.selector.iter().filter(|k| k.required).map(|k| k.name).collect();
    let mut select = json!({ "type": "object", "properties": properties, "additionalProperties": false });
    if !required.is_empty() {
        select["required"] = json!(required);
    }
    if !kind.one_of.is_empty() {
        select["anyOf"] = kind.one_of.iter().map(|k| json!({ "required": [k] })).collect();
    }
    let mut then = json!({ "properties": { "select": select } });
    if !required.is_empty() || !kind.one_of.is_empty() {
        then["required"] = json!(["select"]);
    }
    json!({
        "if": { "properties": { "kind": { "const": kind.name } }, "required": ["kind"] },
        "then": then,
    })
}

/// Exactly one matcher per expectation; `min` and `max` together are one (a range).
fn one_matcher() -> Value {
    let mut alternatives: Vec<Value> =
        MATCHER_KEYS.iter().filter(|k| !matches!(**k, "min" | "max")).map(|k| json!({ "required": [k] })).collect();
    alternatives.push(json!({ "anyOf": [{ "required": ["min"] }, { "required": ["max"] }] }));
    Value::Array(alternatives)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn validator() -> jsonschema::Validator {
        jsonschema::validator_for(&lab_schema()).expect("the lab schema is a valid JSON Schema")
    }

    fn yaml(text: &str) -> Value {
        serde_yaml::from_str(text).expect("YAML")
    }

    fn lab_files(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for domain in std::fs::read_dir(dir).unwrap().flatten().filter(|e| e.path().is_dir()) {
            for lab in std::fs::read_dir(domain.path()).unwrap().flatten() {
                let file = lab.path().join("lab.yaml");
                if file.is_file() {
                    files.push(file);
                }
            }
        }
        files.sort();
        files
    }

    #[test]
    fn the_published_schema_is_the_generated_one() {
        let published = Path::new(env!("CARGO_MANIFEST_DIR")).join("labs").join(SCHEMA_FILE);
        let published: Value = serde_json::from_str(&std::fs::read_to_string(&published).unwrap()).unwrap();
        assert!(
            published == lab_schema(),
            "labs/{SCHEMA_FILE} is out of date: run `cargo run -- schema lab > labs/{SCHEMA_FILE}`"
        );
    }

    #[test]
    fn every_lab_names_the_schema_and_conforms_to_it() {
        let validator = validator();
        let files = lab_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("labs"));
        assert!(files.len() >= 30, "the labs were found: {}", files.len());
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert_eq!(text.lines().next(), Some(MODELINE), "{} starts with the modeline", file.display());
            let errors: Vec<String> =
                validator.iter_errors(&yaml(&text)).map(|e| format!("{e} at {}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
        }
    }

    /// The schema rejects what `labcheck validate` rejects where a schema can say it;
    /// what only `validate` can see (JMESPath, templates, order of `needs`) it lets through.
    #[test]
    fn the_schema_rejects_the_bad_fixtures_it_can_see() {
        let validator = validator();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad-labs");
        let typo = yaml(&std::fs::read_to_string(fixtures.join("typo/lab.yaml")).unwrap());
        assert!(!validator.is_valid(&typo), "a misspelt field (`kindd`)");
        assert!(
            serde_yaml::from_str::<Value>(&std::fs::read_to_string(fixtures.join("syntax/lab.yaml")).unwrap()).is_err()
        );

        let semantic = yaml(&std::fs::read_to_string(fixtures.join("semantic/lab.yaml")).unwrap());
        let loaded = crate::lab::load_labs(&fixtures);
        let mut rejected = Vec::new();
        for (i, check) in semantic["checks"].as_array().unwrap().iter().enumerate() {
            let mut one = semantic.clone();
            one["checks"] = json!([check]);
            if !validator.is_valid(&one) {
                rejected.push(check["id"].as_str().unwrap());
                let at = format!("checks[{i}].");
                assert!(
                    loaded
                        .diagnostics
                        .iter()
                        .any(|d| d.file.ends_with("semantic/lab.yaml") && d.field.starts_with(&at)),
                    "`labcheck validate` rejects {at} too"
                );
            }
        }
        assert_eq!(rejected, ["unknown-kind", "two-matchers", "wrong-selector"]);
    }

    #[test]
    fn a_range_is_one_matcher_and_a_kind_brings_its_selectors() {
        let validator = validator();
        let lab = |expect: Value, select: Value| {
            json!({"id": "l", "title": "t", "summary": "s", "checks": [
                {"id": "c", "title": "t", "kind": "logs.log_group", "select": select, "expect": [expect]}
            ]})
        };
        let fine = json!({"name": "/app"});
        assert!(validator.is_valid(&lab(json!({"path": "retentionInDays", "min": 1, "max": 30}), fine.clone())));
        assert!(validator.is_valid(&lab(json!({"path": "retentionInDays", "equals": 7}), fine.clone())));
        assert!(!validator.is_valid(&lab(json!({"path": "retentionInDays"}), fine.clone())), "no matcher");
        assert!(!validator.is_valid(&lab(json!({"path": "x", "exists": true, "min": 1}), fine.clone())), "two");
        assert!(!validator.is_valid(&lab(json!({"path": "x", "exists": true}), json!({"nmae": "/app"}))), "a typo");
        assert!(!validator.is_valid(&lab(json!({"path": "x", "exists": true}), json!({"name": 7}))), "a number");
    }
}
