//! Callback helpers for JS: `signCallbackUrl` and the decisions of `handleCallback`.

use wasm_bindgen::prelude::*;

use super::error::to_js as error_to_js;
use super::input::to_js;
use crate::callback;

/// Signs a callback URL with its expiry and per-call nonce (see `handleCallback`'s `secret`); the entry passes
/// the time and a random nonce.
#[wasm_bindgen(js_name = signCallbackUrl)]
pub fn sign_callback_url(url: &str, secret: &str, expires_at_ms: f64, nonce: &str) -> Result<String, JsValue> {
    callback::sign_url(url, secret, expires_at_ms as i64, nonce).map_err(|e| error_to_js(&e))
}

/// Decides on one callback: `{ status, body, event? }`; `event` is handed to `onRelease`/`onConnect`.
#[wasm_bindgen(js_name = readCallback)]
pub fn read_callback(method: &str, url: &str, body: &str, secret: Option<String>, public_url: Option<String>) -> Result<JsValue, JsValue> {
    let url = callback::receiver_url(secret.as_deref(), public_url.as_deref(), url).map_err(|e| error_to_js(&e))?;
    let decision = callback::decide(method, &url, body, secret.as_deref(), js_sys::Date::now() as i64);
    let out = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str(k), &v);
    };
    set("status", decision.status.into());
    set("body", decision.body.into());
    if let Some(event) = &decision.event {
        set("event", to_js(event));
    }
    Ok(out.into())
}
