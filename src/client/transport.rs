//! The boundary to the network: a [`Transport`] only moves bytes; everything else is decided by the client.

use std::future::Future;
use std::pin::Pin;

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
    /// Like `Network`, with what the runtime threw, kept as the error's cause.
    Thrown(String, crate::error::Cause),
    /// The runtime refused to build the request (a header value or URL `fetch` does not accept): nothing was
    /// sent. The text must not contain secrets.
    Refused(String),
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
