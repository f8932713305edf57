import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim, getToken, post, PATHS } from './helpers.mjs';

test('queryCallState: the page example serial, unknown serial (1), bad format (3)', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  const ex = await post(sim, PATHS.queryCallState, { callSerialNo: '645735364434067472' }, token);
  assert.equal(ex.text, '{"retMsg":"Query call state successfully","retCode":"0","result":{"caller":"88889050","called":"88889060","callerPresent":"640003","agentPresent":"640060","startTime":1621823865000,"state":3,"reasonCode":0,"endTime":1621823872000}}');

  const unknown = await post(sim, PATHS.queryCallState, { callSerialNo: '123456789012345678' }, token);
  assert.equal(unknown.status, 200);
  assert.equal(unknown.json.retCode, '1');
  assert.equal(typeof unknown.json.retMsg, 'string');
  assert.equal(unknown.json.result, undefined);

  for (const callSerialNo of ['12ab', '', '1'.repeat(51), undefined, null, '-1', '1.5', { a: 1 }]) {
    const r = await post(sim, PATHS.queryCallState, { callSerialNo }, token);
    assert.equal(r.json.retCode, '3', JSON.stringify(callSerialNo));
  }
  // 50 digits is a valid format, just unknown.
  assert.equal((await post(sim, PATHS.queryCallState, { callSerialNo: '1'.repeat(50) }, token)).json.retCode, '1');
});

test('getCalledInfo answers the seeded configuration; strings or numbers', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  const skill = await post(sim, PATHS.getCalledInfo, { caller: '8888888', called: '6666601' }, token);
  assert.deepEqual(skill.json, { retMsg: 'success', retCode: '0', result: { devType: 0, called: '6666601', skillId: 1, skillName: 'defaultAudioSkill' } });
  const num = await post(sim, PATHS.getCalledInfo, { caller: 8888888, called: 6666602 }, token);
  assert.deepEqual(num.json, { retMsg: 'success', retCode: '0', result: { devType: 1, called: '6666602' } });
  // The page example, byte for byte.
  const page = await post(sim, PATHS.getCalledInfo, '{ "caller": 8888888, "called": 6666614 }', token);
  assert.equal(page.text, '{"retMsg":"Called is not configured","retCode":"5"}');
  for (const body of [{ caller: '8888888', called: '' }, { caller: '8888888' }, { caller: '8888888', called: null }]) {
    const r = await post(sim, PATHS.getCalledInfo, body, token);
    assert.equal(r.json.retCode, '4', JSON.stringify(body));
  }
});

test('queryCallInfoByCallId answers the page example exactly; unknown is 404, missing fields 400', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  const req = { callId: '1652317325-339', userId: '1652268429538866153', tenantId: '202205116084', agentId: '109' };
  const r = await post(sim, PATHS.queryCallInfoByCallId, req, token);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { caller: 70004, called: 60015, mediaAbility: 1, calldata: '1', callId: '1652317325-339', callSkillId: 1, callSkill: 'voice', callType: 0 });
  const other = await post(sim, PATHS.queryCallInfoByCallId, { ...req, callId: '1652317400-340', agentId: '110' }, token);
  assert.equal(other.json.callId, '1652317400-340');
  const unknown = await post(sim, PATHS.queryCallInfoByCallId, { ...req, callId: '1-1' }, token);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error_code, 'SIM.0404');
  const wrongTenant = await post(sim, PATHS.queryCallInfoByCallId, { ...req, tenantId: '1' }, token);
  assert.equal(wrongTenant.status, 404);
  const missing = await post(sim, PATHS.queryCallInfoByCallId, { callId: '1652317325-339' }, token);
  assert.equal(missing.status, 400);
});

test('unmatched routes are 404 "not expected: METHOD path"', async (t) => {
  const sim = await withSim(t);
  const r = await fetch(sim.url + '/apiaccess/nothing?x=1');
  assert.equal(r.status, 404);
  assert.equal(await r.text(), 'not expected: GET /apiaccess/nothing');
  const g = await fetch(sim.url + PATHS.createCall);
  assert.equal(await g.text(), `not expected: GET ${PATHS.createCall}`);
  const c = await fetch(sim.url + '/__sim/nope', { method: 'POST' });
  assert.equal(c.status, 404);
  assert.equal(await c.text(), 'not expected: POST /__sim/nope');
});
