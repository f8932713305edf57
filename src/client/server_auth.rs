//! What only a server-side client holds (left out of the browser build): the app key and secret with their
//! token cache (one fetch in flight, which every other caller waits for on its own timer), and the CMS AK/SK
//! for C2 signatures.
//!
//! Callers that find a fetch in flight poll the cache with their own `sleep` instead of being woken by the
//! fetching call: in workerd each request's work must be woken by that request's own I/O, and a request
//! woken by another's event is cancelled as hung. The cache holds values, never a future others await.

use std::cell::RefCell;

use super::{Client, Transport};
use crate::error::{Error, ErrorKind};
use crate::ops::{HttpRequest, Operation, Token, TokenByAkSk};
use crate::sign::{C2Credentials, SignedRequest};

/// Fetch a new token this long before the cached one expires, at most (milliseconds).
const TOKEN_REFRESH_MARGIN_MS: i64 = 60_000;
/// How often a caller waiting for another caller's token fetch looks at the cache again (milliseconds).
pub(super) const TOKEN_WAIT_STEP_MS: u32 = 20;

/// The secrets of a server-side client and the state that goes with them.
#[derive(Default)]
pub(super) struct ServerAuth {
    /// AK/SK for the CMS endpoint, and the `host[:port]` it signs.
    cms: Option<(C2Credentials, String)>,
    tokens: RefCell<TokenCache>,
}

#[derive(Clone)]
pub(super) struct CachedToken {
    pub(super) token: String,
    refresh_at_ms: i64,
}

/// The token, and the fetch in flight: plain values that every caller reads on its own.
#[derive(Default)]
pub(super) struct TokenCache {
    token: Option<CachedToken>,
    /// The fetch in flight: its number, and when a waiter stops waiting for it and fetches itself (a fetch
    /// whose request was cancelled midway may never finish).
    flight: Option<(u64, i64)>,
    /// Flights started so far (numbers the next one).
    started: u64,
    /// Flights finished so far, and how the last one failed, for the callers that waited on it.
    finished: u64,
    failure: Option<Error>,
}

/// What a caller of [`TokenCache::step`] does next.
#[derive(Debug)]
pub(super) enum TokenStep {
    /// Use this token.
    Use(CachedToken),
    /// The fetch this caller waited for failed: fail alike.
    Fail(Error),
    /// Another caller is fetching: look again after [`TOKEN_WAIT_STEP_MS`].
    Wait,
    /// Fetch it, as flight number `n`, then [`TokenCache::finish`] it.
    Fetch(u64),
}

impl std::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CachedToken {{ refresh_at_ms: {} }}", self.refresh_at_ms)
    }
}

impl TokenCache {
    /// Decides at `now_ms` for a caller that began waiting when `waiting_since` flights had finished (`None`:
    /// it has not waited). A flight may take `flight_ms` before waiters give up on it.
    pub(super) fn step(&mut self, now_ms: i64, waiting_since: &mut Option<u64>, flight_ms: i64) -> TokenStep {
        if let Some(token) = self.token.as_ref().filter(|t| now_ms < t.refresh_at_ms) {
            return TokenStep::Use(token.clone());
        }
        if let (Some(since), Some(failure)) = (*waiting_since, self.failure.as_ref()) {
            if self.finished > since {
                return TokenStep::Fail(failure.clone());
            }
        }
        match self.flight {
            Some((_, give_up_at)) if now_ms < give_up_at => {
                waiting_since.get_or_insert(self.finished);
                TokenStep::Wait
            }
            _ => {
                self.started += 1;
                self.flight = Some((self.started, now_ms.saturating_add(flight_ms)));
                TokenStep::Fetch(self.started)
            }
        }
    }

    /// Keeps what flight `n` got; the callers waiting on it read it at their next look.
    pub(super) fn finish(&mut self, n: u64, result: &Result<CachedToken, Error>) {
        match result {
            Ok(token) => self.token = Some(token.clone()),
            Err(e) => self.failure = Some(e.clone()),
        }
        if self.flight.is_some_and(|(current, _)| current == n) {
            self.flight = None;
            self.finished += 1;
            if result.is_ok() {
                self.failure = None;
            }
        }
    }

