// createGateway and handleCallback: Request/Response in and out; every decision is made by the wasm core.
import { coreOf } from './runtime.js';

// Statuses whose Response must not have a body (the Response constructor throws otherwise).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function bindGateway(glue, rt) {
  function createGateway(options) {
    const make = () =>
      options?.client ? glue.GatewayCore.withClient(options, coreOf(options.client) ?? options.client) : new glue.GatewayCore(options);
    let core = rt.guard('configuration', make);
    let generation = rt.live();
    const live = () => {
      if (generation !== rt.live()) {
        core = make();
        generation = rt.live();
      }
      return core;
    };
    return {
      fetch: async (request) => {
        try {
          return await serve(live, options.authorize, request);
        } catch (e) {
          if (!(e instanceof rt.AiccError) || e.kind !== 'internal') throw e;
          return toResponse({ status: 500, headers: { 'Content-Type': 'application/json' }, body: '{"error":"internal"}' });
        }
      },
    };
  }

  async function serve(live, authorize, request) {
    const origin = request.headers.get('Origin');
    const route = rt.guard('gateway', () => live().route(request.method, request.url, origin));
    if (route.respond) return toResponse(route.respond);
    const body = await request.clone().text(); // authorize may read the body too
    let verdict;
    try {
      verdict = await authorize(request, { operation: route.operation });
    } catch {
      verdict = { allow: false, reason: 'authorize() failed' };
    }
    const answer = await rt.track(route.operation, () => live().handle(route.operation, request.url, origin, body, verdict ?? false));
    return toResponse(answer);
  }

  async function handleCallback(request, { onRelease, onConnect, secret } = {}) {
    const body = await request.text();
    const decision = rt.guard('callback', () => glue.readCallback(request.method, request.url, body, secret));
    const handler = decision.event?.kind === 'release' ? onRelease : onConnect;
    if (decision.event && handler) await handler(decision.event);
    return toResponse({ status: decision.status, headers: { 'Content-Type': 'application/json' }, body: decision.body });
  }

  const signCallbackUrl = (url, secret) => rt.guard('configuration', () => glue.signCallbackUrl(url, secret));

  return { createGateway, handleCallback, signCallbackUrl };
}

function toResponse({ status, headers, body }) {
  return new Response(NULL_BODY.has(status) ? null : body, { status, headers });
}
