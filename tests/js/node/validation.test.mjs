// Every input rule refuses before anything is sent: the simulator sees no request at all (not even a token fetch).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../../sim/index.mjs';
import { AiccClient, AiccError } from 'aicc-call';
import { serverClient } from './helpers.mjs';

let sim;
let client;
before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  client = serverClient(sim, { timeoutMs: 1000 });
});
after(() => sim.close());

const ok = { caller: '88889050', called: '88889060' };
const CASES = [
  ['createCall', { ...ok, caller: '1'.repeat(33) }, 'caller'],
  ['createCall', { ...ok, called: '1'.repeat(33) }, 'called'],
  ['createCall', { ...ok, caller: '8888-9050' }, 'caller'],
  ['createCall', { ...ok, called: '13800x' }, 'called'],
  ['createCall', { ...ok, called: '' }, 'called'],
  ['createCall', { caller: '88889050' }, 'called'],
  ['createCall', { ...ok, caller: ['1'] }, 'caller'],
  ['createCall', { ...ok, agentWorkNo: '123456' }, 'agentWorkNo'],
  ['createCall', { ...ok, agentWorkNo: 123456 }, 'agentWorkNo'],
  ['createCall', { ...ok, callData: 'x'.repeat(1025) }, 'callData'],
  ['createCall', { ...ok, callerPresent: '1'.repeat(15) }, 'callerPresent'],
  ['createCall', { ...ok, agentPresent: '+8613800000000' }, 'agentPresent'],
  ['createCall', { ...ok, callBackUrl: 'https://crm.example.com/a b' }, 'callBackUrl'],
  ['createCall', { ...ok, callBackUrl: 'https://crm.example.com/cb?x=1' }, 'callBackUrl'],
  ['createCall', { ...ok, callBackUrl: 'ftp://crm.example.com/cb' }, 'callBackUrl'],
  ['createCall', { ...ok, callBackUrl: 'crm.example.com/cb' }, 'callBackUrl'],
  ['queryCallState', { callSerialNo: '64573536443406747x' }, 'callSerialNo'],
  ['queryCallState', { callSerialNo: '1'.repeat(51) }, 'callSerialNo'],
  ['queryCallState', {}, 'callSerialNo'],
  ['getCalledInfo', { caller: '8888888', called: 'abc' }, 'called'],
  ['queryCallInfoByCallId', { callId: '1'.repeat(65), userId: 'u', tenantId: 't', agentId: 'a' }, 'callId'],
  ['queryCallInfoByCallId', { callId: '1-1', userId: '', tenantId: 't', agentId: 'a' }, 'userId'],
  ['queryBasicCallInfo', { ccId: 0, vdn: 1, callId: '1-1' }, 'ccId'],
  ['queryBasicCallInfo', { ccId: 65536, vdn: 1, callId: '1-1' }, 'ccId'],
  ['queryBasicCallInfo', { ccId: 1, vdn: 5001, callId: '1-1' }, 'vdn'],
  ['queryBasicCallInfo', { ccId: 1, vdn: 0, callId: '1-1' }, 'vdn'],
  ['queryBasicCallInfo', { ccId: 1, vdn: 1, callId: 'abc' }, 'callId'],
  ['queryBasicCallInfo', { ccId: 1, vdn: 1, callId: '12345678901234567-123' }, 'callId'], // 21 characters
  ['queryBasicCallInfo', { ccId: 1, vdn: 1, callId: '1-2-3' }, 'callId'],
];

for (const [op, input, field] of CASES) {
  test(`${op} refuses ${JSON.stringify(input).slice(0, 70)} naming "${field}", before any I/O`, async () => {
    await assert.rejects(client[op](input), (e) => {
      assert.ok(e instanceof AiccError, 'AiccError');
      assert.ok(e instanceof Error, 'Error');
      assert.equal(e.kind, 'validation');
      assert.equal(e.operation, op);
      assert.equal(e.field, field);
      assert.equal(typeof e.rule, 'string');
      assert.ok(e.rule.length > 0);
      assert.ok(e.message.includes(field), e.message);
      assert.equal(e.retryable, false);
      assert.equal(e.attempts, undefined, 'nothing was attempted');
      return true;
    });
    assert.equal(sim.calls().length, 0);
    assert.deepEqual(sim.requests(), []);
  });
}

test('boundaries are accepted (32-digit numbers, 1024 characters of callData, 14-digit callerPresent, 5-digit agentWorkNo, 20-character callId)', async () => {
  // Validation passes, so these reach the simulator (which has its own opinion about some of them).
  const placed = await client.createCall({
    caller: '8'.repeat(32), called: '1'.repeat(31) + '0', callData: 'é'.repeat(1024), callerPresent: '1'.repeat(14),
    agentWorkNo: 99999, callBackUrl: 'http://127.0.0.1:9/cb_x?a&b#z',
  });
  assert.match(placed.callSerialNo, /^\d{18}$/);
  const call = sim.calls().at(-1);
  assert.equal(Buffer.from(call.body.callBackUrl, 'base64').toString(), 'http://127.0.0.1:9/cb_x?a&b#z');
  await assert.rejects(client.queryBasicCallInfo({ ccId: 65535, vdn: 5000, callId: '12345678901234567-12' }), (e) => e.kind === 'api');
  sim.reset();
});

test('watchCall refuses a bad serial synchronously; bad options refuse at construction', async () => {
  assert.throws(() => client.watchCall('12a'), (e) => e instanceof AiccError && e.kind === 'validation' && e.field === 'callSerialNo');
  assert.throws(() => client.watchCall({}), (e) => e instanceof AiccError && e.kind === 'validation');
  for (const [opts, field] of [
    [{}, 'options'],
    [{ baseUrl: 'ftp://x' }, 'baseUrl'],
    [{ baseUrl: sim.url, timeoutMs: 0 }, 'timeoutMs'],
    [{ baseUrl: sim.url, maxRetries: 11 }, 'maxRetries'],
    [{ baseUrl: sim.url, cmsCredentials: { ak: 'a' } }, 'cmsCredentials'],
    [{ baseUrl: sim.url, token: 'abc' }, 'token'],
    [{ baseUrl: sim.url, credentials: { appKey: 'k', appSecret: 's' }, token: async () => 't' }, 'token'],
    [{ baseUrl: sim.url, headers: { 'bad header': 'x' } }, 'headers'],
    // Only a plain object is read: a Headers or Map would otherwise be silently ignored.
    [{ baseUrl: sim.url, headers: new Headers({ 'X-Tenant': 't1' }) }, 'headers'],
    [{ baseUrl: sim.url, headers: new Map([['X-Tenant', 't1']]) }, 'headers'],
    [{ baseUrl: sim.url, headers: [['X-Tenant', 't1']] }, 'headers'],
  ]) {
    assert.throws(() => new AiccClient(opts), (e) => {
      assert.ok(e instanceof AiccError, JSON.stringify(opts));
      assert.equal(e.kind, 'validation');
      assert.equal(e.operation, 'configuration');
      if (field !== 'options') assert.equal(e.field, field, JSON.stringify(opts));
      return true;
    });
  }
  assert.deepEqual(sim.requests(), []);
});
