//! The AWS CLI commands a learner can paste to see what a check reads: the kind's
//! command ([`Kind::cli`]) with the check's selector values in place of its placeholders
//! (`--name N`), and the check's paths added as `--query`.
//!
//! A placeholder is filled from the selector key its flag names (`--log-group-name G`
//! from `log_group`). A flag that wants an ID, ARN or URL is filled only when the
//! selector holds one: labcheck selects by name and looks the ID up itself.

use crate::collect::{Kind, Selector, SelectorType, split_cli_note};
use serde_json::Value;

/// What to paste, and what it cannot show.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Commands {
    /// One command, or one per sample for a kind that asks a call per sample.
    pub commands: Vec<String>,
    /// How labcheck's fact differs from the command's output (`plus Attributes: ...`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Placeholders left for the learner, each with the selector value it stands for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<String>,
    /// Paths left out of `--query`, each with why (a function only labcheck has).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_in_query: Vec<String>,
}

/// The commands for `kind` with `selector`, querying `paths` (each with the key it is
/// shown under) when the kind's output is a fact a query can read.
pub fn commands(kind: &Kind, selector: &Selector, paths: &[(String, &str)]) -> Commands {
    let (command, note) = split_cli_note(kind.cli);
    let mut out = Commands { note: note.map(str::to_string), ..Commands::default() };
    let mut words = split_words(command);
    if command.contains(", ") {
        // Several calls in prose (a role's policies): nothing to fill in or query.
        out.commands.push(command.to_string());
        return out;
    }
    let asks_samples = kind.selector.iter().any(|k| k.ty == SelectorType::Samples);
    let mut per_sample = false;
    let mut query = None;
    let mut i = 1;
    while i < words.len() {
        let flag = words[i - 1].clone();
        if flag == "--query" {
            query = Some((i - 1, words[i].trim_matches('\'').to_string()));
        } else if flag.starts_with("--") && is_placeholder(&words[i]) {
            let placeholder = words[i].clone();
            if placeholder.ends_with("...") {
                // Every sample, as one argument each.
                let samples: Vec<String> = all_samples(selector).iter().map(|s| shell_word(&text(s))).collect();
                words.splice(i..=i, samples.clone());
                i += samples.len().max(1);
                continue;
            } else if placeholder == "E" && asks_samples {
                per_sample = true;
            } else {
                match fill(kind, selector, &flag) {
                    Fill::Value(value) => words[i] = shell_word(&value),
                    Fill::LookUp(key, value) => out
                        .placeholders
                        .push(format!("{placeholder}: the one for {key} {}", crate::expect::show(value))),
                    Fill::Unselected => {}
                }
            }
        }
        i += 1;
    }
    if !asks_samples {
        let (projection, left_out) = projection(paths);
        out.not_in_query = left_out;
        if let Some(projection) = projection {
            let joined = match &query {
                Some((_, base)) if base.contains('|') => format!("{base} | {projection}"),
                Some((_, base)) => format!("{base}.{projection}"),
                None => projection,
            };
            match query {
                Some((at, _)) => words[at + 1] = shell_word(&joined),
                None => words.extend(["--query".to_string(), shell_word(&joined)]),
            }
        }
    }
    if per_sample {
        let at = words.iter().position(|w| w == "E").expect("the sample placeholder");
        for (n, sample) in all_samples(selector).iter().enumerate() {
            let event = crate::collect::eventbridge::with_envelope((*sample).clone(), n);
            let mut one = words.clone();
            one[at] = shell_word(&event.to_string());
            out.commands.push(one.join(" "));
        }
        out.note = None;
    } else {
        out.commands.push(words.join(" "));
    }
    out
}

/// A `{key: path, ...}` projection of the paths the AWS CLI can evaluate, and the paths
/// it cannot, each with why.
fn projection(paths: &[(String, &str)]) -> (Option<String>, Vec<String>) {
    let mut fields = Vec::new();
    let mut left_out = Vec::new();
    for (key, path) in paths {
        let only_labcheck = crate::paths::labcheck_functions_in(path);
        if only_labcheck.is_empty() {
            fields.push(format!("{}: {}", key_of(key), crate::paths::one_line(path)));
        } else {
            let functions: Vec<String> = only_labcheck.iter().map(|f| format!("{f}()")).collect();
            left_out.push(format!("{key} (labcheck's {}, which the AWS CLI lacks)", functions.join(", ")));
        }
    }
    let projection = (!fields.is_empty()).then(|| format!("{{{}}}", fields.join(", ")));
    (projection, left_out)
}

/// A multiselect key: the key itself when it is an identifier, else quoted.
fn key_of(key: &str) -> String {
    if crate::paths::is_plain_identifier(key) { key.to_string() } else { Value::from(key).to_string() }
}

enum Fill<'a> {
    Value(String),
    /// The selector names it (`zone = example.com`), but the flag wants its ID or ARN.
    LookUp(&'static str, &'a Value),
    Unselected,
}

