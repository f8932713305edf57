//! Callbacks AICC pushes to the `callBackUrl` of createCall (release) or to a configured URL (connection):
//! reading them, and the optional URL signature that lets a receiver refuse forged pushes.
//!
//! AICC signs nothing for bidirectional calls, and the callback URL may only hold letters, digits and
//! `-:./_#?&`, so a signed URL ends in three query items: `aiccexp_<ms>` (when it stops being accepted),
//! `aiccnonce_<hex>` (one per call) and `aiccsig_<hex>`, the HMAC-SHA256 of the URL before it.

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::codes::{release, Code};
use crate::state::ledger::{self, Command, Outcome};
use crate::state::Store;
use crate::error::Error;
use crate::operation::Operation;
use crate::rules;
use crate::wire::parse_object;

const MARK: &str = "aiccsig_";
const EXPIRES: &str = "aiccexp_";
const NONCE: &str = "aiccnonce_";
/// How long a signed callback URL is accepted by default: a day, longer than any call.
pub const DEFAULT_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// The shortest secret accepted for signing and checking callback URLs.
pub const MIN_SECRET_LEN: usize = 16;
/// Hex characters of the signature kept in the URL (128 bits).
const SIGNATURE_HEX: usize = 32;
/// The reply AICC expects from a callback receiver.
pub const ACKNOWLEDGEMENT: &str = r#"{"retCode":"0","retMsg":"success"}"#;

/// Appends an expiry (`expires_at_ms`), the per-call `nonce` (letters and digits) and the signature of all of
/// it under `secret` to `url`; the result is still a valid `callBackUrl`.
pub fn sign_url(url: &str, secret: &str, expires_at_ms: i64, nonce: &str) -> Result<String, Error> {
    let op = Operation::CreateCall;
    rules::callback_url(op, "callBackUrl", url)?;
    if secret.len() < MIN_SECRET_LEN {
        return Err(Error::validation(Operation::Configuration, "secret", "must be at least 16 characters"));
    }
    if url.contains('#') {
        return Err(Error::validation(op, "callBackUrl", "must not contain # when signed"));
    }
    if nonce.is_empty() || nonce.len() > 64 || !nonce.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::validation(Operation::Configuration, "nonce", "must be 1 to 64 letters and digits"));
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    let base = format!("{url}{separator}{EXPIRES}{}&{NONCE}{nonce}", expires_at_ms.max(0));
    let signature = signature(&base, secret);
    Ok(format!("{base}&{MARK}{signature}"))
}

/// What a signed callback URL says, once its signature checks out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedUrl {
    /// When it stops being accepted, in milliseconds since the Unix epoch.
    pub expires_at_ms: i64,
    /// The per-call nonce.
    pub nonce: String,
}

/// Why a callback URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlRefusal {
    /// No signature, or not the one `secret` makes (forged or altered).
    Forged,
    /// Signed, but past its expiry.
    Expired,
}

