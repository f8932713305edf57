//! The client: authentication (bearer tokens, and on servers the token cache and C2 signing), timeouts and
//! safe retries over a [`Transport`] that only moves bytes. Pure logic: the fetch transport lives in
//! the bindings crate (`bindings/src/transport.rs`), tests use an in-memory one.

use std::cell::RefCell;

use crate::error::{CallAttempt, Error, RETRYABLE_STATUSES};
use std::future::Future;

use crate::ops::{self, Endpoint, HttpRequest, Op, Operation, Retry};
#[cfg(feature = "server")]
use crate::{ops::TokenByAkSk, sign::C2Credentials};

#[cfg(feature = "server")]
mod server_auth;
mod observe;
pub mod pages;
mod race;
mod resolve;
mod retry;
mod session;
mod transport;
mod watch;

#[cfg(feature = "server")]
use server_auth::ServerAuth;
pub use observe::{RequestEvent, RequestHook, ResponseEvent, ResponseHook};
#[cfg(feature = "server")]
pub(crate) use race::{first_of, Either};
pub use resolve::{Lookup, Resolution};
pub use retry::{Decision, Refresh, RetryEvent, RetryPolicy};
pub use session::{Action, Event as SessionEvent, Phase, Resolved, Step};
pub use transport::{HttpResponse, TokenFuture, Transport, TransportError};
pub use watch::{Wake, Watch, WatchOptions};

/// How the client authenticates to the AICC service domain.
pub enum Auth {
    /// No Authorization header (a gateway adds it).
    None,
    /// tokenByAkSk with the app key and secret; the token is cached until shortly before it expires.
    #[cfg(feature = "server")]
    Credentials(TokenByAkSk),
    /// The caller's own bearer-token source, asked before each request and again once after a 401.
    Provider(Box<dyn Fn() -> TokenFuture>),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::None => f.write_str("Auth::None"),
            #[cfg(feature = "server")]
            Auth::Credentials(c) => write!(f, "Auth::Credentials({c:?})"),
            Auth::Provider(_) => f.write_str("Auth::Provider(..)"),
        }
    }
}

/// Default time to wait for an answer, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// Told before each retry (`onRetry`).
pub type RetryHook = Box<dyn Fn(&RetryEvent<'_>)>;

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
    #[cfg(feature = "server")]
    pub cms_credentials: Option<C2Credentials>,
    /// Extra headers sent with every request.
    pub headers: Vec<(String, String)>,
    /// Time to wait for each answer.
    pub timeout_ms: u32,
    /// When and how long to retry (createCall is never retried).
    pub retry: RetryPolicy,
    /// Told before each retry.
    pub on_retry: Option<RetryHook>,
    /// Told as each request leaves (no headers, no body).
    pub on_request: Option<RequestHook>,
    /// Told as each answer is read, or fails (no headers, no body).
    pub on_response: Option<ResponseHook>,
}

/// Options of one call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallOptions {
    /// Time to wait for each answer of this call, instead of the client's `timeout_ms`.
    pub timeout_ms: Option<u32>,
}

impl Config {
    /// A configuration with defaults for `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        Config {
            base_url: base_url.into(),
            cms_base_url: None,
            app_key: None,
            auth: Auth::None,
            #[cfg(feature = "server")]
            cms_credentials: None,
            headers: Vec::new(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            retry: RetryPolicy::default(),
            on_retry: None,
            on_request: None,
            on_response: None,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("Config");
        out.field("base_url", &self.base_url)
            .field("cms_base_url", &self.cms_base_url)
            .field("app_key", &self.app_key)
            .field("auth", &self.auth);
        #[cfg(feature = "server")]
        out.field("cms_credentials", &self.cms_credentials);
        out.field("headers", &self.headers.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>())
            .field("timeout_ms", &self.timeout_ms)
            .field("retry", &self.retry)
            .field("on_retry", &self.on_retry.is_some())
            .field("on_request", &self.on_request.is_some())
            .field("on_response", &self.on_response.is_some())
            .finish()
    }
}

