//! What the observability hooks are told: which operation, which attempt, where and how it went. Never a
//! header, a body, a token or a secret.

use crate::error::ErrorKind;
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
