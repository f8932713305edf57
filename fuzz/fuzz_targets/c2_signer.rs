//! The C2 `auth-v2` signer: `C2Credentials::authorization` on an arbitrary method, path, query, headers, body
//! and time.
//!
//! Input: parts separated by 0xFF bytes: `ak`, `sk`, `method`, `path`, `body`, `headers` (lines `name:value`),
//! `query` (lines `key=value`), `time` (decimal milliseconds, or up to 8 little-endian bytes).
//!
//! Properties: the value is `auth-v2/{AK}/{yyyy-MM-ddTHH:mm:ssZ}/{sorted lowercase header names joined by
//! ;}/{64 lowercase hex}`; the timestamp is the UTC time of `unix_ms` (checked with the inverse calendar
//! conversion); the signature equals an implementation written from docs/aicc-pages.md (the C2 signature)
//! (which also reproduces its published vector); the result is deterministic, depends on the SK, body and
//! time, and never contains the SK; Debug never shows the SK.
#![no_main]

use std::sync::Once;

use aicc_call::sign::{C2Credentials, SignedRequest};
use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;

fn parts(data: &[u8]) -> Vec<Vec<u8>> {
    data.split(|b| *b == 0xFF).map(<[u8]>::to_vec).collect()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn hmac_hex(key: &[u8], data: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(data);
    hex::encode(mac.finalize().into_bytes())
}

/// "percent-encode every UTF-8 byte except A-Z a-z 0-9 - . _ ~ with uppercase %XX".
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The document's scheme, given the timestamp text (checked separately).
fn reference(ak: &str, sk: &str, ts: &str, req: &SignedRequest<'_>) -> String {
    // Header names are lowercased (names and values trimmed, as the signer documents), sorted.
    let mut headers: Vec<(String, String)> =
        req.headers.iter().map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
    headers.sort();
    let signed_hdr = headers.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>().join(";");
    let prefix = format!("auth-v2/{ak}/{ts}/{signed_hdr}");
    let signing_key = hmac_hex(sk.as_bytes(), prefix.as_bytes());
    let mut canonical = format!("{}\n{}\n", req.method.to_ascii_uppercase(), req.path);
    if !req.query.is_empty() {
        let mut q: Vec<String> = req.query.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
        q.sort();
        canonical += &q.join("&");
        canonical += "\n";
    }
    canonical += &signed_hdr;
    canonical += "\n";
    canonical += &headers.iter().map(|(k, v)| format!("{}:{}", enc(k), enc(v))).collect::<Vec<_>>().join("\n");
    canonical += "\n";
    canonical += &enc(req.body);
    format!("{prefix}/{}", hmac_hex(signing_key.as_bytes(), canonical.as_bytes()))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of what the signer computes).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Checks `ts` is `yyyy-MM-ddTHH:mm:ssZ` (a year beyond 4 digits or negative only outside 0..=9999) naming `unix_ms`.
fn check_timestamp(ts: &str, unix_ms: i64) {
    let core = ts.strip_suffix('Z');
    assert!(core.is_some_and(|c| c.len() >= 15 && c.is_char_boundary(c.len() - 15)), "timestamp {ts:?}");
    let core = core.unwrap_or_default();
    let (year, tail) = core.split_at(core.len() - 15);
    let b = tail.as_bytes();
    let num = |r: std::ops::Range<usize>| tail.get(r).and_then(|s| s.parse::<i64>().ok().filter(|_| s.bytes().all(|c| c.is_ascii_digit())));
    assert!(b[0] == b'-' && b[3] == b'-' && b[6] == b'T' && b[9] == b':' && b[12] == b':', "timestamp {ts:?}");
    let (month, day, h, mi, s) = (num(1..3), num(4..6), num(7..9), num(10..12), num(13..15));
    let year = year.parse::<i64>().ok();
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) = (year, month, day, h, mi, s) else {
        panic!("timestamp {ts:?} does not parse")
    };
    assert!((1..=12).contains(&mo) && (1..=days_in_month(y, mo)).contains(&d), "date {ts:?}");
    assert!(h < 24 && mi < 60 && s < 60, "time {ts:?}");
    assert_eq!(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s, unix_ms.div_euclid(1000), "{ts:?} is not {unix_ms} ms");
    if (0..=9999).contains(&y) {
        assert_eq!(ts.len(), 20, "documented format yyyy-MM-ddTHH:mm:ssZ: {ts:?}");
    }
}

static VECTOR: Once = Once::new();

