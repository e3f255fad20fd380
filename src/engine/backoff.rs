//! Waiting out Entra ID's replication and Graph's throttling: waits that double from `first`
//! up to `max`, `Retry-After` when Graph names one, all within one budget per operation that the
//! admin sees as it runs and can raise (`--wait`). Microsoft gives no SLA for replication, so
//! the budget is minutes, not seconds (DOMAIN.md, "Replication lag").

use std::time::Duration;

use tokio::time::Instant;

/// How waits grow, and how long one operation may wait in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
    pub budget: Duration,
}

/// The default budget per operation.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(300);

impl Backoff {
    /// 2 s, doubling to 30 s, within `budget`.
    pub fn new(budget: Duration) -> Backoff {
        Backoff {
            first: Duration::from_secs(2),
            max: Duration::from_secs(30),
            budget,
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

    pub fn start(self) -> Waiting {
        Waiting {
            b: self,
            started: Instant::now(),
            next: self.first,
            waits: 0,
        }
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
    started: Instant,
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
        if self.started.elapsed() + wait > self.b.budget {
            return None;
        }
        if retry_after.is_none() {
            self.next = (self.next * 2).min(self.b.max);
        }
        self.waits += 1;
        Some(wait)
    }

    /// Seconds waited so far, and the budget.
    pub fn spent(&self) -> (u64, u64) {
        (self.started.elapsed().as_secs(), self.b.budget.as_secs())
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
            let mut w = Backoff::new(Duration::from_secs(20)).start();
            assert_eq!(w.next(None), Some(Duration::from_secs(2)));
            assert_eq!(w.next(None), Some(Duration::from_secs(4)));
            assert_eq!(w.next(Some(7)), Some(Duration::from_secs(7)));
            assert_eq!(w.next(None), Some(Duration::from_secs(8)));
            assert_eq!(w.next(Some(30)), None, "beyond the budget");
            let mut fast = Backoff::new(Duration::from_millis(40))
                .first(Duration::from_millis(5))
                .start();
            assert_eq!(fast.next(None), Some(Duration::from_millis(5)));
            assert_eq!(fast.next(None), Some(Duration::from_millis(10)));
            tokio::time::sleep(Duration::from_millis(25)).await;
            assert_eq!(fast.next(None), None, "the budget is spent");
        });
    }
}
