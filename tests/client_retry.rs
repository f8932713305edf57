//! The retry policy at work: queries retried on transient failures only, createCall never, and its outcome-unknown rule.
#![cfg(feature = "server")]

mod common;

use common::*;

use aicc_call::client::{HttpResponse, TransportError};
use aicc_call::ops::{
    GetCalledInfo, Op, QueryCallInfoByCallId,
};
use aicc_call::{ErrorKind, Operation};
use futures_executor::block_on;

// ---------------------------------------------------------------------------------------------------------------
// Retries of queries

fn retried_answers() -> Vec<(&'static str, Result<HttpResponse, TransportError>)> {
    vec![
        ("network", network()),
        ("timeout", Err(TransportError::Timeout)),
        ("429", status(429, "")),
        ("502", status(502, "<html>bad gateway</html>")),
        ("503", status(503, "")),
        ("504", status(504, "")),
        ("ITA 90104029", ok(r#"{"retCode":"90104029","retMsg":"Too Many Requests"}"#)),
    ]
}

#[test]
fn queries_retry_transient_failures_up_to_max_retries_with_growing_backoff() {
    for (what, answer) in retried_answers() {
        let fake = Fake::new()
            .script(TOKEN_PATH, [token_ok(TOKEN, 3600)])
            .script(STATE_PATH, (0..4).map(|_| answer.clone()));
        let c = client_with(fake, |cfg| cfg.retry.max_retries = 3);
        let e = block_on(c.call(&state_req())).expect_err(what);
        let t = c.transport();
        let sent = t.sent_to(STATE_PATH);
        assert_eq!(sent.len(), 4, "{what}: 1 + max_retries attempts");
        assert_eq!(e.attempts, 4, "{what}: attempts equals requests sent");
        assert!(!e.outcome_unknown, "{what}: queries have no unknown outcome");
        let sleeps = t.sleeps();
        assert_eq!(sleeps.len(), 3, "{what}: a backoff between attempts");
        assert!(sleeps.windows(2).all(|w| w[1] > w[0]), "{what}: backoff grows: {sleeps:?}");
        let gaps: Vec<i64> = sent.windows(2).map(|w| w[1].at_ms - w[0].at_ms).collect();
        assert!(gaps.iter().all(|g| *g > 0), "{what}: the clock moved between attempts: {gaps:?}");
        assert!(gaps.windows(2).all(|w| w[1] > w[0]), "{what}: gaps grow: {gaps:?}");
        assert_eq!(t.sent_to(TOKEN_PATH).len(), 1, "{what}: the token is reused across retries");
    }
}

#[test]
fn queries_succeed_after_a_transient_failure() {
    for (what, answer) in retried_answers() {
        let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(STATE_PATH, [answer, ok(STATE_OK)]);
        let c = client(fake);
        let st = block_on(c.call(&state_req()));
        assert!(st.is_ok(), "{what}: {st:?}");
        assert_eq!(c.transport().sent_to(STATE_PATH).len(), 2, "{what}");
    }
}

#[test]
fn every_query_operation_is_retried() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 3600)])
        .script(CALLED_PATH, [status(503, ""), ok(CALLED_OK)])
        .script(INFO_PATH, [Err(TransportError::Timeout), ok(INFO_OK)])
        .script(BASIC_PATH, [network(), ok(BASIC_OK)]);
    let c = client(fake);
    block_on(c.call(&GetCalledInfo::new("1", "2").expect("valid"))).expect("getCalledInfo retried");
    block_on(c.call(&QueryCallInfoByCallId::new("1652317325-339", "u", "t", "a").expect("valid")))
        .expect("queryCallInfoByCallId retried");
    block_on(c.call(&basic_req())).expect("querybasiccallinfo retried");
    let t = c.transport();
    for path in [CALLED_PATH, INFO_PATH, BASIC_PATH] {
        assert_eq!(t.sent_to(path).len(), 2, "{path}");
    }
    // The C2 signature is recomputed for the resend, with the later time.
    let basic = t.sent_to(BASIC_PATH);
    assert_eq!(basic[1].header("Authorization"), Some(expected_c2(&basic_req().body(), basic[1].at_ms, "10.22.26.181:28080").as_str()));
}

