//! `sessionStep`: the core's call-session state machine, for `js/call-session.js`, which performs the actions.

use wasm_bindgen::prelude::*;

use crate::input::get;
use aicc_call::client::{Phase, Resolved, SessionEvent};

/// One step of a call session. `phase` is the current phase's code (`Phase`'s discriminant), `event` the code
/// of what happened (0 start, 1 created, 2 createFailed, 3 state, 4 watchEnded, 5 watchFailed, 6 resolved,
/// 7 resolveFailed, 8 stop) and `detail` its object (the AiccError, the state, the resolution). Answers the next
/// phase's code | action << 4 | accepted << 8 | mayTryAgain << 9; an unknown code changes nothing.
#[wasm_bindgen(js_name = sessionStep)]
pub fn session_step(phase: u8, event: u8, detail: JsValue) -> u32 {
    let phase = match phase {
        0 => Phase::Idle,
        1 => Phase::Placing,
        2 => Phase::Placed,
        3 => Phase::Following,
        4 => Phase::Ended,
        5 => Phase::Unknown,
        6 => Phase::NotPlaced,
        7 => Phase::Unresolved,
        8 => Phase::Failed,
        9 => Phase::Lost,
        _ => Phase::Stopped,
    };
    let event = match event {
        0 => SessionEvent::Start,
        1 => SessionEvent::Created,
        2 => SessionEvent::CreateFailed {
            outcome_unknown: get(&detail, "outcomeUnknown").is_truthy(),
            retryable: get(&detail, "retryable").is_truthy(),
        },
        3 => match get(&detail, "state").as_f64() {
            Some(state) if state >= 0.0 && state.fract() == 0.0 => SessionEvent::State { state: state as u32 },
            _ => SessionEvent::WatchFailed,
        },
        4 => SessionEvent::WatchEnded,
        5 => SessionEvent::WatchFailed,
        6 => SessionEvent::Resolved(Resolved::from_status(get(&detail, "status").as_string().as_deref())),
        7 => SessionEvent::ResolveFailed,
        8 => SessionEvent::Stop,
        _ => return phase as u32,
    };
    let step = phase.step(event);
    step.phase as u32 | (step.action as u32) << 4 | u32::from(step.accepted) << 8 | u32::from(step.may_try_again) << 9
}
