//! The client: authentication (token cache with a single fetch in flight, C2 signing), timeouts and safe retries
//! over a [`Transport`] that only moves bytes. Pure logic: the wasm transport lives in `src/wasm/`, tests use
//! an in-memory one.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

use futures_channel::oneshot;

use crate::error::{Error, ErrorKind};
use crate::ops::{
    self, BasicCallInfo, CallInfo, CallPlaced, CallState, CalledInfo, CreateCall, Endpoint, GetCalledInfo,
    HttpRequest, Operation, QueryBasicCallInfo, QueryCallInfoByCallId, QueryCallState, Token, TokenByAkSk,
};
use crate::sign::{C2Credentials, SignedRequest};

/// What a transport answers: a status and the body as text (never parsed outside Rust).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// The body, read as text.
    pub body: String,
}

/// Why a transport got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// Nothing arrived within the timeout.
    Timeout,
    /// The connection failed or broke; the text must not contain secrets.
    Network(String),
}

/// Moves one request to a URL and back. Implementations decide nothing about AICC.
#[allow(async_fn_in_trait)]
pub trait Transport {
    /// Sends `body` with `headers` to `url` and reads the whole answer as text, giving up after `timeout_ms`.
    async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: &str,
        timeout_ms: u32,
    ) -> Result<HttpResponse, TransportError>;
    /// Waits `ms` milliseconds.
    async fn sleep(&self, ms: u32);
    /// The current time in milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
    /// A random number in `0.0..1.0`, for retry jitter.
    fn random(&self) -> f64;
}

/// A future returned by a token source.
pub type TokenFuture = Pin<Box<dyn Future<Output = Result<String, String>>>>;

/// How the client authenticates to the AICC service domain.
pub enum Auth {
    /// No Authorization header (a gateway adds it).
    None,
    /// tokenByAkSk with the app key and secret; the token is cached until shortly before it expires.
    Credentials(TokenByAkSk),
    /// The caller's own bearer-token source, asked before each request and again once after a 401.
    Provider(Box<dyn Fn() -> TokenFuture>),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::None => f.write_str("Auth::None"),
            Auth::Credentials(c) => write!(f, "Auth::Credentials({c:?})"),
            Auth::Provider(_) => f.write_str("Auth::Provider(..)"),
        }
    }
}

/// Default time to wait for an answer, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// Default number of retries of a query after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// First backoff step in milliseconds; step n waits a random time up to `BACKOFF_BASE_MS * 2^n`.
const BACKOFF_BASE_MS: f64 = 200.0;
/// The longest backoff wait in milliseconds.
const BACKOFF_CAP_MS: f64 = 5_000.0;
/// The ITA code for "Too Many Requests", retried like HTTP 429.
const ITA_TOO_MANY_REQUESTS: &str = "90104029";
/// Fetch a new token this long before the cached one expires, at most (milliseconds).
const TOKEN_REFRESH_MARGIN_MS: i64 = 60_000;

/// Everything the client needs besides the transport. `Debug` shows header names, never values.
pub struct Config {
    /// The AICC service domain (`https://service.besclouds.com`) or a gateway prefix (`/aicc`).
    pub base_url: String,
    /// The CMS openapi base (`https://ip:port`); the service base URL when absent.
    pub cms_base_url: Option<String>,
    /// Sent as `X-APP-Key` (defaults to the credentials' app key).
    pub app_key: Option<String>,
    /// How to authenticate to the service domain.
    pub auth: Auth,
    /// AK/SK for the C2 signature of the CMS openapi.
    pub cms_credentials: Option<C2Credentials>,
    /// Extra headers sent with every request.
    pub headers: Vec<(String, String)>,
    /// Time to wait for each answer.
    pub timeout_ms: u32,
    /// Retries of a query after the first attempt (createCall is never retried).
    pub max_retries: u32,
}

