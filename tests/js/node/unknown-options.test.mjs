// An option the package does not know (a slip such as `timeout` for `timeoutMs`) is refused with a validation
// error naming it and the nearest known one, instead of being silently ignored, before anything is sent: the
// client's options, a call's, watchCall's, resolveOutcome's, createGateway's, handleCallback's,
// createMemoryState's and toNodeListener's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../../sim/index.mjs';
import { AiccClient, AiccError, createGateway, createMemoryState, handleCallback, toNodeListener } from 'aicc-call';
import { serverClient, CREDENTIALS } from './helpers.mjs';

let sim;
let client;
before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  client = serverClient(sim, { timeoutMs: 2000 });
});
after(() => sim.close());

// The refusal of `name` in `place`, suggesting `near` (or listing the known names when none is near).
function refusal(operation, name, place, near) {
  return (e) => {
    assert.ok(e instanceof AiccError, String(e));
    assert.equal(e.kind, 'validation');
    assert.equal(e.operation, operation);
    assert.equal(e.field, 'options');
    assert.equal(e.retryable, false);
    const hint = near ? `; did you mean "${near}"?` : ' (known: ';
    assert.ok(e.rule.startsWith(`unknown option "${name}" of ${place}${hint}`), e.rule);
    assert.equal(e.message, `${operation}: ${e.rule}`);
    return true;
  };
}

test('the client refuses an unknown option, and one inside retry, credentials and cmsCredentials', () => {
  const base = { baseUrl: sim.url, credentials: CREDENTIALS };
  assert.throws(() => new AiccClient({ ...base, timeout: 5 }), refusal('configuration', 'timeout', 'AiccClient', 'timeoutMs'));
  assert.throws(() => new AiccClient({ ...base, onretry: () => {} }), refusal('configuration', 'onretry', 'AiccClient', 'onRetry'));
  assert.throws(() => new AiccClient({ ...base, retry: { retries: 3 } }), refusal('configuration', 'retries', "AiccClient's retry", 'maxRetries'));
  assert.throws(
    () => new AiccClient({ baseUrl: sim.url, credentials: { ...CREDENTIALS, tokenTtl: 60 } }),
    refusal('configuration', 'tokenTtl', "AiccClient's credentials", 'tokenTtlSeconds'),
  );
  assert.throws(
    () => new AiccClient({ ...base, cmsCredentials: { ak: 'a', sk: 's', secret: 'x' } }),
    refusal('configuration', 'secret', "AiccClient's cmsCredentials", null),
  );
  // Known options, given as undefined, are still known.
  new AiccClient({ ...base, timeoutMs: undefined, retry: { maxRetries: undefined } }).free();
  assert.deepEqual(sim.requests(), []);
});

test("a call's options refuse an unknown option before anything is sent", async () => {
  const ok = { caller: '88889050', called: '88889060' };
  await assert.rejects(client.createCall(ok, { timeout: 100 }), refusal('createCall', 'timeout', 'a call', 'timeoutMs'));
  await assert.rejects(client.queryCallState({ callSerialNo: '1' }, { signall: undefined }), refusal('queryCallState', 'signall', 'a call', 'signal'));
  assert.deepEqual(sim.requests(), []);
});

test('watchCall and resolveOutcome refuse an unknown option', async () => {
  assert.throws(() => client.watchCall('645735364434067472', { interval: 10 }), refusal('queryCallState', 'interval', 'watchCall', 'intervalMs'));
  assert.throws(() => client.watchCall('645735364434067472', { pollEvery: 10 }), refusal('queryCallState', 'pollEvery', 'watchCall', null));
  const lost = await client.createCall({ caller: '88889050', called: '' }).catch((e) => e);
  await assert.rejects(client.resolveOutcome(lost, { maxWait: 0 }), refusal('createCall', 'maxWait', 'resolveOutcome', 'maxWaitMs'));
  assert.deepEqual(sim.requests(), []);
});

test('createGateway refuses an unknown option, and one inside cors', () => {
  const base = { clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorize: () => true };
  assert.throws(() => createGateway({ ...base, authorise: () => true }), refusal('configuration', 'authorise', 'createGateway', 'authorize'));
  assert.throws(() => createGateway({ ...base, maxBodySize: 100 }), refusal('configuration', 'maxBodySize', 'createGateway', 'maxBodyBytes'));
  assert.throws(() => createGateway({ ...base, cors: { origin: ['https://crm.example.com'] } }), refusal('configuration', 'origin', "createGateway's cors", 'origins'));
  assert.throws(
    () => createGateway({ ...base, clientOptions: { ...base.clientOptions, timeout: 5 } }),
    refusal('configuration', 'timeout', 'AiccClient', 'timeoutMs'),
  );
  assert.equal(typeof createGateway({ ...base, client, clientOptions: undefined }).fetch, 'function');
});

test('handleCallback refuses an unknown option before reading the request', async () => {
  const body = JSON.stringify({ callSerialNo: '645735364434067472', releaseReason: '0' });
  const request = new Request('http://127.0.0.1/cb', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  await assert.rejects(handleCallback(request, { onrelease: () => {} }), refusal('configuration', 'onrelease', 'handleCallback', 'onRelease'));
  assert.equal(request.bodyUsed, false);
  let released = 0;
  const answer = await handleCallback(request, { onRelease: () => released++, maxBodyBytes: 64, timeoutMs: 1000 });
  assert.equal(answer.status, 200);
  assert.equal(released, 1);
});

test('createMemoryState refuses an unknown option', () => {
  assert.throws(() => createMemoryState({ maxRecord: 10 }), refusal('configuration', 'maxRecord', 'createMemoryState', 'maxRecords'));
  assert.throws(() => createMemoryState({ maxRecords: 0 }), (e) => e instanceof AiccError && e.field === 'maxRecords');
  assert.throws(() => createMemoryState({ now: 5 }), (e) => e instanceof AiccError && e.field === 'now');
  assert.equal(createMemoryState({ maxRecords: 1, now: Date.now }).size, 0);
});

test('toNodeListener refuses an unknown option', () => {
  const gateway = createGateway({ client, authorize: () => true });
  assert.throws(() => toNodeListener(gateway, { trustProxies: true }), refusal('configuration', 'trustProxies', 'toNodeListener', 'trustProxy'));
  assert.equal(typeof toNodeListener(gateway, { trustProxy: true }), 'function');
});
