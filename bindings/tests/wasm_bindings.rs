//! The wasm layer itself (the crate `aicc_call_wasm`), in Node and in headless Chrome: options from JS objects, errors as
//! real `AiccError` instances, promises against the local simulator over real HTTP with the fetch transport,
//! timeouts and refused connections without panics.
//!
//! Run by `scripts/test-wasm.sh`, which starts the simulator and passes its URL at compile time
//! (`AICC_SIM_URL`) together with a port nothing listens on (`AICC_CLOSED_URL`).
#![cfg(target_arch = "wasm32")]

use aicc_call_wasm::{aicc_error_class, AiccClient};
use gloo_net::http::Request;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

const SIM_URL: Option<&str> = option_env!("AICC_SIM_URL");
const CLOSED_URL: Option<&str> = option_env!("AICC_CLOSED_URL");
const APP_KEY: &str = "demo-app-key";
const APP_SECRET: &str = "demo-app-secret";
const CREATE_CALL: &str = "/apiaccess/CC-Management/v1/mobileAgent/createCall";

// ---------- helpers ----------

fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

fn prop(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn prop_str(v: &JsValue, key: &str) -> Option<String> {
    prop(v, key).as_string()
}

fn sim() -> Option<&'static str> {
    if SIM_URL.is_none() {
        console_log!("SKIPPED: AICC_SIM_URL was not set at compile time (run scripts/test-wasm.sh)");
    }
    SIM_URL.map(|u| u.trim_end_matches('/'))
}

fn credentials() -> JsValue {
    obj(&[("appKey", s(APP_KEY)), ("appSecret", s(APP_SECRET))])
}

fn sim_client(base: &str, timeout_ms: Option<u32>) -> AiccClient {
    let mut pairs = vec![("baseUrl", s(base)), ("credentials", credentials()), ("maxRetries", 0.into())];
    if let Some(ms) = timeout_ms {
        pairs.push(("timeoutMs", ms.into()));
    }
    AiccClient::new(obj(&pairs), None).unwrap_or_else(|e| panic!("client refused: {}", describe(&e)))
}

fn describe(e: &JsValue) -> String {
    js_sys::JSON::stringify(e).ok().and_then(|s| s.as_string()).unwrap_or_else(|| format!("{e:?}"))
        + &prop_str(e, "message").map(|m| format!(" ({m})")).unwrap_or_default()
}

/// Asserts that `e` is a real JS Error made from the exported `AiccError` class, with `kind` (and `field`).
fn assert_aicc_error(e: &JsValue, kind: &str, field: Option<&str>) {
    let err = e.dyn_ref::<js_sys::Error>().unwrap_or_else(|| panic!("not a JS Error instance: {e:?}"));
    assert_eq!(String::from(err.name()), "AiccError", "name of {}", describe(e));
    let class = aicc_error_class();
    let is_instance = Function::new_with_args("v, C", "return v instanceof C")
        .call2(&JsValue::NULL, e, &class)
        .unwrap();
    assert_eq!(is_instance, JsValue::TRUE, "not an instance of aiccErrorClass(): {}", describe(e));
    assert_eq!(prop_str(e, "kind").as_deref(), Some(kind), "kind of {}", describe(e));
    if let Some(field) = field {
        assert_eq!(prop_str(e, "field").as_deref(), Some(field), "field of {}", describe(e));
    }
    assert!(prop(e, "operation").is_string(), "operation missing: {}", describe(e));
    assert!(prop(e, "retryable").as_bool().is_some(), "retryable missing: {}", describe(e));
    assert!(!String::from(err.message()).is_empty());
}

async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

async fn sim_post(path: &str, body: &str) {
    let url = format!("{}{path}", sim().unwrap());
    let res = Request::post(&url)
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .unwrap()
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    assert!(res.ok(), "POST {path}: HTTP {}", res.status());
}

async fn sim_get(path: &str) -> JsValue {
    let url = format!("{}{path}", sim().unwrap());
    let text = Request::get(&url).send().await.unwrap().text().await.unwrap();
    js_sys::JSON::parse(&text).unwrap()
}

async fn reset() {
    sim_post("/__sim/reset", "{}").await;
}

