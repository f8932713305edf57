import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim, getToken, post, createCall, PATHS } from './helpers.mjs';

const PAGE_EXAMPLE = { caller: '88889050', called: '88889060', agentWorkNo: '', callerPresent: '640003', agentPresent: '640060', callData: '333333' };
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

test('createCall answers a bare 18-digit callSerialNo that queryCallState finds by the exact string', async (t) => {
  const sim = await withSim(t, { speed: 1 });
  const token = await getToken(sim);
  const r = await post(sim, PATHS.createCall, PAGE_EXAMPLE, token);
  assert.equal(r.status, 200);
  const m = /^\{"retCode":"0","retMsg":"success","result":\{"callSerialNo":(\d{18})\}\}$/.exec(r.text);
  assert.ok(m, r.text);
  const serial = m[1];
  assert.ok(BigInt(serial) > 2n ** 53n);
  assert.notEqual(String(r.json.result.callSerialNo), serial, 'JSON.parse cannot keep these digits');

  const q = await post(sim, PATHS.queryCallState, { callSerialNo: serial }, token);
  assert.equal(q.json.retCode, '0');
  assert.equal(q.json.retMsg, 'Query call state successfully');
  const res = q.json.result;
  assert.equal(res.caller, '88889050');
  assert.equal(res.called, '88889060');
  assert.equal(res.callerPresent, '640003');
  assert.equal(res.agentPresent, '640060');
  assert.equal(res.callData, '333333');
  assert.equal(typeof res.startTime, 'number');
  assert.ok([0, 1].includes(res.state));
  assert.equal(res.reasonCode, undefined);
  assert.equal(res.endTime, undefined);

  // A numeric callSerialNo (raw JSON text) is accepted without losing digits.
  const qn = await post(sim, PATHS.queryCallState, `{"callSerialNo": ${serial}}`, token);
  assert.equal(qn.json.retCode, '0');
  assert.equal(qn.json.result.called, '88889060');

  // Serials are unique.
  const s2 = await createCall(sim, token, { caller: '88889050', called: '88889061' });
  assert.notEqual(s2, serial);
});

test('createCall format violations answer the page\'s codes: 5 for numbers, 2 for the call data, 1 for agentWorkNo', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  const base = { caller: '88889050', called: '13800000000' };
  const bad = [
    {}, { caller: '88889050' }, { called: '13800000000' },
    { ...base, caller: 88889050 }, { ...base, called: 'abc' }, { ...base, caller: '1'.repeat(33) },
    { ...base, called: '+' + '1'.repeat(32) }, { ...base, caller: '' },
    { ...base, callerPresent: '640-003' }, { ...base, callerPresent: '1'.repeat(15) }, { ...base, agentPresent: 640060 },
    { ...base, agentWorkNo: '123456' }, { ...base, agentWorkNo: 123456 }, { ...base, agentWorkNo: 'ab' }, { ...base, agentWorkNo: 1.5 },
    { ...base, callData: 'x'.repeat(1025) }, { ...base, callData: 5 }, { ...base, callData: '😀'.repeat(513) },
  ];
  const expected = (body) => ('callData' in body ? '2' : 'agentWorkNo' in body ? '1' : '5');
  for (const body of bad) {
    const r = await post(sim, PATHS.createCall, body, token);
    assert.equal(r.status, 200);
    assert.equal(r.json.retCode, expected(body), JSON.stringify(body).slice(0, 80));
    assert.equal(typeof r.json.retMsg, 'string');
    assert.equal(r.json.result, undefined);
  }
  // 1024 UTF-16 units: 512 emoji are accepted, 513 are not (above).
  const emoji = await post(sim, PATHS.createCall, { caller: '88889050', called: '13800000077', callData: '😀'.repeat(512) }, token);
  assert.equal(emoji.json.retCode, '0');
  // Accepted edge cases (distinct called numbers so no duplicate refusal).
  const good = [
    { caller: '+8613800000000', called: '+8613900000000' },
    { caller: '88889050', called: '1'.repeat(32) },
    { caller: '88889050', called: '10', agentWorkNo: 12345, callerPresent: '12345678901234', agentPresent: '640060', callData: 'x'.repeat(1024) },
    { caller: '88889050', called: '20', agentWorkNo: '00001' },
  ];
  for (const body of good) {
    const r = await post(sim, PATHS.createCall, body, token);
    assert.equal(r.json.retCode, '0', JSON.stringify(body).slice(0, 80));
  }
});

