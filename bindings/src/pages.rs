//! `callRecords`' paging decision for the JS iterator (`js/runtime.js`), which only relays it.
use wasm_bindgen::prelude::*;

/// The offset of the next page of call records, or `undefined` when the listing is done.
#[wasm_bindgen(js_name = nextRecordsOffset)]
pub fn next_records_offset(offset: f64, returned: u32, total: f64) -> Option<f64> {
    let whole = |n: f64| (n.is_finite() && n.fract() == 0.0).then_some(n as i64);
    let next = aicc_call::client::pages::next_offset(whole(offset)?, returned as usize, whole(total)?)?;
    Some(next as f64)
}
