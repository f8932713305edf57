//! Authentication: the token cache and its single flight, 401 refreshes, token() sources, and values no header can carry.
#![cfg(feature = "server")]

mod common;

use common::*;
use aicc_call::ops::Op;

use std::cell::Cell;
use std::rc::Rc;

use aicc_call::client::{Auth, Client, Config, TokenFuture};
use aicc_call::{ErrorKind, Operation};
use futures_executor::block_on;
use futures_util::future::join_all;

// ---------------------------------------------------------------------------------------------------------------
// Credentials flow

#[test]
fn token_is_fetched_once_with_expire_header_and_key_secret_body_then_reused() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 600)]).script(STATE_PATH, [ok(STATE_OK), ok(STATE_OK), ok(STATE_OK)]);
    let c = client(fake);
    for _ in 0..3 {
        block_on(c.call(&state_req())).expect("query succeeds");
        c.transport().advance(60_000);
    }
    let tokens = c.transport().sent_to(TOKEN_PATH);
    assert_eq!(tokens.len(), 1, "token reused while fresh");
    assert_eq!(tokens[0].url, format!("{BASE}{TOKEN_PATH}"));
    assert_eq!(tokens[0].method, "POST");
    assert_eq!(tokens[0].header("X-Token-Expire"), Some("600"));
    let body: serde_json::Value = serde_json::from_str(&tokens[0].body).expect("token body is JSON");
    assert_eq!(body, serde_json::json!({"app_key": APP_KEY, "app_secret": APP_SECRET}));
    assert_eq!(tokens[0].header("Authorization"), None, "no bearer on the token request itself");
    // The token request comes first, then every query carries it.
    let sent = c.transport().sent();
    assert!(sent[0].url.ends_with(TOKEN_PATH));
    assert!(sent[1..].iter().all(|s| s.header("Authorization") == Some("Bearer TOKEN-xyz")));
}

#[test]
fn token_is_refetched_once_the_clock_passes_expires_minus_margin() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok("TOKEN-one", 600), token_ok("TOKEN-two", 600)])
        .script(STATE_PATH, [ok(STATE_OK), ok(STATE_OK), ok(STATE_OK)]);
    let c = client(fake);
    let t = c.transport();
    block_on(c.call(&state_req())).expect("first query");
    // 600 s lifetime, 60 s margin: still fresh just before 540 s.
    t.advance(539_000);
    block_on(c.call(&state_req())).expect("second query");
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 1, "token still fresh at 539 s");
    t.advance(2_000);
    block_on(c.call(&state_req())).expect("third query");
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 2, "token refetched after 540 s");
    let auths: Vec<Option<String>> =
        t.sent_to(STATE_PATH).iter().map(|s| s.header("Authorization").map(str::to_string)).collect();
    assert_eq!(
        auths,
        vec![Some("Bearer TOKEN-one".into()), Some("Bearer TOKEN-one".into()), Some("Bearer TOKEN-two".into())]
    );
}

#[test]
fn a_401_refreshes_the_token_once_and_resends_once() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok("TOKEN-old", 600), token_ok("TOKEN-new", 600)])
        .script(STATE_PATH, [status(401, ""), ok(STATE_OK)]);
    let c = client(fake);
    let st = block_on(c.call(&state_req())).expect("succeeds after one refresh");
    assert_eq!(st.state, Some(2));
    let t = c.transport();
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 2, "one refresh");
    let sent = t.sent_to(STATE_PATH);
    assert_eq!(sent.len(), 2, "one resend");
    assert_eq!(sent[0].header("Authorization"), Some("Bearer TOKEN-old"));
    assert_eq!(sent[1].header("Authorization"), Some("Bearer TOKEN-new"));
    assert!(t.sleeps().is_empty(), "a 401 refresh is not a backoff retry");
}

#[test]
fn a_second_401_is_an_auth_error_without_a_loop() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok("TOKEN-old", 600), token_ok("TOKEN-new", 600)])
        .script(STATE_PATH, [status(401, ""), status(401, "")]);
    let c = client(fake);
    let e = block_on(c.call(&state_req())).expect_err("second 401 fails");
    assert_eq!(e.kind, ErrorKind::Auth);
    assert_eq!(e.status, Some(401));
    assert_eq!(e.attempts, 2);
    let t = c.transport();
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 2);
    assert_eq!(t.sent_to(STATE_PATH).len(), 2);
}

