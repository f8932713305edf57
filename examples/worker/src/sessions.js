// The authorize policy of this example: the page sends `Authorization: Bearer <session token>` (the
// AiccClient `token` option); SESSIONS maps each token to the agent it acts as and the numbers it may use.
export function sessionVerdict(request, sessionsJson) {
  const token = (request.headers.get('Authorization') ?? '').replace(/^Bearer\s+/i, '');
  let sessions;
  try {
    sessions = JSON.parse(sessionsJson || '{}');
  } catch {
    return { allow: false, reason: 'the gateway has no valid SESSIONS configuration' };
  }
  const session = token ? sessions[token] : undefined;
  if (!session) return { allow: false, reason: 'unknown or missing session token' };
  return { agentWorkNo: session.agentWorkNo, callers: session.callers, operations: session.operations };
}
