//! What the observability hooks are told: which operation, which attempt, where and how it went. Never a
//! header, a body, a token or a secret.

use super::send::Exchange;
use super::RetryEvent;
use crate::error::{Error, ErrorKind};
use crate::operation::Operation;

/// Told as each request leaves (`onRequest`).
pub type RequestHook = Box<dyn Fn(&RequestEvent<'_>)>;
/// Told as each answer is read or fails (`onResponse`).
pub type ResponseHook = Box<dyn Fn(&ResponseEvent<'_>)>;

/// A request leaving.
#[derive(Debug, Clone, Copy)]
pub struct RequestEvent<'a> {
    /// The operation (`tokenByAkSk` for the token fetch).
    pub operation: Operation,
    /// The same for every attempt of one call, different for every call of a client.
    pub request_id: &'a str,
    /// The attempt, from 1.
    pub attempt: u32,
    /// The HTTP method.
    pub method: &'a str,
    /// The URL path on its endpoint (no host, no query).
    pub path: &'a str,
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy)]
pub struct ResponseEvent<'a> {
    /// The operation (`tokenByAkSk` for the token fetch).
    pub operation: Operation,
    /// The same as the request's.
    pub request_id: &'a str,
    /// The attempt, from 1.
    pub attempt: u32,
    /// The HTTP method.
    pub method: &'a str,
    /// The URL path on its endpoint.
    pub path: &'a str,
    /// The HTTP status, when an answer arrived.
    pub status: Option<u16>,
    /// AICC's return code, when it refused the request.
    pub ret_code: Option<&'a str>,
    /// The kind of failure, `None` for a success.
    pub error: Option<ErrorKind>,
    /// From the request leaving to the answer read, in milliseconds.
    pub duration_ms: u32,
}

impl<T: super::Transport> super::Client<T> {
    /// Tells the `onRequest` hook that an attempt leaves.
    pub(super) fn tell_request(&self, operation: Operation, exchange: &Exchange, attempt: u32, method: &str, path: &str) {
        if let Some(hook) = &self.on_request {
            hook(&RequestEvent { operation, request_id: &exchange.request_id, attempt, method, path });
        }
    }

    /// Tells the `onResponse` hook how an attempt ended.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn tell_response(
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
    pub(super) fn tell_retry(&self, operation: Operation, attempt: u32, delay_ms: u32, error: &Error, exchange: &Exchange) {
        if let Some(hook) = &self.on_retry {
            let error = self.scrub(error.clone(), exchange);
            hook(&RetryEvent { operation, attempt, delay_ms, error: &error });
        }
    }
}