#[test]
fn refused_credentials_are_an_auth_error_asked_once() {
    let fake = Fake::new().script(TOKEN_PATH, [status(401, r#"{"error":"bad secret"}"#), status(401, "")]);
    let c = client(fake);
    let e = block_on(c.call(&state_req())).expect_err("token refused");
    assert_eq!(e.kind, ErrorKind::Auth);
    assert_eq!(e.operation, Operation::QueryCallState);
    let t = c.transport();
    assert!(t.sent_to(STATE_PATH).is_empty(), "nothing sent without a token");
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 1, "a refused secret is not asked again");
}

#[test]
fn concurrent_first_calls_fetch_exactly_one_token() {
    let fake = Fake::new()
        .yielding()
        .script(TOKEN_PATH, [token_ok(TOKEN, 600)])
        .script(STATE_PATH, (0..5).map(|_| ok(STATE_OK)));
    let c = client(fake);
    let req = state_req();
    let results = block_on(join_all((0..5).map(|_| c.call(&req))));
    assert!(results.iter().all(Result::is_ok), "all five succeed: {results:?}");
    let t = c.transport();
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 1, "exactly one token fetch");
    let sent = t.sent_to(STATE_PATH);
    assert_eq!(sent.len(), 5);
    assert!(sent.iter().all(|s| s.header("Authorization") == Some("Bearer TOKEN-xyz")));
}

#[test]
fn concurrent_first_calls_share_a_failed_token_fetch() {
    let fake = Fake::new().yielding().script(TOKEN_PATH, [status(403, "")]);
    let c = client_with(fake, |cfg| cfg.retry.max_retries = 0);
    let req = state_req();
    let results = block_on(join_all((0..5).map(|_| c.call(&req))));
    for r in &results {
        let e = r.as_ref().expect_err("token refused");
        assert_eq!(e.kind, ErrorKind::Auth);
    }
    assert_eq!(c.transport().sent_to(TOKEN_PATH).len(), 1, "one token fetch for five callers");
    assert!(c.transport().sent_to(STATE_PATH).is_empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Provider token source

#[test]
fn provider_token_is_asked_and_used() {
    let asked = Rc::new(Cell::new(0u32));
    let counter = asked.clone();
    let provider: Box<dyn Fn() -> TokenFuture> = Box::new(move || {
        counter.set(counter.get() + 1);
        let n = counter.get();
        Box::pin(async move { Ok(format!("  provided-{n}  ")) })
    });
    let fake = Fake::new().script(STATE_PATH, [ok(STATE_OK), status(401, ""), ok(STATE_OK)]);
    let c = client_with(fake, |cfg| {
        cfg.auth = Auth::Provider(provider);
        cfg.app_key = Some(APP_KEY.into());
    });
    block_on(c.call(&state_req())).expect("first query");
    block_on(c.call(&state_req())).expect("second query, after a 401");
    assert_eq!(asked.get(), 3, "asked before each request and once after the 401");
    let t = c.transport();
    assert!(t.sent_to(TOKEN_PATH).is_empty(), "no tokenByAkSk with a provider");
    let auths: Vec<String> =
        t.sent_to(STATE_PATH).iter().map(|s| s.header("Authorization").unwrap_or_default().to_string()).collect();
    assert_eq!(auths, ["Bearer provided-1", "Bearer provided-2", "Bearer provided-3"]);
    assert_common(&t.sent_to(STATE_PATH)[0], &format!("{BASE}{STATE_PATH}"), &state_req().body());
}

#[test]
fn failing_provider_is_an_auth_error_and_nothing_is_sent() {
    for answer in [Err("vault unreachable".to_string()), Ok("   ".to_string())] {
        let provider: Box<dyn Fn() -> TokenFuture> = Box::new(move || {
            let a = answer.clone();
            Box::pin(async move { a })
        });
        let fake = Fake::new();
        let c = client_with(fake, |cfg| cfg.auth = Auth::Provider(provider));
        let e = block_on(c.call(&state_req())).expect_err("provider failed");
        assert_eq!(e.kind, ErrorKind::Auth, "{e}");
        assert!(!e.outcome_unknown);
        assert!(c.transport().sent().is_empty(), "nothing sent without a token");
        let e = block_on(c.call(&create_req())).expect_err("provider failed");
        assert_eq!(e.kind, ErrorKind::Auth, "{e}");
        assert!(!e.outcome_unknown, "createCall was not sent: its outcome is known");
        assert!(c.transport().sent().is_empty(), "nothing sent without a token");
    }
}

#[test]
fn a_token_that_cannot_be_sent_in_a_header_is_an_auth_error_and_not_cached() {
    for bad in [r"tok\u20acn", r"tok\nen", r"tok\u0000en"] {
        let answer = ok(&format!(r#"{{"AccessToken":"{bad}","ExpiresIn":3600}}"#));
        let fake = Fake::new().script(TOKEN_PATH, [answer.clone(), answer]);
        let c = client_with(fake, |cfg| cfg.retry.max_retries = 0);
        for _ in 0..2 {
            let e = block_on(c.call(&state_req())).expect_err(bad);
            assert_eq!(e.kind, ErrorKind::Auth, "{bad}: {e}");
            assert!(e.message.contains("HTTP header"), "{bad}: {e}");
        }
        assert!(c.transport().sent_to(STATE_PATH).is_empty(), "{bad}: the query is never sent");
        assert_eq!(c.transport().sent_to(TOKEN_PATH).len(), 2, "{bad}: not cached, fetched again");
    }
}

#[test]
fn header_values_fetch_would_refuse_are_refused_at_construction() {
    for bad in ["张三", "a\r\nX-Evil: 1", "tab\there"] {
        let mut cfg = Config::new("https://x.example");
        cfg.headers = vec![("X-Agent".into(), bad.into())];
        let e = Client::new(cfg, Fake::new()).err().map(|e| (e.kind, e.field));
        assert_eq!(e, Some((ErrorKind::Validation, Some("headers"))), "{bad:?}");
        let mut cfg = Config::new("https://x.example");
        cfg.app_key = Some(bad.into());
        let e = Client::new(cfg, Fake::new()).err().map(|e| (e.kind, e.field));
        assert_eq!(e, Some((ErrorKind::Validation, Some("appKey"))), "{bad:?}");
    }
    let mut cfg = Config::new("https://x.example");
    cfg.headers = vec![("X-Agent".into(), "Zoë Müller".into())];
    assert!(Client::new(cfg, Fake::new()).is_ok(), "Latin-1 is sent as it is");
}

