//! Test builds only (feature `trap-test`, built into `pkg/trap/`, never released): exports that trap on purpose,
//! so that tests can show that a trap settles what was in flight and that the next call works.
#![allow(clippy::panic)]

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::transport::FetchTransport;
use aicc_call::client::Transport;

/// Traps at once, inside a synchronous call.
#[wasm_bindgen(js_name = trapNow)]
pub fn trap_now() {
    panic!("trap requested by a test");
}

/// Traps after `ms` milliseconds, inside an async task (a microtask, as a bug in an operation would).
#[wasm_bindgen(js_name = trapLater)]
pub fn trap_later(ms: u32) -> Promise {
    future_to_promise(async move {
        FetchTransport.sleep(ms).await;
        panic!("trap requested by a test");
    })
}