/// An AICC client over a transport.
pub struct Client<T: Transport> {
    transport: T,
    base_url: String,
    cms_base_url: String,
    app_key: Option<String>,
    auth: Auth,
    #[cfg(feature = "server")]
    server: ServerAuth,
    headers: Vec<(String, String)>,
    timeout_ms: u32,
    retry: RetryPolicy,
    on_retry: Option<RetryHook>,
    on_request: Option<RequestHook>,
    on_response: Option<ResponseHook>,
    /// Request ids: this client's random prefix, and the number of calls made so far.
    id_prefix: u32,
    calls: std::cell::Cell<u64>,
    /// The last token the caller's `token()` source gave, kept only to scrub it from error texts.
    provided_token: RefCell<Option<String>>,
}

/// Where to send a request: its endpoint's base URL and the Authorization header to use.
enum Credential {
    None,
    Bearer(String),
    #[cfg(feature = "server")]
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
        let retry = RetryPolicy::new(config.retry.max_retries, config.retry.base_delay_ms, config.retry.max_delay_ms)?;
        #[cfg(feature = "server")]
        {
            if matches!(config.auth, Auth::Credentials(_)) && !secure_or_local(&base_url) {
                return Err(Error::validation(op, "baseUrl", INSECURE_WITH_SECRETS));
            }
            if config.cms_credentials.is_some() && !secure_or_local(&cms_base_url) {
                let field = if config.cms_base_url.is_some() { "cmsBaseUrl" } else { "baseUrl" };
                return Err(Error::validation(op, field, INSECURE_WITH_SECRETS));
            }
        }
        for (name, value) in &config.headers {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return Err(Error::validation(op, "headers", "names must be letters, digits, - and _"));
            }
            if !is_header_value(value) {
                return Err(Error::validation(op, "headers", HEADER_VALUE_RULE));
            }
        }
        let app_key = match &config.auth {
            #[cfg(feature = "server")]
            Auth::Credentials(c) if config.app_key.is_none() => Some(c.app_key().to_string()),
            _ => config.app_key.clone(),
        };
        if app_key.as_deref().is_some_and(|key| !is_header_value(key)) {
            let field = if config.app_key.is_some() { "appKey" } else { "credentials" };
            return Err(Error::validation(op, field, format!("appKey {HEADER_VALUE_RULE}")));
        }
        #[cfg(feature = "server")]
        if config.cms_credentials.as_ref().is_some_and(|c| !is_header_value(c.ak())) {
            return Err(Error::validation(op, "cmsCredentials", format!("ak {HEADER_VALUE_RULE}")));
        }
        let id_prefix = (transport.random().clamp(0.0, 1.0) * f64::from(u32::MAX)) as u32;
        Ok(Client {
            id_prefix,
            transport,
            #[cfg(feature = "server")]
            server: ServerAuth::new(config.cms_credentials, host_of(&cms_base_url)),
            base_url,
            cms_base_url,
            app_key,
            auth: config.auth,
            headers: config.headers,
            timeout_ms: config.timeout_ms,
            retry,
            on_retry: config.on_retry,
            on_request: config.on_request,
            on_response: config.on_response,
            calls: std::cell::Cell::new(0),
            provided_token: RefCell::new(None),
        })
    }

    /// The transport, for callers that share its clock.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Sends `request` and decodes the answer, with the authentication, timeout and retry policy of every
    /// operation.
    pub async fn call<R: Op>(&self, request: &R) -> Result<R::Answer, Error> {
        self.call_with(request, CallOptions::default(), std::future::pending::<()>()).await
    }

    /// Like [`Client::call`], with this call's own options, and ended at once when `cancel` ends (an aborted
    /// signal): then it fails with kind `aborted`, and an operation with an effect whose request was already
    /// sent is marked `outcome_unknown`.
    pub async fn call_with<R: Op>(&self, request: &R, options: CallOptions, cancel: impl Future<Output = ()>) -> Result<R::Answer, Error> {
        let mut decode = R::decode;
        self.call_http(request.http(), &|at| request.call_attempt(at), &mut decode, options, std::pin::pin!(cancel)).await
    }

    /// [`Client::call_with`] on a request already turned into HTTP, with the operation's decoder and what an
    /// outcome-unknown error carries (`call_attempt`, given the sending time): bindings that erase the
    /// operation's type reach every operation through one copy of this.
    pub async fn call_http<A>(
        &self,
        request: HttpRequest,
        call_attempt: &dyn Fn(i64) -> Option<CallAttempt>,
        decode: &mut dyn FnMut(u16, &str) -> Result<A, Error>,
        options: CallOptions,
        cancel: std::pin::Pin<&mut dyn Future<Output = ()>>,
    ) -> Result<A, Error> {
        let op = request.operation;
        let exchange = self.exchange(options);
        let mut answer = None;
        let mut keep = |status: u16, body: &str| decode(status, body).map(|value| answer = Some(value));
        let outcome = self.cancellable(request, &mut keep, &exchange, cancel).await;
        outcome.and_then(|()| answer.ok_or_else(|| Error::decode(op, 200, "no answer was decoded"))).map_err(|mut error| {
            if error.outcome_unknown {
                error.call = exchange.sent_at_ms.get().and_then(call_attempt).map(Box::new);
            }
            self.scrub(error, &exchange)
        })
    }

    /// [`Client::execute`] raced against `cancel`; one copy for every operation.
    async fn cancellable(
        &self,
        request: HttpRequest,
        decode: &mut dyn FnMut(u16, &str) -> Result<(), Error>,
        exchange: &Exchange,
        cancel: std::pin::Pin<&mut dyn Future<Output = ()>>,
    ) -> Result<(), Error> {
        let op = request.operation;
        match race::first_of(self.execute(request, decode, exchange), cancel).await {
            race::Either::Left(outcome) => outcome,
            race::Either::Right(()) => {
                let error = Error::aborted(op);
                Err(if op.retry() == Retry::Never && exchange.sent_at_ms.get().is_some() { error.with_outcome_unknown() } else { error })
            }
        }
    }

    /// Sends an already validated request and returns the answer's status and body untouched (for gateways),
    /// with the same authentication, timeout and retry rules as the typed operations.
    pub async fn forward(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let op = request.operation;
        let exchange = self.exchange(CallOptions::default());
        let mut answer = None;
        // Classify the answer only to decide on refreshing and retrying; the gateway returns it as it is.
        let mut classify = |status: u16, body: &str| match status {
            401 => Err(Error::auth(op, Some(401), "credentials refused (HTTP 401)")),
            s if RETRYABLE_STATUSES.contains(&s) => Err(Error::http(op, status)),
            _ => {
                answer = Some(HttpResponse { status, body: body.to_string() });
                Ok(())
            }
        };
        let outcome = self.execute(request, &mut classify, &exchange).await;
        let answer = outcome.and_then(|()| answer.ok_or_else(|| Error::decode(op, 200, "no answer was read"))).map_err(|e| self.scrub(e, &exchange))?;
        // An upstream that echoes the request must not hand its secrets to the page.
        Ok(HttpResponse { status: answer.status, body: crate::error::scrub_text(&answer.body, &self.secrets(&exchange)) })
    }

    /// A new exchange: one call, with its request id.
    fn exchange(&self, options: CallOptions) -> Exchange {
        let n = self.calls.get() + 1;
        self.calls.set(n);
        Exchange {
            request_id: format!("{:08x}-{n}", self.id_prefix),
            timeout_ms: options.timeout_ms.unwrap_or(self.timeout_ms),
            sent_at_ms: std::cell::Cell::new(None),
            #[cfg(feature = "server")]
            signatures: RefCell::default(),
            #[cfg(feature = "server")]
            tokens: RefCell::default(),
        }
    }


    /// Removes any secret a server may have echoed into an error's text.
    fn scrub(&self, error: Error, exchange: &Exchange) -> Error {
        error.scrubbed(&self.secrets(exchange))
    }

    /// Every secret this client holds, and what `exchange` sent: the app secret, the CMS SK, tokens, and the
    /// C2 signatures of this call (each call scrubs its own, however many run at once).
    fn secrets(&self, #[cfg_attr(not(feature = "server"), allow(unused_variables))] exchange: &Exchange) -> Vec<String> {
        let mut secrets: Vec<String> = Vec::new();
        #[cfg(feature = "server")]
        {
            if let Ok(signatures) = exchange.signatures.try_borrow() {
                // The signature part of `auth-v2/ak/time/expires/headers/signature`.
                secrets.extend(signatures.iter().filter_map(|v| v.rsplit('/').next()).map(str::to_string));
            }
            if let Ok(tokens) = exchange.tokens.try_borrow() {
                secrets.extend(tokens.iter().cloned());
            }
            if let Auth::Credentials(c) = &self.auth {
                secrets.push(c.app_secret().to_string());
            }
            secrets.extend(self.server.secrets());
        }
        if let Ok(last) = self.provided_token.try_borrow() {
            secrets.extend(last.clone());
        }
        secrets
    }

    /// Sends `request` until it succeeds or the retry policy gives up. Errors are not scrubbed yet.
    /// `decode` reads a successful answer (and keeps it); one copy of this loop serves every operation.
    async fn execute(
        &self,
        request: HttpRequest,
        decode: &mut dyn FnMut(u16, &str) -> Result<(), Error>,
        exchange: &Exchange,
    ) -> Result<(), Error> {
        let op = request.operation;
        let mut attempts = 0u32;
        let mut refreshed = false;
        loop {
            attempts += 1;
            let credential = match self.credential(op).await {
                Ok(credential) => credential,
                // Nothing was sent: no retry or 401 refresh here (the token fetch retried on its own), and a
                // createCall that was never sent has a known outcome.
                Err(mut error) => {
                    error.operation = op;
                    error.attempts += attempts - 1;
                    return Err(error);
                }
            };
            let sent_token = match &credential {
                Credential::Bearer(token) => Some(token.clone()),
                _ => None,
            };
            let started_ms = self.transport.now_ms();
            let answer = self.attempt(&request, credential, exchange, attempts).await;
            let status = answer.as_ref().ok().map(|r| r.status);
            let outcome = answer.and_then(|r| decode(r.status, &r.body));
            self.tell_response(request.operation, exchange, attempts, request.method, request.path, started_ms, status, outcome.as_ref().err());
            let error = match outcome {
                Ok(value) => return Ok(value),
                Err(e) => e,
            };
            let refresh = if !refreshed && self.can_refresh(op) { Refresh::Possible } else { Refresh::Impossible };
            match self.retry.decide(op, &error, attempts, refresh, self.transport.random()) {
                Decision::RefreshToken => {
                    // A 401 means the request was refused unread, so sending it again is safe even for createCall.
                    refreshed = true;
                    self.tell_retry(op, attempts, 0, &error, exchange);
                    self.forget_token(sent_token.as_deref());
                }
                Decision::RetryAfter(ms) => {
                    self.tell_retry(op, attempts, ms, &error, exchange);
                    self.transport.sleep(ms).await;
                }
                Decision::Fail { outcome_unknown } => {
                    let mut error = if outcome_unknown { error.with_outcome_unknown() } else { error };
                    error.attempts = attempts;
                    return Err(error);
                }
            }
        }
    }

    async fn credential(&self, op: Operation) -> Result<Credential, Error> {
        match op.endpoint() {
            Endpoint::Service => self.bearer(op).await,
            // Without CMS credentials the CMS path goes to a gateway: send the caller's own token() there, never
            // an AICC token fetched with app credentials.
            #[cfg(feature = "server")]
            Endpoint::Cms if self.server.signs_cms() => Ok(Credential::C2),
            Endpoint::Cms if matches!(self.auth, Auth::Provider(_)) => self.bearer(op).await,
            Endpoint::Cms => Ok(Credential::None),
        }
    }

    async fn attempt(&self, request: &HttpRequest, credential: Credential, exchange: &Exchange, attempt: u32) -> Result<HttpResponse, Error> {
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
            Credential::Bearer(token) => {
                #[cfg(feature = "server")]
                if let Ok(mut tokens) = exchange.tokens.try_borrow_mut() {
                    tokens.push(token.clone());
                }
                headers.push(("Authorization".into(), format!("Bearer {token}")));
            }
            #[cfg(feature = "server")]
            Credential::C2 => {
                if let Some(value) = self.server.c2_authorization(request, self.transport.now_ms()) {
                    if let Ok(mut signatures) = exchange.signatures.try_borrow_mut() {
                        signatures.push(value.clone());
                    }
                    headers.push(("Authorization".into(), value));
                }
            }
        }
        let url = format!("{base}{}", request.path);
        self.tell_request(op, exchange, attempt, request.method, request.path);
        if exchange.sent_at_ms.get().is_none() {
            exchange.sent_at_ms.set(Some(self.transport.now_ms()));
        }
        let timeout_ms = exchange.timeout_ms;
        self.transport
            .send(request.method, &url, &headers, &request.body, timeout_ms)
            .await
            .map_err(|e| match e {
                TransportError::Timeout => Error::timeout(op, timeout_ms),
                TransportError::Network(detail) => Error::network(op, &detail),
                TransportError::Thrown(detail, cause) => Error { cause: Some(cause), ..Error::network(op, &detail) },
                TransportError::Refused(detail) => refused(op, &detail),
            })
    }

    fn can_refresh(&self, op: Operation) -> bool {
        match op.endpoint() {
            Endpoint::Service => !matches!(self.auth, Auth::None),
            Endpoint::Cms => !self.signs_cms() && matches!(self.auth, Auth::Provider(_)),
        }
    }

    /// Tells the `onRequest` hook that an attempt leaves.
    fn tell_request(&self, operation: Operation, exchange: &Exchange, attempt: u32, method: &str, path: &str) {
        if let Some(hook) = &self.on_request {
            hook(&RequestEvent { operation, request_id: &exchange.request_id, attempt, method, path });
        }
    }

    /// Tells the `onResponse` hook how an attempt ended.
    #[allow(clippy::too_many_arguments)]
    fn tell_response(
        &self,
        operation: Operation,
        exchange: &Exchange,
        attempt: u32,
        method: &str,
        path: &str,
        started_ms: i64,
        status: Option<u16>,
        error: Option<&Error>,
    ) {
        if let Some(hook) = &self.on_response {
            let duration_ms = u32::try_from(self.transport.now_ms().saturating_sub(started_ms).max(0)).unwrap_or(u32::MAX);
            hook(&ResponseEvent {
                operation,
                request_id: &exchange.request_id,
                attempt,
                method,
                path,
                status: status.or(error.and_then(|e| e.status)),
                ret_code: error.and_then(Error::ret_code),
                error: error.map(|e| e.kind),
                duration_ms,
            });
        }
    }

    /// Tells the `onRetry` hook, with the error scrubbed of secrets.
    fn tell_retry(&self, operation: Operation, attempt: u32, delay_ms: u32, error: &Error, exchange: &Exchange) {
        if let Some(hook) = &self.on_retry {
            let error = self.scrub(error.clone(), exchange);
            hook(&RetryEvent { operation, attempt, delay_ms, error: &error });
        }
    }

    fn signs_cms(&self) -> bool {
        #[cfg(feature = "server")]
        return self.server.signs_cms();
        #[cfg(not(feature = "server"))]
        false
    }

    /// Drops the cached token after a 401, unless another request has already replaced it.
    fn forget_token(&self, refused: Option<&str>) {
        #[cfg(feature = "server")]
        self.server.forget_token(refused);
        #[cfg(not(feature = "server"))]
        let _ = refused;
    }

    async fn bearer(&self, op: Operation) -> Result<Credential, Error> {
        match &self.auth {
            Auth::None => Ok(Credential::None),
            Auth::Provider(source) => match source().await {
                Ok(token) if !is_header_value(token.trim()) => Err(Error::auth(
                    op,
                    None,
                    format!("the token() source returned a token that cannot be sent in a header: it {HEADER_VALUE_RULE}"),
                )),
                Ok(token) if !token.trim().is_empty() => {
                    let token = token.trim().to_string();
                    if let Ok(mut last) = self.provided_token.try_borrow_mut() {
                        *last = Some(token.clone());
                    }
                    Ok(Credential::Bearer(token))
                }
                Ok(_) => Err(Error::auth(op, None, "the token() source returned an empty token")),
                Err(why) => Err(Error::auth(op, None, format!("the token() source failed: {}", crate::error::truncate(&why, crate::error::RAW_TEXT_CHARS)))),
            },
            #[cfg(feature = "server")]
            Auth::Credentials(request) => self.cached_token(op, request).await.map(|t| Credential::Bearer(t.token)),
        }
    }

}

