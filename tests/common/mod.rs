//! What the host tests of `Client` share: an in-memory transport with scripted answers, a fake clock and a
//! record of requests, and the requests and answers they use.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use aicc_call::client::{Auth, Client, Config, HttpResponse, Transport, TransportError};
use aicc_call::ops::{self, CreateCall, QueryBasicCallInfo, QueryCallState, TokenByAkSk};
use aicc_call::sign::{C2Credentials, SignedRequest};

pub const BASE: &str = "https://service.example.com";
pub const CMS: &str = "https://10.22.26.181:28080";
pub const APP_KEY: &str = "app-key-1";
pub const APP_SECRET: &str = "S3CRET-app";
pub const AK: &str = "cms-ak-1";
pub const SK: &str = "S3CRET-sk";
pub const TOKEN: &str = "TOKEN-xyz";
pub const SECRETS: [&str; 3] = [APP_SECRET, SK, TOKEN];
pub const START_MS: i64 = 1_700_000_000_000;

pub const TOKEN_PATH: &str = ops::token_by_ak_sk::PATH;
pub const CREATE_PATH: &str = ops::create_call::PATH;
pub const STATE_PATH: &str = ops::query_call_state::PATH;
pub const CALLED_PATH: &str = ops::get_called_info::PATH;
pub const INFO_PATH: &str = ops::query_call_info_by_call_id::PATH;
pub const BASIC_PATH: &str = ops::query_basic_call_info::PATH;

pub const STATE_OK: &str = r#"{"retMsg":"ok","retCode":"0","result":{"caller":"88889050","called":"88889060","state":2}}"#;
pub const CREATE_OK: &str = r#"{"retCode":"0","retMsg":"ok","result":{"callSerialNo":645735364434067472}}"#;
pub const CALLED_OK: &str = r#"{"retCode":"0","retMsg":"ok","result":{"devType":1,"called":"88889060"}}"#;
pub const INFO_OK: &str = r#"{"caller":70004,"called":60015,"mediaAbility":1,"callId":"1652317325-339","callType":0}"#;
pub const BASIC_OK: &str = r#"{"resultCode":"0100000","resultDesc":{"callingNum":"88881364","calledNum":"650550","trunkNo":582}}"#;

/// What the transport answers to one request.
pub type Answer = Result<HttpResponse, TransportError>;
/// Changes one option of a configuration.
pub type Tweak = Box<dyn FnOnce(&mut Config)>;

/// One request as the transport saw it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub at_ms: i64,
}

impl Sent {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An in-memory transport: scripted answers per path, a record of requests, a fake clock and fixed randomness.
pub struct Fake {
    answers: RefCell<Vec<(String, VecDeque<Answer>)>>,
    sent: RefCell<Vec<Sent>>,
    clock_ms: Cell<i64>,
    sleeps: RefCell<Vec<u32>>,
    random: f64,
    /// Whether `send` yields once before answering, so that concurrent callers interleave.
    yield_on_send: bool,
}

impl Fake {
    pub fn new() -> Self {
        Fake {
            answers: RefCell::new(Vec::new()),
            sent: RefCell::new(Vec::new()),
            clock_ms: Cell::new(START_MS),
            sleeps: RefCell::new(Vec::new()),
            random: 0.5,
            yield_on_send: false,
        }
    }

    pub fn yielding(mut self) -> Self {
        self.yield_on_send = true;
        self
    }

    /// Queues `answers` for `path`, after any already queued.
    pub fn script(self, path: &str, answers: impl IntoIterator<Item = Result<HttpResponse, TransportError>>) -> Self {
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

    pub fn sent(&self) -> Vec<Sent> {
        self.sent.borrow().clone()
    }

    pub fn sent_to(&self, path: &str) -> Vec<Sent> {
        self.sent.borrow().iter().filter(|s| s.url.ends_with(path)).cloned().collect()
    }

    pub fn advance(&self, ms: i64) {
        self.clock_ms.set(self.clock_ms.get() + ms);
    }

    pub fn sleeps(&self) -> Vec<u32> {
        self.sleeps.borrow().clone()
    }
}

/// Pending once, then ready: lets `join_all` poll the other futures in between.
pub struct YieldOnce(pub bool);

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
        if self.yield_on_send {
            YieldOnce(false).await;
        }
    }

    fn now_ms(&self) -> i64 {
        self.clock_ms.get()
    }

    fn random(&self) -> f64 {
        self.random
    }
}

pub fn ok(body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse { status: 200, body: body.to_string() })
}

pub fn status(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse { status, body: body.to_string() })
}

pub fn token_ok(token: &str, expires: u32) -> Result<HttpResponse, TransportError> {
    ok(&format!(r#"{{"AccessToken":"{token}","Expires":{expires},"CreateTime":1700000000}}"#))
}

pub fn network() -> Result<HttpResponse, TransportError> {
    Err(TransportError::Network("connection reset".into()))
}

pub fn credentials() -> TokenByAkSk {
    TokenByAkSk::new(APP_KEY, APP_SECRET, Some(600)).expect("valid token request")
}

/// A client with tokenByAkSk credentials and C2 credentials for the CMS endpoint.
pub fn client_with(fake: Fake, configure: impl FnOnce(&mut Config)) -> Client<Fake> {
    let mut config = Config::new(BASE);
    config.cms_base_url = Some(CMS.into());
    config.auth = Auth::Credentials(credentials());
    config.cms_credentials = Some(C2Credentials::new(AK, SK));
    configure(&mut config);
    Client::new(config, fake).expect("valid config")
}

pub fn client(fake: Fake) -> Client<Fake> {
    client_with(fake, |_| {})
}

pub fn state_req() -> QueryCallState {
    QueryCallState::new("645735364434067472").expect("valid serial")
}

pub fn create_req() -> CreateCall {
    CreateCall::builder("88889050", "88889060").build().expect("valid createCall")
}

pub fn basic_req() -> QueryBasicCallInfo {
    QueryBasicCallInfo::new(1, 1, "1652317325-339").expect("valid basic call info request")
}

pub fn assert_common(sent: &Sent, url: &str, body: &str) {
    assert_eq!(sent.url, url, "URL");
    assert_eq!(sent.method, "POST", "method of {url}");
    assert_eq!(sent.body, body, "body sent to {url}");
    assert_eq!(sent.header("X-APP-Key"), Some(APP_KEY), "X-APP-Key sent to {url}");
}


pub fn expected_c2(body: &str, at_ms: i64, host: &str) -> String {
    let signed = SignedRequest { method: "POST", path: BASIC_PATH, query: &[], headers: &[("host", host)], body };
    C2Credentials::new(AK, SK).authorization(&signed, at_ms)
}

pub fn assert_c2_shape(auth: &str) {
    let parts: Vec<&str> = auth.split('/').collect();
    assert_eq!(parts.len(), 5, "auth-v2/<ak>/<time>/host/<sig>: {auth}");
    assert_eq!(parts[0], "auth-v2");
    assert_eq!(parts[1], AK);
    assert_eq!(parts[3], "host");
    assert_eq!(parts[4].len(), 64, "signature is 64 hex digits");
    assert!(parts[4].bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()), "lowercase hex: {auth}");
}
