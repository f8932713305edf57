//! # aicc-call
//!
//! A client for the call APIs of Huawei Cloud AICC: place a bidirectional ("click-to-call") call, follow its
//! state to the end, look up call information, and decode every return code into something a person can act on.
//!
//! This crate is the pure core: requests that can only be built valid, exact wire bodies, lenient response
//! decoding, the return-code tables, the C2 signer, and a [`client::Client`] over a [`client::Transport`].
//! Every operation implements [`ops::Op`]; the list of them is in [`operation`].
//! It knows nothing of WebAssembly: the bindings are the crate `aicc-call-wasm` (`bindings/`), which depends on
//! this one, never the other way round.
//!
//! ```
//! use aicc_call::ops::{CreateCall, Op};
//!
//! let request = CreateCall::builder("88889050", "88889060")
//!     .call_data("order-1234")
//!     .call_back_url("https://crm.example.com/aicc/release")
//!     .build()?;
//! assert!(request.body().contains("\"callBackUrl\":\"aHR0cHM6"));
//!
//! let placed = CreateCall::decode(200, r#"{"retCode":"0","retMsg":"ok","result":{"callSerialNo":645735364434067472}}"#)?;
//! assert_eq!(placed.call_serial_no.as_deref(), Some("645735364434067472"));
//! # Ok::<(), aicc_call::Error>(())
//! ```
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, clippy::unreachable)
)]

#[cfg(feature = "server")]
pub mod callback;
pub mod catalog;
pub mod client;
pub mod codes;
pub mod error;
#[cfg(feature = "server")]
pub mod gateway;
pub mod operation;
pub mod ops;
#[cfg(feature = "server")]
pub mod policy;
mod rules;
pub mod sign;
#[cfg(feature = "server")]
pub mod state;
pub mod wire;

pub use error::{Error, ErrorKind};
pub use operation::Operation;
