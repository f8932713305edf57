//! One call's life as `placeCall` follows it: which phase follows which, and what to do next. Pure: the host
//! performs each [`Action`] (createCall, watchCall, resolveOutcome) and reports what came of it as an [`Event`].
//!
//! ```text
//! idle -Start-> placing -Created-> placed -State-> following ... -State(ended)-> ended
//!                       -CreateFailed-> failed
//!                       -CreateFailed(outcome unknown)-> unknown -Resolved(placed)-> placed (followed)
//!                                                               -Resolved(not placed)-> notPlaced
//!                                                               -Resolved(unknown) | ResolveFailed-> unresolved
//! placed | following -WatchFailed-> lost      any phase that is not over -Stop-> stopped
//! ```
//! Only `Start` from `idle` asks for a createCall, so a session never sends two.

use crate::ops::query_call_state::STATE_ENDED;

/// Where a call session is. The discriminants are the codes the bindings hand to JS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// Made, nothing sent yet.
    Idle = 0,
    /// The createCall is on its way.
    Placing = 1,
    /// AICC gave the call a serial (or the lookup of a lost answer found it); following it starts.
    Placed = 2,
    /// A state of the call was seen that is not its end.
    Following = 3,
    /// The createCall's answer was lost: its outcome is being looked up.
    Unknown = 4,
    /// The call was seen ended (its state carries the end reason). This and every later code is an end.
    Ended = 5,
    /// The lookup found no such call: it was not placed.
    NotPlaced = 6,
    /// The lookup could not tell whether the call was placed.
    Unresolved = 7,
    /// The createCall was refused or never sent: the call was not placed.
    Failed = 8,
    /// Following a placed call failed: the call exists, its end is not known.
    Lost = 9,
    /// Stopped by the caller: following stopped, the call itself goes on.
    Stopped = 10,
}

/// What happened, reported by the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// The session is started: the one createCall may be sent.
    Start,
    /// createCall answered with a serial.
    Created,
    /// createCall failed.
    CreateFailed {
        /// The error's `outcomeUnknown`: nobody knows whether the call was placed.
        outcome_unknown: bool,
        /// The error's `retryable`: whether sending the same request again can help.
        retryable: bool,
    },
    /// The watch yielded a state (queryCallState's `state`, 3 when the call has ended).
    State {
        /// The state's number.
        state: u32,
    },
    /// The watch finished without seeing the end (stopped from outside).
    WatchEnded,
    /// The watch failed.
    WatchFailed,
    /// The lookup answered (`resolveOutcome`'s resolution).
    Resolved(Resolved),
    /// The lookup itself failed.
    ResolveFailed,
    /// The caller stops following.
    Stop,
}

/// What `resolveOutcome` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// The call was placed (the resolution carries its serial).
    Placed,
    /// The call was not placed.
    NotPlaced,
    /// It cannot tell.
    Unknown,
}

/// What the host does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Action {
    /// Nothing.
    Nothing = 0,
    /// Send the createCall (only ever once, after `Start`).
    Place = 1,
    /// Follow the placed call with a watch.
    Follow = 2,
    /// Look up the lost createCall's outcome.
    Resolve = 3,
    /// Stop the watch and free it (after `stop()`, and once the end is seen).
    Release = 4,
}

/// The answer to an event: the phase it leads to and what to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The session's phase after the event.
    pub phase: Phase,
    /// What the host does now.
    pub action: Action,
    /// Whether the event changed the session; an ignored event (late, or after the end) is not reported on.
    pub accepted: bool,
    /// Whether the page may offer to place the same call again: only after a createCall that failed with a
    /// known outcome (nothing was placed) and an error whose `retryable` says it can help.
    pub may_try_again: bool,
}

impl Phase {
    /// Whether the session is over: no event changes it any more.
    pub fn is_over(self) -> bool {
        matches!(self, Phase::Ended | Phase::NotPlaced | Phase::Unresolved | Phase::Failed | Phase::Lost | Phase::Stopped)
    }

    /// Whether a watch of the call may be running.
    fn follows(self) -> bool {
        matches!(self, Phase::Placed | Phase::Following)
    }

