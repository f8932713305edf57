//! Secret-free errors and Debug output, and configuration checks.
#![cfg(feature = "server")]

mod common;

use common::*;

use aicc_call::client::{Auth, Client, Config, HttpResponse, TokenFuture, TransportError};
use aicc_call::sign::C2Credentials;
use aicc_call::{Error, ErrorKind};
use futures_executor::block_on;

// ---------------------------------------------------------------------------------------------------------------
// No secret in any error

fn assert_no_secret(what: &str, e: &Error) {
    let texts = [format!("{e}"), format!("{e:?}"), serde_json::to_string(e).expect("error serializes")];
    for text in &texts {
        for secret in SECRETS {
            assert!(!text.contains(secret), "{what}: error text contains {secret}: {text}");
        }
    }
}

#[test]
fn no_secret_in_any_error() {
    let mut errors: Vec<(String, Error)> = Vec::new();

    // Query failures of every kind, with a token obtained first.
    let answers: Vec<(&str, Result<HttpResponse, TransportError>)> = vec![
        ("network", network()),
        ("timeout", Err(TransportError::Timeout)),
        ("401", status(401, r#"{"message":"token expired"}"#)),
        ("403", status(403, r#"{"reason":"ip not allowed"}"#)),
        ("400", status(400, "")),
        ("500", status(500, r#"{"retMsg":"parameter error"}"#)),
        ("503", status(503, "")),
        ("decode", ok("<html>")),
        ("api", ok(r#"{"retCode":"1","retMsg":"no such call"}"#)),
    ];
    for (what, answer) in answers {
        let fake = Fake::new()
            .script(TOKEN_PATH, (0..4).map(|_| token_ok(TOKEN, 3600)))
            .script(STATE_PATH, (0..2).map(|_| answer.clone()))
            .script(CREATE_PATH, (0..2).map(|_| answer.clone()))
            .script(BASIC_PATH, (0..2).map(|_| answer.clone()));
        let c = client_with(fake, |cfg| cfg.retry.max_retries = 1);
        if let Err(e) = block_on(c.call(&state_req())) {
            errors.push((format!("query {what}"), e));
        }
        if let Err(e) = block_on(c.call(&create_req())) {
            errors.push((format!("createCall {what}"), e));
        }
        if let Err(e) = block_on(c.call(&basic_req())) {
            errors.push((format!("cms {what}"), e));
        }
    }

    // Token fetch failures of every kind.
    let token_answers: Vec<(&str, Result<HttpResponse, TransportError>)> = vec![
        ("token 401", status(401, r#"{"error":"invalid app_secret"}"#)),
        ("token 400", status(400, r#"{"error_description":"bad request"}"#)),
        ("token network", network()),
        ("token timeout", Err(TransportError::Timeout)),
        ("token decode", ok(r#"{"Expires":600}"#)),
        ("token html", ok("<html>")),
    ];
    for (what, answer) in token_answers {
        let fake = Fake::new().script(TOKEN_PATH, (0..2).map(|_| answer.clone()));
        let c = client_with(fake, |cfg| cfg.retry.max_retries = 0);
        let e = block_on(c.call(&state_req())).expect_err(what);
        errors.push((what.to_string(), e));
    }

    // A failing provider, and validation errors.
    let provider: Box<dyn Fn() -> TokenFuture> = Box::new(|| Box::pin(async { Err("provider down".to_string()) }));
    let c = client_with(Fake::new(), |cfg| cfg.auth = Auth::Provider(provider));
    errors.push(("provider".into(), block_on(c.call(&state_req())).expect_err("provider")));
    let mut bad = Config::new("not a url");
    bad.auth = Auth::Credentials(credentials());
    bad.cms_credentials = Some(C2Credentials::new(AK, SK));
    errors.push(("config".into(), Client::new(bad, Fake::new()).err().expect("invalid config")));

    let kinds: std::collections::HashSet<&str> = errors.iter().map(|(_, e)| e.kind.as_str()).collect();
    for kind in ["validation", "api", "http", "auth", "network", "timeout", "decode"] {
        assert!(kinds.contains(kind), "an error of kind {kind} was produced: {kinds:?}");
    }
    for (what, e) in &errors {
        assert_no_secret(what, e);
    }
}

#[test]
fn config_and_client_parts_debug_without_secrets() {
    let mut config = Config::new(BASE);
    config.auth = Auth::Credentials(credentials());
    config.cms_credentials = Some(C2Credentials::new(AK, SK));
    let text = format!("{config:?}");
    for secret in SECRETS {
        assert!(!text.contains(secret), "Config Debug contains {secret}: {text}");
    }
    assert!(text.contains(APP_KEY) && text.contains(AK), "the non-secret keys stay visible: {text}");
    let provider: Box<dyn Fn() -> TokenFuture> = Box::new(|| Box::pin(async { Ok(TOKEN.to_string()) }));
    assert!(!format!("{:?}", Auth::Provider(provider)).contains(TOKEN));
    let token = credentials().decode(200, r#"{"AccessToken":"TOKEN-xyz","Expires":600}"#).expect("token decodes");
    assert!(!format!("{token:?}").contains(TOKEN));
}

// ---------------------------------------------------------------------------------------------------------------
// Config validation

fn config_error(configure: impl FnOnce(&mut Config)) -> Error {
    let mut config = Config::new(BASE);
    configure(&mut config);
    let fake = Fake::new();
    match Client::new(config, fake) {
        Ok(_) => panic!("the configuration should be refused"),
        Err(e) => e,
    }
}

#[test]
fn config_validation_names_the_field() {
    let cases: Vec<(&str, Tweak)> = vec![
        ("baseUrl", Box::new(|c: &mut Config| c.base_url = "service.example.com".into())),
        ("baseUrl", Box::new(|c: &mut Config| c.base_url = "ftp://x".into())),
        ("baseUrl", Box::new(|c: &mut Config| c.base_url = "https://x.com/?q=1".into())),
        ("cmsBaseUrl", Box::new(|c: &mut Config| c.cms_base_url = Some("10.0.0.1:28080".into()))),
        ("timeoutMs", Box::new(|c: &mut Config| c.timeout_ms = 0)),
        ("timeoutMs", Box::new(|c: &mut Config| c.timeout_ms = 600_001)),
        ("maxRetries", Box::new(|c: &mut Config| c.retry.max_retries = 11)),
        ("headers", Box::new(|c: &mut Config| c.headers = vec![("Bad Name".into(), "v".into())])),
        ("headers", Box::new(|c: &mut Config| c.headers = vec![("X-Ok".into(), "a\r\nb".into())])),
    ];
    for (field, configure) in cases {
        let e = config_error(configure);
        assert_eq!(e.kind, ErrorKind::Validation, "{field}: {e}");
        assert_eq!(e.field, Some(field), "{e}");
        assert!(e.to_string().contains(field), "the message names {field}: {e}");
        assert_eq!(e.attempts, 0);
    }
}

#[test]
fn config_limits_are_accepted() {
    for (timeout, retries) in [(1, 0), (600_000, 10)] {
        let mut config = Config::new("/aicc/");
        config.timeout_ms = timeout;
        config.retry.max_retries = retries;
        assert!(Client::new(config, Fake::new()).is_ok(), "timeout {timeout}, retries {retries}");
    }
}

#[test]
fn gateway_prefix_and_extra_headers_are_used() {
    let fake = Fake::new().script(STATE_PATH, [ok(STATE_OK)]);
    let mut config = Config::new("/aicc/");
    config.headers = vec![("X-Trace".into(), "t-1".into())];
    let c = Client::new(config, fake).expect("valid config");
    block_on(c.call(&state_req())).expect("query succeeds");
    let sent = c.transport().sent_to(STATE_PATH);
    assert_eq!(sent[0].url, format!("/aicc{STATE_PATH}"));
    assert_eq!(sent[0].header("X-Trace"), Some("t-1"));
    assert_eq!(sent[0].header("Authorization"), None, "Auth::None sends no Authorization");
    assert_eq!(sent[0].header("X-APP-Key"), None, "no app key configured");
}


#[test]
fn secrets_go_over_http_only_to_a_loopback_host() {
    let with_base = |base: &'static str| {
        config_error(move |c| {
            c.base_url = base.into();
            c.auth = aicc_call::client::Auth::Credentials(credentials());
        })
    };
    assert_eq!(with_base("http://aicc.example.com").field, Some("baseUrl"));
    assert_eq!(with_base("http://10.0.0.1:8080").field, Some("baseUrl"));
    let cms = config_error(|c| {
        c.cms_base_url = Some("http://10.22.26.181:28080".into());
        c.cms_credentials = Some(aicc_call::sign::C2Credentials::new(AK, SK));
    });
    assert_eq!(cms.field, Some("cmsBaseUrl"));
    for local in ["http://127.0.0.1:8080", "http://localhost", "http://[::1]:9000", "https://aicc.example.com", "/aicc"] {
        let mut config = Config::new(local);
        config.auth = aicc_call::client::Auth::Credentials(credentials());
        assert!(aicc_call::client::Client::new(config, Fake::new()).is_ok(), "{local}");
    }
}

#[test]
fn forwarded_answers_are_scrubbed_of_every_secret() {
    let echo = format!(r#"{{"retCode":"0","echo":"Bearer {TOKEN} app_secret={APP_SECRET}"}}"#);
    let fake = Fake::new().script(TOKEN_PATH, [token_ok(TOKEN, 3600)]).script(STATE_PATH, [ok(&echo)]);
    let c = client(fake);
    let request = aicc_call::ops::Op::http(&state_req());
    let answer = futures_executor::block_on(c.forward(request)).expect("forwarded");
    assert!(!answer.body.contains(TOKEN) && !answer.body.contains(APP_SECRET), "{}", answer.body);
    assert!(answer.body.contains("<redacted>"));
}
