// queryCallDetailRecord, and resolveOutcome: a createCall whose answer was lost is looked up in the call
// records. A placed call is found with its serial; one that never reached AICC is "notPlaced".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AiccError, createGateway } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { serverClient, pairs, CREDENTIALS } from './helpers.mjs';

let sim;
let client;
const pair = pairs(9500);

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  client = serverClient(sim, { timeoutMs: 10_000 }); // ample for every answer; the held createCall gets its own
});
after(() => sim.close());

async function lostCall(fault, options) {
  const { caller, called } = pair(0);
  sim.fault({ path: PATHS.createCall, fault, times: 1 });
  const error = await client.createCall({ caller, called }, options).catch((e) => e);
  assert.ok(error instanceof AiccError, String(error));
  return { caller, called, error };
}

const placedSerial = (caller, called) => sim.calls().filter((c) => c.body?.caller === caller && c.body?.called === called).length;

test('queryCallDetailRecord lists the calls of a window, a page at a time, with exact serials', async () => {
  const { caller, called } = pair(0);
  const placed = await client.createCall({ caller, called });
  const now = Date.now();
  const records = await client.queryCallDetailRecord({ startTime: now - 60_000, endTime: now + 60_000, caller, limit: 10 });
  assert.equal(records.total, 1);
  assert.equal(records.callInfo[0].callSerialNo, placed.callSerialNo);
  assert.equal(records.callInfo[0].called, called);
  await assert.rejects(client.queryCallDetailRecord({ startTime: 0, endTime: 8 * 24 * 3600 * 1000 }), (e) => e.kind === 'validation' && e.field === 'endTime');
  // retCode 1 ("no data") is a list with nothing in it, not an error.
  assert.deepEqual(await client.queryCallDetailRecord({ startTime: 1, endTime: 2 }), { total: 0, callInfo: [] });
});

test('the answer was lost (the call was placed, then the connection dropped): placed, with the right serial', async () => {
  const { caller, called, error } = await lostCall('answer-lost');
  assert.equal(error.outcomeUnknown, true);
  assert.deepEqual([error.call.caller, error.call.called], [caller, called]);
  assert.equal(placedSerial(caller, called), 1);
  const resolution = await client.resolveOutcome(error, { maxWaitMs: 5000 });
  assert.equal(resolution.status, 'placed');
  const state = await client.queryCallState({ callSerialNo: resolution.callSerialNo });
  assert.deepEqual([state.caller, state.called], [caller, called]);
});

test('an answer slower than the timeout: placed, with the right serial', async () => {
  // hold: the call is placed and the answer never comes, so the 400 ms timeout is reached on any machine.
  const { caller, called, error } = await lostCall('hold', { timeoutMs: 400 });
  assert.equal(error.kind, 'timeout');
  const resolution = await client.resolveOutcome(error, { maxWaitMs: 8000 });
  assert.equal(resolution.status, 'placed');
  const state = await client.queryCallState({ callSerialNo: resolution.callSerialNo });
  assert.deepEqual([state.caller, state.called], [caller, called]);
});

test('the request was lost (dropped before AICC handled it): not placed', async () => {
  const { error } = await lostCall('drop');
  assert.equal(error.outcomeUnknown, true);
  assert.deepEqual(await client.resolveOutcome(error, { maxWaitMs: 1500 }), { status: 'notPlaced' });
});

test('a refusal before AICC (a 503 in front of it): not placed', async () => {
  const { caller, called } = pair(0);
  sim.fault({ path: PATHS.createCall, fault: 'status:502', times: 1 });
  const error = await client.createCall({ caller, called }).catch((e) => e);
  assert.equal(error.outcomeUnknown, true, '502: a gateway gave up, so the outcome is unknown');
  assert.deepEqual(await client.resolveOutcome(error, { maxWaitMs: 1500 }), { status: 'notPlaced' });
  sim.fault({ path: PATHS.createCall, fault: 'status:503', times: 1 });
  const refused = await client.createCall(pair(0)).catch((e) => e);
  assert.equal(refused.outcomeUnknown, undefined, '503: refused, so known');
  // A createCall whose outcome is known was not placed: answered at once, without a lookup.
  const lookups = sim.requests().filter((r) => r.path === PATHS.queryCallDetailRecord).length;
  assert.deepEqual(await client.resolveOutcome(refused), { status: 'notPlaced' });
  const invalid = await client.createCall({ caller: '', called: '1' }).catch((e) => e);
  assert.equal(invalid.kind, 'validation');
  assert.deepEqual(await client.resolveOutcome(invalid), { status: 'notPlaced' }, 'never sent');
  assert.equal(sim.requests().filter((r) => r.path === PATHS.queryCallDetailRecord).length, lookups, 'no lookup');
  // Only an error of another operation cannot be resolved.
  const query = await client.queryCallState({ callSerialNo: '' }).catch((e) => e);
  await assert.rejects(client.resolveOutcome(query), (e) => e.kind === 'validation' && e.field === 'error' && /createCall/.test(e.message));
});

test('records that cannot be read: unknown', async () => {
  const { error } = await lostCall('drop');
  sim.fault({ path: PATHS.queryCallDetailRecord, fault: 'status:403', times: 10 });
  assert.deepEqual(await client.resolveOutcome(error, { maxWaitMs: 1200 }), { status: 'unknown' });
});

test('through a gateway, queryCallDetailRecord needs a caller of the session', async () => {
  sim.reset();
  const gateway = createGateway({ clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorize: () => ({ callers: ['88881'] }) });
  const ask = (body) =>
    gateway.fetch(new Request(`http://127.0.0.1/aicc${PATHS.queryCallDetailRecord}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
  const window = { startTime: String(Date.now() - 60_000), endTime: String(Date.now()) };
  assert.equal((await ask(window)).status, 403, 'no caller: every agent\'s calls');
  assert.equal((await ask({ ...window, caller: '88882' })).status, 403, 'another agent');
  assert.equal((await ask({ ...window, caller: '88881' })).status, 200);
});
