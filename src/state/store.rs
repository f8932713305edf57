//! Where the gateway keeps its [`ledger`] records: a [`Store`] only moves record text in and out and runs
//! [`ledger::apply`] on it, one command at a time per key. The JS stores (in memory, a Durable Object) and
//! [`MemoryStore`] here for native code do exactly that.

use std::cell::RefCell;
use std::collections::HashMap;

use super::ledger;

/// Keeps records by key and applies commands to them.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// Applies `command` (text from [`ledger::command_text`]) to the record under `key` with [`ledger::apply`],
    /// keeps what it writes, and gives back the outcome text; `Err` when the store could not be reached.
    async fn apply(&self, key: &str, command: &str) -> Result<String, String>;
}

/// Records in this process, for native code and tests; `now_ms` gives the time. A record past the expiry its
/// command gave is gone, as in the JS stores.
pub struct MemoryStore<F: Fn() -> i64> {
    records: RefCell<HashMap<String, (String, i64)>>,
    now_ms: F,
}

impl<F: Fn() -> i64> MemoryStore<F> {
    /// An empty store reading the time from `now_ms`.
    pub fn new(now_ms: F) -> Self {
        MemoryStore { records: RefCell::new(HashMap::new()), now_ms }
    }

    /// How many live records it holds.
    pub fn len(&self) -> usize {
        let now = (self.now_ms)();
        self.records.try_borrow().map_or(0, |records| records.values().filter(|(_, at)| *at > now).count())
    }

    /// Whether it holds no live record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<F: Fn() -> i64> Store for MemoryStore<F> {
    async fn apply(&self, key: &str, command: &str) -> Result<String, String> {
        let now = (self.now_ms)();
        let mut records = self.records.try_borrow_mut().map_err(|_| "the store is busy".to_string())?;
        records.retain(|_, (_, expires_at)| *expires_at > now);
        let applied = ledger::apply(command, records.get(key).map(|(text, _)| text.as_str()), now)
            .ok_or_else(|| "unreadable command".to_string())?;
        if let Some(record) = applied.write {
            records.insert(key.to_string(), (record, applied.expires_at.unwrap_or(i64::MAX)));
        }
        Ok(applied.outcome)
    }
}
