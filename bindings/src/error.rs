//! The one place where a core [`Error`] becomes a JS `AiccError` instance.

use wasm_bindgen::prelude::*;

use crate::input::set as set_on;
use aicc_call::error::Error;

#[wasm_bindgen(module = "/src/aicc-error.js")]
extern "C" {
    #[wasm_bindgen(js_name = createAiccError)]
    fn create_aicc_error(fields: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = errorClass)]
    fn error_class() -> JsValue;
}

/// The `AiccError` class, so that every entry re-exports the very class the instances are made from.
#[wasm_bindgen(js_name = aiccErrorClass)]
pub fn aicc_error_class() -> JsValue {
    error_class()
}

/// The fields of the `AiccError` each operation gets when the instance traps while it runs, by name, and
/// under `other` those of any other work (the core says which may have taken effect). Read by the entries
/// while the instance is alive; they add the work's name as `operation` and the message's prefix.
#[wasm_bindgen(js_name = trapErrors)]
pub fn trap_errors() -> JsValue {
    let out = js_sys::Object::new();
    for op in aicc_call::Operation::API {
        set_on(&out, op.as_str(), trap_fields(Some(*op)));
    }
    set_on(&out, "other", trap_fields(None));
    out.into()
}

fn trap_fields(op: Option<aicc_call::Operation>) -> JsValue {
    let error = aicc_call::trap::trap_error(op);
    let fields = js_sys::Object::new();
    set_on(&fields, "kind", error.kind.into());
    set_on(&fields, "message", error.message.into());
    set_on(&fields, "retryable", error.retryable.into());
    if error.outcome_unknown {
        set_on(&fields, "outcomeUnknown", true.into());
    }
    fields.into()
}

/// Converts a core error to a thrown `AiccError`.
pub(crate) fn to_js(error: &Error) -> JsValue {
    let fields = js_sys::Object::new();
    let set = |key: &str, value: JsValue| set_on(&fields, key, value);
    set("message", format!("{}: {}", error.operation.as_str(), error.message).into());
    set("kind", error.kind.as_str().into());
    set("operation", error.operation.as_str().into());
    set("retryable", error.retryable.into());
    if let Some(field) = error.field {
        set("field", field.into());
    }
    if let Some(rule) = &error.rule {
        set("rule", rule.as_str().into());
    }
    if let Some(code) = &error.code {
        set("retCode", code.code.as_str().into());
        set("codeName", code.name.into());
        set("codeMessage", code.message.into());
        set("category", category_name(code).into());
    }
    if let Some(status) = error.status {
        set("status", status.into());
    }
    if error.outcome_unknown {
        set("outcomeUnknown", true.into());
    }
    if let Some(ms) = error.retry_after_ms {
        set("retryAfterMs", ms.into());
    }
    if error.attempts > 0 {
        set("attempts", error.attempts.into());
    }
    if let Some(call) = &error.call {
        let attempt = js_sys::Object::new();
        set_on(&attempt, "caller", call.caller.as_str().into());
        set_on(&attempt, "called", call.called.as_str().into());
        set_on(&attempt, "sentAtMs", (call.sent_at_ms as f64).into());
        set("call", attempt.into());
    }
    if let Some(cause) = error.cause.as_ref().and_then(|c| c.0.downcast_ref::<JsValue>()) {
        set("cause", cause.clone());
    }
    create_aicc_error(&fields)
}

fn category_name(code: &aicc_call::codes::Code) -> String {
    serde_json::to_value(code.category).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