    /// The phase `event` leads to from this one, with the host's action; `None` when the event does not apply.
    pub fn on(self, event: Event) -> Option<Step> {
        let step = |phase, action| Some(Step { phase, action, accepted: true, may_try_again: false });
        match (self, event) {
            (phase, _) if phase.is_over() => None,
            (Phase::Idle, Event::Start) => step(Phase::Placing, Action::Place),
            (_, Event::Start) => None,
            (phase, Event::Stop) => step(Phase::Stopped, if phase.follows() { Action::Release } else { Action::Nothing }),
            (Phase::Placing, Event::Created) => step(Phase::Placed, Action::Follow),
            (Phase::Placing, Event::CreateFailed { outcome_unknown: true, .. }) => step(Phase::Unknown, Action::Resolve),
            (Phase::Placing, Event::CreateFailed { retryable, .. }) => {
                Some(Step { phase: Phase::Failed, action: Action::Nothing, accepted: true, may_try_again: retryable })
            }
            (phase, Event::State { state }) if phase.follows() => {
                if state == STATE_ENDED {
                    step(Phase::Ended, Action::Release)
                } else {
                    step(Phase::Following, Action::Nothing)
                }
            }
            (phase, Event::WatchEnded) if phase.follows() => step(Phase::Stopped, Action::Nothing),
            (phase, Event::WatchFailed) if phase.follows() => step(Phase::Lost, Action::Nothing),
            (Phase::Unknown, Event::Resolved(Resolved::Placed)) => step(Phase::Placed, Action::Follow),
            (Phase::Unknown, Event::Resolved(Resolved::NotPlaced)) => step(Phase::NotPlaced, Action::Nothing),
            (Phase::Unknown, Event::Resolved(Resolved::Unknown) | Event::ResolveFailed) => step(Phase::Unresolved, Action::Nothing),
            _ => None,
        }
    }

