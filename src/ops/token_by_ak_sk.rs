//! tokenByAkSk: exchanges the app key and secret for a bearer token.

use super::{decode, read_body, Endpoint, HttpRequest, Operation};
use crate::error::{Error, ErrorKind};
use crate::rules;

/// Path of tokenByAkSk on the AICC service domain.
pub const PATH: &str = "/apigovernance/api/oauth/tokenByAkSk";
const OP: Operation = Operation::TokenByAkSk;
/// Token lifetime asked for when none is given, in seconds.
pub const DEFAULT_TTL_SECONDS: u32 = 600;
/// The longest lifetime AICC grants, in seconds.
pub const MAX_TTL_SECONDS: u32 = 3600;

/// A valid tokenByAkSk request. `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenByAkSk {
    app_key: String,
    app_secret: String,
    ttl_seconds: u32,
}

impl std::fmt::Debug for TokenByAkSk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenByAkSk")
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .field("ttl_seconds", &self.ttl_seconds)
            .finish()
    }
}

impl TokenByAkSk {
    /// Checks the key and secret (required, at most 256 characters) and the lifetime (`X-Token-Expire`, 1..=3600 s).
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<String>, ttl_seconds: Option<u32>) -> Result<Self, Error> {
        let app_key = app_key.into();
        let app_secret = app_secret.into();
        let ttl_seconds = ttl_seconds.unwrap_or(DEFAULT_TTL_SECONDS);
        rules::text(OP, "appKey", &app_key, 256)?;
        rules::text(OP, "appSecret", &app_secret, 256)?;
        rules::range(OP, "tokenTtlSeconds", i64::from(ttl_seconds), 1, i64::from(MAX_TTL_SECONDS))?;
        Ok(TokenByAkSk { app_key, app_secret, ttl_seconds })
    }

    /// The app key, also sent as `X-APP-Key` on every call.
    pub fn app_key(&self) -> &str {
        &self.app_key
    }

    #[cfg(feature = "server")]
    pub(crate) fn app_secret(&self) -> &str {
        &self.app_secret
    }

    /// The exact JSON body (it carries the secret: never log it).
    pub fn body(&self) -> String {
        serde_json::to_string(&serde_json::json!({ "app_key": self.app_key, "app_secret": self.app_secret })).unwrap_or_default()
    }

    /// The HTTP request: POST with `X-Token-Expire`.
    pub fn http(&self) -> HttpRequest {
        let mut req = HttpRequest::post_json(OP, Endpoint::Service, PATH, self.body());
        req.headers.push(("X-Token-Expire".into(), self.ttl_seconds.to_string()));
        req
    }

    /// Reads the answer; `Expires` falls back to the lifetime asked for.
    pub fn decode(&self, status: u16, body: &str) -> Result<Token, Error> {
        let obj = read_body(OP, status, body).map_err(|mut e| {
            if e.kind == ErrorKind::Auth {
                e.message = format!("the app key or secret was refused (HTTP {status}), or this IP is not on the AICC trustlist");
            }
            e
        })?;
        let access_token = obj
            .non_empty_string("AccessToken")
            .map_err(|e| decode(OP, e))?
            .ok_or_else(|| Error::decode(OP, status, "AccessToken is missing"))?;
        let expires = obj.u32("Expires").map_err(|e| decode(OP, e))?.filter(|s| *s > 0);
        Ok(Token {
            access_token,
            expires_in_seconds: expires.unwrap_or(self.ttl_seconds),
            created_at_seconds: obj.i64("CreateTime").map_err(|e| decode(OP, e))?,
        })
    }
}

/// A bearer token. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The token (`AccessToken`), sent as `Authorization: Bearer <token>`.
    pub access_token: String,
    /// Its lifetime in seconds (`Expires`).
    pub expires_in_seconds: u32,
    /// When it was issued, in seconds since the epoch (`CreateTime`).
    pub created_at_seconds: Option<i64>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"<redacted>")
            .field("expires_in_seconds", &self.expires_in_seconds)
            .field("created_at_seconds", &self.created_at_seconds)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> Option<TokenByAkSk> {
        TokenByAkSk::new("key", "s3cret", Some(600)).ok()
    }

    #[test]
    fn request_shape() {
        let http = req().map(|r| r.http());
        assert_eq!(http.as_ref().map(|h| h.path), Some(PATH));
        assert_eq!(http.as_ref().map(|h| h.body.as_str()), Some(r#"{"app_key":"key","app_secret":"s3cret"}"#));
        assert!(http.is_some_and(|h| h.headers.contains(&("X-Token-Expire".into(), "600".into()))));
    }

    #[test]
    fn documented_response() {
        let body = r#"{"AccessToken":"abc","ApplyType":"Bearer","CreateTime":"1545650171","Expires":"600","Scope":"x","AppKey":"key","UserID":"Anonymous"}"#;
        let t = req().map(|r| r.decode(200, body));
        assert_eq!(
            t,
            Some(Ok(Token { access_token: "abc".into(), expires_in_seconds: 600, created_at_seconds: Some(1545650171) }))
        );
    }

    #[test]
    fn limits_and_refusals() {
        assert!(TokenByAkSk::new("k", "s", Some(3600)).is_ok());
        assert!(TokenByAkSk::new("k".repeat(256), "s".repeat(256), Some(1)).is_ok());
        assert_eq!(TokenByAkSk::new("k".repeat(257), "s", None).err().and_then(|e| e.field), Some("appKey"));
        assert_eq!(TokenByAkSk::new("k", "s".repeat(257), None).err().and_then(|e| e.field), Some("appSecret"));
        assert_eq!(TokenByAkSk::new("k", "s", Some(3601)).err().and_then(|e| e.field), Some("tokenTtlSeconds"));
        assert_eq!(TokenByAkSk::new("k", "s", Some(0)).err().and_then(|e| e.field), Some("tokenTtlSeconds"));
        assert_eq!(TokenByAkSk::new("", "s", None).err().and_then(|e| e.field), Some("appKey"));
        assert_eq!(TokenByAkSk::new("k", "", None).err().and_then(|e| e.field), Some("appSecret"));
        let e = req().and_then(|r| r.decode(403, "").err());
        assert!(e.is_some_and(|e| e.kind == ErrorKind::Auth && !e.message.contains("s3cret")));
        assert!(req().is_some_and(|r| r.decode(200, "{}").is_err() && r.decode(200, "<html>").is_err()));
    }

    #[test]
    fn debug_hides_secrets() {
        let text = format!("{:?}", req());
        assert!(!text.contains("s3cret"), "{text}");
        let token = Token { access_token: "tok-123".into(), expires_in_seconds: 1, created_at_seconds: None };
        assert!(!format!("{token:?}").contains("tok-123"));
    }
}
