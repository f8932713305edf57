//! The gateway's policy as the operations see it: what `authorize` decided ([`Verdict`]), how an operation
//! applies it to its typed request ([`Gated`]), what the shared state must allow ([`Guard`]) and a refusal.
//! Below the operations, which implement [`Gated`] in their own files, and below the gateway, which applies it.

use crate::error::Error;

mod verdict;

pub use verdict::{Verdict, KEYS as VERDICT_KEYS, MAX_LIST_ITEMS as MAX_VERDICT_LIST_ITEMS};

/// How a gateway's verdict applies to an operation's typed request: each operation says it in its own file
/// (which agent it is pinned to, which caller numbers it may use, what the gateway sets in it).
pub trait Gated: Sized {
    /// Applies `verdict` (an allowing one) to the page's request: the request to send on, or a refusal.
    fn apply(self, verdict: &Verdict) -> Result<Self, Refusal>;

    /// What the gateway's shared state must allow before the request goes on.
    fn guard(&self) -> Guard {
        Guard::None
    }
}

/// What the shared state decides about one request, besides the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guard {
    /// Nothing.
    None,
    /// A call is placed: within the session's rate limits, and its serial is recorded as the session's.
    PlaceCall,
    /// The call with this serial is read: only by the session that placed it.
    OwnCall(String),
    /// Call records of the session's own numbers are listed: each call listed that no session owns yet becomes
    /// this session's (how `resolveOutcome` finds a call whose createCall answer was lost, and then follows it).
    ClaimListed,
}

/// Why the gateway refuses a request: its status, a stable code and a message for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// HTTP status: 400, 401, 403 or 500.
    pub status: u16,
    /// A stable camelCase code (`forbidden`, `badVerdict`, ...).
    pub code: &'static str,
    /// The explanation shown to the page.
    pub message: String,
}

impl Refusal {
    /// The session may not do this (403).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Refusal { status: 403, code: "forbidden", message: message.into() }
    }

    /// The verdict gave a value that breaks the page's own rules (500): the policy is wrong, not the page.
    pub fn bad_verdict(e: &Error) -> Self {
        let message = format!("authorize() returned an invalid verdict: {}", e.message);
        Refusal { status: 500, code: "badVerdict", message }
    }
}

