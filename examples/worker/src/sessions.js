// The authorize policy of this example: the page sends `Authorization: Bearer <session token>` (the
// AiccClient `token` option); SESSIONS maps each token to the agent it acts as and the numbers it may use:
// {"<token>": {"agentWorkNo": "101", "callers": ["88889050"], "operations": ["createCall", "queryCallState"]}}.
// `callers` and `operations` are optional (no list: any caller number, every operation).
export function sessionVerdict(request, sessionsJson, callBackUrl) {
  const token = (request.headers.get('Authorization') ?? '').replace(/^Bearer\s+/i, '').trim();
  let sessions;
  try {
    sessions = JSON.parse(sessionsJson || '{}');
  } catch {
    return { allow: false, reason: 'the gateway has no valid SESSIONS configuration' };
  }
  // Own properties only: a token such as "constructor" must not find Object.prototype's members.
  const session = token && Object.hasOwn(sessions, token) ? sessions[token] : undefined;
  if (!session || typeof session.agentWorkNo !== 'string' || session.agentWorkNo === '') {
    return { allow: false, status: 401, reason: 'unknown or missing session token' };
  }
  const verdict = { agentWorkNo: session.agentWorkNo };
  if (callBackUrl !== undefined) verdict.callBackUrl = callBackUrl;
  if (session.callers !== undefined) verdict.callers = session.callers;
  if (session.operations !== undefined) verdict.operations = session.operations;
  return verdict;
}
