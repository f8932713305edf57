//! The gateway with its shared state, over the in-memory transport and `MemoryStore`: who owns which call,
//! the rate limits, and release callbacks taken once.
#![cfg(feature = "server")]

mod common;

use std::rc::Rc;

use aicc_call::callback::{self, sign_url};
use aicc_call::gateway::{Gateway, GatewayConfig, GatewayResponse, MemoryStore, Store, Verdict};
use aicc_call::ops::Operation;
use common::*;
use futures_executor::block_on;
use serde_json::{json, Value};

const SECRET: &str = "a-callback-secret-of-32-characters";
const SERIAL: &str = "645735364434067472";
const PLACE: &str = r#"{"caller":"88889050","called":"88889060"}"#;

fn gateway(configure: impl FnOnce(GatewayConfig) -> GatewayConfig) -> Gateway {
    let config = GatewayConfig::new(None, None, vec![]).expect("valid gateway config");
    Gateway::new(configure(config))
}

fn verdict(agent: &str) -> Verdict {
    Verdict::from_value(&json!({ "agentWorkNo": agent }))
}

fn error_of(r: &GatewayResponse) -> String {
    let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
    body["error"].as_str().unwrap_or_default().to_string()
}

fn query(serial: &str) -> String {
    json!({ "callSerialNo": serial }).to_string()
}

/// The store reads the fake transport's clock, as a Durable Object reads its own.
fn store_for(c: &Rc<aicc_call::client::Client<Fake>>) -> MemoryStore<impl Fn() -> i64> {
    let clock = c.clone();
    MemoryStore::new(move || aicc_call::client::Transport::now_ms(clock.transport()))
}

#[test]
fn a_placed_call_is_read_by_its_own_session_only() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 600)]).script(CREATE_PATH, [ok(CREATE_OK)]).script(STATE_PATH, [ok(STATE_OK), ok(STATE_OK)]);
    let c = Rc::new(client(fake));
    let store = store_for(&c);
    let g = gateway(|c| c);
    let serve = |op, body: &str, v: &Verdict| block_on(g.serve(op, body, v, None, &c, &store));

    assert_eq!(serve(Operation::CreateCall, PLACE, &verdict("103")).status, 200);
    assert_eq!(serve(Operation::QueryCallState, &query(SERIAL), &verdict("103")).status, 200, "the owner reads it");
    let other = serve(Operation::QueryCallState, &query(SERIAL), &verdict("104"));
    assert_eq!((other.status, error_of(&other).as_str()), (403, "notYourCall"));
    let unknown = serve(Operation::QueryCallState, &query("123456789"), &verdict("103"));
    assert_eq!((unknown.status, error_of(&unknown).as_str()), (403, "notYourCall"), "unknown serials are refused too");
    let by_session = Verdict::from_value(&json!({ "agentWorkNo": "103", "session": "another-tab-of-103" }));
    assert_eq!(serve(Operation::QueryCallState, &query(SERIAL), &by_session).status, 403, "the session decides, not the agent");
    assert_eq!(c.transport().sent_to(STATE_PATH).len(), 1, "refusals never reach AICC");
}

#[test]
fn unknown_serials_can_be_allowed_but_never_another_sessions() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 600)]).script(CREATE_PATH, [ok(CREATE_OK)]).script(STATE_PATH, [ok(STATE_OK)]);
    let c = Rc::new(client(fake));
    let store = store_for(&c);
    let g = gateway(|c| c.state_rules(Some(true), None, None, None).expect("valid state rules"));
    let serve = |op, body: &str, v: &Verdict| block_on(g.serve(op, body, v, None, &c, &store));
    assert_eq!(serve(Operation::CreateCall, PLACE, &verdict("103")).status, 200);
    assert_eq!(serve(Operation::QueryCallState, &query(SERIAL), &verdict("104")).status, 403);
    assert_eq!(serve(Operation::QueryCallState, &query("000123456789"), &verdict("104")).status, 200, "placed elsewhere");
    let padded = serve(Operation::QueryCallState, &query(&format!("00{SERIAL}")), &verdict("104"));
    assert_eq!((padded.status, error_of(&padded).as_str()), (403, "notYourCall"), "00<serial> is the same call");
    let sent = c.transport().sent_to(STATE_PATH);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].body, r#"{"callSerialNo":"123456789"}"#, "forwarded in its one spelling");
}

