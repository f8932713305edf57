//! `AiccClient` and `CallWatch` for JavaScript.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::error::to_js as error_to_js;
use crate::input::{self, check_names, get, is_plain_object, opt_string, opt_u32};
use crate::transport::{describe, FetchTransport};
use aicc_call::client::{
    CallOptions, Client, Config, Lookup, RequestEvent, ResponseEvent, RetryEvent, TokenFuture, Wake, Watch, WatchOptions,
};
use aicc_call::error::{CallAttempt, Error};
use aicc_call::ops::{Op, Operation};
use aicc_call::options::{self, ClientOptions, CredentialOptions, OptionSet, RetryOptions};

const CONFIG: Operation = Operation::Configuration;

/// A client of the AICC call APIs (see index.d.ts for the options).
#[wasm_bindgen]
pub struct AiccClient {
    inner: Rc<Client<FetchTransport>>,
}

#[wasm_bindgen]
impl AiccClient {
    /// Creates a client; `runtime` is `"browser"` from the browser entry, which refuses secrets.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, runtime: Option<String>) -> Result<AiccClient, JsValue> {
        let config = config_from_js(&options, runtime.as_deref() == Some("browser")).map_err(|e| error_to_js(&e))?;
        let inner = Client::new(config, FetchTransport).map_err(|e| error_to_js(&e))?;
        Ok(AiccClient { inner: Rc::new(inner) })
    }

    /// The client shared with a gateway (the JS object stays usable).
    #[cfg(feature = "server")]
    pub(crate) fn shared(&self) -> Rc<Client<FetchTransport>> {
        self.inner.clone()
    }

    /// Finds out whether the createCall behind an outcome-unknown `error` was placed:
    /// `{ status: 'placed', callSerialNo } | { status: 'notPlaced' } | { status: 'unknown' }`.
    #[wasm_bindgen(js_name = resolveOutcome)]
    pub fn resolve_outcome(&self, error: JsValue, options: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let op = Operation::CreateCall;
            let lookup = lookup_of(&error)?;
            check_names(OptionSet::Resolve, op, &options)?;
            let max_wait_ms = options::resolve_wait_ms(opt_u32(op, &options, "maxWaitMs")?)?;
            match lookup {
                Lookup::Known(resolution) => Ok(resolution),
                Lookup::Find(attempt) => client.resolve_outcome(&attempt, max_wait_ms).await,
            }
        })
    }

    /// Follows a call until it ends: an async iterator of call states (`for await (const s of client.watchCall(serial))`).
    #[wasm_bindgen(js_name = watchCall)]
    pub fn watch_call(&self, call_serial_no: JsValue, options: JsValue) -> Result<CallWatch, JsValue> {
        let op = Operation::QueryCallState;
        let serial = call_serial_no
            .as_string()
            .or_else(|| call_serial_no.as_f64().and_then(input::whole_number_text))
            .ok_or_else(|| error_to_js(&Error::validation(op, "callSerialNo", "must be a string")))?;
        check_names(OptionSet::Watch, op, &options).map_err(|e| error_to_js(&e))?;
        let watch_options = WatchOptions {
            interval_ms: opt_u32(op, &options, "intervalMs").map_err(|e| error_to_js(&e))?,
            timeout_ms: opt_u32(op, &options, "timeoutMs").map_err(|e| error_to_js(&e))?,
        };
        let watch = Watch::new(serial, watch_options).map_err(|e| error_to_js(&e))?;
        let waits = AbortWait::new(&get(&options, "signal"))
            .map_err(|_| error_to_js(&Error::validation(op, "signal", "must be an AbortSignal")))?;
        Ok(CallWatch { client: self.inner.clone(), watch: Rc::new(RefCell::new(Some(watch))), waits: Rc::new(waits) })
    }
}

