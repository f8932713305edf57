//! The one retry policy, used by every operation, by the token fetch and by a gateway's forwarding.
//!
//! What may be retried comes from the error itself: its `retryable` flag is set where the error is made
//! (network errors, timeouts and unreadable answers; [`crate::error::RETRYABLE_STATUSES`]; the code tables'
//! `retryable` column), and from the operation: only an operation with [`Retry::Safe`] is sent again.

use crate::error::{Error, ErrorKind};
use crate::operation::{Operation, Retry};

/// How often and how long to retry. `Default`: 2 retries, waits from 200 ms up to 5 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (`maxRetries`, 0..=10).
    pub max_retries: u32,
    /// The first backoff step in milliseconds (`baseDelayMs`, 1..=60000): retry n waits a random time up to
    /// `base_delay_ms * 2^(n-1)`, and at least a tenth of it.
    pub base_delay_ms: u32,
    /// The longest wait in milliseconds (`maxDelayMs`, `base_delay_ms..=300000`).
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { max_retries: 2, base_delay_ms: 200, max_delay_ms: 5_000 }
    }
}

/// Whether the credential of a refused request can be replaced by a fresh one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// A new token can be asked for (once per request).
    Possible,
    /// No token to refresh, or it was refreshed already.
    Impossible,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Send it again after waiting this many milliseconds.
    RetryAfter(u32),
    /// Forget the refused token, fetch a new one and send it again at once (a 401 is refused unread).
    RefreshToken,
    /// Give up; `outcome_unknown` when the request may have taken effect (createCall).
    Fail {
        /// The request may have reached AICC and been carried out.
        outcome_unknown: bool,
    },
}

impl RetryPolicy {
    /// Checks the numbers, naming the option at fault.
    pub fn new(max_retries: u32, base_delay_ms: u32, max_delay_ms: u32) -> Result<Self, Error> {
        let op = Operation::Configuration;
        if max_retries > 10 {
            return Err(Error::validation(op, "maxRetries", "must be between 0 and 10"));
        }
        if !(1..=60_000).contains(&base_delay_ms) {
            return Err(Error::validation(op, "retry", "baseDelayMs must be between 1 and 60000 milliseconds"));
        }
        if !(base_delay_ms..=300_000).contains(&max_delay_ms) {
            return Err(Error::validation(op, "retry", "maxDelayMs must be between baseDelayMs and 300000 milliseconds"));
        }
        Ok(RetryPolicy { max_retries, base_delay_ms, max_delay_ms })
    }

    /// Decides after attempt number `attempt` (1 for the first) of `op` failed with `error`. `random` is in
    /// `0.0..1.0`, for the jitter.
    pub fn decide(&self, op: Operation, error: &Error, attempt: u32, refresh: Refresh, random: f64) -> Decision {
        if refresh == Refresh::Possible && error.kind == ErrorKind::Auth && error.status == Some(401) {
            return Decision::RefreshToken;
        }
        match op.retry() {
            Retry::Safe if error.retryable && attempt <= self.max_retries => Decision::RetryAfter(self.backoff_ms(attempt, random)),
            Retry::Safe => Decision::Fail { outcome_unknown: false },
            Retry::Never => Decision::Fail { outcome_unknown: may_have_taken_effect(error) },
        }
    }

    /// The longest a retried exchange can take when each attempt waits `timeout_ms`: every attempt timing out,
    /// with the longest backoff between them (milliseconds).
    pub fn worst_case_ms(&self, timeout_ms: u32) -> i64 {
        let attempts = i64::from(self.max_retries) + 1;
        attempts * i64::from(timeout_ms) + i64::from(self.max_retries) * i64::from(self.max_delay_ms)
    }

    /// Full jitter over an exponential step, never less than a tenth of the step.
    fn backoff_ms(&self, attempt: u32, random: f64) -> u32 {
        let step = f64::from(self.base_delay_ms) * 2f64.powi(attempt.saturating_sub(1).min(20) as i32);
        let ceiling = step.min(f64::from(self.max_delay_ms));
        (ceiling * (0.1 + 0.9 * random.clamp(0.0, 1.0))) as u32
    }
}

