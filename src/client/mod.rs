//! The client: authentication (bearer tokens, and on servers the token cache and C2 signing), timeouts and
//! safe retries over a [`Transport`] that only moves bytes. Pure logic: the fetch transport lives in
//! the bindings crate (`bindings/src/transport.rs`), tests use an in-memory one.

use std::cell::RefCell;
use std::future::Future;

use crate::error::{CallAttempt, Error, RETRYABLE_STATUSES};
use crate::ops::{self, HttpRequest, Op, Operation, Retry};

mod checks;
mod config;
mod observe;
pub mod pages;
mod race;
mod resolve;
mod retry;
mod send;
#[cfg(feature = "server")]
mod server_auth;
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
pub use checks::{refuse_secrets_in_browser, secret_in_browser};
pub(crate) use checks::{is_header_value, refused, HEADER_VALUE_RULE};
use checks::check_base_url;
#[cfg(feature = "server")]
use checks::{host_of, secure_or_local, INSECURE_WITH_SECRETS};
pub use config::{Auth, CallOptions, Config, RetryHook, DEFAULT_TIMEOUT_MS, TIMEOUT_MS, TIMEOUT_MS_RULE};
use send::Exchange;

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
    /// What scrubs the answers a gateway forwards.
    answers_scrubber: crate::error::ScrubCache,
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
        if !TIMEOUT_MS.contains(&config.timeout_ms) {
            return Err(Error::validation(op, "timeoutMs", TIMEOUT_MS_RULE));
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
            answers_scrubber: crate::error::ScrubCache::default(),
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
        Ok(HttpResponse { status: answer.status, body: self.answers_scrubber.scrub(&answer.body, self.secrets(&exchange)) })
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

}

pub use ops::query_call_state::STATE_ENDED;
