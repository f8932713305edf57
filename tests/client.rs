//! Host integration tests of `Client` over an in-memory transport: URLs, headers, bodies, tokens, C2 signing,
//! safe retries, createCall's outcome-unknown rule, secret-free errors and configuration checks.
#![cfg(feature = "server")]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use aicc_call::client::{Auth, Client, Config, HttpResponse, TokenFuture, Transport, TransportError, Wake, Watch, WatchOptions};
use aicc_call::ops::{
    self, CreateCall, GetCalledInfo, QueryBasicCallInfo, QueryCallInfoByCallId, QueryCallState, TokenByAkSk,
};
use aicc_call::sign::{C2Credentials, SignedRequest};
use aicc_call::{Error, ErrorKind, Operation};
use futures_executor::block_on;
use futures_util::future::join_all;

const BASE: &str = "https://service.example.com";
const CMS: &str = "https://10.22.26.181:28080";
const APP_KEY: &str = "app-key-1";
const APP_SECRET: &str = "S3CRET-app";
const AK: &str = "cms-ak-1";
const SK: &str = "S3CRET-sk";
const TOKEN: &str = "TOKEN-xyz";
const SECRETS: [&str; 3] = [APP_SECRET, SK, TOKEN];
const START_MS: i64 = 1_700_000_000_000;

const TOKEN_PATH: &str = ops::token_by_ak_sk::PATH;
const CREATE_PATH: &str = ops::create_call::PATH;
const STATE_PATH: &str = ops::query_call_state::PATH;
const CALLED_PATH: &str = ops::get_called_info::PATH;
const INFO_PATH: &str = ops::query_call_info_by_call_id::PATH;
const BASIC_PATH: &str = ops::query_basic_call_info::PATH;

const STATE_OK: &str = r#"{"retMsg":"ok","retCode":"0","result":{"caller":"88889050","called":"88889060","state":2}}"#;
const CREATE_OK: &str = r#"{"retCode":"0","retMsg":"ok","result":{"callSerialNo":645735364434067472}}"#;
const CALLED_OK: &str = r#"{"retCode":"0","retMsg":"ok","result":{"devType":1,"called":"88889060"}}"#;
const INFO_OK: &str = r#"{"caller":70004,"called":60015,"mediaAbility":1,"callId":"1652317325-339","callType":0}"#;
const BASIC_OK: &str = r#"{"resultCode":"0100000","resultDesc":{"callingNum":"88881364","calledNum":"650550","trunkNo":582}}"#;

/// What the transport answers to one request.
type Answer = Result<HttpResponse, TransportError>;
/// Changes one option of a configuration.
type Tweak = Box<dyn FnOnce(&mut Config)>;

/// One request as the transport saw it.
#[derive(Debug, Clone)]
struct Sent {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: String,
    at_ms: i64,
}

impl Sent {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An in-memory transport: scripted answers per path, a record of requests, a fake clock and fixed randomness.
struct Fake {
    answers: RefCell<Vec<(String, VecDeque<Answer>)>>,
    sent: RefCell<Vec<Sent>>,
    clock_ms: Cell<i64>,
    sleeps: RefCell<Vec<u32>>,
    random: f64,
    /// Whether `send` yields once before answering, so that concurrent callers interleave.
    yield_on_send: bool,
}

impl Fake {
    fn new() -> Self {
        Fake {
            answers: RefCell::new(Vec::new()),
            sent: RefCell::new(Vec::new()),
            clock_ms: Cell::new(START_MS),
            sleeps: RefCell::new(Vec::new()),
            random: 0.5,
            yield_on_send: false,
        }
    }

    fn yielding(mut self) -> Self {
        self.yield_on_send = true;
        self
    }

    /// Queues `answers` for `path`, after any already queued.
    fn script(self, path: &str, answers: impl IntoIterator<Item = Result<HttpResponse, TransportError>>) -> Self {
        {
            let mut all = self.answers.borrow_mut();
            let pos = match all.iter().position(|(p, _)| p == path) {
                Some(pos) => pos,
                None => {
                    all.push((path.to_string(), VecDeque::new()));
                    all.len() - 1
                }
            };
            all[pos].1.extend(answers);
        }
        self
    }

