// Shared helpers for the workerd tests: run any worker (bundled exactly like `wrangler deploy`) in Miniflare,
// capture what the simulator received, and a few constants.

import { createServer } from 'node:net';
import { SignJWT } from 'jose';
import { startWorker, startWorkerPair } from '../../../scripts/worker-runner.mjs';


export const APP_KEY = 'demo-app-key';
export const APP_SECRET = 'demo-app-secret';
export const AK = 'demo-ak';
export const SK = 'demo-sk';
export const ORIGIN = 'http://127.0.0.1:1';

export { startWorker, startWorkerPair };

/** The HS256 secret the test CRM signs its session tokens with (the worker's SESSION_JWT_SECRET). */
export const JWT_SECRET = 'test-crm-session-signing-secret-0123456789';

/** A session token as a CRM backend issues it: the claims (agentWorkNo, callers, operations, sub), an hour long. */
export function sessionToken(claims, { secret = JWT_SECRET, expiresIn = '1h' } = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(expiresIn).sign(new TextEncoder().encode(secret));
}

/** One token per named session: { s1: '<jwt>', ... }. */
export async function sessionTokens(sessions) {
  const entries = await Promise.all(Object.entries(sessions).map(async ([name, claims]) => [name, await sessionToken(claims)]));
  return Object.fromEntries(entries);
}

/**
 * Records the headers of every request the simulator receives (its own `calls()` drops Authorization):
 * a second 'request' listener on its http.Server, reading headers only. Nothing in sim/ changes.
 */
export function recordSimHeaders(sim) {
  const seen = [];
  sim.server.on('request', (req) => seen.push({ method: req.method, url: req.url, headers: { ...req.headers } }));
  return seen;
}

/** A fresh caller/called pair: the simulator refuses a second live call between the same two numbers. */
export function pairs(start = 1000) {
  let next = start;
  return (lastDigit = 0, caller) => {
    next += 1;
    return { caller: caller ?? `8888${next}`, called: `1390000${next}${lastDigit}` };
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The example worker's env, pointed at `sim`, with the demo credentials (AICC and CMS). */
export function gatewayBindings(sim, { origins = ORIGIN, ...extra } = {}) {
  return {
    AICC_BASE_URL: sim.url,
    AICC_APP_KEY: APP_KEY,
    AICC_APP_SECRET: APP_SECRET,
    AICC_CMS_BASE_URL: sim.url,
    AICC_CMS_AK: AK,
    AICC_CMS_SK: SK,
    SESSION_JWT_SECRET: JWT_SECRET,
    ALLOWED_ORIGINS: origins,
    ...extra,
  };
}

/** A free port on 127.0.0.1, chosen first: a worker's PUBLIC_URL must name it before the worker starts. */
export async function freePort() {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}
