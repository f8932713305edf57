//! What only a server-side client holds (left out of the browser build): the app key and secret with their
//! token cache (one fetch in flight, shared by every caller), and the CMS AK/SK for C2 signatures.

use std::cell::RefCell;

use futures_channel::oneshot;

use super::{Client, Decision, Refresh, Transport, TransportError};
use crate::error::{Error, ErrorKind};
use crate::ops::{HttpRequest, Operation, Token, TokenByAkSk};
use crate::sign::{C2Credentials, SignedRequest};

/// Fetch a new token this long before the cached one expires, at most (milliseconds).
const TOKEN_REFRESH_MARGIN_MS: i64 = 60_000;

/// The secrets of a server-side client and the state that goes with them.
#[derive(Default)]
pub(super) struct ServerAuth {
    /// AK/SK for the CMS endpoint, and the `host[:port]` it signs.
    cms: Option<(C2Credentials, String)>,
    tokens: RefCell<TokenCache>,
    /// The last C2 `Authorization` value sent, scrubbed like a secret.
    last_signature: RefCell<Option<String>>,
}

#[derive(Clone)]
pub(super) struct CachedToken {
    pub(super) token: String,
    refresh_at_ms: i64,
}

type TokenWaiters = Vec<oneshot::Sender<Result<CachedToken, Error>>>;

#[derive(Default)]
struct TokenCache {
    token: Option<CachedToken>,
    /// `Some` while one fetch is in flight: the callers waiting for its result.
    waiters: Option<TokenWaiters>,
}

impl ServerAuth {
    pub(super) fn new(cms: Option<C2Credentials>, cms_host: String) -> Self {
        ServerAuth { cms: cms.map(|c| (c, cms_host)), tokens: RefCell::default(), last_signature: RefCell::default() }
    }

    /// Whether CMS requests are C2-signed here.
    pub(super) fn signs_cms(&self) -> bool {
        self.cms.is_some()
    }

    /// The C2 `Authorization` value for `request` at `now_ms`.
    pub(super) fn c2_authorization(&self, request: &HttpRequest, now_ms: i64) -> Option<String> {
        let (credentials, host) = self.cms.as_ref()?;
        let signed =
            SignedRequest { method: request.method, path: request.path, query: &[], headers: &[("host", host)], body: &request.body };
        let value = credentials.authorization(&signed, now_ms);
        if let Ok(mut last) = self.last_signature.try_borrow_mut() {
            *last = Some(value.clone());
        }
        Some(value)
    }

    /// The SK, the cached token and the last C2 signature, to scrub from texts.
    pub(super) fn secrets(&self) -> Vec<String> {
        let mut secrets: Vec<String> = self.cms.iter().map(|(c, _)| c.sk().to_string()).collect();
        if let Ok(cache) = self.tokens.try_borrow() {
            secrets.extend(cache.token.as_ref().map(|t| t.token.clone()));
        }
        if let Ok(last) = self.last_signature.try_borrow() {
            // The signature part of `auth-v2/ak/time/expires/headers/signature`.
            secrets.extend(last.as_ref().and_then(|v| v.rsplit('/').next()).map(str::to_string));
        }
        secrets
    }

    /// Forgets the cached token if it is the one that was `refused`.
    pub(super) fn forget_token(&self, refused: Option<&str>) {
        if let Ok(mut cache) = self.tokens.try_borrow_mut() {
            if cache.token.as_ref().map(|t| t.token.as_str()) == refused {
                cache.token = None;
            }
        }
    }
}

impl<T: Transport> Client<T> {
    /// The cached token while it is fresh; otherwise one fetch, shared by every caller that asks meanwhile.
    pub(super) async fn cached_token(&self, op: Operation, request: &TokenByAkSk) -> Result<CachedToken, Error> {
        let tokens = &self.server.tokens;
        let waiting = {
            let mut cache = tokens.borrow_mut();
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
        let flight = FlightGuard(tokens);
        let result = self.fetch_token(request).await.map(|token| {
            let lifetime_ms = i64::from(token.expires_in_seconds) * 1000;
            let margin = TOKEN_REFRESH_MARGIN_MS.min(lifetime_ms / 5);
            CachedToken { token: token.access_token, refresh_at_ms: self.transport.now_ms() + lifetime_ms - margin }
        });
        let waiters = {
            let mut cache = tokens.borrow_mut();
            cache.token = result.as_ref().ok().cloned();
            cache.waiters.take().unwrap_or_default()
        };
        drop(flight);
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
        let op = Operation::TokenByAkSk;
        let exchange = self.exchange(super::CallOptions::default());
        let mut attempts = 0;
        loop {
            attempts += 1;
            let url = format!("{}{}", self.base_url, http.path);
            self.tell_request(op, &exchange, attempts, http.method, http.path);
            let started_ms = self.transport.now_ms();
            let answer = self.transport.send(http.method, &url, &http.headers, &http.body, self.timeout_ms).await;
            let status = answer.as_ref().ok().map(|r| r.status);
            let result = match answer {
                Ok(r) => request.decode(r.status, &r.body).and_then(|token| {
                    if super::is_header_value(&token.access_token) {
                        Ok(token)
                    } else {
                        Err(Error::auth(
                            Operation::TokenByAkSk,
                            None,
                            format!("the token endpoint issued an AccessToken that {}", super::HEADER_VALUE_RULE),
                        ))
                    }
                }),
                Err(TransportError::Timeout) => Err(Error::timeout(Operation::TokenByAkSk, self.timeout_ms)),
                Err(TransportError::Network(d)) => Err(Error::network(Operation::TokenByAkSk, &d)),
                Err(TransportError::Thrown(d, cause)) => Err(Error { cause: Some(cause), ..Error::network(Operation::TokenByAkSk, &d) }),
                Err(TransportError::Refused(d)) => Err(super::refused(Operation::TokenByAkSk, &d)),
            };
            self.tell_response(op, &exchange, attempts, http.method, http.path, started_ms, status, result.as_ref().err());
            let mut error = match result {
                Ok(token) => return Ok(token),
                Err(e) => e,
            };
            match self.retry.decide(op, &error, attempts, Refresh::Impossible, self.transport.random()) {
                Decision::RetryAfter(ms) => {
                    self.tell_retry(op, attempts, ms, &error);
                    self.transport.sleep(ms).await;
                }
                Decision::RefreshToken | Decision::Fail { .. } => {
                    error.attempts = attempts;
                    if error.kind != ErrorKind::Auth {
                        error.message = format!("could not obtain a token: {}", error.message);
                    }
                    return Err(error);
                }
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn with_token(token: &str) -> ServerAuth {
        let auth = ServerAuth::new(None, String::new());
        if let Ok(mut cache) = auth.tokens.try_borrow_mut() {
            cache.token = Some(CachedToken { token: token.into(), refresh_at_ms: i64::MAX });
        }
        auth
    }

    #[test]
    fn a_401_forgets_only_the_token_it_refused() {
        let auth = with_token("fresh");
        auth.forget_token(Some("stale"));
        assert_eq!(auth.secrets(), vec!["fresh".to_string()], "a newer token fetched meanwhile is kept");
        auth.forget_token(Some("fresh"));
        assert!(auth.secrets().is_empty());
    }
}
