//! What a caller is told when the wasm instance trapped (a bug) while its work was in flight: that work is
//! lost, and an operation with an effect may have taken it ([`Operation::may_take_effect`]). The JS entries
//! read these answers while the instance is alive, since a trapped one cannot be asked.

use crate::operation::Operation;

/// The fields of the `AiccError` a trap gives one piece of work (its `operation` and the message's prefix are
/// the work's name, as for every error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrapError {
    /// The `AiccError.kind`: always `internal`.
    pub kind: &'static str,
    /// What happened.
    pub message: &'static str,
    /// Whether it can simply be tried again: not when it may have taken effect.
    pub retryable: bool,
    /// True when it may have taken effect (a createCall may have been placed): check before trying again.
    pub outcome_unknown: bool,
}

/// The error of an operation (`None`: work that is none, such as setting up or a gateway's routing) lost to a
/// trap.
pub fn trap_error(op: Option<Operation>) -> TrapError {
    let effect = op.is_some_and(Operation::may_take_effect);
    TrapError {
        kind: "internal",
        message: "internal error: the WebAssembly module trapped and was restarted; this call's outcome is lost",
        retryable: !effect,
        outcome_unknown: effect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_operation_with_an_effect_is_outcome_unknown() {
        let create = trap_error(Some(Operation::CreateCall));
        assert!(create.outcome_unknown && !create.retryable);
        assert_eq!(create.kind, "internal");
        for op in [Some(Operation::QueryCallState), Some(Operation::QueryCallDetailRecord), Some(Operation::Configuration), None] {
            let lost = trap_error(op);
            assert!(lost.retryable && !lost.outcome_unknown, "{op:?}");
        }
    }
}
