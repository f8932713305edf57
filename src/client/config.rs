//! The client's configuration: how it authenticates, where it sends, its deadlines, retries and hooks, and
//! the options of one call.

#[cfg(feature = "server")]
use crate::{ops::TokenByAkSk, sign::C2Credentials};

use super::{RequestHook, ResponseHook, RetryEvent, RetryPolicy, TokenFuture};

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
/// The deadline of each answer, for the client's `timeoutMs` and a call's own, in milliseconds.
pub const TIMEOUT_MS: std::ops::RangeInclusive<u32> = 1..=600_000;
/// The rule of [`TIMEOUT_MS`], in words.
pub const TIMEOUT_MS_RULE: &str = "must be between 1 and 600000 milliseconds";
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
