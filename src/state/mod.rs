//! The gateway's shared state: records under keys ([`ledger`], pure transitions) and where they are kept
//! ([`Store`]). Below the gateway and the callback receiver, which both use it; it uses neither.

pub mod ledger;
pub mod limits;
mod store;

pub use store::{MemoryStore, Store};