    fn sent(&self) -> Vec<Sent> {
        self.sent.borrow().clone()
    }

    fn sent_to(&self, path: &str) -> Vec<Sent> {
        self.sent.borrow().iter().filter(|s| s.url.ends_with(path)).cloned().collect()
    }

    fn advance(&self, ms: i64) {
        self.clock_ms.set(self.clock_ms.get() + ms);
    }

    fn sleeps(&self) -> Vec<u32> {
        self.sleeps.borrow().clone()
    }
}

/// Pending once, then ready: lets `join_all` poll the other futures in between.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl Transport for Fake {
    async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: &str,
        _timeout_ms: u32,
    ) -> Result<HttpResponse, TransportError> {
        self.sent.borrow_mut().push(Sent {
            method: method.to_string(),
            url: url.to_string(),
            headers: headers.to_vec(),
            body: body.to_string(),
            at_ms: self.clock_ms.get(),
        });
        if self.yield_on_send {
            YieldOnce(false).await;
        }
        let mut all = self.answers.borrow_mut();
        let queue = all.iter_mut().find(|(p, _)| url.ends_with(p.as_str())).map(|(_, q)| q);
        match queue.and_then(|q| q.pop_front()) {
            Some(answer) => answer,
            None => panic!("no scripted answer left for {url}"),
        }
    }

    async fn sleep(&self, ms: u32) {
        self.sleeps.borrow_mut().push(ms);
        self.advance(i64::from(ms));
    }

    fn now_ms(&self) -> i64 {
        self.clock_ms.get()
    }

    fn random(&self) -> f64 {
        self.random
    }
}

fn ok(body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse { status: 200, body: body.to_string() })
}

fn status(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse { status, body: body.to_string() })
}

fn token_ok(token: &str, expires: u32) -> Result<HttpResponse, TransportError> {
    ok(&format!(r#"{{"AccessToken":"{token}","Expires":{expires},"CreateTime":1700000000}}"#))
}

fn network() -> Result<HttpResponse, TransportError> {
    Err(TransportError::Network("connection reset".into()))
}

fn credentials() -> TokenByAkSk {
    TokenByAkSk::new(APP_KEY, APP_SECRET, Some(600)).expect("valid token request")
}

/// A client with tokenByAkSk credentials and C2 credentials for the CMS endpoint.
fn client_with(fake: Fake, configure: impl FnOnce(&mut Config)) -> Client<Fake> {
    let mut config = Config::new(BASE);
    config.cms_base_url = Some(CMS.into());
    config.auth = Auth::Credentials(credentials());
    config.cms_credentials = Some(C2Credentials::new(AK, SK));
    configure(&mut config);
    Client::new(config, fake).expect("valid config")
}

fn client(fake: Fake) -> Client<Fake> {
    client_with(fake, |_| {})
}

fn state_req() -> QueryCallState {
    QueryCallState::new("645735364434067472").expect("valid serial")
}

fn create_req() -> CreateCall {
    CreateCall::builder("88889050", "88889060").build().expect("valid createCall")
}

fn basic_req() -> QueryBasicCallInfo {
    QueryBasicCallInfo::new(1, 1, "1652317325-339").expect("valid basic call info request")
}

fn assert_common(sent: &Sent, url: &str, body: &str) {
    assert_eq!(sent.url, url, "URL");
    assert_eq!(sent.method, "POST", "method of {url}");
    assert_eq!(sent.body, body, "body sent to {url}");
    assert_eq!(sent.header("X-APP-Key"), Some(APP_KEY), "X-APP-Key sent to {url}");
}

// ---------------------------------------------------------------------------------------------------------------
// Every operation's success

#[test]
fn every_service_operation_succeeds_with_url_method_body_and_bearer() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 600)])
        .script(CREATE_PATH, [ok(CREATE_OK)])
        .script(STATE_PATH, [ok(STATE_OK)])
        .script(CALLED_PATH, [ok(CALLED_OK)])
        .script(INFO_PATH, [ok(INFO_OK)]);
    let c = client(fake);
    let create = create_req();
    let state = state_req();
    let called = GetCalledInfo::new("88889050", "88889060").expect("valid getCalledInfo");
    let info = QueryCallInfoByCallId::new("1652317325-339", "u1", "t1", "a1").expect("valid queryCallInfoByCallId");

    let placed = block_on(c.create_call(&create)).expect("createCall succeeds");
    assert_eq!(placed.call_serial_no.as_deref(), Some("645735364434067472"));
    let st = block_on(c.query_call_state(&state)).expect("queryCallState succeeds");
    assert_eq!(st.state, 2);
    let ci = block_on(c.get_called_info(&called)).expect("getCalledInfo succeeds");
    assert_eq!(ci.dev_type, 1);
    let info_answer = block_on(c.query_call_info_by_call_id(&info)).expect("queryCallInfoByCallId succeeds");
    assert_eq!(info_answer.call_id.as_deref(), Some("1652317325-339"));

    let t = c.transport();
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 1, "one token for all four calls");
    for (path, body) in [
        (CREATE_PATH, create.body()),
        (STATE_PATH, state.body()),
        (CALLED_PATH, called.body()),
        (INFO_PATH, info.body()),
    ] {
        let sent = t.sent_to(path);
        assert_eq!(sent.len(), 1, "{path} sent once");
        assert_common(&sent[0], &format!("{BASE}{path}"), &body);
        assert_eq!(sent[0].header("Authorization"), Some(format!("Bearer {TOKEN}").as_str()), "bearer on {path}");
        assert_eq!(sent[0].header("Content-Type"), Some("application/json"), "content type on {path}");
    }
}

