// Each injected fault maps to the right error kind, retryable flag and attempt count; queries retry what is safe,
// createCall is never retried and reports outcomeUnknown when the call may have been placed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { AiccClient, AiccError } from 'aicc-call';
import { serverClient, pairs } from './helpers.mjs';

// `hold` is never answered, so a request under it times out on any machine; each such call is given a short
// timeout of its own (TIMEOUT_MS), while every other request has the client's generous one.
const TIMEOUT_MS = 300;
const TIMED = { timeoutMs: TIMEOUT_MS };
const MAX_RETRIES = 2;
let sim;
let client;
const pair = pairs(2000);
const count = (path) => sim.requests().filter((r) => r.path === path).length;

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  client = serverClient(sim, { timeoutMs: 10_000, maxRetries: MAX_RETRIES });
  await client.getCalledInfo({ caller: 1, called: 6666601 }); // fetch the token once, outside the counts
});
after(() => sim.close());

/** Clears the simulator (calls, faults, tokens) and lets the client fetch its token again, outside any count. */
async function freshSim() {
  await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
  await client.getCalledInfo({ caller: 1, called: 6666601 }); // 401, one refresh, success
}

const query = (options) => client.getCalledInfo({ caller: 8888888, called: 6666601 }, options);

/** Injects `fault` on `path` `times` times, runs `fn`, and returns its error and how many requests reached `path`. */
async function failWith(path, fault, times, fn) {
  sim.fault({ path, fault, times });
  const before = count(path);
  let error;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected ${fault} to fail`);
  assert.ok(error instanceof AiccError, String(error));
  return { error, sent: count(path) - before };
}

const RETRIED = [
  ['status:502', 'http', 502],
  ['status:503', 'http', 503],
  ['status:504', 'http', 504],
  ['status:429', 'http', 429],
  ['html', 'http', 502],
  ['hold', 'timeout', undefined],
  ['drop', 'network', undefined],
  ['malformed', 'decode', 200],
  ['empty', 'decode', 200],
];
for (const [fault, kind, status] of RETRIED) {
  test(`query + ${fault}: kind "${kind}", retried, attempts = 1 + maxRetries`, async () => {
    const n = 1 + MAX_RETRIES;
    const { error, sent } = await failWith(PATHS.getCalledInfo, fault, n, () => query(fault === 'hold' ? TIMED : undefined));
    assert.equal(error.kind, kind);
    assert.equal(error.operation, 'getCalledInfo');
    assert.equal(error.status, status);
    assert.equal(error.retryable, true);
    assert.equal(error.attempts, n);
    assert.equal(sent, n);
    assert.equal(error.outcomeUnknown, undefined);
  });
}

const NOT_RETRIED = [
  ['status:500', 'http', 500],
  ['status:400', 'http', 400],
  ['status:404', 'http', 404],
  ['status:403', 'auth', 403],
];
for (const [fault, kind, status] of NOT_RETRIED) {
  test(`query + ${fault}: kind "${kind}", not retried`, async () => {
    // One fault only: were it retried, the second attempt would succeed and no error would be thrown.
    const { error, sent } = await failWith(PATHS.getCalledInfo, fault, 1, query);
    assert.equal(error.kind, kind);
    assert.equal(error.status, status);
    assert.equal(error.retryable, false);
    assert.equal(error.attempts, 1);
    assert.equal(sent, 1);
  });
}

test('a fault that happens once is recovered by the retry (queries)', async () => {
  for (const fault of ['status:503', 'drop', 'hold', 'status:429', 'html', 'malformed', 'empty']) {
    sim.fault({ path: PATHS.queryCallState, fault, times: 1 });
    const before = count(PATHS.queryCallState);
    // The held attempt times out; the retry that follows has the same 1 s, ample for an answer.
    const s = await client.queryCallState({ callSerialNo: '645735364434067472' }, fault === 'hold' ? { timeoutMs: 1000 } : undefined);
    assert.equal(s.stateName, 'ended', fault);
    assert.equal(count(PATHS.queryCallState) - before, 2, fault);
  }
});

test('the CMS query retries too (C2 signature made afresh per attempt)', async () => {
  sim.fault({ path: PATHS.queryBasicCallInfo, fault: 'status:502', times: 1 });
  const before = count(PATHS.queryBasicCallInfo);
  const info = await client.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1453723531-574' });
  assert.equal(info.callingNum, '88881364');
  assert.equal(count(PATHS.queryBasicCallInfo) - before, 2);
});

test('expire-token on a query: survived with exactly one extra token fetch', async () => {
  const tokens = count(PATHS.token);
  sim.fault({ path: PATHS.queryCallState, fault: 'expire-token', times: 1 });
  const before = count(PATHS.queryCallState);
  const s = await client.queryCallState({ callSerialNo: '645735364434067472' });
  assert.equal(s.state, 3);
  assert.equal(count(PATHS.token) - tokens, 1);
  assert.equal(count(PATHS.queryCallState) - before, 2);
});

test('a 401 twice in a row is an auth error after one refresh (no loop)', async () => {
  const tokens = count(PATHS.token);
  const { error, sent } = await failWith(PATHS.queryCallState, 'status:401', 2, () => client.queryCallState({ callSerialNo: '1' }));
  assert.equal(error.kind, 'auth');
  assert.equal(error.status, 401);
  assert.equal(sent, 2);
  assert.equal(count(PATHS.token) - tokens, 1);
});

for (const [fault, kind] of [['drop', 'network'], ['hold', 'timeout']]) {
  test(`createCall + ${fault}: never retried, ONE request, outcomeUnknown`, async () => {
    const calls = sim.calls().length;
    // One fault only: a retry would succeed, place the call, and show up as a second recorded createCall.
    const { error, sent } = await failWith(PATHS.createCall, fault, 1, () => client.createCall(pair(), fault === 'hold' ? TIMED : undefined));
    assert.equal(error.kind, kind);
    assert.equal(error.operation, 'createCall');
    assert.equal(error.outcomeUnknown, true);
    assert.equal(error.retryable, false);
    assert.equal(error.attempts, 1);
    assert.match(error.message, /may or may not have been placed/);
    assert.equal(sent, 1);
    assert.equal(sim.calls().length - calls, 1);
  });
}

test('createCall + drop: GET /__sim/calls shows exactly one request', async () => {
  await freshSim();
  sim.fault({ path: PATHS.createCall, fault: 'drop', times: 3 });
  const p = pair();
  await assert.rejects(client.createCall(p), (e) => e.kind === 'network' && e.outcomeUnknown === true && e.retryable === false);
  const calls = await (await fetch(`${sim.url}/__sim/calls`)).json();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].body.called, p.called);
  assert.equal(calls[0].fault, 'drop');
  await freshSim(); // drop the two unused faults
});

test('createCall + no answer within timeoutMs (hold): GET /__sim/calls shows exactly one request', async () => {
  await freshSim();
  sim.fault({ path: PATHS.createCall, fault: 'hold', times: 3 });
  await assert.rejects(client.createCall(pair(), TIMED), (e) => e.kind === 'timeout' && e.outcomeUnknown === true && e.retryable === false && e.attempts === 1);
  const calls = await (await fetch(`${sim.url}/__sim/calls`)).json();
  assert.equal(calls.length, 1);
  await freshSim();
});

for (const [fault, kind, status, unknown] of [
  ['status:502', 'http', 502, true],
  ['status:504', 'http', 504, true],
  ['status:503', 'http', 503, undefined],
  ['status:429', 'http', 429, undefined],
  ['malformed', 'decode', 200, true],
  ['status:500', 'http', 500, undefined],
]) {
  test(`createCall + ${fault}: one request, outcomeUnknown ${unknown ?? 'absent'}`, async () => {
    const { error, sent } = await failWith(PATHS.createCall, fault, 1, () => client.createCall(pair()));
    assert.equal(error.kind, kind);
    assert.equal(error.status, status);
    assert.equal(sent, 1);
    assert.equal(error.attempts, 1);
    assert.equal(error.outcomeUnknown, unknown);
    if (unknown) assert.equal(error.retryable, false);
  });
}

test('createCall + expire-token: a 401 is refused unread, so it is resent once after a refresh', async () => {
  await client.getCalledInfo({ caller: 1, called: 6666601 });
  const tokens = count(PATHS.token);
  sim.fault({ path: PATHS.createCall, fault: 'expire-token', times: 1 });
  const before = sim.calls().length;
  const placed = await client.createCall(pair());
  assert.match(placed.callSerialNo, /^\d{18}$/);
  assert.equal(sim.calls().length - before, 2);
  assert.equal(count(PATHS.token) - tokens, 1);
});

test('the token endpoint failing: the operation reports it, without a createCall being sent', async () => {
  const fresh = new AiccClient({ baseUrl: sim.url, credentials: { appKey: 'demo-app-key', appSecret: 'demo-app-secret' }, timeoutMs: 10_000, maxRetries: 1 });
  sim.fault({ path: PATHS.token, fault: 'status:503', times: 2 });
  const calls = sim.calls().length;
  await assert.rejects(fresh.createCall(pair()), (e) => {
    assert.equal(e.kind, 'http');
    assert.equal(e.status, 503);
    assert.equal(e.operation, 'createCall');
    assert.equal(e.outcomeUnknown, undefined, 'nothing was sent: the outcome is known');
    return true;
  });
  assert.equal(sim.calls().length, calls);
});
