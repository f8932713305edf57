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

/// Records in this process, for native code and tests; `now_ms` gives the time.
pub struct MemoryStore<F: Fn() -> i64> {
    records: RefCell<HashMap<String, String>>,
    now_ms: F,
}

impl<F: Fn() -> i64> MemoryStore<F> {
    /// An empty store reading the time from `now_ms`.
    pub fn new(now_ms: F) -> Self {
        MemoryStore { records: RefCell::new(HashMap::new()), now_ms }
    }
}

impl<F: Fn() -> i64> Store for MemoryStore<F> {
    async fn apply(&self, key: &str, command: &str) -> Result<String, String> {
        let mut records = self.records.borrow_mut();
        let applied = ledger::apply(command, records.get(key).map(String::as_str), (self.now_ms)())
            .ok_or_else(|| "unreadable command".to_string())?;
        if let Some(record) = applied.write {
            records.insert(key.to_string(), record);
        }
        Ok(applied.outcome)
    }
}
