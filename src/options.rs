//! The options a JS caller passes (to the client, one call, a watch, `resolveOutcome`, `placeCall`, a gateway, a
//! callback receiver, a memory state): which names exist, their defaults and ranges, and which go together. The
//! bindings only read each value into its Rust type ([`ClientOptions`] and the plain `Option`s the other
//! functions take); every rule about them is here.

use crate::client::{
    Auth, CallOptions, Config, RequestHook, ResponseHook, RetryHook, RetryPolicy, TokenFuture, Watch, TIMEOUT_MS, TIMEOUT_MS_RULE,
};
use crate::error::Error;
use crate::operation::Operation;

/// Where a set of options is passed: each has its own list of names, and unknown names are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionSet {
    /// `new AiccClient(options)` (also a gateway's `clientOptions`).
    Client,
    /// The client's `retry`.
    Retry,
    /// The client's `credentials`.
    Credentials,
    /// The client's `cmsCredentials`.
    CmsCredentials,
    /// The second argument of an operation, `client.createCall(request, options)`.
    Call,
    /// `client.watchCall(serial, options)`.
    Watch,
    /// `client.resolveOutcome(error, options)`.
    Resolve,
    /// `client.placeCall(request, options)`.
    PlaceCall,
    /// `createGateway(options)`.
    #[cfg(feature = "server")]
    Gateway,
    /// The gateway's `cors`.
    #[cfg(feature = "server")]
    Cors,
    /// `handleCallback(request, options)`.
    #[cfg(feature = "server")]
    Callback,
    /// `createMemoryState(options)`.
    #[cfg(feature = "server")]
    MemoryState,
    /// `toNodeListener(gateway, options)`.
    #[cfg(feature = "server")]
    NodeListener,
}

impl OptionSet {
    /// The names this set has.
    pub fn known(self) -> &'static [&'static str] {
        match self {
            OptionSet::Client => &[
                "baseUrl", "cmsBaseUrl", "appKey", "credentials", "token", "cmsCredentials", "headers", "timeoutMs",
                "retry", "maxRetries", "onRetry", "onRequest", "onResponse",
            ],
            OptionSet::Retry => &["maxRetries", "baseDelayMs", "maxDelayMs"],
            OptionSet::Credentials => &["appKey", "appSecret", "tokenTtlSeconds"],
            OptionSet::CmsCredentials => &["ak", "sk"],
            OptionSet::Call => &["signal", "timeoutMs"],
            OptionSet::Watch => &["intervalMs", "timeoutMs", "signal"],
            OptionSet::Resolve => &["maxWaitMs"],
            OptionSet::PlaceCall => &["intervalMs", "maxWaitMs", "signal"],
            #[cfg(feature = "server")]
            OptionSet::Gateway => &[
                "client", "clientOptions", "authorize", "prefix", "operations", "cors", "maxBodyBytes",
                "authorizeTimeoutMs", "state", "allowUnknownSerials", "createCallPerMinute", "createCallPerDay",
                "callTtlMs", "stateTimeoutMs",
            ],
            #[cfg(feature = "server")]
            OptionSet::Cors => &["origins"],
            #[cfg(feature = "server")]
            OptionSet::Callback => &["onRelease", "onConnect", "secret", "publicUrl", "state", "maxBodyBytes", "timeoutMs", "callTtlMs"],
            #[cfg(feature = "server")]
            OptionSet::MemoryState => &["maxRecords", "now"],
            #[cfg(feature = "server")]
            OptionSet::NodeListener => &["trustProxy"],
        }
    }

    /// Where the options are given, as the error names it.
    fn place(self) -> &'static str {
        match self {
            OptionSet::Client => "AiccClient",
            OptionSet::Retry => "AiccClient's retry",
            OptionSet::Credentials => "AiccClient's credentials",
            OptionSet::CmsCredentials => "AiccClient's cmsCredentials",
            OptionSet::Call => "a call",
            OptionSet::Watch => "watchCall",
            OptionSet::Resolve => "resolveOutcome",
            OptionSet::PlaceCall => "placeCall",
            #[cfg(feature = "server")]
            OptionSet::Gateway => "createGateway",
            #[cfg(feature = "server")]
            OptionSet::Cors => "createGateway's cors",
            #[cfg(feature = "server")]
            OptionSet::Callback => "handleCallback",
            #[cfg(feature = "server")]
            OptionSet::MemoryState => "createMemoryState",
            #[cfg(feature = "server")]
            OptionSet::NodeListener => "toNodeListener",
        }
    }

    /// Refuses `name`, a key the caller gave, unless this set has it, naming the nearest known one: a misspelt
    /// option would otherwise be silently ignored.
    pub fn check_name(self, op: Operation, name: &str) -> Result<(), Error> {
        let known = self.known();
        if known.contains(&name) {
            return Ok(());
        }
        let mut rule = format!("unknown option \"{name}\" of {}", self.place());
        match nearest(name, known) {
            Some(near) => {
                rule.push_str("; did you mean \"");
                rule.push_str(near);
                rule.push_str("\"?");
            }
            None => {
                for (i, known) in known.iter().enumerate() {
                    rule.push_str(if i == 0 { " (known: " } else { ", " });
                    rule.push_str(known);
                }
                rule.push(')');
            }
        }
        let mut error = Error::validation(op, "options", rule);
        error.message = error.rule.clone().unwrap_or_default();
        Err(error)
    }

    /// [`OptionSet::check_name`] on each of `names`.
    pub fn check(self, op: Operation, names: &[String]) -> Result<(), Error> {
        names.iter().try_for_each(|name| self.check_name(op, name))
    }
}

