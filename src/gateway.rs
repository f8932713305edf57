//! The edge gateway's decisions, pure: which path is which operation, CORS, re-validation of the body with
//! the client's own rules, and the `authorize` verdict applied (which operations, which agent, which caller
//! numbers). The bindings move the bytes and call the hook; forwarding goes through [`crate::client::Client`].

use serde_json::json;

use crate::client::{Client, HttpResponse, Transport};
use crate::error::{Error, ErrorKind};
use crate::ops::{HttpRequest, Op, Operation};
use crate::wire::{parse_object, Object};

/// The most calls of one listing that are claimed for the session (one state command each).
pub const MAX_CLAIMS_PER_LISTING: usize = 20;
/// How long the gateway waits for each command of its shared state by default (`stateTimeoutMs`).
pub const DEFAULT_STATE_TIMEOUT_MS: u32 = 3_000;

/// A request ready to forward, and what the shared state must allow first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    /// The request to send on.
    pub request: HttpRequest,
    /// What the state decides first.
    pub guard: Guard,
}

/// How a gateway is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayConfig {
    /// The path prefix it is mounted under, e.g. `/aicc` (no trailing slash; empty for the root).
    pub prefix: String,
    /// The operations it serves.
    pub operations: Vec<Operation>,
    /// Origins allowed to call it from a browser (`*` allows any).
    pub cors_origins: Vec<String>,
    /// The largest request body read (`maxBodyBytes`); a larger one is answered 413.
    pub max_body_bytes: u32,
    /// The deadline for reading the body and for `authorize` (`authorizeTimeoutMs`); past it, 503.
    pub authorize_timeout_ms: u32,
    /// Whether a serial the state does not know may be read (`allowUnknownSerials`: calls placed elsewhere).
    pub allow_unknown_serials: bool,
    /// createCalls a session may place per minute (`createCallPerMinute`), unless its verdict says.
    pub create_call_per_minute: Option<u32>,
    /// createCalls a session may place per day (`createCallPerDay`), unless its verdict says.
    pub create_call_per_day: Option<u32>,
    /// How long a call's owner and callback nonce are kept (`callTtlMs`).
    pub call_ttl_ms: i64,
    /// How long each command of the shared state may take (`stateTimeoutMs`); past it, 503.
    pub state_timeout_ms: u32,
}

/// The largest body a gateway reads by default: AICC bodies are under 2 KiB.
pub const DEFAULT_MAX_BODY_BYTES: u32 = 16 * 1024;
/// How long reading the body and `authorize` may take by default.
pub const DEFAULT_AUTHORIZE_TIMEOUT_MS: u32 = 5_000;

