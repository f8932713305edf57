//! The WebAssembly bindings: the only place with `#[wasm_bindgen]`. They translate; the core decides.

mod client;
mod error;
mod input;
mod transport;

pub use client::{AiccClient, CallWatch};
pub use error::aicc_error_class;
