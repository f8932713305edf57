// client.placeCall: one call's life as a CallSession (async iterable and EventTarget), against the simulator
// with its 'poll' clock (each queryCallState moves the call one state, so every state is seen on any machine).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AiccError } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { serverClient, pairs } from './helpers.mjs';

let sim;
let still; // clock 'manual', never advanced: its calls stay in their first state
let client;
const pair = pairs(7000);
const FAST = { intervalMs: 100 };

before(async () => {
  sim = await startSimulator({ port: 0, clock: 'poll', speed: 20, log: () => {} });
  still = await startSimulator({ port: 0, clock: 'manual', log: () => {} });
  client = serverClient(sim, { timeoutMs: 8000 });
});
after(() => Promise.all([sim.close(), still.close()]));

const createCalls = (server, { caller, called }) =>
  server.calls().filter((c) => c.body?.caller === caller && c.body?.called === called).length;

async function updatesOf(session) {
  const updates = [];
  for await (const update of session) updates.push(update);
  return updates;
}

test('an answered call: placing, placed with its serial, each state, ended with its reason; events and iteration agree', async () => {
  const numbers = pair(0);
  const session = client.placeCall(numbers, FAST);
  const events = [];
  for (const type of ['placing', 'placed', 'state', 'ended', 'failed', 'stopped']) session.addEventListener(type, (e) => events.push(e.detail));
  const updates = await updatesOf(session);
  assert.deepEqual(updates.map((u) => u.type), ['placing', 'placed', 'state', 'state', 'state', 'state', 'ended']);
  assert.deepEqual(updates.filter((u) => u.type === 'state').map((u) => u.state.stateName), ['toBeCalled', 'calling', 'talking', 'ended']);
  assert.match(updates[1].callSerialNo, /^\d{18}$/);
  const ended = updates.at(-1);
  assert.equal(ended.state.state, 3);
  assert.equal(String(ended.state.reason.code), '0');
  assert.equal(ended.state.reason.name, updates.at(-2).state.reason.name);
  assert.deepEqual(events, updates, 'the events carry the same updates, in the same order');
  assert.equal(session.phase, 'ended');
  assert.equal(session.callSerialNo, updates[1].callSerialNo);
  assert.equal(await session.finished, ended);
  assert.equal(createCalls(sim, numbers), 1);
  // a late stop() changes nothing
  await session.stop();
  assert.equal(session.phase, 'ended');
});

test('a refused createCall fails with the AiccError; only a retryable refusal may be tried again', async () => {
  const refused = client.placeCall({ caller: '99999000', called: '13900000000' }, FAST); // caller 99999…: retCode 8
  const last = await refused.finished;
  assert.equal(last.type, 'failed');
  assert.ok(last.error instanceof AiccError);
  assert.equal(last.error.kind, 'api');
  assert.equal(last.mayTryAgain, last.error.retryable);
  assert.equal(refused.mayTryAgain, false);
  // A 503 in front of AICC: refused, retryable, outcome known.
  sim.fault({ path: PATHS.createCall, fault: 'status:503', times: 1 });
  const busy = client.placeCall(pair(0), FAST);
  const failed = await busy.finished;
  assert.deepEqual([failed.type, failed.error.status, failed.error.retryable, failed.mayTryAgain], ['failed', 503, true, true]);
});

test('invalid input fails before anything is sent: the request, and the watch options', async () => {
  const before = sim.requests().length;
  const bad = await client.placeCall({ caller: '88889050', called: 'x' }, FAST).finished;
  assert.deepEqual([bad.type, bad.error.kind, bad.error.field], ['failed', 'validation', 'called']);
  const badInterval = await client.placeCall(pair(0), { intervalMs: 5 }).finished;
  assert.deepEqual([badInterval.type, badInterval.error.kind, badInterval.error.field], ['failed', 'validation', 'intervalMs']);
  assert.equal(sim.requests().length, before, 'nothing was sent');
});

test('every option is checked before anything is sent, by the rules of the watch and resolveOutcome', async () => {
  const numbers = pair(0);
  const before = sim.requests().length;
  const refusals = [
    [{ maxWaitMs: -1 }, 'maxWaitMs', /maxWaitMs must be a non-negative whole number/],
    [{ maxWaitMs: 'soon' }, 'maxWaitMs', /maxWaitMs must be a non-negative whole number/],
    [{ maxWaitMs: 120_001 }, 'maxWaitMs', /maxWaitMs must be between 0 and 120000 milliseconds/],
    [{ intervalMs: 60_001 }, 'intervalMs', /intervalMs must be between 100 and 60000 milliseconds/],
    [{ signal: 'stop' }, 'signal', /signal must be an AbortSignal/],
    [{ maxWait: 1000 }, 'options', /unknown option "maxWait" of placeCall; did you mean "maxWaitMs"\?/],
  ];
  for (const [options, field, rule] of refusals) {
    const session = client.placeCall(numbers, options);
    const last = await session.finished;
    assert.deepEqual([last.type, last.error?.kind, last.error?.field, last.mayTryAgain], ['failed', 'validation', field, false], JSON.stringify(options));
    assert.ok(last.error instanceof AiccError);
    assert.match(last.error.message, rule);
    assert.deepEqual((await updatesOf(session)).map((u) => u.type), ['placing', 'failed']);
  }
  assert.equal(sim.requests().length, before, 'nothing was sent');
  assert.equal(createCalls(sim, numbers), 0, 'no createCall');
  // resolveOutcome refuses the same value with the same words
  const lost = { operation: 'createCall', outcomeUnknown: true, call: { ...numbers, sentAtMs: Date.now() } };
  const tooLong = (await client.placeCall(numbers, { maxWaitMs: 120_001 }).finished).error;
  await assert.rejects(client.resolveOutcome(lost, { maxWaitMs: 120_001 }), { field: 'maxWaitMs', message: tooLong.message });
  // the limits themselves pass
  const edge = await client.placeCall(numbers, { intervalMs: 100, maxWaitMs: 120_000, signal: new AbortController().signal }).finished;
  assert.equal(edge.type, 'ended');
  assert.equal(createCalls(sim, numbers), 1);
});

