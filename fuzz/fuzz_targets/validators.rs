//! Every operation's input validation (`Op::from_input(&Object)`, and `TokenByAkSk::new`) on arbitrary JSON
//! objects.
//!
//! Input: a JSON object (as a page or a JS caller would pass it). Anything else is read as parts separated
//! by 0xFF bytes that become the request fields in a fixed order (a part that is a whole number becomes a
//! JSON number), so that mutations that break the JSON still reach the rules.
//!
//! Properties: an accepted request's wire body re-validates (`from_wire` of the parsed body, and `from_input`
//! too for every operation but createCall, whose callBackUrl is Base64 on the wire) to an equal request, is
//! the body of its `http()`, and is canonical; validation is deterministic; a refusal is a validation error
//! naming one of the operation's own fields and its rule (`message = field rule`), never retryable and with no
//! attempts; tokenByAkSk's body carries the key and secret exactly and its Debug never depends on the secret.
#![no_main]

use aicc_call::ops::{
    CreateCall, GetCalledInfo, Op, QueryBasicCallInfo, QueryCallDetailRecord, QueryCallInfoByCallId, QueryCallState,
    TokenByAkSk,
};
use aicc_call::wire::{parse_object, Object};
use aicc_call::{Error, ErrorKind, Operation};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

/// Field order for inputs that are not JSON: every request field, then tokenByAkSk's options.
const FIELDS: [&str; 23] = [
    "caller", "called", "agentWorkNo", "callData", "callerPresent", "agentPresent", "callBackUrl", "callSerialNo",
    "callId", "userId", "tenantId", "agentId", "ccId", "vdn", "startTime", "endTime", "offset", "limit", "taskType",
    "appKey", "appSecret", "tokenTtlSeconds", "unknownField",
];

fn input(data: &[u8]) -> Object {
    if let Ok(obj) = parse_object(&String::from_utf8_lossy(data)) {
        return obj;
    }
    let mut map = Map::new();
    for (name, part) in FIELDS.iter().zip(data.split(|b| *b == 0xFF)) {
        let text = String::from_utf8_lossy(part).into_owned();
        let value = match text.parse::<i64>() {
            Ok(n) if !text.starts_with('0') || text == "0" => Value::from(n),
            _ => Value::String(text),
        };
        if !part.is_empty() {
            map.insert((*name).to_string(), value);
        }
    }
    Object(map)
}

fn check_refusal(op: Operation, e: &Error, fields: &[&str]) {
    assert_eq!(e.kind, ErrorKind::Validation, "{op:?}: {e:?}");
    assert_eq!(e.operation, op);
    let field = e.field.unwrap_or_default();
    assert!(fields.contains(&field), "{op:?}: refusal names {field:?}, not one of its fields: {e:?}");
    let rule = e.rule.clone().unwrap_or_default();
    assert!(!rule.trim().is_empty(), "{e:?}");
    assert_eq!(e.message, format!("{field} {rule}"), "the message is the field and the rule");
    assert!(!e.retryable && !e.outcome_unknown && e.attempts == 0 && e.code.is_none(), "{e:?}");
}

/// Validates `obj` as an `R`, re-validates its wire body, and checks the two agree.
fn round_trip<R: Op + PartialEq + std::fmt::Debug>(obj: &Object) -> Option<R> {
    let op = R::OPERATION;
    let first = R::from_input(obj);
    assert_eq!(first, R::from_input(obj), "{op:?}: not deterministic");
    match first {
        Ok(req) => {
            let wire = req.body();
            let http = req.http();
            assert_eq!((http.operation, http.path, http.method), (op, R::PATH, "POST"));
            assert_eq!(wire, http.body, "{op:?}: http() sends another body");
            let parsed = parse_object(&wire);
            assert!(parsed.is_ok(), "{op:?}: wire body is not a JSON object: {wire:?}");
            let parsed = parsed.unwrap_or_default();
            let revalidated = R::from_wire(&parsed);
            assert_eq!(revalidated.as_ref().ok(), Some(&req), "{op:?}: wire body {wire:?} re-validates to {revalidated:?}");
            // The wire body is canonical: serialising the re-validated request gives the same text.
            assert_eq!(revalidated.map(|r| r.body()).ok(), Some(wire.clone()));
            if op != Operation::CreateCall {
                assert_eq!(R::from_input(&parsed).ok().as_ref(), Some(&req), "{op:?}: {wire:?} as input");
            }
            Some(req)
        }
        Err(e) => {
            check_refusal(op, &e, R::FIELDS);
            None
        }
    }
}

fn text(obj: &Object, name: &str) -> Option<String> {
    obj.string(name).ok().flatten()
}

fuzz_target!(|data: &[u8]| {
    let obj = input(data);

    if let Some(call) = round_trip::<CreateCall>(&obj) {
        assert_eq!(Some(call.caller()), text(&obj, "caller").as_deref().map(str::trim));
        assert_eq!(Some(call.called()), text(&obj, "called").as_deref().map(str::trim));
        let url = text(&obj, "callBackUrl").filter(|u| !u.is_empty());
        assert_eq!(call.call_back_url(), url.as_deref(), "callBackUrl changed");
        let wire = parse_object(&call.body()).unwrap_or_default();
        assert!(wire.0.values().all(Value::is_string), "createCall sends only strings: {}", call.body());
        // Without a callBackUrl the input and wire forms are the same.
        if url.is_none() && obj.get("callBackUrl").is_none() {
            assert_eq!(CreateCall::from_wire(&obj).ok().as_ref(), Some(&call));
        }
    }
    round_trip::<QueryCallState>(&obj);
    round_trip::<GetCalledInfo>(&obj);
    round_trip::<QueryCallInfoByCallId>(&obj);
    if let Some(basic) = round_trip::<QueryBasicCallInfo>(&obj) {
        let wire = parse_object(&basic.body()).unwrap_or_default();
        assert!(wire.get("ccId").is_some_and(Value::is_u64) && wire.get("vdn").is_some_and(Value::is_u64), "{}", basic.body());
    }
    if let Some(records) = round_trip::<QueryCallDetailRecord>(&obj) {
        assert!((1..=100).contains(&records.limit()) && records.offset() >= 0, "{records:?}");
    }

    // tokenByAkSk: the body carries the key and secret exactly; Debug never shows the secret.
    let key = text(&obj, "appKey").unwrap_or_default();
    let secret = text(&obj, "appSecret").unwrap_or_default();
    let ttl = obj.u32("tokenTtlSeconds").ok().flatten();
    match TokenByAkSk::new(key.clone(), secret.clone(), ttl) {
        Ok(req) => {
            let http = req.http();
            let body = parse_object(&http.body).unwrap_or_default();
            assert_eq!(text(&body, "app_key"), Some(key.clone()));
            assert_eq!(text(&body, "app_secret"), Some(secret.clone()));
            let want_ttl = ttl.unwrap_or(600).to_string();
            assert!(http.headers.iter().any(|(k, v)| k == "X-Token-Expire" && *v == want_ttl), "{:?}", http.headers);
            assert_eq!(req.app_key(), key);
            let other = TokenByAkSk::new(key, "another secret", ttl);
            assert!(other.is_ok(), "{other:?}");
            if let Ok(other) = other {
                assert_eq!(format!("{req:?}"), format!("{other:?}"), "Debug depends on the secret");
            }
        }
        Err(e) => check_refusal(Operation::TokenByAkSk, &e, &["appKey", "appSecret", "tokenTtlSeconds"]),
    }
});
