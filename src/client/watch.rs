//! Following a call to its end by polling queryCallState.

use std::future::Future;

use super::race::{first_of, Either};
use super::{Client, Transport};
use crate::error::Error;
use crate::ops::{CallState, Operation, QueryCallState};

/// How a wait handed to [`Watch::next_with`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The time asked for has passed.
    Elapsed,
    /// The caller stopped the watch (an aborted signal, `return()`).
    Aborted,
}

/// The options of a watch, each optional.
#[derive(Debug, Clone, Copy, Default)]
pub struct WatchOptions {
    /// Time between polls (`intervalMs`, 100..=60000, default 1000).
    pub interval_ms: Option<u32>,
    /// Deadline for the whole watch (`timeoutMs`, 1..=86400000, none by default).
    pub timeout_ms: Option<u32>,
}

/// Follows a call by polling queryCallState, yielding each new state and ending after `ended`.
#[derive(Debug, Clone)]
pub struct Watch {
    request: QueryCallState,
    interval_ms: u32,
    timeout_ms: Option<u32>,
    started_ms: Option<i64>,
    last_state: Option<u32>,
    polled: bool,
    finished: bool,
}

impl Watch {
    /// Shortest polling interval accepted, in milliseconds.
    pub const MIN_INTERVAL_MS: u32 = 100;
    /// Polling interval when none is given, in milliseconds.
    pub const DEFAULT_INTERVAL_MS: u32 = 1_000;
    /// The longest `timeoutMs` accepted: a day.
    pub const MAX_TIMEOUT_MS: u32 = 86_400_000;
    /// For this long after its first poll, a watch takes retCode 1 ("failed to query the status", which is
    /// also the answer for a serial the platform does not know) as "not known yet" and polls on: right after
    /// createCall the platform may not have registered the serial. After it, retCode 1 ends the watch.
    pub const UNKNOWN_SERIAL_GRACE_MS: i64 = 5_000;

    /// The polling interval `intervalMs` asks for: 100 to 60000 milliseconds, 1000 by default.
    pub fn interval_ms(interval_ms: Option<u32>) -> Result<u32, Error> {
        let ms = interval_ms.unwrap_or(Self::DEFAULT_INTERVAL_MS);
        if !(Self::MIN_INTERVAL_MS..=60_000).contains(&ms) {
            return Err(Error::validation(Operation::QueryCallState, "intervalMs", "must be between 100 and 60000 milliseconds"));
        }
        Ok(ms)
    }

    /// Checks the serial and the options and prepares the watch.
    pub fn new(call_serial_no: impl Into<String>, options: WatchOptions) -> Result<Self, Error> {
        let op = Operation::QueryCallState;
        let request = QueryCallState::new(call_serial_no)?;
        let interval_ms = Self::interval_ms(options.interval_ms)?;
        if options.timeout_ms.is_some_and(|ms| !(1..=Self::MAX_TIMEOUT_MS).contains(&ms)) {
            return Err(Error::validation(op, "timeoutMs", "must be between 1 and 86400000 milliseconds"));
        }
        Ok(Watch {
            request,
            interval_ms,
            timeout_ms: options.timeout_ms,
            started_ms: None,
            last_state: None,
            polled: false,
            finished: false,
        })
    }

    /// Whether the watch has ended: the call was seen ended, the watch was stopped, ran out of time or failed.
    /// `next` yields nothing more.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Stops the watch.
    pub fn stop(&mut self) {
        self.finished = true;
    }

    /// Polls until the state differs from the last one yielded, sleeping with the client's transport between
    /// polls; `None` once the call has ended.
    pub async fn next<T: Transport>(&mut self, client: &Client<T>) -> Result<Option<CallState>, Error> {
        self.next_with(client, |ms| async move {
            match ms {
                Some(ms) => {
                    client.transport.sleep(ms).await;
                    Wake::Elapsed
                }
                None => std::future::pending().await,
            }
        })
        .await
    }

    /// Like [`Watch::next`], waiting with `wait(Some(ms))` between polls. `wait` must end early with
    /// [`Wake::Aborted`] when the caller stops; `wait(None)` waits only for that.
    ///
    /// A poll in flight races the same wait: an abort ends the watch at once (`Ok(None)`), and so does the
    /// deadline of `timeout_ms` (a `timeout` error), without waiting for the answer.
    pub async fn next_with<T, W, F>(&mut self, client: &Client<T>, wait: W) -> Result<Option<CallState>, Error>
    where
        T: Transport,
        W: Fn(Option<u32>) -> F,
        F: Future<Output = Wake>,
    {
        let now = || client.transport.now_ms();
        let started = *self.started_ms.get_or_insert_with(now);
        while !self.finished {
            if self.polled {
                let pause = self.remaining_ms(now()).map_or(self.interval_ms, |left| left.min(self.interval_ms));
                if wait(Some(pause)).await == Wake::Aborted {
                    self.finished = true;
                    break;
                }
            }
            let remaining = self.remaining_ms(now());
            if remaining == Some(0) {
                return Err(self.expire());
            }
            self.polled = true;
            let answer = match first_of(client.call(&self.request), wait(remaining)).await {
                Either::Left(answer) => answer,
                Either::Right(Wake::Aborted) => {
                    self.finished = true;
                    break;
                }
                Either::Right(Wake::Elapsed) => return Err(self.expire()),
            };
            match answer {
                // An answer without a state says nothing new: poll on.
                Ok(state) if state.state.is_some() && self.last_state != state.state => {
                    self.last_state = state.state;
                    self.finished = state.is_ended();
                    return Ok(Some(state));
                }
                Ok(_) => {}
                Err(e) if is_unknown_serial(&e) && now().saturating_sub(started) < Self::UNKNOWN_SERIAL_GRACE_MS => {}
                Err(e) => {
                    self.finished = true;
                    return Err(e);
                }
            }
        }
        Ok(None)
    }

    /// Milliseconds left before the deadline, `None` without one.
    fn remaining_ms(&self, now: i64) -> Option<u32> {
        let (timeout, started) = (self.timeout_ms?, self.started_ms?);
        let left = i64::from(timeout).saturating_sub(now.saturating_sub(started)).max(0);
        Some(u32::try_from(left).unwrap_or(timeout))
    }

    /// Ends the watch at its deadline.
    fn expire(&mut self) -> Error {
        self.finished = true;
        let timeout = self.timeout_ms.unwrap_or_default();
        let mut e = Error::timeout(Operation::QueryCallState, timeout);
        e.message = format!("the call did not end within the watch's timeoutMs ({timeout} ms)");
        e.retryable = false;
        e
    }
}

/// retCode 1 of queryCallState: the query failed, which is also the answer for a serial the platform does not
/// know (yet).
fn is_unknown_serial(e: &Error) -> bool {
    e.ret_code() == Some("1")
}