fn published_vector() {
    let creds = C2Credentials::new("globalaktest", "example-secret-key");
    let req = SignedRequest {
        method: "POST",
        path: "/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo",
        query: &[],
        headers: &[("host", "10.22.26.181:28080")],
        body: r#"{"ccId":1,"vdn":1,"callId":"1700000000000-12345"}"#,
    };
    let want = "auth-v2/globalaktest/2023-11-14T22:13:20Z/host/37e95370e86753092a80b29aa2506013986289b4f9991ffb74e54e1fe1c9e42f";
    assert_eq!(creds.authorization(&req, 1_700_000_000_000), want);
    assert_eq!(reference("globalaktest", "example-secret-key", "2023-11-14T22:13:20Z", &req), want, "the reference is wrong");
}

fuzz_target!(|data: &[u8]| {
    VECTOR.call_once(published_vector);
    let p = parts(data);
    let get = |i: usize| p.get(i).cloned().unwrap_or_default();
    let (ak, sk, method, path, body) = (text(&get(0)), text(&get(1)), text(&get(2)), text(&get(3)), text(&get(4)));
    let header_text = text(&get(5));
    let query_text = text(&get(6));
    let time = get(7);
    let unix_ms = match text(&time).trim().parse::<i64>() {
        Ok(ms) => ms,
        Err(_) => {
            let mut raw = [0u8; 8];
            for (slot, b) in raw.iter_mut().zip(&time) {
                *slot = *b;
            }
            i64::from_le_bytes(raw)
        }
    };
    let headers: Vec<(&str, &str)> =
        header_text.lines().filter(|l| !l.is_empty()).map(|l| l.split_once(':').unwrap_or((l, ""))).collect();
    let query: Vec<(&str, &str)> =
        query_text.lines().filter(|l| !l.is_empty()).map(|l| l.split_once('=').unwrap_or((l, ""))).collect();
    let req = SignedRequest { method: &method, path: &path, query: &query, headers: &headers, body: &body };

    let creds = C2Credentials::new(ak.clone(), sk.clone());
    let auth = creds.authorization(&req, unix_ms);
    assert_eq!(auth, creds.authorization(&req, unix_ms), "not deterministic");
    assert_eq!(auth, C2Credentials::new(ak.clone(), sk.clone()).authorization(&req, unix_ms), "depends on more than its inputs");
    assert_eq!(creds.ak(), ak);

    // Shape: auth-v2/{ak}/{ts}/{signed headers}/{64 lowercase hex}.
    let mut names: Vec<(String, String)> =
        headers.iter().map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
    names.sort();
    let signed_hdr = names.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
    let head = format!("auth-v2/{ak}/");
    assert!(auth.starts_with(&head), "{auth:?}");
    let sig_at = auth.len().saturating_sub(64);
    let sig = auth.get(sig_at..).unwrap_or_default();
    assert!(sig.len() == 64 && sig.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{auth:?}");
    let before_sig = auth.get(..sig_at).and_then(|s| s.strip_suffix('/')).unwrap_or_default();
    let ts_and_hdr = before_sig.strip_prefix(head.as_str()).unwrap_or_default();
    let ts = ts_and_hdr.strip_suffix(signed_hdr.as_str()).and_then(|s| s.strip_suffix('/'));
    assert!(ts.is_some(), "signed headers {signed_hdr:?} not in {auth:?}");
    let ts = ts.unwrap_or_default();
    check_timestamp(ts, unix_ms);

    // The signature is the documented one.
    assert_eq!(auth, reference(&ak, &sk, ts, &req), "differs from the documented scheme");

    // It depends on the SK, the body and the time, and never shows the SK.
    let with_other_sk = C2Credentials::new(ak.clone(), format!("{sk}x")).authorization(&req, unix_ms);
    assert_ne!(auth, with_other_sk, "the SK is not signed");
    let body2 = format!("{body}x");
    let other_body = SignedRequest { body: &body2, ..req };
    assert_ne!(auth, creds.authorization(&other_body, unix_ms), "the body is not signed");
    if let Some(later) = unix_ms.checked_add(1000) {
        assert_ne!(auth, creds.authorization(&req, later), "the time is not signed");
    }
    // Only the signature depends on the SK (what precedes it is the same under any SK), and the signature
    // is 64 hex digits that do not hold the SK.
    assert_eq!(with_other_sk.get(..sig_at), auth.get(..sig_at), "the SK changes more than the signature");
    if sk.len() >= 12 {
        assert!(!sig.contains(sk.as_str()), "the SK appears in the signature of {auth:?}");
    }
    let shown = format!("{creds:?}");
    assert_eq!(shown, format!("{:?}", C2Credentials::new(ak, "other")), "Debug depends on the SK");
});
