//! The edge gateway's decisions: `Gateway::route` on an arbitrary method, path and origin, then
//! `Gateway::prepare(op, body, &Verdict::from_value(&json), origin)`.
//!
//! Input: parts separated by 0xFF bytes: `config bytes`, `method`, `path`, `origin` (empty: none), `body`,
//! `verdict JSON`, `Content-Type`, `Content-Length`. Config byte 0 picks the prefix, byte 1 the served operations, byte 2 the CORS origins,
//! byte 3 an operation to prepare besides the routed one. A verdict that is not JSON picks a sample verdict.
//!
//! Properties (what src/gateway.rs and src/gateway/verdict.rs promise):
//! - a verdict allows only when it is `true` or a well-formed object without `allow: false`, `status` or
//!   `reason`; malformed verdicts refuse with 500; a refusal answers the verdict's status;
//! - a routed request is a POST (any case) to `prefix + op path` of a served operation from no or an allowed
//!   origin; a disallowed origin is always refused with 403 and gets no CORS header;
//! - an Ok(HttpRequest) only ever follows an allowing verdict, for an operation the gateway serves (never
//!   tokenByAkSk), listed in the verdict's `operations` if it has them; createCall carries exactly the pinned
//!   `agentWorkNo`, a caller among the verdict's `callers`, the verdict's callBackUrl and never the page's;
//!   getCalledInfo's caller is among `callers`; queryCallInfoByCallId carries the pinned agent as `agentId`;
//!   queryCallDetailRecord needs `callers` and names a caller among them; queryCallState forwards the serial
//!   without leading zeros; every forwarded body re-validates to the very same request (checked for every
//!   operation of `api_operations!`, so a new operation needs no edit here; its own properties may be added
//!   to `check_forwarded`'s match); `admit` lets through only `application/json` bodies within the size limit;
//! - every refusal is a JSON `{ error, message }` with a 4xx/500 status.
#![no_main]

use aicc_call::gateway::{Gateway, GatewayConfig, GatewayResponse, Route, Verdict};
use aicc_call::ops::{CreateCall, GetCalledInfo, HttpRequest, Op, QueryCallDetailRecord, QueryCallInfoByCallId, QueryCallState};
use aicc_call::wire::{parse_object, Object};
use aicc_call::Operation;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

const VERDICT_KEYS: [&str; 10] = [
    "allow", "status", "reason", "agentWorkNo", "callers", "operations", "callBackUrl", "session", "createCallPerMinute",
    "createCallPerDay",
];

fn parts(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0xFF).map(|p| String::from_utf8_lossy(p).into_owned()).collect()
}

fn sample_verdict(i: usize) -> Value {
    let samples = [
        json!(true),
        json!(false),
        json!({ "agentWorkNo": "101" }),
        json!({ "callers": ["88889050", 88889051] }),
        json!({ "operations": ["createCall", "queryCallState"] }),
        json!({ "callBackUrl": "https://gw.example.com/aicc/callback/release?aiccsig_0123456789abcdef0123456789abcdef" }),
        json!({ "agentWorkNo": 101, "callers": ["88889050"], "operations": ["createCall", "getCalledInfo", "queryCallInfoByCallId"],
                "callBackUrl": "https://gw.example.com/cb" }),
        json!({ "allow": false, "status": 401, "reason": "unknown session" }),
        json!({}),
    ];
    samples[i % samples.len()].clone()
}

fn config(bytes: &[u8]) -> GatewayConfig {
    let b = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let prefix = [Some("/aicc"), None, Some(""), Some("/gw/aicc/"), Some("/")][usize::from(b(0)) % 5];
    let names: Vec<String> =
        Operation::API.iter().enumerate().filter(|(i, _)| b(1) & (1 << i) != 0).map(|(_, o)| o.as_str().to_string()).collect();
    let operations = if b(1) & 0x80 != 0 { None } else { Some(names) };
    let origins: Vec<String> = match b(2) % 4 {
        0 => vec![],
        1 => vec!["*".into()],
        2 => vec!["http://127.0.0.1:5173".into()],
        _ => vec!["https://crm.example.com".into(), "http://127.0.0.1:5173".into()],
    };
    match GatewayConfig::new(prefix, operations.as_deref(), origins) {
        Ok(config) => config,
        Err(e) => panic!("{e:?}"),
    }
}

