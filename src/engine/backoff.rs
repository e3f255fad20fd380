//! Waiting out Entra ID's replication and Graph's throttling: waits that double from `first`
//! up to `max`, `Retry-After` when Graph names one, all within one budget for the whole command
//! that the admin sees as it runs and can raise (`--wait`): a throttling storm costs one budget,
//! not one per read. Microsoft gives no SLA for replication, so the budget is minutes, not
//! seconds (src/docs/graph.md, "Replication lag and throttling").

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How waits grow, and how long the command may wait in all (every clone shares what was
/// spent).
#[derive(Debug, Clone)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
    pub budget: Duration,
    /// Milliseconds waited so far by this command, across all its operations and reads.
    spent: Arc<AtomicU64>,
}

impl PartialEq for Backoff {
    fn eq(&self, o: &Backoff) -> bool {
        (self.first, self.max, self.budget) == (o.first, o.max, o.budget)
    }
}

impl Eq for Backoff {}

/// The default budget for a command's waits.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(600);

impl Backoff {
    /// 2 s, doubling to 30 s, within `budget`.
    pub fn new(budget: Duration) -> Backoff {
        Backoff {
            first: Duration::from_secs(2),
            max: Duration::from_secs(30),
            budget,
            spent: Arc::default(),
        }
    }

    /// The same budget with another first wait (tests: milliseconds, so no test sleeps long).
    pub fn first(self, first: Duration) -> Backoff {
        Backoff {
            first,
            max: self.max.min(first * 16).max(first),
            ..self
        }
    }

    /// One operation's waiting, within what is left of the command's budget.
    pub fn start(&self) -> Waiting {
        Waiting {
            b: self.clone(),
            next: self.first,
            waits: 0,
        }
    }

    fn spent(&self) -> Duration {
        Duration::from_millis(self.spent.load(Ordering::Relaxed))
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(DEFAULT_WAIT)
    }
}

/// One operation's waiting.
#[derive(Debug)]
pub struct Waiting {
    b: Backoff,
    next: Duration,
    pub waits: u32,
}

impl Waiting {
    /// The next wait (`retry_after` seconds when Graph named them), or `None` when it would
    /// overrun the budget.
    pub fn next(&mut self, retry_after: Option<u64>) -> Option<Duration> {
        let wait = match retry_after {
            Some(s) => Duration::from_secs(s).max(self.b.first.min(Duration::from_secs(1))),
            None => self.next,
        };
        if self.b.spent() + wait > self.b.budget {
            crate::remote::trace::note(&format!(
                "no retry: {} ms more would overrun the --wait budget of {} s",
                wait.as_millis(),
                self.b.budget.as_secs()
            ));
            return None;
        }
        if retry_after.is_none() {
            self.next = (self.next * 2).min(self.b.max);
        }
        self.waits += 1;
        // Counted as it is promised: the caller sleeps it next.
        self.b
            .spent
            .fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
        crate::remote::trace::retry(self.waits, wait, retry_after.is_some(), self.spent());
        Some(wait)
    }

    /// Seconds the command has waited so far, and its budget.
    pub fn spent(&self) -> (u64, u64) {
        (self.b.spent().as_secs(), self.b.budget.as_secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_honour_retry_after_and_stop_at_the_budget() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut w = Backoff::new(Duration::from_secs(25)).start();
            assert_eq!(w.next(None), Some(Duration::from_secs(2)));
            assert_eq!(w.next(None), Some(Duration::from_secs(4)));
            assert_eq!(w.next(Some(7)), Some(Duration::from_secs(7)));
            assert_eq!(w.next(None), Some(Duration::from_secs(8)));
            assert_eq!(w.next(Some(30)), None, "beyond the budget");
            let fast = Backoff::new(Duration::from_millis(40)).first(Duration::from_millis(5));
            let mut one = fast.start();
            assert_eq!(one.next(None), Some(Duration::from_millis(5)));
            assert_eq!(one.next(None), Some(Duration::from_millis(10)));
            assert_eq!(one.next(None), Some(Duration::from_millis(20)));
            // Another read of the same command starts with what is left: 5 ms.
            let mut other = fast.start();
            assert_eq!(other.next(None), Some(Duration::from_millis(5)));
            assert_eq!(other.next(None), None, "the command's budget is spent");
        });
    }
}