#[test]
fn calls_past_a_rate_limit_are_refused_with_retry_after_and_never_sent() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 600)]).script(CREATE_PATH, (0..4).map(|_| ok(CREATE_OK)));
    let c = Rc::new(client(fake));
    let store = store_for(&c);
    let g = gateway(|c| c.state_rules(None, Some(2), None, None).expect("valid state rules"));
    let serve = |v: &Verdict| block_on(g.serve(Operation::CreateCall, PLACE, v, None, &c, &store));
    assert_eq!(serve(&verdict("101")).status, 200);
    c.transport().advance(10_000);
    assert_eq!(serve(&verdict("101")).status, 200);
    let limited = serve(&verdict("101"));
    assert_eq!((limited.status, error_of(&limited).as_str()), (429, "rateLimited"));
    assert!(limited.headers.contains(&("Retry-After".into(), "50".into())), "{:?}", limited.headers);
    let body: Value = serde_json::from_str(&limited.body).unwrap_or_default();
    assert_eq!((body["retryAfterMs"].as_i64(), body["limit"].as_str()), (Some(50_000), Some("createCallPerMinute")));
    assert_eq!(serve(&verdict("102")).status, 200, "limits are per session");
    let own_limit = Verdict::from_value(&json!({ "agentWorkNo": "105", "createCallPerMinute": 1 }));
    assert_eq!(serve(&own_limit).status, 200);
    assert_eq!(serve(&own_limit).status, 429, "the verdict's limit wins over the gateway's");
    assert_eq!(c.transport().sent_to(CREATE_PATH).len(), 4, "refused calls never reach AICC");
}

#[test]
fn a_day_limit_holds_over_the_whole_day_through_a_store_that_drops_expired_records() {
    let fake = Fake::new().script(TOKEN_PATH, (0..10).map(|_| token_ok(TOKEN, 3600))).script(CREATE_PATH, (0..10).map(|_| ok(CREATE_OK)));
    let c = Rc::new(client(fake));
    let store = store_for(&c);
    let g = gateway(|c| c.state_rules(None, Some(3), Some(5), None).expect("valid state rules"));
    let serve = || block_on(g.serve(Operation::CreateCall, PLACE, &verdict("101"), None, &c, &store)).status;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.extend((0..3).map(|_| serve()));
        c.transport().advance(61_000);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 5, "five a day in four bursts a minute apart: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429), "{statuses:?}");
    c.transport().advance(12 * 3_600_000);
    assert_eq!(serve(), 429, "still limited half a day later");
    assert!(!store.is_empty(), "the session's record is kept for the day");
    c.transport().advance(12 * 3_600_000);
    assert_eq!(serve(), 200, "a day after the first calls, one more fits");
    assert_eq!(c.transport().sent_to(CREATE_PATH).len(), 6);
}

#[test]
fn a_session_named_like_an_agent_is_not_that_agents_session() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 600)]).script(CREATE_PATH, (0..2).map(|_| ok(CREATE_OK)));
    let c = Rc::new(client(fake));
    let store = store_for(&c);
    let g = gateway(|c| c.state_rules(None, Some(1), None, None).expect("valid state rules"));
    let serve = |op, body: &str, v: &Verdict| block_on(g.serve(op, body, v, None, &c, &store));
    let crm_user = Verdict::from_value(&json!({ "session": "101" }));
    assert_eq!(serve(Operation::CreateCall, PLACE, &verdict("101")).status, 200, "agent 101 places a call");
    let read = serve(Operation::QueryCallState, &query(SERIAL), &crm_user);
    assert_eq!((read.status, error_of(&read).as_str()), (403, "notYourCall"), "CRM user '101' cannot read agent 101's call");
    assert_eq!(serve(Operation::CreateCall, PLACE, &crm_user).status, 200, "nor does it share agent 101's limit");
    assert_eq!(serve(Operation::CreateCall, PLACE, &verdict("101")).status, 429, "while agent 101's own limit holds");
}

