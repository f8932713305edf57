// The example worker (examples/worker, bundled like `wrangler deploy`) as a gateway in workerd: the package's
// own AiccClient, in Node, pointed at the gateway with a session token, reaches the simulator for every
// allowed operation; what `authorize` denies is a 403 JSON reason and never reaches the simulator; CORS,
// unknown paths and wrong methods are answered by the gateway itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { startWorker } from '../../../scripts/worker-runner.mjs';
import { AiccClient, AiccError } from 'aicc-call';
import { APP_KEY, APP_SECRET, AK, SK, ORIGIN, pairs, gatewayBindings, sessionTokens } from './helpers.mjs';

let sim;
let worker;
let client;
const pair = pairs(1000);

const SESSIONS = {
  s1: { agentWorkNo: '101' },
  s109: { agentWorkNo: '109' },
  s2: { agentWorkNo: '102', callers: ['88889050'], operations: ['createCall', 'queryCallState'] },
};
const T = await sessionTokens(SESSIONS);

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  worker = await startWorker({
    // The seeded calls were placed elsewhere: this gateway may read serials it does not know.
    bindings: gatewayBindings(sim, { origins: `${ORIGIN}, http://127.0.0.1:2`, ALLOW_UNKNOWN_SERIALS: 'true' }),
  });
  client = new AiccClient({ baseUrl: `${worker.url}/aicc`, token: async () => T.s1, timeoutMs: 5000 });
});
after(async () => {
  await worker?.close();
  await sim?.close();
});

