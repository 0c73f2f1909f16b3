//! The sample events of a pattern check (`match` / `no_match`) and the fact a pattern
//! check gives: which samples the pattern missed and which it wrongly matched. The
//! services differ only in how they are asked (one event a call, or a batch).

use super::{Resource, Selector, found};
use serde_json::Value;

/// The samples a pattern must match, then those it must not, in the lab's order.
pub struct Samples(Vec<(bool, Value)>);

impl Samples {
    pub fn from_selector(sel: &Selector) -> Self {
        let list = |key: &str| sel.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        let must = list("match").into_iter().map(|s| (true, s));
        let must_not = list("no_match").into_iter().map(|s| (false, s));
        Samples(must.chain(must_not).collect())
    }

    /// The samples, in the order `verdict` expects its answers.
    pub fn events(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|(_, sample)| sample)
    }

    /// The fact, from whether the pattern matched each sample (in `events` order).
    pub fn verdict(&self, what: &str, matched: &[bool]) -> Vec<Resource> {
        let (mut missed, mut wrongly_matched) = (Vec::new(), Vec::new());
        for ((should_match, sample), did_match) in self.0.iter().zip(matched) {
            match (should_match, did_match) {
                (true, false) => missed.push(sample.clone()),
                (false, true) => wrongly_matched.push(sample.clone()),
                _ => {}
            }
        }
        found(what, serde_json::json!({ "missed": missed, "wrongly_matched": wrongly_matched }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_missed_and_the_wrongly_matched_samples() {
        let sel: Selector = [("match".to_string(), json!(["a", "b"])), ("no_match".to_string(), json!(["c", "d"]))]
            .into_iter()
            .collect();
        let samples = Samples::from_selector(&sel);
        assert_eq!(samples.events().cloned().collect::<Vec<_>>(), vec![json!("a"), json!("b"), json!("c"), json!("d")]);
        let fact = &samples.verdict("p", &[true, false, true, false])[0].fact;
        assert_eq!(fact, &json!({"missed": ["b"], "wrongly_matched": ["c"]}));
    }
}
