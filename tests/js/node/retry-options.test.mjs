// The retry policy as options: retry: { maxRetries, baseDelayMs, maxDelayMs }, and the onRetry hook that is
// told about every retry, with the error but never a secret.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { AiccError } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { serverClient, pairs, CREDENTIALS, CMS_CREDENTIALS } from './helpers.mjs';

const SERIAL = '645735364434067472';
let sim;
const pair = pairs(9000);

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
});
beforeEach(() => sim.reset());
after(() => sim.close());

test('onRetry is told about each retry of a query and of the token fetch, with the wait and the error', async () => {
  const events = [];
  const client = serverClient(sim, { retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 }, onRetry: (e) => events.push(e) });
  sim.fault({ path: PATHS.token, fault: 'status:503', times: 1 });
  sim.fault({ path: PATHS.queryCallState, fault: 'status:502', times: 2 });
  assert.equal((await client.queryCallState({ callSerialNo: SERIAL })).stateName, 'ended');
  assert.deepEqual(events.map((e) => [e.operation, e.attempt, e.error.status]), [['tokenByAkSk', 1, 503], ['queryCallState', 1, 502], ['queryCallState', 2, 502]]);
  for (const e of events) {
    assert.ok(e.error instanceof AiccError);
    assert.ok(e.delayMs >= 0 && e.delayMs <= 20, `delay within maxDelayMs: ${e.delayMs}`);
    assert.doesNotMatch(JSON.stringify(e.error) + e.error.message, new RegExp(CREDENTIALS.appSecret));
  }
});

test('maxRetries in retry bounds the attempts; createCall is never retried and onRetry not called for it', async () => {
  const events = [];
  const client = serverClient(sim, { retry: { maxRetries: 1, baseDelayMs: 1 }, onRetry: (e) => events.push(e.operation) });
  await client.getCalledInfo({ caller: '1', called: '6666601' }); // token cached
  sim.fault({ path: PATHS.getCalledInfo, fault: 'status:503', times: 5 });
  const e = await client.getCalledInfo({ caller: '1', called: '6666601' }).catch((x) => x);
  assert.equal(e.attempts, 2);
  sim.fault({ path: PATHS.createCall, fault: 'status:503', times: 5 });
  const c = await client.createCall(pair()).catch((x) => x);
  assert.equal(c.attempts, 1);
  assert.deepEqual(events, ['getCalledInfo']);
});

test('a 401 refresh is told too, with no wait; a hook that throws changes nothing', async () => {
  const events = [];
  const client = serverClient(sim, {
    onRetry: (e) => {
      events.push([e.operation, e.delayMs, e.error.status]);
      throw new Error('a broken hook');
    },
  });
  await client.getCalledInfo({ caller: '1', called: '6666601' });
  sim.fault({ path: PATHS.queryCallState, fault: 'expire-token', times: 1 });
  assert.equal((await client.queryCallState({ callSerialNo: SERIAL })).stateName, 'ended');
  assert.deepEqual(events, [['queryCallState', 0, 401]]);
});

test('retry options are checked, naming the option', () => {
  const bad = [
    [{ retry: { maxRetries: 11 } }, 'maxRetries'],
    [{ retry: { baseDelayMs: 0 } }, 'retry'],
    [{ retry: { baseDelayMs: 500, maxDelayMs: 100 } }, 'retry'],
    [{ retry: 3 }, 'retry'],
    [{ maxRetries: 1, retry: { maxRetries: 2 } }, 'maxRetries'],
    [{ onRetry: 'log' }, 'onRetry'],
  ];
  for (const [options, field] of bad) {
    assert.throws(() => serverClient(sim, options), (e) => e instanceof AiccError && e.kind === 'validation' && e.field === field, JSON.stringify(options));
  }
  assert.ok(serverClient(sim, { maxRetries: 1, retry: { maxRetries: 1 } }), 'the same value twice is fine');
  assert.ok(serverClient(sim, { cmsCredentials: CMS_CREDENTIALS, retry: {} }));
});
