//! Following a call to its end by polling queryCallState.

use std::future::Future;

use super::{Client, Transport};
use crate::error::Error;
use crate::ops::{CallState, Operation, QueryCallState};

/// Follows a call by polling queryCallState, yielding each new state and ending after `ended`.
#[derive(Debug, Clone)]
pub struct Watch {
    request: QueryCallState,
    interval_ms: u32,
    last_state: Option<u32>,
    polled: bool,
    finished: bool,
}

impl Watch {
    /// Shortest polling interval accepted, in milliseconds.
    pub const MIN_INTERVAL_MS: u32 = 100;
    /// Polling interval when none is given, in milliseconds.
    pub const DEFAULT_INTERVAL_MS: u32 = 1_000;

    /// Checks the serial and the interval (`intervalMs`, 100..=60000) and prepares the watch.
    pub fn new(call_serial_no: impl Into<String>, interval_ms: Option<u32>) -> Result<Self, Error> {
        let request = QueryCallState::new(call_serial_no)?;
        let interval_ms = interval_ms.unwrap_or(Self::DEFAULT_INTERVAL_MS);
        if !(Self::MIN_INTERVAL_MS..=60_000).contains(&interval_ms) {
            return Err(Error::validation(Operation::QueryCallState, "intervalMs", "must be between 100 and 60000 milliseconds"));
        }
        Ok(Watch { request, interval_ms, last_state: None, polled: false, finished: false })
    }

    /// Whether the call has been seen ended (or the watch was stopped): `next` yields nothing more.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Stops the watch.
    pub fn stop(&mut self) {
        self.finished = true;
    }

    /// Polls until the state differs from the last one yielded; `None` once the call has ended or `stopped()`
    /// says so (checked before every poll).
    pub async fn next<T: Transport>(&mut self, client: &Client<T>, stopped: &dyn Fn() -> bool) -> Result<Option<CallState>, Error> {
        self.next_waiting_with(client, stopped, |ms| client.transport.sleep(ms)).await
    }

    /// Like [`Watch::next`], waiting between polls with `wait(ms)`: a wait that ends early when the caller
    /// stops (an aborted signal) makes stopping immediate.
    pub async fn next_waiting_with<T: Transport, W: Future<Output = ()>>(
        &mut self,
        client: &Client<T>,
        stopped: &dyn Fn() -> bool,
        wait: impl Fn(u32) -> W,
    ) -> Result<Option<CallState>, Error> {
        while !self.finished {
            if self.polled {
                wait(self.interval_ms).await;
            }
            if stopped() {
                self.finished = true;
                break;
            }
            self.polled = true;
            let state = client.query_call_state(&self.request).await?;
            if self.last_state != Some(state.state) {
                self.last_state = Some(state.state);
                self.finished = state.is_ended();
                return Ok(Some(state));
            }
        }
        Ok(None)
    }
}
