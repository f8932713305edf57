// createGateway and handleCallback: Request/Response in and out; every decision is made by the wasm core.
import { GatewayCore, readCallback } from '../pkg/full/aicc_call.js';

export function createGateway(options) {
  const core = options?.client ? GatewayCore.withClient(options, options.client) : new GatewayCore(options);
  return { fetch: (request) => serve(core, options.authorize, request) };
}

async function serve(core, authorize, request) {
  const origin = request.headers.get('Origin');
  const route = core.route(request.method, request.url, origin);
  if (route.respond) return toResponse(route.respond);
  const body = await request.clone().text(); // authorize may read the body too
  let verdict;
  try {
    verdict = await authorize(request, { operation: route.operation });
  } catch {
    verdict = { allow: false, reason: 'authorize() failed' };
  }
  return toResponse(await core.handle(route.operation, request.url, origin, body, verdict ?? false));
}

export async function handleCallback(request, { onRelease, onConnect, secret } = {}) {
  const decision = readCallback(request.method, request.url, await request.text(), secret);
  const handler = decision.event?.kind === 'release' ? onRelease : onConnect;
  if (decision.event && handler) await handler(decision.event);
  return toResponse({ status: decision.status, headers: { 'Content-Type': 'application/json' }, body: decision.body });
}

const toResponse = ({ status, headers, body }) => new Response(status === 204 ? null : body, { status, headers });

export { signCallbackUrl } from '../pkg/full/aicc_call.js';
