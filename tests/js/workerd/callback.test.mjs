// Release callbacks end to end: with CALLBACK_SECRET set, the example gateway puts its own signed
// /aicc/callback/release URL in every createCall; the call ends in the simulator, which POSTs the release
// callback; the worker acknowledges it and its onRelease logs the serial.
// Observed through Miniflare's structured logs (the worker's console.log) and the simulator's log sink
// (which reports every non-2xx answer of a callback receiver).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../../sim/index.mjs';
import { AiccClient, signCallbackUrl } from 'aicc-call';
import { startWorker, APP_KEY, APP_SECRET, JWT_SECRET, pairs, sleep, sessionTokens, freePort } from './helpers.mjs';

const SECRET = 'callback-secret-0123456789abcdef';
const T = await sessionTokens({ s1: { agentWorkNo: '101' } });
let sim;
let worker;
let client;
const workerLogs = [];
const simLogs = [];
const pair = pairs(9000);


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
      SESSION_JWT_SECRET: JWT_SECRET,
      CALLBACK_SECRET: SECRET,
    },
    onLog: (entry) => workerLogs.push(entry.message),
  });
  client = new AiccClient({ baseUrl: `${worker.url}/aicc`, token: async () => T.s1, timeoutMs: 5000 });
});
after(async () => {
  await worker?.close();
  await sim?.close();
});

async function until(what, predicate, ms = 20_000) { // an event, waited for with a wide margin
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
  // Signed by this gateway's secret, but for no call it placed: refused, the release is not handed on.
  const signed = signCallbackUrl(RELEASE(), SECRET);
  const stranger = await fetch(signed, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  assert.equal(stranger.status, 403);
  assert.match((await stranger.json()).retMsg, /not signed for this call/);

  // A call placed through the gateway: its own URL releases it once; a replay is acknowledged without a
  // second onRelease; the same URL cannot release another call.
  const { caller, called } = pair(0);
  const { callSerialNo } = await client.createCall({ caller, called });
  const own = Buffer.from(sim.calls().at(-1).body.callBackUrl, 'base64').toString('utf8');
  const release = (url, serial) => fetch(url, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ callSerialNo: serial, releaseReason: '0' }),
  });
  // Another Host on the same path: the signature is checked against PUBLIC_URL, so it still verifies.
  const first = await release(own.replace('127.0.0.1', 'localhost'), callSerialNo);
  assert.equal(first.status, 200);
  assert.match(first.headers.get('content-type') ?? '', /json/);
  await first.text();
  const replay = await release(own, callSerialNo);
  assert.equal(replay.status, 200, 'a replay is acknowledged, so that AICC stops resending');
  assert.deepEqual(await replay.json(), { retCode: '0', retMsg: 'success' });
  assert.equal((await release(own, '645735364434067472')).status, 403, 'a URL signed for one call cannot release another');
  await until('onRelease of the hand-made callback', () => workerLogs.find((l) => l.includes(`call ${callSerialNo} released`)));
  // The simulator's own release of that call arrives when it ends (about 0.3 s at speed 20): a replay too.
  await until('the simulator\'s own release of the call', () => sim.releases().find((r) => r.callSerialNo === callSerialNo));
  assert.equal(workerLogs.filter((l) => l.includes(`call ${callSerialNo} released`)).length, 1, 'onRelease ran once for the call');
  const garbage = await fetch(signed, { method: 'POST', body: '{' });
  assert.equal(garbage.status, 400);
  assert.equal((await garbage.json()).retCode, '1');
  const get = await fetch(signed);
  assert.equal(get.status, 405);
  await get.text();
});
