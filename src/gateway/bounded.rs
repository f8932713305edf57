//! A store with a deadline on each command, timed by the client's transport.

use crate::client::{first_of, Either, Transport};
use crate::state::Store;

/// A store whose every command must answer within `timeout_ms` (on `transport`'s timer), else fails as
/// unreachable: a state that never answers cannot hold a request or a callback open.
pub struct Bounded<'a, S, T> {
    /// The store.
    pub store: &'a S,
    /// Whose `sleep` times the deadline.
    pub transport: &'a T,
    /// The deadline of each command.
    pub timeout_ms: u32,
}

impl<S: Store, T: Transport> Store for Bounded<'_, S, T> {
    async fn apply(&self, key: &str, command: &str) -> Result<String, String> {
        match first_of(self.store.apply(key, command), self.transport.sleep(self.timeout_ms)).await {
            Either::Left(outcome) => outcome,
            Either::Right(()) => Err(format!("the state did not answer within {} ms", self.timeout_ms)),
        }
    }
}