fn origin_allowed(config: &GatewayConfig, origin: Option<&str>) -> bool {
    origin.is_none_or(|o| config.cors_origins.iter().any(|c| c == "*" || c == o))
}

fn header<'a>(r: &'a GatewayResponse, name: &str) -> Option<&'a str> {
    r.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// Every answer: CORS only for an allowed origin, and a JSON `{ error, message }` body on refusals.
fn check_response(config: &GatewayConfig, r: &GatewayResponse, origin: Option<&str>) {
    match header(r, "Access-Control-Allow-Origin") {
        Some(allowed) => {
            assert_eq!(Some(allowed), origin, "CORS header for another origin");
            assert!(origin_allowed(config, origin), "CORS header for a refused origin");
        }
        None => assert!(origin.is_none() || !origin_allowed(config, origin), "no CORS header for an allowed origin"),
    }
    if r.status == 204 {
        assert!(r.body.is_empty());
        return;
    }
    assert!(matches!(r.status, 400 | 401 | 403 | 404 | 405 | 413 | 415 | 500), "status {}", r.status);
    let body = parse_object(&r.body);
    assert!(body.is_ok(), "refusal body is not a JSON object: {:?}", r.body);
    let body = body.unwrap_or_default();
    assert!(matches!(body.get("error"), Some(Value::String(s)) if !s.is_empty()), "{:?}", r.body);
    assert!(matches!(body.get("message"), Some(Value::String(_))), "{:?}", r.body);
}

fn check_verdict(value: &Value, v: &Verdict) {
    if v.allow {
        match value {
            Value::Bool(true) => {}
            Value::Object(map) => {
                assert!(map.keys().all(|k| VERDICT_KEYS.contains(&k.as_str())), "unknown field allowed: {value}");
                assert!(matches!(map.get("allow"), None | Some(Value::Bool(true))), "{value}");
                assert!(!map.contains_key("status") && !map.contains_key("reason"), "{value}");
            }
            other => panic!("{other} allowed"),
        }
    } else {
        assert!(matches!(v.status, 401 | 403 | 500), "{v:?}");
        match value {
            Value::Object(map) if map.keys().any(|k| !VERDICT_KEYS.contains(&k.as_str())) => assert_eq!(v.status, 500),
            Value::Object(_) => {}
            _ => assert_eq!(v.status, 403, "{value}"),
        }
    }
    if let Some(agent) = &v.agent_work_no {
        assert!((1..=5).contains(&agent.len()) && agent.bytes().all(|b| b.is_ascii_digit()), "{v:?}");
    }
    if let Some(session) = &v.session {
        assert!(!session.trim().is_empty() && session.len() <= 256, "{v:?}");
    }
    assert!(v.create_call_per_minute.is_none_or(|n| (1..=1000).contains(&n)), "{v:?}");
    assert!(v.create_call_per_day.is_none_or(|n| (1..=5000).contains(&n)), "{v:?}");
}

/// The page's text field as the gateway reads it (strings and numbers), if present.
fn page_text(page: &Object, field: &str) -> Option<String> {
    page.string(field).ok().flatten()
}

macro_rules! revalidation {
    ($($variant:ident $method:ident $name:tt => $module:ident :: $ty:ident,)*) => {
        /// A forwarded body read again with the rules of its operation (any operation of the list), as HTTP.
        fn revalidated(op: Operation, sent: &Object) -> Option<Result<HttpRequest, aicc_call::Error>> {
            match op {
                $(Operation::$variant => Some(<aicc_call::ops::$module::$ty as Op>::from_wire(sent).map(|r| r.http())),)*
                _ => None,
            }
        }
    };
}
aicc_call::operation::api_operations!(revalidation);