const gw = (path) => `${worker.url}/aicc${path}`;
const post = (path, body, headers = {}) =>
  fetch(gw(path), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

test('createCall through the gateway: agentWorkNo from the session, caller/called forwarded, exact serial', async () => {
  const { caller, called } = pair(0);
  const placed = await client.createCall({ caller, called, callData: 'order-7' });
  assert.match(placed.callSerialNo, /^\d{18}$/);
  assert.equal(placed.retMsg, 'success');
  const rec = sim.calls().at(-1);
  assert.equal(rec.body.caller, caller);
  assert.equal(rec.body.called, called);
  assert.equal(rec.body.callData, 'order-7');
  assert.equal(rec.body.agentWorkNo, '101', "the session's agent is set by the gateway");
  assert.equal(rec.headers['x-app-key'], APP_KEY, "the gateway's app key, not the page's");
  assert.equal(rec.retCode, '0');

  // The same serial, as an exact 18-digit string, finds the call again (no double rounding on the way).
  const state = await client.queryCallState({ callSerialNo: placed.callSerialNo });
  assert.equal(state.caller, caller);
  assert.equal(state.called, called);
  assert.equal(state.callData, 'order-7');
  assert.ok([0, 1, 2, 3].includes(state.state));

  // And the raw gateway answer carries the bare 18-digit JSON number exactly as AICC sent it.
  const raw = await (await post('/apiaccess/CC-Management/v1/mobileAgent/createCall', pair(0), { Authorization: `Bearer ${T.s1}` })).text();
  const digits = raw.match(/"callSerialNo"\s*:\s*(\d{18})\b/);
  assert.ok(digits, `bare 18-digit serial in ${raw}`);
  const again = await client.queryCallState({ callSerialNo: digits[1] });
  assert.equal(typeof again.state, 'number');
});

test('queryCallState for the page example serial round-trips exactly', async () => {
  const s = await client.queryCallState({ callSerialNo: '645735364434067472' });
  assert.equal(s.state, 3);
  assert.equal(s.stateName, 'ended');
  assert.equal(s.reason.code, '0');
});

test('getCalledInfo and queryCallInfoByCallId through the gateway (seeded data)', async () => {
  const q = await client.getCalledInfo({ caller: 8888888, called: 6666601 });
  assert.deepEqual(q, { devType: 0, devTypeName: 'skillQueue', called: '6666601', skillId: '1', skillName: 'defaultAudioSkill', retMsg: 'success' });
  await assert.rejects(client.getCalledInfo({ caller: '8888888', called: '6666614' }), (e) => e instanceof AiccError && e.kind === 'api' && e.retCode === '5');
  // The seeded call belongs to agent 109: only a session acting as agent 109 may read it.
  await assert.rejects(
    client.queryCallInfoByCallId({ callId: '1652317325-339', userId: '1652268429538866153', tenantId: 202205116084, agentId: 109 }),
    (e) => e instanceof AiccError && e.status === 403 && /agentId/.test(e.message),
  );
  const agent109 = new AiccClient({ baseUrl: `${worker.url}/aicc`, token: async () => T.s109, timeoutMs: 5000 });
  const info = await agent109.queryCallInfoByCallId({ callId: '1652317325-339', userId: '1652268429538866153', tenantId: 202205116084, agentId: 109 });
  assert.deepEqual(info, {
    caller: '70004', called: '60015', mediaAbility: 1, callData: '1', callId: '1652317325-339',
    callSkillId: 1, callSkill: 'voice', callType: 0,
  });
  // AICC's 404 is passed through as AICC's status.
  await assert.rejects(
    client.queryCallInfoByCallId({ callId: '1-1', userId: 'u', tenantId: 't', agentId: '101' }),
    (e) => e instanceof AiccError && e.kind === 'http' && e.status === 404,
  );
});

test('querybasiccallinfo: the gateway C2-signs with its AK/SK and the simulator verifies it', async () => {
  const before = sim.requests().filter((r) => r.path === PATHS.queryBasicCallInfo).length;
  // A server-side caller may also put the session in `headers` instead of using `token`.
  const cms = new AiccClient({ baseUrl: `${worker.url}/aicc`, headers: { Authorization: `Bearer ${T.s1}` }, timeoutMs: 5000 });
  const page = await cms.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1453723531-574' });
  assert.equal(page.time, 1606115215000);
  assert.equal(page.callingNum, '88881364');
  assert.equal(page.calledNum, '650550');
  const legacy = await cms.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1606115300000-1178' });
  assert.equal(legacy.calledNum, '650552');
  assert.equal(sim.requests().filter((r) => r.path === PATHS.queryBasicCallInfo).length - before, 2);
});

// A page's `token` reaches the gateway for the CMS path too (no CMS credentials in the browser).
test('querybasiccallinfo with the token option, like a browser page', async () => {
  const page = await client.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1453723531-574' });
  assert.equal(page.callingNum, '88881364');
});

/** Runs `fn` and asserts that the simulator received nothing meanwhile. */
async function nothingReachesSim(fn) {
  const requests = sim.requests().length;
  const calls = sim.calls().length;
  const out = await fn();
  assert.equal(sim.requests().length, requests, 'no request reached the simulator');
  assert.equal(sim.calls().length, calls, 'no createCall reached the simulator');
  return out;
}

async function assertForbidden(res, messagePattern, status = 403) {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  const body = await res.json();
  assert.equal(body.error, status === 401 ? 'unauthorized' : 'forbidden');
  assert.equal(typeof body.message, 'string');
  assert.match(body.message, messagePattern);
}

test('what authorize denies is a 401/403 with a JSON reason, and nothing reaches the simulator', async () => {
  const CREATE = '/apiaccess/CC-Management/v1/mobileAgent/createCall';
  await nothingReachesSim(async () => {
    await assertForbidden(await post(CREATE, pair(0)), /session/, 401);
    await assertForbidden(await post(CREATE, pair(0), { Authorization: 'Bearer nope' }), /session token/, 401);
    await assertForbidden(await post(CREATE, pair(0), { Authorization: 'Bearer' }), /session/, 401);
    // Names of Object.prototype members are not sessions; nor is a token signed with another key.
    for (const token of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const asked = { ...pair(0, '77770000'), agentWorkNo: '999' };
      await assertForbidden(await post(CREATE, asked, { Authorization: `Bearer ${token}` }), /session token/, 401);
    }
    await assertForbidden(await post(CREATE, pair(0, '88881234'), { Authorization: `Bearer ${T.s2}` }), /caller number is not allowed/);
    await assertForbidden(await post(CREATE, { ...pair(0), agentWorkNo: '999' }, { Authorization: `Bearer ${T.s1}` }), /agentWorkNo/);
    await assertForbidden(await post(CREATE, { ...pair(0, '88889050'), agentWorkNo: 103 }, { Authorization: `Bearer ${T.s2}` }), /agentWorkNo/);
    await assertForbidden(
      await post('/apiaccess/CC-Management/v1/mobileAgent/getCalledInfo', { caller: '88889050', called: '6666601' }, { Authorization: `Bearer ${T.s2}` }),
      /getCalledInfo is not allowed/,
    );
    await assertForbidden(
      await post('/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo', { ccId: 1, vdn: 1, callId: '1453723531-574' }, { Authorization: `Bearer ${T.s2}` }),
      /queryBasicCallInfo is not allowed/,
    );
    // The package's own client sees the refusal as an AiccError, not a success.
    const stranger = new AiccClient({ baseUrl: `${worker.url}/aicc`, token: async () => 'not-a-session', maxRetries: 0 });
    await assert.rejects(stranger.queryCallState({ callSerialNo: '645735364434067472' }), (e) => e instanceof AiccError && e.status === 401);
  });
  // s2's own caller with its own agent (or none) is allowed, and its agentWorkNo is enforced.
  const ok = await post('/apiaccess/CC-Management/v1/mobileAgent/createCall', pair(0, '88889050'), { Authorization: `Bearer ${T.s2}` });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).retCode, '0');
  assert.equal(sim.calls().at(-1).body.agentWorkNo, '102');
  assert.equal(sim.calls().at(-1).body.caller, '88889050');
});

