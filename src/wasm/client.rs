//! `AiccClient` and `CallWatch` for JavaScript.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::error::to_js as error_to_js;
use super::input::{self, get, is_plain_object, opt_string, opt_u32};
use super::transport::{describe, FetchTransport};
#[cfg(not(feature = "server"))]
use crate::client::secret_in_browser;
use crate::client::{refuse_secrets_in_browser, Auth, Client, Config, TokenFuture, Wake, Watch, WatchOptions};
use crate::error::Error;
use crate::ops::{CreateCall, GetCalledInfo, Operation, QueryBasicCallInfo, QueryCallInfoByCallId, QueryCallState};
#[cfg(feature = "server")]
use crate::{ops::TokenByAkSk, sign::C2Credentials};

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
        if runtime.as_deref() == Some("browser") {
            let given = |key| !get(&options, key).is_undefined() && !get(&options, key).is_null();
            refuse_secrets_in_browser(given("credentials"), given("cmsCredentials")).map_err(|e| error_to_js(&e))?;
        }
        let config = config_from_js(&options).map_err(|e| error_to_js(&e))?;
        let inner = Client::new(config, FetchTransport).map_err(|e| error_to_js(&e))?;
        Ok(AiccClient { inner: Rc::new(inner) })
    }

    /// The client shared with a gateway (the JS object stays usable).
    #[cfg(feature = "server")]
    pub(crate) fn shared(&self) -> Rc<Client<FetchTransport>> {
        self.inner.clone()
    }

    /// Places a bidirectional call: `{ caller, called, agentWorkNo?, callData?, callerPresent?, agentPresent?, callBackUrl? }`.
    #[wasm_bindgen(js_name = createCall)]
    pub fn create_call(&self, request: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let req = CreateCall::from_input(&input::object(Operation::CreateCall, "request", &request)?)?;
            client.create_call(&req).await
        })
    }

    /// Reads a call's state: `{ callSerialNo }`.
    #[wasm_bindgen(js_name = queryCallState)]
    pub fn query_call_state(&self, request: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let req = QueryCallState::from_input(&input::object(Operation::QueryCallState, "request", &request)?)?;
            client.query_call_state(&req).await
        })
    }

    /// Reads the destination device of a called number: `{ caller, called }`.
    #[wasm_bindgen(js_name = getCalledInfo)]
    pub fn get_called_info(&self, request: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let req = GetCalledInfo::from_input(&input::object(Operation::GetCalledInfo, "request", &request)?)?;
            client.get_called_info(&req).await
        })
    }

    /// Reads workbench call information: `{ callId, userId, tenantId, agentId }`.
    #[wasm_bindgen(js_name = queryCallInfoByCallId)]
    pub fn query_call_info_by_call_id(&self, request: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let obj = input::object(Operation::QueryCallInfoByCallId, "request", &request)?;
            client.query_call_info_by_call_id(&QueryCallInfoByCallId::from_input(&obj)?).await
        })
    }

    /// Reads CMS basic call information: `{ ccId, vdn, callId }`.
    #[wasm_bindgen(js_name = queryBasicCallInfo)]
    pub fn query_basic_call_info(&self, request: JsValue) -> Promise {
        let client = self.inner.clone();
        run(async move {
            let obj = input::object(Operation::QueryBasicCallInfo, "request", &request)?;
            client.query_basic_call_info(&QueryBasicCallInfo::from_input(&obj)?).await
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

#[wasm_bindgen(module = "/src/wasm/abort-wait.js")]
extern "C" {
    /// The waits of one watch, with one listener on the caller's AbortSignal.
    type AbortWait;
    #[wasm_bindgen(constructor, catch)]
    fn new(signal: &JsValue) -> Result<AbortWait, JsValue>;
    #[wasm_bindgen(method)]
    fn wait(this: &AbortWait, ms: Option<u32>) -> Promise;
    #[wasm_bindgen(method)]
    fn release(this: &AbortWait);
    #[wasm_bindgen(method)]
    fn stop(this: &AbortWait);
    #[wasm_bindgen(method)]
    fn dispose(this: &AbortWait);
}

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

/// A server-side client from JS options (used by the gateway).
#[cfg(feature = "server")]
pub(crate) fn client_from_js(options: &JsValue) -> Result<Client<FetchTransport>, Error> {
    Client::new(config_from_js(options)?, FetchTransport)
}

fn config_from_js(options: &JsValue) -> Result<Config, Error> {
    if !options.is_object() {
        return Err(Error::validation(CONFIG, "options", "must be an object with at least baseUrl"));
    }
    let base_url = opt_string(CONFIG, options, "baseUrl")?.ok_or_else(|| Error::validation(CONFIG, "baseUrl", "is required"))?;
    let mut config = Config::new(base_url);
    config.cms_base_url = opt_string(CONFIG, options, "cmsBaseUrl")?;
    config.app_key = opt_string(CONFIG, options, "appKey")?;
    if let Some(ms) = opt_u32(CONFIG, options, "timeoutMs")? {
        config.timeout_ms = ms;
    }
    if let Some(n) = opt_u32(CONFIG, options, "maxRetries")? {
        config.max_retries = n;
    }
    let credentials = get(options, "credentials");
    let token = get(options, "token");
    if !credentials.is_undefined() && !credentials.is_null() {
        if !token.is_undefined() {
            return Err(Error::validation(CONFIG, "token", "cannot be combined with credentials: choose one"));
        }
        config.auth = app_credentials(&credentials)?;
    } else if let Some(source) = token.dyn_ref::<js_sys::Function>() {
        config.auth = Auth::Provider(token_source(source.clone()));
    } else if !token.is_undefined() && !token.is_null() {
        return Err(Error::validation(CONFIG, "token", "must be a function returning the bearer token (or a Promise of it)"));
    }
    let cms = get(options, "cmsCredentials");
    if !cms.is_undefined() && !cms.is_null() {
        set_cms_credentials(&mut config, &cms)?;
    }
    let headers = get(options, "headers");
    if !headers.is_undefined() && !headers.is_null() {
        if !is_plain_object(&headers) {
            return Err(Error::validation(CONFIG, "headers", "must be a plain object of header names to strings"));
        }
        for entry in js_sys::Object::entries(headers.unchecked_ref()).iter() {
            let pair: js_sys::Array = entry.unchecked_into();
            match (pair.get(0).as_string(), pair.get(1).as_string()) {
                (Some(name), Some(value)) => config.headers.push((name, value)),
                _ => return Err(Error::validation(CONFIG, "headers", "values must be strings")),
            }
        }
    }
    Ok(config)
}

#[cfg(feature = "server")]
fn app_credentials(credentials: &JsValue) -> Result<Auth, Error> {
    let key = opt_string(CONFIG, credentials, "appKey")?.unwrap_or_default();
    let secret = opt_string(CONFIG, credentials, "appSecret")?.unwrap_or_default();
    let ttl = opt_u32(CONFIG, credentials, "tokenTtlSeconds")?;
    let request = TokenByAkSk::new(key, secret, ttl).map_err(|mut e| {
        e.operation = CONFIG;
        e
    })?;
    Ok(Auth::Credentials(request))
}

#[cfg(feature = "server")]
fn set_cms_credentials(config: &mut Config, cms: &JsValue) -> Result<(), Error> {
    let ak = opt_string(CONFIG, cms, "ak")?.filter(|s| !s.is_empty());
    let sk = opt_string(CONFIG, cms, "sk")?.filter(|s| !s.is_empty());
    match (ak, sk) {
        (Some(ak), Some(sk)) => config.cms_credentials = Some(C2Credentials::new(ak, sk)),
        _ => return Err(Error::validation(CONFIG, "cmsCredentials", "needs both ak and sk")),
    }
    Ok(())
}

/// The browser build has no code for app credentials: refused as the browser entry refuses them.
#[cfg(not(feature = "server"))]
fn app_credentials(_: &JsValue) -> Result<Auth, Error> {
    Err(secret_in_browser("credentials"))
}

#[cfg(not(feature = "server"))]
fn set_cms_credentials(_: &mut Config, _: &JsValue) -> Result<(), Error> {
    Err(secret_in_browser("cmsCredentials"))
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
