// Values that fetch refuses, a fetch that misbehaves, a token endpoint that issues a token no header can carry,
// and upstream statuses without a body: each ends as a clear AiccError or answer, never as an exception
// thrown through the wasm, a hang, or a module that stops working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { AiccClient, AiccError, createGateway, toNodeListener } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { CREDENTIALS } from './helpers.mjs';

const SERIAL = '645735364434067472'; // seeded: an ended call
const BAD_TOKENS = ['tok€n', 'line\nbreak', 'nul\0byte', '张三'];
let sim;
let healthy;
let issuer; // a token endpoint that issues the token "tok€n"

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  healthy = new AiccClient({ baseUrl: sim.url, credentials: CREDENTIALS });
  issuer = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ AccessToken: 'tok€n', Expires: '600', CreateTime: '1700000000' }));
  });
  await new Promise((r) => issuer.listen(0, '127.0.0.1', r));
});
after(async () => {
  await new Promise((r) => issuer.close(r));
  await sim.close();
});

const issuerUrl = () => `http://127.0.0.1:${issuer.address().port}`;

async function healthyStillWorks() {
  assert.equal((await healthy.queryCallState({ callSerialNo: SERIAL })).stateName, 'ended');
}

test('a header value fetch refuses is a validation error at construction, naming the option', () => {
  for (const value of ['张三', 'a\r\nX-Evil: 1', 'tab\there']) {
    assert.throws(() => new AiccClient({ baseUrl: sim.url, headers: { 'X-Agent': value } }), (e) => e instanceof AiccError && e.kind === 'validation' && e.field === 'headers');
    assert.throws(() => new AiccClient({ baseUrl: sim.url, appKey: value }), (e) => e.kind === 'validation' && e.field === 'appKey');
    assert.throws(
      () => new AiccClient({ baseUrl: sim.url, credentials: { appKey: value, appSecret: 'demo-app-secret' } }),
      (e) => e.kind === 'validation' && e.field === 'credentials',
    );
  }
  assert.ok(new AiccClient({ baseUrl: sim.url, headers: { 'X-Agent': 'Zoë Müller' } }), 'Latin-1 is sent as it is');
});

test('a token() value no header can carry is an auth error, and nothing is sent', async () => {
  for (const token of BAD_TOKENS) {
    const before = sim.requests().length;
    const c = new AiccClient({ baseUrl: sim.url, token: async () => token });
    await assert.rejects(c.queryCallState({ callSerialNo: SERIAL }), (e) => e instanceof AiccError && e.kind === 'auth' && /header/.test(e.message));
    await assert.rejects(c.createCall({ caller: '88881', called: '13900000010' }), (e) => e.kind === 'auth' && !e.outcomeUnknown);
    assert.equal(sim.requests().length, before, JSON.stringify(token));
  }
  await healthyStillWorks();
});

