//! Every operation's success over the in-memory transport: URLs, methods, bodies, bearer tokens and C2 signatures.
#![cfg(feature = "server")]

mod common;

use common::*;

use aicc_call::ops::{
    GetCalledInfo, Op, QueryCallInfoByCallId,
};
use futures_executor::block_on;

// ---------------------------------------------------------------------------------------------------------------
// Every operation's success

#[test]
fn every_service_operation_succeeds_with_url_method_body_and_bearer() {
    let fake = Fake::new()
        .script(TOKEN_PATH, [token_ok(TOKEN, 600)])
        .script(CREATE_PATH, [ok(CREATE_OK)])
        .script(STATE_PATH, [ok(STATE_OK)])
        .script(CALLED_PATH, [ok(CALLED_OK)])
        .script(INFO_PATH, [ok(INFO_OK)]);
    let c = client(fake);
    let create = create_req();
    let state = state_req();
    let called = GetCalledInfo::new("88889050", "88889060").expect("valid getCalledInfo");
    let info = QueryCallInfoByCallId::new("1652317325-339", "u1", "t1", "a1").expect("valid queryCallInfoByCallId");

    let placed = block_on(c.call(&create)).expect("createCall succeeds");
    assert_eq!(placed.call_serial_no.as_deref(), Some("645735364434067472"));
    let st = block_on(c.call(&state)).expect("queryCallState succeeds");
    assert_eq!(st.state, Some(2));
    let ci = block_on(c.call(&called)).expect("getCalledInfo succeeds");
    assert_eq!(ci.dev_type, Some(1));
    let info_answer = block_on(c.call(&info)).expect("queryCallInfoByCallId succeeds");
    assert_eq!(info_answer.call_id.as_deref(), Some("1652317325-339"));

    let t = c.transport();
    assert_eq!(t.sent_to(TOKEN_PATH).len(), 1, "one token for all four calls");
    for (path, body) in [
        (CREATE_PATH, create.body()),
        (STATE_PATH, state.body()),
        (CALLED_PATH, called.body()),
        (INFO_PATH, info.body()),
    ] {
        let sent = t.sent_to(path);
        assert_eq!(sent.len(), 1, "{path} sent once");
        assert_common(&sent[0], &format!("{BASE}{path}"), &body);
        assert_eq!(sent[0].header("Authorization"), Some(format!("Bearer {TOKEN}").as_str()), "bearer on {path}");
        assert_eq!(sent[0].header("Content-Type"), Some("application/json"), "content type on {path}");
    }
}


#[test]
fn query_basic_call_info_goes_to_cms_with_c2_signature_from_the_transport_clock() {
    let fake = Fake::new().script(BASIC_PATH, [ok(BASIC_OK)]);
    let c = client(fake);
    c.transport().advance(12_345); // the signature must use the transport's clock, not the system's
    let req = basic_req();
    let info = block_on(c.call(&req)).expect("querybasiccallinfo succeeds");
    assert_eq!(info.calling_num.as_deref(), Some("88881364"));

    let t = c.transport();
    assert!(t.sent_to(TOKEN_PATH).is_empty(), "the CMS openapi needs no token");
    let sent = t.sent_to(BASIC_PATH);
    assert_eq!(sent.len(), 1);
    assert_common(&sent[0], &format!("{CMS}{BASIC_PATH}"), &req.body());
    let auth = sent[0].header("Authorization").expect("C2 Authorization header");
    assert_c2_shape(auth);
    assert_eq!(auth, expected_c2(&req.body(), START_MS + 12_345, "10.22.26.181:28080"));
    assert!(auth.contains("2023-11-14T22:13:32Z"), "UTC time of the fake clock in {auth}");
    assert!(!auth.contains(SK), "the SK itself is never sent");
}

#[test]
fn cms_falls_back_to_base_url_and_signs_its_host_without_default_port() {
    let fake = Fake::new().script(BASIC_PATH, [ok(BASIC_OK)]);
    let c = client_with(fake, |cfg| {
        cfg.base_url = "https://AICC.example.com:443/".into();
        cfg.cms_base_url = None;
    });
    let req = basic_req();
    block_on(c.call(&req)).expect("querybasiccallinfo succeeds");
    let sent = c.transport().sent_to(BASIC_PATH);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url, format!("https://AICC.example.com:443{BASIC_PATH}"));
    let auth = sent[0].header("Authorization").expect("C2 Authorization header");
    assert_eq!(auth, expected_c2(&req.body(), START_MS, "aicc.example.com"));
}

#[test]
fn cms_without_credentials_sends_no_authorization() {
    let fake = Fake::new().script(BASIC_PATH, [ok(BASIC_OK)]);
    let c = client_with(fake, |cfg| cfg.cms_credentials = None);
    block_on(c.call(&basic_req())).expect("querybasiccallinfo succeeds");
    let sent = c.transport().sent_to(BASIC_PATH);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].header("Authorization"), None);
}

