// The called number's last digit picks how a simulated call ends.
// answered: passes through state 2 (talking). reasonCode: queryCallState's reasonCode.
// releaseReason: the release callback's meaning (0 callee hung up, 1 caller hung up, 2 caller leg failed,
// 3 callee leg failed, 4 caller no answer, 5 callee no answer, other = other errors).
// agentAnswered / customerAlerted drive the callback's timestamps.
export const OUTCOMES = {
  0: { label: 'answered, called party hangs up', answered: true, reasonCode: 0, releaseReason: '0', agentAnswered: true, customerAlerted: true },
  1: { label: 'answered, calling party hangs up', answered: true, reasonCode: 1, releaseReason: '1', agentAnswered: true, customerAlerted: true },
  2: { label: 'agent leg fails', answered: false, reasonCode: 2, releaseReason: '2', agentAnswered: false, customerAlerted: false },
  3: { label: 'called party cannot be reached', answered: false, reasonCode: 3, releaseReason: '3', agentAnswered: true, customerAlerted: false },
  4: { label: 'agent does not answer', answered: false, reasonCode: 4, releaseReason: '4', agentAnswered: false, customerAlerted: false },
  5: { label: 'customer does not answer', answered: false, reasonCode: 5, releaseReason: '5', agentAnswered: true, customerAlerted: true },
  6: { label: 'call cannot be initiated', answered: false, reasonCode: 6, releaseReason: '6', agentAnswered: false, customerAlerted: false },
  7: { label: 'customer busy', answered: false, reasonCode: 17, releaseReason: '3', agentAnswered: true, customerAlerted: false },
  8: { label: 'call rejected', answered: false, reasonCode: 21, releaseReason: '3', agentAnswered: true, customerAlerted: true },
  9: { label: 'customer unreachable', answered: false, reasonCode: 20, releaseReason: '3', agentAnswered: true, customerAlerted: false },
};

/** Phase lengths in ms at speed 1. */
export const PHASE_MS = { toBeCalled: 500, calling: 2000, talking: 4000 };

export function outcomeFor(called) {
  return OUTCOMES[Number(String(called).slice(-1))] ?? OUTCOMES[0];
}