/// The known name closest to `name` (ignoring case), if it is close enough to be a slip: a known name it
/// begins (`tokenTtl` for `tokenTtlSeconds`), or one with at most a third of the longer name's letters
/// changed, and at most 4 (`timeout` for `timeoutMs`, `retries` for `maxRetries`).
pub fn nearest(name: &str, known: &[&'static str]) -> Option<&'static str> {
    let mut best = None;
    let mut best_distance = 5;
    for candidate in known {
        let begins = name.len() >= 3 && candidate.get(..name.len()).is_some_and(|start| start.eq_ignore_ascii_case(name));
        let distance = if begins { 1 } else { edit_distance(name.as_bytes(), candidate.as_bytes()) };
        if distance < best_distance && distance * 3 <= name.len().max(candidate.len()) {
            best = Some(*candidate);
            best_distance = distance;
        }
    }
    best
}

/// Levenshtein distance in bytes, ignoring ASCII case (option names are ASCII), one row at a time.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = i;
        let mut left = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let Some(above) = row.get(j + 1).copied() else { break };
            let cost = diagonal + usize::from(!ca.eq_ignore_ascii_case(cb));
            diagonal = above;
            left = cost.min(above + 1).min(left + 1);
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = left;
            }
        }
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
    }
    row.last().copied().unwrap_or(0)
}

/// The client's `credentials` as given.
#[derive(Debug, Default)]
pub struct CredentialOptions {
    /// `appKey`.
    pub app_key: Option<String>,
    /// `appSecret`.
    pub app_secret: Option<String>,
    /// `tokenTtlSeconds`.
    pub token_ttl_seconds: Option<u32>,
}

/// The client's `retry` as given (each absent one takes [`RetryPolicy::default`]'s value).
#[derive(Debug, Default, Clone, Copy)]
pub struct RetryOptions {
    /// `maxRetries`.
    pub max_retries: Option<u32>,
    /// `baseDelayMs`.
    pub base_delay_ms: Option<u32>,
    /// `maxDelayMs`.
    pub max_delay_ms: Option<u32>,
}

/// The options of `new AiccClient(options)` as given, each read into its type by the bindings.
#[derive(Default)]
pub struct ClientOptions {
    /// The entry is the browser's: secrets are refused.
    pub browser: bool,
    /// `baseUrl`.
    pub base_url: Option<String>,
    /// `cmsBaseUrl`.
    pub cms_base_url: Option<String>,
    /// `appKey`.
    pub app_key: Option<String>,
    /// `credentials`.
    pub credentials: Option<CredentialOptions>,
    /// `token`, the caller's bearer-token source.
    pub token: Option<Box<dyn Fn() -> TokenFuture>>,
    /// `cmsCredentials`: `ak` and `sk`.
    pub cms_credentials: Option<(Option<String>, Option<String>)>,
    /// `headers`.
    pub headers: Vec<(String, String)>,
    /// `timeoutMs`.
    pub timeout_ms: Option<u32>,
    /// `retry`.
    pub retry: RetryOptions,
    /// `maxRetries`, the shorthand of `retry.maxRetries`.
    pub max_retries: Option<u32>,
    /// `onRetry`.
    pub on_retry: Option<RetryHook>,
    /// `onRequest`.
    pub on_request: Option<RequestHook>,
    /// `onResponse`.
    pub on_response: Option<ResponseHook>,
}

