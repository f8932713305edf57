//! The fetch transport: an attempt's `RequestInit` built here (every JS call that can throw is caught), sent with
//! the runtime's global `fetch(url, init)` (through `fetch.js`, which answers only a `Response` or a rejection,
//! and refuses what a `Request` would) and read with gloo-net, so it runs in browsers, workerd and Node. An AbortController carries the timeout; `setTimeout` waits.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use aicc_call::client::{HttpResponse, Transport, TransportError};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = setTimeout)]
    fn set_timeout(callback: &JsValue, ms: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue) -> Result<(), JsValue>;
}

#[wasm_bindgen(module = "/src/fetch.js")]
extern "C" {
    /// The global `fetch`: a `Response`, or a rejection with what fetch threw (it never throws).
    #[wasm_bindgen(js_name = fetchResponse)]
    fn fetch_response(url: &str, init: &web_sys::RequestInit) -> js_sys::Promise;
}

/// The status reported for a redirect a browser hid (it answers status 0 for it).
const REDIRECT_NOT_FOLLOWED: u16 = 300;

/// Sends requests with the runtime's global `fetch`.
#[derive(Debug, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(String, String)],
        body: &str,
        timeout_ms: u32,
    ) -> Result<HttpResponse, TransportError> {
        let deadline = Deadline::start(timeout_ms)?;
        let init = request_init(method, headers, body, &deadline.controller.signal())?;
        let outcome = async {
            let answer = JsFuture::from(fetch_response(url, &init)).await.map_err(thrown)?;
            let response = gloo_net::http::Response::from(answer.unchecked_into::<web_sys::Response>());
            // A browser hides a redirect it did not follow behind an opaque answer with status 0.
            let status = match response.type_() {
                web_sys::ResponseType::Opaqueredirect => REDIRECT_NOT_FOLLOWED,
                _ => response.status(),
            };
            let body = response.text().await.map_err(|e| TransportError::Network(e.to_string()))?;
            Ok::<_, TransportError>(HttpResponse { status, body })
        }
        .await;
        let timed_out = deadline.finish();
        outcome.map_err(|e| if timed_out { TransportError::Timeout } else { e })
    }

    /// A sleep dropped before its end (a race lost to what it timed, a watch stopped) clears its timer: no timer
    /// outlives it.
    async fn sleep(&self, ms: u32) {
        let mut timer = JsValue::UNDEFINED;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            timer = set_timeout(&resolve, ms).unwrap_or(JsValue::UNDEFINED);
        });
        let _cleared_on_drop = Timer(timer);
        let _ = JsFuture::from(promise).await;
    }

    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// What an attempt asks of `fetch`. A header value `fetch` refuses is an error here, never a throw through wasm.
fn request_init(
    method: &str,
    headers: &[(String, String)],
    body: &str,
    signal: &web_sys::AbortSignal,
) -> Result<web_sys::RequestInit, TransportError> {
    let refused = |what: &str, e: JsValue| TransportError::Refused(format!("{what}: {}", describe(&e)));
    let fetch_headers = web_sys::Headers::new().map_err(|e| refused("headers", e))?;
    for (name, value) in headers {
        // The value is left out of the error: it may be a token.
        fetch_headers.set(name, value).map_err(|_| TransportError::Refused(format!("the value of the {name} header")))?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_headers(&fetch_headers);
    init.set_body(&JsValue::from_str(body));
    init.set_signal(Some(signal));
    // Redirects are never followed: an endpoint that answers 307/308 to another host never receives a secret,
    // and the 3xx is an http error (`error` would say so more directly, but workerd does not implement it).
    init.set_redirect(web_sys::RequestRedirect::Manual);
    Ok(init)
}

/// A `setTimeout` id, cleared when dropped (clearing one that fired does nothing).
struct Timer(JsValue);

impl Drop for Timer {
    fn drop(&mut self) {
        if !self.0.is_undefined() {
            let _ = clear_timeout(&self.0);
        }
    }
}

/// An attempt's timeout: aborts the fetch when it fires. Dropping it (an attempt abandoned midway, e.g. a
/// watch that was stopped) clears the timer and aborts the fetch, so no callback outlives the attempt.
struct Deadline {
    controller: web_sys::AbortController,
    _timer: Timer,
    timed_out: Rc<Cell<bool>>,
    _on_timeout: Closure<dyn FnMut()>,
    finished: bool,
}

impl Deadline {
    fn start(timeout_ms: u32) -> Result<Self, TransportError> {
        let controller =
            web_sys::AbortController::new().map_err(|e| TransportError::Refused(format!("AbortController: {}", describe(&e))))?;
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let (timed_out, controller) = (timed_out.clone(), controller.clone());
            Closure::<dyn FnMut()>::new(move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let timer = set_timeout(on_timeout.as_ref(), timeout_ms)
            .map(Timer)
            .map_err(|e| TransportError::Refused(format!("setTimeout: {}", describe(&e))))?;
        Ok(Deadline { controller, _timer: timer, timed_out, _on_timeout: on_timeout, finished: false })
    }

    /// Stops the timer; whether it had fired.
    fn finish(mut self) -> bool {
        self.finished = true;
        self.timed_out.get()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if !self.finished {
            self.controller.abort();
        }
    }
}

/// A failure of fetch: what it threw, described, and kept as the cause; refused when `fetch.js` refused the
/// request before sending it.
fn thrown(cause: JsValue) -> TransportError {
    if js_sys::Reflect::get(&cause, &JsValue::from_str("aiccRefused")).is_ok_and(|flag| flag.is_truthy()) {
        return TransportError::Refused(format!("the request: {}", describe(&cause)));
    }
    let message = if let Some(e) = cause.dyn_ref::<js_sys::Error>() {
        format!("{}: {}", String::from(e.name()), String::from(e.message()))
    } else if let Some(text) = cause.as_string() {
        format!("fetch failed: {}", text.chars().take(200).collect::<String>())
    } else {
        "fetch failed with a value that is not an Error".to_string()
    };
    TransportError::Thrown(message, aicc_call::error::Cause(Rc::new(cause)))
}

/// A readable description of any thrown JS value (Error, string or other), for network errors.
pub(crate) fn describe(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    value.as_string().unwrap_or_else(|| "unknown JavaScript error".to_string())
}
