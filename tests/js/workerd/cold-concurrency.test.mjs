// Concurrent createCalls where a deployment always meets them: a cold isolate (no token yet), two cold
// isolates sharing one Durable Object namespace, and a warm isolate whose token AICC has just revoked. In
// workerd a request woken by another request's event is cancelled as hung (a plain 500), so a token fetch
// shared by waiting requests would lose their answers; every call must be answered 200, recorded as its
// session's (its owner can read it), and placed once at the simulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { startWorker, startWorkerPair, gatewayBindings, pairs, sessionTokens } from './helpers.mjs';

const T = await sessionTokens({ agent: { agentWorkNo: '301' } });
const pair = pairs(30_000);
let sim;

before(async () => {
  sim = await startSimulator({ port: 0, log: () => {} });
});
after(async () => {
  await sim?.close();
});

const post = (url, path, body) =>
  fetch(`${url}/aicc${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${T.agent}` },
    body: JSON.stringify(body),
  });

// Sends `count` createCalls at once (spread over `urls`), then checks each answer, its record and the simulator.
async function placeAtOnce(urls, count) {
  const requests = Array.from({ length: count }, () => pair(0));
  const answers = await Promise.all(
    requests.map(async (request, i) => {
      const response = await post(urls[i % urls.length], PATHS.createCall, request);
      return { request, status: response.status, text: await response.text() };
    }),
  );
  const failed = answers.filter((a) => a.status !== 200);
  assert.deepEqual(failed.map((a) => `${a.status} ${a.text.slice(0, 120)}`), [], `${failed.length} of ${count} not answered 200`);
  const placed = sim.calls().filter((c) => c.retCode === '0');
  for (const { request, text } of answers) {
    // The serial as written (a 64-bit number that JSON.parse would round).
    const serial = /"callSerialNo"\s*:\s*"?(\d+)/.exec(text)?.[1];
    assert.ok(serial, text);
    const atSim = placed.filter((c) => c.body.called === request.called);
    assert.equal(atSim.length, 1, `${request.called} placed once at the simulator`);
    // Recorded as the session's call: its owner may read it (403 notYourCall otherwise).
    const read = await post(urls[0], PATHS.queryCallState, { callSerialNo: serial });
    assert.equal(read.status, 200, `the owner reads ${serial}: ${await read.clone().text()}`);
    assert.equal((await read.json()).retCode, '0');
  }
}

test('10 concurrent createCalls on a cold isolate: every one answered 200, recorded and placed once', async () => {
  const worker = await startWorker({ bindings: gatewayBindings(sim) });
  try {
    await placeAtOnce([worker.url], 10);
  } finally {
    await worker.close();
  }
});

test('50 concurrent createCalls on a cold isolate: every one answered 200, recorded and placed once', async () => {
  const worker = await startWorker({ bindings: gatewayBindings(sim) });
  try {
    await placeAtOnce([worker.url], 50);
  } finally {
    await worker.close();
  }
});

test('10 concurrent createCalls over two cold isolates sharing the Durable Object: all answered, recorded, placed once', async () => {
  const workers = await startWorkerPair({ bindings: gatewayBindings(sim) });
  try {
    await placeAtOnce(workers.urls, 10);
  } finally {
    await workers.close();
  }
});

test('10 concurrent createCalls right after AICC revokes the token: one renewal, every call answered and recorded', async () => {
  const worker = await startWorker({ bindings: gatewayBindings(sim) });
  try {
    await placeAtOnce([worker.url], 1);
    const tokensBefore = sim.requests().filter((r) => r.path === PATHS.token).length;
    // The next createCall finds its token revoked: it and every request holding that token get a 401.
    sim.fault({ path: PATHS.createCall, fault: 'expire-token' });
    await placeAtOnce([worker.url], 10);
    const renewals = sim.requests().filter((r) => r.path === PATHS.token).length - tokensBefore;
    assert.ok(renewals >= 1, 'the revoked token was renewed');
  } finally {
    await worker.close();
  }
});
