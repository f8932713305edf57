// Shared helpers for the simulator tests (not a test file itself).
import { startSimulator } from '../../sim/index.mjs';
import { PATHS } from '../../sim/router.mjs';

export { PATHS, startSimulator };

/** Start a simulator, register its close() with the test context, collect log lines. */
export async function withSim(t, opts = {}) {
  const lines = [];
  const sim = await startSimulator({ port: 0, speed: 20, log: (l) => lines.push(l), ...opts });
  t.after(() => sim.close());
  sim.logLines = lines;
  return sim;
}

export async function getToken(sim, headers = {}) {
  const res = await fetch(sim.url + PATHS.token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ app_key: 'demo-app-key', app_secret: 'demo-app-secret' }),
  });
  if (res.status !== 200) throw new Error(`token: HTTP ${res.status}`);
  return (await res.json()).AccessToken;
}

/** POST a JSON body (object, or raw string) with a bearer token; returns { status, text, json, headers }. */
export async function post(sim, path, body, token, headers = {}, signal = undefined) {
  const res = await fetch(sim.url + path, {
    method: 'POST',
    signal,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, text, json, headers: res.headers };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Create a call and return its serial as the exact digit string from the response text. */
export async function createCall(sim, token, body) {
  const r = await post(sim, PATHS.createCall, body, token);
  const m = /"callSerialNo":(\d{18})\}/.exec(r.text);
  if (!m) throw new Error(`createCall failed: ${r.status} ${r.text}`);
  return m[1];
}

/** Poll queryCallState until the call ends; returns { states: Set, result }. */
export async function pollUntilEnded(sim, token, serial, { timeoutMs = 5000, everyMs = 10 } = {}) {
  const states = new Set();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const r = await post(sim, PATHS.queryCallState, { callSerialNo: serial }, token);
    states.add(r.json.result.state);
    if (r.json.result.state === 3) return { states, result: r.json.result };
    await sleep(everyMs);
  }
  throw new Error(`call ${serial} did not end in ${timeoutMs} ms`);
}
