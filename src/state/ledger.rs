//! The gateway's shared state: one record under each key, and the pure transitions on it. A store (in memory,
//! or a Durable Object per key) only keeps the text of records and runs [`apply`]; every decision is here.
//!
//! - `session:<session>`: when the session's last createCalls were admitted, for its rate limits.
//! - `nonce:<nonce>`: the call signed with that callback nonce, recorded *before* createCall is sent: its
//!   session, its serial once known (from the answer, or from the release callback when the answer was lost),
//!   and whether its release was taken. One nonce, one call, one release.
//! - `call:<serial>`: which session placed the call (from the answer, the release callback or a lookup).
//!
//! Each command reads and writes the record of one key, so a store that runs one command at a time per key
//! (a Durable Object does) keeps every decision consistent across isolates.

use serde::{Deserialize, Serialize};

/// One minute, the window of `createCallPerMinute`.
pub const MINUTE_MS: i64 = 60_000;
/// One day, the window of `createCallPerDay`, and how long a call's owner is kept by default.
pub const DAY_MS: i64 = 24 * 60 * MINUTE_MS;
/// The largest `createCallPerMinute` accepted.
pub const MAX_PER_MINUTE: u32 = 1_000;
/// The largest `createCallPerDay` accepted (a session record keeps one timestamp per admitted call).
pub const MAX_PER_DAY: u32 = 5_000;

/// A change asked of one record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "do")]
pub enum Command {
    /// Admit one more createCall of the session under `session:<session>` within its limits, and count it.
    #[serde(rename_all = "camelCase")]
    Admit {
        /// createCalls admitted in any 60 s.
        per_minute: Option<u32>,
        /// createCalls admitted in any 24 h.
        per_day: Option<u32>,
    },
    /// Record under `call:<serial>` that `session` placed the call, with its callback nonce, for `ttl_ms`.
    #[serde(rename_all = "camelCase")]
    Record {
        /// The session that placed the call.
        session: String,
        /// The nonce of the callback URL sent with it.
        nonce: Option<String>,
        /// How long to keep it.
        ttl_ms: i64,
    },
    /// Record under `call:<serial>` that `session` placed the call unless another session is recorded: a
    /// call found by a lookup of the session's own numbers.
    #[serde(rename_all = "camelCase")]
    Claim {
        /// The session that found the call.
        session: String,
        /// How long to keep it.
        ttl_ms: i64,
    },
    /// Whether `session` placed the call under `call:<serial>`.
    Owner {
        /// The session asking.
        session: String,
    },
    /// Reserve `nonce:<nonce>` for one call of `session`, before its createCall is sent: refused when the
    /// nonce was used before (a callback URL signed once for many calls).
    #[serde(rename_all = "camelCase")]
    Reserve {
        /// The session placing the call.
        session: String,
        /// How long to keep it.
        ttl_ms: i64,
    },
    /// Bind the serial AICC answered to the call under `nonce:<nonce>`.
    #[serde(rename_all = "camelCase")]
    Bind {
        /// The call's serial.
        serial: String,
    },
    /// Take the release callback of the call under `nonce:<nonce>`, for the call `serial`: handed on until a
    /// [`Command::Confirm`] says its handler ran, then never again.
    #[serde(rename_all = "camelCase")]
    Release {
        /// The `callSerialNo` of the release.
        serial: String,
    },
    /// The release of `serial` under `nonce:<nonce>` was handed on and its handler ran: later deliveries are
    /// replays.
    #[serde(rename_all = "camelCase")]
    Confirm {
        /// The `callSerialNo` of the release.
        serial: String,
    },
}

/// What a command found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "is")]
pub enum Outcome {
    /// The createCall may go on; it has been counted.
    Admitted,
    /// A limit is reached: the named option, its value, and when the next call would be admitted.
    #[serde(rename_all = "camelCase")]
    Limited {
        /// The option reached: `createCallPerMinute` or `createCallPerDay`.
        limit: String,
        /// Its value.
        value: u32,
        /// How long until one more call fits.
        retry_after_ms: i64,
    },
    /// The call's owner is recorded.
    Recorded,
    /// The session placed the call.
    Mine,
    /// Another session placed the call.
    NotMine,
    /// No call is recorded under the serial (never placed through this gateway, or expired).
    Unknown,
    /// A release to hand on (the first, or one whose handler was never confirmed); the session that placed it.
    #[serde(rename_all = "camelCase")]
    FirstRelease {
        /// The session that placed the call.
        session: String,
    },
    /// The nonce was used before: another call.
    Taken,
    /// The release was handed on and confirmed before: acknowledge, do not hand it on again.
    Replay,
    /// The callback URL's nonce belongs to another call.
    Mismatch,
}