/// Checks the signature of `url` (as the callback request arrived, on the configured public origin) under
/// `secret`, and its expiry against `now_ms`.
pub fn verify_url(url: &str, secret: &str, now_ms: i64) -> Result<SignedUrl, UrlRefusal> {
    if secret.len() < MIN_SECRET_LEN {
        // No URL is trusted under a secret too short to sign with.
        return Err(UrlRefusal::Forged);
    }
    let at = url.rfind(MARK).ok_or(UrlRefusal::Forged)?;
    let (signed, rest) = url.split_at(at);
    let base = signed.strip_suffix('&').ok_or(UrlRefusal::Forged)?;
    let given = rest.trim_start_matches(MARK);
    let want = signature(base, secret);
    // Constant-time comparison: the lengths are public, the bytes are not.
    let equal = given.len() == want.len() && given.bytes().zip(want.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !equal {
        return Err(UrlRefusal::Forged);
    }
    let item = |mark: &str| base.rsplit(['?', '&']).find_map(|part| part.strip_prefix(mark));
    let expires_at_ms = item(EXPIRES).and_then(|t| t.parse::<i64>().ok()).ok_or(UrlRefusal::Forged)?;
    let nonce = item(NONCE).ok_or(UrlRefusal::Forged)?.to_string();
    if now_ms > expires_at_ms {
        return Err(UrlRefusal::Expired);
    }
    Ok(SignedUrl { expires_at_ms, nonce })
}

/// The nonce of a URL made by [`sign_url`] (not verified: for the gateway's own URL).
pub fn nonce_of(url: &str) -> Option<&str> {
    let base = url.get(..url.rfind(MARK)?)?;
    base.rsplit(['?', '&']).find_map(|part| part.strip_prefix(NONCE)).filter(|n| !n.is_empty())
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
    /// The nonce of the verified callback URL, when a secret is configured.
    pub nonce: Option<String>,
    /// After the handler of `event` ran: the state command (key, command text) that confirms it, so that a
    /// later delivery is a replay. Until then a delivery is handed on again (nothing is lost when the state
    /// answered too late or the handler failed).
    pub confirm: Option<(String, String)>,
}

impl CallbackDecision {
    fn refuse(status: u16, message: &str) -> Self {
        let body = serde_json::json!({ "retCode": "1", "retMsg": message }).to_string();
        CallbackDecision { status, body, event: None, nonce: None, confirm: None }
    }
}

/// Takes a release once through the gateway's shared state: the callback URL's nonce must be one the gateway
/// reserved for a call (before sending its createCall), and the release's `callSerialNo` the serial bound to it
/// (or, when the createCall answer was lost, it binds it: the call then becomes its session's, followable).
/// The release is handed on until its handler is confirmed ([`CallbackDecision::confirm`]); a delivery after
/// that is acknowledged with no event, so AICC stops resending. A mismatch is refused (403); a store that
/// cannot be reached answers 503, so AICC sends it again later.
pub async fn take_once<S: Store>(decision: CallbackDecision, store: &S, call_ttl_ms: i64) -> CallbackDecision {
    let Some(event) = decision.event.as_ref().filter(|e| e.kind == "release") else { return decision };
    let (Some(nonce), Some(serial)) = (decision.nonce.clone(), event.call_serial_no.as_deref().map(crate::rules::canonical_serial)) else {
        return CallbackDecision::refuse(403, "this callback URL was not signed for this call");
    };
    let key = ledger::nonce_key(&nonce);
    let command = ledger::command_text(&Command::Release { serial: serial.clone() });
    match store.apply(&key, &command).await.ok().and_then(|text| ledger::outcome(&text)) {
        Some(Outcome::FirstRelease { session }) => {
            // The call is its session's even if the createCall answer never reached the gateway: the nonce
            // proves who placed it, over any claim of a lookup.
            let record = ledger::command_text(&Command::Record { session, nonce: Some(nonce), ttl_ms: call_ttl_ms });
            let _ = store.apply(&ledger::call_key(&serial), &record).await;
            let confirm = ledger::command_text(&Command::Confirm { serial });
            CallbackDecision { confirm: Some((key, confirm)), ..decision }
        }
        Some(Outcome::Replay) => CallbackDecision { event: None, ..decision },
        Some(Outcome::Mismatch | Outcome::Unknown) => CallbackDecision::refuse(403, "this callback URL was not signed for this call"),
        _ => CallbackDecision::refuse(503, "the receiver's shared state could not be reached"),
    }
}

/// How long reading a callback body, and each state command, may take by default (`timeoutMs`).
pub const DEFAULT_RECEIVER_TIMEOUT_MS: u32 = 5_000;
/// The largest callback body read by default (`maxBodyBytes`): AICC's callbacks are under 2 KiB.
pub const DEFAULT_RECEIVER_MAX_BODY_BYTES: u32 = 16 * 1024;
/// The headers of every answer to a callback.
pub const ANSWER_HEADERS: [(&str, &str); 1] = [("Content-Type", "application/json")];

/// A receiver's limits, checked, with their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiverLimits {
    /// How long reading the body, and each state command, may take.
    pub timeout_ms: u32,
    /// How long a call made its session's by its release is kept.
    pub call_ttl_ms: i64,
    /// The largest body read; a larger one is answered [`too_large`].
    pub max_body_bytes: u32,
}

/// A receiver's limits: `timeoutMs` (1 ms to 60 s, default 5 s), `callTtlMs` (a minute to 31 days, default
/// a day) and `maxBodyBytes` (1 byte to 1 MiB, default 16 KiB), checked like the gateway's, naming the option
/// at fault.
pub fn receiver_limits(timeout_ms: Option<u32>, call_ttl_ms: Option<u32>, max_body_bytes: Option<u32>) -> Result<ReceiverLimits, Error> {
    let op = Operation::Configuration;
    let timeout_ms = timeout_ms.unwrap_or(DEFAULT_RECEIVER_TIMEOUT_MS);
    if !(1..=60_000).contains(&timeout_ms) {
        return Err(Error::validation(op, "timeoutMs", "must be between 1 and 60000 milliseconds"));
    }
    let call_ttl_ms = call_ttl_ms.map_or(ledger::DAY_MS, i64::from);
    if !(ledger::MINUTE_MS..=31 * ledger::DAY_MS).contains(&call_ttl_ms) {
        return Err(Error::validation(op, "callTtlMs", "must be between 60000 (a minute) and 2678400000 (31 days)"));
    }
    let max_body_bytes = max_body_bytes.unwrap_or(DEFAULT_RECEIVER_MAX_BODY_BYTES);
    if !(1..=1024 * 1024).contains(&max_body_bytes) {
        return Err(Error::validation(op, "maxBodyBytes", "must be between 1 and 1048576 bytes"));
    }
    Ok(ReceiverLimits { timeout_ms, call_ttl_ms, max_body_bytes })
}