/// One call: its request id, its timeout per attempt, and when its first request left.
pub(crate) struct Exchange {
    request_id: String,
    timeout_ms: u32,
    sent_at_ms: std::cell::Cell<Option<i64>>,
    /// The C2 `Authorization` values and bearer tokens this call sent, scrubbed from its texts (a token
    /// renewed meanwhile by another call is no longer the cached one).
    #[cfg(feature = "server")]
    signatures: RefCell<Vec<String>>,
    #[cfg(feature = "server")]
    tokens: RefCell<Vec<String>>,
}

/// Refuses secrets in a runtime that would ship them to every visitor (a browser page).
///
/// Checked on which options are present, before any of them is read, so that no other complaint about a
/// secret option comes first.
pub fn refuse_secrets_in_browser(has_credentials: bool, has_cms_credentials: bool) -> Result<(), Error> {
    if has_credentials {
        return Err(secret_in_browser("credentials"));
    }
    if has_cms_credentials {
        return Err(secret_in_browser("cmsCredentials"));
    }
    Ok(())
}

/// The refusal of a secret option (`credentials`, `cmsCredentials`) where it would reach every visitor of a page.
pub fn secret_in_browser(field: &'static str) -> Error {
    Error::validation(
        Operation::Configuration,
        field,
        "must not be used in a browser: the secret would reach every visitor of the page. \
         Keep it on a server or edge worker (createGateway) and point the browser's baseUrl at the gateway",
    )
}

