//! The gateway's shared state as JS gives it: an object with `apply(key, command)` giving the outcome text or a
//! promise of it (`createMemoryState()`, `durableObjectState(namespace)`), and `applyLedger`, which those stores
//! run on the record they hold.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::to_js as error_to_js;
use crate::input::{check_names, get, opt_u32, set};
use aicc_call::error::Error;
use aicc_call::gateway::{ledger, Store};
use aicc_call::operation::Operation;
use aicc_call::options::OptionSet;
use aicc_call::state::limits;

/// A JS state object.
#[derive(Clone)]
pub struct JsStore {
    target: JsValue,
    apply: js_sys::Function,
}

impl JsStore {
    /// Reads the `state` option: an object with an `apply(key, command)` method.
    pub fn from_option(value: &JsValue) -> Result<Option<JsStore>, Error> {
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        let apply = get(value, "apply").dyn_into::<js_sys::Function>().map_err(|_| {
            Error::validation(Operation::Configuration, "state", "must be a gateway state: createMemoryState() or durableObjectState(namespace)")
        })?;
        Ok(Some(JsStore { target: value.clone(), apply }))
    }
}

impl Store for JsStore {
    async fn apply(&self, key: &str, command: &str) -> Result<String, String> {
        let returned = self.apply.call2(&self.target, &key.into(), &command.into()).map_err(|_| "the state threw".to_string())?;
        // An outcome given at once is taken at once: no promise, and no timer for the command's deadline.
        if let Some(outcome) = returned.as_string() {
            return Ok(outcome);
        }
        let settled = JsFuture::from(js_sys::Promise::resolve(&returned)).await.map_err(|_| "the state failed".to_string())?;
        settled.as_string().ok_or_else(|| "the state answered no outcome".to_string())
    }
}

/// Runs one ledger command on a stored record at `now` (milliseconds since the epoch): `{ outcome, write?,
/// expiresAt? }`. `write` is the record to store when it changed; `expiresAt` is when it may be deleted.
#[wasm_bindgen(js_name = applyLedger)]
pub fn apply_ledger(command: &str, record: Option<String>, now: f64) -> Result<JsValue, JsValue> {
    let applied = ledger::apply(command, record.as_deref(), now as i64)
        .ok_or_else(|| error_to_js(&Error::validation(Operation::Configuration, "command", "is not a gateway state command")))?;
    let out = js_sys::Object::new();
    set(&out, "outcome", applied.outcome.into());
    if let Some(write) = applied.write {
        set(&out, "write", write.into());
    }
    if let Some(at) = applied.expires_at {
        set(&out, "expiresAt", (at as f64).into());
    }
    Ok(out.into())
}

/// Checks `createMemoryState`'s options: `{ maxRecords, sweepEvery }` with the core's defaults.
#[wasm_bindgen(js_name = memoryStateLimits)]
pub fn memory_state_limits(options: JsValue) -> Result<JsValue, JsValue> {
    let op = Operation::Configuration;
    let read = || -> Result<u32, Error> {
        check_names(OptionSet::MemoryState, op, &options)?;
        let now = get(&options, "now");
        if !now.is_undefined() && !now.is_function() {
            return Err(limits::not_a_clock());
        }
        limits::max_records(opt_u32(op, &options, "maxRecords").map_err(|mut e| {
            e.rule = Some("must be a whole number of at least 1".into());
            e
        })?)
    };
    let max_records = read().map_err(|e| error_to_js(&e))?;
    let out = js_sys::Object::new();
    set(&out, "maxRecords", max_records.into());
    set(&out, "sweepEvery", limits::SWEEP_EVERY.into());
    Ok(out.into())
}

/// Refuses a `durableObjectState` namespace without `idFromName` and `get` methods.
#[wasm_bindgen(js_name = checkStateNamespace)]
pub fn check_state_namespace(namespace: JsValue) -> Result<(), JsValue> {
    match get(&namespace, "idFromName").is_function() && get(&namespace, "get").is_function() {
        true => Ok(()),
        false => Err(error_to_js(&limits::not_a_namespace())),
    }
}
