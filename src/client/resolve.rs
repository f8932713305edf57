//! Resolving a lost createCall: was the call placed? The error of a createCall whose outcome is unknown
//! carries its caller, its called number and when it was sent; queryCallDetailRecord lists the calls of that
//! caller around that time. The records carry no callData, so the call is matched by the called number and
//! its start time. The platform writes a record with some lag, so the lookup is repeated on a bounded
//! schedule before the answer is "not placed".

use serde::Serialize;

use super::{Client, Transport};
use crate::error::{CallAttempt, Error, ErrorKind};
use crate::ops::query_call_detail_record::{CallRecord, QueryCallDetailRecord, MAX_LIMIT};

/// How far before the attempt a record may start (clocks of the client and of AICC differ), in milliseconds.
const CLOCK_SKEW_MS: i64 = 60_000;
/// The waits between lookups, in milliseconds: the platform's lag is waited out within their sum.
const SCHEDULE_MS: [u32; 5] = [1_000, 2_000, 4_000, 8_000, 15_000];
/// The most pages read in one lookup (100 records each): a caller with more calls in the window is unusual.
const MAX_PAGES: i64 = 20;

/// Whether a lost createCall was placed. Serialised as `{ status: "placed", callSerialNo }`,
/// `{ status: "notPlaced" }` or `{ status: "unknown" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// AICC has a record of the call: its serial.
    Placed {
        /// The serial of the call, exact.
        call_serial_no: String,
    },
    /// AICC answered every lookup and has no record of it, after waiting out its lag.
    NotPlaced,
    /// The records could not be read (the lookups failed), so nothing can be said.
    Unknown,
}

impl Serialize for Resolution {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // By hand: serde's internally tagged enums cost kilobytes of wasm.
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Flat<'a> {
            status: &'static str,
            #[serde(skip_serializing_if = "Option::is_none")]
            call_serial_no: Option<&'a str>,
        }
        let flat = match self {
            Resolution::Placed { call_serial_no } => Flat { status: "placed", call_serial_no: Some(call_serial_no) },
            Resolution::NotPlaced => Flat { status: "notPlaced", call_serial_no: None },
            Resolution::Unknown => Flat { status: "unknown", call_serial_no: None },
        };
        flat.serialize(serializer)
    }
}

/// What `resolveOutcome` does with an error, decided from its fields: a createCall whose outcome is known (AICC
/// refused it, or it was never sent) was not placed, without a lookup; one whose outcome is unknown is looked
/// up by the attempt it carries. An error of another operation cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// Known without asking.
    Known(Resolution),
    /// Look this attempt up in the call records.
    Find(CallAttempt),
}

impl Lookup {
    /// From an error's `operation`, `outcomeUnknown` and the attempt it carries (`call`), if any.
    pub fn of(operation: Option<&str>, outcome_unknown: bool, attempt: Option<CallAttempt>) -> Result<Lookup, Error> {
        let op = crate::operation::Operation::CreateCall;
        if operation != Some(op.as_str()) {
            return Err(Error::validation(op, "error", "must be an AiccError of a createCall"));
        }
        if !outcome_unknown {
            return Ok(Lookup::Known(Resolution::NotPlaced));
        }
        // Without the attempt (a trap lost it) nothing can be looked up: unknown, check the phones.
        Ok(attempt.map_or(Lookup::Known(Resolution::Unknown), Lookup::Find))
    }
}

impl<T: Transport> Client<T> {
    /// Looks `attempt` up in the call records until it is found or `max_wait_ms` has passed. `Err` only
    /// when the lookup itself is invalid (a validation error); failures of the lookups give `Unknown`.
    pub async fn resolve_outcome(&self, attempt: &CallAttempt, max_wait_ms: u32) -> Result<Resolution, Error> {
        let started = self.transport.now_ms();
        let mut waits = SCHEDULE_MS.iter();
        loop {
            let lookup = self.find_call(attempt).await;
            match &lookup {
                Ok(Some(serial)) => return Ok(Resolution::Placed { call_serial_no: serial.clone() }),
                Err(e) if e.kind == ErrorKind::Validation => return Err(e.clone()),
                _ => {}
            }
            let waited = u32::try_from(self.transport.now_ms().saturating_sub(started).max(0)).unwrap_or(u32::MAX);
            let next = waits.next().map(|&ms| ms.min(max_wait_ms.saturating_sub(waited))).filter(|ms| *ms > 0);
            match next {
                Some(ms) => self.transport.sleep(ms).await,
                None if lookup.is_ok() => return Ok(Resolution::NotPlaced),
                None => return Ok(Resolution::Unknown),
            }
        }
    }

    /// One lookup: every page of the caller's records in the window, searched for the call.
    async fn find_call(&self, attempt: &CallAttempt) -> Result<Option<String>, Error> {
        let from = attempt.sent_at_ms.saturating_sub(CLOCK_SKEW_MS).max(0);
        let to = self.transport.now_ms().max(attempt.sent_at_ms).saturating_add(CLOCK_SKEW_MS);
        let mut best: Option<&CallRecord> = None;
        let mut pages = Vec::new();
        for page in 0..MAX_PAGES {
            let request = QueryCallDetailRecord::new(from, to)?.caller(attempt.caller.clone())?.page(page * MAX_LIMIT, MAX_LIMIT)?;
            let records = self.call(&request).await?;
            let done = records.call_info.is_empty() || (page + 1) * MAX_LIMIT >= records.total;
            pages.push(records);
            if done {
                break;
            }
        }
        for record in pages.iter().flat_map(|p| p.call_info.iter()) {
            let same_call = record.called.as_deref() == Some(attempt.called.as_str())
                && record.caller.as_deref().map_or(true, |c| c == attempt.caller)
                && record.start_time.map_or(true, |t| t >= from)
                && record.call_serial_no.is_some();
            let closer = |other: &CallRecord| distance(record, attempt) < distance(other, attempt);
            if same_call && best.map_or(true, closer) {
                best = Some(record);
            }
        }
        Ok(best.and_then(|r| r.call_serial_no.clone()))
    }
}

/// How far a record's start is from the attempt, in milliseconds (records without a start come last).
fn distance(record: &CallRecord, attempt: &CallAttempt) -> i64 {
    record.start_time.map_or(i64::MAX, |t| t.saturating_sub(attempt.sent_at_ms).saturating_abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unknown_outcome_is_looked_up() {
        let attempt = CallAttempt { caller: "88889050".into(), called: "13800000000".into(), sent_at_ms: 1 };
        assert_eq!(Lookup::of(Some("createCall"), false, None), Ok(Lookup::Known(Resolution::NotPlaced)), "refused or never sent");
        assert_eq!(Lookup::of(Some("createCall"), true, Some(attempt.clone())), Ok(Lookup::Find(attempt)));
        assert_eq!(Lookup::of(Some("createCall"), true, None), Ok(Lookup::Known(Resolution::Unknown)), "a trap's error carries no attempt");
        assert!(Lookup::of(Some("queryCallState"), true, None).is_err_and(|e| e.message.contains("createCall")));
        assert!(Lookup::of(None, false, None).is_err());
    }
}