    /// Like [`Phase::on`], but an event that does not apply leaves the phase as it is, with nothing to do.
    pub fn step(self, event: Event) -> Step {
        self.on(event).unwrap_or(Step { phase: self, action: Action::Nothing, accepted: false, may_try_again: false })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFUSED: Event = Event::CreateFailed { outcome_unknown: false, retryable: false };
    const REFUSED_RETRYABLE: Event = Event::CreateFailed { outcome_unknown: false, retryable: true };
    const LOST: Event = Event::CreateFailed { outcome_unknown: true, retryable: false };
    const CALLING: Event = Event::State { state: 1 };
    const ENDED: Event = Event::State { state: STATE_ENDED };

    const EVENTS: [Event; 17] = [
        Event::Start,
        Event::Created,
        REFUSED,
        REFUSED_RETRYABLE,
        LOST,
        Event::CreateFailed { outcome_unknown: true, retryable: true },
        Event::State { state: 0 },
        CALLING,
        Event::State { state: 2 },
        ENDED,
        Event::WatchEnded,
        Event::WatchFailed,
        Event::Resolved(Resolved::Placed),
        Event::Resolved(Resolved::NotPlaced),
        Event::Resolved(Resolved::Unknown),
        Event::ResolveFailed,
        Event::Stop,
    ];

    /// Runs `events` from idle: the phases and actions of the accepted ones.
    fn run(events: &[Event]) -> Vec<(Phase, Action)> {
        let mut phase = Phase::Idle;
        let mut out = Vec::new();
        for &event in events {
            let step = phase.step(event);
            if step.accepted {
                out.push((step.phase, step.action));
            }
            phase = step.phase;
        }
        out
    }

    #[test]
    fn a_call_is_placed_followed_and_ended() {
        let steps = run(&[Event::Start, Event::Created, CALLING, CALLING, ENDED]);
        assert_eq!(
            steps,
            [
                (Phase::Placing, Action::Place),
                (Phase::Placed, Action::Follow),
                (Phase::Following, Action::Nothing),
                (Phase::Following, Action::Nothing),
                (Phase::Ended, Action::Release),
            ]
        );
    }

    #[test]
    fn a_refused_call_fails_and_only_a_retryable_refusal_may_be_tried_again() {
        assert_eq!(run(&[Event::Start, REFUSED]).last(), Some(&(Phase::Failed, Action::Nothing)));
        assert!(Phase::Placing.step(REFUSED_RETRYABLE).may_try_again);
        assert!(!Phase::Placing.step(REFUSED).may_try_again);
        for &event in &EVENTS {
            if event != (REFUSED_RETRYABLE) {
                for phase in all_phases() {
                    assert!(!phase.step(event).may_try_again, "{phase:?} {event:?} must not offer to try again");
                }
            }
        }
    }

    #[test]
    fn a_lost_answer_is_resolved_then_followed_or_not() {
        let placed = run(&[Event::Start, LOST, Event::Resolved(Resolved::Placed), ENDED]);
        assert_eq!(
            placed,
            [(Phase::Placing, Action::Place), (Phase::Unknown, Action::Resolve), (Phase::Placed, Action::Follow), (Phase::Ended, Action::Release)]
        );
        assert_eq!(run(&[Event::Start, LOST, Event::Resolved(Resolved::NotPlaced)]).last(), Some(&(Phase::NotPlaced, Action::Nothing)));
        assert_eq!(run(&[Event::Start, LOST, Event::Resolved(Resolved::Unknown)]).last(), Some(&(Phase::Unresolved, Action::Nothing)));
        assert_eq!(run(&[Event::Start, LOST, Event::ResolveFailed]).last(), Some(&(Phase::Unresolved, Action::Nothing)));
    }

    #[test]
    fn stop_releases_a_watch_only_when_one_runs_and_ends_the_session() {
        assert_eq!(Phase::Following.step(Event::Stop).action, Action::Release);
        assert_eq!(Phase::Placed.step(Event::Stop).action, Action::Release);
        assert_eq!(Phase::Placing.step(Event::Stop).action, Action::Nothing);
        assert_eq!(Phase::Unknown.step(Event::Stop).action, Action::Nothing);
        assert_eq!(Phase::Placing.step(Event::Stop).phase, Phase::Stopped);
        // A createCall that answers after stop() is not followed.
        assert_eq!(run(&[Event::Start, Event::Stop, Event::Created]), [(Phase::Placing, Action::Place), (Phase::Stopped, Action::Nothing)]);
        assert_eq!(Phase::Following.step(Event::WatchFailed).phase, Phase::Lost);
        assert_eq!(Phase::Following.step(Event::WatchEnded).phase, Phase::Stopped);
    }

    #[test]
    fn a_session_that_is_over_ignores_everything() {
        for phase in all_phases().filter(|p| p.is_over()) {
            for &event in &EVENTS {
                assert_eq!(phase.step(event), Step { phase, action: Action::Nothing, accepted: false, may_try_again: false });
            }
        }
    }

    #[test]
    fn the_codes_from_ended_on_are_the_ends() {
        // The bindings hand the discriminants to JS, which reads "over" as a code from Ended on.
        for phase in all_phases() {
            assert_eq!(phase.is_over(), phase as u8 >= Phase::Ended as u8, "{phase:?}");
        }
    }

    #[test]
    fn events_that_do_not_apply_are_ignored() {
        assert!(!Phase::Idle.step(Event::Created).accepted);
        assert!(!Phase::Placing.step(ENDED).accepted);
        assert!(!Phase::Unknown.step(Event::Created).accepted);
        assert!(!Phase::Following.step(Event::Resolved(Resolved::Placed)).accepted);
        assert!(!Phase::Following.step(Event::Start).accepted);
    }

    fn all_phases() -> impl Iterator<Item = Phase> {
        [
            Phase::Idle,
            Phase::Placing,
            Phase::Placed,
            Phase::Following,
            Phase::Ended,
            Phase::Unknown,
            Phase::NotPlaced,
            Phase::Unresolved,
            Phase::Failed,
            Phase::Lost,
            Phase::Stopped,
        ]
        .into_iter()
    }

    /// Every sequence of up to six events, from idle: the createCall is asked for at most once, only by the
    /// first Start, and no event sequence reaches a phase from which another would be asked for.
    #[test]
    fn no_sequence_of_events_asks_for_two_create_calls() {
        fn walk(phase: Phase, depth: usize, places: usize, checked: &mut usize) {
            assert!(places <= 1, "two createCalls asked for");
            *checked += 1;
            if depth == 0 {
                return;
            }
            for &event in &EVENTS {
                let step = phase.step(event);
                let asked = usize::from(step.action == Action::Place);
                if asked == 1 {
                    assert_eq!((phase, event), (Phase::Idle, Event::Start), "only Start from idle places the call");
                }
                walk(step.phase, depth - 1, places + asked, checked);
            }
        }
        let mut checked = 0;
        walk(Phase::Idle, 6, 0, &mut checked);
        assert!(checked > 17usize.pow(5), "the walk covered the sequences ({checked})");
    }
}