async fn fault(path: &str, fault: &str, times: u32) {
    sim_post("/__sim/fault", &format!(r#"{{"path":"{path}","fault":"{fault}","times":{times}}}"#)).await;
}

/// A caller/called pair that no other test uses (the simulator refuses a second live call with the same pair).
fn numbers(tag: u32, last_digit: u32) -> (String, String) {
    let n = (js_sys::Math::random() * 100_000.0) as u32;
    (format!("8888{tag:02}{n:05}"), format!("1380000{n:05}{last_digit}"))
}

// ---------- construction and its validation errors ----------

#[wasm_bindgen_test]
fn constructor_accepts_a_js_options_object() {
    let client = AiccClient::new(obj(&[("baseUrl", s("http://127.0.0.1:9")), ("timeoutMs", 5000.into())]), None);
    assert!(client.is_ok());
    let with_token = AiccClient::new(
        obj(&[("baseUrl", s("https://gw.example.com/aicc")), ("token", Function::new_no_args("return 'tok'").into())]),
        Some("browser".into()),
    );
    assert!(with_token.is_ok(), "a token function is allowed in a browser");
    let with_credentials = AiccClient::new(obj(&[("baseUrl", s("http://127.0.0.1:9")), ("credentials", credentials())]), None);
    assert!(with_credentials.is_ok(), "credentials are allowed outside a browser");
}

#[wasm_bindgen_test]
fn constructor_requires_an_options_object_and_base_url() {
    let e = AiccClient::new(JsValue::UNDEFINED, None).err().expect("undefined options must fail");
    assert_aicc_error(&e, "validation", Some("options"));
    let e = AiccClient::new(s("http://127.0.0.1:1"), None).err().expect("a string is not options");
    assert_aicc_error(&e, "validation", Some("options"));

    let e = AiccClient::new(obj(&[("timeoutMs", 1000.into())]), None).err().expect("missing baseUrl must fail");
    assert_aicc_error(&e, "validation", Some("baseUrl"));
    assert_eq!(prop_str(&e, "operation").as_deref(), Some("configuration"));

    let e = AiccClient::new(obj(&[("baseUrl", s("not a url"))]), None).err().expect("bad baseUrl must fail");
    assert_aicc_error(&e, "validation", Some("baseUrl"));
}

#[wasm_bindgen_test]
fn constructor_rejects_bad_timeout_ms() {
    for bad in [JsValue::from(0), JsValue::from(-5), JsValue::from(1.5), s("abc"), JsValue::from(600_001), JsValue::TRUE] {
        let options = obj(&[("baseUrl", s("http://127.0.0.1:9")), ("timeoutMs", bad.clone())]);
        let e = AiccClient::new(options, None).err().unwrap_or_else(|| panic!("timeoutMs {bad:?} must fail"));
        assert_aicc_error(&e, "validation", Some("timeoutMs"));
    }
}

#[wasm_bindgen_test]
fn browser_runtime_refuses_secrets_without_echoing_them() {
    let secret = "TOP-SECRET-app-secret-0123456789";
    let options = obj(&[
        ("baseUrl", s("https://aicc.example.com")),
        ("credentials", obj(&[("appKey", s("my-key")), ("appSecret", s(secret))])),
    ]);
    let e = AiccClient::new(options, Some("browser".into())).err().expect("credentials in a browser must fail");
    assert_aicc_error(&e, "validation", Some("credentials"));
    let message = prop_str(&e, "message").unwrap();
    assert!(!message.contains(secret), "message leaks the secret: {message}");
    let json = js_sys::JSON::stringify(&e).unwrap().as_string().unwrap();
    assert!(!json.contains(secret), "toJSON leaks the secret: {json}");
    let stack = prop_str(&e, "stack").unwrap_or_default();
    assert!(!stack.contains(secret), "stack leaks the secret");

    let sk = "SK-very-secret-987654321";
    let options = obj(&[
        ("baseUrl", s("https://aicc.example.com")),
        ("cmsCredentials", obj(&[("ak", s("ak-1")), ("sk", s(sk))])),
    ]);
    let e = AiccClient::new(options, Some("browser".into())).err().expect("cmsCredentials in a browser must fail");
    assert_aicc_error(&e, "validation", Some("cmsCredentials"));
    assert!(!prop_str(&e, "message").unwrap().contains(sk));
}

#[wasm_bindgen_test]
fn constructor_rejects_conflicting_or_malformed_auth() {
    let options = obj(&[
        ("baseUrl", s("http://127.0.0.1:9")),
        ("credentials", credentials()),
        ("token", Function::new_no_args("return 't'").into()),
    ]);
    let e = AiccClient::new(options, None).err().expect("credentials + token must fail");
    assert_aicc_error(&e, "validation", Some("token"));
    let e = AiccClient::new(obj(&[("baseUrl", s("http://127.0.0.1:9")), ("token", s("bare-string"))]), None)
        .err()
        .expect("a non-function token must fail");
    assert_aicc_error(&e, "validation", Some("token"));
    assert!(!prop_str(&e, "message").unwrap().contains("bare-string"));
}

#[wasm_bindgen_test]
fn watch_call_validates_synchronously() {
    let client = AiccClient::new(obj(&[("baseUrl", s("http://127.0.0.1:9"))]), None).unwrap();
    let e = client.watch_call(JsValue::NULL, JsValue::UNDEFINED).err().expect("null serial must fail");
    assert_aicc_error(&e, "validation", Some("callSerialNo"));
    let e = client.watch_call(s("12ab"), JsValue::UNDEFINED).err().expect("non-digit serial must fail");
    assert_aicc_error(&e, "validation", Some("callSerialNo"));
    let e = client.watch_call(s("645735364434067472"), obj(&[("intervalMs", 10.into())])).err().expect("10 ms must fail");
    assert_aicc_error(&e, "validation", Some("intervalMs"));
    // An 18-digit serial given as a JS number has already lost digits: refused, never rounded and queried.
    let e = client.watch_call(JsValue::from_f64(645735364434067472.0), JsValue::UNDEFINED).err().expect("unsafe number");
    assert_aicc_error(&e, "validation", Some("callSerialNo"));
    assert!(client.watch_call(JsValue::from_f64(645735364.0), JsValue::UNDEFINED).is_ok(), "a safe whole number is accepted");
}

// ---------- over real HTTP against the simulator ----------

#[wasm_bindgen_test]
async fn create_call_then_query_call_state_keeps_the_18_digit_serial_as_a_string() {
    let Some(base) = sim() else { return };
    reset().await;
    let client = sim_client(base, None);
    let (caller, called) = numbers(1, 0);
    let placed = settle(client.create_call(obj(&[("caller", s(&caller)), ("called", s(&called)), ("callData", s("order-42"))]), JsValue::UNDEFINED))
        .await
        .unwrap_or_else(|e| panic!("createCall failed: {}", describe(&e)));
    let serial = prop(&placed, "callSerialNo");
    let serial = serial.as_string().unwrap_or_else(|| panic!("callSerialNo is not a string: {serial:?}"));
    assert_eq!(serial.len(), 18, "serial {serial}");
    assert!(serial.bytes().all(|b| b.is_ascii_digit()), "serial {serial}");
    // The simulator's serials are never exactly representable as a double: a JSON.parse would have changed them.
    let as_number: f64 = serial.parse().unwrap();
    assert_ne!(format!("{as_number:.0}"), serial, "serial survived a double: the test proves nothing");
    assert!(prop(&placed, "retMsg").is_string());

    // The simulator received exactly that request, with the bearer token it issued.
    let calls: Array = sim_get("/__sim/calls").await.unchecked_into();
    assert_eq!(calls.length(), 1);
    let body = prop(&calls.get(0), "body");
    assert_eq!(prop_str(&body, "caller").as_deref(), Some(caller.as_str()));
    let ret_code = prop(&calls.get(0), "retCode");
    assert!(ret_code.as_string().as_deref() == Some("0") || ret_code.as_f64() == Some(0.0), "retCode {ret_code:?}");

    let state = settle(client.query_call_state(obj(&[("callSerialNo", s(&serial))]), JsValue::UNDEFINED))
        .await
        .unwrap_or_else(|e| panic!("queryCallState failed: {}", describe(&e)));
    let n = prop(&state, "state").as_f64().expect("state is a number");
    assert!((0.0..=3.0).contains(&n), "state {n}");
    assert!(prop(&state, "stateName").is_string());
    assert_eq!(prop_str(&state, "caller").as_deref(), Some(caller.as_str()));
    assert_eq!(prop_str(&state, "called").as_deref(), Some(called.as_str()));

    // An unknown serial is an API error (retCode 1), still an AiccError.
    let e = settle(client.query_call_state(obj(&[("callSerialNo", s("111111111111111111"))]), JsValue::UNDEFINED)).await.expect_err("unknown serial");
    assert_aicc_error(&e, "api", None);
    assert_eq!(prop_str(&e, "retCode").as_deref(), Some("1"));
}

#[wasm_bindgen_test]
async fn validation_errors_reject_before_any_request() {
    let Some(base) = sim() else { return };
    reset().await;
    let client = sim_client(base, None);
    let (caller, _) = numbers(2, 0);
    let e = settle(client.create_call(obj(&[("caller", s(&caller)), ("called", s("12ab"))]), JsValue::UNDEFINED)).await.expect_err("bad called");
    assert_aicc_error(&e, "validation", Some("called"));
    let e = settle(client.create_call(obj(&[("caller", s(&caller))]), JsValue::UNDEFINED)).await.expect_err("missing called");
    assert_aicc_error(&e, "validation", Some("called"));
    let e = settle(client.create_call(s("not an object"), JsValue::UNDEFINED)).await.expect_err("string request");
    assert_aicc_error(&e, "validation", Some("request"));
    let e = settle(client.query_call_state(obj(&[("callSerialNo", s("12-34"))]), JsValue::UNDEFINED)).await.expect_err("bad serial");
    assert_aicc_error(&e, "validation", Some("callSerialNo"));
    let e = settle(client.query_call_state(JsValue::UNDEFINED, JsValue::UNDEFINED)).await.expect_err("missing serial");
    assert_aicc_error(&e, "validation", Some("callSerialNo"));
    // Not even a token was fetched.
    let requests: Array = sim_get("/__sim/requests").await.unchecked_into();
    assert_eq!(requests.length(), 0, "requests were sent: {}", describe(&requests));
}

#[wasm_bindgen_test]
async fn watch_call_yields_states_until_the_call_ends() {
    let Some(base) = sim() else { return };
    reset().await;
    let client = sim_client(base, None);
    let (caller, called) = numbers(3, 0); // last digit 0: answered, so it goes through talking
    let placed = settle(client.create_call(obj(&[("caller", s(&caller)), ("called", s(&called))]), JsValue::UNDEFINED))
        .await
        .unwrap_or_else(|e| panic!("createCall failed: {}", describe(&e)));
    let serial = prop_str(&placed, "callSerialNo").unwrap();
    let watch = client.watch_call(s(&serial), obj(&[("intervalMs", 100.into())])).unwrap();
    let mut states = Vec::new();
    let mut last = JsValue::UNDEFINED;
    loop {
        let step = settle(watch.next()).await.unwrap_or_else(|e| panic!("next() failed: {}", describe(&e)));
        if prop(&step, "done").as_bool() == Some(true) {
            assert!(prop(&step, "value").is_undefined());
            break;
        }
        assert_eq!(prop(&step, "done").as_bool(), Some(false));
        last = prop(&step, "value");
        states.push(prop(&last, "state").as_f64().unwrap() as u32);
        assert!(states.len() <= 4, "too many states: {states:?}");
    }
    assert!(states.windows(2).all(|w| w[0] < w[1]), "states must change each time and move forward: {states:?}");
    assert_eq!(states.last(), Some(&3), "states {states:?}");
    assert_eq!(prop_str(&last, "stateName").as_deref(), Some("ended"));
    assert!(!prop(&last, "reason").is_undefined(), "an ended call has a reason: {}", describe(&last));
    // After the end the iterator stays done, and return() resolves done too.
    let again = settle(watch.next()).await.unwrap();
    assert_eq!(prop(&again, "done").as_bool(), Some(true));
    let ret = settle(watch.stop()).await.unwrap();
    assert_eq!(prop(&ret, "done").as_bool(), Some(true));
}

#[wasm_bindgen_test]
async fn watch_call_overlapping_next_is_refused_and_return_stops() {
    let Some(base) = sim() else { return };
    reset().await;
    let client = sim_client(base, None);
    let watch = client.watch_call(s("645735364434067472"), obj(&[("intervalMs", 100.into())])).unwrap();
    let first = watch.next();
    let second = settle(watch.next()).await.expect_err("overlapping next() must be refused");
    assert_aicc_error(&second, "validation", Some("watchCall"));
    let first = settle(first).await.unwrap_or_else(|e| panic!("first next() failed: {}", describe(&e)));
    assert_eq!(prop(&prop(&first, "value"), "state").as_f64(), Some(3.0), "the page's example call has ended");
    let done = settle(watch.next()).await.unwrap();
    assert_eq!(prop(&done, "done").as_bool(), Some(true));

    let (caller, called) = numbers(4, 0);
    let placed = settle(client.create_call(obj(&[("caller", s(&caller)), ("called", s(&called))]), JsValue::UNDEFINED)).await.unwrap();
    let watch = client.watch_call(prop(&placed, "callSerialNo"), obj(&[("intervalMs", 100.into())])).unwrap();
    let first = settle(watch.next()).await.unwrap();
    assert_eq!(prop(&first, "done").as_bool(), Some(false));
    settle(watch.stop()).await.unwrap();
    let after = settle(watch.next()).await.unwrap();
    assert_eq!(prop(&after, "done").as_bool(), Some(true), "return() stops the watch");
}

#[wasm_bindgen_test]
async fn timeout_is_an_aicc_error_and_the_instance_keeps_working() {
    let Some(base) = sim() else { return };
    reset().await;
    let client = sim_client(base, Some(200));
    // Fetch the token first so that the fault hits createCall itself.
    settle(client.query_call_state(obj(&[("callSerialNo", s("645735364434067472"))]), JsValue::UNDEFINED)).await.unwrap();
    fault(CREATE_CALL, "delay:2000", 1).await;
    let (caller, called) = numbers(5, 6);
    let started = js_sys::Date::now();
    let e = settle(client.create_call(obj(&[("caller", s(&caller)), ("called", s(&called))]), JsValue::UNDEFINED))
        .await
        .expect_err("a 2 s delay with timeoutMs 200 must fail");
    let elapsed = js_sys::Date::now() - started;
    assert_aicc_error(&e, "timeout", None);
    assert_eq!(prop_str(&e, "operation").as_deref(), Some("createCall"));
    assert_eq!(prop(&e, "outcomeUnknown").as_bool(), Some(true), "a timed-out createCall may have been placed");
    assert!(elapsed < 1500.0, "gave up after {elapsed} ms, not about 200");

    // The same instance (and the same client) still works; the delayed call is still live, so use a new pair.
    let (caller, called) = numbers(6, 6);
    let placed = settle(client.create_call(obj(&[("caller", s(&caller)), ("called", s(&called))]), JsValue::UNDEFINED))
        .await
        .unwrap_or_else(|e| panic!("createCall after a timeout failed: {}", describe(&e)));
    assert!(prop(&placed, "callSerialNo").is_string());

    // A query times out too (no retries configured), then recovers.
    fault("/apiaccess/CC-Management/v1/mobileAgent/queryCallState", "delay:2000", 1).await;
    let e = settle(client.query_call_state(obj(&[("callSerialNo", prop(&placed, "callSerialNo"))]), JsValue::UNDEFINED)).await.expect_err("timeout");
    assert_aicc_error(&e, "timeout", None);
    assert_eq!(prop(&e, "retryable").as_bool(), Some(true));
    settle(client.query_call_state(obj(&[("callSerialNo", prop(&placed, "callSerialNo"))]), JsValue::UNDEFINED)).await.unwrap();
}

#[wasm_bindgen_test]
async fn closed_port_is_a_network_error_without_panic() {
    let Some(base) = sim() else { return };
    let Some(closed) = CLOSED_URL else {
        console_log!("SKIPPED: AICC_CLOSED_URL was not set at compile time (run scripts/test-wasm.sh)");
        return;
    };
    reset().await;
    let dead = AiccClient::new(
        obj(&[("baseUrl", s(closed)), ("token", Function::new_no_args("return 'tok'").into()), ("maxRetries", 0.into()), ("timeoutMs", 5000.into())]),
        None,
    )
    .unwrap();
    let e = settle(dead.query_call_state(obj(&[("callSerialNo", s("645735364434067472"))]), JsValue::UNDEFINED)).await.expect_err("closed port");
    assert_aicc_error(&e, "network", None);
    assert_eq!(prop_str(&e, "operation").as_deref(), Some("queryCallState"));
    assert!(!prop_str(&e, "message").unwrap().contains("tok'"), "no token in the message");
    let e = settle(dead.create_call(obj(&[("caller", s("88881234")), ("called", s("13800000000"))]), JsValue::UNDEFINED)).await.expect_err("closed port");
    assert_aicc_error(&e, "network", None);

    // Credentials against the closed port: the token fetch itself fails as a network error.
    let dead_creds = sim_client(closed, Some(5000));
    let e = settle(dead_creds.query_call_state(obj(&[("callSerialNo", s("645735364434067472"))]), JsValue::UNDEFINED)).await.expect_err("closed port");
    assert_aicc_error(&e, "network", None);

    // No panic happened: the module instance still serves other clients and the failed one.
    let client = sim_client(base, None);
    let (caller, called) = numbers(7, 3);
    let placed = settle(client.create_call(obj(&[("caller", s(&caller)), ("called", s(&called))]), JsValue::UNDEFINED))
        .await
        .unwrap_or_else(|e| panic!("createCall after a network error failed: {}", describe(&e)));
    assert!(prop(&placed, "callSerialNo").is_string());
    let e = settle(dead.query_call_state(obj(&[("callSerialNo", s("645735364434067472"))]), JsValue::UNDEFINED)).await.expect_err("still closed");
    assert_aicc_error(&e, "network", None);
}

#[wasm_bindgen_test]
async fn retries_recover_from_a_transient_query_failure() {
    let Some(base) = sim() else { return };
    reset().await;
    let client = AiccClient::new(
        obj(&[("baseUrl", s(base)), ("credentials", credentials()), ("maxRetries", 2.into()), ("timeoutMs", 300.into())]),
        None,
    )
    .unwrap();
    fault("/apiaccess/CC-Management/v1/mobileAgent/queryCallState", "status:503", 1).await;
    let state = settle(client.query_call_state(obj(&[("callSerialNo", s("645735364434067472"))]), JsValue::UNDEFINED))
        .await
        .unwrap_or_else(|e| panic!("a retried query failed: {}", describe(&e)));
    assert_eq!(prop(&state, "state").as_f64(), Some(3.0));
    let requests: Array = sim_get("/__sim/requests").await.unchecked_into();
    let queries = requests.iter().filter(|r| prop_str(r, "path").is_some_and(|p| p.ends_with("/queryCallState"))).count();
    assert_eq!(queries, 2, "one 503 then one success");
}

/// `return()` while a `next()` is pending (sleeping between polls) ends the watch: the pending `next()` settles done.
#[wasm_bindgen_test]
async fn watch_call_return_during_a_pending_next_stops_the_watch() {
    let Some(base) = sim() else { return };
    reset().await;
    let client = sim_client(base, None);
    let (caller, called) = numbers(8, 0);
    let placed = settle(client.create_call(obj(&[("caller", s(&caller)), ("called", s(&called))]), JsValue::UNDEFINED)).await.unwrap();
    let watch = client.watch_call(prop(&placed, "callSerialNo"), obj(&[("intervalMs", 100.into())])).unwrap();
    let first = settle(watch.next()).await.unwrap();
    assert_eq!(prop(&first, "done").as_bool(), Some(false));
    let pending = watch.next();
    // Let the pending next() start (it is now sleeping between polls), then stop the watch.
    let tick = Promise::new(&mut |resolve, _| {
        let set_timeout: Function = Reflect::get(&js_sys::global(), &"setTimeout".into()).unwrap().unchecked_into();
        set_timeout.call2(&JsValue::NULL, &resolve, &30.into()).unwrap();
    });
    JsFuture::from(tick).await.unwrap();
    settle(watch.stop()).await.unwrap();
    let settled = settle(pending).await.unwrap();
    assert_eq!(prop(&settled, "done").as_bool(), Some(true), "the pending next() yielded after return(): {}", describe(&settled));
    let after = settle(watch.next()).await.unwrap();
    assert_eq!(prop(&after, "done").as_bool(), Some(true), "next() after return() yielded: {}", describe(&after));
}