#[test]
fn max_retries_zero_sends_once() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(STATE_PATH, [status(503, "")]);
    let c = client_with(fake, |cfg| cfg.retry.max_retries = 0);
    let e = block_on(c.call(&state_req())).expect_err("503");
    assert_eq!((e.kind, e.status, e.attempts), (ErrorKind::Http, Some(503), 1));
    assert!(e.retryable, "503 is retryable by the caller later");
    assert!(c.transport().sleeps().is_empty());
}

#[test]
fn queries_are_not_retried_on_permanent_failures() {
    let cases: Vec<(&str, Result<HttpResponse, TransportError>, ErrorKind)> = vec![
        ("400", status(400, ""), ErrorKind::Http),
        ("404", status(404, "<html>not found</html>"), ErrorKind::Http),
        ("500", status(500, r#"{"message":"bad parameter"}"#), ErrorKind::Http),
        ("403", status(403, ""), ErrorKind::Auth),
        ("retCode 1", ok(r#"{"retCode":"1","retMsg":"no such call"}"#), ErrorKind::Api),
        ("retCode 90104030", ok(r#"{"retCode":"90104030","retMsg":"?"}"#), ErrorKind::Api),
    ];
    for (what, answer, kind) in cases {
        let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(STATE_PATH, [answer]);
        let c = client_with(fake, |cfg| cfg.retry.max_retries = 5);
        let e = block_on(c.call(&state_req())).expect_err(what);
        assert_eq!(e.kind, kind, "{what}: {e}");
        assert_eq!(e.attempts, 1, "{what}");
        assert_eq!(c.transport().sent_to(STATE_PATH).len(), 1, "{what}: sent once");
        assert!(c.transport().sleeps().is_empty(), "{what}: no backoff");
    }
}

#[test]
fn unreadable_answers_to_queries_are_retried_like_network_errors() {
    for (what, answer) in
        [("html 200", ok("<html>login</html>")), ("empty 200", ok("")), ("truncated 200", ok(r#"{"retCode":"0","result":{"sta"#))]
    {
        let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(STATE_PATH, [answer.clone(), answer]);
        let c = client_with(fake, |cfg| cfg.retry.max_retries = 1);
        let e = block_on(c.call(&state_req())).expect_err(what);
        assert_eq!((e.kind, e.attempts, e.retryable), (ErrorKind::Decode, 2, true), "{what}: {e}");
        assert_eq!(c.transport().sent_to(STATE_PATH).len(), 2, "{what}: sent twice");
    }
}

#[test]
fn an_unknown_serial_is_not_retryable() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 3600)])
        .script(STATE_PATH, [ok(r#"{"retCode":"1","retMsg":"no such call"}"#)]);
    let c = client_with(fake, |cfg| cfg.retry.max_retries = 5);
    let e = block_on(c.call(&state_req())).expect_err("retCode 1");
    assert_eq!((e.ret_code(), e.retryable, e.attempts), (Some("1"), false, 1));
}

#[test]
fn token_fetch_failures_are_retried_by_the_fetch_not_multiplied_by_the_query() {
    let fake = Fake::new().script(TOKEN_PATH, (0..9).map(|_| network()));
    let c = client_with(fake, |cfg| cfg.retry.max_retries = 2);
    let e = block_on(c.call(&state_req())).expect_err("no token");
    assert_eq!(e.kind, ErrorKind::Network);
    let t = c.transport();
    assert!(t.sent_to(STATE_PATH).is_empty());
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 3, "1 + max_retries token requests, not (1 + max_retries)^2");
    assert_eq!(e.attempts, 3, "attempts equals the requests sent");
}

// ---------------------------------------------------------------------------------------------------------------
// createCall is never retried

#[test]
fn create_call_is_sent_once_and_unknown_outcome_on_ambiguous_failures() {
    let cases: Vec<(&str, Result<HttpResponse, TransportError>, ErrorKind)> = vec![
        ("network", network(), ErrorKind::Network),
        ("timeout", Err(TransportError::Timeout), ErrorKind::Timeout),
        ("502", status(502, "<html>bad gateway</html>"), ErrorKind::Http),
        ("504", status(504, ""), ErrorKind::Http),
        ("malformed 200", ok(r#"{"retCode":"0","result":{"callSer"#), ErrorKind::Decode),
        ("html 200", ok("<html></html>"), ErrorKind::Decode),
    ];
    for (what, answer, kind) in cases {
        let fake = Fake::new()
            .script(TOKEN_PATH, [token_ok(TOKEN, 3600)])
            .script(CREATE_PATH, [answer, ok(CREATE_OK), ok(CREATE_OK)]);
        let c = client_with(fake, |cfg| cfg.retry.max_retries = 5);
        let e = block_on(c.call(&create_req())).expect_err(what);
        assert_eq!(e.kind, kind, "{what}");
        assert_eq!(e.operation, Operation::CreateCall);
        assert!(e.outcome_unknown, "{what}: the call may have been placed");
        assert!(!e.retryable, "{what}: must not be retried blindly");
        assert_eq!(e.attempts, 1, "{what}");
        assert_eq!(c.transport().sent_to(CREATE_PATH).len(), 1, "{what}: sent exactly once");
        assert!(c.transport().sleeps().is_empty(), "{what}");
    }
}

#[test]
fn create_call_not_retried_on_429_or_503_and_outcome_known() {
    for (what, answer) in [
        ("429", status(429, "")),
        ("503", status(503, "")),
        ("ITA 90104029", ok(r#"{"retCode":"90104029","retMsg":"Too Many Requests"}"#)),
    ] {
        let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(CREATE_PATH, [answer, ok(CREATE_OK)]);
        let c = client(fake);
        let e = block_on(c.call(&create_req())).expect_err(what);
        assert_eq!(c.transport().sent_to(CREATE_PATH).len(), 1, "{what}: sent exactly once");
        assert!(!e.outcome_unknown, "{what}: refused, not placed");
    }
}

#[test]
fn create_call_ret_code_5_is_an_api_error_with_known_outcome() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 3600)])
        .script(CREATE_PATH, [ok(r#"{"retCode":"5","retMsg":"caller invalid"}"#)]);
    let c = client(fake);
    let e = block_on(c.call(&create_req())).expect_err("retCode 5");
    assert_eq!(e.kind, ErrorKind::Api);
    assert_eq!(e.ret_code(), Some("5"));
    assert!(!e.outcome_unknown);
    assert_eq!(e.attempts, 1);
    assert_eq!(c.transport().sent_to(CREATE_PATH).len(), 1);
}

#[test]
fn create_call_401_is_refreshed_and_resent_once() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok("TOKEN-old", 3600), token_ok("TOKEN-new", 3600)])
        .script(CREATE_PATH, [status(401, ""), ok(CREATE_OK)]);
    let c = client(fake);
    let placed = block_on(c.call(&create_req())).expect("placed after refresh");
    assert_eq!(placed.call_serial_no.as_deref(), Some("645735364434067472"));
    let sent = c.transport().sent_to(CREATE_PATH);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].header("Authorization"), Some("Bearer TOKEN-new"));
    assert_eq!(sent[0].body, sent[1].body, "the same request is re-sent");
}

#[test]
fn create_call_second_401_is_auth_error_with_known_outcome() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok("TOKEN-old", 3600), token_ok("TOKEN-new", 3600)])
        .script(CREATE_PATH, [status(401, ""), status(401, "")]);
    let c = client(fake);
    let e = block_on(c.call(&create_req())).expect_err("second 401");
    assert_eq!(e.kind, ErrorKind::Auth);
    assert!(!e.outcome_unknown, "a 401 is refused unread");
    assert_eq!(c.transport().sent_to(CREATE_PATH).len(), 2);
}

#[test]
fn create_call_whose_token_cannot_be_fetched_was_not_sent_and_has_known_outcome() {
    let fake = Fake::new().script(TOKEN_PATH, (0..9).map(|_| network()));
    let c = client_with(fake, |cfg| cfg.retry.max_retries = 1);
    let e = block_on(c.call(&create_req())).expect_err("no token");
    assert_eq!(e.kind, ErrorKind::Network);
    assert_eq!(e.operation, Operation::CreateCall);
    assert!(c.transport().sent_to(CREATE_PATH).is_empty(), "createCall never sent");
    assert!(!e.outcome_unknown, "createCall was never sent, so the call was not placed");
    assert_eq!(c.transport().sent_to(TOKEN_PATH).len(), 2, "token fetch retried 1 + max_retries times");
}

