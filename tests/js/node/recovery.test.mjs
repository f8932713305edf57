// After a trap (a panic in the wasm, which kills its instance) every operation in flight settles with an
// AiccError of kind 'internal', and the next call, on any client or gateway, works on a fresh instance.
// Runs the test-only build pkg/trap, whose exports trap on purpose.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { AiccClient, AiccError, createGateway, trapNow, trapLater } from '../trap/entry-node.mjs';
import { CREDENTIALS, pairs } from './helpers.mjs';

const SERIAL = '645735364434067472'; // seeded: an ended call
let sim;
let client;
let other;
let gateway;
const pair = pairs(7000);
const sent = (path) => sim.requests().filter((r) => r.path === path).length;

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  client = new AiccClient({ baseUrl: sim.url, credentials: CREDENTIALS, timeoutMs: 5000 });
  other = new AiccClient({ baseUrl: sim.url, credentials: CREDENTIALS });
  gateway = createGateway({ client, authorize: () => ({ allow: true, agentWorkNo: '1001' }), allowUnknownSerials: true });
});
after(() => sim.close());

async function everythingWorks() {
  assert.equal((await client.queryCallState({ callSerialNo: SERIAL })).stateName, 'ended');
  assert.equal((await other.queryCallState({ callSerialNo: SERIAL })).stateName, 'ended');
  const placed = await client.createCall(pair());
  assert.match(placed.callSerialNo, /^\d+$/);
  const res = await gateway.fetch(
    new Request(`http://127.0.0.1/aicc${PATHS.queryCallState}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ callSerialNo: SERIAL }),
    }),
  );
  assert.equal(res.status, 200);
}

function assertInternal(error, operation) {
  assert.ok(error instanceof AiccError, String(error));
  assert.equal(error.kind, 'internal');
  assert.equal(error.operation, operation);
}

test('a trap inside an async task settles the operations in flight and the next calls work', async () => {
  await everythingWorks();
  // Held (never answered): they are still in flight when the trap comes, however slow the machine.
  sim.fault({ path: PATHS.queryCallState, fault: 'hold', times: 1 });
  sim.fault({ path: PATHS.getCalledInfo, fault: 'hold', times: 1 });
  const watching = client.watchCall(SERIAL, { intervalMs: 100 });
  const [queries, lookups] = [sent(PATHS.queryCallState), sent(PATHS.getCalledInfo)];
  const inFlight = [client.queryCallState({ callSerialNo: SERIAL }), other.getCalledInfo({ caller: '1', called: '6666601' })];
  // The trap comes once the simulator holds both requests.
  await Promise.all([sim.waitForRequests(PATHS.queryCallState, queries + 1), sim.waitForRequests(PATHS.getCalledInfo, lookups + 1)]);
  const [query, lookup, trap] = await Promise.allSettled([...inFlight, trapLater(0)]);
  assertInternal(query.reason, 'queryCallState');
  assertInternal(lookup.reason, 'getCalledInfo');
  assertInternal(trap.reason, 'test');
  await assert.rejects(watching.next(), (e) => e instanceof AiccError && e.kind === 'internal', 'a watch of the dead instance ends');
  await everythingWorks();
});

test('a createCall in flight during a trap says its outcome is unknown', async () => {
  sim.fault({ path: PATHS.createCall, fault: 'hold', times: 1 }); // in flight until the trap
  const placing = client.createCall(pair());
  await sim.waitForRequests(PATHS.createCall, sent(PATHS.createCall) + 1); // sent, and held
  const [placed] = await Promise.allSettled([placing, trapLater(0)]);
  assertInternal(placed.reason, 'createCall');
  assert.equal(placed.reason.outcomeUnknown, true);
  assert.equal(placed.reason.retryable, false);
  await everythingWorks();
});

test('a trap inside a synchronous call throws an internal AiccError and the next call works', async () => {
  assert.throws(trapNow, (e) => e instanceof AiccError && e.kind === 'internal');
  await everythingWorks();
});

test('300 traps in a row leave every client and the gateway working', async () => {
  for (let i = 0; i < 150; i += 1) {
    assert.throws(trapNow, (e) => e.kind === 'internal');
    await assert.rejects(trapLater(0), (e) => e.kind === 'internal');
  }
  await everythingWorks();
});
