//! Release/connection callbacks: `callback::parse` on arbitrary bodies, the URL signature (`sign_url` /
//! `verify_url`) on arbitrary URLs, secrets, expiries and nonces, and `callback::decide` on whole requests.
//!
//! Input: parts separated by 0xFF bytes: `body`, `url`, `secret`, `other secret`, `nonce`, `expiry ms`,
//! `now ms`, `method` (any part may be missing; numbers in decimal). The signature is checked against an
//! independent HMAC-SHA256 of the scheme in `src/callback.rs`'s documentation: the URL ends in
//! `aiccexp_<ms>&aiccnonce_<nonce>&aiccsig_<first 32 hex of HMAC-SHA256(secret, everything before "&aiccsig_")>`.
//!
//! Properties: `parse` fails only when the body is not a JSON object, and then with a message; an event
//! re-serialises, has only string fields, an exact-digit serial, and is a release exactly when it carries
//! `releaseReason`/`releaseTime`. `sign_url` succeeds exactly on valid callback URLs without `#`, a secret of
//! 16+ bytes and a nonce of 1-64 letters and digits; its refusal does not depend on the secret's text; what
//! it signs is still a valid `callBackUrl`, verifies with its secret until its expiry (giving back expiry and
//! nonce), is `Expired` after it, `Forged` with another secret (unless HMAC cannot tell the keys apart) and
//! once any character before the signature changes. `verify_url` accepts only URLs that end in a valid
//! signature of what precedes them. `decide` answers 200 only to a POST whose URL verifies (when a secret is
//! set) and whose body parses.
#![no_main]

use aicc_call::callback::{decide, parse, sign_url, verify_url, UrlRefusal, MIN_SECRET_LEN};
use aicc_call::ops::CreateCall;
use aicc_call::wire::parse_object;
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sha2::{Digest, Sha256};

const MARK: &str = "&aiccsig_";

fn parts(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0xFF).map(|p| String::from_utf8_lossy(p).into_owned()).collect()
}

/// The scheme's signature of `text` under `secret`, written from its description, not from the crate's code.
fn reference_signature(text: &str, secret: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(text.as_bytes());
    let mut hex = hex::encode(mac.finalize().into_bytes());
    hex.truncate(32);
    hex
}

/// Whether `url` ends in `&aiccsig_<sig>`, the signature of the text before it.
fn reference_signed(url: &str, secret: &str) -> bool {
    // The signature is the text after the last mark; 32 lowercase hex characters never contain the mark.
    let Some(at) = url.rfind(MARK) else { return false };
    let (base, sig) = (&url[..at], &url[at + MARK.len()..]);
    sig.len() == 32 && sig == reference_signature(base, secret)
}

/// Two HMAC keys are the same key when, padded with zeros to the block size (64 bytes; longer keys are
/// hashed first), they are equal: such secrets cannot be told apart by any HMAC-based signature.
fn same_hmac_key(a: &str, b: &str) -> bool {
    let block = |k: &str| {
        let mut key = if k.len() > 64 { Sha256::digest(k.as_bytes()).to_vec() } else { k.as_bytes().to_vec() };
        key.resize(64, 0);
        key
    };
    block(a) == block(b)
}

fn valid_callback_url(url: &str) -> bool {
    !url.is_empty() && CreateCall::builder("88889050", "88889060").call_back_url(url).build().is_ok()
}

