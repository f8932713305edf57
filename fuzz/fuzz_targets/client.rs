//! The client over a scripted transport: createCall, then one query, with `Auth::Credentials` (tokenByAkSk),
//! `Auth::None` and `Auth::Provider`, driven by `futures_executor::block_on`.
//!
//! Input: parts separated by 0xFF bytes. Part 0 is the configuration: byte 0 the retries (`% 11`), byte 1
//! the query (`% 5`: queryCallState, getCalledInfo, queryCallInfoByCallId, queryBasicCallInfo,
//! queryCallDetailRecord) and whether CMS requests are C2-signed (bit 2), byte 2 the token lifetime asked for, the rest the transport's random
//! numbers. Every further part is one answer of the transport, in order, whatever the request: `T` a
//! timeout, `N<detail>` a network error, `R<detail>` a request the runtime refused to send, `<3-digit
//! status><body>` an answer (a part without a status is a 200 with that body). In bodies and details `$SECRET`, `$SK`, `$TOKEN` and `$AUTH` become the app secret, the
//! CMS SK, the last token issued and the request's Authorization value: a server echoing them. Once the
//! script is used up, the transport answers like a healthy AICC. `sleep` returns at once (advancing the clock).
//!
//! Properties: createCall is sent at most once, twice only when the first was answered 401 and the client
//! can refresh its credentials; a query at most max_retries+1 times (+1 after a 401 it can refresh); each
//! token fetch sends tokenByAkSk at most max_retries+1 times, and only with credentials; every request
//! carries the token last issued (or none, or a C2 signature); no error, in any field, contains the app
//! secret, the SK, the token or signature of the request it answers; an error is never both retryable and
//! outcome_unknown, and a createCall's outcome is unknown exactly when it was sent and then timed out, broke,
//! got 502/504 or an unreadable success; an Ok comes from a 2xx answer and re-serialises.
#![no_main]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::OnceLock;

use aicc_call::client::{Auth, Client, Config, HttpResponse, RetryPolicy, TokenFuture, Transport, TransportError};
use aicc_call::ops::{
    self, CreateCall, GetCalledInfo, Op, QueryBasicCallInfo, QueryCallDetailRecord, QueryCallInfoByCallId,
    QueryCallState, TokenByAkSk,
};
use aicc_call::sign::C2Credentials;
use aicc_call::{Error, ErrorKind, Operation};
use futures_executor::block_on;
use libfuzzer_sys::fuzz_target;

const BASE: &str = "https://service.example.com";
const CMS: &str = "https://10.22.26.181:28080";
const APP_KEY: &str = "fuzz-app-key";
const APP_SECRET: &str = "Fz-app-SECRET-0123456789";
const AK: &str = "fuzz-cms-ak";
const SK: &str = "Fz-cms-SK-9876543210";
const PROVIDED: &str = "Fz-provided-TOKEN-42";
const REDACTED: &str = "<redacted>";
/// The longest error message, in characters: the client cuts messages (and rules) after scrubbing secrets,
/// adding an ellipsis.
const MAX_MESSAGE_CHARS: usize = aicc_call::error::MAX_MESSAGE_CHARS + 1;
const MAX_RULE_CHARS: usize = aicc_call::error::MAX_RULE_CHARS + 1;
/// The longest backoff wait, in milliseconds.
const MAX_BACKOFF_MS: u32 = 5_000;

#[derive(Clone, Debug)]
enum Step {
    Timeout,
    Network(String),
    Refused(String),
    Reply(u16, String),
}

#[derive(Clone, Debug)]
struct Sent {
    path: String,
    headers: Vec<(String, String)>,
    body: String,
    answer: Result<HttpResponse, TransportError>,
}

impl Sent {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    fn status(&self) -> Option<u16> {
        self.answer.as_ref().ok().map(|r| r.status)
    }
}

struct Fake {
    script: RefCell<VecDeque<Step>>,
    log: RefCell<Vec<Sent>>,
    clock_ms: Cell<i64>,
    sleeps: RefCell<Vec<u32>>,
    randoms: Vec<f64>,
    next_random: Cell<usize>,
    ttl: u32,
    /// The token of the last tokenByAkSk answer the client can read.
    issued: RefCell<Option<String>>,
    defaults: Cell<u32>,
}

