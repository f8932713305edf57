// The example worker's shared state on its AiccGatewayState Durable Object, in workerd: two copies of the
// worker, each its own isolate on its own port, share one Durable Object namespace, as two places of one
// deployed Worker do. Call ownership, the per-minute limit and one-shot release callbacks hold across both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { AiccClient, AiccError } from 'aicc-call';
import { startWorkerPair, gatewayBindings, pairs, sessionTokens, sleep, freePort } from './helpers.mjs';

const CALLBACK_SECRET = 'callback-secret-for-two-isolates-0123';
const T = await sessionTokens({
  a103: { agentWorkNo: '103' },
  a104: { agentWorkNo: '104' },
  a105: { agentWorkNo: '105' },
  a106: { agentWorkNo: '106', sub: 'crm-user-106' },
});
const pair = pairs(6000);
const logs = [];
let sim;
let workers;
let a;
let b;


before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  const port = await freePort();
  workers = await startWorkerPair({
    ports: [port, 0],
    bindings: gatewayBindings(sim, { CREATE_CALL_PER_MINUTE: '3', CALLBACK_SECRET, PUBLIC_URL: `http://127.0.0.1:${port}` }),
    onLog: (entry) => logs.push(entry.message),
  });
  [a, b] = workers.urls;
});
after(async () => {
  await workers?.close();
  await sim?.close();
});

const page = (url, token) => new AiccClient({ baseUrl: `${url}/aicc`, token: async () => token, maxRetries: 0, timeoutMs: 5000 });

test('a call placed through one isolate is refused to another session on the other, and allowed to its owner there', async () => {
  const { callSerialNo } = await page(a, T.a103).createCall(pair(0));
  const stranger = await page(b, T.a104).queryCallState({ callSerialNo }).catch((e) => e);
  assert.ok(stranger instanceof AiccError);
  assert.equal(stranger.status, 403);
  const raw = await fetch(`${b}/aicc${PATHS.queryCallState}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${T.a104}` }, body: JSON.stringify({ callSerialNo }),
  });
  assert.deepEqual(await raw.json(), { error: 'notYourCall', message: 'this call was not placed by this session' });
  const own = await page(b, T.a103).queryCallState({ callSerialNo });
  assert.equal(own.caller, sim.calls().at(-1).body.caller);
  // watchCall through the other isolate follows the owner's call to its end.
  const states = [];
  for await (const state of page(b, T.a103).watchCall(callSerialNo, { intervalMs: 100 })) states.push(state.stateName);
  assert.equal(states.at(-1), 'ended');
});

test('a per-minute limit of 3 holds across both isolates: 3 pass, the 4th is a 429, and the simulator saw exactly 3', async () => {
  const before = sim.calls().length;
  for (const url of [a, b, a]) await page(url, T.a105).createCall(pair(0));
  const limited = await page(b, T.a105).createCall(pair(0)).catch((e) => e);
  assert.ok(limited instanceof AiccError);
  assert.equal(limited.kind, 'http');
  assert.equal(limited.status, 429);
  assert.equal(limited.retryable, true);
  assert.ok(limited.retryAfterMs > 0 && limited.retryAfterMs <= 60_000, String(limited.retryAfterMs));
  const raw = await fetch(`${a}/aicc${PATHS.createCall}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${T.a105}` }, body: JSON.stringify(pair(0)),
  });
  assert.equal(raw.status, 429);
  assert.ok(Number(raw.headers.get('Retry-After')) >= 1);
  assert.equal(sim.calls().length - before, 3);
  // The session is the token's `sub` when it has one: another session, its own count.
  await page(a, T.a106).createCall(pair(0));
});

test('a release callback is handed on once across isolates; a replay is acknowledged, a mismatched serial refused', async () => {
  const { callSerialNo } = await page(b, T.a104).createCall(pair(0));
  const url = Buffer.from(sim.calls().at(-1).body.callBackUrl, 'base64').toString('utf8');
  const released = () => logs.filter((l) => l.includes(`call ${callSerialNo} released`)).length;
  // The simulator pushes the release to the public URL (isolate A) when the call ends: wait for its answer.
  const sent = () => sim.releases().find((r) => r.callSerialNo === callSerialNo);
  for (let i = 0; i < 400 && !sent(); i++) await sleep(50);
  assert.equal(sent()?.status, 200, 'the release was delivered');
  for (let i = 0; i < 400 && released() === 0; i++) await sleep(50);
  assert.equal(released(), 1);
  const deliver = (origin, serial) => fetch(url.replace(/^http:\/\/127\.0\.0\.1:\d+/, origin), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ callSerialNo: serial, releaseReason: '0' }),
  });
  for (const origin of [a, b]) {
    const replay = await deliver(origin, callSerialNo);
    assert.equal(replay.status, 200, origin);
    assert.deepEqual(await replay.json(), { retCode: '0', retMsg: 'success' });
  }
  const { callSerialNo: other } = await page(a, T.a104).createCall(pair(0));
  const mismatched = await deliver(b, other);
  assert.equal(mismatched.status, 403);
  await mismatched.text();
  await sleep(200);
  assert.equal(released(), 1, 'onRelease ran once');
});