#[test]
fn a_release_is_handed_on_once_and_only_to_its_own_call() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 600)]).script(CREATE_PATH, [ok(CREATE_OK)]);
    let c = Rc::new(client(fake));
    let store = store_for(&c);
    let g = gateway(|c| c);
    let signed = sign_url("https://gw.example.com/aicc/callback/release", SECRET, START_MS + 3_600_000, "n0nce1").expect("signs");
    let v = Verdict::from_value(&json!({ "agentWorkNo": "101", "callBackUrl": signed }));
    assert_eq!(block_on(g.serve(Operation::CreateCall, PLACE, &v, None, &c, &store)).status, 200);

    let receive = |url: &str, serial: &str| {
        let body = json!({ "callSerialNo": serial, "releaseReason": "0" }).to_string();
        let decision = callback::decide("POST", url, &body, Some(SECRET), START_MS + 60_000);
        block_on(callback::take_once(decision, &store, 86_400_000))
    };
    let first = receive(&signed, SERIAL);
    assert_eq!((first.status, first.event.is_some()), (200, true));
    // The handler ran: the receiver confirms, as handleCallback does after onRelease.
    block_on(confirm(&first, &store));
    let replay = receive(&signed, SERIAL);
    assert_eq!((replay.status, replay.event.is_some(), replay.body.as_str()), (200, false, callback::ACKNOWLEDGEMENT));
    assert_eq!(receive(&signed, "645735364434067473").status, 403, "the nonce is another call's");
    let other = sign_url("https://gw.example.com/aicc/callback/release", SECRET, START_MS + 3_600_000, "n0nce2").expect("signs");
    assert_eq!(receive(&other, SERIAL).status, 403, "a URL signed for another call");
}

const RELEASE_URL: &str = "https://gw.example.com/aicc/callback/release";
const CDR_PATH: &str = aicc_call::ops::query_call_detail_record::PATH;

/// Confirms a handed-on release, as `handleCallback` does once `onRelease` has run.
async fn confirm<S: Store>(decision: &callback::CallbackDecision, store: &S) {
    let (key, command) = decision.confirm.clone().unwrap_or_default();
    assert!(!key.is_empty(), "a handed-on release carries its confirmation: {decision:?}");
    assert!(store.apply(&key, &command).await.is_ok());
}

fn release_of(url: &str, serial: &str, at_ms: i64) -> callback::CallbackDecision {
    let body = json!({ "callSerialNo": serial, "releaseReason": "0" }).to_string();
    callback::decide("POST", url, &body, Some(SECRET), at_ms)
}

#[test]
fn a_placed_call_whose_answer_was_lost_is_still_released_once_and_then_followable() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 600)]).script(CREATE_PATH, [network()]).script(STATE_PATH, [ok(STATE_OK)]);
    let c = Rc::new(client(fake));
    let store = store_for(&c);
    let g = gateway(|c| c);
    let signed = sign_url(RELEASE_URL, SECRET, START_MS + 3_600_000, "lost1").expect("signs");
    let v = Verdict::from_value(&json!({ "agentWorkNo": "101", "callBackUrl": signed }));
    let placing = block_on(g.serve(Operation::CreateCall, PLACE, &v, None, &c, &store));
    assert_eq!(placing.status, 502, "the page hears that the answer was lost: {}", placing.body);
    assert_eq!(c.transport().sent_to(CREATE_PATH).len(), 1, "the createCall had been sent");

    // Another session's lookup of the same caller number claimed the lost call first.
    let claim = json!({ "do": "claim", "session": Verdict::from_value(&json!({ "agentWorkNo": "102" })).session(), "ttlMs": 86_400_000 });
    assert!(block_on(store.apply(&aicc_call::gateway::ledger::call_key(SERIAL), &claim.to_string())).is_ok());

    let first = block_on(callback::take_once(release_of(&signed, SERIAL, START_MS + 60_000), &store, 86_400_000));
    assert_eq!((first.status, first.event.is_some()), (200, true), "the release of the lost call is handed on: {}", first.body);
    let unconfirmed = block_on(callback::take_once(release_of(&signed, SERIAL, START_MS + 60_500), &store, 86_400_000));
    assert_eq!((unconfirmed.status, unconfirmed.event.is_some()), (200, true), "its handler never confirmed: handed on again, never lost");
    block_on(confirm(&unconfirmed, &store));
    let replay = block_on(callback::take_once(release_of(&signed, SERIAL, START_MS + 61_000), &store, 86_400_000));
    assert_eq!((replay.status, replay.event.is_some()), (200, false), "once confirmed, a replay");
    let other = block_on(callback::take_once(release_of(&signed, "645735364434067473", START_MS + 62_000), &store, 86_400_000));
    assert_eq!(other.status, 403, "the nonce is bound to the first release's call");

    let serve = |v: &Verdict| block_on(g.serve(Operation::QueryCallState, &query(SERIAL), v, None, &c, &store));
    assert_eq!(serve(&v).status, 200, "its own session follows it: the nonce proves it placed the call, over the claim");
    assert_eq!(serve(&verdict("102")).status, 403, "no one else does");
}