impl ClientOptions {
    /// The client's configuration: `baseUrl` required, `token` or `credentials` (not both), `maxRetries`
    /// given once (or twice alike), `cmsCredentials` with both keys, no secret in a browser, and the defaults
    /// for the rest. The values themselves are checked by [`crate::client::Client::new`].
    pub fn config(self) -> Result<Config, Error> {
        let op = Operation::Configuration;
        if self.browser {
            crate::client::refuse_secrets_in_browser(self.credentials.is_some(), self.cms_credentials.is_some())?;
        }
        let base_url = self.base_url.ok_or_else(|| Error::validation(op, "baseUrl", "is required"))?;
        let mut config = Config::new(base_url);
        config.cms_base_url = self.cms_base_url;
        config.app_key = self.app_key;
        config.timeout_ms = self.timeout_ms.unwrap_or(config.timeout_ms);
        let inside = self.retry.max_retries;
        if self.max_retries.is_some() && inside.is_some() && self.max_retries != inside {
            return Err(Error::validation(op, "maxRetries", "is given twice (also in retry) with different values"));
        }
        let defaults = RetryPolicy::default();
        config.retry = RetryPolicy::new(
            inside.or(self.max_retries).unwrap_or(defaults.max_retries),
            self.retry.base_delay_ms.unwrap_or(defaults.base_delay_ms),
            self.retry.max_delay_ms.unwrap_or(defaults.max_delay_ms),
        )?;
        config.on_retry = self.on_retry;
        config.on_request = self.on_request;
        config.on_response = self.on_response;
        config.headers = self.headers;
        config.auth = match (self.credentials, self.token) {
            (Some(_), Some(_)) => return Err(Error::validation(op, "token", "cannot be combined with credentials: choose one")),
            (Some(credentials), None) => app_credentials(credentials)?,
            (None, Some(source)) => Auth::Provider(source),
            (None, None) => Auth::None,
        };
        if let Some((ak, sk)) = self.cms_credentials {
            set_cms_credentials(&mut config, ak, sk)?;
        }
        Ok(config)
    }
}

#[cfg(feature = "server")]
fn app_credentials(given: CredentialOptions) -> Result<Auth, Error> {
    let key = given.app_key.unwrap_or_default();
    let secret = given.app_secret.unwrap_or_default();
    let request = crate::ops::TokenByAkSk::new(key, secret, given.token_ttl_seconds).map_err(|mut e| {
        e.operation = Operation::Configuration;
        e
    })?;
    Ok(Auth::Credentials(request))
}

#[cfg(feature = "server")]
fn set_cms_credentials(config: &mut Config, ak: Option<String>, sk: Option<String>) -> Result<(), Error> {
    match (ak.filter(|s| !s.is_empty()), sk.filter(|s| !s.is_empty())) {
        (Some(ak), Some(sk)) => config.cms_credentials = Some(crate::sign::C2Credentials::new(ak, sk)),
        _ => return Err(Error::validation(Operation::Configuration, "cmsCredentials", "needs both ak and sk")),
    }
    Ok(())
}

/// The browser build has no code for app credentials: refused as the browser entry refuses them.
#[cfg(not(feature = "server"))]
fn app_credentials(_: CredentialOptions) -> Result<Auth, Error> {
    Err(crate::client::secret_in_browser("credentials"))
}

#[cfg(not(feature = "server"))]
fn set_cms_credentials(_: &mut Config, _: Option<String>, _: Option<String>) -> Result<(), Error> {
    Err(crate::client::secret_in_browser("cmsCredentials"))
}


/// A call's own options (`{ signal?, timeoutMs? }`) for operation `op`: its `timeoutMs` in the client's range.
pub fn call_options(op: Operation, timeout_ms: Option<u32>) -> Result<CallOptions, Error> {
    if timeout_ms.is_some_and(|ms| !TIMEOUT_MS.contains(&ms)) {
        return Err(Error::validation(op, "timeoutMs", TIMEOUT_MS_RULE));
    }
    Ok(CallOptions { timeout_ms })
}

/// How long `resolveOutcome` waits for the platform's records by default, in milliseconds.
pub const RESOLVE_WAIT_MS: u32 = 15_000;
/// The longest `resolveOutcome` may be asked to wait, in milliseconds.
pub const MAX_RESOLVE_WAIT_MS: u32 = 120_000;