impl Config {
    /// A configuration with defaults for `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Config {
            base_url: base_url.into(),
            cms_base_url: None,
            app_key: None,
            auth: Auth::None,
            cms_credentials: None,
            headers: Vec::new(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            max_retries: DEFAULT_MAX_RETRIES,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("cms_base_url", &self.cms_base_url)
            .field("app_key", &self.app_key)
            .field("auth", &self.auth)
            .field("cms_credentials", &self.cms_credentials)
            .field("headers", &self.headers.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>())
            .field("timeout_ms", &self.timeout_ms)
            .field("max_retries", &self.max_retries)
            .finish()
    }
}

#[derive(Clone)]
struct CachedToken {
    token: String,
    refresh_at_ms: i64,
}

type TokenWaiters = Vec<oneshot::Sender<Result<CachedToken, Error>>>;

#[derive(Default)]
struct TokenCache {
    token: Option<CachedToken>,
    /// `Some` while one fetch is in flight: the callers waiting for its result.
    waiters: Option<TokenWaiters>,
}

/// An AICC client over a transport.
pub struct Client<T: Transport> {
    transport: T,
    base_url: String,
    cms_base_url: String,
    cms_host: String,
    app_key: Option<String>,
    auth: Auth,
    cms_credentials: Option<C2Credentials>,
    headers: Vec<(String, String)>,
    timeout_ms: u32,
    max_retries: u32,
    tokens: RefCell<TokenCache>,
    /// The last token the caller's `token()` source gave, kept only to scrub it from error texts.
    provided_token: RefCell<Option<String>>,
}

/// Where to send a request: its endpoint's base URL and the Authorization header to use.
enum Credential {
    None,
    Bearer(String),
    C2,
}

