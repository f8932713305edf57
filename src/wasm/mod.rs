//! The WebAssembly bindings: the only place with `#[wasm_bindgen]`. They translate; the core decides.

mod callback;
mod client;
mod error;
mod gateway;
mod input;
mod transport;

pub use callback::{read_callback, sign_callback_url};
pub use client::{AiccClient, CallWatch};
pub use gateway::GatewayCore;
pub use error::aicc_error_class;
