// A deployable edge gateway for aicc-call: AICC's call APIs under /aicc/ for browser pages, and the release
// callback receiver at /aicc/callback/release. The secrets stay here; browsers send a session token only.
// Its state (who placed which call, each session's call counts, releases taken) lives in the AiccGatewayState
// Durable Object bound as AICC_STATE, which every isolate of the Worker shares.
import { createGateway, durableObjectState, handleCallback, signCallbackUrl } from 'aicc-call';
import { sessionVerdict } from './sessions.js';

export { AiccGatewayState } from 'aicc-call';

const CALLBACK_PATH = '/aicc/callback/release';
const MIN_SECRET_LENGTH = 16;
let gateway;

// The callback secret, if callbacks can be on: a usable secret and the public URL of this worker (the signed
// URL in createCall and the one checked on arrival come from PUBLIC_URL, never from a request's Host).
function callbackSecret(env) {
  const secret = env.CALLBACK_SECRET ?? '';
  if (!secret) return undefined;
  if (secret.length < MIN_SECRET_LENGTH) {
    console.error(`CALLBACK_SECRET is shorter than ${MIN_SECRET_LENGTH} characters: release callbacks are off`);
    return undefined;
  }
  if (!publicUrl(env)) {
    console.error('PUBLIC_URL is not set: release callbacks are off');
    return undefined;
  }
  return secret;
}

const publicUrl = (env) => (env.PUBLIC_URL ?? '').trim().replace(/\/+$/, '') || undefined;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === CALLBACK_PATH) {
      // Without CALLBACK_SECRET nobody could tell AICC's pushes from forged ones: the receiver is off.
      const secret = callbackSecret(env);
      if (!secret) return new Response('not found', { status: 404 });
      return handleCallback(request, {
        secret,
        publicUrl: publicUrl(env),
        state: durableObjectState(env.AICC_STATE),
        onRelease: (event) => console.log(`call ${event.callSerialNo} released: ${event.releaseReason?.message}`),
      });
    }
    if (!url.pathname.startsWith('/aicc/')) return new Response('not found', { status: 404 });
    gateway ??= createGateway({
      prefix: '/aicc',
      clientOptions: clientOptions(env),
      cors: { origins: (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean) },
      authorize: (req) => sessionVerdict(req, env, releaseUrl(env)),
      state: durableObjectState(env.AICC_STATE),
      allowUnknownSerials: env.ALLOW_UNKNOWN_SERIALS === 'true',
      createCallPerMinute: limit(env.CREATE_CALL_PER_MINUTE),
      createCallPerDay: limit(env.CREATE_CALL_PER_DAY),
    });
    return gateway.fetch(request);
  },
};

// Where AICC should push the release callback of one call: this worker's public URL, signed with an expiry
// and a nonce of its own so that forged or stale pushes are refused.
function releaseUrl(env) {
  const secret = callbackSecret(env);
  if (!secret) return undefined;
  return signCallbackUrl(`${publicUrl(env)}${CALLBACK_PATH}`, secret);
}

// A limit from a var: a number, or none when unset (the gateway refuses values out of range at creation).
const limit = (value) => (value === undefined || value === '' ? undefined : Number(value));

function clientOptions(env) {
  const cms = env.AICC_CMS_AK && env.AICC_CMS_SK ? { ak: env.AICC_CMS_AK, sk: env.AICC_CMS_SK } : undefined;
  return {
    baseUrl: env.AICC_BASE_URL,
    cmsBaseUrl: env.AICC_CMS_BASE_URL || undefined,
    credentials: { appKey: env.AICC_APP_KEY, appSecret: env.AICC_APP_SECRET },
    cmsCredentials: cms,
    // Within the page's own deadline (10 s by default): a token fetch and the call, 4 s each, no retries here
    // (the page's client retries queries itself), so the page hears the gateway's answer.
    timeoutMs: 4000,
    maxRetries: 0,
  };
}
