//! The options of the states that ship (`createMemoryState`, `durableObjectState`): their defaults and the
//! refusals of what they cannot use.

use crate::error::Error;
use crate::operation::Operation;

/// The most records a memory state keeps by default (about 30 MiB: a record is a few hundred bytes).
pub const DEFAULT_MAX_RECORDS: u32 = 100_000;
/// A memory state drops expired records on access, and all of them once every this many commands.
pub const SWEEP_EVERY: u32 = 1024;

/// A memory state's `maxRecords`: at least 1, [`DEFAULT_MAX_RECORDS`] by default.
pub fn max_records(given: Option<u32>) -> Result<u32, Error> {
    match given.unwrap_or(DEFAULT_MAX_RECORDS) {
        0 => Err(Error::validation(Operation::Configuration, "maxRecords", "must be a whole number of at least 1")),
        n => Ok(n),
    }
}

/// The refusal of a memory state's `now` that is not a clock.
pub fn not_a_clock() -> Error {
    Error::validation(Operation::Configuration, "now", "must be a function returning milliseconds since the epoch")
}

/// The refusal of a `durableObjectState` namespace that is not the binding of `AiccGatewayState`.
pub fn not_a_namespace() -> Error {
    Error::validation(Operation::Configuration, "state", "must be the Durable Object namespace binding of AiccGatewayState (env.AICC_STATE)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memory_state_keeps_at_least_one_record() {
        assert_eq!(max_records(None).ok(), Some(100_000));
        assert_eq!(max_records(Some(1)).ok(), Some(1));
        assert!(max_records(Some(0)).is_err_and(|e| e.field == Some("maxRecords")));
        assert_eq!(not_a_namespace().field, Some("state"));
        assert_eq!(not_a_clock().field, Some("now"));
    }
}