impl Fake {
    fn new(script: &[Step], randoms: Vec<f64>, ttl: u32) -> Self {
        Fake {
            script: RefCell::new(script.iter().cloned().collect()),
            log: RefCell::new(Vec::new()),
            clock_ms: Cell::new(1_700_000_000_000),
            sleeps: RefCell::new(Vec::new()),
            randoms,
            next_random: Cell::new(0),
            ttl,
            issued: RefCell::new(None),
            defaults: Cell::new(0),
        }
    }

    /// What a healthy AICC answers at `path`.
    fn default_answer(&self, path: &str) -> Step {
        let n = self.defaults.get() + 1;
        self.defaults.set(n);
        let body = match path {
            ops::token_by_ak_sk::PATH => format!(r#"{{"AccessToken":"tok-default-{n}","Expires":"600","CreateTime":"1700000000"}}"#),
            CreateCall::PATH => r#"{"retCode":"0","retMsg":"ok","result":{"callSerialNo":645735364434067472}}"#.into(),
            QueryCallState::PATH => r#"{"retCode":"0","retMsg":"ok","result":{"state":2,"caller":"88889050"}}"#.into(),
            GetCalledInfo::PATH => r#"{"retCode":"0","result":{"devType":0,"called":"6666601","skillId":1}}"#.into(),
            QueryCallInfoByCallId::PATH => r#"{"caller":70004,"called":60015,"callId":"1652317325-339"}"#.into(),
            QueryBasicCallInfo::PATH => r#"{"resultCode":"0100000","resultDesc":{"callingNum":"88881364"}}"#.into(),
            QueryCallDetailRecord::PATH => r#"{"retCode":"0","retMsg":"ok","result":{"total":0,"callInfo":[]}}"#.into(),
            _ => "{}".into(),
        };
        Step::Reply(200, body)
    }

    fn echo(&self, text: &str, headers: &[(String, String)]) -> String {
        let auth = headers.iter().find(|(k, _)| k == "Authorization").map(|(_, v)| v.clone()).unwrap_or_default();
        text.replace("$SECRET", APP_SECRET)
            .replace("$SK", SK)
            .replace("$TOKEN", self.issued.borrow().as_deref().unwrap_or_default())
            .replace("$AUTH", &auth)
    }

    fn take_log(&self) -> Vec<Sent> {
        std::mem::take(&mut *self.log.borrow_mut())
    }

    fn take_sleeps(&self) -> Vec<u32> {
        std::mem::take(&mut *self.sleeps.borrow_mut())
    }
}

impl Transport for Fake {
    async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: &str,
        timeout_ms: u32,
    ) -> Result<HttpResponse, TransportError> {
        assert_eq!(method, "POST");
        assert!(timeout_ms > 0);
        let path = url.strip_prefix(BASE).or_else(|| url.strip_prefix(CMS)).unwrap_or(url).to_string();
        let step = self.script.borrow_mut().pop_front().unwrap_or_else(|| self.default_answer(&path));
        let answer = match step {
            Step::Timeout => Err(TransportError::Timeout),
            Step::Network(detail) => Err(TransportError::Network(self.echo(&detail, headers))),
            Step::Refused(detail) => Err(TransportError::Refused(self.echo(&detail, headers))),
            Step::Reply(status, text) => Ok(HttpResponse { status, body: self.echo(&text, headers) }),
        };
        if path == ops::token_by_ak_sk::PATH {
            if let (Ok(r), Ok(req)) = (&answer, TokenByAkSk::new(APP_KEY, APP_SECRET, Some(self.ttl))) {
                if let Ok(token) = req.decode(r.status, &r.body) {
                    *self.issued.borrow_mut() = Some(token.access_token);
                }
            }
        }
        self.log.borrow_mut().push(Sent { path, headers: headers.to_vec(), body: body.to_string(), answer: answer.clone() });
        answer
    }

    async fn sleep(&self, ms: u32) {
        self.sleeps.borrow_mut().push(ms);
        self.clock_ms.set(self.clock_ms.get() + i64::from(ms));
    }

    fn now_ms(&self) -> i64 {
        self.clock_ms.get()
    }

    fn random(&self) -> f64 {
        let i = self.next_random.get();
        self.next_random.set(i + 1);
        if self.randoms.is_empty() {
            0.5
        } else {
            self.randoms[i % self.randoms.len()]
        }
    }
}