test('a token endpoint issuing "tok€n": an auth error for the client and a refusal from the gateway, no hang', async () => {
  const c = new AiccClient({ baseUrl: issuerUrl(), credentials: CREDENTIALS, maxRetries: 0 });
  await assert.rejects(c.queryCallState({ callSerialNo: SERIAL }), (e) => e instanceof AiccError && e.kind === 'auth' && e.operation === 'queryCallState');
  const gateway = createGateway({ clientOptions: { baseUrl: issuerUrl(), credentials: CREDENTIALS, maxRetries: 0 }, authorize: () => true });
  const res = await gateway.fetch(
    new Request(`http://127.0.0.1/aicc${PATHS.queryCallState}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ callSerialNo: SERIAL }),
    }),
  );
  assert.ok(res.status >= 400, `refused, not forwarded: ${res.status}`);
  assert.doesNotMatch(await res.text(), /tok€n|demo-app-secret/);
});

test('10,000 such failures in a row, and 200 in one tick, leave every client working', async () => {
  const bad = new AiccClient({ baseUrl: sim.url, token: () => 'tok€n' });
  for (let i = 0; i < 10_000; i += 1) {
    const e = await bad.queryCallState({ callSerialNo: SERIAL }).catch((error) => error);
    if (!(e instanceof AiccError) || e.kind !== 'auth') assert.fail(`failure ${i}: ${e}`);
  }
  const burst = Array.from({ length: 200 }, () => bad.getCalledInfo({ caller: '1', called: '6666601' }).catch((e) => e.kind));
  const [kinds, state] = await Promise.all([Promise.all(burst), healthy.queryCallState({ callSerialNo: SERIAL })]);
  assert.deepEqual(new Set(kinds), new Set(['auth']));
  assert.equal(state.stateName, 'ended');
  await healthyStillWorks();
});

test('a fetch that throws, rejects with a string or answers a non-Response: a network AiccError each', async () => {
  const realFetch = globalThis.fetch;
  const odd = [
    () => { throw new TypeError('fetch is broken'); },
    () => Promise.reject('offline'), // eslint-disable-line prefer-promise-reject-errors
    () => Promise.reject(undefined), // eslint-disable-line prefer-promise-reject-errors
    () => Promise.resolve({ status: 200, text: async () => '{}' }),
    () => 'not a promise',
  ];
  try {
    for (const [i, fetchLike] of odd.entries()) {
      globalThis.fetch = fetchLike;
      const c = new AiccClient({ baseUrl: sim.url, token: async () => 'tok', maxRetries: 0 });
      await assert.rejects(c.queryCallState({ callSerialNo: SERIAL }), (e) => e instanceof AiccError && e.kind === 'network', `case ${i}`);
      await assert.rejects(c.createCall({ caller: '88881', called: '13900000010' }), (e) => e.kind === 'network' && e.outcomeUnknown === true, `case ${i}`);
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  await healthyStillWorks();
});

test('the gateway passes on upstream statuses that have no body (204, 205, 304) without throwing', async () => {
  const gateway = createGateway({ clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorize: () => true, allowUnknownSerials: true });
  for (const status of [204, 205, 304]) {
    sim.fault({ path: PATHS.queryCallState, fault: `status:${status}`, times: 1 });
    const res = await gateway.fetch(
      new Request(`http://127.0.0.1/aicc${PATHS.queryCallState}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ callSerialNo: SERIAL }),
      }),
    );
    assert.equal(res.status, status);
    assert.equal(await res.text(), '');
  }
  // The same through toNodeListener, which writes the core's answer without a Response.
  const server = createServer(toNodeListener(gateway));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    for (const status of [204, 205, 304]) {
      sim.fault({ path: PATHS.queryCallState, fault: `status:${status}`, times: 1 });
      const res = await fetch(`http://127.0.0.1:${server.address().port}/aicc${PATHS.queryCallState}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ callSerialNo: SERIAL }),
      });
      assert.equal(res.status, status);
      assert.equal(await res.text(), '', `${status} through toNodeListener`);
    }
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a request whose getter or Proxy trap throws is a validation error naming "request"; nothing is sent', async () => {
  const throwingGetter = { get callSerialNo() { throw new Error('getter'); } };
  const throwingProxy = new Proxy({}, { ownKeys() { throw new Error('ownKeys'); } });
  const throwingGet = new Proxy({ callSerialNo: SERIAL }, { get() { throw new Error('get'); } });
  for (const request of [throwingGetter, throwingProxy, throwingGet]) {
    const before = sim.requests().length;
    await assert.rejects(healthy.queryCallState(request), (e) => e instanceof AiccError && e.kind === 'validation' && e.field === 'request' && /could not be read/.test(e.rule));
    await assert.rejects(healthy.createCall(request), (e) => e.kind === 'validation' && e.field === 'request' && !e.outcomeUnknown);
    assert.equal(sim.requests().length, before);
  }
  await healthyStillWorks();
});

test('request fields as JSON would keep them: undefined, functions and symbols left out; a nested object named by kind', async () => {
  const answer = await healthy.queryCallState({ callSerialNo: SERIAL, note: undefined, helper() {}, tag: Symbol('x') });
  assert.equal(answer.stateName, 'ended');
  await assert.rejects(healthy.queryCallState({ callSerialNo: { value: SERIAL } }), (e) => e.kind === 'validation' && e.field === 'callSerialNo');
  await assert.rejects(healthy.queryCallState({ callSerialNo: [SERIAL] }), (e) => e.kind === 'validation' && e.field === 'callSerialNo');
});

test('a BigInt field is read exactly: within 2^53 it is the number, beyond it refused as inexact, never rounded', async () => {
  const before = sim.requests().length;
  await assert.rejects(healthy.queryCallState({ callSerialNo: 645735364434067472n }), (e) => e.kind === 'validation' && e.field === 'callSerialNo' && /pass it as a string/.test(e.rule));
  await assert.rejects(healthy.queryCallState({ callSerialNo: 2n ** 70n }), (e) => e.kind === 'validation' && e.field === 'callSerialNo');
  assert.equal(sim.requests().length, before);
  const bodies = [];
  const capture = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ returnCode: '0', data: { callState: '4' } }));
    });
  });
  await new Promise((r) => capture.listen(0, '127.0.0.1', r));
  try {
    const c = new AiccClient({ baseUrl: `http://127.0.0.1:${capture.address().port}`, token: async () => 'tok' });
    await c.queryCallState({ callSerialNo: 1234567n }).catch(() => {});
    assert.ok(bodies.length > 0, 'it was sent');
    for (const body of bodies) assert.equal(body, '{"callSerialNo":"1234567"}', 'a BigInt within 2^53 is sent as its exact digits');
  } finally {
    await new Promise((r) => capture.close(r));
  }
});

test('a URL fetch would refuse (credentials in it, or a path with no page to resolve it) is refused before sending: never a network error, never an unknown outcome', async () => {
  const port = new URL(sim.url).port;
  const refused = (e) => e.kind === 'validation' && e.field === 'request' && /refused by fetch before sending/.test(e.rule) && !e.outcomeUnknown;
  const secretFree = (e) => !/pw-secret/.test(`${e.message} ${e.rule} ${e.stack}`);
  // The last one does not parse (its port is out of range): its credentials must not be echoed either.
  for (const baseUrl of [`http://user:pw-secret@127.0.0.1:${port}`, '/aicc', 'http://user:pw-secret@127.0.0.1:99999']) {
    const before = sim.requests().length;
    const c = new AiccClient({ baseUrl, token: async () => 'tok' });
    await assert.rejects(c.queryCallState({ callSerialNo: SERIAL }), (e) => refused(e) && secretFree(e), baseUrl);
    await assert.rejects(c.createCall({ caller: '88881', called: '13900000010' }), (e) => refused(e) && secretFree(e), baseUrl);
    await assert.rejects(c.queryCallState({ callSerialNo: SERIAL }), (e) => refused(e), `${baseUrl}, again: a refusal is not remembered as accepted`);
    assert.equal(sim.requests().length, before, baseUrl);
    c.free();
  }
});

test('fetch is called with the URL and an init, not a Request it would have to copy', async () => {
  const realFetch = globalThis.fetch;
  const seen = [];
  globalThis.fetch = (input, init) => {
    seen.push([typeof input, init?.method, init?.redirect]);
    return realFetch(input, init);
  };
  try {
    await healthyStillWorks();
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.ok(seen.length > 0);
  for (const call of seen) assert.deepEqual(call, ['string', 'POST', 'manual']);
});
