//! Callback helpers for JS: `signCallbackUrl` and the decisions of `handleCallback`.

use wasm_bindgen::prelude::*;

use super::error::to_js as error_to_js;
use super::input::{set, to_js};
use super::store::JsStore;
use crate::callback;

/// Signs a callback URL with its expiry and per-call nonce (see `handleCallback`'s `secret`); the entry passes
/// the time and a random nonce.
#[wasm_bindgen(js_name = signCallbackUrl)]
pub fn sign_callback_url(url: &str, secret: &str, expires_at_ms: f64, nonce: &str) -> Result<String, JsValue> {
    callback::sign_url(url, secret, expires_at_ms as i64, nonce).map_err(|e| error_to_js(&e))
}

/// Decides on one callback: resolves to `{ status, body, event? }`; `event` is handed to
/// `onRelease`/`onConnect`. With a gateway `state`, a release is taken once for its own call.
#[wasm_bindgen(js_name = readCallback)]
pub fn read_callback(method: &str, url: &str, body: &str, secret: Option<String>, public_url: Option<String>, state: JsValue) -> Result<js_sys::Promise, JsValue> {
    let state = JsStore::from_option(&state).map_err(|e| error_to_js(&e))?;
    let url = callback::receiver_url(secret.as_deref(), public_url.as_deref(), state.is_some(), url).map_err(|e| error_to_js(&e))?;
    let decision = callback::decide(method, &url, body, secret.as_deref(), js_sys::Date::now() as i64);
    Ok(wasm_bindgen_futures::future_to_promise(async move {
        let decision = match &state {
            Some(state) => callback::take_once(decision, state).await,
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
