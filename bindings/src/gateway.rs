//! `GatewayCore` for the JS `createGateway`: routes, applies the verdict and forwards; JS moves Request/Response.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::client::{client_from_js, AiccClient};
use crate::error::to_js as error_to_js;
use crate::input::{check_names, get, opt_bool, opt_string, opt_u32, set};
use crate::store::JsStore;
use crate::transport::FetchTransport;
use aicc_call::client::Client;
use aicc_call::error::Error;
use aicc_call::gateway::{Gateway, GatewayConfig, GatewayResponse, Route, Verdict, MAX_VERDICT_LIST_ITEMS, VERDICT_KEYS};
use aicc_call::operation::Operation;
use aicc_call::options::OptionSet;
use aicc_call::url::path_of;

const CONFIG: Operation = Operation::Configuration;

/// The gateway's core, driven by `createGateway` in js/gateway.js.
#[wasm_bindgen]
pub struct GatewayCore {
    gateway: Rc<Gateway>,
    client: Rc<Client<FetchTransport>>,
    state: JsStore,
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
        Ok(GatewayCore { gateway: Rc::new(gateway), client, state: state_from_js(&options)? })
    }

    /// Creates a gateway that forwards through an existing client (which stays usable).
    #[wasm_bindgen(js_name = withClient)]
    pub fn with_client(options: JsValue, client: &AiccClient) -> Result<GatewayCore, JsValue> {
        let gateway = gateway_from_js(&options).map_err(|e| error_to_js(&e))?;
        Ok(GatewayCore { gateway: Rc::new(gateway), client: client.shared(), state: state_from_js(&options)? })
    }

    /// Decides on a request before its body is read, in one call: the operation's name (a string) to read the
    /// body, ask `authorize` and `handle` it, or `{ status, headers, body }` to answer at once (a preflight,
    /// 403 origin, 404, 405, 415, 413 on `Content-Length`).
    pub fn begin(&self, method: &str, url: &str, origin: Option<String>, content_type: Option<String>, content_length: Option<String>) -> JsValue {
        let origin = Gateway::cross_origin(origin.as_deref(), url);
        match self.gateway.begin(method, path_of(url), origin, content_type.as_deref(), content_length.as_deref()) {
            Route::Respond(r) => response_to_js(&r),
            Route::Forward(op) => op.as_str().into(),
        }
    }

    /// The 413 answer, for a body that grew over the limit while it was read.
    #[wasm_bindgen(js_name = tooLarge)]
    pub fn too_large(&self, url: &str, origin: Option<String>) -> JsValue {
        response_to_js(&self.gateway.too_large(Gateway::cross_origin(origin.as_deref(), url)))
    }

    /// The 503 answer, when reading the body or `authorize` missed the deadline.
    #[wasm_bindgen(js_name = tooSlow)]
    pub fn too_slow(&self, url: &str, origin: Option<String>) -> JsValue {
        response_to_js(&self.gateway.too_slow(Gateway::cross_origin(origin.as_deref(), url)))
    }

    /// The answer after the gateway trapped while serving a request to `url`: 502 outcome-unknown for an
    /// operation with an effect, else 500 (the core decides).
    #[wasm_bindgen(js_name = internalError)]
    pub fn internal_error(&self, url: &str, origin: Option<String>) -> JsValue {
        response_to_js(&self.gateway.internal_error(path_of(url), Gateway::cross_origin(origin.as_deref(), url)))
    }

    /// The largest body read, in bytes.
    #[wasm_bindgen(getter, js_name = maxBodyBytes)]
    pub fn max_body_bytes(&self) -> u32 {
        self.gateway.config().max_body_bytes
    }

    /// The deadline of reading the body and of `authorize`, in milliseconds.
    #[wasm_bindgen(getter, js_name = authorizeTimeoutMs)]
    pub fn authorize_timeout_ms(&self) -> u32 {
        self.gateway.config().authorize_timeout_ms
    }

    /// Validates `body` (the page's client did, but the page is not trusted), applies `verdict` (what
    /// `authorize` returned) and forwards; resolves to `{ status, headers, body }`.
    pub fn handle(&self, operation: &str, url: &str, origin: Option<String>, body: String, verdict: JsValue) -> Promise {
        let gateway = self.gateway.clone();
        let client = self.client.clone();
        let state = self.state.clone();
        let origin = Gateway::cross_origin(origin.as_deref(), url).map(str::to_string);
        let verdict = verdict_from_js(&verdict);
        let op = Operation::from_name(operation);
        future_to_promise(async move {
            let Some(op) = op else {
                return Ok(response_to_js(&gateway.answer(Err(Error::validation(CONFIG, "operation", "is unknown")), None)));
            };
            let answer = gateway.serve(op, &body, &verdict, origin.as_deref(), &client, &state).await;
            Ok(response_to_js(&answer))
        })
    }
}

/// The answers of `toNodeListener` to a request it could not read and to a gateway that threw:
/// `{ unreadable, failed }`, each `{ status, headers, body }`.
#[wasm_bindgen(js_name = nodeListenerAnswers)]
pub fn node_listener_answers() -> JsValue {
    let out = js_sys::Object::new();
    set(&out, "unreadable", response_to_js(&Gateway::unreadable_request()));
    set(&out, "failed", response_to_js(&Gateway::failed()));
    out.into()
}

