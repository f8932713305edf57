//! The gateway's shared state (`gateway::ledger::apply`) on arbitrary command and record texts and times, and
//! on sequences of well-formed commands against one key's record, as a store runs them.
//!
//! Input: bytes split at 0xFF into a command text, a record text and a time; then the rest, two bytes per
//! step, picks well-formed commands applied in turn to one record.
//!
//! Properties: `apply` never panics; an unreadable command answers `None`; every outcome it gives reads
//! back; a write always comes with an expiry; a rate limit never admits more calls in a minute than its value,
//! nor a day limit more in a day, through a store that drops each record at its expiry; a release is taken at
//! most once, and only with the nonce recorded for the call; an owner check never writes.
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

/// Well-formed commands on one key, with the clock moving forward (at times by hours), through a store that
/// forgets a record at its expiry. A day limit, when the run has one, is on every admit.
fn steps(bytes: &[u8]) {
    let per_day = bytes.first().is_some_and(|b| b % 2 == 0).then_some(7u32);
    let mut record: Option<(String, i64)> = None;
    let mut now = NOW;
    let mut admitted: Vec<i64> = Vec::new();
    let mut admitted_today: Vec<i64> = Vec::new();
    let mut released = 0;
    let mut recorded_nonce: Option<String> = None;
    for pair in bytes.chunks(2) {
        let (pick, arg) = (pair[0], pair.get(1).copied().unwrap_or(0));
        now += if pick & 0x80 != 0 { i64::from(arg) * 600_000 } else { i64::from(arg) * 250 };
        if record.as_ref().is_some_and(|(_, expires_at)| *expires_at <= now) {
            record = None;
        }
        let command = match pick % 4 {
            0 => Command::Admit { per_minute: Some(u32::from(arg % 5) + 1), per_day },
            1 => {
                let nonce = (arg % 2 == 0).then(|| format!("n{}", arg % 3));
                Command::Record { session: format!("s{}", arg % 2), nonce, ttl_ms: MINUTE_MS * i64::from(arg % 4 + 1) }
            }
            2 => Command::Owner { session: format!("s{}", arg % 2) },
            _ => Command::Release { nonce: format!("n{}", arg % 3) },
        };
        let Some(applied) = ledger::apply(&ledger::command_text(&command), record.as_ref().map(|(text, _)| text.as_str()), now) else {
            panic!("a well-formed command was refused: {command:?}");
        };
        let outcome = ledger::outcome(&applied.outcome);
        match (&command, &outcome) {
            (Command::Admit { per_minute: Some(limit), .. }, Some(Outcome::Admitted)) => {
                admitted.retain(|t| *t > now - MINUTE_MS);
                assert!(admitted.len() < *limit as usize, "admitted past createCallPerMinute {limit}");
                admitted.push(now);
                admitted_today.retain(|t| *t > now - DAY_MS);
                if let Some(day) = per_day {
                    assert!(admitted_today.len() < day as usize, "admitted past createCallPerDay {day}");
                }
                admitted_today.push(now);
            }
            (Command::Admit { .. }, Some(Outcome::Limited { retry_after_ms, .. })) => assert!(*retry_after_ms > 0),
            (Command::Record { nonce, .. }, Some(Outcome::Recorded)) => {
                recorded_nonce = nonce.clone();
                released = 0;
                admitted.clear();
                admitted_today.clear();
            }
            (Command::Owner { .. }, _) => assert!(applied.write.is_none(), "an owner check wrote"),
            (Command::Release { nonce }, Some(Outcome::FirstRelease)) => {
                released += 1;
                assert_eq!(released, 1, "a release taken twice");
                assert_eq!(recorded_nonce.as_ref(), Some(nonce), "a release taken with another nonce");
            }
            (_, None) => panic!("an outcome that does not read back: {}", applied.outcome),
            _ => {}
        }
        if let Some(write) = applied.write {
            record = Some((write, applied.expires_at.unwrap_or(i64::MAX)));
        }
    }
}
