//! The size of the module's memory, for the memory test and the benchmark (a flat figure shows that ended
//! watches and dropped clients give their memory back without waiting for garbage collection).

use wasm_bindgen::prelude::*;

/// The wasm memory's size in 64 KiB pages.
#[wasm_bindgen(js_name = wasmMemoryPages)]
pub fn wasm_memory_pages() -> u32 {
    core::arch::wasm32::memory_size(0) as u32
}