impl GatewayConfig {
    /// Checks the prefix (`/...`), operation names and origins, naming the option at fault.
    pub fn new(prefix: Option<&str>, operations: Option<&[String]>, cors_origins: Vec<String>) -> Result<Self, Error> {
        let op = Operation::Configuration;
        let prefix = prefix.unwrap_or("/aicc").trim().trim_end_matches('/').to_string();
        if !prefix.is_empty() && (!prefix.starts_with('/') || prefix.contains(['?', '#', ' '])) {
            return Err(Error::validation(op, "prefix", "must be a path starting with /, e.g. /aicc"));
        }
        let operations = match operations {
            None => Operation::API.to_vec(),
            Some(names) => names
                .iter()
                .map(|n| Operation::from_name(n))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| Error::validation(op, "operations", format!("must name only {}", operation_names(Operation::API))))?,
        };
        for origin in &cors_origins {
            let host = ["https://", "http://"].iter().find_map(|scheme| origin.strip_prefix(scheme));
            let ok = origin == "*" || host.is_some_and(|h| !h.is_empty() && !h.contains(['/', '?', '#', ' ']));
            if !ok {
                return Err(Error::validation(op, "cors.origins", "must be origins like https://crm.example.com (no path) or *"));
            }
        }
        Ok(GatewayConfig {
            prefix,
            operations,
            cors_origins,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            authorize_timeout_ms: DEFAULT_AUTHORIZE_TIMEOUT_MS,
            allow_unknown_serials: false,
            create_call_per_minute: None,
            create_call_per_day: None,
            call_ttl_ms: ledger::DAY_MS,
            state_timeout_ms: DEFAULT_STATE_TIMEOUT_MS,
        })
    }

    /// Sets what the shared state enforces: reading unknown serials, the rate limits of every session (1 to
    /// 1000 a minute, 1 to 5000 a day) and how long a call's owner is kept (1 minute to 31 days).
    pub fn state_rules(mut self, allow_unknown_serials: Option<bool>, per_minute: Option<u32>, per_day: Option<u32>, call_ttl_ms: Option<u32>) -> Result<Self, Error> {
        let op = Operation::Configuration;
        self.allow_unknown_serials = allow_unknown_serials.unwrap_or(false);
        if per_minute.is_some_and(|n| !(1..=ledger::MAX_PER_MINUTE).contains(&n)) {
            return Err(Error::validation(op, "createCallPerMinute", format!("must be a whole number from 1 to {}", ledger::MAX_PER_MINUTE)));
        }
        if per_day.is_some_and(|n| !(1..=ledger::MAX_PER_DAY).contains(&n)) {
            return Err(Error::validation(op, "createCallPerDay", format!("must be a whole number from 1 to {}", ledger::MAX_PER_DAY)));
        }
        self.create_call_per_minute = per_minute;
        self.create_call_per_day = per_day;
        if let Some(ms) = call_ttl_ms {
            if !(ledger::MINUTE_MS..=31 * ledger::DAY_MS).contains(&i64::from(ms)) {
                return Err(Error::validation(op, "callTtlMs", "must be between 60000 (a minute) and 2678400000 (31 days)"));
            }
            self.call_ttl_ms = i64::from(ms);
        }
        Ok(self)
    }

    /// Sets the deadline of each command of the shared state (1 ms to 60 s).
    pub fn state_timeout(mut self, state_timeout_ms: Option<u32>) -> Result<Self, Error> {
        if let Some(ms) = state_timeout_ms {
            if !(1..=60_000).contains(&ms) {
                return Err(Error::validation(Operation::Configuration, "stateTimeoutMs", "must be between 1 and 60000 milliseconds"));
            }
            self.state_timeout_ms = ms;
        }
        Ok(self)
    }

    /// Sets the body limit (1 byte to 1 MiB) and the deadline of `authorize` (1 ms to 60 s).
    pub fn limits(mut self, max_body_bytes: Option<u32>, authorize_timeout_ms: Option<u32>) -> Result<Self, Error> {
        let op = Operation::Configuration;
        if let Some(bytes) = max_body_bytes {
            if !(1..=1024 * 1024).contains(&bytes) {
                return Err(Error::validation(op, "maxBodyBytes", "must be between 1 and 1048576 bytes"));
            }
            self.max_body_bytes = bytes;
        }
        if let Some(ms) = authorize_timeout_ms {
            if !(1..=60_000).contains(&ms) {
                return Err(Error::validation(op, "authorizeTimeoutMs", "must be between 1 and 60000 milliseconds"));
            }
            self.authorize_timeout_ms = ms;
        }
        Ok(self)
    }
}

/// A complete answer for the bindings to turn into a `Response`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers, including CORS ones.
    pub headers: Vec<(String, String)>,
    /// Body text (JSON).
    pub body: String,
}

/// What to do with an incoming request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Answer at once (preflight, unknown path, wrong method, refused origin).
    Respond(GatewayResponse),
    /// Ask `authorize`, then [`Gateway::prepare`] and forward.
    Forward(Operation),
}

/// The gateway's decisions.
#[derive(Debug, Clone)]
pub struct Gateway {
    config: GatewayConfig,
}

impl Gateway {
    /// A gateway with `config`.
    pub fn new(config: GatewayConfig) -> Self {
        Gateway { config }
    }