test('a lost answer (the call was placed): unknown, resolved as placed, then followed to its end, one createCall', async () => {
  const numbers = pair(0);
  sim.fault({ path: PATHS.createCall, fault: 'answer-lost', times: 1 });
  const updates = await updatesOf(client.placeCall(numbers, { ...FAST, maxWaitMs: 8000 }));
  assert.deepEqual(updates.slice(0, 4).map((u) => u.type), ['placing', 'unknown', 'resolved', 'placed']);
  assert.equal(updates[1].error.outcomeUnknown, true);
  assert.equal(updates[2].resolution.status, 'placed');
  assert.equal(updates[3].callSerialNo, updates[2].resolution.callSerialNo);
  assert.equal(updates.at(-1).type, 'ended');
  assert.equal(createCalls(sim, numbers), 1, 'the lost createCall is never sent again');
});

test('a dropped request (never reached AICC): unknown, resolved as not placed, one createCall attempt', async () => {
  const numbers = pair(0);
  sim.fault({ path: PATHS.createCall, fault: 'drop', times: 1 });
  const sent = sim.requests().filter((r) => r.path === PATHS.createCall).length;
  const updates = await updatesOf(client.placeCall(numbers, { ...FAST, maxWaitMs: 1500 }));
  assert.deepEqual(updates.map((u) => u.type), ['placing', 'unknown', 'resolved', 'notPlaced']);
  assert.deepEqual(updates.at(-1).resolution, { status: 'notPlaced' });
  assert.equal(sim.requests().filter((r) => r.path === PATHS.createCall).length, sent + 1, 'one createCall request');
  assert.equal(createCalls(sim, numbers), 1, 'received once, dropped unanswered');
});

test('stop() during a poll stops following at once; the call itself goes on', async () => {
  const stillClient = serverClient(still, { timeoutMs: 8000 });
  const session = stillClient.placeCall(pair(0), FAST);
  await new Promise((resolve) => session.addEventListener('state', resolve, { once: true }));
  const polls = still.requests().filter((r) => r.path === PATHS.queryCallState).length;
  still.fault({ path: PATHS.queryCallState, fault: 'hold', times: 1 });
  await still.waitForRequests(PATHS.queryCallState, polls + 1); // the watch's next poll, held
  await session.stop();
  assert.deepEqual([session.phase, (await session.finished).type], ['stopped', 'stopped']);
  assert.equal((await stillClient.queryCallState({ callSerialNo: session.callSerialNo })).stateName, 'toBeCalled', 'the call goes on');
  stillClient.free();
});

test('stop() while placing: the answer comes, nothing is followed; an aborted signal stops too', async () => {
  const stillClient = serverClient(still, { timeoutMs: 8000 });
  const numbers = pair(0);
  const session = stillClient.placeCall(numbers, FAST);
  session.stop();
  assert.deepEqual((await updatesOf(session)).map((u) => u.type), ['placing', 'stopped']);
  await still.waitForRequests(PATHS.createCall, 1);
  const ac = new AbortController();
  ac.abort();
  const aborted = await stillClient.placeCall(pair(0), { ...FAST, signal: ac.signal }).finished;
  assert.equal(aborted.type, 'stopped');
  stillClient.free();
});

test('breaking out of a for-await loop stops the session', async () => {
  const stillClient = serverClient(still, { timeoutMs: 8000 });
  const session = stillClient.placeCall(pair(0), FAST);
  for await (const update of session) if (update.type === 'placed') break;
  assert.equal((await session.finished).type, 'stopped');
  stillClient.free();
});

test('a session never sends two createCalls: stop, iteration and events twice over', async () => {
  const numbers = pair(0);
  const sent = sim.requests().filter((r) => r.path === PATHS.createCall).length;
  const session = client.placeCall(numbers, FAST);
  const [a, b] = [updatesOf(session), updatesOf(session)];
  session.stop();
  session.stop();
  assert.deepEqual((await a).map((u) => u.type), ['placing', 'stopped']);
  assert.deepEqual(await b, await a);
  await sim.waitForRequests(PATHS.createCall, sent + 1); // stop() stops following, not the call: it is sent
  const other = client.placeCall(pair(0), FAST); // the next call is another session's
  await other.finished;
  assert.equal(createCalls(sim, numbers), 1);
  assert.equal(sim.requests().filter((r) => r.path === PATHS.createCall).length, sent + 2);
});

test("importing 'aicc-call/widget' where there are no custom elements (server-side rendering) defines nothing and throws nothing", async () => {
  await import('aicc-call/widget');
  assert.equal(typeof globalThis.customElements, 'undefined');
});
