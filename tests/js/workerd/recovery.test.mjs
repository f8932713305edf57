// Inside workerd too, a trap settles what was in flight with an 'internal' AiccError and the next call, on
// the same client and gateway, works (a test worker over pkg/trap, whose exports trap on purpose).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { AiccClient, AiccError } from 'aicc-call';
import { startWorker, APP_KEY, APP_SECRET } from './helpers.mjs';

let sim;
let worker;

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  worker = await startWorker({
    config: 'tests/js/workerd/trap-worker/wrangler.toml',
    bindings: { AICC_BASE_URL: sim.url, AICC_APP_KEY: APP_KEY, AICC_APP_SECRET: APP_SECRET },
  });
});
after(async () => {
  await worker?.close();
  await sim?.close();
});

const get = async (path) => (await fetch(`${worker.url}${path}`)).json();

async function everythingWorks() {
  assert.deepEqual(await get('/state'), { stateName: 'ended' });
  assert.deepEqual(await get('/gateway'), { status: 200 });
}

test('a trap in an async task settles the query in flight; the next calls work', async () => {
  await everythingWorks();
  sim.fault({ path: PATHS.queryCallState, fault: 'hold', times: 1 }); // never answered: in flight when the trap comes
  assert.deepEqual(await get('/trap-in-flight'), {
    query: { kind: 'internal', operation: 'queryCallState' },
    trap: { kind: 'internal', operation: 'test' },
  });
  await everythingWorks();
});

test('a trap in a synchronous call is an internal AiccError; the next calls work', async () => {
  for (let i = 0; i < 20; i += 1) assert.deepEqual(await get('/trap-now'), { kind: 'internal' });
  await everythingWorks();
});

test('a trap while the gateway forwards a createCall is outcome-unknown for the page, never a plain 500', async () => {
  const placed = sim.calls().length;
  // Held (never answered) at AICC when the trap comes 1.5 s later: over 10x what reaching AICC takes.
  sim.fault({ path: PATHS.createCall, fault: 'hold', times: 1 });
  const page = new AiccClient({ baseUrl: `${worker.url}/aicc`, headers: { 'X-Trap-After-Ms': '1500' }, maxRetries: 0, timeoutMs: 30_000 });
  const error = await page.createCall({ caller: '88889050', called: '13900007770' }).catch((e) => e);
  assert.ok(error instanceof AiccError, String(error));
  assert.equal(error.status, 502, error.message);
  assert.equal(error.outcomeUnknown, true, 'the page must check before placing it again');
  assert.equal(error.retryable, false);
  assert.equal(sim.calls().length, placed + 1, 'the createCall had reached AICC');
  await everythingWorks();
});
