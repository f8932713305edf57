//! The fetch transport: gloo-net (which calls the global `fetch`, so it runs in browsers, workerd and Node),
//! an AbortController for the timeout, and `setTimeout` for waiting.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::client::{HttpResponse, Transport, TransportError};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    pub(crate) fn set_timeout(callback: &JsValue, ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

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
        let controller = web_sys::AbortController::new().map_err(|e| TransportError::Network(describe(&e)))?;
        let mut builder = RequestBuilder::new(url).method(if method == "GET" { Method::GET } else { Method::POST });
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        let signal = controller.signal();
        let request = builder
            .abort_signal(Some(&signal))
            .body(body.to_string())
            .map_err(|e| TransportError::Network(e.to_string()))?;

        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let timed_out = timed_out.clone();
            Closure::once(move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let timer = set_timeout(on_timeout.as_ref(), timeout_ms);
        let outcome = async {
            let response = request.send().await.map_err(|e| e.to_string())?;
            let status = response.status();
            let body = response.text().await.map_err(|e| e.to_string())?;
            Ok::<_, String>(HttpResponse { status, body })
        }
        .await;
        clear_timeout(&timer);
        drop(on_timeout);
        outcome.map_err(|detail| if timed_out.get() { TransportError::Timeout } else { TransportError::Network(detail) })
    }

    async fn sleep(&self, ms: u32) {
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, ms);
        });
        let _ = JsFuture::from(promise).await;
    }

    fn now_ms(&self) -> i64 {
        js_sys::Date::now() as i64
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }
}

/// A readable description of any thrown JS value (Error, string or other), for network errors.
pub(crate) fn describe(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    value.as_string().unwrap_or_else(|| "unknown JavaScript error".to_string())
}
