// Tokens: expiry mid-session survived with one refresh, one fetch for concurrent first calls, refused credentials,
// and the caller's own token() source.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { AiccClient, AiccError } from 'aicc-call';

let sim;
const count = (path) => sim.requests().filter((r) => r.path === path).length;
const credentials = { appKey: 'demo-app-key', appSecret: 'demo-app-secret' };
const EXAMPLE = { callSerialNo: '645735364434067472' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
});
after(() => sim.close());

test('a token that expires mid-session (tokenTtlSeconds: 1) is replaced once, and nothing fails', async () => {
  const client = new AiccClient({ baseUrl: sim.url, credentials: { ...credentials, tokenTtlSeconds: 1 }, timeoutMs: 1000 });
  const tokens = count(PATHS.token);
  assert.equal((await client.queryCallState(EXAMPLE)).state, 3);
  assert.equal((await client.getCalledInfo({ caller: 1, called: 6666601 })).devType, 0);
  assert.equal(count(PATHS.token) - tokens, 1, 'the token is cached');
  await sleep(1200);
  const before = count(PATHS.queryCallState);
  assert.equal((await client.queryCallState(EXAMPLE)).state, 3);
  assert.equal(count(PATHS.token) - tokens, 2, 'exactly one refresh');
  assert.equal(count(PATHS.queryCallState) - before, 1, 'refreshed before sending: no 401 round trip');
});

test('a token revoked by the server (expire-token) is replaced once after the 401', async () => {
  const client = new AiccClient({ baseUrl: sim.url, credentials, timeoutMs: 1000 });
  await client.queryCallState(EXAMPLE);
  const tokens = count(PATHS.token);
  sim.fault({ path: PATHS.queryCallState, fault: 'expire-token', times: 1 });
  assert.equal((await client.queryCallState(EXAMPLE)).state, 3);
  assert.equal((await client.queryCallState(EXAMPLE)).state, 3);
  assert.equal(count(PATHS.token) - tokens, 1);
});

test('five concurrent first calls fetch ONE token', async () => {
  const client = new AiccClient({ baseUrl: sim.url, credentials, timeoutMs: 2000 });
  const tokens = count(PATHS.token);
  const before = count(PATHS.queryCallState);
  const states = await Promise.all(Array.from({ length: 5 }, () => client.queryCallState(EXAMPLE)));
  assert.ok(states.every((s) => s.stateName === 'ended'));
  assert.equal(count(PATHS.token) - tokens, 1);
  assert.equal(count(PATHS.queryCallState) - before, 5);
});

test('five concurrent calls after expiry fetch ONE new token; a slow token fetch is shared', async () => {
  const client = new AiccClient({ baseUrl: sim.url, credentials: { ...credentials, tokenTtlSeconds: 1 }, timeoutMs: 2000 });
  await client.queryCallState(EXAMPLE);
  await sleep(1200);
  const tokens = count(PATHS.token);
  sim.fault({ path: PATHS.token, fault: 'delay:150', times: 1 });
  const mixed = await Promise.all([
    client.queryCallState(EXAMPLE), client.getCalledInfo({ caller: 1, called: 6666602 }), client.queryCallState(EXAMPLE),
    client.createCall({ caller: '88887777', called: '13911112220' }), client.queryCallState(EXAMPLE),
  ]);
  assert.equal(mixed.length, 5);
  assert.equal(count(PATHS.token) - tokens, 1);
});

test('a refused app secret: kind "auth", status 403, operation of the call, not retried, nothing else sent', async () => {
  const client = new AiccClient({ baseUrl: sim.url, credentials: { appKey: 'demo-app-key', appSecret: 'wrong-secret-1234' }, timeoutMs: 1000 });
  const tokens = count(PATHS.token);
  const calls = sim.calls().length;
  await assert.rejects(client.createCall({ caller: '88889050', called: '13800000000' }), (e) => {
    assert.ok(e instanceof AiccError);
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 403);
    assert.equal(e.operation, 'createCall');
    assert.equal(e.retryable, false);
    assert.equal(e.outcomeUnknown, undefined);
    assert.ok(!e.message.includes('wrong-secret-1234'));
    return true;
  });
  assert.equal(count(PATHS.token) - tokens, 1);
  assert.equal(sim.calls().length, calls);
});

test('token(): the caller\'s own source is asked per request, and once more after a 401', async () => {
  const issue = async () => (await (await fetch(sim.url + PATHS.token, {
    method: 'POST', body: JSON.stringify({ app_key: 'demo-app-key', app_secret: 'demo-app-secret' }),
  })).json()).AccessToken;
  const [first, second] = [await issue(), await issue()];
  let asked = 0;
  // Asked 1st and 2nd: the first token (revoked by the fault on the 2nd request); asked 3rd: the second one.
  const client = new AiccClient({ baseUrl: sim.url, appKey: 'demo-app-key', token: async () => (++asked < 3 ? first : second), timeoutMs: 1000 });
  assert.equal((await client.queryCallState(EXAMPLE)).state, 3);
  assert.equal(asked, 1);
  sim.fault({ path: PATHS.queryCallState, fault: 'expire-token', times: 1 });
  assert.equal((await client.queryCallState(EXAMPLE)).state, 3);
  assert.equal(asked, 3);

  const failing = new AiccClient({ baseUrl: sim.url, token: () => Promise.reject(new Error('vault offline')) });
  await assert.rejects(failing.queryCallState(EXAMPLE), (e) => e.kind === 'auth' && /vault offline/.test(e.message));
  const empty = new AiccClient({ baseUrl: sim.url, token: () => '' });
  await assert.rejects(empty.queryCallState(EXAMPLE), (e) => e.kind === 'auth');
});

test('without credentials or token (gateway mode) no Authorization is sent and the 401 is an auth error', async () => {
  const client = new AiccClient({ baseUrl: sim.url, timeoutMs: 1000 });
  const before = count(PATHS.queryCallState);
  await assert.rejects(client.queryCallState(EXAMPLE), (e) => e.kind === 'auth' && e.status === 401 && e.attempts === 1);
  assert.equal(count(PATHS.queryCallState) - before, 1);
});
