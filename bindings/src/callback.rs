//! Callback helpers for JS: `signCallbackUrl` and the decisions of `handleCallback`.

use wasm_bindgen::prelude::*;

use crate::error::to_js as error_to_js;
use crate::input::{opt_u32, set, to_js};
use crate::store::JsStore;
use crate::transport::FetchTransport;
use aicc_call::callback;
use aicc_call::gateway::Bounded;

/// Signs a callback URL with its expiry and per-call nonce (see `handleCallback`'s `secret`); the entry passes
/// the time and a random nonce.
#[wasm_bindgen(js_name = signCallbackUrl)]
pub fn sign_callback_url(url: &str, secret: &str, expires_at_ms: f64, nonce: &str) -> Result<String, JsValue> {
    callback::sign_url(url, secret, expires_at_ms as i64, nonce).map_err(|e| error_to_js(&e))
}

/// Checks `handleCallback`'s `{ timeoutMs, callTtlMs }` (the core's ranges) and gives them back with their
/// defaults, before anything is read.
#[wasm_bindgen(js_name = callbackLimits)]
pub fn callback_limits(options: JsValue) -> Result<JsValue, JsValue> {
    let op = aicc_call::Operation::Configuration;
    let read = || -> Result<(u32, i64), aicc_call::Error> {
        callback::receiver_limits(opt_u32(op, &options, "timeoutMs")?, opt_u32(op, &options, "callTtlMs")?)
    };
    let (timeout_ms, call_ttl_ms) = read().map_err(|e| error_to_js(&e))?;
    let out = js_sys::Object::new();
    set(&out, "timeoutMs", timeout_ms.into());
    set(&out, "callTtlMs", (call_ttl_ms as f64).into());
    Ok(out.into())
}

/// Decides on one callback: resolves to `{ status, body, event?, confirm? }`; `event` is handed to
/// `onRelease`/`onConnect`, then `confirm` applied to the state. With a gateway `state`, a release is taken for
/// its own call until confirmed. Each state command has `timeout_ms` to answer (a 503 otherwise, so AICC sends
/// the release again); a call whose createCall answer was lost becomes its session's for `call_ttl_ms` when its
/// release arrives. Both come checked from `callbackLimits`.
#[wasm_bindgen(js_name = readCallback)]
#[allow(clippy::too_many_arguments)]
pub fn read_callback(
    method: &str,
    url: &str,
    body: &str,
    secret: Option<String>,
    public_url: Option<String>,
    state: JsValue,
    timeout_ms: u32,
    call_ttl_ms: f64,
) -> Result<js_sys::Promise, JsValue> {
    let state = JsStore::from_option(&state).map_err(|e| error_to_js(&e))?;
    let url = callback::receiver_url(secret.as_deref(), public_url.as_deref(), state.is_some(), url).map_err(|e| error_to_js(&e))?;
    let decision = callback::decide(method, &url, body, secret.as_deref(), js_sys::Date::now() as i64);
    let call_ttl_ms = call_ttl_ms as i64;
    Ok(wasm_bindgen_futures::future_to_promise(async move {
        let decision = match &state {
            Some(state) => {
                let bounded = Bounded { store: state, transport: &FetchTransport, timeout_ms: timeout_ms.max(1) };
                callback::take_once(decision, &bounded, call_ttl_ms).await
            }
            None => decision,
        };
        Ok(decision_to_js(&decision))
    }))
}

fn decision_to_js(decision: &callback::CallbackDecision) -> JsValue {
    let out = js_sys::Object::new();
    set(&out, "status", decision.status.into());
    set(&out, "body", decision.body.as_str().into());
    if let Some(event) = &decision.event {
        set(&out, "event", to_js(event));
    }
    if let Some((key, command)) = &decision.confirm {
        let confirm = js_sys::Object::new();
        set(&confirm, "key", key.as_str().into());
        set(&confirm, "command", command.as_str().into());
        set(&out, "confirm", confirm.into());
    }
    out.into()
}
