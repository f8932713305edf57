// Every operation against the local AICC simulator over real HTTP: results, exact serials, watchCall.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { AiccClient, AiccError } from 'aicc-call';
import { serverClient, pairs } from './helpers.mjs';

let sim;
let client;
// clock 'poll': each queryCallState about a call answers its next state, so a watch sees every state of the
// call however late its polls come.
let stepped;
let steppedClient;
const pair = pairs(1000);

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  client = serverClient(sim, { timeoutMs: 5000 });
  stepped = await startSimulator({ port: 0, speed: 20, clock: 'poll', log: () => {} });
  steppedClient = serverClient(stepped, { timeoutMs: 5000 });
});
after(() => Promise.all([sim.close(), stepped.close()]));

const count = (path) => sim.requests().filter((r) => r.path === path).length;

test('createCall with credentials: token flow, then an exact 18-digit serial as a string', async () => {
  const { caller, called } = pair();
  const placed = await client.createCall({ caller, called: Number(called), callData: 'order-42', agentWorkNo: 123 });
  assert.equal(typeof placed.callSerialNo, 'string');
  assert.match(placed.callSerialNo, /^\d{18}$/);
  assert.equal(placed.retMsg, 'success');
  assert.equal(count(PATHS.token), 1, 'one tokenByAkSk');
  const rec = sim.calls().at(-1);
  assert.equal(rec.body.caller, caller);
  assert.equal(rec.body.called, called, 'a number in, a string on the wire');
  assert.equal(rec.body.agentWorkNo, '123');
  assert.equal(rec.headers['x-app-key'], 'demo-app-key');
  assert.equal(rec.retCode, '0');

  // Round trip: the serial finds the very call.
  const state = await client.queryCallState({ callSerialNo: placed.callSerialNo });
  assert.equal(state.caller, caller);
  assert.equal(state.called, called);
  assert.equal(state.callData, 'order-42');
  assert.ok([0, 1, 2, 3].includes(state.state));
  assert.equal(typeof state.startTime, 'number');
});

test('the simulator sends the serial as a bare JSON number; the client hands back the same digits', async () => {
  // Capture the raw answer text the client received by wrapping the global fetch the wasm glue uses.
  const realFetch = globalThis.fetch;
  const raw = [];
  globalThis.fetch = async (...args) => {
    const res = await realFetch(...args);
    const url = typeof args[0] === 'string' ? args[0] : args[0].url;
    if (url.endsWith(PATHS.createCall)) raw.push(await res.clone().text());
    return res;
  };
  let placed;
  try {
    placed = await client.createCall(pair());
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.equal(raw.length, 1);
  const m = /"callSerialNo"\s*:\s*(\d+)\s*[,}]/.exec(raw[0]);
  assert.ok(m, `bare number in ${raw[0]}`);
  assert.equal(m[1], placed.callSerialNo);
  assert.notEqual(String(JSON.parse(raw[0]).result.callSerialNo), placed.callSerialNo, 'JSON.parse would have lost digits');

  // The exact serial is what the simulator knows; the double-rounded one is not.
  const state = await client.queryCallState({ callSerialNo: placed.callSerialNo });
  assert.ok(state.stateName);
  const rounded = String(JSON.parse(raw[0]).result.callSerialNo);
  await assert.rejects(client.queryCallState({ callSerialNo: rounded }), (e) => e instanceof AiccError && e.kind === 'api' && e.retCode === '1');
});

