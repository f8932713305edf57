//! Callbacks AICC pushes to the `callBackUrl` of createCall (release) or to a configured URL (connection):
//! reading them, and the optional URL signature that lets a receiver refuse forged pushes.
//!
//! AICC signs nothing for bidirectional calls, and the callback URL may only hold letters, digits and
//! `-:./_#?&`, so the signature is a final query item `aiccsig_<hex>`: HMAC-SHA256 of the URL before it.

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::codes::{release, Code};
use crate::error::Error;
use crate::operation::Operation;
use crate::rules;
use crate::wire::parse_object;

const MARK: &str = "aiccsig_";
/// The shortest secret accepted for signing and checking callback URLs.
pub const MIN_SECRET_LEN: usize = 16;
/// Hex characters of the signature kept in the URL (128 bits).
const SIGNATURE_HEX: usize = 32;
/// The reply AICC expects from a callback receiver.
pub const ACKNOWLEDGEMENT: &str = r#"{"retCode":"0","retMsg":"success"}"#;

/// Appends the signature of `url` under `secret`; the result is still a valid `callBackUrl`.
pub fn sign_url(url: &str, secret: &str) -> Result<String, Error> {
    let op = Operation::CreateCall;
    rules::callback_url(op, "callBackUrl", url)?;
    if secret.len() < MIN_SECRET_LEN {
        return Err(Error::validation(Operation::Configuration, "secret", "must be at least 16 characters"));
    }
    if url.contains('#') {
        return Err(Error::validation(op, "callBackUrl", "must not contain # when signed"));
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{separator}{MARK}{}", signature(url, secret)))
}

/// Whether `url` (as the callback request arrived) carries a valid signature under `secret`.
pub fn verify_url(url: &str, secret: &str) -> bool {
    let Some(at) = url.rfind(MARK) else { return false };
    let (signed, rest) = url.split_at(at);
    let Some(base) = signed.strip_suffix(['?', '&']) else { return false };
    let given = rest.trim_start_matches(MARK);
    let want = signature(base, secret);
    // Constant-time comparison: the lengths are public, the bytes are not.
    given.len() == want.len() && given.bytes().zip(want.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn signature(url: &str, secret: &str) -> String {
    let mut hex = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(url.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    };
    hex.truncate(SIGNATURE_HEX);
    hex
}

/// One callback, decoded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackEvent {
    /// `release` (the call ended) or `connect` (the connection callback).
    pub kind: &'static str,
    /// The call's serial (`callSerialNo`), exact.
    pub call_serial_no: Option<String>,
    /// Why the call was released (`releaseReason`, decoded); release callbacks only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_reason: Option<Code>,
    /// Every field as received, as strings (the platform sends all fields as strings).
    pub fields: Map<String, Value>,
}

/// Reads a callback body. Release callbacks carry `releaseReason` or `releaseTime`.
pub fn parse(body: &str) -> Result<CallbackEvent, Error> {
    let op = Operation::CreateCall;
    let obj = parse_object(body).map_err(|e| Error::decode(op, 200, format!("callback body: {}", e.0)))?;
    let fields: Map<String, Value> = obj
        .0
        .keys()
        .filter_map(|k| obj.string(k).ok().flatten().map(|v| (k.clone(), Value::String(v))))
        .collect();
    let is_release = obj.get("releaseReason").is_some() || obj.get("releaseTime").is_some();
    let reason = obj.string("releaseReason").ok().flatten().map(|r| release::release_reason(&r));
    Ok(CallbackEvent {
        kind: if is_release { "release" } else { "connect" },
        call_serial_no: obj.decimal_id("callSerialNo").ok().flatten(),
        release_reason: reason,
        fields,
    })
}

/// What to answer one callback request, and the event to hand to `onRelease`/`onConnect` when it is valid.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackDecision {
    /// 200 (accepted), 400 (unreadable body), 401 (signature missing or wrong), 405 (not POST) or 500 (the
    /// receiver's secret is too short).
    pub status: u16,
    /// The JSON body to answer (AICC reads `retCode`).
    pub body: String,
    /// The decoded callback, for an accepted request.
    pub event: Option<CallbackEvent>,
}

/// Decides on one callback request: the method, the signature of `url` when a `secret` is configured, then
/// the body.
pub fn decide(method: &str, url: &str, body: &str, secret: Option<&str>) -> CallbackDecision {
    let refuse = |status: u16, message: &str| CallbackDecision {
        status,
        body: serde_json::json!({ "retCode": "1", "retMsg": message }).to_string(),
        event: None,
    };
    if !method.eq_ignore_ascii_case("POST") {
        return refuse(405, "callbacks are POST");
    }
    if secret.is_some_and(|s| s.len() < MIN_SECRET_LEN) {
        return refuse(500, "the callback secret is too short: use at least 16 characters");
    }
    if secret.is_some_and(|s| !verify_url(url, s)) {
        return refuse(401, "callback signature missing or wrong");
    }
    match parse(body) {
        Ok(event) => CallbackDecision { status: 200, body: ACKNOWLEDGEMENT.to_string(), event: Some(event) },
        Err(e) => refuse(400, &e.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions() {
        let release = r#"{"callSerialNo":"1","releaseReason":"0"}"#;
        assert_eq!(decide("GET", "https://x/cb", release, None).status, 405);
        assert_eq!(decide("POST", "https://x/cb", release, Some("short")).status, 500);
        let secret = "0123456789abcdef";
        assert_eq!(decide("POST", "https://x/cb", release, Some(secret)).status, 401);
        let signed = sign_url("https://x/cb", secret).unwrap_or_default();
        let ok = decide("post", &signed, release, Some(secret));
        assert_eq!((ok.status, ok.body.as_str()), (200, ACKNOWLEDGEMENT));
        assert_eq!(ok.event.map(|e| e.kind), Some("release"));
        let bad = decide("POST", &signed, "{", Some(secret));
        assert_eq!((bad.status, bad.event), (400, None));
        assert!(bad.body.contains("\"retCode\":\"1\""));
    }

    const SECRET: &str = "a-long-enough-secret";

    #[test]
    fn signed_urls_verify_and_stay_valid() {
        for url in ["https://crm.example.com/aicc/release", "http://127.0.0.1:8787/cb?tenant_1"] {
            let signed = sign_url(url, SECRET).unwrap_or_default();
            assert!(rules::callback_url(Operation::CreateCall, "callBackUrl", &signed).is_ok(), "{signed}");
            assert!(verify_url(&signed, SECRET), "{signed}");
            assert!(!verify_url(&signed, "another-secret-value"));
            assert!(!verify_url(url, SECRET));
            let tampered = signed.replace("release", "relaase").replace("tenant_1", "tenant_2");
            assert!(!verify_url(&tampered, SECRET));
        }
        assert!(sign_url("https://x/a", "short").is_err());
        assert!(sign_url("https://x/a b", SECRET).is_err());
    }

    #[test]
    fn release_callback_fields() {
        let body = r#"{"callSerialNo":"645735364434067472","serviceNo":"640003","called":"88889060","caller":"88889050",
            "releaseReason":"5","releaseTime":"1621823872000","talkDuration":"0"}"#;
        let parsed = parse(body);
        assert!(parsed.is_ok(), "{parsed:?}");
        let Ok(e) = parsed else { return };
        assert_eq!(e.kind, "release");
        assert_eq!(e.call_serial_no.as_deref(), Some("645735364434067472"));
        assert_eq!(e.release_reason.as_ref().map(|c| c.code.as_str()), Some("5"));
        assert_eq!(e.fields.get("talkDuration"), Some(&Value::String("0".into())));
    }

    #[test]
    fn connection_callback_and_bad_bodies() {
        let e = parse(r#"{"callSerialNo":645735364434067472,"serviceNo":"640003","called":"1","callData":"x"}"#);
        assert!(e.is_ok_and(|e| e.kind == "connect" && e.call_serial_no.as_deref() == Some("645735364434067472")));
        assert!(parse("").is_err() && parse("<html>").is_err());
    }
}
