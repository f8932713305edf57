use super::*;
use base64::Engine as _;
use serde_json::json;

use crate::ops::CreateCall;

fn gateway() -> Gateway {
    let config = GatewayConfig::new(Some("/aicc"), None, vec!["http://127.0.0.1:5173".into()]);
    assert!(config.is_ok(), "{config:?}");
    Gateway::new(config.unwrap_or_else(|_| GatewayConfig {
        prefix: String::new(),
        operations: vec![],
        cors_origins: vec![],
        max_body_bytes: 1,
        authorize_timeout_ms: 1,
        allow_unknown_serials: false,
        create_call_per_minute: None,
        create_call_per_day: None,
        call_ttl_ms: 1,
        state_timeout_ms: 1,
    }))
}

const CREATE: &str = "/aicc/apiaccess/CC-Management/v1/mobileAgent/createCall";
const ORIGIN: Option<&str> = Some("http://127.0.0.1:5173");

fn allow_all() -> Verdict {
    Verdict::from_value(&json!(true))
}

fn body_of(r: &GatewayResponse) -> serde_json::Value {
    serde_json::from_str(&r.body).unwrap_or_default()
}

#[test]
fn routes_paths_to_operations() {
    let g = gateway();
    assert_eq!(g.route("POST", CREATE, None), Route::Forward(Operation::CreateCall));
    assert_eq!(g.route("post", "/aicc/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo", ORIGIN), Route::Forward(Operation::QueryBasicCallInfo));
    for path in ["/aicc/apigovernance/api/oauth/tokenByAkSk", "/apiaccess/CC-Management/v1/mobileAgent/createCall", "/aicc", "/aiccx/apiaccess/CC-Management/v1/mobileAgent/createCall"] {
        assert!(matches!(g.route("POST", path, None), Route::Respond(GatewayResponse { status: 404, .. })), "{path}");
    }
    assert!(matches!(g.route("GET", CREATE, None), Route::Respond(GatewayResponse { status: 405, .. })));
}

#[test]
fn cors_preflight_and_origins() {
    let g = gateway();
    let route = g.route("OPTIONS", CREATE, ORIGIN);
    let Route::Respond(r) = route else { return assert!(matches!(route, Route::Respond(_)), "{route:?}") };
    assert_eq!(r.status, 204);
    assert!(r.headers.contains(&("Access-Control-Allow-Origin".into(), "http://127.0.0.1:5173".into())));
    assert!(r.headers.iter().any(|(k, v)| k == "Access-Control-Allow-Headers" && v.contains("Content-Type")));
    assert!(matches!(g.route("POST", CREATE, Some("https://evil.example")), Route::Respond(GatewayResponse { status: 403, .. })));
}

#[test]
fn verdicts() {
    assert!(!Verdict::from_value(&json!(false)).allow);
    assert!(!Verdict::from_value(&json!(null)).allow);
    assert!(!Verdict::from_value(&json!("yes")).allow);
    let v = Verdict::from_value(&json!({ "agentWorkNo": 101, "callers": ["88889050", 88889051], "operations": ["createCall"] }));
    assert!(v.allow);
    assert_eq!(v.agent_work_no.as_deref(), Some("101"));
    assert_eq!(v.callers, Some(vec!["88889050".to_string(), "88889051".to_string()]));
    let denied = Verdict::from_value(&json!({ "allow": false, "reason": "session expired" }));
    assert!(!denied.allow);
    let r = gateway().prepare(Operation::CreateCall, "{}", &denied, None).err();
    assert!(r.is_some_and(|r| r.status == 403 && body_of(&r)["message"] == "session expired"));
}