/// The record kept under a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
enum Record {
    /// When the session's createCalls were admitted (ascending), within the longest window that has a limit,
    /// and that window: the record is kept until its last call has left it.
    #[serde(rename_all = "camelCase")]
    Session {
        admitted: Vec<i64>,
        #[serde(default)]
        window_ms: i64,
    },
    /// Who placed a call.
    #[serde(rename_all = "camelCase")]
    Call { session: String, nonce: Option<String>, expires_at: i64 },
    /// The call signed with a nonce: who placed it, its serial once known, whether its release was taken and
    /// whether the handler of that release was confirmed to have run.
    #[serde(rename_all = "camelCase")]
    Nonce {
        session: String,
        serial: Option<String>,
        released: bool,
        #[serde(default)]
        confirmed: bool,
        expires_at: i64,
    },
}

/// A command applied: the record to keep, when the store may drop it, and the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The record after the command, when the command changed it (`None`: keep what is stored).
    pub write: Option<String>,
    /// When the record is of no more use: the store may delete it from then on.
    pub expires_at: Option<i64>,
    /// What the command found, as text for the core that sent it.
    pub outcome: String,
}

/// The key of a session's counters.
pub fn session_key(session: &str) -> String {
    format!("session:{session}")
}

/// The key of a call's owner.
pub fn call_key(serial: &str) -> String {
    format!("call:{serial}")
}

/// The key of the call signed with a callback nonce.
pub fn nonce_key(nonce: &str) -> String {
    format!("nonce:{nonce}")
}

/// Applies `command` (as text) to `record` (the stored text, if any) at `now_ms`. An unreadable command
/// answers `None`; an unreadable or expired record counts as no record.
pub fn apply(command: &str, record: Option<&str>, now_ms: i64) -> Option<Applied> {
    let command: Command = serde_json::from_str(command).ok()?;
    let record = record.and_then(|text| serde_json::from_str::<Record>(text).ok());
    let (outcome, changed) = transition(command, record, now_ms);
    let expires_at = changed.as_ref().map(|r| expiry(r, now_ms));
    Some(Applied {
        write: changed.and_then(|r| serde_json::to_string(&r).ok()),
        expires_at,
        outcome: serde_json::to_string(&outcome).ok()?,
    })
}

/// Reads an outcome a store gave back.
pub fn outcome(text: &str) -> Option<Outcome> {
    serde_json::from_str(text).ok()
}

/// The command as text, for a store.
pub fn command_text(command: &Command) -> String {
    serde_json::to_string(command).unwrap_or_default()
}

