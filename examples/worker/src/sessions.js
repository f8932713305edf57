// The authorize policy of this example: the page sends `Authorization: Bearer <session token>` (the
// AiccClient `token` option), a JWT that the CRM backend issued for one agent. Its claims:
//   agentWorkNo  (required) the agent this session acts as: 1 to 5 digits
//   callers      (optional) the agent-side numbers it may use
//   operations   (optional) the operations it may use
//   sub          (optional) the CRM user: the session that owns its calls and its rate limits (default: the agent)
//   exp          (required) when the token stops being accepted
// Signed with HS256 (SESSION_JWT_SECRET, shared with the CRM) or RS256 (SESSION_JWT_PUBLIC_KEY, the CRM's
// SPKI public key in PEM); SESSION_JWT_ISSUER and SESSION_JWT_AUDIENCE are checked when set.
import { importSPKI, jwtVerify } from 'jose';

// PEM -> imported key, once per isolate. It holds keys, never the promise of one: in workerd a request must not
// wait on a promise that another request's work resolves (it would be cancelled as hung).
const keys = new Map();

// Clocks of the CRM and the edge may differ this much when `exp` and `nbf` are checked.
const CLOCK_TOLERANCE = '30s';

// The key the tokens are checked with; config.js has made sure exactly one of the two is set.
async function verificationKey(env) {
  if (env.SESSION_JWT_PUBLIC_KEY) {
    const pem = env.SESSION_JWT_PUBLIC_KEY;
    if (!keys.has(pem)) keys.set(pem, await importSPKI(pem, 'RS256'));
    return { key: keys.get(pem), algorithms: ['RS256'] };
  }
  return { key: new TextEncoder().encode(env.SESSION_JWT_SECRET), algorithms: ['HS256'] };
}

export async function sessionVerdict(request, env, callBackUrl) {
  const token = (request.headers.get('Authorization') ?? '').replace(/^Bearer\s+/i, '').trim();
  if (!token) return { allow: false, status: 401, reason: 'missing session token' };
  let verification;
  try {
    verification = await verificationKey(env);
  } catch {
    console.error('aicc gateway: SESSION_JWT_PUBLIC_KEY is not an RS256 public key in SPKI PEM');
    return { allow: false, status: 403, reason: 'the gateway is misconfigured: SESSION_JWT_PUBLIC_KEY is not an RS256 public key in SPKI PEM' };
  }
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(token, verification.key, {
      algorithms: verification.algorithms,
      issuer: env.SESSION_JWT_ISSUER || undefined,
      audience: env.SESSION_JWT_AUDIENCE || undefined,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE,
    }));
  } catch {
    return { allow: false, status: 401, reason: 'invalid or expired session token' };
  }
  if (typeof claims.agentWorkNo !== 'string' || claims.agentWorkNo === '') {
    return { allow: false, status: 401, reason: 'the session token names no agentWorkNo' };
  }
  const verdict = { agentWorkNo: claims.agentWorkNo };
  if (typeof claims.sub === 'string' && claims.sub !== '') verdict.session = claims.sub;
  if (callBackUrl !== undefined) verdict.callBackUrl = callBackUrl;
  if (claims.callers !== undefined) verdict.callers = claims.callers;
  if (claims.operations !== undefined) verdict.operations = claims.operations;
  return verdict;
}
