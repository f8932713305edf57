// watchCall's limits: one abort listener per watch (removed at its end), an abort during a poll ends it at
// once, timeoutMs bounds the whole watch, an unreadable answer is retried, and an unknown serial is tolerated
// only for the grace period after the watch starts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { AiccError } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { serverClient, pairs } from './helpers.mjs';

const SERIAL = '645735364434067472'; // seeded: an ended call
let sim;
let still; // clock 'manual', never advanced: its calls never leave their first state
let client;
const pair = pairs(8000);

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  still = await startSimulator({ port: 0, clock: 'manual', log: () => {} });
  client = serverClient(sim, { timeoutMs: 8000 });
});
after(() => Promise.all([sim.close(), still.close()]));

const drain = async (watch) => {
  const states = [];
  for await (const s of watch) states.push(s.stateName);
  return states;
};

test('20 finished watches on one app-wide signal leave no listener on it and no warning', async () => {
  const app = new AbortController();
  const warnings = [];
  const onWarning = (w) => warnings.push(w.name);
  process.on('warning', onWarning);
  try {
    for (let i = 0; i < 20; i += 1) {
      assert.deepEqual(await drain(client.watchCall(SERIAL, { intervalMs: 100, signal: app.signal })), ['ended']);
    }
    const placed = await client.createCall(pair(0));
    const states = await drain(client.watchCall(placed.callSerialNo, { intervalMs: 100, signal: app.signal }));
    assert.equal(states.at(-1), 'ended');
    assert.equal(getEventListeners(app.signal, 'abort').length, 0);
    const stopped = client.watchCall(placed.callSerialNo, { intervalMs: 100, signal: app.signal });
    await stopped.next();
    await stopped.return();
    assert.equal(getEventListeners(app.signal, 'abort').length, 0, 'return() removes it too');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings, []);
  } finally {
    process.off('warning', onWarning);
  }
});

test('an abort during a poll ends the watch as done, without waiting for the answer', async () => {
  // On the simulator whose clock stands still, so the call cannot end before the held poll.
  const stillClient = serverClient(still, { timeoutMs: 8000 });
  const placed = await stillClient.createCall(pair(0));
  const ac = new AbortController();
  const watch = stillClient.watchCall(placed.callSerialNo, { intervalMs: 100, signal: ac.signal });
  assert.equal((await watch.next()).done, false);
  const answered = still.requests().filter((r) => r.path === PATHS.queryCallState).length;
  // The next poll is held: never answered, so only the abort can end it before the client's 8 s timeout.
  still.fault({ path: PATHS.queryCallState, fault: 'hold', times: 1 });
  const pending = watch.next();
  await still.waitForRequests(PATHS.queryCallState, answered + 1); // the poll is held by the simulator now
  const started = Date.now();
  ac.abort();
  assert.deepEqual(await pending, { value: undefined, done: true });
  assert.ok(Date.now() - started < 3000, 'ended at once, not at the client timeout (8 s)');
  assert.deepEqual(await watch.next(), { value: undefined, done: true });
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
});

test('timeoutMs bounds the whole watch: a timeout error that is not retryable', async () => {
  // On the simulator whose clock stands still the call never ends, so only timeoutMs can end the watch.
  const stillClient = serverClient(still, { timeoutMs: 8000 });
  const placed = await stillClient.createCall(pair(0));
  const watch = stillClient.watchCall(placed.callSerialNo, { intervalMs: 100, timeoutMs: 150 });
  const error = await drain(watch).then(() => null, (e) => e);
  assert.ok(error instanceof AiccError, String(error));
  assert.equal(error.kind, 'timeout');
  assert.equal(error.retryable, false);
  assert.match(error.message, /timeoutMs \(150 ms\)/);
  assert.throws(() => client.watchCall(SERIAL, { timeoutMs: 0 }), (e) => e.kind === 'validation' && e.field === 'timeoutMs');
});

test('an unreadable answer during a watch is retried, and the watch goes on', async () => {
  const placed = await client.createCall(pair(0));
  sim.fault({ path: PATHS.queryCallState, fault: 'malformed', times: 1 });
  sim.fault({ path: PATHS.queryCallState, fault: 'empty', times: 1 });
  const states = await drain(client.watchCall(placed.callSerialNo, { intervalMs: 100 }));
  assert.equal(states.at(-1), 'ended');
});

test('an unknown serial: not retryable, tolerated by a watch only for its grace period', { timeout: 20000 }, async () => {
  const unknown = '123456789012345678';
  const direct = await client.queryCallState({ callSerialNo: unknown }).catch((e) => e);
  assert.equal(direct.retCode, '1');
  assert.equal(direct.retryable, false);
  assert.equal(direct.attempts, 1);
  const started = Date.now();
  const error = await drain(client.watchCall(unknown, { intervalMs: 500 })).then(() => null, (e) => e);
  assert.equal(error?.retCode, '1');
  assert.equal(error.retryable, false);
  const waited = Date.now() - started;
  assert.ok(waited >= 5000 && waited < 12000, `ended after the 5 s grace period (${waited} ms)`);
});

test('free(): a freed watch is done, a freed client re-creates itself at its next call', async () => {
  const c = serverClient(sim);
  const watch = c.watchCall(SERIAL, { intervalMs: 100 });
  watch.free();
  assert.deepEqual(await watch.next(), { value: undefined, done: true });
  c.free();
  assert.equal((await c.queryCallState({ callSerialNo: SERIAL })).stateName, 'ended');
  const scoped = serverClient(sim);
  assert.equal(typeof scoped[Symbol.dispose], 'function', '`using` frees it at the end of a block');
  scoped[Symbol.dispose]();
  assert.equal((await scoped.queryCallState({ callSerialNo: SERIAL })).stateName, 'ended');
});

test('finished watches free their state at once: 3000 of them leave the wasm memory where it was', async () => {
  const glue = await import('../../../pkg/full/aicc_call.js');
  const pages = () => glue.initSync().memory.buffer.byteLength / 65536;
  const c = serverClient(sim);
  for (let i = 0; i < 200; i += 1) await drain(c.watchCall(SERIAL, { intervalMs: 100 })); // warm up
  const before = pages();
  for (let i = 0; i < 3000; i += 1) await drain(c.watchCall(SERIAL, { intervalMs: 100 }));
  for (let i = 0; i < 500; i += 1) {
    const w = c.watchCall(SERIAL, { intervalMs: 100 });
    await w.return();
  }
  assert.ok(pages() - before <= 1, `wasm memory went from ${before} to ${pages()} pages`);
});
