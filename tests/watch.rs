//! Following a call: the grace period for an unknown serial, the deadline, and an abort during a poll.
#![cfg(feature = "server")]

mod common;

use common::*;

use aicc_call::client::{Wake, Watch, WatchOptions};
use aicc_call::ErrorKind;
use futures_executor::block_on;

const STATE_CALLING: &str = r#"{"retCode":"0","retMsg":"ok","result":{"state":1}}"#;
const UNKNOWN_SERIAL: &str = r#"{"retCode":"1","retMsg":"Failed to query the status"}"#;

fn watch(options: WatchOptions) -> Watch {
    Watch::new("645735364434067472", options).expect("valid watch")
}

#[test]
fn a_watch_tolerates_an_unknown_serial_for_its_grace_period_then_ends_with_it() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(STATE_PATH, (0..10).map(|_| ok(UNKNOWN_SERIAL)));
    let c = client_with(fake, |_| {});
    let mut w = watch(WatchOptions { interval_ms: Some(1_000), timeout_ms: None });
    let e = block_on(w.next(&c)).expect_err("the serial stays unknown");
    assert_eq!((e.ret_code(), e.retryable), (Some("1"), false));
    // Polls at 0, 1, 2, 3 and 4 s are inside the 5 s grace period; the one at 5 s ends the watch.
    assert_eq!(c.transport().sent_to(STATE_PATH).len(), 6);
    assert!(w.is_finished());
    assert_eq!(block_on(w.next(&c)).ok(), Some(None), "an ended watch yields nothing more");
}

#[test]
fn an_unknown_serial_that_becomes_known_within_the_grace_period_is_followed() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 3600)])
        .script(STATE_PATH, [ok(UNKNOWN_SERIAL), ok(UNKNOWN_SERIAL), ok(STATE_CALLING)]);
    let c = client_with(fake, |_| {});
    let mut w = watch(WatchOptions { interval_ms: Some(1_000), timeout_ms: None });
    let state = block_on(w.next(&c)).ok().flatten().and_then(|s| s.state);
    assert_eq!(state, Some(1));
}

#[test]
fn a_watch_ends_at_its_deadline() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(STATE_PATH, (0..10).map(|_| ok(STATE_CALLING)));
    let c = client_with(fake, |_| {});
    let mut w = watch(WatchOptions { interval_ms: Some(1_000), timeout_ms: Some(2_500) });
    assert_eq!(block_on(w.next(&c)).ok().flatten().and_then(|s| s.state), Some(1));
    let e = block_on(w.next(&c)).expect_err("the deadline passes");
    assert_eq!((e.kind, e.retryable), (ErrorKind::Timeout, false));
    assert!(e.message.contains("2500 ms"), "{e}");
    // Polls at 0, 1 and 2 s; the last wait is cut to the 0.5 s left.
    assert_eq!(c.transport().sent_to(STATE_PATH).len(), 3);
    assert_eq!(c.transport().sleeps().last(), Some(&500));
}

#[test]
fn an_abort_during_a_poll_ends_the_watch_at_once_without_waiting_for_the_answer() {
    let fake = Fake::new().yielding().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(STATE_PATH, [ok(STATE_CALLING)]);
    let c = client_with(fake, |_| {});
    let mut w = watch(WatchOptions::default());
    // The wait raced against the poll: it ends as aborted as soon as it is polled.
    let next = block_on(w.next_with(&c, |_| async { Wake::Aborted }));
    assert_eq!(next.ok(), Some(None));
    assert!(w.is_finished());
}

#[test]
fn watch_options_are_checked() {
    for (options, field) in [
        (WatchOptions { interval_ms: Some(99), timeout_ms: None }, "intervalMs"),
        (WatchOptions { interval_ms: None, timeout_ms: Some(0) }, "timeoutMs"),
        (WatchOptions { interval_ms: None, timeout_ms: Some(Watch::MAX_TIMEOUT_MS + 1) }, "timeoutMs"),
    ] {
        let e = Watch::new("1", options).err().and_then(|e| e.field);
        assert_eq!(e, Some(field));
    }
}

