//! What the client checks in its options and in the values it sends: base URLs, header values, secrets in a
//! browser or over plain http, and the Host a C2 signature covers.

use crate::error::Error;
use crate::operation::Operation;

/// Refuses secrets in a runtime that would ship them to every visitor (a browser page).
///
/// Checked on which options are present, before any of them is read, so that no other complaint about a
/// secret option comes first.
pub fn refuse_secrets_in_browser(has_credentials: bool, has_cms_credentials: bool) -> Result<(), Error> {
    if has_credentials {
        return Err(secret_in_browser("credentials"));
    }
    if has_cms_credentials {
        return Err(secret_in_browser("cmsCredentials"));
    }
    Ok(())
}

/// The refusal of a secret option (`credentials`, `cmsCredentials`) where it would reach every visitor of a page.
pub fn secret_in_browser(field: &'static str) -> Error {
    Error::validation(
        Operation::Configuration,
        field,
        "must not be used in a browser: the secret would reach every visitor of the page. \
         Keep it on a server or edge worker (createGateway) and point the browser's baseUrl at the gateway",
    )
}

/// What a header value must be for `fetch` to send it (it throws on anything else).
pub(crate) const HEADER_VALUE_RULE: &str =
    "must be text without control characters or characters above U+00FF (it is sent in an HTTP header)";

/// Whether `fetch` accepts `value` in a header: Latin-1 text without line breaks or other control characters.
pub(crate) fn is_header_value(value: &str) -> bool {
    value.chars().all(|c| u32::from(c) <= 0xFF && !c.is_control())
}

/// The runtime would not send the request: nothing left, so the outcome is known and sending again cannot help.
pub(crate) fn refused(op: Operation, detail: &str) -> Error {
    Error::validation(op, "request", format!("was refused by fetch before sending: {}", crate::error::truncate(detail, crate::error::RAW_TEXT_CHARS)))
}

#[cfg(feature = "server")]
pub(super) const INSECURE_WITH_SECRETS: &str =
    "must be https:// when credentials are used (http:// only for 127.0.0.1, localhost and [::1]): the secret would cross the network in clear";

/// Whether secrets may be sent to `base`: https, a path (a gateway on the same origin), or a loopback host.
#[cfg(feature = "server")]
pub(super) fn secure_or_local(base: &str) -> bool {
    let Some(rest) = base.strip_prefix("http://") else { return true };
    let host = rest.split('/').next().unwrap_or_default();
    let host = host.rsplit_once(':').map_or(host, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { host });
    matches!(host.to_ascii_lowercase().as_str(), "127.0.0.1" | "localhost" | "[::1]")
}

/// Accepts an absolute http(s) URL or a path prefix starting with `/`; drops trailing slashes.
pub(super) fn check_base_url(op: Operation, field: &'static str, url: &str) -> Result<String, Error> {
    let url = url.trim().trim_end_matches('/');
    let absolute = ["https://", "http://"].iter().any(|s| url.strip_prefix(s).is_some_and(|rest| !rest.is_empty()));
    let relative = url.is_empty() || url.starts_with('/');
    if !(absolute || relative) || url.contains(['?', '#', ' ']) {
        return Err(Error::validation(op, field, "must be an http(s) URL or a path starting with /, without query or fragment"));
    }
    Ok(url.to_string())
}

#[cfg(feature = "server")]
/// The `host[:port]` the transport will send as the Host header (default ports left out), for signing.
pub(super) fn host_of(url: &str) -> String {
    let (default_port, rest) = match url.strip_prefix("https://") {
        Some(rest) => (":443", rest),
        None => (":80", url.strip_prefix("http://").unwrap_or(url)),
    };
    let host = rest.split('/').next().unwrap_or_default().to_ascii_lowercase();
    host.strip_suffix(default_port).map(str::to_string).unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let op = Operation::CreateCall;
        assert_eq!(check_base_url(op, "baseUrl", "https://x.com/").ok().as_deref(), Some("https://x.com"));
        assert_eq!(check_base_url(op, "baseUrl", "/aicc/").ok().as_deref(), Some("/aicc"));
        assert_eq!(check_base_url(op, "baseUrl", "").ok().as_deref(), Some(""));
        for bad in ["x.com", "ftp://x", "https://", "https://x?y"] {
            assert_eq!(check_base_url(op, "baseUrl", bad).err().and_then(|e| e.field), Some("baseUrl"), "{bad}");
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn hosts_for_signing() {
        assert_eq!(host_of("https://10.22.26.181:28080"), "10.22.26.181:28080");
        assert_eq!(host_of("https://cms.example.com:443/base"), "cms.example.com");
        assert_eq!(host_of("http://127.0.0.1:80"), "127.0.0.1");
        assert_eq!(host_of("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
    }
}