/// The answer to a callback body over `maxBodyBytes`.
pub fn too_large() -> CallbackDecision {
    CallbackDecision::refuse(413, "the callback body is too large")
}

/// The answer to a callback body not sent within `timeoutMs`.
pub fn too_slow() -> CallbackDecision {
    CallbackDecision::refuse(408, "the callback body was not sent in time")
}

/// When a URL signed at `now_ms` stops being accepted: `ttl_ms` later (may be negative, for tests), a day by
/// default.
pub fn expiry(now_ms: i64, ttl_ms: Option<i64>) -> i64 {
    now_ms.saturating_add(ttl_ms.unwrap_or(DEFAULT_TTL_MS))
}

/// Checks a receiver's options: a `secret` of at least [`MIN_SECRET_LEN`] characters, and with it the public
/// URL the callback URLs were signed for. Gives the URL to check a request to `request_url` against: the
/// public origin with the request's path and query, never the request's own Host.
pub fn receiver_url(secret: Option<&str>, public_url: Option<&str>, one_shot: bool, request_url: &str) -> Result<String, Error> {
    let op = Operation::Configuration;
    if one_shot && secret.is_none() {
        return Err(Error::validation(op, "state", "needs secret: only a signed callback URL carries the nonce of its call"));
    }
    let Some(secret) = secret else { return Ok(request_url.to_string()) };
    if secret.len() < MIN_SECRET_LEN {
        return Err(Error::validation(op, "secret", "must be a string of at least 16 characters"));
    }
    let origin = public_url.map(str::trim).and_then(|url| {
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
        let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        (host_len > 0).then(|| url.get(..url.len() - rest.len() + host_len)).flatten()
    });
    let origin = origin.ok_or_else(|| {
        Error::validation(op, "publicUrl", "is required with secret: the public origin callbacks are sent to, e.g. https://gw.example.com")
    })?;
    Ok(format!("{origin}{}", crate::url::path_and_query_of(request_url)))
}

