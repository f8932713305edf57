//! Sending one call: each attempt with its credential (a bearer token, a C2 signature or none), the one
//! loop that retries or refreshes as the retry policy decides, and what the call sent (to scrub it).

#[cfg(feature = "server")]
use std::cell::RefCell;

use super::{is_header_value, refused, Auth, Client, Decision, HttpResponse, Refresh, Transport, TransportError, HEADER_VALUE_RULE};
use crate::error::Error;
use crate::ops::{Endpoint, HttpRequest, Operation};

/// Where to send a request: its endpoint's base URL and the Authorization header to use.
enum Credential {
    None,
    Bearer(String),
    #[cfg(feature = "server")]
    C2,
}

/// One call: its request id, its timeout per attempt, and when its first request left.
pub(crate) struct Exchange {
    pub(super) request_id: String,
    pub(super) timeout_ms: u32,
    pub(super) sent_at_ms: std::cell::Cell<Option<i64>>,
    /// The C2 `Authorization` values and bearer tokens this call sent, scrubbed from its texts (a token
    /// renewed meanwhile by another call is no longer the cached one).
    #[cfg(feature = "server")]
    pub(super) signatures: RefCell<Vec<String>>,
    #[cfg(feature = "server")]
    pub(super) tokens: RefCell<Vec<String>>,
}

impl<T: Transport> Client<T> {
    /// Sends `request` until it succeeds or the retry policy gives up. Errors are not scrubbed yet.
    /// `decode` reads a successful answer (and keeps it); one copy of this loop serves every operation.
    pub(super) async fn execute(
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
        if is_token_fetch(op) {
            // The token fetch authenticates with its body (the app key and secret).
            return Ok(Credential::None);
        }
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
        // The token fetch sends its own headers only (its body has the app key).
        if !is_token_fetch(op) {
            if let Some(key) = &self.app_key {
                headers.push(("X-APP-Key".into(), key.clone()));
            }
            headers.extend(self.headers.iter().cloned());
        }
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

    pub(super) fn can_refresh(&self, op: Operation) -> bool {
        match op.endpoint() {
            Endpoint::Service if is_token_fetch(op) => false,
            Endpoint::Service => !matches!(self.auth, Auth::None),
            Endpoint::Cms => !self.signs_cms() && matches!(self.auth, Auth::Provider(_)),
        }
    }


    pub(super) fn signs_cms(&self) -> bool {
        #[cfg(feature = "server")]
        return self.server.signs_cms();
        #[cfg(not(feature = "server"))]
        false
    }

    /// Drops the cached token after a 401, unless another request has already replaced it.
    pub(super) fn forget_token(&self, refused: Option<&str>) {
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

/// Whether `op` is the token fetch, which a browser build never sends (its condition is then `false` at
/// compile time, and its code left out).
fn is_token_fetch(op: Operation) -> bool {
    cfg!(feature = "server") && op == Operation::TokenByAkSk
}
