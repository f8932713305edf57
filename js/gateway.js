// createGateway and handleCallback: Request/Response in and out (toNodeListener's SERVE below: plain parts);
// every decision is made by the wasm core.
import { coreOf } from './runtime.js';

// Statuses whose Response must not have a body (the Response constructor throws otherwise).
export const NULL_BODY = new Set([101, 103, 204, 205, 304]);

// toNodeListener's way into a gateway made here: the request as plain parts in, the core's answer out, with no
// Request or Response made unless `authorize` needs one.
export const SERVE = Symbol('aicc-call gateway serve');

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
    // From the options, so the same for every instance after a trap.
    const limits = { maxBodyBytes: core.maxBodyBytes, authorizeTimeoutMs: core.authorizeTimeoutMs };
    let generation = rt.live();
    const live = () => {
      if (generation !== rt.live()) {
        core = make();
        generation = rt.live();
      }
      return core;
    };
    const serveParts = async (parts) => {
      try {
        return await serve(live, limits, options.authorize, parts);
      } catch (e) {
        if (!(e instanceof rt.AiccError) || e.kind !== 'internal') throw e;
        // The instance trapped: the fresh one says what the page is told (502 outcome-unknown for createCall).
        return rt.guard('gateway', () => live().internalError(parts.url, parts.origin));
      }
    };
    return {
      fetch: async (request) => toResponse(await serveParts(partsOf(request))),
      [SERVE]: serveParts,
    };
  }

  // Two calls into the wasm for a request: what is decided before its body is read, then the rest. `parts`:
  // { method, url, origin, contentType, contentLength, read(limit, ms), request(body) }, where `read` gives the
  // body's text, TOO_LARGE or TOO_SLOW, and `request` the Request handed to `authorize`.
  async function serve(live, limits, authorize, parts) {
    const { url, origin } = parts;
    const begun = rt.guard('gateway', () => live().begin(parts.method, url, origin, parts.contentType, parts.contentLength));
    if (typeof begun !== 'string') return begun;
    const operation = begun;
    const { maxBodyBytes, authorizeTimeoutMs } = limits;
    const body = await parts.read(maxBodyBytes, authorizeTimeoutMs);
    if (body === TOO_LARGE) return live().tooLarge(url, origin);
    if (body === TOO_SLOW) return live().tooSlow(url, origin);
    const verdict = await verdictOf(() => authorize(parts.request(body), { operation }), authorizeTimeoutMs);
    if (verdict === TOO_SLOW) return live().tooSlow(url, origin);
    const handle = (v) => rt.track(operation, () => live().handle(operation, url, origin, body, v));
    try {
      return await handle(verdict ?? false);
    } catch (e) {
      if (e instanceof rt.AiccError) throw e;
      // Reading the verdict threw past the core's guards (a revoked Proxy): a malformed verdict, refused.
      return await handle({ allow: 'unreadable' });
    }
  }

  // A Request as the parts `serve` takes. Its body is read once, by the gateway; `authorize` may read it too,
  // so it gets the request again with the text read (the same request when there was no body).
  function partsOf(request) {
    const headers = request.headers;
    return {
      method: request.method,
      url: request.url,
      origin: headers.get('Origin'),
      contentType: headers.get('Content-Type'),
      contentLength: headers.get('Content-Length'),
      read: (limit, ms) => readAtMost(request, limit, ms),
      request: (body) => (request.body ? new Request(request, { body }) : request),
    };
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

// What reading a body gives instead of its text: over the limit, or past the deadline.
export const TOO_LARGE = Symbol('too large');
export const TOO_SLOW = Symbol('too slow');

// 96 random bits as hex: the nonce of one signed callback URL.
function randomNonce() {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// The body as text, read as a stream and cut off past `limit` bytes (a chunked body has no length to check)
// or once `ms` have passed in all; the reading stops either way.
async function readAtMost(request, limit, ms) {
  if (!request.body) return '';
  const reader = request.body.getReader();
  // Not awaited: a runtime may settle a cancel late, and nothing waits for the rest of the body.
  const stop = (why) => {
    reader.cancel().catch(() => {});
    return why;
  };
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(TOO_SLOW), ms);
  });
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), late]);
      if (next === TOO_SLOW) return stop(TOO_SLOW);
      const { done, value } = next;
      if (done) break;
      size += value.byteLength;
      if (size > limit) return stop(TOO_LARGE);
      chunks.push(value);
    }
  } finally {
    clearTimeout(timer);
  }
  return textOf(chunks, size);
}

const decoder = new TextDecoder();

// The UTF-8 text of `chunks` (`size` bytes in all); a byte that is not UTF-8 becomes U+FFFD.
export function textOf(chunks, size) {
  if (chunks.length === 1) return decoder.decode(chunks[0]);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return decoder.decode(bytes);
}

const REFUSED = { allow: false, reason: 'authorize() failed' };

// What `authorize` decided: a verdict given at once is taken at once (no timer); a promise of one is awaited for
// `ms` at most (then TOO_SLOW). Throwing, or a rejected promise, refuses.
function verdictOf(authorize, ms) {
  let given;
  let later;
  try {
    given = authorize();
    later = typeof given?.then === 'function'; // a `then` that throws (a revoked Proxy) refuses, as a promise would
  } catch {
    return REFUSED;
  }
  return later ? withDeadline(Promise.resolve(given).catch(() => REFUSED), ms) : given;
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