fn expected_c2(body: &str, at_ms: i64, host: &str) -> String {
    let signed = SignedRequest { method: "POST", path: BASIC_PATH, query: &[], headers: &[("host", host)], body };
    C2Credentials::new(AK, SK).authorization(&signed, at_ms)
}

fn assert_c2_shape(auth: &str) {
    let parts: Vec<&str> = auth.split('/').collect();
    assert_eq!(parts.len(), 5, "auth-v2/<ak>/<time>/host/<sig>: {auth}");
    assert_eq!(parts[0], "auth-v2");
    assert_eq!(parts[1], AK);
    assert_eq!(parts[3], "host");
    assert_eq!(parts[4].len(), 64, "signature is 64 hex digits");
    assert!(parts[4].bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "lowercase hex: {auth}");
}

#[test]
fn query_basic_call_info_goes_to_cms_with_c2_signature_from_the_transport_clock() {
    let fake = Fake::new().script(BASIC_PATH, [ok(BASIC_OK)]);
    let c = client(fake);
    c.transport().advance(12_345); // the signature must use the transport's clock, not the system's
    let req = basic_req();
    let info = block_on(c.query_basic_call_info(&req)).expect("querybasiccallinfo succeeds");
    assert_eq!(info.calling_num.as_deref(), Some("88881364"));

    let t = c.transport();
    assert!(t.sent_to(TOKEN_PATH).is_empty(), "the CMS openapi needs no token");
    let sent = t.sent_to(BASIC_PATH);
    assert_eq!(sent.len(), 1);
    assert_common(&sent[0], &format!("{CMS}{BASIC_PATH}"), &req.body());
    let auth = sent[0].header("Authorization").expect("C2 Authorization header");
    assert_c2_shape(auth);
    assert_eq!(auth, expected_c2(&req.body(), START_MS + 12_345, "10.22.26.181:28080"));
    assert!(auth.contains("2023-11-14T22:13:32Z"), "UTC time of the fake clock in {auth}");
    assert!(!auth.contains(SK), "the SK itself is never sent");
}

