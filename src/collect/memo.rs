//! One answer per identical API call within a grading run.
//!
//! Several checks often read the same thing (every alarm check lists the alarms). The
//! memo keys each call by operation and input; concurrent askers of the same key wait
//! for the one call in flight. It also keeps the log of operations called, which the
//! read-only tests and the benchmarks read.

use super::CollectError;
use serde_json::Value;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

type Cell = Arc<OnceCell<Result<Value, CollectError>>>;

#[derive(Default)]
pub struct Memo {
    cells: Mutex<HashMap<String, Cell>>,
    calls: Mutex<Vec<String>>,
}

impl Memo {
    /// The answer for `operation` with `input`, calling `fetch` only if no one has yet.
    pub async fn get_or_fetch<F, Fut>(&self, operation: &str, input: &str, fetch: F) -> Result<Value, CollectError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Value, CollectError>>,
    {
        let key = format!("{operation} {input}");
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(|p| p.into_inner());
            cells.entry(key).or_default().clone()
        };
        cell.get_or_init(|| async {
            self.calls.lock().unwrap_or_else(|p| p.into_inner()).push(operation.to_string());
            fetch().await
        })
        .await
        .clone()
    }

    /// Operations actually sent, in order, one entry per (memoised) call.
    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn identical_calls_are_made_once_even_concurrently() {
        let memo = Memo::default();
        let sent = AtomicUsize::new(0);
        let ask = || {
            memo.get_or_fetch("logs:DescribeLogGroups", "prefix=/app", || async {
                sent.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                Ok(Value::from(1))
            })
        };
        let (a, b, c) = tokio::join!(ask(), ask(), ask());
        assert_eq!((a.unwrap(), b.unwrap(), c.unwrap()), (Value::from(1), Value::from(1), Value::from(1)));
        assert_eq!(sent.load(Ordering::SeqCst), 1);
        let other = memo.get_or_fetch("logs:DescribeLogGroups", "prefix=/other", || async { Ok(Value::from(2)) });
        assert_eq!(other.await.unwrap(), Value::from(2));
        assert_eq!(memo.calls(), vec!["logs:DescribeLogGroups", "logs:DescribeLogGroups"]);
    }
}
