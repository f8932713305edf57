//! Reading JS values handed to the bindings and writing the core's results back, with no JSON text either way:
//! results through serde-wasm-bindgen; a request's flat fields read one by one (serde-wasm-bindgen's
//! deserializer would add 9 KB gzip to the browser's wasm, most of it the float formatting of its type errors).

use serde::Serialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;

use aicc_call::error::Error;
use aicc_call::operation::Operation;
use aicc_call::options::OptionSet;
use aicc_call::wire::Object;

#[wasm_bindgen(module = "/src/own-fields.js")]
extern "C" {
    #[wasm_bindgen(js_name = ownFields)]
    fn own_fields(value: &JsValue) -> JsValue;
}

/// Reads a plain JS object (`{ caller, called, ... }`) as the core's input object.
pub(crate) fn object(op: Operation, field: &'static str, value: &JsValue) -> Result<Object, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(Object::default());
    }
    if !value.is_object() || value.is_function() {
        return Err(Error::validation(op, field, "must be an object"));
    }
    let fields = own_fields(value);
    let fields = fields.dyn_ref::<js_sys::Object>().ok_or_else(|| Error::validation(op, field, "could not be read"))?;
    let mut map = Map::new();
    for entry in js_sys::Object::entries(fields).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        if let Some(key) = pair.get(0).as_string() {
            map.insert(key, field_value(&pair.get(1)));
        }
    }
    let object = Object(map);
    aicc_call::ops::refuse_inexact_numbers(op, &object)?;
    Ok(object)
}

/// A field as [`own_fields`] left it: a string, number, boolean, 64-bit BigInt or `null`, or an empty array or
/// object.
fn field_value(value: &JsValue) -> Value {
    if let Some(text) = value.as_string() {
        Value::String(text)
    } else if let Some(n) = value.as_f64() {
        match aicc_call::wire::safe_integer(n) {
            Some(whole) => Value::from(whole),
            None => Number::from_f64(n).map_or(Value::Null, Value::Number),
        }
    } else if let Some(b) = value.as_bool() {
        Value::Bool(b)
    } else if value.is_bigint() {
        let digits = js_sys::BigInt::unchecked_from_js_ref(value).to_string(10).ok().and_then(|d| d.as_string()).unwrap_or_default();
        digits.parse::<u64>().map(Value::from).or_else(|_| digits.parse::<i64>().map(Value::from)).unwrap_or(Value::Null)
    } else if js_sys::Array::is_array(value) {
        Value::Array(Vec::new())
    } else if value.is_object() {
        Value::Object(Map::new())
    } else {
        Value::Null
    }
}

/// A property of a JS object, `undefined` when absent.
pub(crate) fn get(value: &JsValue, key: &str) -> JsValue {
    if !value.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Refuses an option of `value` (an options object) that `set` does not have; anything but an object has none.
#[inline(never)]
pub(crate) fn check_names(set: OptionSet, op: Operation, value: &JsValue) -> Result<(), Error> {
    if !value.is_object() || value.is_function() {
        return Ok(());
    }
    let names = js_sys::Reflect::own_keys(value).map_err(|_| Error::validation(op, "options", "could not be read"))?;
    for name in names.iter() {
        if let Some(name) = name.as_string() {
            set.check_name(op, &name)?;
        }
    }
    Ok(())
}

/// An optional string property; numbers are accepted.
pub(crate) fn opt_string(op: Operation, value: &JsValue, key: &'static str) -> Result<Option<String>, Error> {
    let v = get(value, key);
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else if let Some(s) = v.as_string() {
        Ok(Some(s))
    } else if let Some(n) = v.as_f64().and_then(whole_number_text) {
        Ok(Some(n))
    } else {
        Err(Error::validation(op, key, "must be a string"))
    }
}

/// The decimal text of a JS number that is a safe whole number (phone numbers given as numbers).
pub(crate) fn whole_number_text(n: f64) -> Option<String> {
    aicc_call::wire::safe_integer(n).map(|n| n.to_string())
}

/// An optional whole-number property.
pub(crate) fn opt_u32(op: Operation, value: &JsValue, key: &'static str) -> Result<Option<u32>, Error> {
    let v = get(value, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => Ok(Some(n as u32)),
        _ => Err(Error::validation(op, key, "must be a non-negative whole number")),
    }
}

/// Converts a decoded result to a plain JS object (`None` as `null`, as JSON would have it). Serials are strings
/// by now, so no number is beyond 2^53.
pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap_or(JsValue::UNDEFINED)
}

/// `{ ... }` or `Object.create(null)`, not a `Headers`, `Map`, array or class instance.
pub(crate) fn is_plain_object(value: &JsValue) -> bool {
    let Some(object) = value.dyn_ref::<js_sys::Object>() else { return false };
    let prototype = js_sys::Object::get_prototype_of(object);
    !value.is_function() && (prototype.is_null() || js_sys::Object::get_prototype_of(&prototype).is_null())
}

/// Sets `key` on a JS object the bindings build (a plain object, so setting cannot fail).
pub(crate) fn set(target: &js_sys::Object, key: &str, value: JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), &value);
}

/// An optional boolean property.
#[cfg(feature = "server")]
pub(crate) fn opt_bool(op: Operation, value: &JsValue, key: &'static str) -> Result<Option<bool>, Error> {
    let v = get(value, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_bool().map(Some).ok_or_else(|| Error::validation(op, key, "must be true or false"))
}