impl<T: Transport> Client<T> {
    /// Checks the configuration and creates a client. Errors name the option at fault.
    pub fn new(config: Config, transport: T) -> Result<Self, Error> {
        let op = Operation::Configuration;
        let base_url = check_base_url(op, "baseUrl", &config.base_url)?;
        let cms_base_url = match &config.cms_base_url {
            Some(url) => check_base_url(op, "cmsBaseUrl", url)?,
            None => base_url.clone(),
        };
        if config.timeout_ms == 0 || config.timeout_ms > 600_000 {
            return Err(Error::validation(op, "timeoutMs", "must be between 1 and 600000 milliseconds"));
        }
        if config.max_retries > 10 {
            return Err(Error::validation(op, "maxRetries", "must be between 0 and 10"));
        }
        for (name, value) in &config.headers {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return Err(Error::validation(op, "headers", "names must be letters, digits, - and _"));
            }
            if value.chars().any(|c| c.is_control()) {
                return Err(Error::validation(op, "headers", "values must not contain control characters"));
            }
        }
        let app_key = config.app_key.clone().or_else(|| match &config.auth {
            Auth::Credentials(c) => Some(c.app_key().to_string()),
            _ => None,
        });
        Ok(Client {
            transport,
            cms_host: host_of(&cms_base_url),
            base_url,
            cms_base_url,
            app_key,
            auth: config.auth,
            cms_credentials: config.cms_credentials,
            headers: config.headers,
            timeout_ms: config.timeout_ms,
            max_retries: config.max_retries,
            tokens: RefCell::new(TokenCache::default()),
            provided_token: RefCell::new(None),
        })
    }

    /// The transport, for callers that share its clock.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Places a bidirectional call. Never retried: a timeout or broken connection gives `outcome_unknown`.
    pub async fn create_call(&self, request: &CreateCall) -> Result<CallPlaced, Error> {
        self.execute(request.http(), CreateCall::decode).await
    }

    /// Reads a call's state.
    pub async fn query_call_state(&self, request: &QueryCallState) -> Result<CallState, Error> {
        self.execute(request.http(), QueryCallState::decode).await
    }

    /// Reads the destination device of a called number.
    pub async fn get_called_info(&self, request: &GetCalledInfo) -> Result<CalledInfo, Error> {
        self.execute(request.http(), GetCalledInfo::decode).await
    }

    /// Reads workbench call information.
    pub async fn query_call_info_by_call_id(&self, request: &QueryCallInfoByCallId) -> Result<CallInfo, Error> {
        self.execute(request.http(), QueryCallInfoByCallId::decode).await
    }

    /// Reads CMS basic call information, C2-signed when CMS credentials are configured.
    pub async fn query_basic_call_info(&self, request: &QueryBasicCallInfo) -> Result<BasicCallInfo, Error> {
        self.execute(request.http(), QueryBasicCallInfo::decode).await
    }

    /// Sends an already validated request and returns the answer's status and body untouched (for gateways),
    /// with the same authentication, timeout and retry rules as the typed operations.
    pub async fn forward(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let op = request.operation;
        self.execute(request, |status, body| {
            // Classify the answer only to decide on refreshing and retrying; the gateway returns it as it is.
            match status {
                401 => Err(Error::auth(op, Some(401), "credentials refused (HTTP 401)")),
                429 | 502 | 503 | 504 => Err(Error::http(op, status)),
                _ => Ok(HttpResponse { status, body: body.to_string() }),
            }
        })
        .await
    }

    async fn execute<R>(&self, request: HttpRequest, decode: impl Fn(u16, &str) -> Result<R, Error>) -> Result<R, Error> {
        self.execute_unscrubbed(request, decode).await.map_err(|e| self.scrub(e))
    }

    /// Removes any secret a server may have echoed into an error's text.
    fn scrub(&self, mut error: Error) -> Error {
        let mut secrets: Vec<String> = Vec::new();
        if let Auth::Credentials(c) = &self.auth {
            secrets.push(c.app_secret().to_string());
        }
        if let Some(c) = &self.cms_credentials {
            secrets.push(c.sk().to_string());
        }
        if let Ok(cache) = self.tokens.try_borrow() {
            secrets.extend(cache.token.as_ref().map(|t| t.token.clone()));
        }
        if let Ok(last) = self.provided_token.try_borrow() {
            secrets.extend(last.clone());
        }
        for secret in secrets.iter().filter(|s| s.len() >= 4) {
            error.message = error.message.replace(secret.as_str(), "<redacted>");
        }
        error
    }

    async fn execute_unscrubbed<R>(&self, request: HttpRequest, decode: impl Fn(u16, &str) -> Result<R, Error>) -> Result<R, Error> {
        let op = request.operation;
        let mut attempts = 0u32;
        let mut refreshed = false;
        loop {
            attempts += 1;
            let credential = match self.credential(op, refreshed).await {
                Ok(credential) => credential,
                // Nothing was sent: no retry or 401 refresh here (the token fetch retried on its own), and a
                // createCall that was never sent has a known outcome.
                Err(mut error) => {
                    error.operation = op;
                    error.attempts += attempts - 1;
                    return Err(error);
                }
            };
            let outcome = self.attempt(&request, credential).await.and_then(|r| decode(r.status, &r.body));
            let error = match outcome {
                Ok(value) => return Ok(value),
                Err(e) => e,
            };
            if error.kind == ErrorKind::Auth && error.status == Some(401) && !refreshed && self.can_refresh(op) {
                // A 401 means the request was refused unread, so sending it again is safe even for createCall.
                refreshed = true;
                self.forget_token();
                continue;
            }
            if op.is_idempotent() && attempts <= self.max_retries && is_retried(&error) {
                self.transport.sleep(self.backoff_ms(attempts)).await;
                continue;
            }
            let mut error = if !op.is_idempotent() && may_have_been_placed(&error) { error.with_outcome_unknown() } else { error };
            error.attempts = attempts;
            return Err(error);
        }
    }

    async fn credential(&self, op: Operation, fresh_token: bool) -> Result<Credential, Error> {
        match op.endpoint() {
            Endpoint::Service => self.bearer(op, fresh_token).await,
            // Without CMS credentials the CMS path goes to a gateway: send the caller's own token() there, never
            // an AICC token fetched with app credentials.
            Endpoint::Cms if self.cms_credentials.is_some() => Ok(Credential::C2),
            Endpoint::Cms if matches!(self.auth, Auth::Provider(_)) => self.bearer(op, fresh_token).await,
            Endpoint::Cms => Ok(Credential::None),
        }
    }

    async fn attempt(&self, request: &HttpRequest, credential: Credential) -> Result<HttpResponse, Error> {
        let op = request.operation;
        let base = match op.endpoint() {
            Endpoint::Service => &self.base_url,
            Endpoint::Cms => &self.cms_base_url,
        };
        let mut headers = request.headers.clone();
        if let Some(key) = &self.app_key {
            headers.push(("X-APP-Key".into(), key.clone()));
        }
        headers.extend(self.headers.iter().cloned());
        match credential {
            Credential::None => {}
            Credential::Bearer(token) => headers.push(("Authorization".into(), format!("Bearer {token}"))),
            Credential::C2 => {
                if let Some(creds) = &self.cms_credentials {
                    let signed = SignedRequest {
                        method: request.method,
                        path: request.path,
                        query: &[],
                        headers: &[("host", &self.cms_host)],
                        body: &request.body,
                    };
                    headers.push(("Authorization".into(), creds.authorization(&signed, self.transport.now_ms())));
                }
            }
        }
        let url = format!("{base}{}", request.path);
        self.transport
            .send(request.method, &url, &headers, &request.body, self.timeout_ms)
            .await
            .map_err(|e| match e {
                TransportError::Timeout => Error::timeout(op, self.timeout_ms),
                TransportError::Network(detail) => Error::network(op, &detail),
            })
    }

    fn can_refresh(&self, op: Operation) -> bool {
        match op.endpoint() {
            Endpoint::Service => !matches!(self.auth, Auth::None),
            Endpoint::Cms => self.cms_credentials.is_none() && matches!(self.auth, Auth::Provider(_)),
        }
    }

    fn backoff_ms(&self, attempt: u32) -> u32 {
        let ceiling = (BACKOFF_BASE_MS * 2f64.powi(attempt.saturating_sub(1).min(16) as i32)).min(BACKOFF_CAP_MS);
        // Full jitter, but never less than a tenth of the step so that retries are not instantaneous.
        let wait = ceiling * (0.1 + 0.9 * self.transport.random().clamp(0.0, 1.0));
        wait as u32
    }

    fn forget_token(&self) {
        self.tokens.borrow_mut().token = None;
    }

    async fn bearer(&self, op: Operation, fresh: bool) -> Result<Credential, Error> {
        match &self.auth {
            Auth::None => Ok(Credential::None),
            Auth::Provider(source) => match source().await {
                Ok(token) if !token.trim().is_empty() => {
                    let token = token.trim().to_string();
                    if let Ok(mut last) = self.provided_token.try_borrow_mut() {
                        *last = Some(token.clone());
                    }
                    Ok(Credential::Bearer(token))
                }
                Ok(_) => Err(Error::auth(op, None, "the token() source returned an empty token")),
                Err(why) => Err(Error::auth(op, None, format!("the token() source failed: {}", crate::error::truncate(&why, 200)))),
            },
            Auth::Credentials(request) => {
                let _ = fresh;
                self.cached_token(op, request).await.map(|t| Credential::Bearer(t.token))
            }
        }
    }

    /// The cached token while it is fresh; otherwise one fetch, shared by every caller that asks meanwhile.
    async fn cached_token(&self, op: Operation, request: &TokenByAkSk) -> Result<CachedToken, Error> {
        let waiting = {
            let mut cache = self.tokens.borrow_mut();
            if let Some(token) = cache.token.as_ref().filter(|t| self.transport.now_ms() < t.refresh_at_ms) {
                return Ok(token.clone());
            }
            match cache.waiters.as_mut() {
                Some(waiters) => {
                    let (tx, rx) = oneshot::channel();
                    waiters.push(tx);
                    Some(rx)
                }
                None => {
                    cache.waiters = Some(Vec::new());
                    None
                }
            }
        };
        if let Some(rx) = waiting {
            return match rx.await {
                Ok(result) => result,
                Err(_) => Err(Error::auth(op, None, "the token request in flight was cancelled")),
            };
        }
        let flight = FlightGuard(&self.tokens);
        let result = self.fetch_token(request).await.map(|token| {
            let lifetime_ms = i64::from(token.expires_in_seconds) * 1000;
            let margin = TOKEN_REFRESH_MARGIN_MS.min(lifetime_ms / 5);
            CachedToken { token: token.access_token, refresh_at_ms: self.transport.now_ms() + lifetime_ms - margin }
        });
        let waiters = {
            let mut cache = self.tokens.borrow_mut();
            cache.token = result.as_ref().ok().cloned();
            cache.waiters.take().unwrap_or_default()
        };
        std::mem::forget(flight);
        for waiter in waiters {
            let _ = waiter.send(result.clone());
        }
        result.map_err(|mut e| {
            e.operation = op;
            e
        })
    }

    async fn fetch_token(&self, request: &TokenByAkSk) -> Result<Token, Error> {
        let http = request.http();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let url = format!("{}{}", self.base_url, http.path);
            let answer = self.transport.send(http.method, &url, &http.headers, &http.body, self.timeout_ms).await;
            let result = match answer {
                Ok(r) => request.decode(r.status, &r.body),
                Err(TransportError::Timeout) => Err(Error::timeout(Operation::TokenByAkSk, self.timeout_ms)),
                Err(TransportError::Network(d)) => Err(Error::network(Operation::TokenByAkSk, &d)),
            };
            match result {
                Err(e) if attempts <= self.max_retries && is_retried(&e) => {
                    self.transport.sleep(self.backoff_ms(attempts)).await;
                }
                other => {
                    return other.map_err(|mut e| {
                        e.attempts = attempts;
                        if e.kind != ErrorKind::Auth {
                            e.message = format!("could not obtain a token: {}", e.message);
                        }
                        e
                    })
                }
            }
        }
    }
}

