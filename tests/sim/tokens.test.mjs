import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim, getToken, post, PATHS } from './helpers.mjs';

const CREDS = { app_key: 'demo-app-key', app_secret: 'demo-app-secret' };

test('tokenByAkSk issues a Bearer token with every field a string', async (t) => {
  const sim = await withSim(t);
  const r = await post(sim, PATHS.token, CREDS);
  assert.equal(r.status, 200);
  const b = r.json;
  assert.deepEqual(Object.keys(b).sort(), ['AccessToken', 'AppKey', 'ApplyType', 'CreateTime', 'Expires', 'Scope', 'UserID']);
  for (const v of Object.values(b)) assert.equal(typeof v, 'string');
  assert.equal(b.ApplyType, 'Bearer');
  assert.equal(b.Expires, '600');
  assert.equal(b.AppKey, 'demo-app-key');
  assert.equal(b.UserID, 'Anonymous');
  assert.match(b.CreateTime, /^\d{10}$/);
  assert.ok(Math.abs(Number(b.CreateTime) - Date.now() / 1000) < 5);
  const again = await post(sim, PATHS.token, CREDS);
  assert.notEqual(again.json.AccessToken, b.AccessToken, 'tokens are random');
});

test('X-Token-Expire sets the ttl; bad values are 400', async (t) => {
  const sim = await withSim(t);
  const ok = await post(sim, PATHS.token, CREDS, null, { 'X-Token-Expire': '3600' });
  assert.equal(ok.json.Expires, '3600');
  for (const bad of ['3601', '0', '-5', 'abc', '1.5']) {
    const r = await post(sim, PATHS.token, CREDS, null, { 'X-Token-Expire': bad });
    assert.equal(r.status, 400, `X-Token-Expire ${bad}`);
    assert.ok(r.json.error_msg);
  }
});

test('wrong or missing credentials are 403 with a JSON body', async (t) => {
  const sim = await withSim(t);
  for (const body of [{ app_key: 'demo-app-key', app_secret: 'nope' }, { app_key: 'x', app_secret: 'demo-app-secret' }, {}, { app_key: 'demo-app-key' }]) {
    const r = await post(sim, PATHS.token, body);
    assert.equal(r.status, 403);
    assert.equal(r.json.error_code, 'SIM.0403');
  }
  const bad = await post(sim, PATHS.token, '{not json');
  assert.equal(bad.status, 400);
});

test('custom app key/secret are honoured', async (t) => {
  const sim = await withSim(t, { appKey: 'k1', appSecret: 's1' });
  assert.equal((await post(sim, PATHS.token, CREDS)).status, 403);
  const r = await post(sim, PATHS.token, { app_key: 'k1', app_secret: 's1' });
  assert.equal(r.status, 200);
  assert.equal(r.json.AppKey, 'k1');
});

test('tokens really expire after their ttl', async (t) => {
  const sim = await withSim(t, { clock: 'manual' }); // the test moves the simulator's time: no sleeping
  const token = await getToken(sim, { 'X-Token-Expire': '1' });
  const q = { callSerialNo: '645735364434067472' };
  assert.equal((await post(sim, PATHS.queryCallState, q, token)).status, 200);
  await sim.advance(999);
  assert.equal((await post(sim, PATHS.queryCallState, q, token)).status, 200, 'still valid 1 ms before its ttl');
  await sim.advance(1);
  const r = await post(sim, PATHS.queryCallState, q, token);
  assert.equal(r.status, 401);
  assert.equal(r.json.error_code, 'SIM.0401');
});

test('API endpoints refuse missing, unknown and malformed bearer tokens with 401 JSON', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  for (const path of [PATHS.createCall, PATHS.queryCallState, PATHS.getCalledInfo, PATHS.queryCallInfoByCallId]) {
    for (const headers of [{}, { Authorization: 'Bearer nope' }, { Authorization: token }, { Authorization: `Basic ${token}` }]) {
      const r = await post(sim, path, {}, null, headers);
      assert.equal(r.status, 401, `${path} ${JSON.stringify(Object.keys(headers))}`);
      assert.equal(r.headers.get('content-type'), 'application/json;charset=UTF-8');
      assert.equal(r.json.error_code, 'SIM.0401');
    }
  }
  // X-APP-Key, when sent, must be the token's app key.
  const r = await post(sim, PATHS.queryCallState, { callSerialNo: '1' }, token, { 'X-APP-Key': 'other' });
  assert.equal(r.status, 401);
  const ok = await post(sim, PATHS.queryCallState, { callSerialNo: '1' }, token, { 'X-APP-Key': 'demo-app-key' });
  assert.equal(ok.status, 200);
});

test('an invalid JSON body with a valid token is 400', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  for (const path of [PATHS.createCall, PATHS.queryCallState, PATHS.getCalledInfo, PATHS.queryCallInfoByCallId]) {
    const r = await post(sim, path, '{"caller": ', token);
    assert.equal(r.status, 400, path);
    assert.ok(r.json.error_msg);
  }
});
