// The client runs inside workerd too: a test worker (client-worker/) imports { AiccClient, AiccError } from
// 'aicc-call' (resolved to the package's workerd entry, wasm as a compiled module), places calls with its own
// credentials against the simulator and watches them to "ended"; its errors are real AiccError instances.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { startWorker, APP_KEY, APP_SECRET, pairs } from './helpers.mjs';

let sim;
let worker;
const pair = pairs(3000);

before(async () => {
  // clock 'poll': each queryCallState about a call answers its next state, so the worker's 100 ms watch sees every
  // state of each call, whatever the load on the machine.
  sim = await startSimulator({ port: 0, speed: 4, clock: 'poll', log: () => {} });
  worker = await startWorker({
    config: 'tests/js/workerd/client-worker/wrangler.toml',
    bindings: { AICC_BASE_URL: sim.url, AICC_APP_KEY: APP_KEY, AICC_APP_SECRET: APP_SECRET },
  });
});
after(async () => {
  await worker?.close();
  await sim?.close();
});

async function placeAndWatch(lastDigit) {
  const { caller, called } = pair(lastDigit);
  const res = await fetch(`${worker.url}/call`, { method: 'POST', body: JSON.stringify({ caller, called, intervalMs: 100 }) });
  assert.equal(res.status, 200);
  const out = await res.json();
  assert.equal(out.thrown, undefined, `the worker threw: ${JSON.stringify(out)}`);
  return { caller, called, out };
}

// The simulator's last-digit table: digit -> [reasonCode, answered (goes through "talking")].
const TABLE = { 0: ['0', true], 1: ['1', true], 5: ['5', false], 7: ['17', false] };

test('placeCall + watchCall inside workerd follow the simulator outcome table', async () => {
  const results = await Promise.all(Object.keys(TABLE).map((d) => placeAndWatch(Number(d))));
  for (const { caller, called, out } of results) {
    const digit = called.at(-1);
    const [code, answered] = TABLE[digit];
    assert.match(out.callSerialNo, /^\d{18}$/, 'the serial comes back as an exact 18-digit string');
    const expected = answered ? ['toBeCalled', 'calling', 'talking', 'ended'] : ['toBeCalled', 'calling', 'ended'];
    assert.deepEqual(out.states, expected, `states for a called number ending in ${digit}`);
    assert.equal(out.reason?.code, code, `reason code for a called number ending in ${digit}`);
    assert.equal(typeof out.reason.name, 'string');
    assert.equal(out.last.state, 3);
    assert.equal(out.last.caller, caller);
    assert.equal(out.last.called, called);
    const rec = sim.calls().find((c) => c.body?.called === called);
    assert.ok(rec, 'the simulator received the createCall');
    assert.equal(rec.body.caller, caller);
    assert.equal(rec.retCode, '0');
    assert.equal(rec.headers['x-app-key'], APP_KEY);
  }
  // One worker isolate, one client per request: each request fetched its own token (no secret in any answer).
  assert.ok(sim.requests().some((r) => r.path === PATHS.token));
  for (const { out } of results) assert.doesNotMatch(JSON.stringify(out), new RegExp(APP_SECRET));
});

test('a validation error inside workerd is an AiccError naming the field, and nothing is sent', async () => {
  const before = sim.requests().length;
  const res = await fetch(`${worker.url}/invalid`);
  assert.equal(res.status, 200);
  const out = await res.json();
  assert.equal(out.thrown, true);
  assert.equal(out.isAiccError, true, 'e instanceof AiccError holds in workerd');
  assert.equal(out.isError, true, 'and it is an Error');
  assert.equal(out.kind, 'validation');
  assert.equal(out.field, 'callerPresent');
  assert.equal(out.operation, 'createCall');
  assert.equal(sim.requests().length, before, 'refused before any network I/O');
});

test('placeCall inside workerd: the session (EventTarget and async iterable) follows a call to its end', async () => {
  const { caller, called } = pair(0);
  const res = await fetch(`${worker.url}/session`, { method: 'POST', body: JSON.stringify({ caller, called }) });
  const out = await res.json();
  assert.equal(out.thrown, undefined, `the worker threw: ${JSON.stringify(out)}`);
  assert.deepEqual(out.types, ['placing', 'placed', 'state', 'state', 'state', 'state', 'ended']);
  assert.deepEqual(out.events, out.types);
  assert.equal(out.phase, 'ended');
  assert.match(out.callSerialNo, /^\d{18}$/);
  assert.equal(sim.calls().filter((c) => c.body?.called === called).length, 1);
});
