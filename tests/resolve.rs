//! Resolving a lost createCall from the call records: placed (with its serial), not placed after the
//! platform's lag, or unknown when the records cannot be read.
#![cfg(feature = "server")]

mod common;

use aicc_call::client::Resolution;
use aicc_call::error::CallAttempt;
use aicc_call::ops;
use common::*;
use futures_executor::block_on;

const CDR_PATH: &str = ops::query_call_detail_record::PATH;
const NO_DATA: &str = r#"{"retCode":"1","retMsg":"no data"}"#;

fn attempt() -> CallAttempt {
    CallAttempt { caller: "88889050".into(), called: "13900000000".into(), sent_at_ms: START_MS }
}

fn record(serial: &str, called: &str, start_ms: i64) -> String {
    format!(r#"{{"callSerialNo":"{serial}","caller":"88889050","called":"{called}","state":3,"startTime":{start_ms}}}"#)
}

fn page(total: usize, records: &[String]) -> String {
    format!(r#"{{"retCode":"0","retMsg":"ok","result":{{"total":{total},"callInfo":[{}]}}}}"#, records.join(","))
}

#[test]
fn a_call_in_the_records_is_placed_with_its_serial() {
    let answer = page(3, &[
        record("1211563329487453201", "13911111111", START_MS + 100),
        record("1211563329487453202", "13900000000", START_MS - 3_600_000),
        record("1211563329487453203", "13900000000", START_MS + 200),
    ]);
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(CDR_PATH, [ok(&answer)]);
    let c = client(fake);
    let resolution = block_on(c.resolve_outcome(&attempt(), 15_000));
    assert_eq!(resolution.ok(), Some(Resolution::Placed { call_serial_no: "1211563329487453203".into() }));
    let sent = c.transport().sent_to(CDR_PATH);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].body.contains(r#""caller":"88889050""#), "{}", sent[0].body);
    assert!(sent[0].body.contains(&format!(r#""startTime":"{}""#, START_MS - 60_000)), "{}", sent[0].body);
}

#[test]
fn every_page_is_read() {
    let others: Vec<String> = (0..100).map(|i| record(&format!("12115633294874{i:05}"), "13911111111", START_MS)).collect();
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 3600)])
        .script(CDR_PATH, [ok(&page(101, &others)), ok(&page(101, &[record("1211563329487499999", "13900000000", START_MS)]))]);
    let c = client(fake);
    let resolution = block_on(c.resolve_outcome(&attempt(), 15_000));
    assert_eq!(resolution.ok(), Some(Resolution::Placed { call_serial_no: "1211563329487499999".into() }));
    let sent = c.transport().sent_to(CDR_PATH);
    assert!(sent[1].body.contains(r#""offset":"100""#), "{}", sent[1].body);
}

#[test]
fn a_call_that_never_shows_up_is_not_placed_after_the_bounded_wait() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(CDR_PATH, (0..10).map(|_| ok(NO_DATA)));
    let c = client(fake);
    assert_eq!(block_on(c.resolve_outcome(&attempt(), 15_000)).ok(), Some(Resolution::NotPlaced));
    // Lookups at 0, 1, 3, 7 and 15 s: the waits stop at the 15 s bound.
    assert_eq!(c.transport().sent_to(CDR_PATH).len(), 5);
    assert_eq!(c.transport().sleeps(), [1_000, 2_000, 4_000, 8_000]);
}

#[test]
fn a_call_that_shows_up_late_is_found() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 3600)])
        .script(CDR_PATH, [ok(NO_DATA), ok(&page(1, &[record("1211563329487453203", "13900000000", START_MS)]))]);
    let c = client(fake);
    let resolution = block_on(c.resolve_outcome(&attempt(), 15_000));
    assert_eq!(resolution.ok(), Some(Resolution::Placed { call_serial_no: "1211563329487453203".into() }));
}

#[test]
fn records_that_cannot_be_read_leave_it_unknown() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(CDR_PATH, (0..30).map(|_| status(403, "")));
    let c = client(fake);
    assert_eq!(block_on(c.resolve_outcome(&attempt(), 3_000)).ok(), Some(Resolution::Unknown));
    assert_eq!(c.transport().sleeps(), [1_000, 2_000], "bounded by the 3 s given");
}
