import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sign, verify, encode, canonicalRequest, formatTimestamp } from '../../sim/c2.mjs';
import { withSim, PATHS } from './helpers.mjs';

const VECTOR = {
  ak: 'globalaktest', sk: 'example-secret-key', time: 1700000000000, method: 'POST',
  path: '/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo',
  headers: { Host: '10.22.26.181:28080' },
  body: '{"ccId":1,"vdn":1,"callId":"1700000000000-12345"}',
};
const EXPECTED = 'auth-v2/globalaktest/2023-11-14T22:13:20Z/host/37e95370e86753092a80b29aa2506013986289b4f9991ffb74e54e1fe1c9e42f';

test("c2.sign reproduces the test vector of docs/aicc-pages.md (Huawei's Java demo) byte for byte", () => {
  assert.equal(sign(VECTOR), EXPECTED);
  assert.equal(formatTimestamp(VECTOR.time), '2023-11-14T22:13:20Z');
  assert.equal(encode('a-b_c.d~e f:/é'), 'a-b_c.d~e%20f%3A%2F%C3%A9');
  assert.equal(canonicalRequest({ method: 'get', path: '/p', query: 'b=2&a=x y', signedHeaders: ['host'], headers: { host: 'h:1' }, body: '' }),
    'GET\n/p\na=x%20y&b=2\nhost\nhost:h%3A1\n');
});

test('c2.verify accepts the vector and refuses tampering, wrong AK and stale timestamps', () => {
  const base = { ...VECTOR, authorization: EXPECTED, now: VECTOR.time + 60_000 };
  assert.deepEqual(verify(base), { ok: true });
  const flip = EXPECTED.slice(0, -1) + (EXPECTED.endsWith('f') ? 'e' : 'f');
  assert.equal(verify({ ...base, authorization: flip }).ok, false);
  assert.equal(verify({ ...base, body: VECTOR.body.replace('12345', '12346') }).ok, false);
  assert.equal(verify({ ...base, headers: { Host: '10.22.26.181:28081' } }).ok, false);
  assert.equal(verify({ ...base, path: VECTOR.path + 'x' }).ok, false);
  assert.equal(verify({ ...base, method: 'PUT' }).ok, false);
  assert.equal(verify({ ...base, query: 'a=1' }).ok, false);
  assert.equal(verify({ ...base, ak: 'other' }).ok, false);
  assert.equal(verify({ ...base, now: VECTOR.time + 16 * 60_000 }).ok, false);
  assert.equal(verify({ ...base, now: VECTOR.time - 16 * 60_000 }).ok, false);
  assert.equal(verify({ ...base, authorization: 'Bearer x' }).ok, false);
});

async function cms(sim, bodyText, { auth, tamper = false, time } = {}) {
  const host = `127.0.0.1:${sim.port}`;
  let authorization = auth ?? sim.signC2({ method: 'POST', path: PATHS.queryBasicCallInfo, headers: { host }, body: bodyText, time });
  if (tamper) authorization = authorization.slice(0, -4) + (authorization.endsWith('0000') ? '1111' : '0000');
  const res = await fetch(sim.url + PATHS.queryBasicCallInfo, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=UTF-8', Authorization: authorization },
    body: bodyText,
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

test('querybasiccallinfo over real HTTP: valid signature passes, tampered/stale/missing are 401', async (t) => {
  const sim = await withSim(t, { ak: 'test-ak', sk: 'test-sk' });
  const body = '{"ccId":1,"vdn":1,"callId":"1453723531-574"}';
  const ok = await cms(sim, body);
  assert.equal(ok.status, 200);
  assert.equal(ok.json.resultCode, '0100000');
  for (const opts of [{ tamper: true }, { time: Date.now() - 20 * 60_000 }, { auth: '' }, { auth: 'auth-v2/test-ak/garbage' }]) {
    const r = await cms(sim, body, opts);
    assert.equal(r.status, 401, JSON.stringify(opts));
    assert.equal(r.json.error_code, 'SIM.0401');
  }
  // Signed with another SK: 401.
  const wrong = sign({ ak: 'test-ak', sk: 'nope', method: 'POST', path: PATHS.queryBasicCallInfo, headers: { host: `127.0.0.1:${sim.port}` }, body });
  assert.equal((await cms(sim, body, { auth: wrong })).status, 401);
  // Signed for a different body than sent: 401.
  const other = sim.signC2({ method: 'POST', path: PATHS.queryBasicCallInfo, headers: { host: `127.0.0.1:${sim.port}` }, body: body + ' ' });
  assert.equal((await cms(sim, body, { auth: other })).status, 401);
});

test('querybasiccallinfo answers the three seeded shapes, unknown and bad parameters', async (t) => {
  const sim = await withSim(t);
  const page = await cms(sim, '{ "ccId":1, "vdn":1, "callId":"1453723531-574" }');
  assert.equal(page.json.result, '0');
  assert.equal(page.json.resultCode, '0100000');
  assert.deepEqual(page.json.resultDatas, page.json.resultDesc);
  assert.equal(page.json.resultDesc.callSkill, 'defaultAudioSkill');
  assert.equal(page.json.resultDesc.orgiCalledNum, '');
  assert.equal(page.json.resultDesc.time, 1606115215000);
  assert.equal(page.json.resultDesc.callingNum, '88881364');

  const fresh = await cms(sim, '{"ccId":1,"vdn":1,"callId":"1659513159000-546750"}');
  assert.deepEqual(Object.keys(fresh.json), ['resultCode', 'resultDesc']);
  assert.equal(fresh.json.resultCode, '0100000');
  assert.equal(typeof fresh.json.resultDesc.time, 'number');

  const legacy = await cms(sim, '{"ccId":1,"vdn":1,"callId":"1606115300000-1178"}');
  assert.deepEqual(Object.keys(legacy.json), ['result', 'resultDatas']);
  assert.equal(legacy.json.result, '0');

  const unknown = await cms(sim, '{"ccId":1,"vdn":1,"callId":"1700000000000-1"}');
  assert.equal(unknown.status, 200);
  assert.equal(unknown.json.resultCode, '0100001');

  for (const b of [{ ccId: 0, vdn: 1, callId: '1-1' }, { ccId: 65536, vdn: 1, callId: '1-1' }, { ccId: 1, vdn: 5001, callId: '1-1' },
    { ccId: '1', vdn: 1, callId: '1-1' }, { ccId: 1, vdn: 1, callId: '123456789012345678901' }, { ccId: 1, vdn: 1, callId: 'abc' }, { ccId: 1, vdn: 1 }]) {
    const r = await cms(sim, JSON.stringify(b));
    assert.equal(r.status, 200);
    assert.equal(r.json.resultCode, '0100002', JSON.stringify(b));
  }
  // Bearer tokens are not accepted by the CMS endpoint.
  const bearer = await cms(sim, '{"ccId":1,"vdn":1,"callId":"1453723531-574"}', { auth: 'Bearer abc' });
  assert.equal(bearer.status, 401);
});