#[wasm_bindgen(module = "/src/abort-wait.js")]
extern "C" {
    /// The waits of one watch, with one listener on the caller's AbortSignal.
    type AbortWait;
    #[wasm_bindgen(constructor, catch)]
    fn new(signal: &JsValue) -> Result<AbortWait, JsValue>;
    #[wasm_bindgen(method)]
    fn wait(this: &AbortWait, ms: Option<u32>) -> Promise;
    #[wasm_bindgen(method)]
    fn release(this: &AbortWait);
    #[wasm_bindgen(method, getter)]
    fn aborted(this: &AbortWait) -> bool;
    #[wasm_bindgen(method)]
    fn stop(this: &AbortWait);
    #[wasm_bindgen(method)]
    fn dispose(this: &AbortWait);
}

impl AiccClient {
    /// Runs operation `R` on a JS request object with its per-call `{ signal?, timeoutMs? }`, as a Promise of
    /// its decoded answer. Only the validation and the decoding are per operation; the rest is [`send`].
    fn call<R: Op>(&self, request: JsValue, options: JsValue) -> Promise {
        let prepared = input::object(R::OPERATION, "request", &request).and_then(|input| R::from_input(&input)).map(|request| {
            let http = request.http();
            let attempt: Box<dyn Fn(i64) -> Option<CallAttempt>> = Box::new(move |at| request.call_attempt(at));
            (http, attempt)
        });
        let decode = |status: u16, body: &str| R::decode(status, body).map(|answer| input::to_js(&answer));
        settle(Box::pin(send(self.inner.clone(), R::OPERATION, prepared, options, decode)))
    }
}

/// A validated request as HTTP, and what its outcome-unknown error carries.
type Prepared = (aicc_call::ops::HttpRequest, Box<dyn Fn(i64) -> Option<CallAttempt>>);

/// Sends a prepared request with the call's options and decodes the answer to a JS value.
async fn send(
    client: Rc<Client<FetchTransport>>,
    op: Operation,
    prepared: Result<Prepared, Error>,
    options: JsValue,
    mut decode: fn(u16, &str) -> Result<JsValue, Error>,
) -> Result<JsValue, Error> {
    let (http, call_attempt) = prepared?;
    let (call_options, abort) = call_options(op, &options)?;
    if abort.as_ref().is_some_and(|abort| abort.aborted()) {
        return Err(Error::aborted(op));
    }
    let answer = client.call_http(http, &*call_attempt, &mut decode, call_options, std::pin::pin!(aborted(abort.as_ref()))).await;
    if let Some(abort) = abort {
        abort.dispose();
    }
    answer
}

/// Ends when `abort`'s signal aborts (at once if it already has); never without a signal, which then costs no
/// promise, no listener and no future.
fn aborted(abort: Option<&AbortWait>) -> impl Future<Output = ()> {
    let wait = abort.map(|abort| JsFuture::from(abort.wait(None)));
    async move {
        match wait {
            Some(wait) => drop(wait.await),
            None => std::future::pending().await,
        }
    }
}

/// A call's own options: `timeoutMs` (each attempt's deadline) and `signal` (ends it at once), `None` without one.
fn call_options(op: Operation, options: &JsValue) -> Result<(CallOptions, Option<AbortWait>), Error> {
    if !options.is_undefined() && !options.is_null() && !is_plain_object(options) {
        return Err(Error::validation(op, "options", "must be an object { signal?, timeoutMs? }"));
    }
    check_names(OptionSet::Call, op, options)?;
    let call_options = options::call_options(op, opt_u32(op, options, "timeoutMs")?)?;
    let signal = get(options, "signal");
    if signal.is_undefined() || signal.is_null() {
        return Ok((call_options, None));
    }
    let abort = AbortWait::new(&signal).map_err(|_| Error::validation(op, "signal", "must be an AbortSignal"))?;
    Ok((call_options, Some(abort)))
}

macro_rules! js_methods {
    ($($variant:ident $method:ident $name:tt => $module:ident :: $ty:ident,)*) => {
        #[wasm_bindgen]
        impl AiccClient {
            $(
                #[doc = concat!("`", $name, "`: the request object has the page's field names (see index.d.ts).")]
                #[wasm_bindgen(js_name = $name)]
                pub fn $method(&self, request: JsValue, options: JsValue) -> Promise {
                    self.call::<aicc_call::ops::$module::$ty>(request, options)
                }
            )*
        }

        /// The names of the operations, in the list's order: the JS entries make a method of each.
        #[wasm_bindgen(js_name = operationNames)]
        pub fn operation_names() -> js_sys::Array {
            [$($name,)*].into_iter().map(JsValue::from_str).collect()
        }
    };
}
aicc_call::operation::api_operations!(js_methods);

