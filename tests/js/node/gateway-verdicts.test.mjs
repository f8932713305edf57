// createGateway in Node: whatever `authorize` returns, a verdict written wrong never widens access. Each
// malformed verdict is refused with 500 badVerdict and nothing reaches the simulator; well-formed ones apply.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../../sim/index.mjs';
import { createGateway } from 'aicc-call';
import { CREDENTIALS, pairs } from './helpers.mjs';

const CREATE = 'http://127.0.0.1/aicc/apiaccess/CC-Management/v1/mobileAgent/createCall';
let sim;
const pair = pairs(6000);

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
});
after(() => sim.close());

function gatewayWith(authorize) {
  return createGateway({ clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorize });
}

async function createThrough(gateway, body) {
  const res = await gateway.fetch(new Request(CREATE, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
  return { status: res.status, body: await res.json() };
}

test('malformed verdicts are refused with 500 badVerdict, and nothing is forwarded', async () => {
  const malformed = {
    'a refusal without allow: false': { status: 401, reason: 'log in first' },
    'a reason alone': { reason: 'no session' },
    'allow: undefined': { allow: undefined },
    'agentWorkNo: undefined': { agentWorkNo: undefined },
    'callers: undefined': { callers: undefined },
    'a misspelt field': { agentWorkNo: '101', caller: ['1'] },
    'allowed: false': { allowed: false },
    'allow as a string': { allow: 'false' },
    'callers as a string': { callers: '88889050' },
    'an Error': new Error('x'),
    'a Map': new Map([['allow', false]]),
    'an object with toJSON': { toJSON: () => ({}) },
  };
  for (const [label, verdict] of Object.entries(malformed)) {
    const r = await createThrough(gatewayWith(() => verdict), { ...pair(0), agentWorkNo: '999' });
    assert.equal(r.status, 500, `${label}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error, 'badVerdict', label);
  }
  assert.deepEqual(sim.calls(), []);
});

test('well-formed verdicts: a refusal keeps its status, an allowance pins the agent', async () => {
  const refused = await createThrough(gatewayWith(() => ({ allow: false, status: 401, reason: 'log in first' })), pair(0));
  assert.deepEqual([refused.status, refused.body.error, refused.body.message], [401, 'unauthorized', 'log in first']);
  const thrown = await createThrough(gatewayWith(() => { throw new Error('db down'); }), pair(0));
  assert.equal(thrown.status, 403);
  assert.deepEqual(sim.calls(), []);

  const pinned = await createThrough(gatewayWith(async () => ({ agentWorkNo: '101', callers: ['88880001'] })), { caller: '88880001', called: '13900060010' });
  assert.equal(pinned.status, 200, JSON.stringify(pinned.body));
  assert.equal(sim.calls().at(-1).body.agentWorkNo, '101');
  const otherAgent = await createThrough(gatewayWith(() => ({ agentWorkNo: '101' })), { ...pair(0), agentWorkNo: '999' });
  assert.equal(otherAgent.status, 403);
});
