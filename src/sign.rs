//! The C2 `auth-v2` signature of the CMS openapi (querybasiccallinfo and its family).
//!
//! Pure: the clock is an argument. The scheme (from Huawei's signing demo):
//! `prefix = auth-v2/{AK}/{UTC time}/{signed header names}`, `key = hex(HMAC-SHA256(SK, prefix))`,
//! `signature = hex(HMAC-SHA256(key, canonical request))`, `Authorization = prefix/signature`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// AK/SK of a CMS openapi account. `Debug` never shows the SK.
#[derive(Clone, PartialEq, Eq)]
pub struct C2Credentials {
    ak: String,
    sk: String,
}

impl std::fmt::Debug for C2Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("C2Credentials").field("ak", &self.ak).field("sk", &"<redacted>").finish()
    }
}

/// The parts of a request the signature covers.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// The path, e.g. `/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo`.
    pub path: &'a str,
    /// Query parameters, undecoded pairs (empty for the CMS POST APIs).
    pub query: &'a [(&'a str, &'a str)],
    /// The headers to sign, usually just `host` (the `host[:port]` of the CMS URL).
    pub headers: &'a [(&'a str, &'a str)],
    /// The exact body text sent.
    pub body: &'a str,
}

impl C2Credentials {
    /// Holds an AK and SK.
    pub fn new(ak: impl Into<String>, sk: impl Into<String>) -> Self {
        C2Credentials { ak: ak.into(), sk: sk.into() }
    }

    #[cfg(feature = "server")]
    pub(crate) fn sk(&self) -> &str {
        &self.sk
    }

    /// The access key (not secret).
    pub fn ak(&self) -> &str {
        &self.ak
    }

    /// The `Authorization` header value for `request` signed at `unix_ms` (milliseconds since the epoch, UTC).
    pub fn authorization(&self, request: &SignedRequest<'_>, unix_ms: i64) -> String {
        let mut headers: Vec<(String, String)> =
            request.headers.iter().map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
        headers.sort();
        let signed_headers = headers.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");
        let prefix = format!("auth-v2/{}/{}/{}", self.ak, utc_timestamp(unix_ms), signed_headers);
        let signing_key = hex::encode(hmac_sha256(self.sk.as_bytes(), prefix.as_bytes()));
        let canonical = canonical_request(request, &headers, &signed_headers);
        let signature = hex::encode(hmac_sha256(signing_key.as_bytes(), canonical.as_bytes()));
        format!("{prefix}/{signature}")
    }
}

fn canonical_request(request: &SignedRequest<'_>, headers: &[(String, String)], signed_headers: &str) -> String {
    let mut out = format!("{}\n{}\n", request.method.to_ascii_uppercase(), request.path);
    if !request.query.is_empty() {
        let mut pairs: Vec<String> =
            request.query.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
        pairs.sort();
        out.push_str(&pairs.join("&"));
        out.push('\n');
    }
    out.push_str(signed_headers);
    out.push('\n');
    let lines: Vec<String> = headers.iter().map(|(k, v)| format!("{}:{}", encode(k), encode(v))).collect();
    out.push_str(&lines.join("\n"));
    out.push('\n');
    out.push_str(&encode(request.body));
    out
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so new_from_slice cannot fail; an empty MAC would only fail verification.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Percent-encodes every UTF-8 byte except `A-Z a-z 0-9 - . _ ~`, with uppercase hex.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Formats milliseconds since the epoch as `yyyy-MM-ddTHH:mm:ssZ` (UTC).
fn utc_timestamp(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Converts days since 1970-01-01 to a proleptic Gregorian (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_the_published_vector() {
        let creds = C2Credentials::new("globalaktest", "example-secret-key");
        let req = SignedRequest {
            method: "POST",
            path: "/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo",
            query: &[],
            headers: &[("host", "10.22.26.181:28080")],
            body: r#"{"ccId":1,"vdn":1,"callId":"1700000000000-12345"}"#,
        };
        assert_eq!(
            creds.authorization(&req, 1_700_000_000_000),
            "auth-v2/globalaktest/2023-11-14T22:13:20Z/host/37e95370e86753092a80b29aa2506013986289b4f9991ffb74e54e1fe1c9e42f"
        );
    }

    #[test]
    fn timestamps() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_timestamp(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(utc_timestamp(1_700_000_000_999), "2023-11-14T22:13:20Z");
        assert_eq!(utc_timestamp(4_102_444_799_000), "2099-12-31T23:59:59Z");
    }

    #[test]
    fn encoding() {
        assert_eq!(encode("aZ09-._~ /é"), "aZ09-._~%20%2F%C3%A9");
    }

    #[test]
    fn debug_hides_the_sk() {
        let text = format!("{:?}", C2Credentials::new("ak", "very-secret"));
        assert!(!text.contains("very-secret"));
    }
}