/// The async iterator returned by `watchCall`.
#[wasm_bindgen]
pub struct CallWatch {
    client: Rc<Client<FetchTransport>>,
    /// Taken out while a `next()` is pending, so overlapping calls are refused instead of aliasing.
    watch: Rc<RefCell<Option<Watch>>>,
    waits: Rc<AbortWait>,
}

#[wasm_bindgen]
impl CallWatch {
    /// Resolves to `{ value: state, done: false }` on each new state, then `{ done: true }` after the end, an
    /// abort or `return()`; rejects with the error that ends the watch.
    pub fn next(&self) -> Promise {
        let client = self.client.clone();
        let slot = self.watch.clone();
        let waits = self.waits.clone();
        future_to_promise(async move {
            let taken = slot.try_borrow_mut().ok().and_then(|mut s| s.take());
            let Some(mut watch) = taken else {
                let e = Error::validation(Operation::QueryCallState, "watchCall", "next() was called again before the previous call settled");
                return Err(error_to_js(&e));
            };
            let result = watch
                .next_with(&client, |ms| {
                    let wait = JsFuture::from(waits.wait(ms));
                    async move {
                        match wait.await {
                            Ok(aborted) if aborted.is_truthy() => Wake::Aborted,
                            _ => Wake::Elapsed,
                        }
                    }
                })
                .await;
            waits.release();
            if watch.is_finished() {
                waits.dispose();
            }
            if let Ok(mut s) = slot.try_borrow_mut() {
                *s = Some(watch);
            }
            match result {
                Ok(Some(state)) => Ok(iter_result(input::to_js(&state), false)),
                Ok(None) => Ok(iter_result(JsValue::UNDEFINED, true)),
                Err(e) => Err(error_to_js(&e)),
            }
        })
    }

    /// Stops watching (called by `break` in a `for await` loop): a pending `next()` ends at once as done.
    #[wasm_bindgen(js_name = "return")]
    pub fn stop(&self) -> Promise {
        self.waits.stop();
        if let Ok(mut slot) = self.watch.try_borrow_mut() {
            if let Some(watch) = slot.as_mut() {
                watch.stop();
            }
        }
        Promise::resolve(&iter_result(JsValue::UNDEFINED, true))
    }
}

fn iter_result(value: JsValue, done: bool) -> JsValue {
    let result = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&result, &"value".into(), &value);
    let _ = js_sys::Reflect::set(&result, &"done".into(), &done.into());
    result.into()
}

/// Runs an operation as a Promise that resolves to its result or rejects with an `AiccError`.
fn run<T: Serialize>(future: impl Future<Output = Result<T, Error>> + 'static) -> Promise {
    settle(Box::pin(async move { future.await.map(|value| input::to_js(&value)) }))
}

/// The one Promise adapter (kept non-generic so the wasm carries a single copy).
fn settle(future: Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    future_to_promise(async move { future.await.map_err(|e| error_to_js(&e)) })
}

/// What the core decides to do with an `AiccError` (its `operation`, `outcomeUnknown` and `call`).
fn lookup_of(error: &JsValue) -> Result<Lookup, Error> {
    let op = Operation::CreateCall;
    let call = get(error, "call");
    let attempt = (|| {
        let caller = opt_string(op, &call, "caller").ok().flatten()?;
        let called = opt_string(op, &call, "called").ok().flatten()?;
        let sent_at_ms = get(&call, "sentAtMs").as_f64().filter(|t| t.fract() == 0.0 && *t >= 0.0)? as i64;
        Some(aicc_call::error::CallAttempt { caller, called, sent_at_ms })
    })();
    Lookup::of(get(error, "operation").as_string().as_deref(), get(error, "outcomeUnknown").is_truthy(), attempt)
}