/// `resolveOutcome`'s `maxWaitMs`: 0 to two minutes, 15 s by default.
pub fn resolve_wait_ms(max_wait_ms: Option<u32>) -> Result<u32, Error> {
    let ms = max_wait_ms.unwrap_or(RESOLVE_WAIT_MS);
    if ms > MAX_RESOLVE_WAIT_MS {
        return Err(Error::validation(Operation::CreateCall, "maxWaitMs", "must be between 0 and 120000 milliseconds"));
    }
    Ok(ms)
}

/// `placeCall`'s `intervalMs` and `maxWaitMs`, checked before its createCall is sent, each by the rule of what
/// uses it: the watch's ([`Watch::interval_ms`]) and `resolveOutcome`'s ([`resolve_wait_ms`]).
pub fn check_place_call(interval_ms: Option<u32>, max_wait_ms: Option<u32>) -> Result<(), Error> {
    Watch::interval_ms(interval_ms)?;
    resolve_wait_ms(max_wait_ms)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    fn rule_of(result: Result<(), Error>) -> String {
        match result {
            Err(e) => {
                assert_eq!(e.kind, ErrorKind::Validation);
                e.message
            }
            Ok(()) => String::from("accepted"),
        }
    }

    #[test]
    fn an_unknown_option_is_refused_with_the_nearest_name() {
        let client = rule_of(OptionSet::Client.check(Operation::Configuration, &names(&["baseUrl", "timeout"])));
        assert_eq!(client, "unknown option \"timeout\" of AiccClient; did you mean \"timeoutMs\"?");
        let retry = rule_of(OptionSet::Retry.check(Operation::Configuration, &names(&["retries"])));
        assert_eq!(retry, "unknown option \"retries\" of AiccClient's retry; did you mean \"maxRetries\"?");
        let call = rule_of(OptionSet::Call.check(Operation::CreateCall, &names(&["signall"])));
        assert_eq!(call, "unknown option \"signall\" of a call; did you mean \"signal\"?");
    }

    #[cfg(feature = "server")]
    #[test]
    fn the_servers_options_are_checked_alike() {
        let gateway = rule_of(OptionSet::Gateway.check(Operation::Configuration, &names(&["authorise"])));
        assert_eq!(gateway, "unknown option \"authorise\" of createGateway; did you mean \"authorize\"?");
        let callback = rule_of(OptionSet::Callback.check(Operation::Configuration, &names(&["onrelease"])));
        assert_eq!(callback, "unknown option \"onrelease\" of handleCallback; did you mean \"onRelease\"?");
        let cors = rule_of(OptionSet::Cors.check(Operation::Configuration, &names(&["origin"])));
        assert_eq!(cors, "unknown option \"origin\" of createGateway's cors; did you mean \"origins\"?");
        for set in [OptionSet::Gateway, OptionSet::Cors, OptionSet::Callback, OptionSet::MemoryState, OptionSet::NodeListener] {
            assert_eq!(rule_of(set.check(Operation::Configuration, &names(set.known()))), "accepted");
        }
    }

    #[test]
    fn a_name_near_nothing_lists_the_known_ones() {
        let watch = rule_of(OptionSet::Watch.check(Operation::QueryCallState, &names(&["pollEvery"])));
        assert_eq!(watch, "unknown option \"pollEvery\" of watchCall (known: intervalMs, timeoutMs, signal)");
    }

    #[test]
    fn known_options_pass() {
        for set in [OptionSet::Client, OptionSet::Retry, OptionSet::Call, OptionSet::Watch, OptionSet::Resolve, OptionSet::PlaceCall] {
            assert_eq!(rule_of(set.check(Operation::Configuration, &names(set.known()))), "accepted");
        }
    }

    #[test]
    fn edit_distance_counts_changes() {
        assert_eq!(edit_distance(b"timeout", b"timeoutMs"), 2);
        assert_eq!(edit_distance(b"kitten", b"sitting"), 3);
        assert_eq!(edit_distance(b"", b"abc"), 3);
        assert_eq!(edit_distance(b"abc", b""), 3);
        assert_eq!(edit_distance(b"Same", b"sAME"), 0);
        assert_eq!(edit_distance(b"flaw", b"lawn"), 2);
        assert_eq!(nearest("x", &["timeoutMs"]), None);
        assert_eq!(nearest("tokenTtl", &["appKey", "tokenTtlSeconds"]), Some("tokenTtlSeconds"));
        assert_eq!(nearest("to", &["tokenTtlSeconds"]), None);
    }

    fn config_error(options: ClientOptions) -> (&'static str, String) {
        match options.config() {
            Err(e) => (e.field.unwrap_or_default(), e.rule.unwrap_or_default()),
            Ok(_) => ("", String::from("accepted")),
        }
    }

    fn base() -> ClientOptions {
        ClientOptions { base_url: Some("https://aicc.example.com".into()), ..ClientOptions::default() }
    }

    #[test]
    fn client_options_take_defaults() {
        let config = base().config();
        assert!(config.is_ok());
        if let Ok(config) = config {
            assert_eq!(config.timeout_ms, crate::client::DEFAULT_TIMEOUT_MS);
            assert_eq!(config.retry, RetryPolicy::default());
            assert!(matches!(config.auth, Auth::None));
        }
    }

    #[test]
    fn client_options_follow_their_rules() {
        assert_eq!(config_error(ClientOptions::default()).0, "baseUrl");
        let twice = ClientOptions { max_retries: Some(1), retry: RetryOptions { max_retries: Some(2), ..RetryOptions::default() }, ..base() };
        assert_eq!(config_error(twice).0, "maxRetries");
        let alike = ClientOptions { max_retries: Some(2), retry: RetryOptions { max_retries: Some(2), ..RetryOptions::default() }, ..base() };
        assert_eq!(config_error(alike).1, "accepted");
        let token = || -> Box<dyn Fn() -> TokenFuture> { Box::new(|| Box::pin(async { Ok(String::from("t")) })) };
        let both = ClientOptions {
            credentials: Some(CredentialOptions { app_key: Some("k".into()), app_secret: Some("s".into()), token_ttl_seconds: None }),
            token: Some(token()),
            ..base()
        };
        assert_eq!(config_error(both).0, "token");
        let browser = ClientOptions { browser: true, cms_credentials: Some((Some("ak".into()), Some("sk".into()))), ..base() };
        assert_eq!(config_error(browser).0, "cmsCredentials");
    }

    #[cfg(feature = "server")]
    #[test]
    fn cms_credentials_need_both_keys() {
        let half = ClientOptions { cms_credentials: Some((Some("ak".into()), None)), ..base() };
        assert_eq!(config_error(half), ("cmsCredentials", String::from("needs both ak and sk")));
        let empty = ClientOptions { cms_credentials: Some((Some("ak".into()), Some(String::new()))), ..base() };
        assert_eq!(config_error(empty).0, "cmsCredentials");
        let whole = ClientOptions { cms_credentials: Some((Some("ak".into()), Some("sk".into()))), ..base() };
        assert_eq!(config_error(whole).1, "accepted");
    }

    #[test]
    fn a_calls_timeout_is_in_the_clients_range() {
        assert!(call_options(Operation::CreateCall, Some(0)).is_err());
        assert!(call_options(Operation::CreateCall, Some(600_001)).is_err());
        assert_eq!(call_options(Operation::CreateCall, Some(600_000)).ok(), Some(CallOptions { timeout_ms: Some(600_000) }));
        assert_eq!(call_options(Operation::CreateCall, None).ok(), Some(CallOptions::default()));
    }

    #[test]
    fn resolve_waits_fifteen_seconds_by_default_and_two_minutes_at_most() {
        assert_eq!(resolve_wait_ms(None).ok(), Some(15_000));
        assert_eq!(resolve_wait_ms(Some(0)).ok(), Some(0));
        assert_eq!(resolve_wait_ms(Some(120_000)).ok(), Some(120_000));
        assert!(resolve_wait_ms(Some(120_001)).is_err());
    }

    fn field_of(result: Result<(), Error>) -> (&'static str, String) {
        match result {
            Err(e) => (e.field.unwrap_or_default(), e.rule.unwrap_or_default()),
            Ok(()) => ("", String::from("accepted")),
        }
    }

    #[test]
    fn place_call_checks_its_options_by_the_rules_of_the_watch_and_resolve_outcome() {
        assert_eq!(field_of(check_place_call(None, None)).1, "accepted");
        assert_eq!(field_of(check_place_call(Some(100), Some(120_000))).1, "accepted");
        assert_eq!(field_of(check_place_call(None, Some(0))).1, "accepted");
        assert_eq!(field_of(check_place_call(None, Some(120_001))), ("maxWaitMs", String::from("must be between 0 and 120000 milliseconds")));
        assert_eq!(field_of(check_place_call(Some(99), None)).0, "intervalMs");
        assert_eq!(field_of(check_place_call(Some(60_001), Some(0))).0, "intervalMs");
        let unknown = rule_of(OptionSet::PlaceCall.check(Operation::CreateCall, &names(&["maxWait"])));
        assert_eq!(unknown, "unknown option \"maxWait\" of placeCall; did you mean \"maxWaitMs\"?");
    }
}
