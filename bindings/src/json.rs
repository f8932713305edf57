//! JSON text to the core's values through the runtime's `JSON.parse` (src/parse-json.js of this crate, which gives
//! whole numbers beyond 2^53 as BigInt), so the module carries no JSON parser of its own. The parsed value is
//! read into a `serde_json::Value` here, whole numbers exact up to 64 bits. The browser build only (feature
//! `host-json`): the server build parses with serde_json, which is faster there.

use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;

use aicc_call::wire::JsonError;

#[wasm_bindgen(module = "/src/parse-json.js")]
extern "C" {
    #[wasm_bindgen(js_name = parseJson, catch)]
    fn parse_json(text: &str) -> Result<JsValue, JsValue>;
}

/// How deep arrays and objects may nest (serde_json's limit too): deeper text is refused, not recursed into.
const MAX_DEPTH: usize = 128;

/// Parses JSON text.
pub(crate) fn parse(text: &str) -> Result<Value, JsonError> {
    match parse_json(text) {
        Ok(value) => value_of(&value, 0).ok_or(JsonError::Invalid),
        Err(e) if crate::input::get(&e, "cutShort").is_truthy() => Err(JsonError::CutShort),
        Err(_) => Err(JsonError::Invalid),
    }
}

/// What `JSON.parse` gave, as a Value; `None` past [`MAX_DEPTH`] or for a value JSON cannot hold.
fn value_of(value: &JsValue, depth: usize) -> Option<Value> {
    if let Some(text) = value.as_string() {
        return Some(Value::String(text));
    }
    if let Some(n) = value.as_f64() {
        return match aicc_call::wire::safe_integer(n) {
            Some(whole) => Some(Value::from(whole)),
            None => Number::from_f64(n).map(Value::Number),
        };
    }
    if let Some(b) = value.as_bool() {
        return Some(Value::Bool(b));
    }
    if value.is_null() {
        return Some(Value::Null);
    }
    if value.is_bigint() {
        let digits = String::from(js_sys::BigInt::unchecked_from_js_ref(value).to_string(10).ok()?);
        return digits.parse::<u64>().map(Value::from).or_else(|_| digits.parse::<i64>().map(Value::from)).ok();
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    if js_sys::Array::is_array(value) {
        let items: js_sys::Array = value.clone().unchecked_into();
        return items.iter().map(|item| value_of(&item, depth + 1)).collect::<Option<Vec<_>>>().map(Value::Array);
    }
    let mut map = Map::new();
    for entry in js_sys::Object::entries(value.dyn_ref::<js_sys::Object>()?).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        map.insert(pair.get(0).as_string()?, value_of(&pair.get(1), depth + 1)?);
    }
    Some(Value::Object(map))
}
