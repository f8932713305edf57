//! `sessionStep`: the core's call-session state machine, for `js/call-session.js`, which performs the actions;
//! `checkPlaceCallOptions`: placeCall's options, checked before its createCall is sent.

use wasm_bindgen::prelude::*;

use crate::error::to_js as error_to_js;
use crate::input::{check_names, get, opt_u32};
use aicc_call::client::{Phase, Resolved, SessionEvent};
use aicc_call::error::Error;
use aicc_call::ops::Operation;
use aicc_call::options::{self, OptionSet};

/// Throws the validation error of the first of placeCall's `options` the core refuses: an unknown name, an
/// `intervalMs` the watch would refuse, a `maxWaitMs` resolveOutcome would refuse, a `signal` that is not an
/// AbortSignal.
#[wasm_bindgen(js_name = checkPlaceCallOptions)]
pub fn check_place_call_options(options: JsValue) -> Result<(), JsValue> {
    place_call_options(&options).map_err(|e| error_to_js(&e))
}

fn place_call_options(options: &JsValue) -> Result<(), Error> {
    let op = Operation::CreateCall;
    check_names(OptionSet::PlaceCall, op, options)?;
    options::check_place_call(opt_u32(op, options, "intervalMs")?, opt_u32(op, options, "maxWaitMs")?)?;
    let signal = get(options, "signal");
    let listens = |name| get(&signal, name).is_function();
    if signal.is_undefined() || signal.is_null() || (listens("addEventListener") && listens("removeEventListener")) {
        return Ok(());
    }
    Err(Error::validation(op, "signal", "must be an AbortSignal"))
}

/// One step of a call session. `phase` is the current phase's code (`Phase`'s discriminant); `event` the code of
/// what happened, with its `detail`: 0 start, 1 created, 2 createFailed (detail: 1 if `outcomeUnknown`, | 2 if
/// `retryable`), 3 state (detail: the state's number), 4 watchEnded, 5 watchFailed, 6 resolved (detail: 0
/// placed, 1 notPlaced, else unknown), 7 resolveFailed, 8 stop. Answers the next phase's code | action << 4 |
/// accepted << 8 | mayTryAgain << 9; an unknown code changes nothing.
#[wasm_bindgen(js_name = sessionStep)]
pub fn session_step(phase: u8, event: u8, detail: u32) -> u32 {
    let phase = match phase {
        0 => Phase::Idle,
        1 => Phase::Placing,
        2 => Phase::Placed,
        3 => Phase::Following,
        4 => Phase::Unknown,
        5 => Phase::Ended,
        6 => Phase::NotPlaced,
        7 => Phase::Unresolved,
        8 => Phase::Failed,
        9 => Phase::Lost,
        _ => Phase::Stopped,
    };
    let event = match event {
        0 => SessionEvent::Start,
        1 => SessionEvent::Created,
        2 => SessionEvent::CreateFailed { outcome_unknown: detail & 1 != 0, retryable: detail & 2 != 0 },
        3 => SessionEvent::State { state: detail },
        4 => SessionEvent::WatchEnded,
        5 => SessionEvent::WatchFailed,
        6 => SessionEvent::Resolved(match detail {
            0 => Resolved::Placed,
            1 => Resolved::NotPlaced,
            _ => Resolved::Unknown,
        }),
        7 => SessionEvent::ResolveFailed,
        8 => SessionEvent::Stop,
        _ => return phase as u32,
    };
    let step = phase.step(event);
    step.phase as u32 | (step.action as u32) << 4 | u32::from(step.accepted) << 8 | u32::from(step.may_try_again) << 9
}
