//! The WebAssembly bindings: the only place with `#[wasm_bindgen]`. They translate; the core decides.

#[cfg(feature = "server")]
mod callback;
mod client;
mod error;
#[cfg(feature = "server")]
mod gateway;
mod input;
pub(crate) mod json;
mod memory;
#[cfg(feature = "server")]
mod store;
mod transport;
#[cfg(feature = "trap-test")]
mod trap_test;

#[cfg(feature = "server")]
pub use callback::{read_callback, sign_callback_url};
pub use client::{AiccClient, CallWatch};
#[cfg(feature = "server")]
pub use gateway::GatewayCore;
#[cfg(feature = "server")]
pub use store::apply_ledger;
pub use error::aicc_error_class;
pub use memory::wasm_memory_pages;