/// Refuses secrets in a runtime that would ship them to every visitor (a browser page).
pub fn refuse_secrets_in_browser(config: &Config) -> Result<(), Error> {
    const WHY: &str = "must not be used in a browser: the secret would reach every visitor of the page. \
        Keep it on a server or edge worker (createGateway) and point the browser's baseUrl at the gateway";
    if matches!(config.auth, Auth::Credentials(_)) {
        return Err(Error::validation(Operation::Configuration, "credentials", WHY));
    }
    if config.cms_credentials.is_some() {
        return Err(Error::validation(Operation::Configuration, "cmsCredentials", WHY));
    }
    Ok(())
}

/// Follows a call by polling queryCallState, yielding each new state and ending after `ended`.
#[derive(Debug, Clone)]
pub struct Watch {
    request: QueryCallState,
    interval_ms: u32,
    last_state: Option<u32>,
    polled: bool,
    finished: bool,
}

impl Watch {
    /// Shortest polling interval accepted, in milliseconds.
    pub const MIN_INTERVAL_MS: u32 = 100;
    /// Polling interval when none is given, in milliseconds.
    pub const DEFAULT_INTERVAL_MS: u32 = 1_000;

    /// Checks the serial and the interval (`intervalMs`, 100..=60000) and prepares the watch.
    pub fn new(call_serial_no: impl Into<String>, interval_ms: Option<u32>) -> Result<Self, Error> {
        let request = QueryCallState::new(call_serial_no)?;
        let interval_ms = interval_ms.unwrap_or(Self::DEFAULT_INTERVAL_MS);
        if !(Self::MIN_INTERVAL_MS..=60_000).contains(&interval_ms) {
            return Err(Error::validation(Operation::QueryCallState, "intervalMs", "must be between 100 and 60000 milliseconds"));
        }
        Ok(Watch { request, interval_ms, last_state: None, polled: false, finished: false })
    }

