//! Lenient reading of AICC response bodies.
//!
//! The pages disagree with their own examples (numbers sent as strings and strings as numbers, 18-digit
//! serials beyond 2^53, two CMS shapes), so responses are parsed here, from text, into a [`Object`] whose
//! getters accept every form the platform is known to send. Whole numbers up to 64 bits are read exactly
//! (serde_json keeps them as integers, never as doubles; in wasm, where `JSON.parse` parses, they arrive as
//! BigInt), so 18-digit serials keep every digit.

use serde_json::{Map, Value};

/// Why a body or field could not be read; turned into an `Error` of kind `decode` by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub String);

/// The largest whole number a JS number (an IEEE double) holds exactly: 2^53 - 1. Past it digits are lost,
/// so serials are strings.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A JS number as a whole number, when it is one that JS holds exactly (within ±[`MAX_SAFE_INTEGER`]).
pub fn safe_integer(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64).then_some(n as i64)
}

/// Parses a response body that must be one JSON object, describing what it was instead.
pub fn parse_object(body: &str) -> Result<Object, WireError> {
    let trimmed = body.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(WireError("the body is empty".into()));
    }
    if trimmed.starts_with('<') {
        return Err(WireError("the body is HTML, not JSON (a proxy or error page answered)".into()));
    }
    match parse_json(trimmed) {
        Ok(Value::Object(map)) => Ok(Object(map)),
        Ok(other) => Err(WireError(format!("expected a JSON object, got {}", type_name(&other)))),
        Err(JsonError::CutShort) => Err(WireError("the JSON is cut short".into())),
        Err(JsonError::Invalid) => Err(WireError("invalid JSON".into())),
        Err(JsonError::At(line, column)) => Err(WireError(format!("invalid JSON at line {line} column {column}"))),
    }
}

/// Why JSON text could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonError {
    /// The text ends before the value does.
    CutShort,
    /// The text is not JSON (or nests deeper than 128).
    Invalid,
    /// The text is not JSON from this line and column on.
    At(usize, usize),
}

/// Parses JSON text with serde_json.
#[cfg(not(feature = "host-json"))]
fn parse_json(text: &str) -> Result<Value, JsonError> {
    serde_json::from_str::<Value>(text).map_err(|e| if e.is_eof() { JsonError::CutShort } else { JsonError::At(e.line(), e.column()) })
}

// With feature `host-json` the host parses JSON text: a crate of the build (the wasm bindings, which give the
// runtime's `JSON.parse`) defines this function, whole numbers exact up to 64 bits. Resolved when the module is
// linked, so the call is direct and the wasm carries no JSON parser of its own.
#[cfg(feature = "host-json")]
extern "Rust" {
    fn aicc_host_parse_json(text: &str) -> Result<Value, JsonError>;
}

/// Parses JSON text with the host's parser.
#[cfg(feature = "host-json")]
fn parse_json(text: &str) -> Result<Value, JsonError> {
    // SAFETY: defined with this very signature by the bindings crate (`#[no_mangle] fn aicc_host_parse_json`);
    // a build with `host-json` and no definition does not link.
    unsafe { aicc_host_parse_json(text) }
}

/// A JSON object from a response, read field by field with lenient getters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Object(pub Map<String, Value>);

impl Object {
    /// The raw value of `name`, treating JSON `null` as absent.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    /// A text field that may arrive as a string or a number; numbers keep their exact decimal text.
    pub fn string(&self, name: &str) -> Result<Option<String>, WireError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(other) => Err(wrong_type(name, "a string or number", other)),
        }
    }

    /// Like [`Object::string`], but an empty string counts as absent.
    pub fn non_empty_string(&self, name: &str) -> Result<Option<String>, WireError> {
        Ok(self.string(name)?.filter(|s| !s.trim().is_empty()))
    }

    /// A whole number that may arrive as a JSON number or a numeric string; `""` counts as absent.
    pub fn i64(&self, name: &str) -> Result<Option<i64>, WireError> {
        let text = match self.get(name) {
            None => return Ok(None),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) if s.trim().is_empty() => return Ok(None),
            Some(Value::String(s)) => s.trim().to_string(),
            Some(other) => return Err(wrong_type(name, "a whole number", other)),
        };
        match parse_whole(&text) {
            Some(n) if n.unsigned_abs() <= MAX_SAFE_INTEGER => Ok(Some(n)),
            Some(_) => Err(WireError(format!("field {name} is {}, beyond 2^53: JavaScript cannot hold it exactly", clip(&text)))),
            None => Err(WireError(format!("field {name} is not a whole number: {}", clip(&text)))),
        }
    }

    /// A whole number in `0..=u32::MAX`, as [`Object::i64`].
    pub fn u32(&self, name: &str) -> Result<Option<u32>, WireError> {
        match self.i64(name)? {
            None => Ok(None),
            Some(n) => u32::try_from(n).map(Some).map_err(|_| WireError(format!("field {name} is out of range: {n}"))),
        }
    }

    /// An exact decimal identifier (such as an 18-digit call serial), from a string or a bare JSON number.
    pub fn decimal_id(&self, name: &str) -> Result<Option<String>, WireError> {
        match self.string(name)? {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => {
                let s = s.trim().to_string();
                if s.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(Some(s))
                } else {
                    Err(WireError(format!("field {name} is not a decimal identifier: {}", clip(&s))))
                }
            }
        }
    }

    /// A nested object; absent or `null` gives `None`.
    pub fn object(&self, name: &str) -> Result<Option<Object>, WireError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Object(map.clone()))),
            Some(other) => Err(wrong_type(name, "an object", other)),
        }
    }

    /// The fields not in `known`, kept so that nothing the platform adds is lost.
    /// Whole numbers beyond 2^53 become their exact decimal text, which JavaScript can hold.
    pub fn rest(&self, known: &[&str]) -> Map<String, Value> {
        self.0.iter().filter(|(k, _)| !known.contains(&k.as_str())).map(|(k, v)| (k.clone(), exact_in_js(v))).collect()
    }
}

