//! # aicc-call-wasm
//!
//! The WebAssembly bindings of `aicc-call`: the only crate with `#[wasm_bindgen]`, js-sys, web-sys and gloo-net.
//! They translate between JS values and the core's types, move bytes through the runtime's `fetch`, and hand
//! the core its host (time, timers, randomness, `JSON.parse`); every decision is the core's. Built by
//! `scripts/build.sh` into `pkg/` and loaded by the package's entries in `js/`.
#![cfg(target_arch = "wasm32")]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::unreachable)
)]

#[cfg(feature = "server")]
mod callback;
mod client;
mod error;
#[cfg(feature = "server")]
mod gateway;
mod input;
#[cfg(feature = "host-json")]
mod json;
mod memory;
mod pages;
mod session;
#[cfg(feature = "server")]
mod store;
mod transport;
#[cfg(feature = "trap-test")]
mod trap_test;

#[cfg(feature = "server")]
pub use callback::{callback_limits, read_callback, sign_callback_url};
pub use client::{AiccClient, CallWatch};
#[cfg(feature = "server")]
pub use gateway::GatewayCore;
#[cfg(feature = "server")]
pub use store::{apply_ledger, check_state_namespace, memory_state_limits};
pub use error::{aicc_error_class, trap_errors};
pub use memory::wasm_memory_pages;
pub use pages::next_records_offset;
pub use session::{check_place_call_options, session_step};

/// The core's JSON parser (its feature `host-json`): the runtime's `JSON.parse`.
#[cfg(feature = "host-json")]
#[no_mangle]
#[inline(never)]
pub fn aicc_host_parse_json(text: &str) -> Result<serde_json::Value, aicc_call::wire::JsonError> {
    json::parse(text)
}

// Safety: a wasm instance of this crate runs on one thread (no threads or shared memory are enabled).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