    /// Whether the call has been seen ended (or the watch was stopped): `next` yields nothing more.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Stops the watch.
    pub fn stop(&mut self) {
        self.finished = true;
    }

    /// Polls until the state differs from the last one yielded; `None` once the call has ended or `stopped()`
    /// says so (checked before every poll).
    pub async fn next<T: Transport>(&mut self, client: &Client<T>, stopped: &dyn Fn() -> bool) -> Result<Option<CallState>, Error> {
        while !self.finished {
            if self.polled {
                client.transport.sleep(self.interval_ms).await;
            }
            if stopped() {
                self.finished = true;
                break;
            }
            self.polled = true;
            let state = client.query_call_state(&self.request).await?;
            if self.last_state != Some(state.state) {
                self.last_state = Some(state.state);
                self.finished = state.is_ended();
                return Ok(Some(state));
            }
        }
        Ok(None)
    }
}

/// Clears the in-flight marker if a token fetch is abandoned midway, so later calls can fetch again.
struct FlightGuard<'a>(&'a RefCell<TokenCache>);

impl Drop for FlightGuard<'_> {
    fn drop(&mut self) {
        if let Ok(mut cache) = self.0.try_borrow_mut() {
            cache.waiters = None;
        }
    }
}

/// Queries are retried on network errors, timeouts, HTTP 429/502/503/504 and ITA 90104029.
fn is_retried(e: &Error) -> bool {
    match e.kind {
        ErrorKind::Network | ErrorKind::Timeout => true,
        ErrorKind::Http => matches!(e.status, Some(429 | 502 | 503 | 504)),
        ErrorKind::Api => e.ret_code() == Some(ITA_TOO_MANY_REQUESTS),
        _ => false,
    }
}