fn transition(command: Command, record: Option<Record>, now: i64) -> (Outcome, Option<Record>) {
    match command {
        Command::Admit { per_minute, per_day } => {
            let mut admitted = match record {
                Some(Record::Session { admitted, .. }) => admitted,
                _ => Vec::new(),
            };
            let window = if per_day.is_some() { DAY_MS } else { MINUTE_MS };
            admitted.retain(|t| *t > now.saturating_sub(window) && *t <= now);
            let limited = [("createCallPerMinute", per_minute, MINUTE_MS), ("createCallPerDay", per_day, DAY_MS)]
                .into_iter()
                .filter_map(|(name, limit, window)| {
                    let limit = limit?;
                    let within: Vec<i64> = admitted.iter().copied().filter(|t| *t > now.saturating_sub(window)).collect();
                    let over = within.len().checked_sub(limit as usize)?;
                    // The call that must leave the window before one more fits.
                    let frees_at = within.get(over).map_or(now, |t| t.saturating_add(window));
                    Some((name, limit, frees_at.saturating_sub(now).max(1)))
                })
                .max_by_key(|(_, _, wait)| *wait);
            if let Some((name, value, retry_after_ms)) = limited {
                return (Outcome::Limited { limit: name.to_string(), value, retry_after_ms }, None);
            }
            admitted.push(now);
            (Outcome::Admitted, Some(Record::Session { admitted, window_ms: window }))
        }
        Command::Record { session, nonce, ttl_ms } => {
            let expires_at = now.saturating_add(ttl_ms.max(1));
            (Outcome::Recorded, Some(Record::Call { session, nonce, expires_at }))
        }
        Command::Claim { session: claiming, ttl_ms } => match live(record, now) {
            Some(Record::Call { session, .. }) if session == claiming => (Outcome::Mine, None),
            Some(Record::Call { .. }) => (Outcome::NotMine, None),
            _ => {
                let expires_at = now.saturating_add(ttl_ms.max(1));
                (Outcome::Recorded, Some(Record::Call { session: claiming, nonce: None, expires_at }))
            }
        },
        Command::Owner { session: asking } => match live(record, now) {
            Some(Record::Call { session, .. }) if session == asking => (Outcome::Mine, None),
            Some(Record::Call { .. }) => (Outcome::NotMine, None),
            _ => (Outcome::Unknown, None),
        },
        Command::Reserve { session, ttl_ms } => match live(record, now) {
            Some(_) => (Outcome::Taken, None),
            None => {
                let expires_at = now.saturating_add(ttl_ms.max(1));
                (Outcome::Recorded, Some(Record::Nonce { session, serial: None, released: false, confirmed: false, expires_at }))
            }
        },
        Command::Bind { serial: given } => match live(record, now) {
            Some(Record::Nonce { serial: Some(serial), .. }) if serial != given => (Outcome::Mismatch, None),
            Some(Record::Nonce { serial: Some(_), .. }) => (Outcome::Recorded, None),
            Some(Record::Nonce { session, released, confirmed, expires_at, .. }) => {
                (Outcome::Recorded, Some(Record::Nonce { session, serial: Some(given), released, confirmed, expires_at }))
            }
            _ => (Outcome::Unknown, None),
        },
        Command::Release { serial: given } => match live(record, now) {
            Some(Record::Nonce { serial: Some(serial), .. }) if serial != given => (Outcome::Mismatch, None),
            Some(Record::Nonce { released: true, confirmed: true, .. }) => (Outcome::Replay, None),
            // Taken but never confirmed (the state answered too late, or the handler failed): hand it on again.
            Some(Record::Nonce { session, released: true, .. }) => (Outcome::FirstRelease { session }, None),
            Some(Record::Nonce { session, expires_at, .. }) => (
                Outcome::FirstRelease { session: session.clone() },
                Some(Record::Nonce { session, serial: Some(given), released: true, confirmed: false, expires_at }),
            ),
            _ => (Outcome::Unknown, None),
        },
        Command::Confirm { serial: given } => match live(record, now) {
            Some(Record::Nonce { serial: Some(serial), released: true, .. }) if serial != given => (Outcome::Mismatch, None),
            Some(Record::Nonce { session, serial: Some(serial), released: true, expires_at, .. }) => (
                Outcome::Recorded,
                Some(Record::Nonce { session, serial: Some(serial), released: true, confirmed: true, expires_at }),
            ),
            _ => (Outcome::Unknown, None),
        },
    }
}

/// The record unless it has expired (a store may not have deleted it yet).
fn live(record: Option<Record>, now: i64) -> Option<Record> {
    record.filter(|r| match r {
        Record::Call { expires_at, .. } | Record::Nonce { expires_at, .. } => *expires_at > now,
        Record::Session { .. } => true,
    })
}