/// Decides on one callback request at `now_ms`: the method, the signature and expiry of `url` (the URL on the
/// configured public origin) when a `secret` is configured, then the body.
pub fn decide(method: &str, url: &str, body: &str, secret: Option<&str>, now_ms: i64) -> CallbackDecision {
    let refuse = CallbackDecision::refuse;
    if !method.eq_ignore_ascii_case("POST") {
        return refuse(405, "callbacks are POST");
    }
    if secret.is_some_and(|s| s.len() < MIN_SECRET_LEN) {
        return refuse(500, "the callback secret is too short: use at least 16 characters");
    }
    let nonce = match secret.map(|s| verify_url(url, s, now_ms)) {
        Some(Err(UrlRefusal::Forged)) => return refuse(403, "callback signature missing or wrong"),
        Some(Err(UrlRefusal::Expired)) => return refuse(403, "callback URL expired"),
        Some(Ok(signed)) => Some(signed.nonce),
        None => None,
    };
    match parse(body) {
        Ok(event) => CallbackDecision { status: 200, body: ACKNOWLEDGEMENT.to_string(), event: Some(event), nonce, confirm: None },
        Err(e) => refuse(400, &e.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_too_large_or_too_slow_is_answered_as_aicc_reads_it() {
        assert_eq!((too_large().status, too_slow().status), (413, 408));
        assert!(too_large().body.contains("\"retCode\":\"1\"") && too_slow().event.is_none());
        assert_eq!(expiry(1_000, None), 1_000 + DEFAULT_TTL_MS);
        assert_eq!(expiry(1_000, Some(-1_000)), 0);
    }

    #[test]
    fn receiver_limits_are_checked_like_the_gateways() {
        let defaults = ReceiverLimits { timeout_ms: 5_000, call_ttl_ms: ledger::DAY_MS, max_body_bytes: 16 * 1024 };
        assert_eq!(receiver_limits(None, None, None), Ok(defaults));
        assert!(receiver_limits(Some(0), None, None).is_err_and(|e| e.field == Some("timeoutMs")));
        assert!(receiver_limits(Some(60_001), None, None).is_err_and(|e| e.field == Some("timeoutMs")));
        assert!(receiver_limits(None, Some(1), None).is_err_and(|e| e.field == Some("callTtlMs")));
        assert!(receiver_limits(None, None, Some(0)).is_err_and(|e| e.field == Some("maxBodyBytes")));
        assert!(receiver_limits(None, None, Some(1024 * 1024 + 1)).is_err_and(|e| e.field == Some("maxBodyBytes")));
        let given = ReceiverLimits { timeout_ms: 200, call_ttl_ms: 60_000, max_body_bytes: 64 };
        assert_eq!(receiver_limits(Some(200), Some(60_000), Some(64)), Ok(given));
    }

    #[test]
    fn callbacks_are_checked_against_the_public_origin_only() {
        let url = |public: Option<&str>, request: &str| receiver_url(Some("0123456789abcdef"), public, true, request);
        assert_eq!(url(Some("https://gw.example.com/"), "http://10.0.0.7:8787/cb?aiccexp_1#x").ok().as_deref(), Some("https://gw.example.com/cb?aiccexp_1"));
        assert_eq!(url(Some(" http://127.0.0.1:9000"), "http://localhost/cb").ok().as_deref(), Some("http://127.0.0.1:9000/cb"));
        for bad in [None, Some(""), Some("gw.example.com"), Some("https://")] {
            assert_eq!(url(bad, "http://x/cb").err().and_then(|e| e.field), Some("publicUrl"), "{bad:?}");
        }
        assert_eq!(receiver_url(Some("short"), Some("https://gw"), false, "http://x/cb").err().and_then(|e| e.field), Some("secret"));
        assert_eq!(receiver_url(None, None, false, "http://x/cb").ok().as_deref(), Some("http://x/cb"), "unsigned receivers check nothing");
        assert_eq!(receiver_url(None, None, true, "http://x/cb").err().and_then(|e| e.field), Some("state"), "one-shot needs the nonce");
    }

    #[test]
    fn decisions() {
        let release = r#"{"callSerialNo":"1","releaseReason":"0"}"#;
        let now = 1_700_000_000_000;
        assert_eq!(decide("GET", "https://x/cb", release, None, now).status, 405);
        assert_eq!(decide("POST", "https://x/cb", release, Some("short"), now).status, 500);
        let secret = "0123456789abcdef";
        assert_eq!(decide("POST", "https://x/cb", release, Some(secret), now).status, 403);
        let signed = sign_url("https://x/cb", secret, now + 1000, "n1").unwrap_or_default();
        let ok = decide("post", &signed, release, Some(secret), now);
        assert_eq!((ok.status, ok.body.as_str()), (200, ACKNOWLEDGEMENT));
        assert_eq!(ok.event.map(|e| e.kind), Some("release"));
        let expired = decide("POST", &signed, release, Some(secret), now + 1001);
        assert_eq!((expired.status, expired.event), (403, None));
        assert!(expired.body.contains("expired"));
        let bad = decide("POST", &signed, "{", Some(secret), now);
        assert_eq!((bad.status, bad.event), (400, None));
        assert!(bad.body.contains("\"retCode\":\"1\""));
    }

    const SECRET: &str = "a-long-enough-secret";

    #[test]
    fn signed_urls_verify_carry_their_nonce_and_expiry_and_stay_valid() {
        let now = 1_700_000_000_000;
        for url in ["https://crm.example.com/aicc/release", "http://127.0.0.1:8787/cb?tenant_1"] {
            let signed = sign_url(url, SECRET, now + DEFAULT_TTL_MS, "4f2a9c").unwrap_or_default();
            assert!(rules::callback_url(Operation::CreateCall, "callBackUrl", &signed).is_ok(), "{signed}");
            let verified = verify_url(&signed, SECRET, now);
            assert_eq!(verified, Ok(SignedUrl { expires_at_ms: now + DEFAULT_TTL_MS, nonce: "4f2a9c".into() }), "{signed}");
            assert_eq!(verify_url(&signed, SECRET, now + DEFAULT_TTL_MS + 1), Err(UrlRefusal::Expired));
            assert_eq!(verify_url(&signed, "another-secret-value", now), Err(UrlRefusal::Forged));
            assert_eq!(verify_url(url, SECRET, now), Err(UrlRefusal::Forged));
            let tampered = signed.replace("release", "relaase").replace("tenant_1", "tenant_2");
            assert_eq!(verify_url(&tampered, SECRET, now), Err(UrlRefusal::Forged));
            let later = signed.replace(&format!("aiccexp_{}", now + DEFAULT_TTL_MS), &format!("aiccexp_{}", now + 2 * DEFAULT_TTL_MS));
            assert_eq!(verify_url(&later, SECRET, now), Err(UrlRefusal::Forged), "the expiry is signed");
        }
        assert!(sign_url("https://x/a", "short", now, "n").is_err());
        assert_eq!(verify_url("https://x/a?aiccexp_1&aiccnonce_n&aiccsig_0", "", now), Err(UrlRefusal::Forged), "no empty secret");
        assert!(sign_url("https://x/a b", SECRET, now, "n").is_err());
        assert!(sign_url("https://x/a", SECRET, now, "not=ok").is_err());
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
