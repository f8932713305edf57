//! Every operation's answer decoder (`Op::decode`, and tokenByAkSk's), and `wire::parse_object`, on an
//! arbitrary status and body.
//!
//! Input: `<status>\n<body>`. Without a status line the whole input is the body, with status 200 when it
//! starts with `{`, `<` or a space (a fixture file as it is), else a status picked from a fixed list by its
//! first byte.
//!
//! Properties: nothing panics; an error carries a non-empty, bounded message, is never both retryable and
//! outcome_unknown and has a kind that fits the status; an Ok only comes from a 2xx and re-serialises with
//! serde_json; decoding is deterministic; a parsed object re-serialises and parses back equal.
#![no_main]

use aicc_call::ops::{
    request_field, CreateCall, GetCalledInfo, Op, QueryBasicCallInfo, QueryCallDetailRecord, QueryCallInfoByCallId,
    QueryCallState, TokenByAkSk,
};
use aicc_call::wire::{parse_object, WireError};
use aicc_call::{Error, ErrorKind, Operation};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const STATUSES: [u16; 12] = [200, 200, 200, 204, 400, 401, 403, 404, 429, 500, 502, 504];
/// The longest message a decoder's error may carry, in characters, whatever the body's length (server text is
/// cut before it is put in a message; the client cuts messages further after scrubbing secrets).
const MAX_MESSAGE_CHARS: usize = 4096;

fn split(data: &[u8]) -> (u16, String) {
    let text = String::from_utf8_lossy(data);
    if let Some((head, body)) = text.split_once('\n') {
        if let Ok(status) = head.trim().parse::<u16>() {
            return (status, body.to_string());
        }
    }
    let pick = data.first().map_or(0, |b| usize::from(*b)) % STATUSES.len();
    let status = if data.first().is_some_and(|b| *b == b'{' || *b == b'<' || *b == b' ') { 200 } else { STATUSES[pick] };
    (status, text.into_owned())
}

fn check_error(op: Operation, status: u16, e: &Error) {
    assert!(!e.message.trim().is_empty(), "{op:?} {status}: empty message: {e:?}");
    assert!(e.message.chars().count() <= MAX_MESSAGE_CHARS, "{op:?} {status}: message of {} chars", e.message.chars().count());
    assert!(!(e.retryable && e.outcome_unknown), "{op:?} {status}: retryable and outcome_unknown: {e:?}");
    assert!(!e.outcome_unknown, "a decoder alone cannot know the outcome is unknown: {e:?}");
    assert_eq!(e.operation, op, "{e:?}");
    assert_eq!(e.attempts, 0, "{e:?}");
    let as_json = serde_json::to_string(e);
    assert!(as_json.is_ok(), "{op:?}: error does not serialise: {as_json:?}");
    match e.kind {
        ErrorKind::Validation => {
            // Only a gateway's refusal of invalid input becomes a validation error here.
            assert_eq!(status, 400, "{e:?}");
            let field = e.field.unwrap_or_default();
            assert!(request_field(field).is_some(), "{e:?}");
            let rule = e.rule.clone().unwrap_or_default();
            assert!(!rule.chars().any(char::is_control), "rule {rule:?}");
            assert!(rule.chars().count() <= MAX_MESSAGE_CHARS, "rule of {} chars", rule.chars().count());
            assert!(!e.retryable);
        }
        ErrorKind::Api => {
            assert!((200..=299).contains(&status), "{e:?}");
            let code = e.code.as_ref().map(|c| c.code.clone());
            assert!(code.is_some(), "api error without a code: {e:?}");
            assert_eq!(e.retryable, e.code.as_ref().is_some_and(|c| c.retryable), "{e:?}");
        }
        ErrorKind::Auth => {
            assert!(matches!(status, 401 | 403), "{op:?} {status} auth: {e:?}");
            assert_eq!(e.status, Some(status));
            assert!(!e.retryable);
        }
        ErrorKind::Http => {
            assert!(!(200..=299).contains(&status) && !matches!(status, 401 | 403), "{op:?} {status}: {e:?}");
            assert_eq!(e.status, Some(status));
            assert_eq!(e.retryable, matches!(status, 429 | 502 | 503 | 504), "{e:?}");
        }
        ErrorKind::Decode => {
            // Whether asking again can help an unreadable answer is the client's policy: not checked here.
            assert!((200..=299).contains(&status), "{op:?} {status} decode: {e:?}");
        }
        ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Aborted => panic!("a decoder cannot fail on the network: {e:?}"),
    }
}

