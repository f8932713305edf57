// The two sides of the gateway throughput comparison in workerd (bench/gateway.mjs starts it): /aicc/… is
// createGateway, /forward/… a hand-written proxy doing the same forward (the body read, one fetch to the
// simulator with the app key and a token, its status and text answered). Bindings: SIM_URL, TOKEN.
import { createGateway } from '../js/workerd.js';
import { APP_KEY, APP_SECRET } from './page/call-sides.js';

const FORWARD = '/forward';
let gateway;

async function forward(request, env) {
  const { pathname } = new URL(request.url);
  if (request.method !== 'POST' || !pathname.startsWith(`${FORWARD}/`)) return new Response(null, { status: 404 });
  const upstream = await fetch(`${env.SIM_URL}${pathname.slice(FORWARD.length)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-APP-Key': APP_KEY, Authorization: `Bearer ${env.TOKEN}` },
    body: await request.text(),
  });
  const text = await upstream.text();
  return new Response(text, { status: upstream.status, headers: { 'Content-Type': upstream.headers.get('Content-Type') ?? 'application/json' } });
}

export default {
  fetch(request, env) {
    if (new URL(request.url).pathname.startsWith(`${FORWARD}/`)) return forward(request, env);
    gateway ??= createGateway({
      clientOptions: { baseUrl: env.SIM_URL, credentials: { appKey: APP_KEY, appSecret: APP_SECRET } },
      authorize: () => true,
      allowUnknownSerials: true, // the seeded serial was placed elsewhere
    });
    return gateway.fetch(request);
  },
};
