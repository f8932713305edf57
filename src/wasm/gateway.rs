//! `GatewayCore` for the JS `createGateway`: routes, applies the verdict and forwards; JS moves Request/Response.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::client::{client_from_js, AiccClient};
use super::error::to_js as error_to_js;
use super::input::{get, is_plain_object, opt_string};
use super::transport::FetchTransport;
use crate::client::Client;
use crate::error::Error;
use crate::gateway::{Gateway, GatewayConfig, GatewayResponse, Route, Verdict};
use crate::operation::Operation;

const CONFIG: Operation = Operation::Configuration;

/// The gateway's core, driven by `createGateway` in js/gateway.js.
#[wasm_bindgen]
pub struct GatewayCore {
    gateway: Rc<Gateway>,
    client: Rc<Client<FetchTransport>>,
}

#[wasm_bindgen]
impl GatewayCore {
    /// Creates a gateway from its options, with a client built from `options.clientOptions`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<GatewayCore, JsValue> {
        let gateway = gateway_from_js(&options).map_err(|e| error_to_js(&e))?;
        let client_options = get(&options, "clientOptions");
        if !client_options.is_object() {
            let e = Error::validation(CONFIG, "clientOptions", "is required (or pass client: an AiccClient)");
            return Err(error_to_js(&e));
        }
        let client = Rc::new(client_from_js(&client_options).map_err(|e| error_to_js(&e))?);
        Ok(GatewayCore { gateway: Rc::new(gateway), client })
    }

    /// Creates a gateway that forwards through an existing client (which stays usable).
    #[wasm_bindgen(js_name = withClient)]
    pub fn with_client(options: JsValue, client: &AiccClient) -> Result<GatewayCore, JsValue> {
        let gateway = gateway_from_js(&options).map_err(|e| error_to_js(&e))?;
        Ok(GatewayCore { gateway: Rc::new(gateway), client: client.shared() })
    }

    /// Returns `{ respond: { status, headers, body } }` to answer at once, or `{ operation }` to authorize and forward.
    pub fn route(&self, method: &str, url: &str, origin: Option<String>) -> JsValue {
        let origin = Gateway::cross_origin(origin.as_deref(), url);
        let path = path_of(url);
        let out = js_sys::Object::new();
        match self.gateway.route(method, path, origin) {
            Route::Respond(r) => set(&out, "respond", response_to_js(&r)),
            Route::Forward(op) => set(&out, "operation", op.as_str().into()),
        }
        out.into()
    }

    /// Re-validates `body`, applies `verdict` (what `authorize` returned) and forwards; resolves to `{ status, headers, body }`.
    pub fn handle(&self, operation: &str, url: &str, origin: Option<String>, body: String, verdict: JsValue) -> Promise {
        let gateway = self.gateway.clone();
        let client = self.client.clone();
        let origin = Gateway::cross_origin(origin.as_deref(), url).map(str::to_string);
        let verdict = verdict_from_js(&verdict);
        let op = Operation::from_name(operation);
        future_to_promise(async move {
            let Some(op) = op else {
                return Ok(response_to_js(&gateway.answer(Err(Error::validation(CONFIG, "operation", "is unknown")), None)));
            };
            let answer = match gateway.prepare(op, &body, &verdict, origin.as_deref()) {
                Ok(request) => gateway.answer(client.forward(request).await, origin.as_deref()),
                Err(refusal) => refusal,
            };
            Ok(response_to_js(&answer))
        })
    }
}

fn gateway_from_js(options: &JsValue) -> Result<Gateway, Error> {
    if !options.is_object() {
        return Err(Error::validation(CONFIG, "options", "must be an object"));
    }
    if !get(options, "authorize").is_function() {
        return Err(Error::validation(
            CONFIG,
            "authorize",
            "is required: a function (request, { operation }) deciding who may call what",
        ));
    }
    let prefix = opt_string(CONFIG, options, "prefix")?;
    let operations = string_list(&get(options, "operations"), "operations")?;
    let origins = string_list(&get(&get(options, "cors"), "origins"), "cors.origins")?.unwrap_or_default();
    Ok(Gateway::new(GatewayConfig::new(prefix.as_deref(), operations.as_deref(), origins)?))
}

fn string_list(value: &JsValue, field: &'static str) -> Result<Option<Vec<String>>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let array = value.dyn_ref::<js_sys::Array>().ok_or_else(|| Error::validation(CONFIG, field, "must be an array of strings"))?;
    array
        .iter()
        .map(|v| v.as_string().ok_or_else(|| Error::validation(CONFIG, field, "must be an array of strings")))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Reads what `authorize` returned. An object must be a plain one whose every property survives JSON as it
/// is: `JSON.stringify` would silently drop an `undefined` restriction or turn an Error or Map into `{}`.
fn verdict_from_js(value: &JsValue) -> Verdict {
    if let Some(b) = value.as_bool() {
        return Verdict::from_value(&serde_json::Value::Bool(b));
    }
    if value.is_undefined() || value.is_null() || !value.is_object() {
        return Verdict::from_value(&serde_json::Value::Null);
    }
    if !is_plain_object(value) {
        return Verdict::malformed("it must be true, false or a plain object");
    }
    let object: &js_sys::Object = value.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let item = js_sys::Reflect::get(object, &key).unwrap_or(JsValue::UNDEFINED);
        if item.is_undefined() || item.is_function() || item.is_symbol() || item.is_bigint() {
            let name = key.as_string().unwrap_or_default();
            return Verdict::malformed(&format!("{name} is undefined or not JSON"));
        }
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .map_or_else(|| Verdict::malformed("it is not JSON"), |v| Verdict::from_value(&v))
}

fn path_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(url, |i| url.get(i + 3..).unwrap_or_default());
    let path = after_scheme.find('/').and_then(|i| after_scheme.get(i..)).unwrap_or("/");
    path.split(['?', '#']).next().unwrap_or(path)
}

fn response_to_js(r: &GatewayResponse) -> JsValue {
    let out = js_sys::Object::new();
    set(&out, "status", r.status.into());
    let headers = js_sys::Object::new();
    for (name, value) in &r.headers {
        set(&headers, name, value.as_str().into());
    }
    set(&out, "headers", headers.into());
    set(&out, "body", r.body.as_str().into());
    out.into()
}

fn set(target: &js_sys::Object, key: &str, value: JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), &value);
}