/// Whether a failed createCall may still have placed the call: no answer, a gateway's failure, or an
/// unreadable success.
fn may_have_been_placed(e: &Error) -> bool {
    match e.kind {
        ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Decode => true,
        ErrorKind::Http => matches!(e.status, Some(502 | 504)),
        _ => false,
    }
}

/// Accepts an absolute http(s) URL or a path prefix starting with `/`; drops trailing slashes.
fn check_base_url(op: Operation, field: &'static str, url: &str) -> Result<String, Error> {
    let url = url.trim().trim_end_matches('/');
    let absolute = ["https://", "http://"].iter().any(|s| url.strip_prefix(s).is_some_and(|rest| !rest.is_empty()));
    let relative = url.is_empty() || url.starts_with('/');
    if !(absolute || relative) || url.contains(['?', '#', ' ']) {
        return Err(Error::validation(op, field, "must be an http(s) URL or a path starting with /, without query or fragment"));
    }
    Ok(url.to_string())
}

/// The `host[:port]` the transport will send as the Host header (default ports left out), for signing.
fn host_of(url: &str) -> String {
    let (default_port, rest) = match url.strip_prefix("https://") {
        Some(rest) => (":443", rest),
        None => (":80", url.strip_prefix("http://").unwrap_or(url)),
    };
    let host = rest.split('/').next().unwrap_or_default().to_ascii_lowercase();
    host.strip_suffix(default_port).map(str::to_string).unwrap_or(host)
}

pub use ops::query_call_state::STATE_ENDED;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let op = Operation::CreateCall;
        assert_eq!(check_base_url(op, "baseUrl", "https://x.com/").ok().as_deref(), Some("https://x.com"));
        assert_eq!(check_base_url(op, "baseUrl", "/aicc/").ok().as_deref(), Some("/aicc"));
        assert_eq!(check_base_url(op, "baseUrl", "").ok().as_deref(), Some(""));
        for bad in ["x.com", "ftp://x", "https://", "https://x?y"] {
            assert_eq!(check_base_url(op, "baseUrl", bad).err().and_then(|e| e.field), Some("baseUrl"), "{bad}");
        }
    }

    #[test]
    fn hosts_for_signing() {
        assert_eq!(host_of("https://10.22.26.181:28080"), "10.22.26.181:28080");
        assert_eq!(host_of("https://cms.example.com:443/base"), "cms.example.com");
        assert_eq!(host_of("http://127.0.0.1:80"), "127.0.0.1");
        assert_eq!(host_of("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
    }
}