fn valid_nonce(nonce: &str) -> bool {
    (1..=64).contains(&nonce.len()) && nonce.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn number(text: &str, fallback: i64) -> i64 {
    text.trim().parse::<i64>().unwrap_or(fallback)
}

fn check_parse(body: &str) {
    match parse(body) {
        Ok(event) => {
            let obj = parse_object(body);
            assert!(obj.is_ok(), "parse accepted what parse_object refuses: {body:?}");
            let obj = obj.unwrap_or_default();
            let text = serde_json::to_string(&event);
            assert!(text.is_ok(), "{text:?}");
            assert!(event.kind == "release" || event.kind == "connect", "{event:?}");
            let is_release = obj.get("releaseReason").is_some() || obj.get("releaseTime").is_some();
            assert_eq!(event.kind == "release", is_release, "{event:?}");
            assert!(event.release_reason.is_none() || obj.get("releaseReason").is_some(), "{event:?}");
            if let Some(reason) = &event.release_reason {
                assert!(reason.code.chars().count() <= 32, "release reason code kept unbounded: {:?}", reason.code.len());
            }
            assert!(event.call_serial_no.as_deref().is_none_or(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())));
            assert!(event.fields.values().all(Value::is_string), "{event:?}");
            assert!(event.fields.keys().all(|k| obj.0.contains_key(k)));
            for (k, v) in &obj.0 {
                if matches!(v, Value::String(_) | Value::Number(_)) {
                    assert!(event.fields.contains_key(k), "field {k} dropped");
                }
            }
        }
        Err(e) => {
            assert!(!e.message.trim().is_empty());
            assert!(parse_object(body).is_err(), "parse refused a JSON object: {body:?}: {e:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let get = |i: usize| p.get(i).cloned().unwrap_or_default();
    let (body, url, secret, other, nonce) = (get(0), get(1), get(2), get(3), get(4));
    let now = number(&get(6), 1_700_000_000_000);
    let expires = number(&get(5), now.saturating_add(86_400_000));
    let method = get(7);

    check_parse(&body);

    // Arbitrary URLs verify only when they end in a valid signature of what precedes it.
    for key in [&secret, &other] {
        let verified = verify_url(&url, key, now);
        if verified.is_ok() || verified == Err(UrlRefusal::Expired) {
            assert!(reference_signed(&url, key), "verify_url({url:?}, {key:?}) = {verified:?} without a valid signature");
        }
        if let Ok(signed) = &verified {
            assert!(now <= signed.expires_at_ms, "{verified:?} at {now}");
            assert!(url.contains(&format!("aiccexp_{}", signed.expires_at_ms)) && url.contains(&format!("aiccnonce_{}", signed.nonce)));
        }
    }
    // A forged signature over arbitrary text with the scheme's items verifies (the format is the scheme).
    let forged_base = format!("{url}?aiccexp_{}&aiccnonce_{}", expires.max(0), nonce);
    let forged = format!("{forged_base}{MARK}{}", reference_signature(&forged_base, &secret));
    if !nonce.contains(['&', '?']) {
        let got = verify_url(&forged, &secret, now);
        // No URL verifies under a secret too short to sign with.
        let want = if secret.len() < MIN_SECRET_LEN {
            Err(UrlRefusal::Forged)
        } else if now > expires.max(0) {
            Err(UrlRefusal::Expired)
        } else {
            Ok(())
        };
        assert_eq!(got.as_ref().map(|_| ()).map_err(|e| *e), want, "{forged:?} at {now}: {got:?}");
    }

    // sign_url: succeeds exactly on what it documents, and what it signs verifies.
    let expected_ok = valid_callback_url(&url) && secret.len() >= MIN_SECRET_LEN && !url.contains('#') && valid_nonce(&nonce);
    match sign_url(&url, &secret, expires, &nonce) {
        Ok(signed) => {
            assert!(expected_ok, "sign_url accepted {url:?} / {} bytes of secret / nonce {nonce:?}", secret.len());
            assert!(signed.starts_with(url.as_str()), "{signed:?}");
            assert!(valid_callback_url(&signed), "a signed URL is no longer a valid callBackUrl: {signed:?}");
            assert!(reference_signed(&signed, &secret), "{signed:?}");
            let at_expiry = expires.max(0);
            let ok = verify_url(&signed, &secret, at_expiry);
            assert_eq!(ok.as_ref().map(|s| (s.expires_at_ms, s.nonce.as_str())), Ok((at_expiry, nonce.as_str())), "{signed:?}");
            if let Some(later) = at_expiry.checked_add(1) {
                assert_eq!(verify_url(&signed, &secret, later), Err(UrlRefusal::Expired), "{signed:?} after its expiry");
            }
            if !same_hmac_key(&secret, &other) {
                assert_eq!(verify_url(&signed, &other, at_expiry), Err(UrlRefusal::Forged), "{signed:?} verified with another secret");
            }
            // Change any one character before the signature: it no longer verifies.
            let cut = signed.rfind(MARK).unwrap_or(0);
            if let Some((i, c)) = signed[..cut].char_indices().nth(method.len() % cut.max(1)) {
                let replacement = if c == 'a' { 'b' } else { 'a' };
                let mut tampered = signed.clone();
                tampered.replace_range(i..i + c.len_utf8(), &replacement.to_string());
                assert_eq!(verify_url(&tampered, &secret, at_expiry), Err(UrlRefusal::Forged), "tampered URL verified: {tampered:?}");
            }
        }
        Err(e) => {
            assert!(!expected_ok, "sign_url refused {url:?}: {e:?}");
            assert!(!e.message.trim().is_empty());
            assert!(e.field.is_some(), "{e:?}");
            // The refusal depends on the secret's length only, never on its text (which it must not echo).
            let same_length = "s".repeat(secret.len());
            assert_eq!(sign_url(&url, &same_length, expires, &nonce).err(), Some(e), "the refusal depends on the secret's text");
        }
    }

    // decide: one whole callback request.
    let secret_opt = if method.len() % 3 == 0 { None } else { Some(secret.as_str()) };
    let d = decide(&method, &url, &body, secret_opt, now);
    assert!(matches!(d.status, 200 | 400 | 403 | 405 | 500), "{d:?}");
    let answer = parse_object(&d.body);
    assert!(answer.as_ref().is_ok_and(|a| a.get("retCode").is_some()), "{d:?}");
    assert_eq!(d.status == 405, !method.eq_ignore_ascii_case("POST"), "{d:?}");
    assert_eq!(d.event.is_some(), d.status == 200, "{d:?}");
    if d.status == 200 {
        assert!(parse(&body).is_ok());
        if let Some(s) = secret_opt {
            assert!(s.len() >= MIN_SECRET_LEN && verify_url(&url, s, now).is_ok(), "accepted without a valid signature: {url:?}");
        }
    }
    if method.eq_ignore_ascii_case("POST") && secret_opt.is_some_and(|s| s.len() < MIN_SECRET_LEN) {
        assert_eq!(d.status, 500, "{d:?}");
    }
});