    /// The request's `Origin` when it is another origin than the request URL's own (a same-origin POST also
    /// carries `Origin`, and needs no CORS).
    pub fn cross_origin<'a>(origin: Option<&'a str>, url: &str) -> Option<&'a str> {
        let own = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        origin.filter(|o| !o.is_empty() && *o != own)
    }

    /// Decides what a request of `method` to `path` from `origin` (a cross origin, or `None`) is.
    pub fn route(&self, method: &str, path: &str, origin: Option<&str>) -> Route {
        let cors = self.cors_headers(origin);
        if origin.is_some() && cors.is_none() {
            return Route::Respond(self.refuse(403, "originNotAllowed", "this origin may not use the gateway", origin));
        }
        let op = path
            .strip_prefix(self.config.prefix.as_str())
            .filter(|rest| rest.starts_with('/'))
            .and_then(Operation::from_path)
            .filter(|op| self.config.operations.contains(op));
        let Some(op) = op else {
            return Route::Respond(self.refuse(404, "notFound", "no AICC operation is served at this path", origin));
        };
        match method.to_ascii_uppercase().as_str() {
            "OPTIONS" => {
                let mut headers = cors.unwrap_or_default();
                headers.push(("Access-Control-Allow-Methods".into(), "POST, OPTIONS".into()));
                headers.push(("Access-Control-Allow-Headers".into(), "Content-Type, X-APP-Key, Authorization".into()));
                headers.push(("Access-Control-Max-Age".into(), "600".into()));
                Route::Respond(GatewayResponse { status: 204, headers, body: String::new() })
            }
            "POST" => Route::Forward(op),
            _ => {
                let mut r = self.refuse(405, "methodNotAllowed", "AICC operations are POST only", origin);
                r.headers.push(("Allow".into(), "POST, OPTIONS".into()));
                Route::Respond(r)
            }
        }
    }

    /// The limits the bindings enforce while reading: body bytes and the deadline of `authorize`.
    pub fn config(&self) -> &GatewayConfig {
        &self.config
    }

    /// Decides on a POST's headers before its body is read: 415 unless it says `application/json` (so a
    /// cross-site form cannot post to the gateway without a CORS preflight), 413 when its `Content-Length` is
    /// over the limit. `None`: read the body (at most the limit).
    pub fn admit(&self, content_type: Option<&str>, content_length: Option<&str>, origin: Option<&str>) -> Option<GatewayResponse> {
        let media_type = content_type.and_then(|t| t.split(';').next()).map(|t| t.trim().to_ascii_lowercase());
        if media_type.as_deref() != Some("application/json") {
            return Some(self.refuse(415, "unsupportedMediaType", "the body must be sent as application/json", origin));
        }
        let length = content_length.map(|l| l.trim().parse::<u64>());
        if matches!(length, Some(Ok(n)) if n > u64::from(self.config.max_body_bytes)) || matches!(length, Some(Err(_))) {
            return Some(self.too_large(origin));
        }
        None
    }

    /// The answer to a body over the limit.
    pub fn too_large(&self, origin: Option<&str>) -> GatewayResponse {
        let message = format!("the body is larger than {} bytes", self.config.max_body_bytes);
        self.refuse(413, "tooLarge", &message, origin)
    }

    /// The answer when the gateway itself failed (its wasm instance trapped) while serving a request to `path`.
    /// For an operation with an effect the request may have reached AICC: 502 with `outcomeUnknown`, which
    /// the page's client reads as an outcome-unknown error (check with `resolveOutcome`, never resend blindly).
    pub fn internal_error(&self, path: &str, origin: Option<&str>) -> GatewayResponse {
        let op = path.strip_prefix(self.config.prefix.as_str()).and_then(Operation::from_path);
        if op.is_some_and(Operation::may_take_effect) {
            let message = "the gateway failed while forwarding this request: it may or may not have been carried out; check before trying again";
            let mut r = self.refuse(502, "outcomeUnknown", message, origin);
            r.body = serde_json::to_string(&json!({ "error": "outcomeUnknown", "message": message, "outcomeUnknown": true })).unwrap_or_default();
            return r;
        }
        self.refuse(500, "internal", "the gateway failed while serving this request; it can be tried again", origin)
    }

    /// The answer when reading the body or `authorize` took longer than the deadline.
    pub fn too_slow(&self, origin: Option<&str>) -> GatewayResponse {
        self.refuse(503, "authorizeTimeout", "the request was not authorized in time", origin)
    }

    /// Serves one authorized request: prepares it, asks the shared state, forwards it through `client`,
    /// records a placed call's owner (or claims the calls a lookup listed), and gives the answer. Each state
    /// command has `stateTimeoutMs` to answer.
    pub async fn serve<T: Transport, S: Store>(&self, op: Operation, body: &str, verdict: &Verdict, origin: Option<&str>, client: &Client<T>, store: &S) -> GatewayResponse {
        let prepared = match self.prepare(op, body, verdict, origin) {
            Ok(prepared) => prepared,
            Err(refusal) => return refusal,
        };
        let store = Bounded { store, transport: client.transport(), timeout_ms: self.config.state_timeout_ms };
        for (key, command) in self.checks(&prepared.guard, verdict) {
            let outcome = store.apply(&key, &ledger::command_text(&command)).await.ok().and_then(|text| ledger::outcome(&text));
            if let Some(refusal) = self.refusal(outcome, origin) {
                return refusal;
            }
        }
        let outcome = client.forward(prepared.request).await;
        match prepared.guard {
            Guard::PlaceCall => self.record_call(&outcome, verdict, &store).await,
            Guard::ClaimListed => self.claim_listed(&outcome, verdict, &store).await,
            Guard::None | Guard::OwnCall(_) => {}
        }
        self.answer(outcome, origin)
    }

    /// What the shared state must allow before forwarding, in order: for a createCall, its callback nonce
    /// reserved for this one call (before it is sent, so that a lost answer still leaves the call followable
    /// and releasable) and the session's rate limits; for a read, the call's owner.
    fn checks(&self, guard: &Guard, verdict: &Verdict) -> Vec<(String, Command)> {
        let mut checks = Vec::new();
        match guard {
            Guard::None | Guard::ClaimListed => {}
            Guard::PlaceCall => {
                if let Some(nonce) = verdict.call_back_url.as_deref().and_then(crate::callback::nonce_of) {
                    let reserve = Command::Reserve { session: verdict.session(), ttl_ms: self.config.call_ttl_ms };
                    checks.push((ledger::nonce_key(nonce), reserve));
                }
                let per_minute = verdict.create_call_per_minute.or(self.config.create_call_per_minute);
                let per_day = verdict.create_call_per_day.or(self.config.create_call_per_day);
                if per_minute.is_some() || per_day.is_some() {
                    checks.push((ledger::session_key(&verdict.session()), Command::Admit { per_minute, per_day }));
                }
            }
            Guard::OwnCall(serial) => checks.push((ledger::call_key(serial), Command::Owner { session: verdict.session() })),
        }
        checks
    }

    /// The refusal an outcome of the shared state means, or `None` to go on. A store that cannot be reached,
    /// or answers late, refuses (503): nothing is sent that the state could not allow.
    fn refusal(&self, outcome: Option<Outcome>, origin: Option<&str>) -> Option<GatewayResponse> {
        match outcome {
            Some(Outcome::Admitted | Outcome::Mine | Outcome::Recorded) => None,
            Some(Outcome::Unknown) if self.config.allow_unknown_serials => None,
            Some(Outcome::Unknown | Outcome::NotMine) => {
                Some(self.refuse(403, "notYourCall", "this call was not placed by this session", origin))
            }
            Some(Outcome::Taken) => Some(self.refuse(
                500,
                "badVerdict",
                "authorize() returned a callBackUrl whose nonce was used for another call: sign one URL per createCall (signCallbackUrl)",
                origin,
            )),
            Some(Outcome::Limited { limit, value, retry_after_ms }) => {
                let seconds = retry_after_ms.saturating_add(999) / 1000;
                let message = format!("{limit} ({value}) is reached for this session: try again in {seconds} s");
                let mut r = self.refuse(429, "rateLimited", &message, origin);
                r.body = serde_json::to_string(&json!({ "error": "rateLimited", "message": message, "limit": limit, "retryAfterMs": retry_after_ms })).unwrap_or_default();
                r.headers.push(("Retry-After".into(), seconds.to_string()));
                Some(r)
            }
            _ => Some(self.refuse(503, "stateUnavailable", "the gateway's shared state could not be reached", origin)),
        }
    }

    /// Records the serial of a call AICC placed as the session's, and binds it to the callback nonce reserved
    /// before sending. Tried twice; the page gets AICC's answer either way (the call is placed), and a call
    /// whose record failed is still the session's through its nonce (the release callback binds it).
    async fn record_call<S: Store>(&self, outcome: &Result<HttpResponse, Error>, verdict: &Verdict, store: &S) {
        let Ok(answer) = outcome else { return };
        let Ok(placed) = <crate::ops::CreateCall as Op>::decode(answer.status, &answer.body) else { return };
        let Some(serial) = placed.call_serial_no.as_deref().map(crate::rules::canonical_serial) else { return };
        let nonce = verdict.call_back_url.as_deref().and_then(crate::callback::nonce_of).map(str::to_string);
        let record = Command::Record { session: verdict.session(), nonce: nonce.clone(), ttl_ms: self.config.call_ttl_ms };
        let mut writes = vec![(ledger::call_key(&serial), ledger::command_text(&record))];
        if let Some(nonce) = nonce {
            writes.push((ledger::nonce_key(&nonce), ledger::command_text(&Command::Bind { serial })));
        }
        for (key, command) in writes {
            for _ in 0..2 {
                if store.apply(&key, &command).await.is_ok() {
                    break;
                }
            }
        }
    }

    /// Claims for the session each call a listing of its own numbers found that no session owns yet (at most
    /// [`MAX_CLAIMS_PER_LISTING`]), so that a call found by `resolveOutcome` can be followed.
    async fn claim_listed<S: Store>(&self, outcome: &Result<HttpResponse, Error>, verdict: &Verdict, store: &S) {
        let Ok(answer) = outcome else { return };
        let Ok(listed) = <crate::ops::QueryCallDetailRecord as Op>::decode(answer.status, &answer.body) else { return };
        let claim = ledger::command_text(&Command::Claim { session: verdict.session(), ttl_ms: self.config.call_ttl_ms });
        let serials = listed.call_info.iter().filter_map(|r| r.call_serial_no.as_deref()).map(crate::rules::canonical_serial);
        for serial in serials.take(MAX_CLAIMS_PER_LISTING) {
            let _ = store.apply(&ledger::call_key(&serial), &claim).await;
        }
    }

    /// Re-validates `body` with the client's rules and applies `verdict`, giving the request to forward (and
    /// what the shared state must allow first) or the refusal.
    pub fn prepare(&self, op: Operation, body: &str, verdict: &Verdict, origin: Option<&str>) -> Result<Prepared, GatewayResponse> {
        if !verdict.allow {
            let reason = verdict.reason.as_deref().unwrap_or("not authorized");
            let code = match verdict.status {
                401 => "unauthorized",
                500 => "badVerdict",
                _ => "forbidden",
            };
            return Err(self.refuse(verdict.status, code, reason, origin));
        }
        if let Some(allowed) = &verdict.operations {
            if !allowed.iter().any(|name| name == op.as_str()) {
                return Err(self.refuse(403, "forbidden", &format!("{} is not allowed for this session", op.as_str()), origin));
            }
        }
        let input = parse_object(body).map_err(|e| self.refuse(400, "invalidRequest", &format!("the body must be a JSON object: {}", e.0), origin))?;
        dispatch(self, op, &input, verdict, origin)
    }

    /// Reads the page's body as the operation's typed request (with the same rules as the client) and applies
    /// the verdict to it.
    fn prepare_typed<R: Op + Gated>(&self, input: &Object, verdict: &Verdict, origin: Option<&str>) -> Result<Prepared, GatewayResponse> {
        let request = R::from_wire(input).map_err(|e| self.invalid(&e, origin))?;
        let request = request.apply(verdict).map_err(|r| self.refuse(r.status, r.code, &r.message, origin))?;
        Ok(Prepared { guard: request.guard(), request: request.http() })
    }

    /// Turns the forwarded outcome into the answer: AICC's own status and body, or a JSON error without secrets.
    pub fn answer(&self, outcome: Result<HttpResponse, Error>, origin: Option<&str>) -> GatewayResponse {
        match outcome {
            Ok(r) => {
                let mut headers = self.cors_headers(origin).unwrap_or_default();
                headers.push(("Content-Type".into(), "application/json;charset=UTF-8".into()));
                GatewayResponse { status: r.status, headers, body: r.body }
            }
            Err(e) => {
                let (status, code) = match e.kind {
                    ErrorKind::Timeout => (504, "upstreamTimeout"),
                    ErrorKind::Auth => (502, "upstreamAuthFailed"),
                    ErrorKind::Http => (e.status.filter(|s| *s >= 400).unwrap_or(502), "upstreamFailed"),
                    _ => (502, "upstreamFailed"),
                };
                let message = match e.kind {
                    ErrorKind::Auth => "the gateway's AICC credentials were refused".to_string(),
                    _ => e.message.clone(),
                };
                self.refuse(status, code, &message, origin)
            }
        }
    }

    fn invalid(&self, e: &Error, origin: Option<&str>) -> GatewayResponse {
        let mut r = self.refuse(400, "invalidRequest", &e.message, origin);
        let body = json!({ "error": "invalidRequest", "message": e.message, "field": e.field, "rule": e.rule });
        r.body = body.to_string();
        r
    }

    /// A refusal: `{ "error": code, "message" }` with the CORS headers of `origin`.
    pub fn refuse(&self, status: u16, code: &str, message: &str, origin: Option<&str>) -> GatewayResponse {
        let mut headers = self.cors_headers(origin).unwrap_or_default();
        headers.push(("Content-Type".into(), "application/json;charset=UTF-8".into()));
        GatewayResponse { status, headers, body: serde_json::to_string(&json!({ "error": code, "message": message })).unwrap_or_default() }
    }

    /// The answer of a listener that could not read a request into one the gateway takes (a Node request with
    /// a URL or headers `Request` refuses); no CORS headers, since nothing of the request is trusted.
    pub fn unreadable_request() -> GatewayResponse {
        Gateway::plain_refusal(400, "invalidRequest", "the request could not be read")
    }

    /// The answer of a listener whose gateway threw past every guard (a bug): nothing of the request is known.
    pub fn failed() -> GatewayResponse {
        Gateway::plain_refusal(500, "internal", "the gateway failed")
    }

    /// The refusal of a listener's `gateway` that is not one.
    pub fn not_a_gateway() -> Error {
        Error::validation(Operation::Configuration, "gateway", "must be a gateway from createGateway() (an object with fetch(request))")
    }

    fn plain_refusal(status: u16, code: &str, message: &str) -> GatewayResponse {
        let headers = vec![("Content-Type".into(), "application/json;charset=UTF-8".into())];
        GatewayResponse { status, headers, body: serde_json::to_string(&json!({ "error": code, "message": message })).unwrap_or_default() }
    }

    /// CORS headers for an allowed origin; `None` when the origin is not allowed.
    fn cors_headers(&self, origin: Option<&str>) -> Option<Vec<(String, String)>> {
        let Some(origin) = origin else { return Some(Vec::new()) };
        let allowed = self.config.cors_origins.iter().any(|o| o == "*" || o == origin);
        allowed.then(|| vec![("Access-Control-Allow-Origin".into(), origin.to_string()), ("Vary".into(), "Origin".into())])
    }
}

macro_rules! gateway_dispatch {
    ($($variant:ident $method:ident $name:tt => $module:ident :: $ty:ident,)*) => {
        /// Prepares a request of `op` with its own type.
        fn dispatch(gateway: &Gateway, op: Operation, input: &Object, verdict: &Verdict, origin: Option<&str>) -> Result<Prepared, GatewayResponse> {
            match op {
                $(Operation::$variant => gateway.prepare_typed::<crate::ops::$module::$ty>(input, verdict, origin),)*
                Operation::TokenByAkSk | Operation::Configuration => {
                    Err(gateway.refuse(404, "notFound", "no AICC operation is served at this path", origin))
                }
            }
        }
    };
}
crate::operation::api_operations!(gateway_dispatch);

fn operation_names(ops: &[Operation]) -> String {
    ops.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ")
}

mod bounded;
pub use crate::policy::{Gated, Guard, Refusal, Verdict, MAX_VERDICT_LIST_ITEMS, VERDICT_KEYS};
pub use crate::state::{ledger, MemoryStore, Store};
pub use bounded::Bounded;
use ledger::{Command, Outcome};

#[cfg(test)]
mod tests;