/// Whether a failed request with an effect may still have been carried out: no answer, a gateway that gave
/// up waiting for AICC (502, 504), or an unreadable success.
fn may_have_taken_effect(e: &Error) -> bool {
    match e.kind {
        ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Decode => true,
        ErrorKind::Http => matches!(e.status, Some(502 | 504)),
        _ => false,
    }
}

/// Told before each retry: which operation, the attempt that failed, the wait, and why.
#[derive(Debug, Clone, Copy)]
pub struct RetryEvent<'a> {
    /// The operation being retried (`tokenByAkSk` for the token fetch).
    pub operation: Operation,
    /// The attempt that failed (1 for the first).
    pub attempt: u32,
    /// The wait before the next attempt, in milliseconds (0 for a token refresh).
    pub delay_ms: u32,
    /// Why the attempt failed (already scrubbed of secrets).
    pub error: &'a Error,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;

    const POLICY: RetryPolicy = RetryPolicy { max_retries: 2, base_delay_ms: 200, max_delay_ms: 5_000 };

    fn decide(op: Operation, e: &Error, attempt: u32) -> Decision {
        POLICY.decide(op, e, attempt, Refresh::Impossible, 0.5)
    }

    #[test]
    fn safe_operations_retry_what_the_error_calls_retryable_until_the_limit() {
        let query = Operation::QueryCallState;
        for e in [
            Error::network(query, "reset"),
            Error::timeout(query, 10),
            Error::decode(query, 200, "cut"),
            Error::http(query, 503),
            Error::api(query, codes::create_call::ret_code("90104029"), None),
        ] {
            assert!(matches!(decide(query, &e, 1), Decision::RetryAfter(_)), "{e}");
            assert!(matches!(decide(query, &e, 2), Decision::RetryAfter(_)), "{e}");
            assert_eq!(decide(query, &e, 3), Decision::Fail { outcome_unknown: false }, "{e}");
        }
        for e in [Error::http(query, 500), Error::http(query, 404), Error::auth(query, Some(403), "no")] {
            assert_eq!(decide(query, &e, 1), Decision::Fail { outcome_unknown: false }, "{e}");
        }
    }

    #[test]
    fn an_operation_with_an_effect_is_never_retried_and_says_when_its_outcome_is_unknown() {
        let create = Operation::CreateCall;
        let unknown = Decision::Fail { outcome_unknown: true };
        let known = Decision::Fail { outcome_unknown: false };
        assert_eq!(decide(create, &Error::timeout(create, 10), 1), unknown);
        assert_eq!(decide(create, &Error::http(create, 502), 1), unknown);
        assert_eq!(decide(create, &Error::http(create, 503), 1), known);
        assert_eq!(decide(create, &Error::http(create, 429), 1), known);
    }

    #[test]
    fn a_401_refreshes_once_for_every_operation() {
        let e = Error::auth(Operation::CreateCall, Some(401), "refused");
        assert_eq!(POLICY.decide(Operation::CreateCall, &e, 1, Refresh::Possible, 0.0), Decision::RefreshToken);
        assert_eq!(POLICY.decide(Operation::CreateCall, &e, 2, Refresh::Impossible, 0.0), Decision::Fail { outcome_unknown: false });
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let waits: Vec<u32> = (1..=8).map(|n| POLICY.backoff_ms(n, 1.0)).collect();
        assert_eq!(waits, [200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
        assert_eq!(POLICY.backoff_ms(1, 0.0), 20, "at least a tenth of the step");
    }

    #[test]
    fn options_are_checked() {
        assert_eq!(RetryPolicy::new(11, 200, 5000).err().and_then(|e| e.field), Some("maxRetries"));
        assert_eq!(RetryPolicy::new(2, 0, 5000).err().and_then(|e| e.field), Some("retry"));
        assert_eq!(RetryPolicy::new(2, 500, 100).err().and_then(|e| e.field), Some("retry"));
        assert!(RetryPolicy::new(0, 1, 1).is_ok());
    }
}
