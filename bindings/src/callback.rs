//! Callback helpers for JS: `signCallbackUrl` and the decisions of `handleCallback`.

use wasm_bindgen::prelude::*;

use crate::error::to_js as error_to_js;
use crate::input::{set, to_js};
use crate::store::JsStore;
use crate::transport::FetchTransport;
use aicc_call::callback;
use aicc_call::gateway::{ledger, Bounded};

/// Signs a callback URL with its expiry and per-call nonce (see `handleCallback`'s `secret`); the entry passes
/// the time and a random nonce.
#[wasm_bindgen(js_name = signCallbackUrl)]
pub fn sign_callback_url(url: &str, secret: &str, expires_at_ms: f64, nonce: &str) -> Result<String, JsValue> {
    callback::sign_url(url, secret, expires_at_ms as i64, nonce).map_err(|e| error_to_js(&e))
}

/// Decides on one callback: resolves to `{ status, body, event? }`; `event` is handed to
/// `onRelease`/`onConnect`. With a gateway `state`, a release is taken once for its own call.
/// Each state command has `timeout_ms` to answer (a 503 otherwise, so AICC sends the release again); a call
/// whose createCall answer was lost becomes its session's for `call_ttl_ms` when its release arrives.
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
    call_ttl_ms: Option<u32>,
) -> Result<js_sys::Promise, JsValue> {
    let state = JsStore::from_option(&state).map_err(|e| error_to_js(&e))?;
    let url = callback::receiver_url(secret.as_deref(), public_url.as_deref(), state.is_some(), url).map_err(|e| error_to_js(&e))?;
    let decision = callback::decide(method, &url, body, secret.as_deref(), js_sys::Date::now() as i64);
    let call_ttl_ms = call_ttl_ms.map_or(ledger::DAY_MS, i64::from);
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
    out.into()
}
