//! `releaseReason` values of createCall's release callback.
//!
//! "Caller" is the calling party, the agent side of the bidirectional call; "called" is the customer side.

use super::{lookup, Category as C, Code, Entry, entry as e};


/// What the callback documents for every value it does not list.
const OTHER: &str =
    "Other errors (the release callback lists only 0 to 5; any other value means other errors).";

/// The release callback's `releaseReason` values 0 to 5.
#[rustfmt::skip]
pub const RELEASE_REASONS: &[Entry] = &[
    e("0", "calledHungUp", C::Ok, false, "The called party (customer side) hung up."),
    e("1", "callerHungUp", C::Ok, false, "The calling party (agent side) hung up."),
    e("2", "callerLegFailed", C::Agent, true, "The call to the calling party (agent side) failed."),
    e("3", "calledLegFailed", C::Customer, true, "The call to the called party (customer side) failed."),
    e("4", "callerNoAnswer", C::Agent, true, "The calling party (agent side) did not answer."),
    e("5", "calledNoAnswer", C::Customer, true, "The called party (customer side) did not answer."),
];

/// Decodes a `releaseReason`; an unlisted value is `unknown` with the code kept and the message "other errors".
pub fn release_reason(code: &str) -> Code {
    let mut found = lookup(RELEASE_REASONS, code);
    if !found.is_known() {
        found.message = OTHER;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_reachable() {
        for row in RELEASE_REASONS {
            assert_eq!(release_reason(row.code), Code::from(row));
        }
    }

    #[test]
    fn unknown_is_other_errors_with_the_code_kept() {
        let c = release_reason("6");
        assert_eq!(
            (c.code.as_str(), c.name, c.category),
            ("6", "unknown", C::Unknown)
        );
        assert!(c.message.starts_with("Other errors"));
        assert_eq!(release_reason("").name, "unknown");
    }

    #[test]
    fn spot_checks() {
        assert_eq!(release_reason("0").category, C::Ok);
        assert!(release_reason("1").message.contains("agent side"));
        assert!(release_reason("5").message.contains("customer side"));
        assert!(release_reason("5").retryable);
    }
}