test('callBackUrl must be Base64 of an http(s) URL with allowed characters, else retCode "9"', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  const bad = ['not base64!', b64('ftp://127.0.0.1/x'), b64('http://127.0.0.1/a b'), b64('http://127.0.0.1/x?a=%20'), b64('javascript:alert(1)'), 'aHR0cDovL2V4YW1wbGUuY29t=', 42, b64('http://127.0.0.1/cb?x=1')];
  for (const callBackUrl of bad) {
    const r = await post(sim, PATHS.createCall, { caller: '88889050', called: '13800000000', callBackUrl }, token);
    assert.equal(r.json.retCode, '9', String(callBackUrl));
  }
  const ok = await post(sim, PATHS.createCall, { caller: '88889050', called: '13800000001', callBackUrl: b64('https://cb.example.com:8443/release_v1/x-y?a&b#frag') }, token);
  assert.equal(ok.json.retCode, '0');
});

test('a second call between the same caller and called while the first is live is retCode "1"', async (t) => {
  const sim = await withSim(t, { clock: 'manual' }); // the first call stays live: the clock does not move
  const token = await getToken(sim);
  await createCall(sim, token, { caller: '88880001', called: '13800000000' });
  const dup = await post(sim, PATHS.createCall, { caller: '88880001', called: '13800000000' }, token);
  assert.equal(dup.json.retCode, '1');
  // A different pair is fine.
  await createCall(sim, token, { caller: '88880001', called: '13800000010' });
});

test('a caller outside the softphone range (99999...) is retCode "8"', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  const r = await post(sim, PATHS.createCall, { caller: '9999901', called: '13800000000' }, token);
  assert.equal(r.json.retCode, '8');
});

test('trial tenants: trustlist (retCode "16") and 10 calls a day (retCode "21")', async (t) => {
  const sim = await withSim(t, { trial: true, speed: 1000 });
  const token = await getToken(sim);
  const off = await post(sim, PATHS.createCall, { caller: '13512345678', called: '13800000000' }, token);
  assert.equal(off.json.retCode, '16');
  for (let i = 0; i < 10; i++) {
    await createCall(sim, token, { caller: '88881234', called: `1380000000${i}` });
  }
  const over = await post(sim, PATHS.createCall, { caller: '88881234', called: '13900000000' }, token);
  assert.equal(over.json.retCode, '21');
  // The refusals do not count, and reset clears the daily counter.
  await fetch(sim.url + '/__sim/reset', { method: 'POST' });
  const token2 = await getToken(sim);
  await createCall(sim, token2, { caller: '88881234', called: '13900000000' });
});

test('without --trial any caller is accepted and there is no daily limit', async (t) => {
  const sim = await withSim(t, { speed: 1000 });
  const token = await getToken(sim);
  for (let i = 0; i < 12; i++) await createCall(sim, token, { caller: '13512345678', called: `1380000001${i % 10}${i}` });
});

test('calls() records createCall requests without the Authorization header', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  await post(sim, PATHS.createCall, PAGE_EXAMPLE, token, { 'X-APP-Key': 'demo-app-key' });
  await post(sim, PATHS.createCall, { caller: 'x', called: '1' }, token);
  const http = await (await fetch(sim.url + '/__sim/calls')).json();
  const lib = sim.calls();
  assert.deepEqual(http, lib);
  assert.equal(lib.length, 2);
  assert.deepEqual(lib[0].body, PAGE_EXAMPLE);
  assert.equal(lib[0].retCode, '0');
  assert.equal(lib[0].headers['x-app-key'], 'demo-app-key');
  assert.equal(lib[0].headers.authorization, undefined);
  assert.ok(!JSON.stringify(lib).includes(token));
  assert.ok(!Number.isNaN(Date.parse(lib[0].at)));
  assert.equal(lib[1].retCode, '5');
});

test('the page\'s own example reply, without result, for the seeded called number 6666600; the call is placed', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  const r = await post(sim, PATHS.createCall, { caller: '88889050', called: '6666600' }, token);
  assert.deepEqual(r.json, { retMsg: 'Add CallOutInfo in DB successfully', retCode: '0' });
  const now = Date.now();
  const records = await post(sim, PATHS.queryCallDetailRecord, { startTime: String(now - 60000), endTime: String(now + 1000), caller: '88889050' }, token);
  assert.equal(records.json.result.callInfo.length, 1);
  assert.equal(records.json.result.callInfo[0].called, '6666600');
});
