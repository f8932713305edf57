// createGateway and handleCallback: Request/Response in and out; every decision is made by the wasm core.
import { coreOf } from './runtime.js';

// Statuses whose Response must not have a body (the Response constructor throws otherwise).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function bindGateway(glue, rt, { createMemoryState }) {
  function createGateway(options) {
    // Without a state option, this gateway's own memory: enough for one process, not for a Worker's isolates.
    const state = options?.state ?? createMemoryState();
    const coreOptions = options && typeof options === 'object' ? { ...options, state } : options;
    const make = () =>
      options?.client
        ? glue.GatewayCore.withClient(coreOptions, coreOf(options.client) ?? options.client)
        : new glue.GatewayCore(coreOptions);
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
          // The instance trapped: the fresh one says what the page is told (502 outcome-unknown for createCall).
          return toResponse(rt.guard('gateway', () => live().internalError(request.url, request.headers.get('Origin'))));
        }
      },
    };
  }

  async function serve(live, authorize, request) {
    const origin = request.headers.get('Origin');
    const url = request.url;
    const route = rt.guard('gateway', () => live().route(request.method, url, origin));
    if (route.respond) return toResponse(route.respond);
    const headers = request.headers;
    const refused = rt.guard('gateway', () => live().admit(url, origin, headers.get('Content-Type'), headers.get('Content-Length')));
    if (refused) return toResponse(refused);
    const { maxBodyBytes, authorizeTimeoutMs } = live();
    // authorize may read the body too: it gets the request itself, the gateway reads a copy.
    const body = await readAtMost(request.clone(), maxBodyBytes, authorizeTimeoutMs);
    if (body === TOO_LARGE) return toResponse(live().tooLarge(url, origin));
    if (body === TOO_SLOW) return toResponse(live().tooSlow(url, origin));
    const verdict = await withDeadline(
      Promise.resolve()
        .then(() => authorize(request, { operation: route.operation }))
        .catch(() => ({ allow: false, reason: 'authorize() failed' })),
      authorizeTimeoutMs,
    );
    if (verdict === TOO_SLOW) return toResponse(live().tooSlow(url, origin));
    const handle = (v) => rt.track(route.operation, () => live().handle(route.operation, url, origin, body, v));
    try {
      return toResponse(await handle(verdict ?? false));
    } catch (e) {
      if (e instanceof rt.AiccError) throw e;
      // Reading the verdict threw past the core's guards (a revoked Proxy): a malformed verdict, refused.
      return toResponse(await handle({ allow: 'unreadable' }));
    }
  }

  // The core checks the options, `secret` and `publicUrl` (the signature covers the public URL, never the
  // request's Host), and gives the answers to a body too large or too slow.
  async function handleCallback(request, options = {}) {
    const limits = rt.guard('configuration', () => glue.callbackLimits(options));
    const { onRelease, onConnect, secret, publicUrl, state } = options;
    const { timeoutMs, callTtlMs, maxBodyBytes } = limits;
    const length = Number(request.headers.get('Content-Length') ?? 0);
    const body = length > maxBodyBytes ? TOO_LARGE : await readAtMost(request, maxBodyBytes, timeoutMs);
    if (body === TOO_LARGE) return toResponse(limits.tooLarge);
    if (body === TOO_SLOW) return toResponse(limits.tooSlow);
    const text = (value) => (value == null ? undefined : typeof value === 'string' ? value : '');
    const decision = await rt.track('callback', () =>
      glue.readCallback(request.method, request.url, body, text(secret), text(publicUrl), state, timeoutMs, callTtlMs),
    );
    const handler = decision.event?.kind === 'release' ? onRelease : onConnect;
    if (decision.event && handler) await handler(decision.event);
    // The handler ran: the core's confirmation makes later deliveries replays (until then they are handed on
    // again). A confirmation that fails only means one more delivery.
    if (decision.confirm) await withDeadline(Promise.resolve().then(() => state.apply(decision.confirm.key, decision.confirm.command)).catch(() => {}), timeoutMs);
    return toResponse(decision);
  }

  // A callback URL signed for one call: accepted until `ttlMs` from now (a day by default), with its own nonce.
  const signCallbackUrl = (url, secret, { ttlMs, nonce = randomNonce() } = {}) =>
    rt.guard('configuration', () => glue.signCallbackUrl(url, secret, Date.now(), ttlMs, nonce));


  return { createGateway, handleCallback, signCallbackUrl };
}

const TOO_LARGE = Symbol('too large');

// 96 random bits as hex: the nonce of one signed callback URL.
function randomNonce() {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}
const TOO_SLOW = Symbol('too slow');

// The body as text, read as a stream and cut off past `limit` bytes (a chunked body has no length to check)
// or once `ms` have passed in all; the reading stops either way.
async function readAtMost(request, limit, ms) {
  if (!request.body) return '';
  const reader = request.body.getReader();
  // Not awaited: a branch of a cloned body settles its cancel only once the other branch is cancelled too.
  const stop = (why) => {
    reader.cancel().catch(() => {});
    return why;
  };
  const end = Date.now() + ms;
  const chunks = [];
  let size = 0;
  for (;;) {
    const next = await withDeadline(reader.read(), Math.max(0, end - Date.now()));
    if (next === TOO_SLOW) return stop(TOO_SLOW);
    const { done, value } = next;
    if (done) break;
    size += value.byteLength;
    if (size > limit) return stop(TOO_LARGE);
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

// `promise`'s value, or TOO_SLOW after `ms`.
function withDeadline(promise, ms) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(TOO_SLOW), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function toResponse({ status, headers, body }) {
  return new Response(NULL_BODY.has(status) ? null : body, { status, headers });
}
