// A deployable edge gateway for aicc-call: AICC's call APIs under /aicc/ for browser pages, and the release
// callback receiver at /aicc/callback/release. The secrets stay here; browsers send a session token only.
import { createGateway, handleCallback } from 'aicc-call';
import { sessionVerdict } from './sessions.js';

let gateway;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname === '/aicc/callback/release') {
      return handleCallback(request, {
        secret: env.CALLBACK_SECRET || undefined,
        onRelease: (event) => console.log(`call ${event.callSerialNo} released: ${event.releaseReason?.message}`),
      });
    }
    if (!pathname.startsWith('/aicc/')) return new Response('not found', { status: 404 });
    gateway ??= createGateway({
      prefix: '/aicc',
      clientOptions: clientOptions(env),
      cors: { origins: (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean) },
      authorize: (req) => sessionVerdict(req, env.SESSIONS),
    });
    return gateway.fetch(request);
  },
};

function clientOptions(env) {
  const cms = env.AICC_CMS_AK && env.AICC_CMS_SK ? { ak: env.AICC_CMS_AK, sk: env.AICC_CMS_SK } : undefined;
  return {
    baseUrl: env.AICC_BASE_URL,
    cmsBaseUrl: env.AICC_CMS_BASE_URL || undefined,
    credentials: { appKey: env.AICC_APP_KEY, appSecret: env.AICC_APP_SECRET },
    cmsCredentials: cms,
  };
}
