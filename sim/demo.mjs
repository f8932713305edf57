// `aicc-sim --demo`: the click-to-call demo from the installed package, without Rust or the repository:
//   the AICC simulator  ->  a gateway in Node on the package's own wasm (createGateway + toNodeListener)
//   <-  the demo page (www/), loading the package's browser entry
// all on 127.0.0.1. The page holds a session token only; the app secret stays in this process.
import { createServer } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DEFAULTS, PATHS, startSimulator } from './index.mjs';
import { startStaticServer } from './static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// The demo agent: 101, with the phones 88889050 to 88889059 and 99999001, which AICC refuses (out of the
// softphone range).
const DEMO = { agentWorkNo: '101', callers: [...Array.from({ length: 10 }, (_, i) => `8888905${i}`), '99999001'] };

/** True when the request carries `Authorization: Bearer <token>`, compared in constant time. */
function bearerIs(request, token) {
  const sent = Buffer.from((request.headers.get('Authorization') ?? '').replace(/^Bearer\s+/i, '').trim());
  const expected = Buffer.from(token);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(`http://127.0.0.1:${server.address().port}`);
    });
  });
}

/**
 * The demo page's server: www/ with the package's js/ and pkg/, the page's `/config.json` (the gateway's URL as
 * `gatewayUrl()` gives it once the gateway runs, the session token) and the simulator's "lose the next call's
 * answer" route, under a Content-Security-Policy that lets the page talk to itself and the gateway only.
 * `mounts` adds folders (URL prefix -> folder). Used by `aicc-sim --demo` and the repository's `npm start`.
 */
export function startDemoPage({ port = 0, sim, gatewayUrl, sessionToken, poll, mounts = {} }) {
  return startStaticServer({
    port,
    mounts: { '/': `${root}www`, '/js/': `${root}js`, '/pkg/': `${root}pkg`, ...mounts },
    routes: {
      '/config.json': () => ({ gatewayUrl: gatewayUrl(), sessionToken, agentWorkNo: DEMO.agentWorkNo, pollIntervalMs: poll, demo: true }),
      // The page's "Lose the next call's answer": the next createCall is placed and its answer dropped.
      '/demo/lose-next-answer': () => {
        sim.fault({ path: PATHS.createCall, fault: 'answer-lost', times: 1 });
        return { armed: true };
      },
    },
    // The page may talk to itself and to the gateway only; wasm needs 'wasm-unsafe-eval'.
    headers: () => ({
      'Content-Security-Policy':
        `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; ` +
        `connect-src 'self' ${gatewayUrl()}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'Referrer-Policy': 'no-referrer',
    }),
  });
}

/**
 * Starts the simulator, the Node gateway and the page. `port` is the page's (0: any free port); the other
 * options are the simulator's (sim/README.md: speed, clock, credentials, trial, verbose, log), which the gateway
 * uses too.
 * @returns {Promise<{ url: string, gatewayUrl: string, sessionToken: string, sim: object, close: () => Promise<void> }>}
 */
export async function startNodeDemo({ port = 0, pollIntervalMs, ...simulator } = {}) {
  const closers = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  };
  try {
    const sim = await startSimulator({ ...simulator, port: 0 });
    closers.push(() => sim.close());
    const { appKey, ak, speed } = sim.options; // sim.options has no secrets
    const appSecret = simulator.appSecret ?? DEFAULTS.appSecret;
    const sk = simulator.sk ?? DEFAULTS.sk;
    const sessionToken = randomBytes(24).toString('base64url');
    const poll = pollIntervalMs ?? Math.max(100, Math.min(1000, Math.round(500 / speed)));
    let gatewayUrl = '';
    const web = await startDemoPage({ port, sim, gatewayUrl: () => gatewayUrl, sessionToken, poll });
    closers.push(() => web.close());

    // The package's Node entry: loaded only here, so that the simulator alone needs no wasm.
    const { createGateway, toNodeListener } = await import('../js/node.js');
    const gateway = createGateway({
      prefix: '/aicc',
      clientOptions: {
        baseUrl: sim.url,
        cmsBaseUrl: sim.url,
        credentials: { appKey, appSecret },
        cmsCredentials: { ak, sk },
        // Within the page's own deadline, as the example worker: the page's client retries queries itself.
        timeoutMs: 4000,
        maxRetries: 0,
      },
      cors: { origins: [web.url] },
      authorize: (request) =>
        bearerIs(request, sessionToken)
          ? { agentWorkNo: DEMO.agentWorkNo, callers: DEMO.callers, createCallPerMinute: 30, createCallPerDay: 1000 }
          : { allow: false, status: 401, reason: 'unknown session token' },
    });
    const gatewayServer = createServer(toNodeListener(gateway));
    gatewayUrl = await listen(gatewayServer, 0);
    closers.push(() => new Promise((resolve) => {
      gatewayServer.close(() => resolve());
      gatewayServer.closeAllConnections();
    }));

    return { url: `${web.url}/`, gatewayUrl, sessionToken, sim, close };
  } catch (e) {
    await close();
    throw e;
  }
}
