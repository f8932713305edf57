// A deployable edge gateway for aicc-call: AICC's call APIs under /aicc/ for browser pages, and the release
// callback receiver at /aicc/callback/release. The secrets stay here; browsers send a session token only.
// Its state (who placed which call, each session's call counts, releases taken) lives in the AiccGatewayState
// Durable Object bound as AICC_STATE, which every isolate of the Worker shares.
import { createGateway, durableObjectState, handleCallback, signCallbackUrl } from 'aicc-call';
import { misconfigured, readConfig } from './config.js';
import { sessionVerdict } from './sessions.js';

export { AiccGatewayState } from 'aicc-call';

const CALLBACK_PATH = '/aicc/callback/release';
let gateway;
let reported = false; // the configuration's problems are logged once per isolate

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== CALLBACK_PATH && !url.pathname.startsWith('/aicc/')) return new Response('not found', { status: 404 });
    const { settings, problems } = readConfig(env);
    if (problems) {
      if (!reported) console.error(`aicc gateway: misconfigured: ${problems.join('; ')}`);
      reported = true;
      return misconfigured(request, env, problems);
    }
    if (url.pathname === CALLBACK_PATH) {
      // Without CALLBACK_SECRET nobody could tell AICC's pushes from forged ones: the receiver is off.
      if (!settings.callbackSecret) return new Response('not found', { status: 404 });
      return handleCallback(request, {
        secret: settings.callbackSecret,
        publicUrl: settings.publicUrl,
        state: durableObjectState(env.AICC_STATE),
        onRelease: (event) => console.log(`call ${event.callSerialNo} released: ${event.releaseReason?.message}`),
      });
    }
    gateway ??= createGateway({
      prefix: '/aicc',
      clientOptions: clientOptions(settings),
      cors: { origins: settings.origins },
      authorize: (req) => sessionVerdict(req, env, releaseUrl(settings)),
      state: durableObjectState(env.AICC_STATE),
      allowUnknownSerials: settings.allowUnknownSerials,
      createCallPerMinute: settings.createCallPerMinute,
      createCallPerDay: settings.createCallPerDay,
    });
    return gateway.fetch(request);
  },
};

// Where AICC should push the release callback of one call: this worker's public URL, signed with an expiry
// and a nonce of its own so that forged or stale pushes are refused.
function releaseUrl(settings) {
  if (!settings.callbackSecret) return undefined;
  return signCallbackUrl(`${settings.publicUrl}${CALLBACK_PATH}`, settings.callbackSecret);
}

function clientOptions(settings) {
  return {
    baseUrl: settings.baseUrl,
    cmsBaseUrl: settings.cmsBaseUrl,
    credentials: settings.credentials,
    cmsCredentials: settings.cmsCredentials,
    // Within the page's own deadline (10 s by default): a token fetch and the call, 4 s each, no retries here
    // (the page's client retries queries itself), so the page hears the gateway's answer.
    timeoutMs: 4000,
    maxRetries: 0,
  };
}