test('a serial read directly from the simulator (own token, own request) round-trips through queryCallState', async () => {
  const tok = await (await fetch(sim.url + PATHS.token, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_key: 'demo-app-key', app_secret: 'demo-app-secret' }),
  })).json();
  const { caller, called } = pair(1);
  const text = await (await fetch(sim.url + PATHS.createCall, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tok.AccessToken}`, 'x-app-key': 'demo-app-key' },
    body: JSON.stringify({ caller, called }),
  })).text();
  const digits = /"callSerialNo":(\d{18})[,}]/.exec(text)?.[1];
  assert.ok(digits, text);
  const state = await client.queryCallState({ callSerialNo: digits });
  assert.equal(state.caller, caller);
  assert.equal(state.called, called);
});

test('queryCallState of the page example serial: ended, reason object, times as numbers', async () => {
  const s = await client.queryCallState({ callSerialNo: '645735364434067472' });
  assert.equal(s.state, 3);
  assert.equal(s.stateName, 'ended');
  assert.deepEqual(Object.keys(s.reason).sort(), ['category', 'code', 'message', 'name', 'retryable']);
  assert.equal(s.reason.code, '0');
  assert.equal(s.reason.name, 'calledHungUp');
  assert.equal(s.reason.retryable, false);
  assert.equal(s.startTime, 1621823865000);
  assert.equal(s.endTime, 1621823872000);
  assert.equal(s.caller, '88889050');
  assert.equal(s.called, '88889060');
  assert.equal(s.callerPresent, '640003');
  assert.equal(s.agentPresent, '640060');
  assert.equal('callData' in s, false, 'absent optional fields are omitted, not null');
  assert.equal('extra' in s, false);
});

test('getCalledInfo: numbers in, strings out; both device types; an unconfigured number is an api error', async () => {
  const q = await client.getCalledInfo({ caller: 8888888, called: 6666601 });
  assert.deepEqual(q, { devType: 0, devTypeName: 'skillQueue', called: '6666601', skillId: '1', skillName: 'defaultAudioSkill', retMsg: 'success' });
  const n = await client.getCalledInfo({ caller: '8888888', called: '6666602' });
  assert.deepEqual(n, { devType: 1, devTypeName: 'number', called: '6666602', retMsg: 'success' });
  await assert.rejects(client.getCalledInfo({ caller: 8888888, called: 6666614 }), (e) => {
    assert.ok(e instanceof AiccError);
    assert.equal(e.kind, 'api');
    assert.equal(e.operation, 'getCalledInfo');
    assert.equal(e.retCode, '5');
    assert.equal(typeof e.codeName, 'string');
    assert.equal(typeof e.codeMessage, 'string');
    assert.equal(typeof e.category, 'string');
    assert.equal(e.retryable, false);
    return true;
  });
});

test('queryCallInfoByCallId: the seeded page example, numbers become strings', async () => {
  const info = await client.queryCallInfoByCallId({ callId: '1652317325-339', userId: '1652268429538866153', tenantId: 202205116084, agentId: 109 });
  assert.deepEqual(info, {
    caller: '70004', called: '60015', mediaAbility: 1, callData: '1', callId: '1652317325-339',
    callSkillId: 1, callSkill: 'voice', callType: 0,
  });
  await assert.rejects(
    client.queryCallInfoByCallId({ callId: '1-1', userId: 'u', tenantId: 't', agentId: 'a' }),
    (e) => e instanceof AiccError && e.kind === 'http' && e.status === 404 && e.retryable === false,
  );
});

test('queryBasicCallInfo with cmsBaseUrl + cmsCredentials: C2-signed, all three answer shapes', async () => {
  const page = await client.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1453723531-574' });
  assert.equal(page.time, 1606115215000);
  assert.equal(page.callingNum, '88881364');
  assert.equal(page.calledNum, '650550');
  assert.equal(page.callSkill, 'defaultAudioSkill');
  assert.equal(page.totalTalkingTimes, 275);
  assert.equal(page.callInCause, 65535);
  assert.equal('orgiCalledNum' in page, false, '"" counts as absent');
  const fresh = await client.queryBasicCallInfo({ ccId: '1', vdn: 1, callId: '1659513159000-546750' });
  assert.equal(fresh.keyId, '1659513159000-546750');
  assert.equal(fresh.callingNum, '13800000001');
  const legacy = await client.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1606115300000-1178' });
  assert.equal(legacy.calledNum, '650552');
  await assert.rejects(client.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1-1' }), (e) => e.kind === 'api' && e.retCode === '0100001');
});

test('queryBasicCallInfo with a wrong SK: kind "auth", 401, not retried', async () => {
  const wrong = new AiccClient({ baseUrl: sim.url, cmsBaseUrl: sim.url, cmsCredentials: { ak: 'demo-ak', sk: 'not-the-sk' }, timeoutMs: 2000 });
  const before = count(PATHS.queryBasicCallInfo);
  await assert.rejects(wrong.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1453723531-574' }), (e) => {
    assert.ok(e instanceof AiccError);
    assert.equal(e.kind, 'auth');
    assert.equal(e.status, 401);
    assert.equal(e.operation, 'queryBasicCallInfo');
    assert.equal(e.retryable, false);
    assert.ok(!e.message.includes('not-the-sk'));
    return true;
  });
  assert.equal(count(PATHS.queryBasicCallInfo) - before, 1);
});

/** Collects every state of a watch until it ends. */
async function watchAll(serial, watcher = client) {
  const seen = [];
  for await (const s of watcher.watchCall(serial, { intervalMs: 100 })) seen.push(s);
  return seen;
}

function assertInOrder(states, allowed) {
  const nums = states.map((s) => s.state);
  for (let i = 1; i < nums.length; i++) assert.ok(nums[i] > nums[i - 1], `states in order: ${nums}`);
  for (const n of nums) assert.ok(allowed.includes(n), `state ${n} allowed: ${allowed}`);
  assert.equal(nums.at(-1), 3);
  for (const s of states.slice(0, -1)) assert.equal('reason' in s, false, 'no reason before the end');
}

test('watchCall: customer busy (last digit 7) ends with reason "17" without talking', async () => {
  const placed = await steppedClient.createCall(pair(7));
  const states = await watchAll(placed.callSerialNo, steppedClient);
  assertInOrder(states, [0, 1, 3]);
  assert.deepEqual(states.map((s) => s.stateName), ['toBeCalled', 'calling', 'ended'], 'every state, once');
  const end = states.at(-1);
  assert.equal(end.stateName, 'ended');
  assert.equal(end.reason.code, '17');
  assert.equal(end.reason.name, 'userBusy');
  assert.equal(end.reason.category, 'customer');
  assert.equal(end.reason.retryable, true);
  assert.equal(typeof end.endTime, 'number');
});

test('watchCall: answered call (last digit 0) goes through talking and ends with reason "0"', async () => {
  const placed = await steppedClient.createCall(pair(0));
  const states = await watchAll(placed.callSerialNo, steppedClient);
  assertInOrder(states, [0, 1, 2, 3]);
  assert.ok(states.some((s) => s.stateName === 'talking'), 'talking seen');
  assert.deepEqual(states.map((s) => s.stateName), ['toBeCalled', 'calling', 'talking', 'ended'], 'every state, once');
  assert.equal(states.at(-1).reason.code, '0');
  assert.equal(states.at(-1).reason.name, 'calledHungUp');
});

test('watchCall: each outcome digit maps to the documented reason code', async () => {
  const table = { 2: '2', 3: '3', 5: '5', 8: '21', 9: '20' };
  await Promise.all(Object.entries(table).map(async ([digit, code]) => {
    const placed = await client.createCall(pair(Number(digit)));
    const states = await watchAll(placed.callSerialNo);
    assert.equal(states.at(-1).reason.code, code, `digit ${digit}`);
  }));
});

test('watchCall: break stops polling; an aborted signal ends the iteration', async () => {
  const placed = await client.createCall(pair(0));
  for await (const s of client.watchCall(placed.callSerialNo, { intervalMs: 100 })) {
    assert.ok(s.stateName);
    break;
  }
  const ac = new AbortController();
  ac.abort();
  const seen = [];
  for await (const s of client.watchCall(placed.callSerialNo, { intervalMs: 100, signal: ac.signal })) seen.push(s);
  assert.equal(seen.length, 0);
  assert.throws(() => client.watchCall(placed.callSerialNo, { intervalMs: 5 }), (e) => e.kind === 'validation' && e.field === 'intervalMs');
});

// The guard is the test's own timeout: without the abort the loop would wait a full minute between polls.
test('watchCall: aborting while it waits between polls ends the iteration at once', { timeout: 15000 }, async () => {
  const placed = await client.createCall(pair(0));
  const ac = new AbortController();
  const seen = [];
  for await (const s of client.watchCall(placed.callSerialNo, { intervalMs: 60000, signal: ac.signal })) {
    seen.push(s.stateName);
    setTimeout(() => ac.abort(), 50);
  }
  assert.equal(seen.length, 1, `only the first state, then the abort: ${seen}`);
});

test('createCall: the page\'s own example reply (no result) is a success without a serial, and the call is placed', async () => {
  const placed = await client.createCall({ caller: '88889050', called: '6666600' });
  assert.deepEqual(placed, { callSerialNo: null, retMsg: 'Add CallOutInfo in DB successfully' });
  const now = Date.now();
  const records = await client.queryCallDetailRecord({ startTime: now - 60_000, endTime: now + 60_000, caller: '88889050' });
  assert.ok(records.callInfo.some((r) => r.called === '6666600'), 'the call is in the records');
});