#[test]
fn cms_falls_back_to_base_url_and_signs_its_host_without_default_port() {
    let fake = Fake::new().script(BASIC_PATH, [ok(BASIC_OK)]);
    let c = client_with(fake, |cfg| {
        cfg.base_url = "https://AICC.example.com:443/".into();
        cfg.cms_base_url = None;
    });
    let req = basic_req();
    block_on(c.query_basic_call_info(&req)).expect("querybasiccallinfo succeeds");
    let sent = c.transport().sent_to(BASIC_PATH);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url, format!("https://AICC.example.com:443{BASIC_PATH}"));
    let auth = sent[0].header("Authorization").expect("C2 Authorization header");
    assert_eq!(auth, expected_c2(&req.body(), START_MS, "aicc.example.com"));
}

#[test]
fn cms_without_credentials_sends_no_authorization() {
    let fake = Fake::new().script(BASIC_PATH, [ok(BASIC_OK)]);
    let c = client_with(fake, |cfg| cfg.cms_credentials = None);
    block_on(c.query_basic_call_info(&basic_req())).expect("querybasiccallinfo succeeds");
    let sent = c.transport().sent_to(BASIC_PATH);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("Authorization"), None);
}

// ---------------------------------------------------------------------------------------------------------------
// Credentials flow

#[test]
fn token_is_fetched_once_with_expire_header_and_key_secret_body_then_reused() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 600)]).script(STATE_PATH, [ok(STATE_OK), ok(STATE_OK), ok(STATE_OK)]);
    let c = client(fake);
    for _ in 0..3 {
        block_on(c.query_call_state(&state_req())).expect("query succeeds");
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
    block_on(c.query_call_state(&state_req())).expect("first query");
    // 600 s lifetime, 60 s margin: still fresh just before 540 s.
    t.advance(539_000);
    block_on(c.query_call_state(&state_req())).expect("second query");
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 1, "token still fresh at 539 s");
    t.advance(2_000);
    block_on(c.query_call_state(&state_req())).expect("third query");
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
    let st = block_on(c.query_call_state(&state_req())).expect("succeeds after one refresh");
    assert_eq!(st.state, 2);
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
    let e = block_on(c.query_call_state(&state_req())).expect_err("second 401 fails");
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
    let e = block_on(c.query_call_state(&state_req())).expect_err("token refused");
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
    let results = block_on(join_all((0..5).map(|_| c.query_call_state(&req))));
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
    let c = client_with(fake, |cfg| cfg.max_retries = 0);
    let req = state_req();
    let results = block_on(join_all((0..5).map(|_| c.query_call_state(&req))));
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
    block_on(c.query_call_state(&state_req())).expect("first query");
    block_on(c.query_call_state(&state_req())).expect("second query, after a 401");
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
        let e = block_on(c.query_call_state(&state_req())).expect_err("provider failed");
        assert_eq!(e.kind, ErrorKind::Auth, "{e}");
        assert!(!e.outcome_unknown);
        assert!(c.transport().sent().is_empty(), "nothing sent without a token");
        let e = block_on(c.create_call(&create_req())).expect_err("provider failed");
        assert_eq!(e.kind, ErrorKind::Auth, "{e}");
        assert!(!e.outcome_unknown, "createCall was not sent: its outcome is known");
        assert!(c.transport().sent().is_empty(), "nothing sent without a token");
    }
}

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
        let c = client_with(fake, |cfg| cfg.max_retries = 3);
        let e = block_on(c.query_call_state(&state_req())).expect_err(what);
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
        let st = block_on(c.query_call_state(&state_req()));
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
    block_on(c.get_called_info(&GetCalledInfo::new("1", "2").expect("valid"))).expect("getCalledInfo retried");
    block_on(c.query_call_info_by_call_id(&QueryCallInfoByCallId::new("1652317325-339", "u", "t", "a").expect("valid")))
        .expect("queryCallInfoByCallId retried");
    block_on(c.query_basic_call_info(&basic_req())).expect("querybasiccallinfo retried");
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
    let c = client_with(fake, |cfg| cfg.max_retries = 0);
    let e = block_on(c.query_call_state(&state_req())).expect_err("503");
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
        let c = client_with(fake, |cfg| cfg.max_retries = 5);
        let e = block_on(c.query_call_state(&state_req())).expect_err(what);
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
        let c = client_with(fake, |cfg| cfg.max_retries = 1);
        let e = block_on(c.query_call_state(&state_req())).expect_err(what);
        assert_eq!((e.kind, e.attempts, e.retryable), (ErrorKind::Decode, 2, true), "{what}: {e}");
        assert_eq!(c.transport().sent_to(STATE_PATH).len(), 2, "{what}: sent twice");
    }
}