#[test]
fn revalidates_with_the_same_rules() {
    let g = gateway();
    let r = g.prepare(Operation::CreateCall, r#"{"caller":"1234","called":"12a"}"#, &allow_all(), ORIGIN).err();
    assert!(r.is_some(), "accepted");
    let Some(r) = r else { return };
    assert_eq!(r.status, 400);
    assert_eq!(body_of(&r)["field"], "called");
    assert!(r.headers.iter().any(|(k, _)| k == "Access-Control-Allow-Origin"));
    for bad in ["", "<html>", "[1]", "{\"caller\":"] {
        assert_eq!(g.prepare(Operation::QueryCallState, bad, &allow_all(), None).err().map(|r| r.status), Some(400), "{bad}");
    }
}

#[test]
fn applies_agent_and_callers() {
    let g = gateway();
    let verdict = Verdict::from_value(&json!({ "agentWorkNo": "101", "callers": ["88889050"] }));
    let ok = g.prepare(Operation::CreateCall, r#"{"caller":"88889050","called":"88889060"}"#, &verdict, None);
    assert!(ok.as_ref().is_ok_and(|r| r.request.body.contains(r#""agentWorkNo":"101""#)), "{ok:?}");
    let other_caller = g.prepare(Operation::CreateCall, r#"{"caller":"88889999","called":"88889060"}"#, &verdict, None);
    assert_eq!(other_caller.err().map(|r| r.status), Some(403));
    let other_agent = g.prepare(Operation::CreateCall, r#"{"caller":"88889050","called":"1","agentWorkNo":"102"}"#, &verdict, None);
    assert_eq!(other_agent.err().map(|r| r.status), Some(403));
    let info = g.prepare(Operation::GetCalledInfo, r#"{"caller":"88889999","called":"1"}"#, &verdict, None);
    assert_eq!(info.err().map(|r| r.status), Some(403));
    let ops = Verdict::from_value(&json!({ "operations": ["queryCallState"] }));
    assert_eq!(g.prepare(Operation::CreateCall, r#"{"caller":"1","called":"2"}"#, &ops, None).err().map(|r| r.status), Some(403));
}

#[test]
fn the_gateway_chooses_the_callback_url() {
    let g = gateway();
    let call = CreateCall::builder("88889050", "88889060").call_back_url("https://crm.example.com/cb").build();
    let body = call.map(|c| c.body()).unwrap_or_default();
    let from_page = g.prepare(Operation::CreateCall, &body, &allow_all(), None);
    assert!(from_page.as_ref().err().is_some_and(|r| r.status == 403 && body_of(r)["message"].as_str().is_some_and(|m| m.contains("callBackUrl"))));
    let verdict = Verdict::from_value(&json!({ "callBackUrl": "https://gw.example.com/aicc/callback/release" }));
    let forwarded = g.prepare(Operation::CreateCall, r#"{"caller":"88889050","called":"88889060"}"#, &verdict, None);
    let encoded = base64::engine::general_purpose::STANDARD.encode("https://gw.example.com/aicc/callback/release");
    assert!(forwarded.is_ok_and(|r| r.request.body.contains(&encoded)));
}

#[test]
fn the_agent_is_pinned_for_call_info_too() {
    let g = gateway();
    let verdict = Verdict::from_value(&json!({ "agentWorkNo": "101" }));
    let query = |agent: &str| {
        let body = json!({ "callId": "1652317325-339", "userId": "u", "tenantId": "t", "agentId": agent }).to_string();
        g.prepare(Operation::QueryCallInfoByCallId, &body, &verdict, None)
    };
    assert_eq!(query("999").err().map(|r| r.status), Some(403));
    assert!(query("101").is_ok_and(|r| r.request.body.contains(r#""agentId":"101""#)));
    // The page's client always sends agentId (it is required): a body without it is refused as invalid.
    let missing = g.prepare(Operation::QueryCallInfoByCallId, r#"{"callId":"1-1","userId":"u","tenantId":"t"}"#, &verdict, None);
    assert_eq!(missing.err().map(|r| (r.status, body_of(&r)["field"].clone())), Some((400, json!("agentId"))));
}

#[test]
fn refusal_statuses_follow_the_verdict() {
    let g = gateway();
    let unknown = Verdict::from_value(&json!({ "allow": false, "status": 401, "reason": "unknown session" }));
    assert_eq!(g.prepare(Operation::QueryCallState, "{}", &unknown, None).err().map(|r| r.status), Some(401));
    let malformed = Verdict::from_value(&json!({ "allow": "no" }));
    assert_eq!(g.prepare(Operation::QueryCallState, "{}", &malformed, None).err().map(|r| r.status), Some(500));
}

#[test]
fn answers_never_carry_secrets() {
    let g = gateway();
    let ok = g.answer(Ok(HttpResponse { status: 200, body: "{\"retCode\":\"0\"}".into() }), ORIGIN);
    assert_eq!((ok.status, ok.body.as_str()), (200, "{\"retCode\":\"0\"}"));
    let auth = g.answer(Err(Error::auth(Operation::CreateCall, Some(401), "credentials refused")), None);
    assert_eq!(auth.status, 502);
    let timeout = g.answer(Err(Error::timeout(Operation::CreateCall, 10)), None);
    assert_eq!(timeout.status, 504);
    let busy = g.answer(Err(Error::http(Operation::QueryCallState, 503)), None);
    assert_eq!(busy.status, 503);
}

#[test]
fn config_rules() {
    assert!(GatewayConfig::new(Some("aicc"), None, vec![]).is_err());
    assert!(GatewayConfig::new(None, Some(&["tokenByAkSk".to_string()]), vec![]).is_err());
    assert!(GatewayConfig::new(None, Some(&["createCall".to_string()]), vec!["*".into()]).is_ok());
    assert_eq!(GatewayConfig::new(None, None, vec!["crm.example.com".into()]).err().and_then(|e| e.field), Some("cors.origins"));
}

#[test]
fn same_origin_needs_no_cors() {
    assert_eq!(Gateway::cross_origin(Some("http://127.0.0.1:8787"), "http://127.0.0.1:8787/aicc/x"), None);
    assert_eq!(Gateway::cross_origin(Some("http://127.0.0.1:5173"), "http://127.0.0.1:8787/aicc/x"), Some("http://127.0.0.1:5173"));
    assert_eq!(Gateway::cross_origin(None, "http://127.0.0.1:8787/aicc/x"), None);
}

#[test]
fn a_verdict_value_that_breaks_the_page_rules_is_a_bad_verdict() {
    let g = gateway();
    let verdict = Verdict::from_value(&json!({ "callBackUrl": "ftp://gw.example.com/cb" }));
    let r = g.prepare(Operation::CreateCall, r#"{"caller":"88889050","called":"88889060"}"#, &verdict, None).err();
    assert_eq!(r.as_ref().map(|r| (r.status, body_of(r)["error"].clone())), Some((500, json!("badVerdict"))));
}

#[test]
fn every_operation_of_the_list_is_served_and_no_other() {
    let g = gateway();
    for &op in Operation::API {
        assert_eq!(g.route("POST", &format!("/aicc{}", op.path()), None), Route::Forward(op));
    }
    let token = format!("/aicc{}", Operation::TokenByAkSk.path());
    assert!(matches!(g.route("POST", &token, None), Route::Respond(r) if r.status == 404));
}

#[test]
fn posts_must_say_json_and_fit_the_limit() {
    let g = gateway();
    let status = |ct: Option<&str>, len: Option<&str>| g.admit(ct, len, None).map(|r| r.status);
    assert_eq!(status(Some("application/json"), Some("100")), None);
    assert_eq!(status(Some("Application/JSON; charset=utf-8"), None), None);
    assert_eq!(status(None, Some("10")), Some(415));
    assert_eq!(status(Some("text/plain"), Some("10")), Some(415));
    assert_eq!(status(Some("application/x-www-form-urlencoded"), None), Some(415));
    assert_eq!(status(Some("application/json"), Some("16385")), Some(413));
    assert_eq!(status(Some("application/json"), Some("67108864")), Some(413));
    assert_eq!(status(Some("application/json"), Some("-1")), Some(413));
    assert_eq!(status(Some("application/json"), Some("16384")), None);
}

#[test]
fn begin_routes_then_admits_a_post_to_an_operation() {
    let g = gateway();
    let json = Some("application/json");
    assert_eq!(g.begin("POST", CREATE, ORIGIN, json, Some("100")), Route::Forward(Operation::CreateCall));
    let status = |route: Route| match route {
        Route::Respond(r) => Some(r.status),
        Route::Forward(_) => None,
    };
    assert_eq!(status(g.begin("POST", CREATE, None, Some("text/plain"), None)), Some(415));
    assert_eq!(status(g.begin("POST", CREATE, None, json, Some("16385"))), Some(413));
    assert_eq!(status(g.begin("GET", CREATE, None, None, None)), Some(405), "routing comes first: a GET has no body to judge");
    assert_eq!(status(g.begin("OPTIONS", CREATE, ORIGIN, None, None)), Some(204));
    assert_eq!(status(g.begin("POST", "/aicc/nothing", None, Some("text/plain"), None)), Some(404));
    assert_eq!(status(g.begin("POST", CREATE, Some("https://evil.example"), json, None)), Some(403));
    for (method, ct, len) in [("POST", json, Some("10")), ("POST", Some("text/plain"), None), ("GET", None, None), ("OPTIONS", None, None)] {
        let separate = match g.route(method, CREATE, ORIGIN) {
            Route::Forward(op) => g.admit(ct, len, ORIGIN).map_or(Route::Forward(op), Route::Respond),
            respond => respond,
        };
        assert_eq!(g.begin(method, CREATE, ORIGIN, ct, len), separate, "{method} {ct:?}");
    }
}

#[test]
fn origins_with_a_path_and_bad_limits_are_refused() {
    for origin in ["https://crm.example.com/app", "https://crm.example.com/", "https://", "crm.example.com"] {
        let e = GatewayConfig::new(None, None, vec![origin.into()]).err().and_then(|e| e.field);
        assert_eq!(e, Some("cors.origins"), "{origin}");
    }
    let config = || GatewayConfig::new(None, None, vec![]);
    assert_eq!(config().and_then(|c| c.limits(Some(0), None)).err().and_then(|e| e.field), Some("maxBodyBytes"));
    assert_eq!(config().and_then(|c| c.limits(None, Some(60_001))).err().and_then(|e| e.field), Some("authorizeTimeoutMs"));
    assert!(config().and_then(|c| c.limits(Some(1024), Some(100))).is_ok());
}

#[test]
fn a_failure_of_the_gateway_itself_is_outcome_unknown_only_for_an_operation_with_an_effect() {
    let g = gateway();
    let placing = g.internal_error("/aicc/apiaccess/CC-Management/v1/mobileAgent/createCall", None);
    assert_eq!((placing.status, body_of(&placing)["error"].as_str(), body_of(&placing)["outcomeUnknown"].as_bool()), (502, Some("outcomeUnknown"), Some(true)));
    let reading = g.internal_error("/aicc/apiaccess/CC-Management/v1/mobileAgent/queryCallState", None);
    assert_eq!((reading.status, body_of(&reading)["error"].as_str()), (500, Some("internal")));
    assert_eq!(g.internal_error("/elsewhere", None).status, 500);
}