fn parse_step(part: &[u8]) -> Step {
    let text = String::from_utf8_lossy(part).into_owned();
    if text == "T" {
        return Step::Timeout;
    }
    if let Some(detail) = text.strip_prefix('N') {
        return Step::Network(detail.to_string());
    }
    if let Some(detail) = text.strip_prefix('R') {
        return Step::Refused(detail.to_string());
    }
    match text.get(..3).and_then(|s| s.parse::<u16>().ok().filter(|_| s.bytes().all(|b| b.is_ascii_digit()))) {
        Some(status) => Step::Reply(status, text[3..].to_string()),
        None => Step::Reply(200, text),
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Credentials,
    None,
    Provider,
}

/// Whether a finding already reported is to be skipped in this run: `AICC_FUZZ_KNOWN` lists their names,
/// comma-separated (see fuzz/RUNS.md). Unset, every property is checked, so regressions/ inputs reproduce.
fn known(name: &str) -> bool {
    static KNOWN: OnceLock<Vec<String>> = OnceLock::new();
    KNOWN
        .get_or_init(|| std::env::var("AICC_FUZZ_KNOWN").unwrap_or_default().split(',').map(|s| s.trim().to_string()).collect())
        .iter()
        .any(|k| k == name)
}

fn strip(s: &str) -> String {
    s.replace(REDACTED, "\u{0}")
}

/// No text of the error holds a secret the client holds: neither its fields nor the error as the JS side gets
/// it (serialised; only checked for the fixed secrets, since JSON escapes such as `\u0000` could look like a
/// short token).
fn check_no_secrets(setup: &Setup, e: &Error, extra: &[String]) {
    let code = e.code.as_ref().map(|c| c.code.clone()).unwrap_or_default();
    let fields = [strip(&e.message), strip(e.rule.as_deref().unwrap_or_default()), strip(&code)];
    let mut fixed = Vec::new();
    if setup.mode == Mode::Credentials {
        fixed.push(APP_SECRET.to_string());
    }
    if setup.signs_cms {
        fixed.push(SK.to_string());
    }
    let all = strip(&serde_json::to_string(e).unwrap_or_default());
    for secret in &fixed {
        assert!(!all.contains(secret.as_str()), "error shows a secret {secret:?}: {e:?}");
    }
    for secret in fixed.iter().chain(extra.iter().filter(|s| s.len() >= 4 && !REDACTED.contains(s.as_str()))) {
        for text in &fields {
            assert!(!text.contains(secret.as_str()), "error shows a secret {secret:?}: {e:?}");
        }
    }
}

struct Setup {
    mode: Mode,
    max_retries: u32,
    signs_cms: bool,
}

/// Checks one operation's traffic and outcome.
fn check_op<R: serde::Serialize + std::fmt::Debug>(
    setup: &Setup,
    op: Operation,
    expected_body: &str,
    result: &Result<R, Error>,
    log: &[Sent],
    sleeps: &[u32],
    token_before: Option<String>,
) {
    let path = op.path();
    let service = op.endpoint() == ops::Endpoint::Service;
    let can_refresh = match setup.mode {
        Mode::None => false,
        Mode::Credentials => service,
        Mode::Provider => service || !setup.signs_cms,
    };
    let op_sends: Vec<&Sent> = log.iter().filter(|s| s.path == path).collect();
    let token_sends = log.iter().filter(|s| s.path == ops::token_by_ak_sk::PATH).count();
    assert_eq!(op_sends.len() + token_sends, log.len(), "a request to another path: {log:?}");
    let refused_401 = op_sends.iter().any(|s| s.status() == Some(401));

    // How often the operation is sent.
    let n = op_sends.len() as u32;
    if op == Operation::CreateCall {
        assert!(n <= 1 + u32::from(can_refresh && refused_401), "createCall sent {n} times: {log:?}");
        if n == 2 {
            assert_eq!(op_sends[0].status(), Some(401), "createCall resent after {:?}", op_sends[0].answer);
        }
    } else {
        let limit = setup.max_retries + 1 + u32::from(can_refresh && refused_401);
        assert!(n <= limit, "{op:?} sent {n} times, limit {limit} (retries {}): {log:?}", setup.max_retries);
    }

    // Token fetches: only with credentials, each at most max_retries+1 sends, at most one per 401 refresh.
    if setup.mode != Mode::Credentials || !service {
        assert_eq!(token_sends, 0, "{:?} {op:?} fetched a token", setup.mode);
    }
    let mut runs = Vec::new();
    let mut run = 0u32;
    for s in log {
        if s.path == ops::token_by_ak_sk::PATH {
            run += 1;
        } else if run > 0 {
            runs.push(run);
            run = 0;
        }
    }
    if run > 0 {
        runs.push(run);
    }
    for r in &runs {
        assert!(*r <= setup.max_retries + 1, "one token fetch sent {r} requests (retries {}): {log:?}", setup.max_retries);
    }
    // One fetch before the first attempt, and one more before a later attempt only when a 401 refused the
    // token or it expired meanwhile (the clock moves on with every backoff).
    assert!(runs.len() <= 1 + op_sends.len(), "{} token fetches for {} attempts: {log:?}", runs.len(), op_sends.len());
    if sleeps.is_empty() {
        assert!(runs.len() <= 1 + usize::from(refused_401), "{} token fetches: {log:?}", runs.len());
    }

    // What each request carries.
    let mut token = token_before;
    for s in log {
        if s.path == ops::token_by_ak_sk::PATH {
            let body = aicc_call::wire::parse_object(&s.body).unwrap_or_default();
            assert_eq!(body.string("app_key").ok().flatten().as_deref(), Some(APP_KEY));
            assert_eq!(body.string("app_secret").ok().flatten().as_deref(), Some(APP_SECRET));
            assert!(s.header("Authorization").is_none());
            if let Ok(r) = &s.answer {
                if let Ok(t) = TokenByAkSk::new(APP_KEY, APP_SECRET, None).and_then(|q| q.decode(r.status, &r.body)) {
                    token = Some(t.access_token);
                }
            }
            continue;
        }
        assert_eq!(s.body, expected_body, "{op:?} sent another body");
        let auth = s.header("Authorization");
        match (setup.mode, service, setup.signs_cms) {
            (Mode::Credentials, true, _) => {
                assert_eq!(auth.map(str::to_string), token.as_ref().map(|t| format!("Bearer {t}")), "{op:?}: not the token last issued");
                assert_eq!(s.header("X-APP-Key"), Some(APP_KEY));
            }
            (Mode::Provider, true, _) | (Mode::Provider, false, false) => assert_eq!(auth, Some(format!("Bearer {PROVIDED}").as_str())),
            (_, false, true) => assert!(auth.is_some_and(|a| a.starts_with(&format!("auth-v2/{AK}/"))), "{auth:?}"),
            _ => assert_eq!(auth, None, "{:?} {op:?} sent credentials", setup.mode),
        }
    }

    // Sleeps: only between retries, each within the cap.
    assert!(sleeps.iter().all(|ms| *ms <= MAX_BACKOFF_MS), "{sleeps:?}");
    assert!(sleeps.len() <= log.len(), "{} sleeps for {} requests", sleeps.len(), log.len());
    if op == Operation::CreateCall {
        let op_sleeps = sleeps.len() as i64 - (token_sends as i64 - runs.len() as i64);
        assert!(op_sleeps <= 0, "createCall waited to retry: {sleeps:?} {log:?}");
    }

    let last = log.last();
    match result {
        Ok(value) => {
            let last = last.filter(|s| s.path == path);
            assert!(last.is_some_and(|s| s.status().is_some_and(|st| (200..=299).contains(&st))), "Ok without a 2xx: {log:?}");
            let text = serde_json::to_string(value);
            assert!(text.is_ok(), "{text:?}");
        }
        Err(e) => {
            assert!(!e.message.trim().is_empty(), "{e:?}");
            assert!(e.message.chars().count() <= MAX_MESSAGE_CHARS, "message of {} chars", e.message.chars().count());
            assert!(e.rule.as_ref().is_none_or(|r| r.chars().count() <= MAX_RULE_CHARS), "rule too long: {e:?}");
            assert!(!(e.retryable && e.outcome_unknown), "retryable and outcome_unknown: {e:?}");
            assert_eq!(e.operation, op, "{e:?}");
            // The token and signature of the request this error answers never show.
            let mut carried = if setup.mode == Mode::Provider { vec![PROVIDED.to_string()] } else { vec![] };
            if let Some(s) = last {
                if let Some(a) = s.header("Authorization") {
                    if a.starts_with("Bearer ") || !known("c2-signature-echo") {
                        carried.push(a.trim_start_matches("Bearer ").to_string());
                    }
                    if !known("c2-signature-echo") {
                        carried.extend(a.rsplit('/').next().filter(|sig| sig.len() == 64).map(str::to_string));
                    }
                }
            }
            check_no_secrets(setup, e, &carried);
            let sent_last = last.is_some_and(|s| s.path == path);
            if op == Operation::CreateCall {
                let may_have_been_placed = sent_last
                    && match e.kind {
                        ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Decode => true,
                        ErrorKind::Http => matches!(e.status, Some(502 | 504)),
                        _ => false,
                    };
                assert_eq!(e.outcome_unknown, may_have_been_placed, "createCall outcome: {e:?} after {log:?}");
            } else {
                assert!(!e.outcome_unknown, "{e:?}");
            }
        }
    }
}

/// A decoded answer as JSON; it must serialise.
fn json<R: serde::Serialize>(value: R) -> serde_json::Value {
    let v = serde_json::to_value(value);
    assert!(v.is_ok(), "an Ok result does not serialise: {v:?}");
    v.unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0xFF);
    let config = parts.next().unwrap_or_default();
    let b = |i: usize| config.get(i).copied().unwrap_or(0);
    let script: Vec<Step> = parts.take(64).map(parse_step).collect();
    let max_retries = u32::from(b(0)) % 11;
    let query = b(1) % 5;
    let signs_cms = b(1) & 4 != 0;
    let ttl = 1 + u32::from(b(2)) * 14;
    let randoms: Vec<f64> = config.iter().skip(3).map(|r| f64::from(*r) / 256.0).collect();

    let call = CreateCall::builder("88889050", "88889060").call_data("order-1234").build();
    let state = QueryCallState::new("645735364434067472");
    let called = GetCalledInfo::new("88889050", "6666601");
    let info = QueryCallInfoByCallId::new("1652317325-339", "1652268429538866153", "202205116084", "101");
    let basic = QueryBasicCallInfo::new(1, 1, "1453723531-574");
    let records = QueryCallDetailRecord::new(1_699_990_000_000, 1_700_000_000_000).and_then(|r| r.caller("88889050"));
    let (Ok(call), Ok(state), Ok(called), Ok(info), Ok(basic), Ok(records)) = (call, state, called, info, basic, records) else {
        panic!("sample requests must be valid")
    };

    for mode in [Mode::Credentials, Mode::None, Mode::Provider] {
        let mut cfg = Config::new(BASE);
        cfg.cms_base_url = Some(CMS.to_string());
        cfg.retry = match RetryPolicy::new(max_retries, 200, MAX_BACKOFF_MS) {
            Ok(policy) => policy,
            Err(e) => panic!("{e:?}"),
        };
        cfg.timeout_ms = 1000;
        cfg.auth = match mode {
            Mode::Credentials => match TokenByAkSk::new(APP_KEY, APP_SECRET, Some(ttl)) {
                Ok(t) => Auth::Credentials(t),
                Err(e) => panic!("{e:?}"),
            },
            Mode::None => Auth::None,
            Mode::Provider => Auth::Provider(Box::new(|| -> TokenFuture { Box::pin(async { Ok(PROVIDED.to_string()) }) })),
        };
        if signs_cms {
            cfg.cms_credentials = Some(C2Credentials::new(AK, SK));
        }
        let setup = Setup { mode, max_retries, signs_cms };
        let client = match Client::new(cfg, Fake::new(&script, randoms.clone(), ttl)) {
            Ok(client) => client,
            Err(e) => panic!("config refused: {e:?}"),
        };
        let fake = client.transport();

        let before = fake.issued.borrow().clone();
        let placed = block_on(client.call(&call));
        check_op(&setup, Operation::CreateCall, &call.body(), &placed, &fake.take_log(), &fake.take_sleeps(), before);

        let before = fake.issued.borrow().clone();
        let (op, body, result) = match query {
            0 => (Operation::QueryCallState, state.body(), block_on(client.call(&state)).map(json)),
            1 => (Operation::GetCalledInfo, called.body(), block_on(client.call(&called)).map(json)),
            2 => (Operation::QueryCallInfoByCallId, info.body(), block_on(client.call(&info)).map(json)),
            3 => (Operation::QueryBasicCallInfo, basic.body(), block_on(client.call(&basic)).map(json)),
            _ => (Operation::QueryCallDetailRecord, records.body(), block_on(client.call(&records)).map(json)),
        };
        check_op(&setup, op, &body, &result, &fake.take_log(), &fake.take_sleeps(), before);
    }
});