/// `value` with every whole number beyond ±2^53 as its decimal text.
fn exact_in_js(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.as_u64().is_some_and(|n| n > MAX_SAFE_INTEGER) || n.as_i64().is_some_and(|n| n.unsigned_abs() > MAX_SAFE_INTEGER) => {
            Value::String(n.to_string())
        }
        Value::Array(items) => Value::Array(items.iter().map(exact_in_js).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), exact_in_js(v))).collect()),
        other => other.clone(),
    }
}

/// Parses decimal text of a whole number, also accepting a zero fraction such as `3.0` (no float parsing:
/// it would add a float parser to the wasm for no case the platform sends).
fn parse_whole(text: &str) -> Option<i64> {
    let whole = match text.split_once('.') {
        Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => int,
        Some(_) => return None,
        None => text,
    };
    whole.parse::<i64>().ok()
}

fn wrong_type(name: &str, expected: &str, got: &Value) -> WireError {
    WireError(format!("field {name} should be {expected}, got {}", type_name(got)))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn clip(s: &str) -> String {
    crate::error::truncate(s, 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(text: &str) -> Object {
        let parsed = parse_object(text);
        assert!(parsed.is_ok(), "{text}: {parsed:?}");
        parsed.unwrap_or_default()
    }

    #[test]
    fn eighteen_digit_serial_stays_exact_as_a_bare_number() {
        let o = obj(r#"{"callSerialNo": 645735364434067472}"#);
        assert_eq!(o.decimal_id("callSerialNo"), Ok(Some("645735364434067472".into())));
        let o = obj(r#"{"callSerialNo": 18446744073709551615}"#);
        assert_eq!(o.decimal_id("callSerialNo"), Ok(Some("18446744073709551615".into())));
        // Beyond 64 bits a number can no longer be exact: refused rather than rounded.
        let o = obj(r#"{"callSerialNo": 99999999999999999999999}"#);
        assert!(o.decimal_id("callSerialNo").is_err());
    }

    #[test]
    fn strings_and_numbers_both_read() {
        let o = obj(r#"{"a": "0", "b": 0, "c": 70004, "d": "1621823865000", "e": "", "f": 3.0}"#);
        assert_eq!(o.string("a"), Ok(Some("0".into())));
        assert_eq!(o.string("b"), Ok(Some("0".into())));
        assert_eq!(o.string("c"), Ok(Some("70004".into())));
        assert_eq!(o.i64("d"), Ok(Some(1621823865000)));
        assert_eq!(o.i64("e"), Ok(None));
        assert_eq!(o.i64("f"), Ok(Some(3)));
        assert_eq!(o.i64("missing"), Ok(None));
    }

    #[test]
    fn wrong_types_are_errors_not_panics() {
        let o = obj(r#"{"a": [1], "b": {"x": 1}, "c": "abc", "d": -1, "e": 1e300, "g": 2.5}"#);
        assert!(o.string("a").is_err());
        assert!(o.i64("b").is_err());
        assert!(o.i64("c").is_err());
        assert!(o.u32("d").is_err());
        assert!(o.i64("e").is_err());
        assert!(o.i64("g").is_err());
        assert!(o.object("a").is_err());
        assert!(o.decimal_id("c").is_err());
    }

    #[test]
    fn bad_bodies_are_described() {
        for (body, says) in [
            ("", "empty"),
            ("   ", "empty"),
            ("<html><body>502 Bad Gateway</body></html>", "HTML"),
            (r#"{"retCode": "0", "res"#, "cut short"),
            ("[1,2]", "an array"),
            ("42", "a number"),
            ("not json", "invalid JSON"),
        ] {
            let parsed = parse_object(body);
            assert!(matches!(&parsed, Err(WireError(msg)) if msg.contains(says)), "{body:?}: {parsed:?}");
        }
    }

    #[test]
    fn unknown_fields_are_kept() {
        let o = obj(r#"{"retCode": "0", "newField": 7}"#);
        let rest = o.rest(&["retCode"]);
        assert_eq!(rest.get("newField"), Some(&serde_json::json!(7)));
        assert_eq!(rest.len(), 1);
    }

    #[test]
    fn numbers_javascript_cannot_hold_are_refused_in_typed_fields_and_kept_as_text_elsewhere() {
        let o = obj(r#"{"handle": 9007199254740993, "safe": 9007199254740991, "negative": -9007199254740991}"#);
        let refused = o.i64("handle");
        assert!(matches!(&refused, Err(WireError(what)) if what.contains("handle") && what.contains("2^53")), "{refused:?}");
        assert_eq!(o.i64("safe"), Ok(Some(9_007_199_254_740_991)));
        assert_eq!(o.i64("negative"), Ok(Some(-9_007_199_254_740_991)));
        let o = obj(r#"{"known": 1, "big": 18446744073709551615, "small": 7, "nested": {"list": [-9223372036854775808, 2]}}"#);
        let rest = Value::Object(o.rest(&["known"]));
        let want = serde_json::json!({ "big": "18446744073709551615", "small": 7, "nested": { "list": ["-9223372036854775808", 2] } });
        assert_eq!(rest, want);
    }
}