fn expiry(record: &Record, now: i64) -> i64 {
    match record {
        // Every admitted call counts until it leaves the longest window a limit uses: the last one leaves last.
        Record::Session { admitted, window_ms } => admitted.last().map_or(now, |last| last.saturating_add((*window_ms).max(MINUTE_MS))),
        Record::Call { expires_at, .. } | Record::Nonce { expires_at, .. } => *expires_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    /// Applies commands in turn to one key's record, as a store does: a record past its expiry is gone.
    struct Key(Option<(String, i64)>);

    impl Key {
        fn run(&mut self, command: &Command, now: i64) -> Outcome {
            if self.0.as_ref().is_some_and(|(_, expires_at)| *expires_at <= now) {
                self.0 = None;
            }
            let applied = apply(&command_text(command), self.0.as_ref().map(|(text, _)| text.as_str()), now);
            let applied = applied.unwrap_or(Applied { write: None, expires_at: None, outcome: String::new() });
            if let Some(record) = applied.write {
                self.0 = Some((record, applied.expires_at.unwrap_or(i64::MAX)));
            }
            outcome(&applied.outcome).unwrap_or(Outcome::Unknown)
        }
    }

    fn admit(per_minute: Option<u32>, per_day: Option<u32>) -> Command {
        Command::Admit { per_minute, per_day }
    }

    #[test]
    fn a_minute_limit_admits_that_many_then_says_when_the_next_fits() {
        let mut key = Key(None);
        for i in 0..3 {
            assert_eq!(key.run(&admit(Some(3), None), NOW + i * 1000), Outcome::Admitted);
        }
        let limited = key.run(&admit(Some(3), None), NOW + 10_000);
        assert_eq!(limited, Outcome::Limited { limit: "createCallPerMinute".into(), value: 3, retry_after_ms: 50_000 });
        assert_eq!(key.run(&admit(Some(3), None), NOW + MINUTE_MS), Outcome::Admitted, "the first left the window");
        assert!(matches!(key.run(&admit(Some(3), None), NOW + MINUTE_MS + 1), Outcome::Limited { .. }));
    }

    #[test]
    fn a_day_limit_outlasts_the_minute_and_the_longer_wait_is_given() {
        let mut key = Key(None);
        assert_eq!(key.run(&admit(Some(5), Some(2)), NOW), Outcome::Admitted);
        assert_eq!(key.run(&admit(Some(5), Some(2)), NOW + 2 * MINUTE_MS), Outcome::Admitted);
        let later = NOW + 3 * MINUTE_MS;
        let limited = key.run(&admit(Some(5), Some(2)), later);
        assert_eq!(limited, Outcome::Limited { limit: "createCallPerDay".into(), value: 2, retry_after_ms: NOW + DAY_MS - later });
        assert_eq!(key.run(&admit(Some(5), Some(2)), NOW + DAY_MS), Outcome::Admitted);
    }

    #[test]
    fn a_day_limit_holds_across_bursts_a_minute_apart_and_the_record_outlives_them() {
        let mut key = Key(None);
        let mut admitted = 0;
        for burst in 0..8 {
            for i in 0..3 {
                if key.run(&admit(Some(3), Some(5)), NOW + burst * (MINUTE_MS + 1000) + i) == Outcome::Admitted {
                    admitted += 1;
                }
            }
        }
        assert_eq!(admitted, 5, "five a day, however the bursts are spaced");
        let kept_until = key.0.as_ref().map(|(_, at)| *at);
        assert!(kept_until.is_some_and(|at| at >= NOW + DAY_MS), "kept for the day window: {kept_until:?}");
        assert!(matches!(key.run(&admit(Some(3), Some(5)), NOW + DAY_MS - 1), Outcome::Limited { .. }));
        assert_eq!(key.run(&admit(Some(3), Some(5)), NOW + DAY_MS + 3 * (MINUTE_MS + 1000)), Outcome::Admitted, "a day later");
    }

    #[test]
    fn a_minute_only_record_is_kept_until_its_last_call_leaves_the_minute() {
        let applied = apply(&command_text(&admit(Some(3), None)), None, NOW).and_then(|a| a.expires_at);
        assert_eq!(applied, Some(NOW + MINUTE_MS));
        let mut key = Key(None);
        key.run(&admit(Some(2), None), NOW);
        key.run(&admit(Some(2), None), NOW + 59_000);
        assert!(matches!(key.run(&admit(Some(2), None), NOW + 59_500), Outcome::Limited { .. }));
        assert_eq!(key.0.as_ref().map(|(_, at)| *at), Some(NOW + 59_000 + MINUTE_MS), "the last call sets the expiry");
    }

    #[test]
    fn refused_calls_are_not_counted() {
        let mut key = Key(None);
        assert_eq!(key.run(&admit(Some(1), None), NOW), Outcome::Admitted);
        for i in 1..100 {
            assert!(matches!(key.run(&admit(Some(1), None), NOW + i), Outcome::Limited { .. }));
        }
        assert_eq!(key.run(&admit(Some(1), None), NOW + MINUTE_MS), Outcome::Admitted);
    }

    #[test]
    fn ownership_is_by_session_and_expires() {
        let mut call = Key(None);
        assert_eq!(call.run(&Command::Owner { session: "a".into() }, NOW), Outcome::Unknown);
        let record = Command::Record { session: "a".into(), nonce: None, ttl_ms: DAY_MS };
        assert_eq!(call.run(&record, NOW), Outcome::Recorded);
        assert_eq!(call.run(&Command::Owner { session: "a".into() }, NOW + 1), Outcome::Mine);
        assert_eq!(call.run(&Command::Owner { session: "b".into() }, NOW + 1), Outcome::NotMine);
        assert_eq!(call.run(&Command::Owner { session: "a".into() }, NOW + DAY_MS), Outcome::Unknown);
    }

    fn reserve(session: &str) -> Command {
        Command::Reserve { session: session.into(), ttl_ms: DAY_MS }
    }

    fn release(serial: &str) -> Command {
        Command::Release { serial: serial.into() }
    }

    #[test]
    fn a_nonce_is_reserved_for_one_call_and_its_release_taken_once() {
        let mut nonce = Key(None);
        assert_eq!(nonce.run(&release("1"), NOW), Outcome::Unknown, "never reserved");
        assert_eq!(nonce.run(&reserve("a"), NOW), Outcome::Recorded);
        assert_eq!(nonce.run(&reserve("b"), NOW + 1), Outcome::Taken, "one URL signed for two calls");
        assert_eq!(nonce.run(&Command::Bind { serial: "1".into() }, NOW + 2), Outcome::Recorded);
        assert_eq!(nonce.run(&Command::Bind { serial: "2".into() }, NOW + 3), Outcome::Mismatch);
        assert_eq!(nonce.run(&release("2"), NOW + 4), Outcome::Mismatch, "another call's release");
        assert_eq!(nonce.run(&release("1"), NOW + 5), Outcome::FirstRelease { session: "a".into() });
        assert_eq!(nonce.run(&release("1"), NOW + 6), Outcome::FirstRelease { session: "a".into() }, "not confirmed: again");
        assert_eq!(nonce.run(&Command::Confirm { serial: "2".into() }, NOW + 6), Outcome::Mismatch);
        assert_eq!(nonce.run(&Command::Confirm { serial: "1".into() }, NOW + 6), Outcome::Recorded);
        assert_eq!(nonce.run(&release("1"), NOW + 6), Outcome::Replay, "confirmed: a replay");
        assert_eq!(nonce.run(&release("1"), NOW + DAY_MS), Outcome::Unknown, "expired");
    }

    #[test]
    fn a_release_binds_the_serial_of_a_call_whose_answer_was_lost() {
        let mut nonce = Key(None);
        nonce.run(&reserve("a"), NOW);
        assert_eq!(nonce.run(&release("7"), NOW + 1), Outcome::FirstRelease { session: "a".into() });
        assert_eq!(nonce.run(&Command::Confirm { serial: "7".into() }, NOW + 2), Outcome::Recorded);
        assert_eq!(nonce.run(&release("7"), NOW + 2), Outcome::Replay);
        assert_eq!(nonce.run(&release("8"), NOW + 3), Outcome::Mismatch, "bound to the serial of its first release");
        assert_eq!(nonce.run(&Command::Bind { serial: "8".into() }, NOW + 4), Outcome::Mismatch);
    }

    #[test]
    fn a_claim_records_an_unknown_call_but_never_takes_another_sessions() {
        let mut call = Key(None);
        let claim = |s: &str| Command::Claim { session: s.into(), ttl_ms: DAY_MS };
        assert_eq!(call.run(&claim("a"), NOW), Outcome::Recorded);
        assert_eq!(call.run(&claim("a"), NOW + 1), Outcome::Mine);
        assert_eq!(call.run(&claim("b"), NOW + 2), Outcome::NotMine);
        assert_eq!(call.run(&Command::Owner { session: "a".into() }, NOW + 3), Outcome::Mine);
        assert_eq!(call.run(&Command::Owner { session: "b".into() }, NOW + 3), Outcome::NotMine);
    }

    #[test]
    fn records_say_when_they_can_go_and_bad_text_is_no_record() {
        let applied = apply(&command_text(&admit(Some(3), None)), Some("{not json"), NOW);
        assert_eq!(applied.as_ref().and_then(|a| a.expires_at), Some(NOW + MINUTE_MS));
        let record = Command::Record { session: "a".into(), nonce: None, ttl_ms: 5 };
        assert_eq!(apply(&command_text(&record), None, NOW).and_then(|a| a.expires_at), Some(NOW + 5));
        assert_eq!(apply("{\"do\":\"explode\"}", None, NOW), None);
        let owner = apply(&command_text(&Command::Owner { session: "a".into() }), None, NOW);
        assert_eq!(owner.map(|a| (a.write, a.expires_at)), Some((None, None)), "a read writes nothing");
    }
}
