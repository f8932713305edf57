// Shared by the Node tests: a server-side client of a simulator with its demo credentials, and fresh numbers.
import { createServer } from 'node:http';
import { AiccClient } from 'aicc-call';

export const CREDENTIALS = { appKey: 'demo-app-key', appSecret: 'demo-app-secret' };
export const CMS_CREDENTIALS = { ak: 'demo-ak', sk: 'demo-sk' };

/** A client of `sim` with app and CMS credentials; `options` override the defaults. */
export function serverClient(sim, options = {}) {
  return new AiccClient({ baseUrl: sim.url, cmsBaseUrl: sim.url, credentials: CREDENTIALS, cmsCredentials: CMS_CREDENTIALS, ...options });
}

/** Fresh caller/called pairs, `called` ending in `lastDigit` (the simulator refuses a second live call between the same two numbers). */
export function pairs(start) {
  let next = start;
  return (lastDigit = 0) => ({ caller: `8888${next++}`, called: `1390${next++}${lastDigit}` });
}

/**
 * Serves `handler` (a `(Request) => Promise<Response>` such as a gateway's `fetch`) over HTTP on 127.0.0.1,
 * on an OS-chosen port. Resolves to `{ url, close }`.
 */
export async function serveFetch(handler) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
    const headers = Object.entries(req.headers).filter(([, v]) => typeof v === 'string');
    const response = await handler(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/**
 * Runs `work` while counting the timers armed with a delay of `ms` (a delay no other timer has): how many were
 * armed, and how many were still pending, neither fired nor cleared, when it ended. `work`'s value is `value`.
 */
export async function timersOf(ms, work) {
  const { setTimeout: realSet, clearTimeout: realClear } = globalThis;
  const pending = new Set();
  let armed = 0;
  globalThis.setTimeout = (fn, delay, ...args) => {
    const id = realSet(fn, delay, ...args);
    if (delay === ms) (armed += 1) && pending.add(id);
    return id;
  };
  globalThis.clearTimeout = (id) => {
    pending.delete(id);
    return realClear(id);
  };
  try {
    const value = await work();
    return { value, armed, pending: pending.size };
  } finally {
    Object.assign(globalThis, { setTimeout: realSet, clearTimeout: realClear });
  }
}