fn check<R: serde::Serialize + PartialEq + std::fmt::Debug>(
    op: Operation,
    status: u16,
    body: &str,
    decode: impl Fn(u16, &str) -> Result<R, Error>,
) -> Option<R> {
    let first = decode(status, body);
    let again = decode(status, body);
    assert_eq!(first, again, "{op:?}: not deterministic");
    match first {
        Ok(value) => {
            assert!((200..=299).contains(&status), "{op:?}: Ok from status {status}");
            let text = serde_json::to_string(&value);
            assert!(text.is_ok(), "{op:?}: Ok result does not serialise: {text:?} {value:?}");
            // A success is read from one JSON object.
            assert!(parse_object(body).is_ok(), "{op:?}: Ok from a body parse_object refuses");
            Some(value)
        }
        Err(e) => {
            check_error(op, status, &e);
            None
        }
    }
}

/// JSON equality, except that floats may differ in their last bits: serde_json (without its
/// `float_roundtrip` feature) does not parse every float it prints back to the same bits.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= x.abs().max(y.abs()) * 1e-15,
            _ => false,
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fuzz_target!(|data: &[u8]| {
    let (status, body) = split(data);
    let body = body.as_str();

    match parse_object(body) {
        Ok(obj) => {
            // What was read re-serialises, and reads back the same.
            let text = serde_json::to_string(&obj.0);
            assert!(text.is_ok(), "{text:?}");
            let again = parse_object(&text.unwrap_or_default());
            assert!(again.as_ref().is_ok_and(|a| same_json(&Value::Object(a.0.clone()), &Value::Object(obj.0.clone()))), "round trip of {body:?}: {again:?}");
        }
        Err(WireError(what)) => assert!(!what.trim().is_empty(), "empty WireError for {body:?}"),
    }

    if let Some(placed) = check(Operation::CreateCall, status, body, CreateCall::decode) {
        assert!(placed.call_serial_no.as_deref().is_none_or(digits), "{placed:?}");
    }
    if let Some(state) = check(Operation::QueryCallState, status, body, QueryCallState::decode) {
        assert_eq!(state.is_ended(), state.state == Some(3), "{state:?}");
        assert_eq!(state.state.is_some(), state.state_name.is_some_and(|n| !n.is_empty()), "{state:?}");
        assert!(state.caller.as_deref().is_none_or(|c| !c.trim().is_empty()), "{state:?}");
    }
    if let Some(info) = check(Operation::GetCalledInfo, status, body, GetCalledInfo::decode) {
        assert_eq!(info.dev_type.is_some(), info.dev_type_name.is_some_and(|n| !n.is_empty()), "{info:?}");
    }
    check(Operation::QueryCallInfoByCallId, status, body, QueryCallInfoByCallId::decode);
    check(Operation::QueryBasicCallInfo, status, body, QueryBasicCallInfo::decode);
    check(Operation::QueryCallDetailRecord, status, body, QueryCallDetailRecord::decode);
    // The sweep over every decoder agrees with the typed decoders.
    for op in Operation::API {
        let swept = aicc_call::ops::decode_answer(*op, status, body);
        assert!(swept.is_some(), "{op:?} missing from decode_answer");
    }

    // tokenByAkSk decodes with its request (the lifetime asked for is the fallback of `Expires`).
    let ttl = 1 + u32::from(data.last().copied().unwrap_or(0)) * 14;
    let request = TokenByAkSk::new("fuzz-app-key", "Fz-app-SECRET-0123456789", Some(ttl));
    assert!(request.is_ok(), "{request:?}");
    if let Ok(request) = request {
        let first = request.decode(status, body);
        assert_eq!(first, request.decode(status, body), "tokenByAkSk: not deterministic");
        match first {
            Ok(token) => {
                assert!((200..=299).contains(&status), "token from status {status}");
                assert!(!token.access_token.trim().is_empty(), "empty token");
                assert!(token.expires_in_seconds > 0);
                // Debug never shows the token: it reads the same whatever the token is.
                let other = aicc_call::ops::Token { access_token: "other".into(), ..token.clone() };
                assert_eq!(format!("{token:?}"), format!("{other:?}"));
            }
            Err(e) => {
                check_error(Operation::TokenByAkSk, status, &e);
            }
        }
    }
});