fn check_forwarded(op: Operation, page_body: &str, v: &Verdict, req: &HttpRequest) {
    assert!(v.allow, "a refusing verdict let {op:?} through: {v:?}");
    assert!(!matches!(op, Operation::TokenByAkSk | Operation::Configuration), "{op:?} forwarded");
    assert_eq!((req.operation, req.method, req.path), (op, "POST", op.path()));
    if let Some(ops) = &v.operations {
        assert!(ops.iter().any(|o| o == op.as_str()), "{op:?} forwarded, verdict allows only {ops:?}");
    }
    let page = parse_object(page_body).unwrap_or_default();
    let sent = parse_object(&req.body);
    assert!(sent.is_ok(), "forwarded body is not a JSON object: {:?}", req.body);
    let sent = sent.unwrap_or_default();
    assert_eq!(revalidated(op, &sent), Some(Ok(req.clone())), "the forwarded {op:?} does not re-validate to itself");
    let in_callers = |caller: &str| v.callers.as_ref().is_none_or(|list| list.iter().any(|c| c == caller));
    match op {
        Operation::CreateCall => {
            let call = CreateCall::from_wire(&sent);
            assert!(call.is_ok(), "forwarded createCall does not re-validate: {call:?}");
            let Ok(call) = call else { return };
            assert_eq!(&call.http(), req, "re-validation changed the request");
            if let Some(agent) = &v.agent_work_no {
                assert_eq!(call.agent_work_no(), Some(agent.as_str()), "agentWorkNo not pinned");
                assert_eq!(sent.string("agentWorkNo").ok().flatten().as_deref(), Some(agent.as_str()));
            }
            assert!(in_callers(call.caller()), "caller {} not in {:?}", call.caller(), v.callers);
            assert_eq!(call.call_back_url(), v.call_back_url.as_deref(), "callBackUrl is not the verdict's");
            if let Some(url) = &v.call_back_url {
                let encoded = base64::engine::general_purpose::STANDARD.encode(url);
                assert_eq!(sent.string("callBackUrl").ok().flatten(), Some(encoded));
            } else {
                assert!(sent.get("callBackUrl").is_none(), "a callBackUrl without the verdict's: {:?}", req.body);
            }
            assert!(page_text(&page, "callBackUrl").is_none_or(|s| s.is_empty()), "the page's callBackUrl was accepted");
            assert_eq!(Some(call.caller()), page_text(&page, "caller").as_deref().map(str::trim), "caller changed");
            assert_eq!(Some(call.called()), page_text(&page, "called").as_deref().map(str::trim), "called changed");
        }
        Operation::GetCalledInfo => {
            let info = GetCalledInfo::from_input(&sent);
            assert_eq!(info.as_ref().map(GetCalledInfo::http).ok().as_ref(), Some(req), "{info:?}");
            let caller = sent.string("caller").ok().flatten().unwrap_or_default();
            assert!(in_callers(&caller), "getCalledInfo caller {caller} not in {:?}", v.callers);
            assert_eq!(GetCalledInfo::from_wire(&page).map(|r| r.http()).ok().as_ref(), Some(req), "changed on the way");
        }
        Operation::QueryCallInfoByCallId => {
            let info = QueryCallInfoByCallId::from_input(&sent);
            assert_eq!(info.as_ref().map(QueryCallInfoByCallId::http).ok().as_ref(), Some(req), "{info:?}");
            if let Some(agent) = &v.agent_work_no {
                assert_eq!(sent.string("agentId").ok().flatten().as_deref(), Some(agent.as_str()), "agentId not pinned");
            }
        }
        Operation::QueryCallState => {
            // Forwarded in the serial's one spelling: no leading zeros, the number AICC reads.
            let asked = QueryCallState::from_wire(&page).ok();
            let serial = asked.as_ref().map(|r| r.call_serial_no().trim_start_matches('0')).map(|s| if s.is_empty() { "0" } else { s });
            let canonical = serial.and_then(|s| QueryCallState::new(s).ok()).map(|r| r.http());
            assert_eq!(canonical.as_ref(), Some(req), "not the page's serial in its one spelling");
        }
        Operation::QueryCallDetailRecord => {
            // Through a gateway a record query names a caller, and one of the session's.
            let records = QueryCallDetailRecord::from_wire(&sent);
            assert_eq!(records.as_ref().map(QueryCallDetailRecord::http).ok().as_ref(), Some(req), "{records:?}");
            let caller = records.as_ref().ok().and_then(|r| r.caller_number().map(str::to_string));
            assert!(v.callers.is_some(), "records listed for a session without callers");
            assert!(caller.as_deref().is_some_and(|c| !c.is_empty() && in_callers(c)), "records of {caller:?} forwarded, callers {:?}", v.callers);
            assert_eq!(QueryCallDetailRecord::from_wire(&page).map(|r| r.http()).ok().as_ref(), Some(req));
        }
        // queryBasicCallInfo, and any operation added later: the checks above (re-validation) hold for all.
        _ => {}
    }
}