/// Checks `toNodeListener(gateway, options)`: a gateway (an object with `fetch`) and known options.
#[wasm_bindgen(js_name = checkNodeListener)]
pub fn check_node_listener(gateway: JsValue, options: JsValue) -> Result<(), JsValue> {
    if !get(&gateway, "fetch").is_function() {
        return Err(error_to_js(&Gateway::not_a_gateway()));
    }
    check_names(OptionSet::NodeListener, CONFIG, &options).map_err(|e| error_to_js(&e))
}

fn gateway_from_js(options: &JsValue) -> Result<Gateway, Error> {
    if !options.is_object() {
        return Err(Error::validation(CONFIG, "options", "must be an object"));
    }
    check_names(OptionSet::Gateway, CONFIG, options)?;
    check_names(OptionSet::Cors, CONFIG, &get(options, "cors"))?;
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
    let config = GatewayConfig::new(prefix.as_deref(), operations.as_deref(), origins)?
        .limits(opt_u32(CONFIG, options, "maxBodyBytes")?, opt_u32(CONFIG, options, "authorizeTimeoutMs")?)?
        .state_rules(
            opt_bool(CONFIG, options, "allowUnknownSerials")?,
            opt_u32(CONFIG, options, "createCallPerMinute")?,
            opt_u32(CONFIG, options, "createCallPerDay")?,
            opt_u32(CONFIG, options, "callTtlMs")?,
        )?
        .state_timeout(opt_u32(CONFIG, options, "stateTimeoutMs")?)?;
    Ok(Gateway::new(config))
}

/// The `state` option: required here (the entry passes a memory state when the page's options have none).
fn state_from_js(options: &JsValue) -> Result<JsStore, JsValue> {
    JsStore::from_option(&get(options, "state"))
        .and_then(|state| state.ok_or_else(|| Error::validation(CONFIG, "state", "is required")))
        .map_err(|e| error_to_js(&e))
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


/// Reads what `authorize` returned, each known field exactly once from the object's own properties (a getter
/// is called once; nothing inherited, nothing through `toJSON`). Any other own key, enumerable or not, a
/// prototype other than `Object.prototype` or `null`, or a trap that throws, gives a malformed verdict.
fn verdict_from_js(value: &JsValue) -> Verdict {
    if let Some(b) = value.as_bool() {
        return Verdict::from_value(&serde_json::Value::Bool(b));
    }
    if value.is_undefined() || value.is_null() || !value.is_object() || value.is_function() {
        return Verdict::from_value(&serde_json::Value::Null);
    }
    match verdict_fields(value.unchecked_ref()) {
        Ok(map) => Verdict::from_value(&serde_json::Value::Object(map)),
        Err(why) => Verdict::malformed(&why),
    }
}

fn verdict_fields(object: &js_sys::Object) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let threw = |_| "reading it threw".to_string();
    let prototype = js_sys::Reflect::get_prototype_of(object).map_err(threw)?;
    let plain = prototype.is_null() || js_sys::Reflect::get_prototype_of(&prototype).map_err(threw)?.is_null();
    if !plain {
        return Err("it must be true, false or a plain object".into());
    }
    for key in js_sys::Reflect::own_keys(object).map_err(threw)?.iter() {
        let name = key.as_string().ok_or("it has a symbol key")?;
        if !VERDICT_KEYS.contains(&name.as_str()) {
            return Err(format!("{name} is not a verdict field (known: {})", VERDICT_KEYS.join(", ")));
        }
    }
    let mut map = serde_json::Map::new();
    for key in VERDICT_KEYS {
        let descriptor = js_sys::Reflect::get_own_property_descriptor(object, &JsValue::from_str(key)).map_err(threw)?;
        if descriptor.is_undefined() {
            continue;
        }
        let getter = js_sys::Reflect::get(&descriptor, &"get".into()).map_err(threw)?;
        let item = match getter.dyn_ref::<js_sys::Function>() {
            Some(get) => get.call0(object).map_err(threw)?,
            None => js_sys::Reflect::get(&descriptor, &"value".into()).map_err(threw)?,
        };
        map.insert(key.to_string(), json_of(&item).ok_or_else(|| format!("{key} is undefined or not a string, number, boolean or array of them"))?);
    }
    Ok(map)
}

/// A verdict value as JSON: a string, a boolean, a safe whole number, `null`, or an array of strings and numbers.
fn json_of(value: &JsValue) -> Option<serde_json::Value> {
    if let Some(s) = value.as_string() {
        return Some(serde_json::Value::String(s));
    }
    if let Some(b) = value.as_bool() {
        return Some(serde_json::Value::Bool(b));
    }
    if value.is_null() {
        return Some(serde_json::Value::Null);
    }
    if let Some(n) = value.as_f64() {
        return aicc_call::wire::safe_integer(n).map(serde_json::Value::from);
    }
    if !js_sys::Array::is_array(value) {
        return None;
    }
    // Through Reflect, which reports a throwing Proxy trap instead of throwing through the wasm. One item past
    // the core's most is enough for it to refuse the list.
    let length = js_sys::Reflect::get(value, &"length".into()).ok()?.as_f64()?.min(f64::from(MAX_VERDICT_LIST_ITEMS + 1)) as u32;
    (0..length)
        .map(|i| js_sys::Reflect::get_u32(value, i).ok())
        .map(|item| item.and_then(|item| json_of(&item)).filter(|v| v.is_string() || v.is_number()))
        .collect::<Option<Vec<_>>>()
        .map(serde_json::Value::Array)
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
