//! The edge gateway's decisions, pure: which path is which operation, CORS, re-validation of the body with
//! the client's own rules, and the `authorize` verdict applied (which operations, which agent, which caller
//! numbers). The bindings move the bytes and call the hook; forwarding goes through [`crate::client::Client`].

use base64::Engine as _;
use serde_json::{json, Value};

use crate::client::HttpResponse;
use crate::error::{Error, ErrorKind};
use crate::ops::{
    CreateCall, GetCalledInfo, HttpRequest, Operation, QueryBasicCallInfo, QueryCallInfoByCallId, QueryCallState,
};
use crate::wire::{parse_object, Object};

/// Operations a gateway serves unless configured otherwise (never tokenByAkSk: tokens stay inside).
pub const DEFAULT_OPERATIONS: [Operation; 5] = [
    Operation::CreateCall,
    Operation::QueryCallState,
    Operation::GetCalledInfo,
    Operation::QueryCallInfoByCallId,
    Operation::QueryBasicCallInfo,
];

/// How a gateway is set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayConfig {
    /// The path prefix it is mounted under, e.g. `/aicc` (no trailing slash; empty for the root).
    pub prefix: String,
    /// The operations it serves.
    pub operations: Vec<Operation>,
    /// Origins allowed to call it from a browser (`*` allows any).
    pub cors_origins: Vec<String>,
}

impl GatewayConfig {
    /// Checks the prefix (`/...`), operation names and origins, naming the option at fault.
    pub fn new(prefix: Option<&str>, operations: Option<&[String]>, cors_origins: Vec<String>) -> Result<Self, Error> {
        let op = Operation::Configuration;
        let prefix = prefix.unwrap_or("/aicc").trim().trim_end_matches('/').to_string();
        if !prefix.is_empty() && (!prefix.starts_with('/') || prefix.contains(['?', '#', ' '])) {
            return Err(Error::validation(op, "prefix", "must be a path starting with /, e.g. /aicc"));
        }
        let operations = match operations {
            None => DEFAULT_OPERATIONS.to_vec(),
            Some(names) => names
                .iter()
                .map(|n| Operation::from_name(n).filter(|o| DEFAULT_OPERATIONS.contains(o)))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| Error::validation(op, "operations", format!("must name only {}", operation_names(&DEFAULT_OPERATIONS))))?,
        };
        for origin in &cors_origins {
            let ok = origin == "*" || ["https://", "http://"].iter().any(|s| origin.starts_with(s) && !origin.ends_with('/'));
            if !ok {
                return Err(Error::validation(op, "cors.origins", "must be origins like https://crm.example.com (no path) or *"));
            }
        }
        Ok(GatewayConfig { prefix, operations, cors_origins })
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

    /// Re-validates `body` with the client's rules and applies `verdict`, giving the request to forward or the refusal.
    pub fn prepare(&self, op: Operation, body: &str, verdict: &Verdict, origin: Option<&str>) -> Result<HttpRequest, GatewayResponse> {
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
        let mut input = parse_object(body).map_err(|e| self.refuse(400, "invalidRequest", &format!("the body must be a JSON object: {}", e.0), origin))?;
        let request = match op {
            Operation::CreateCall => {
                self.pin(&mut input, "agentWorkNo", verdict.agent_work_no.as_deref(), origin)?;
                self.set_call_back_url(&mut input, verdict.call_back_url.as_deref(), origin)?;
                let call = CreateCall::from_wire(&input).map_err(|e| self.invalid(&e, origin))?;
                self.check_caller(verdict, call.caller(), origin)?;
                call.http()
            }
            Operation::GetCalledInfo => {
                let info = GetCalledInfo::from_input(&input).map_err(|e| self.invalid(&e, origin))?;
                let caller = input.string("caller").ok().flatten().unwrap_or_default();
                self.check_caller(verdict, caller.trim(), origin)?;
                info.http()
            }
            Operation::QueryCallState => QueryCallState::from_input(&input).map_err(|e| self.invalid(&e, origin))?.http(),
            Operation::QueryCallInfoByCallId => {
                self.pin(&mut input, "agentId", verdict.agent_work_no.as_deref(), origin)?;
                QueryCallInfoByCallId::from_input(&input).map_err(|e| self.invalid(&e, origin))?.http()
            }
            Operation::QueryBasicCallInfo => {
                QueryBasicCallInfo::from_input(&input).map_err(|e| self.invalid(&e, origin))?.http()
            }
            Operation::TokenByAkSk | Operation::Configuration => {
                return Err(self.refuse(404, "notFound", "no AICC operation is served at this path", origin))
            }
        };
        Ok(request)
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

    /// Sets `field` to the session's `pinned` value; a page asking for another value is refused.
    fn pin(&self, input: &mut Object, field: &str, pinned: Option<&str>, origin: Option<&str>) -> Result<(), GatewayResponse> {
        let Some(pinned) = pinned else { return Ok(()) };
        match input.string(field).ok().flatten().filter(|s| !s.trim().is_empty()) {
            Some(asked) if asked.trim() != pinned => {
                Err(self.refuse(403, "forbidden", &format!("{field} is not this session's agent"), origin))
            }
            _ => {
                input.0.insert(field.to_string(), Value::String(pinned.to_string()));
                Ok(())
            }
        }
    }

    /// The release callback URL is the gateway's to choose: a page's own is refused, the verdict's is used.
    fn set_call_back_url(&self, input: &mut Object, url: Option<&str>, origin: Option<&str>) -> Result<(), GatewayResponse> {
        if input.string("callBackUrl").ok().flatten().is_some_and(|s| !s.is_empty()) {
            let why = "callBackUrl is set by the gateway, not the page";
            return Err(self.refuse(403, "forbidden", why, origin));
        }
        if let Some(url) = url {
            let encoded = base64::engine::general_purpose::STANDARD.encode(url);
            input.0.insert("callBackUrl".into(), Value::String(encoded));
        }
        Ok(())
    }

    fn check_caller(&self, verdict: &Verdict, caller: &str, origin: Option<&str>) -> Result<(), GatewayResponse> {
        match &verdict.callers {
            Some(allowed) if !allowed.iter().any(|c| c == caller) => {
                Err(self.refuse(403, "forbidden", "this caller number is not allowed for this session", origin))
            }
            _ => Ok(()),
        }
    }

    fn invalid(&self, e: &Error, origin: Option<&str>) -> GatewayResponse {
        let mut r = self.refuse(400, "invalidRequest", &e.message, origin);
        let body = json!({ "error": "invalidRequest", "message": e.message, "field": e.field, "rule": e.rule });
        r.body = body.to_string();
        r
    }

    fn refuse(&self, status: u16, code: &str, message: &str, origin: Option<&str>) -> GatewayResponse {
        let mut headers = self.cors_headers(origin).unwrap_or_default();
        headers.push(("Content-Type".into(), "application/json;charset=UTF-8".into()));
        GatewayResponse { status, headers, body: json!({ "error": code, "message": message }).to_string() }
    }

    /// CORS headers for an allowed origin; `None` when the origin is not allowed.
    fn cors_headers(&self, origin: Option<&str>) -> Option<Vec<(String, String)>> {
        let Some(origin) = origin else { return Some(Vec::new()) };
        let allowed = self.config.cors_origins.iter().any(|o| o == "*" || o == origin);
        allowed.then(|| vec![("Access-Control-Allow-Origin".into(), origin.to_string()), ("Vary".into(), "Origin".into())])
    }
}

fn operation_names(ops: &[Operation]) -> String {
    ops.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(", ")
}

mod verdict;
pub use verdict::Verdict;

#[cfg(test)]
mod tests;