#[test]
fn an_unknown_serial_is_not_retryable() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 3600)])
        .script(STATE_PATH, [ok(r#"{"retCode":"1","retMsg":"no such call"}"#)]);
    let c = client_with(fake, |cfg| cfg.max_retries = 5);
    let e = block_on(c.query_call_state(&state_req())).expect_err("retCode 1");
    assert_eq!((e.ret_code(), e.retryable, e.attempts), (Some("1"), false, 1));
}

#[test]
fn a_token_that_cannot_be_sent_in_a_header_is_an_auth_error_and_not_cached() {
    for bad in [r"tok\u20acn", r"tok\nen", r"tok\u0000en"] {
        let answer = ok(&format!(r#"{{"AccessToken":"{bad}","ExpiresIn":3600}}"#));
        let fake = Fake::new().script(TOKEN_PATH, [answer.clone(), answer]);
        let c = client_with(fake, |cfg| cfg.max_retries = 0);
        for _ in 0..2 {
            let e = block_on(c.query_call_state(&state_req())).expect_err(bad);
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

#[test]
fn token_fetch_failures_are_retried_by_the_fetch_not_multiplied_by_the_query() {
    let fake = Fake::new().script(TOKEN_PATH, (0..9).map(|_| network()));
    let c = client_with(fake, |cfg| cfg.max_retries = 2);
    let e = block_on(c.query_call_state(&state_req())).expect_err("no token");
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
        let c = client_with(fake, |cfg| cfg.max_retries = 5);
        let e = block_on(c.create_call(&create_req())).expect_err(what);
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
        let e = block_on(c.create_call(&create_req())).expect_err(what);
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
    let e = block_on(c.create_call(&create_req())).expect_err("retCode 5");
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
    let placed = block_on(c.create_call(&create_req())).expect("placed after refresh");
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
    let e = block_on(c.create_call(&create_req())).expect_err("second 401");
    assert_eq!(e.kind, ErrorKind::Auth);
    assert!(!e.outcome_unknown, "a 401 is refused unread");
    assert_eq!(c.transport().sent_to(CREATE_PATH).len(), 2);
}

#[test]
fn create_call_whose_token_cannot_be_fetched_was_not_sent_and_has_known_outcome() {
    let fake = Fake::new().script(TOKEN_PATH, (0..9).map(|_| network()));
    let c = client_with(fake, |cfg| cfg.max_retries = 1);
    let e = block_on(c.create_call(&create_req())).expect_err("no token");
    assert_eq!(e.kind, ErrorKind::Network);
    assert_eq!(e.operation, Operation::CreateCall);
    assert!(c.transport().sent_to(CREATE_PATH).is_empty(), "createCall never sent");
    assert!(!e.outcome_unknown, "createCall was never sent, so the call was not placed");
    assert_eq!(c.transport().sent_to(TOKEN_PATH).len(), 2, "token fetch retried 1 + max_retries times");
}

// ---------------------------------------------------------------------------------------------------------------
// No secret in any error

fn assert_no_secret(what: &str, e: &Error) {
    let texts = [format!("{e}"), format!("{e:?}"), serde_json::to_string(e).expect("error serializes")];
    for text in &texts {
        for secret in SECRETS {
            assert!(!text.contains(secret), "{what}: error text contains {secret}: {text}");
        }
    }
}

#[test]
fn no_secret_in_any_error() {
    let mut errors: Vec<(String, Error)> = Vec::new();

    // Query failures of every kind, with a token obtained first.
    let answers: Vec<(&str, Result<HttpResponse, TransportError>)> = vec![
        ("network", network()),
        ("timeout", Err(TransportError::Timeout)),
        ("401", status(401, r#"{"message":"token expired"}"#)),
        ("403", status(403, r#"{"reason":"ip not allowed"}"#)),
        ("400", status(400, "")),
        ("500", status(500, r#"{"retMsg":"parameter error"}"#)),
        ("503", status(503, "")),
        ("decode", ok("<html>")),
        ("api", ok(r#"{"retCode":"1","retMsg":"no such call"}"#)),
    ];
    for (what, answer) in answers {
        let fake = Fake::new()
            .script(TOKEN_PATH, (0..4).map(|_| token_ok(TOKEN, 3600)))
            .script(STATE_PATH, (0..2).map(|_| answer.clone()))
            .script(CREATE_PATH, (0..2).map(|_| answer.clone()))
            .script(BASIC_PATH, (0..2).map(|_| answer.clone()));
        let c = client_with(fake, |cfg| cfg.max_retries = 1);
        if let Err(e) = block_on(c.query_call_state(&state_req())) {
            errors.push((format!("query {what}"), e));
        }
        if let Err(e) = block_on(c.create_call(&create_req())) {
            errors.push((format!("createCall {what}"), e));
        }
        if let Err(e) = block_on(c.query_basic_call_info(&basic_req())) {
            errors.push((format!("cms {what}"), e));
        }
    }

    // Token fetch failures of every kind.
    let token_answers: Vec<(&str, Result<HttpResponse, TransportError>)> = vec![
        ("token 401", status(401, r#"{"error":"invalid app_secret"}"#)),
        ("token 400", status(400, r#"{"error_description":"bad request"}"#)),
        ("token network", network()),
        ("token timeout", Err(TransportError::Timeout)),
        ("token decode", ok(r#"{"Expires":600}"#)),
        ("token html", ok("<html>")),
    ];
    for (what, answer) in token_answers {
        let fake = Fake::new().script(TOKEN_PATH, (0..2).map(|_| answer.clone()));
        let c = client_with(fake, |cfg| cfg.max_retries = 0);
        let e = block_on(c.query_call_state(&state_req())).expect_err(what);
        errors.push((what.to_string(), e));
    }

    // A failing provider, and validation errors.
    let provider: Box<dyn Fn() -> TokenFuture> = Box::new(|| Box::pin(async { Err("provider down".to_string()) }));
    let c = client_with(Fake::new(), |cfg| cfg.auth = Auth::Provider(provider));
    errors.push(("provider".into(), block_on(c.query_call_state(&state_req())).expect_err("provider")));
    let mut bad = Config::new("not a url");
    bad.auth = Auth::Credentials(credentials());
    bad.cms_credentials = Some(C2Credentials::new(AK, SK));
    errors.push(("config".into(), Client::new(bad, Fake::new()).err().expect("invalid config")));

    let kinds: std::collections::HashSet<&str> = errors.iter().map(|(_, e)| e.kind.as_str()).collect();
    for kind in ["validation", "api", "http", "auth", "network", "timeout", "decode"] {
        assert!(kinds.contains(kind), "an error of kind {kind} was produced: {kinds:?}");
    }
    for (what, e) in &errors {
        assert_no_secret(what, e);
    }
}

#[test]
fn config_and_client_parts_debug_without_secrets() {
    let mut config = Config::new(BASE);
    config.auth = Auth::Credentials(credentials());
    config.cms_credentials = Some(C2Credentials::new(AK, SK));
    let text = format!("{config:?}");
    for secret in SECRETS {
        assert!(!text.contains(secret), "Config Debug contains {secret}: {text}");
    }
    assert!(text.contains(APP_KEY) && text.contains(AK), "the non-secret keys stay visible: {text}");
    let provider: Box<dyn Fn() -> TokenFuture> = Box::new(|| Box::pin(async { Ok(TOKEN.to_string()) }));
    assert!(!format!("{:?}", Auth::Provider(provider)).contains(TOKEN));
    let token = credentials().decode(200, r#"{"AccessToken":"TOKEN-xyz","Expires":600}"#).expect("token decodes");
    assert!(!format!("{token:?}").contains(TOKEN));
}

// ---------------------------------------------------------------------------------------------------------------
// Config validation

fn config_error(configure: impl FnOnce(&mut Config)) -> Error {
    let mut config = Config::new(BASE);
    configure(&mut config);
    let fake = Fake::new();
    match Client::new(config, fake) {
        Ok(_) => panic!("the configuration should be refused"),
        Err(e) => e,
    }
}

#[test]
fn config_validation_names_the_field() {
    let cases: Vec<(&str, Tweak)> = vec![
        ("baseUrl", Box::new(|c: &mut Config| c.base_url = "service.example.com".into())),
        ("baseUrl", Box::new(|c: &mut Config| c.base_url = "ftp://x".into())),
        ("baseUrl", Box::new(|c: &mut Config| c.base_url = "https://x.com/?q=1".into())),
        ("cmsBaseUrl", Box::new(|c: &mut Config| c.cms_base_url = Some("10.0.0.1:28080".into()))),
        ("timeoutMs", Box::new(|c: &mut Config| c.timeout_ms = 0)),
        ("timeoutMs", Box::new(|c: &mut Config| c.timeout_ms = 600_001)),
        ("maxRetries", Box::new(|c: &mut Config| c.max_retries = 11)),
        ("headers", Box::new(|c: &mut Config| c.headers = vec![("Bad Name".into(), "v".into())])),
        ("headers", Box::new(|c: &mut Config| c.headers = vec![("X-Ok".into(), "a\r\nb".into())])),
    ];
    for (field, configure) in cases {
        let e = config_error(configure);
        assert_eq!(e.kind, ErrorKind::Validation, "{field}: {e}");
        assert_eq!(e.field, Some(field), "{e}");
        assert!(e.to_string().contains(field), "the message names {field}: {e}");
        assert_eq!(e.attempts, 0);
    }
}

#[test]
fn config_limits_are_accepted() {
    for (timeout, retries) in [(1, 0), (600_000, 10)] {
        let mut config = Config::new("/aicc/");
        config.timeout_ms = timeout;
        config.max_retries = retries;
        assert!(Client::new(config, Fake::new()).is_ok(), "timeout {timeout}, retries {retries}");
    }
}

#[test]
fn gateway_prefix_and_extra_headers_are_used() {
    let fake = Fake::new().script(STATE_PATH, [ok(STATE_OK)]);
    let mut config = Config::new("/aicc/");
    config.headers = vec![("X-Trace".into(), "t-1".into())];
    let c = Client::new(config, fake).expect("valid config");
    block_on(c.query_call_state(&state_req())).expect("query succeeds");
    let sent = c.transport().sent_to(STATE_PATH);
    assert_eq!(sent[0].url, format!("/aicc{STATE_PATH}"));
    assert_eq!(sent[0].header("X-Trace"), Some("t-1"));
    assert_eq!(sent[0].header("Authorization"), None, "Auth::None sends no Authorization");
    assert_eq!(sent[0].header("X-APP-Key"), None, "no app key configured");
}

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
    let state = block_on(w.next(&c)).ok().flatten().map(|s| s.state);
    assert_eq!(state, Some(1));
}

#[test]
fn a_watch_ends_at_its_deadline() {
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(STATE_PATH, (0..10).map(|_| ok(STATE_CALLING)));
    let c = client_with(fake, |_| {});
    let mut w = watch(WatchOptions { interval_ms: Some(1_000), timeout_ms: Some(2_500) });
    assert_eq!(block_on(w.next(&c)).ok().flatten().map(|s| s.state), Some(1));
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