fn fill<'a>(kind: &Kind, selector: &'a Selector, flag: &str) -> Fill<'a> {
    let flag_words: Vec<&str> = flag.trim_start_matches("--").split('-').collect();
    let names = |key: &str| {
        let key_words: Vec<&str> = key.split('_').collect();
        flag_words
            .windows(key_words.len())
            .any(|w| w.iter().zip(&key_words).all(|(f, k)| f.trim_end_matches('s') == k.trim_end_matches('s')))
    };
    let keys = kind.selector.iter().filter(|k| k.ty == SelectorType::String && names(k.name));
    // `--application-name A` names the application, not the name.
    let Some(key) = keys.min_by_key(|k| k.name == "name").map(|k| k.name) else { return Fill::Unselected };
    let Some(value) = selector.get(key) else { return Fill::Unselected };
    let value_text = text(value);
    let wants = flag_words.last().copied().unwrap_or_default();
    let fits = match wants.trim_end_matches('s') {
        "arn" => value_text.starts_with("arn:"),
        "url" => value_text.starts_with("https://") || value_text.starts_with("http://"),
        "id" => false,
        _ => true,
    };
    if fits { Fill::Value(value_text) } else { Fill::LookUp(key, value) }
}

/// `N`, `ARN`, `M...`: a word the kind's command leaves for a value.
fn is_placeholder(word: &str) -> bool {
    let bare = word.trim_end_matches("...");
    !bare.is_empty() && bare.chars().all(|c| c.is_ascii_uppercase())
}

/// The samples a pattern must match, then those it must not.
fn all_samples(selector: &Selector) -> Vec<&Value> {
    ["match", "no_match"].iter().filter_map(|k| selector.get(*k)).filter_map(Value::as_array).flatten().collect()
}

/// A value as a command argument's text: a string as itself, anything else as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The command's words; a single-quoted word stays one word, quotes kept.
fn split_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.push(c);
            }
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// `text` as one word for a POSIX shell: as it is when that is safe, else single-quoted.
pub fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:=@%+,-".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::kind;
    use serde_json::json;

    fn select(pairs: &[(&str, Value)]) -> Selector {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    #[test]
    fn fills_the_selected_names_and_queries_the_paths() {
        let log_group = kind("logs.subscription_filter").unwrap();
        let got = commands(
            log_group,
            &select(&[("log_group", json!("/labcheck/app"))]),
            &[("destinationArn".into(), "destinationArn"), ("e2".into(), "length(filterPattern)")],
        );
        assert_eq!(
            got.commands,
            ["aws logs describe-subscription-filters --log-group-name /labcheck/app \
                 --query 'subscriptionFilters[].{destinationArn: destinationArn, e2: length(filterPattern)}'"]
        );
        let deployment = kind("codedeploy.deployment_group").unwrap();
        let got = commands(deployment, &select(&[("application", json!("app")), ("name", json!("blue green"))]), &[]);
        assert_eq!(
            got.commands,
            [
                "aws deploy get-deployment-group --application-name app --deployment-group-name 'blue green' --query deploymentGroupInfo"
            ]
        );
    }

    #[test]
    fn leaves_ids_it_cannot_know_and_labcheck_functions_out() {
        let records = kind("route53.record_set").unwrap();
        let got = commands(records, &select(&[("zone", json!("example.com"))]), &[]);
        assert_eq!(
            got.commands,
            ["aws route53 list-resource-record-sets --hosted-zone-id Z --query 'ResourceRecordSets[]'"]
        );
        assert_eq!(got.placeholders, ["Z: the one for zone \"example.com\""]);
        let queue = kind("sqs.queue").unwrap();
        let got = commands(
            queue,
            &select(&[("name", json!("q"))]),
            &[("e1".into(), "policy_allows(Attributes.Policy, {action: 'sqs:SendMessage'})")],
        );
        assert_eq!(got.commands, ["aws sqs get-queue-attributes --queue-url U --attribute-names All"]);
        assert_eq!(got.not_in_query, ["e1 (labcheck's policy_allows(), which the AWS CLI lacks)"]);
        assert_eq!(got.note.as_deref(), Some("with QueueUrl"));
    }

    #[test]
    fn pattern_tests_pass_their_samples() {
        let logs = kind("logs.pattern_test").unwrap();
        let sel =
            select(&[("pattern", json!("ERROR")), ("match", json!(["ERROR x"])), ("no_match", json!([{"a": "it's"}]))]);
        let got = commands(logs, &sel, &[("missed".into(), "missed")]);
        assert_eq!(
            got.commands,
            [r#"aws logs test-metric-filter --filter-pattern ERROR --log-event-messages 'ERROR x' '{"a":"it'\''s"}'"#]
        );
        let events = kind("events.pattern_test").unwrap();
        let sel =
            select(&[("pattern", json!({"source": ["aws.health"]})), ("match", json!([{"source": "aws.health"}]))]);
        let got = commands(events, &sel, &[]);
        assert_eq!(got.commands.len(), 1);
        assert!(got.commands[0].starts_with(r#"aws events test-event-pattern --event-pattern '{"source":["aws.health"]}' --event '{"source":"aws.health","#), "{}", got.commands[0]);
        assert_eq!(got.note, None);
    }
}