    /// Flight `n` was abandoned midway: the next caller fetches at once.
    fn abandon(&mut self, n: u64) {
        if self.flight.is_some_and(|(current, _)| current == n) {
            self.flight = None;
        }
    }
}

impl ServerAuth {
    pub(super) fn new(cms: Option<C2Credentials>, cms_host: String) -> Self {
        ServerAuth { cms: cms.map(|c| (c, cms_host)), tokens: RefCell::default() }
    }

    /// Whether CMS requests are C2-signed here.
    pub(super) fn signs_cms(&self) -> bool {
        self.cms.is_some()
    }

    /// The C2 `Authorization` value for `request` at `now_ms` (the call that sends it scrubs it from its texts).
    pub(super) fn c2_authorization(&self, request: &HttpRequest, now_ms: i64) -> Option<String> {
        let (credentials, host) = self.cms.as_ref()?;
        let signed =
            SignedRequest { method: request.method, path: request.path, query: &[], headers: &[("host", host)], body: &request.body };
        Some(credentials.authorization(&signed, now_ms))
    }

    /// The SK and the cached token, to scrub from texts.
    pub(super) fn secrets(&self) -> Vec<String> {
        let mut secrets: Vec<String> = self.cms.iter().map(|(c, _)| c.sk().to_string()).collect();
        if let Ok(cache) = self.tokens.try_borrow() {
            secrets.extend(cache.token.as_ref().map(|t| t.token.clone()));
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
    /// The cached token while it is fresh; otherwise one fetch, which the callers that ask meanwhile wait for
    /// by looking at the cache on their own timer.
    pub(super) async fn cached_token(&self, op: Operation, request: &TokenByAkSk) -> Result<CachedToken, Error> {
        let tokens = &self.server.tokens;
        let flight_ms = self.retry.worst_case_ms(self.timeout_ms);
        let mut waiting_since = None;
        let flight = loop {
            let step = match tokens.try_borrow_mut() {
                Ok(mut cache) => cache.step(self.transport.now_ms(), &mut waiting_since, flight_ms),
                Err(_) => TokenStep::Wait,
            };
            match step {
                TokenStep::Use(token) => return Ok(token),
                TokenStep::Fail(e) => return Err(Error { operation: op, ..e }),
                TokenStep::Wait => self.transport.sleep(TOKEN_WAIT_STEP_MS).await,
                TokenStep::Fetch(n) => break n,
            }
        };
        let guard = FlightGuard(tokens, flight);
        let result = self.fetch_token(request).await.map(|token| {
            let lifetime_ms = i64::from(token.expires_in_seconds) * 1000;
            let margin = TOKEN_REFRESH_MARGIN_MS.min(lifetime_ms / 5);
            CachedToken { token: token.access_token, refresh_at_ms: self.transport.now_ms() + lifetime_ms - margin }
        });
        if let Ok(mut cache) = tokens.try_borrow_mut() {
            cache.finish(flight, &result);
        }
        drop(guard);
        result.map_err(|e| Error { operation: op, ..e })
    }

    /// Fetches a token through the one send loop of every request (its retries, hooks and error mapping), with
    /// no Authorization and only its own headers; a token no header can carry is refused.
    async fn fetch_token(&self, request: &TokenByAkSk) -> Result<Token, Error> {
        let exchange = self.exchange(super::CallOptions::default());
        let mut token = None;
        let mut keep = |status: u16, body: &str| {
            let fetched = request.decode(status, body)?;
            if !super::is_header_value(&fetched.access_token) {
                let why = format!("the token endpoint issued an AccessToken that {}", super::HEADER_VALUE_RULE);
                return Err(Error::auth(Operation::TokenByAkSk, None, why));
            }
            token = Some(fetched);
            Ok(())
        };
        // Boxed: the send loop asks for a token, which comes through the send loop.
        let sent = Box::pin(self.execute(request.http(), &mut keep, &exchange)).await;
        match sent.and_then(|()| token.ok_or_else(|| Error::decode(Operation::TokenByAkSk, 200, "no token was decoded"))) {
            Ok(token) => Ok(token),
            Err(mut error) => {
                if error.kind != ErrorKind::Auth {
                    error.message = format!("could not obtain a token: {}", error.message);
                }
                Err(error)
            }
        }
    }
}

/// Clears the in-flight marker if a token fetch is abandoned midway, so later calls can fetch again.
struct FlightGuard<'a>(&'a RefCell<TokenCache>, u64);

impl Drop for FlightGuard<'_> {
    fn drop(&mut self) {
        if let Ok(mut cache) = self.0.try_borrow_mut() {
            cache.abandon(self.1);
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

    /// The flight number when `step` says to fetch (`None` otherwise, which the test asserts against).
    fn fetch_of(step: TokenStep) -> Option<u64> {
        match step {
            TokenStep::Fetch(n) => Some(n),
            _ => None,
        }
    }

    fn token(text: &str, refresh_at_ms: i64) -> CachedToken {
        CachedToken { token: text.into(), refresh_at_ms }
    }

    #[test]
    fn one_caller_fetches_and_the_others_wait_on_their_own_then_use_its_token() {
        let mut cache = TokenCache::default();
        let (mut first, mut second) = (None, None);
        let n = fetch_of(cache.step(0, &mut first, 1_000));
        assert!(n.is_some(), "the first caller fetches");
        let n = n.unwrap_or_default();
        assert!(matches!(cache.step(5, &mut second, 1_000), TokenStep::Wait));
        assert!(matches!(cache.step(25, &mut second, 1_000), TokenStep::Wait), "still in flight");
        cache.finish(n, &Ok(token("T", 600_000)));
        assert!(matches!(cache.step(45, &mut second, 1_000), TokenStep::Use(t) if t.token == "T"));
        assert!(matches!(cache.step(50, &mut None, 1_000), TokenStep::Use(_)), "later callers use the cache");
        assert!(matches!(cache.step(600_000, &mut None, 1_000), TokenStep::Fetch(_)), "refreshed when due");
    }

    #[test]
    fn waiters_share_the_failure_of_the_fetch_they_waited_for_but_a_new_caller_tries_again() {
        let mut cache = TokenCache::default();
        let mut waiter = None;
        let n = fetch_of(cache.step(0, &mut None, 1_000));
        assert!(n.is_some(), "fetch");
        let n = n.unwrap_or_default();
        assert!(matches!(cache.step(1, &mut waiter, 1_000), TokenStep::Wait));
        cache.finish(n, &Err(Error::auth(Operation::TokenByAkSk, Some(403), "refused")));
        assert!(matches!(cache.step(2, &mut waiter, 1_000), TokenStep::Fail(e) if e.status == Some(403)));
        assert!(matches!(cache.step(3, &mut None, 1_000), TokenStep::Fetch(_)), "a caller that did not wait fetches");
    }

    #[test]
    fn a_fetch_that_never_ends_or_is_abandoned_does_not_hold_the_waiters() {
        let mut cache = TokenCache::default();
        let mut waiter = None;
        let stuck = fetch_of(cache.step(0, &mut None, 1_000));
        assert!(stuck.is_some(), "fetch");
        let stuck = stuck.unwrap_or_default();
        assert!(matches!(cache.step(999, &mut waiter, 1_000), TokenStep::Wait));
        let taken = fetch_of(cache.step(1_000, &mut waiter, 1_000));
        assert!(taken.is_some(), "given up on after flight_ms");
        let taken = taken.unwrap_or_default();
        cache.finish(stuck, &Ok(token("late", 600_000)));
        assert!(matches!(cache.step(1_001, &mut None, 1_000), TokenStep::Use(t) if t.token == "late"), "a late token is still kept");
        cache.abandon(taken);
        let mut fresh = TokenCache::default();
        let n = fetch_of(fresh.step(0, &mut None, 1_000));
        assert!(n.is_some(), "fetch");
        let n = n.unwrap_or_default();
        fresh.abandon(n);
        assert!(matches!(fresh.step(1, &mut None, 1_000), TokenStep::Fetch(_)), "abandoned: the next caller fetches at once");
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