/// What a header value must be for `fetch` to send it (it throws on anything else).
pub(crate) const HEADER_VALUE_RULE: &str =
    "must be text without control characters or characters above U+00FF (it is sent in an HTTP header)";

/// Whether `fetch` accepts `value` in a header: Latin-1 text without line breaks or other control characters.
pub(crate) fn is_header_value(value: &str) -> bool {
    value.chars().all(|c| u32::from(c) <= 0xFF && !c.is_control())
}

/// The runtime would not send the request: nothing left, so the outcome is known and sending again cannot help.
pub(crate) fn refused(op: Operation, detail: &str) -> Error {
    Error::validation(op, "request", format!("was refused by fetch before sending: {}", crate::error::truncate(detail, crate::error::RAW_TEXT_CHARS)))
}

#[cfg(feature = "server")]
const INSECURE_WITH_SECRETS: &str =
    "must be https:// when credentials are used (http:// only for 127.0.0.1, localhost and [::1]): the secret would cross the network in clear";

/// Whether secrets may be sent to `base`: https, a path (a gateway on the same origin), or a loopback host.
#[cfg(feature = "server")]
fn secure_or_local(base: &str) -> bool {
    let Some(rest) = base.strip_prefix("http://") else { return true };
    let host = rest.split('/').next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { host });
    matches!(host.to_ascii_lowercase().as_str(), "127.0.0.1" | "localhost" | "[::1]")
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

#[cfg(feature = "server")]
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

    #[cfg(feature = "server")]
    #[test]
    fn hosts_for_signing() {
        assert_eq!(host_of("https://10.22.26.181:28080"), "10.22.26.181:28080");
        assert_eq!(host_of("https://cms.example.com:443/base"), "cms.example.com");
        assert_eq!(host_of("http://127.0.0.1:80"), "127.0.0.1");
        assert_eq!(host_of("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
    }
}
