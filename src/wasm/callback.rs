//! Callback helpers for JS: `signCallbackUrl` and the decisions of `handleCallback`.

use wasm_bindgen::prelude::*;

use super::error::to_js as error_to_js;
use super::input::to_js;
use crate::callback;

/// Appends a signature to a callback URL (see `handleCallback`'s `secret`).
#[wasm_bindgen(js_name = signCallbackUrl)]
pub fn sign_callback_url(url: &str, secret: &str) -> Result<String, JsValue> {
    callback::sign_url(url, secret).map_err(|e| error_to_js(&e))
}

/// Decides on one callback: `{ status, body, event? }`; `event` is handed to `onRelease`/`onConnect`.
#[wasm_bindgen(js_name = readCallback)]
pub fn read_callback(method: &str, url: &str, body: &str, secret: Option<String>) -> JsValue {
    let out = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&out, &JsValue::from_str(k), &v);
    };
    let json_error = |message: &str| serde_json::json!({ "retCode": "1", "retMsg": message }).to_string();
    if !method.eq_ignore_ascii_case("POST") {
        set("status", 405.into());
        set("body", json_error("callbacks are POST").into());
    } else if secret.as_deref().is_some_and(|s| s.len() < callback::MIN_SECRET_LEN) {
        set("status", 500.into());
        set("body", json_error("the callback secret is too short: use at least 16 characters").into());
    } else if secret.as_deref().is_some_and(|s| !callback::verify_url(url, s)) {
        set("status", 401.into());
        set("body", json_error("callback signature missing or wrong").into());
    } else {
        match callback::parse(body) {
            Ok(event) => {
                set("status", 200.into());
                set("body", callback::ACKNOWLEDGEMENT.into());
                set("event", to_js(&event));
            }
            Err(e) => {
                set("status", 400.into());
                set("body", json_error(&e.message).into());
            }
        }
    }
    out.into()
}