/// A server-side client from JS options (used by the gateway).
#[cfg(feature = "server")]
pub(crate) fn client_from_js(options: &JsValue) -> Result<Client<FetchTransport>, Error> {
    Client::new(config_from_js(options, false)?, FetchTransport)
}

/// Reads the client's options into their types; [`ClientOptions::config`] decides on them.
fn config_from_js(options: &JsValue, browser: bool) -> Result<Config, Error> {
    if !options.is_object() {
        return Err(Error::validation(CONFIG, "options", "must be an object with at least baseUrl"));
    }
    check_names(OptionSet::Client, CONFIG, options)?;
    let retry = get(options, "retry");
    if !retry.is_undefined() && !retry.is_null() && !is_plain_object(&retry) {
        return Err(Error::validation(CONFIG, "retry", "must be an object { maxRetries?, baseDelayMs?, maxDelayMs? }"));
    }
    check_names(OptionSet::Retry, CONFIG, &retry)?;
    let credentials = given(&get(options, "credentials"));
    let cms = given(&get(options, "cmsCredentials"));
    let token = get(options, "token");
    let token = match token.dyn_ref::<js_sys::Function>() {
        Some(source) => Some(token_source(source.clone())),
        None if token.is_undefined() || token.is_null() => None,
        None => return Err(Error::validation(CONFIG, "token", "must be a function returning the bearer token (or a Promise of it)")),
    };
    let mut given = ClientOptions { browser, token, ..ClientOptions::default() };
    given.base_url = opt_string(CONFIG, options, "baseUrl")?;
    given.cms_base_url = opt_string(CONFIG, options, "cmsBaseUrl")?;
    given.app_key = opt_string(CONFIG, options, "appKey")?;
    if !credentials.is_undefined() {
        given.credentials = Some(credential_options(&credentials)?);
    }
    if !cms.is_undefined() {
        given.cms_credentials = Some(cms_credential_options(&cms)?);
    }
    given.headers = headers(options)?;
    given.timeout_ms = opt_u32(CONFIG, options, "timeoutMs")?;
    given.retry = RetryOptions {
        max_retries: opt_u32(CONFIG, &retry, "maxRetries")?,
        base_delay_ms: opt_u32(CONFIG, &retry, "baseDelayMs")?,
        max_delay_ms: opt_u32(CONFIG, &retry, "maxDelayMs")?,
    };
    given.max_retries = opt_u32(CONFIG, options, "maxRetries")?;
    given.on_retry = hook(options, "onRetry")?.map(retry_hook);
    given.on_request = hook(options, "onRequest")?.map(request_hook);
    given.on_response = hook(options, "onResponse")?.map(response_hook);
    given.config()
}

/// `credentials: { appKey, appSecret, tokenTtlSeconds? }`.
#[cfg(feature = "server")]
fn credential_options(credentials: &JsValue) -> Result<CredentialOptions, Error> {
    check_names(OptionSet::Credentials, CONFIG, credentials)?;
    Ok(CredentialOptions {
        app_key: opt_string(CONFIG, credentials, "appKey")?,
        app_secret: opt_string(CONFIG, credentials, "appSecret")?,
        token_ttl_seconds: opt_u32(CONFIG, credentials, "tokenTtlSeconds")?,
    })
}

/// `cmsCredentials: { ak, sk }`.
#[cfg(feature = "server")]
fn cms_credential_options(cms: &JsValue) -> Result<(Option<String>, Option<String>), Error> {
    check_names(OptionSet::CmsCredentials, CONFIG, cms)?;
    Ok((opt_string(CONFIG, cms, "ak")?, opt_string(CONFIG, cms, "sk")?))
}

/// The browser build refuses any credentials (the core says so): what they hold is never read.
#[cfg(not(feature = "server"))]
fn credential_options(_: &JsValue) -> Result<CredentialOptions, Error> {
    Ok(CredentialOptions::default())
}

#[cfg(not(feature = "server"))]
fn cms_credential_options(_: &JsValue) -> Result<(Option<String>, Option<String>), Error> {
    Ok((None, None))
}