test('CORS: preflight from an allowed origin is 204 echoing it; another origin is 403', async () => {
  const path = gw('/apiaccess/CC-Management/v1/mobileAgent/createCall');
  await nothingReachesSim(async () => {
    const pre = await fetch(path, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Authorization/i);
    assert.equal(await pre.text(), '');

    const second = await fetch(path, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:2', 'Access-Control-Request-Method': 'POST' } });
    assert.equal(second.status, 204);
    assert.equal(second.headers.get('access-control-allow-origin'), 'http://127.0.0.1:2');

    for (const origin of ['https://evil.example', 'http://127.0.0.1:3', 'null']) {
      const evil = await fetch(path, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
      assert.equal(evil.status, 403, origin);
      assert.equal(evil.headers.get('access-control-allow-origin'), null);
      assert.equal((await evil.json()).error, 'originNotAllowed');
      const evilPost = await post('/apiaccess/CC-Management/v1/mobileAgent/createCall', pair(0), { Origin: origin, Authorization: `Bearer ${T.s1}` });
      assert.equal(evilPost.status, 403, `a POST from ${origin} is refused before authorize/forwarding`);
      assert.equal(evilPost.headers.get('access-control-allow-origin'), null);
    }
  });
  // A real cross-origin POST from the allowed origin gets its CORS header on the answer too.
  const res = await post('/apiaccess/CC-Management/v1/mobileAgent/queryCallState', { callSerialNo: '645735364434067472' }, { Origin: ORIGIN, Authorization: `Bearer ${T.s1}` });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  // A denial from an allowed origin is readable by the page (CORS header present).
  const denied = await post('/apiaccess/CC-Management/v1/mobileAgent/queryCallState', { callSerialNo: '645735364434067472' }, { Origin: ORIGIN });
  assert.equal(denied.status, 401);
  assert.equal(denied.headers.get('access-control-allow-origin'), ORIGIN);
});

test('without CALLBACK_SECRET the release-callback receiver is off (404)', async () => {
  const res = await fetch(`${worker.url}/aicc/callback/release`, { method: 'POST', body: '{"callSerialNo":"1","releaseReason":"0"}' });
  assert.equal(res.status, 404);
  await res.text();
});

test('unknown paths are 404, GET is 405, tokenByAkSk is not served', async () => {
  await nothingReachesSim(async () => {
    for (const path of ['/aicc/nope', '/aicc/', '/aicc/apiaccess/CC-Management/v1/mobileAgent/createCallX', '/other', '/']) {
      const res = await fetch(`${worker.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${T.s1}` }, body: '{}' });
      assert.equal(res.status, 404, path);
      await res.text();
    }
    const unknown = await post('/nope', {}, { Authorization: `Bearer ${T.s1}` });
    assert.deepEqual(Object.keys(await unknown.json()).sort(), ['error', 'message']);

    const get = await fetch(gw('/apiaccess/CC-Management/v1/mobileAgent/createCall'), { headers: { Authorization: `Bearer ${T.s1}` } });
    assert.equal(get.status, 405);
    assert.match(get.headers.get('allow') ?? '', /POST/);
    assert.equal((await get.json()).error, 'methodNotAllowed');
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await fetch(gw('/apiaccess/CC-Management/v1/mobileAgent/queryCallState'), { method, headers: { Authorization: `Bearer ${T.s1}` }, body: '{}' });
      assert.equal(res.status, 405, method);
      await res.text();
    }

    const token = await post(PATHS.token, { app_key: APP_KEY, app_secret: APP_SECRET }, { Authorization: `Bearer ${T.s1}` });
    assert.equal(token.status, 404, 'tokenByAkSk is never served by the gateway');
    const text = await token.text();
    assert.doesNotMatch(text, /AccessToken/);
  });
});