#[test]
fn a_callback_url_signed_once_for_every_call_places_only_the_first() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 600)]).script(CREATE_PATH, [ok(CREATE_OK)]);
    let c = Rc::new(client(fake));
    let store = store_for(&c);
    let g = gateway(|c| c);
    let signed = sign_url(RELEASE_URL, SECRET, START_MS + 3_600_000, "sameforall").expect("signs");
    let v = Verdict::from_value(&json!({ "agentWorkNo": "101", "callBackUrl": signed }));
    assert_eq!(block_on(g.serve(Operation::CreateCall, PLACE, &v, None, &c, &store)).status, 200);
    let second = block_on(g.serve(Operation::CreateCall, PLACE, &v, None, &c, &store));
    assert_eq!((second.status, error_of(&second).as_str()), (500, "badVerdict"), "{}", second.body);
    assert!(second.body.contains("one URL per createCall"), "{}", second.body);
    assert_eq!(c.transport().sent_to(CREATE_PATH).len(), 1, "the second call is never sent");
}

#[test]
fn a_lookup_of_the_sessions_own_numbers_makes_a_found_call_followable_but_never_another_sessions() {
    let listing = json!({ "retCode": "0", "retMsg": "ok", "result": { "total": 2, "callInfo": [
        { "callSerialNo": "00645735364434067472", "caller": "88889050", "called": "88889060", "state": 3 },
        { "callSerialNo": "111", "caller": "88889050", "called": "88889061", "state": 3 },
    ] } })
    .to_string();
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 600)])
        .script(CREATE_PATH, [ok(r#"{"retCode":"0","retMsg":"ok","result":{"callSerialNo":111}}"#)])
        .script(CDR_PATH, [ok(&listing)])
        .script(STATE_PATH, [ok(STATE_OK)]);
    let c = Rc::new(client(fake));
    let store = store_for(&c);
    let g = gateway(|c| c);
    let other = Verdict::from_value(&json!({ "agentWorkNo": "102" }));
    assert_eq!(block_on(g.serve(Operation::CreateCall, PLACE, &other, None, &c, &store)).status, 200, "agent 102 placed call 111");
    let mine = Verdict::from_value(&json!({ "agentWorkNo": "101", "callers": ["88889050"] }));
    let cdr = json!({ "caller": "88889050", "startTime": START_MS - 60_000, "endTime": START_MS }).to_string();
    let without_callers = block_on(g.serve(Operation::QueryCallDetailRecord, &cdr, &verdict("101"), None, &c, &store));
    assert_eq!(without_callers.status, 403, "a session without callers lists nothing: {}", without_callers.body);
    assert_eq!(block_on(g.serve(Operation::QueryCallDetailRecord, &cdr, &mine, None, &c, &store)).status, 200);
    let read = |serial: &str, v: &Verdict| block_on(g.serve(Operation::QueryCallState, &query(serial), v, None, &c, &store)).status;
    assert_eq!(read(SERIAL, &mine), 200, "the call it found is now its own");
    assert_eq!(read("111", &mine), 403, "a call another session placed stays that session's");
}

/// A state that never answers.
struct Silent;

impl Store for Silent {
    async fn apply(&self, _key: &str, _command: &str) -> Result<String, String> {
        std::future::pending().await
    }
}

#[test]
fn a_state_that_never_answers_is_a_503_within_the_deadline_and_nothing_is_sent() {
    let c = client(Fake::new().yielding());
    let g = gateway(|c| c.state_timeout(Some(250)).expect("valid deadline"));
    let started = aicc_call::client::Transport::now_ms(c.transport());
    let answer = block_on(g.serve(Operation::QueryCallState, &query(SERIAL), &verdict("101"), None, &c, &Silent));
    assert_eq!((answer.status, error_of(&answer).as_str()), (503, "stateUnavailable"));
    assert_eq!(aicc_call::client::Transport::now_ms(c.transport()) - started, 250, "waited the deadline, no longer");
    assert!(c.transport().sent().is_empty());
    let signed = sign_url(RELEASE_URL, SECRET, START_MS + 3_600_000, "n1").expect("signs");
    let bounded = aicc_call::gateway::Bounded { store: &Silent, transport: c.transport(), timeout_ms: 250 };
    let release = block_on(callback::take_once(release_of(&signed, SERIAL, START_MS), &bounded, 86_400_000));
    assert_eq!(release.status, 503, "AICC sends the release again later");
}
