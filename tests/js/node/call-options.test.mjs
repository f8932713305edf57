// Per-call options ({ signal, timeoutMs } as the second argument of every operation), the onRequest and
// onResponse hooks (which never see a header, a body or a secret), and the JS cause of network errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { AiccClient, AiccError } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { serverClient, pairs, CREDENTIALS, CMS_CREDENTIALS } from './helpers.mjs';

const SERIAL = '645735364434067472';
let sim;
const pair = pairs(9700);
const sent = (path) => sim.requests().filter((r) => r.path === path).length;

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
});
after(() => sim.close());

test('an abort ends a query in flight at once with kind "aborted"; an aborted signal sends nothing', async () => {
  const client = serverClient(sim);
  await client.getCalledInfo({ caller: '1', called: '6666601' });
  sim.fault({ path: PATHS.queryCallState, fault: 'hold', times: 1 }); // never answered: only the abort ends it
  const ac = new AbortController();
  const held = sent(PATHS.queryCallState) + 1;
  const pending = client.queryCallState({ callSerialNo: SERIAL }, { signal: ac.signal });
  await sim.waitForRequests(PATHS.queryCallState, held); // in flight, held by the simulator
  const started = Date.now();
  ac.abort();
  const e = await pending.catch((x) => x);
  assert.ok(e instanceof AiccError && e.kind === 'aborted', String(e));
  assert.equal(e.outcomeUnknown, undefined);
  assert.ok(Date.now() - started < 2000, 'at once, not at the client timeout');
  const before = sent(PATHS.queryCallState);
  const early = await client.queryCallState({ callSerialNo: SERIAL }, { signal: AbortSignal.abort() }).catch((x) => x);
  assert.equal(early.kind, 'aborted');
  assert.equal(sent(PATHS.queryCallState), before, 'nothing sent');
});

test('a createCall aborted after it was sent: outcomeUnknown, and resolveOutcome finds it', async () => {
  const client = serverClient(sim);
  await client.getCalledInfo({ caller: '1', called: '6666601' });
  const { caller, called } = pair(0);
  sim.fault({ path: PATHS.createCall, fault: 'hold', times: 1 }); // placed, never answered
  const ac = new AbortController();
  const pending = client.createCall({ caller, called }, { signal: ac.signal }).catch((x) => x);
  await sim.waitForRequests(PATHS.createCall, sent(PATHS.createCall) + 1); // sent: abort only now
  ac.abort();
  const e = await pending;
  assert.equal(e.kind, 'aborted');
  assert.equal(e.outcomeUnknown, true);
  assert.deepEqual([e.call.caller, e.call.called], [caller, called]);
  const resolution = await client.resolveOutcome(e, { maxWaitMs: 5000 });
  assert.equal(resolution.status, 'placed');
  const aborted = await client.createCall(pair(0), { signal: AbortSignal.abort() }).catch((x) => x);
  assert.equal(aborted.kind, 'aborted');
  assert.equal(aborted.outcomeUnknown, undefined, 'never sent: known');
});

test('timeoutMs of one call replaces the client\'s for each of its attempts', async () => {
  const client = serverClient(sim, { timeoutMs: 10_000, retry: { maxRetries: 1, baseDelayMs: 1 } });
  await client.getCalledInfo({ caller: '1', called: '6666601' });
  sim.fault({ path: PATHS.queryCallState, fault: 'hold', times: 2 }); // never answered: a timeout on any machine
  const e = await client.queryCallState({ callSerialNo: SERIAL }, { timeoutMs: 200 }).catch((x) => x);
  assert.equal(e.kind, 'timeout');
  assert.equal(e.attempts, 2);
  assert.match(e.message, /200 ms/);
  for (const options of [{ timeoutMs: 0 }, { signal: 'stop' }, 'fast']) {
    await assert.rejects(client.queryCallState({ callSerialNo: SERIAL }, options), (x) => x.kind === 'validation', JSON.stringify(options));
  }
});

test('onRequest and onResponse: operation, attempt, method, path, status, retCode, duration and a request id; never a secret', async () => {
  const events = [];
  const tokens = new Set();
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const res = await realFetch(input, init);
    const url = typeof input === 'string' ? input : input.url;
    if (url.endsWith(PATHS.token)) tokens.add(JSON.parse(await res.clone().text()).AccessToken);
    return res;
  };
  try {
    const client = serverClient(sim, {
      retry: { baseDelayMs: 1 },
      onRequest: (e) => events.push({ on: 'request', ...e }),
      onResponse: (e) => events.push({ on: 'response', ...e }),
    });
    sim.fault({ path: PATHS.queryCallState, fault: 'status:503', times: 1 });
    await client.queryCallState({ callSerialNo: SERIAL });
    await client.getCalledInfo({ caller: '1', called: '6666614' }).catch(() => {});
    await client.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1453723531-574' });
    const query = events.filter((e) => e.operation === 'queryCallState');
    assert.deepEqual(query.map((e) => [e.on, e.attempt, e.status]), [['request', 1, undefined], ['response', 1, 503], ['request', 2, undefined], ['response', 2, 200]]);
    assert.equal(new Set(query.map((e) => e.requestId)).size, 1, 'one id for every attempt of a call');
    assert.equal(query[1].error, 'http');
    assert.equal(query[0].method, 'POST');
    assert.equal(query[0].path, PATHS.queryCallState);
    assert.ok(query.every((e) => e.on === 'request' || Number.isInteger(e.durationMs)));
    const refused = events.find((e) => e.operation === 'getCalledInfo' && e.on === 'response');
    assert.equal(refused.retCode, '5');
    assert.ok(events.some((e) => e.operation === 'tokenByAkSk'), 'the token fetch is observed too');
    const ids = new Set(events.map((e) => e.requestId));
    assert.ok(ids.size >= 4, 'each call has its own id');
    const text = JSON.stringify(events);
    for (const secret of [CREDENTIALS.appSecret, CMS_CREDENTIALS.sk, ...tokens]) {
      assert.ok(tokens.size > 0);
      for (let i = 0; i + 8 <= secret.length; i += 1) assert.ok(!text.includes(secret.slice(i, i + 8)), 'no secret in any event');
    }
    assert.doesNotMatch(text, /Authorization|Bearer|callSerialNo|X-APP-Key/i, 'no header or body');
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('a network error keeps what fetch threw as its cause', async () => {
  const closed = createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const { port } = closed.address();
  await new Promise((r) => closed.close(r));
  const client = new AiccClient({ baseUrl: `http://127.0.0.1:${port}`, token: async () => 'tok', maxRetries: 0 });
  const e = await client.queryCallState({ callSerialNo: SERIAL }).catch((x) => x);
  assert.equal(e.kind, 'network');
  assert.ok(e.cause instanceof Error, String(e.cause));
  assert.match(String(e.cause.cause?.code ?? e.cause.message), /ECONNREFUSED|fetch failed/);
});
