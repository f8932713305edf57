//! The gateway's shared state (`gateway::ledger::apply`) on arbitrary command and record texts and times, and
//! on sequences of well-formed commands against one key's record, as a store runs them.
//!
//! Input: bytes split at 0xFF into a command text, a record text and a time; then the rest, two bytes per
//! step, picks well-formed commands applied in turn to one record.
//!
//! Properties: `apply` never panics; an unreadable command answers `None`; every outcome it gives reads
//! back; a write always comes with an expiry; a rate limit never admits more calls in a minute than its value,
//! nor a day limit more in a day, through a store that drops each record at its expiry; a nonce is reserved
//! only once while it lives; its release is handed on until confirmed and never after, only for the serial bound
//! to it, and never lost (a replay only after a confirmation); a claim never
//! takes a call recorded for another session; an owner check never writes.
#![no_main]

use aicc_call::gateway::ledger::{self, Command, Outcome, DAY_MS, MINUTE_MS};
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_800_000_000_000;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |b| *b == 0xFF);
    let command = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let record = parts.next().map(|r| String::from_utf8_lossy(r).into_owned());
    let now = parts.next().map_or(NOW, |t| t.iter().fold(0i64, |acc, b| acc.wrapping_mul(31).wrapping_add(i64::from(*b))));
    if let Some(applied) = ledger::apply(&command, record.as_deref(), now) {
        assert!(ledger::outcome(&applied.outcome).is_some(), "an outcome that does not read back: {}", applied.outcome);
        assert_eq!(applied.write.is_some(), applied.expires_at.is_some(), "a write without an expiry");
    }
    steps(parts.next().unwrap_or_default());
});

/// What the harness knows of the one key's record, to check the ledger against.
#[derive(Clone, PartialEq)]
enum Known {
    Session,
    Call { session: String },
    Nonce { serial: Option<String>, released: bool, confirmed: bool },
}

/// Well-formed commands on one key, with the clock moving forward (at times by hours), through a store that
/// forgets a record at its expiry. A day limit, when the run has one, is on every admit.
fn steps(bytes: &[u8]) {
    let per_day = bytes.first().is_some_and(|b| b % 2 == 0).then_some(7u32);
    let mut record: Option<(String, i64)> = None;
    let mut known: Option<Known> = None;
    let mut now = NOW;
    let mut admitted: Vec<i64> = Vec::new();
    let mut admitted_today: Vec<i64> = Vec::new();
    for pair in bytes.chunks(2) {
        let (pick, arg) = (pair[0], pair.get(1).copied().unwrap_or(0));
        now += if pick & 0x80 != 0 { i64::from(arg) * 600_000 } else { i64::from(arg) * 250 };
        if record.as_ref().is_some_and(|(_, expires_at)| *expires_at <= now) {
            record = None;
            known = None;
        }
        let session = format!("s{}", arg % 2);
        let ttl_ms = MINUTE_MS * i64::from(arg % 4 + 1);
        let command = match pick % 8 {
            0 => Command::Admit { per_minute: Some(u32::from(arg % 5) + 1), per_day },
            1 => Command::Record { session, nonce: (arg % 2 == 0).then(|| format!("n{}", arg % 3)), ttl_ms },
            2 => Command::Owner { session },
            3 => Command::Claim { session, ttl_ms },
            4 => Command::Reserve { session, ttl_ms },
            5 => Command::Bind { serial: format!("{}", arg % 3) },
            6 => Command::Release { serial: format!("{}", arg % 3) },
            _ => Command::Confirm { serial: format!("{}", arg % 3) },
        };
        let Some(applied) = ledger::apply(&ledger::command_text(&command), record.as_ref().map(|(text, _)| text.as_str()), now) else {
            panic!("a well-formed command was refused: {command:?}");
        };
        let Some(outcome) = ledger::outcome(&applied.outcome) else { panic!("an outcome that does not read back: {}", applied.outcome) };
        let mut next = known.clone();
        match (&command, &outcome) {
            (Command::Admit { per_minute: Some(limit), .. }, Outcome::Admitted) => {
                admitted.retain(|t| *t > now - MINUTE_MS);
                assert!(admitted.len() < *limit as usize, "admitted past createCallPerMinute {limit}");
                admitted.push(now);
                admitted_today.retain(|t| *t > now - DAY_MS);
                if let Some(day) = per_day {
                    assert!(admitted_today.len() < day as usize, "admitted past createCallPerDay {day}");
                }
                admitted_today.push(now);
                next = Some(Known::Session);
            }
            (Command::Admit { .. }, Outcome::Limited { retry_after_ms, .. }) => assert!(*retry_after_ms > 0),
            (Command::Record { session, .. }, Outcome::Recorded) => next = Some(Known::Call { session: session.clone() }),
            (Command::Owner { .. }, _) => assert!(applied.write.is_none(), "an owner check wrote"),
            (Command::Claim { session, .. }, outcome) => match &known {
                Some(Known::Call { session: owner }) => {
                    assert!(applied.write.is_none(), "a claim rewrote a recorded call");
                    assert_eq!(*outcome, if owner == session { Outcome::Mine } else { Outcome::NotMine });
                }
                _ => {
                    assert_eq!(*outcome, Outcome::Recorded);
                    next = Some(Known::Call { session: session.clone() });
                }
            },
            (Command::Reserve { .. }, outcome) => {
                assert_eq!(*outcome == Outcome::Taken, known.is_some(), "a live record must make a nonce taken, and only then");
                if known.is_none() {
                    next = Some(Known::Nonce { serial: None, released: false, confirmed: false });
                }
            }
            (Command::Bind { serial }, Outcome::Recorded) => match &known {
                Some(Known::Nonce { serial: bound, released, confirmed }) => {
                    assert!(bound.as_ref().is_none_or(|b| b == serial), "bound to a second serial");
                    next = Some(Known::Nonce { serial: Some(serial.clone()), released: *released, confirmed: *confirmed });
                }
                _ => panic!("bound a serial to a record that is no nonce's"),
            },
            (Command::Release { serial }, Outcome::FirstRelease { .. }) => match &known {
                Some(Known::Nonce { serial: bound, confirmed, .. }) => {
                    assert!(!confirmed, "a confirmed release handed on again");
                    assert!(bound.as_ref().is_none_or(|b| b == serial), "a release taken for another call's serial");
                    next = Some(Known::Nonce { serial: Some(serial.clone()), released: true, confirmed: false });
                }
                _ => panic!("a release taken without a reserved nonce"),
            },
            (Command::Release { serial }, Outcome::Replay) => {
                assert!(matches!(&known, Some(Known::Nonce { serial: Some(b), confirmed: true, .. }) if b == serial), "a replay of an unconfirmed release: lost");
            }
            (Command::Confirm { serial }, Outcome::Recorded) => match &known {
                Some(Known::Nonce { serial: Some(bound), released: true, .. }) if bound == serial => {
                    next = Some(Known::Nonce { serial: Some(serial.clone()), released: true, confirmed: true });
                }
                _ => panic!("confirmed a release that was not taken for this serial"),
            },
            _ => assert!(applied.write.is_none() || matches!(command, Command::Admit { .. }), "{command:?} gave {outcome:?} and wrote"),
        }
        if next != Some(Known::Session) {
            // Another kind of record, or none: the key's admitted calls are gone with the session record.
            admitted.clear();
            admitted_today.clear();
        }
        known = next;
        if let Some(write) = applied.write {
            record = Some((write, applied.expires_at.unwrap_or(i64::MAX)));
        }
    }
}