fn check_prepare(gateway: &Gateway, config: &GatewayConfig, op: Operation, body: &str, v: &Verdict, origin: Option<&str>) {
    match gateway.prepare(op, body, v, origin) {
        Ok(prepared) => check_forwarded(op, body, v, &prepared.request),
        Err(r) => {
            check_response(config, &r, origin);
            assert_ne!(r.status, 204);
            if !v.allow {
                assert_eq!(r.status, v.status, "a refusal answers the verdict's status");
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let get = |i: usize| p.get(i).cloned().unwrap_or_default();
    let (bytes, method, path, origin, body, verdict_text) = (get(0), get(1), get(2), get(3), get(4), get(5));
    let config = config(bytes.as_bytes());
    let gateway = Gateway::new(config.clone());
    let origin = Some(origin.as_str()).filter(|o| !o.is_empty());

    let cross = Gateway::cross_origin(origin, &path);
    assert!(cross.is_none() || cross == origin, "{cross:?}");

    let value = serde_json::from_str::<Value>(&verdict_text).unwrap_or_else(|_| sample_verdict(verdict_text.len()));
    let verdict = Verdict::from_value(&value);
    check_verdict(&value, &verdict);

    let routed = gateway.route(&method, &path, origin);
    match &routed {
        Route::Forward(op) => {
            assert!(method.eq_ignore_ascii_case("POST"), "{method:?} forwarded");
            assert!(config.operations.contains(op), "{op:?} is not served");
            assert_eq!(path.trim_end_matches('/'), format!("{}{}", config.prefix, op.path()), "{path:?} routed to {op:?}");
            assert!(origin_allowed(&config, origin), "origin {origin:?} forwarded");
        }
        Route::Respond(r) => {
            check_response(&config, r, origin);
            if !origin_allowed(&config, origin) {
                assert_eq!(r.status, 403, "a refused origin got {}", r.status);
            }
            if r.status == 204 {
                assert!(method.eq_ignore_ascii_case("OPTIONS"));
            }
        }
    }
    if let Route::Forward(op) = routed {
        check_prepare(&gateway, &config, op, &body, &verdict, origin);
    }

    // Before the body is read: only JSON, and never more than the limit.
    let (content_type, content_length) = (get(6), get(7));
    let content_type = Some(content_type.as_str()).filter(|t| !t.is_empty() || bytes.len() % 2 == 0);
    let content_length = Some(content_length.as_str()).filter(|l| !l.is_empty());
    match gateway.admit(content_type, content_length, origin) {
        None => {
            let media = content_type.and_then(|t| t.split(';').next()).map(|t| t.trim().to_ascii_lowercase());
            assert_eq!(media.as_deref(), Some("application/json"), "admitted {content_type:?}");
            let length = content_length.map(|l| l.trim().parse::<u64>());
            assert!(length.is_none_or(|l| l.is_ok_and(|n| n <= u64::from(config.max_body_bytes))), "admitted {content_length:?}");
        }
        Some(r) => {
            assert!(matches!(r.status, 413 | 415), "{r:?}");
            check_response(&config, &r, origin);
        }
    }
    let all = [Operation::API, &[Operation::TokenByAkSk, Operation::Configuration]].concat();
    let other = all[usize::from(bytes.as_bytes().get(3).copied().unwrap_or(0)) % all.len()];
    check_prepare(&gateway, &config, other, &body, &verdict, origin);
});
