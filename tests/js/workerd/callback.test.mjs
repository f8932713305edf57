// Release callbacks end to end: with CALLBACK_SECRET set, the example gateway puts its own signed
// /aicc/callback/release URL in every createCall; the call ends in the simulator, which POSTs the release
// callback; the worker acknowledges it and its onRelease logs the serial.
// Observed through Miniflare's structured logs (the worker's console.log) and the simulator's log sink
// (which reports every non-2xx answer of a callback receiver).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../../sim/index.mjs';
import { AiccClient, signCallbackUrl } from 'aicc-call';
import { createServer } from 'node:net';
import { startWorker, APP_KEY, APP_SECRET, pairs, sleep } from './helpers.mjs';

const SECRET = 'callback-secret-0123456789abcdef';
let sim;
let worker;
let client;
const workerLogs = [];
const simLogs = [];
const pair = pairs(9000);

// A free port on 127.0.0.1, chosen first: the worker's PUBLIC_URL must name it before the worker starts.
async function freePort() {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: (line) => simLogs.push(line) });
  const port = await freePort();
  worker = await startWorker({
    config: 'examples/worker/wrangler.toml',
    port,
    bindings: {
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      AICC_BASE_URL: sim.url,
      AICC_APP_KEY: APP_KEY,
      AICC_APP_SECRET: APP_SECRET,
      SESSIONS: JSON.stringify({ s1: { agentWorkNo: '101' } }),
      CALLBACK_SECRET: SECRET,
    },
    onLog: (entry) => workerLogs.push(entry.message),
  });
  client = new AiccClient({ baseUrl: `${worker.url}/aicc`, token: async () => 's1', timeoutMs: 5000 });
});
after(async () => {
  await worker?.close();
  await sim?.close();
});

async function until(what, predicate, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const hit = predicate();
    if (hit) return hit;
    await sleep(25);
  }
  assert.fail(`timed out waiting for ${what}\nworker: ${workerLogs.join('\n')}\nsim: ${simLogs.join('\n')}`);
}

const RELEASE = () => `${worker.url}/aicc/callback/release`;

test('the gateway puts its own signed callBackUrl in createCall; the simulator calls back and onRelease runs', async () => {
  const placed = [];
  for (const digit of [0, 5]) {
    const { caller, called } = pair(digit);
    const { callSerialNo } = await client.createCall({ caller, called });
    assert.match(callSerialNo, /^\d{18}$/);
    const rec = sim.calls().at(-1);
    const decoded = Buffer.from(rec.body.callBackUrl, 'base64').toString('utf8');
    assert.match(decoded, new RegExp(`^${RELEASE()}\\?aiccexp_\\d+&aiccnonce_[0-9a-f]{24}&aiccsig_[0-9a-f]{32}$`), `Base64 of the signed URL on the wire: ${decoded}`);
    const expires = Number(/aiccexp_(\d+)/.exec(decoded)[1]);
    assert.ok(Math.abs(expires - Date.now() - 24 * 3600 * 1000) < 60_000, 'accepted for a day');
    placed.push({ callSerialNo, digit });
  }
  for (const { callSerialNo, digit } of placed) {
    const line = await until(`onRelease for ${callSerialNo}`, () => workerLogs.find((l) => l.includes(`call ${callSerialNo} released`)));
    // The simulator's releaseReason: 0 "callee hung up", 5 "callee no answer"; the worker logs its message.
    assert.match(line, digit === 0 ? /released: .*hang|released: .*hung/i : /released: .*not answer/i, line);
  }
  assert.deepEqual(simLogs.filter((l) => /callback/.test(l)), [], 'the receiver answered 2xx to every callback');
});

test("a page's own callBackUrl is refused (403) and nothing reaches AICC", async () => {
  const { caller, called } = pair(1);
  const before = sim.calls().length;
  await assert.rejects(client.createCall({ caller, called, callBackUrl: signCallbackUrl(RELEASE(), SECRET) }), (e) => {
    assert.equal(e.status, 403);
    assert.match(e.message, /callBackUrl is set by the gateway/);
    return true;
  });
  assert.equal(sim.calls().length, before);
});

test('the callback endpoint itself: signature, method and body are checked', async () => {
  const body = JSON.stringify({ callSerialNo: '645735364434067472', releaseReason: '0', caller: '88881000', called: '13900001000' });
  const unsigned = await fetch(RELEASE(), { method: 'POST', body });
  assert.equal(unsigned.status, 403);
  const forged = await fetch(`${RELEASE()}?aiccexp_9999999999999&aiccnonce_1&aiccsig_${'0'.repeat(32)}`, { method: 'POST', body });
  assert.equal(forged.status, 403);
  const expired = await fetch(signCallbackUrl(RELEASE(), SECRET, { ttlMs: -1000 }), { method: 'POST', body });
  assert.equal(expired.status, 403);
  assert.match((await expired.json()).retMsg, /expired/);
  // Another Host on the same path: the signature is checked against PUBLIC_URL, so it still verifies.
  const viaLocalhost = signCallbackUrl(RELEASE(), SECRET).replace('127.0.0.1', 'localhost');
  const other = await fetch(viaLocalhost, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  assert.equal(other.status, 200);
  await other.text();
  const signed = signCallbackUrl(RELEASE(), SECRET);
  const ok = await fetch(signed, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get('content-type') ?? '', /json/);
  await ok.text();
  await until('onRelease of the hand-made callback', () => workerLogs.find((l) => l.includes('call 645735364434067472 released')));
  const garbage = await fetch(signed, { method: 'POST', body: '{' });
  assert.equal(garbage.status, 400);
  assert.equal((await garbage.json()).retCode, '1');
  const get = await fetch(signed);
  assert.equal(get.status, 405);
  await get.text();
});