/// A value, or `undefined` for `null`.
fn given(value: &JsValue) -> JsValue {
    if value.is_null() {
        JsValue::UNDEFINED
    } else {
        value.clone()
    }
}

/// `headers`: a plain object of header names to strings.
fn headers(options: &JsValue) -> Result<Vec<(String, String)>, Error> {
    let headers = get(options, "headers");
    let mut out = Vec::new();
    if headers.is_undefined() || headers.is_null() {
        return Ok(out);
    }
    if !is_plain_object(&headers) {
        return Err(Error::validation(CONFIG, "headers", "must be a plain object of header names to strings"));
    }
    for entry in js_sys::Object::entries(headers.unchecked_ref()).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        match (pair.get(0).as_string(), pair.get(1).as_string()) {
            (Some(name), Some(value)) => out.push((name, value)),
            _ => return Err(Error::validation(CONFIG, "headers", "values must be strings")),
        }
    }
    Ok(out)
}

/// An optional function option.
fn hook(options: &JsValue, name: &'static str) -> Result<Option<js_sys::Function>, Error> {
    let value = get(options, name);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value.dyn_into::<js_sys::Function>().map(Some).map_err(|_| Error::validation(CONFIG, name, "must be a function"))
}

/// Calls `onRequest({ operation, requestId, attempt, method, path })`; what it throws is ignored.
fn request_hook(hook: js_sys::Function) -> aicc_call::client::RequestHook {
    Box::new(move |e: &RequestEvent<'_>| {
        let info = [
            ("operation", e.operation.as_str().into()),
            ("requestId", e.request_id.into()),
            ("attempt", e.attempt.into()),
            ("method", e.method.into()),
            ("path", e.path.into()),
        ];
        let _ = hook.call1(&JsValue::UNDEFINED, &event_object(&info));
    })
}

/// Calls `onResponse({ operation, requestId, attempt, method, path, status?, retCode?, error?, durationMs })`;
/// what it throws is ignored.
fn response_hook(hook: js_sys::Function) -> aicc_call::client::ResponseHook {
    Box::new(move |e: &ResponseEvent<'_>| {
        let info = [
            ("operation", e.operation.as_str().into()),
            ("requestId", e.request_id.into()),
            ("attempt", e.attempt.into()),
            ("method", e.method.into()),
            ("path", e.path.into()),
            ("status", e.status.map_or(JsValue::UNDEFINED, JsValue::from)),
            ("retCode", e.ret_code.map_or(JsValue::UNDEFINED, JsValue::from)),
            ("error", e.error.map_or(JsValue::UNDEFINED, |kind| kind.as_str().into())),
            ("durationMs", e.duration_ms.into()),
        ];
        let _ = hook.call1(&JsValue::UNDEFINED, &event_object(&info));
    })
}

/// A plain object of the fields that are not `undefined` (what the hooks are told).
fn event_object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in fields.iter().filter(|(_, value)| !value.is_undefined()) {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// Calls the page's `onRetry({ operation, attempt, delayMs, error })`; what it throws is ignored.
fn retry_hook(hook: js_sys::Function) -> aicc_call::client::RetryHook {
    Box::new(move |e: &RetryEvent<'_>| {
        let info = [
            ("operation", e.operation.as_str().into()),
            ("attempt", e.attempt.into()),
            ("delayMs", e.delay_ms.into()),
            ("error", error_to_js(e.error)),
        ];
        let _ = hook.call1(&JsValue::UNDEFINED, &event_object(&info));
    })
}

fn token_source(source: js_sys::Function) -> Box<dyn Fn() -> TokenFuture> {
    Box::new(move || {
        let source = source.clone();
        Box::pin(async move {
            let value = source.call0(&JsValue::UNDEFINED).map_err(|e| describe(&e))?;
            let value = match value.dyn_into::<Promise>() {
                Ok(promise) => JsFuture::from(promise).await.map_err(|e| describe(&e))?,
                Err(value) => value,
            };
            value.as_string().ok_or_else(|| "token() must return a string or a Promise of one".to_string())
        })
    })
}
