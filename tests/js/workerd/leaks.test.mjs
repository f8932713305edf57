// The gateway never leaks its credentials: across successes, every denial, malformed bodies and upstream
// failures induced with simulator faults, no response status line, header or body, and no console line of the
// worker, contains the app secret, the CMS SK, any AICC access token the gateway used, or any C2 signature it
// sent.
//
// How the tokens are known: the simulator's calls() drops Authorization, so a second 'request' listener on its
// http.Server (helpers.recordSimHeaders, test-side only) records the headers the gateway actually sent; every
// `Bearer <token>` and every auth-v2 signature seen there is a secret to look for. That is stronger than
// fetching a token of our own (a different random token). We also check the reverse direction: the page's
// session token is never forwarded to AICC.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { startWorker, recordSimHeaders, APP_KEY, APP_SECRET, AK, SK, ORIGIN, pairs, gatewayBindings, sessionTokens } from './helpers.mjs';

let sim;
let worker;
let seen; // headers of every request the simulator received
const logs = []; // the worker's console output
const responses = []; // every gateway answer: { label, status, statusText, headers, body }
const pair = pairs(5000);
// Session tokens as the CRM issues them: agent 109 owns the seeded queryCallInfoByCallId call.
const { s1: SESSION, limited: LIMITED } = await sessionTokens({
  s1: { agentWorkNo: '109' },
  limited: { agentWorkNo: '102', callers: ['88889050'], operations: ['createCall'] },
});

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  seen = recordSimHeaders(sim);
  worker = await startWorker({
    config: 'examples/worker/wrangler.toml',
    bindings: gatewayBindings(sim, { ALLOW_UNKNOWN_SERIALS: 'true' }),
    onLog: (entry) => logs.push(`${entry.level} ${entry.message}`),
  });
});
after(async () => {
  await worker?.close();
  await sim?.close();
});

const OPS = {
  createCall: '/apiaccess/CC-Management/v1/mobileAgent/createCall',
  queryCallState: '/apiaccess/CC-Management/v1/mobileAgent/queryCallState',
  getCalledInfo: '/apiaccess/CC-Management/v1/mobileAgent/getCalledInfo',
  queryCallInfoByCallId: '/apiaccess/rest/workbench/v1/queryCallInfoByCallId',
  queryBasicCallInfo: '/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo',
};
const BODIES = {
  createCall: () => pair(0),
  queryCallState: () => ({ callSerialNo: '645735364434067472' }),
  getCalledInfo: () => ({ caller: '88881000', called: '6666601' }),
  queryCallInfoByCallId: () => ({ callId: '1652317325-339', userId: 'u1', tenantId: '202205116084', agentId: '109' }),
  queryBasicCallInfo: () => ({ ccId: 1, vdn: 1, callId: '1453723531-574' }),
};

async function send(label, path, { method = 'POST', body, headers = { Authorization: `Bearer ${SESSION}` } } = {}) {
  const res = await fetch(`${worker.url}/aicc${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: method === 'GET' || method === 'OPTIONS' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const entry = { label, status: res.status, statusText: res.statusText, headers: [...res.headers].map(([k, v]) => `${k}: ${v}`), body: text };
  responses.push(entry);
  return entry;
}

/** Every secret the gateway holds or used: static ones plus tokens/signatures seen on the wire. */
function secrets() {
  const out = new Set([APP_SECRET, SK]);
  for (const { headers } of seen) {
    const auth = headers.authorization ?? '';
    const bearer = auth.match(/^Bearer\s+(\S+)/i);
    if (bearer) out.add(bearer[1]);
    const c2 = auth.match(/^auth-v2\/[^/]+\/[^/]+\/[^/]+\/([0-9a-f]+)$/i);
    if (c2) out.add(c2[1]);
  }
  return [...out];
}

function assertNoLeak(entries) {
  const list = secrets();
  for (const e of entries) {
    const blob = [e.status, e.statusText, ...e.headers, e.body].join('\n');
    for (const s of list) assert.ok(!blob.includes(s), `${e.label}: response contains a secret (${s.slice(0, 4)}...)\n${blob}`);
    assert.doesNotMatch(blob, /AccessToken|app_secret|auth-v2/i, `${e.label}: token-ish text in the answer`);
  }
}

test('successful answers of every operation leak nothing, and the session token is not forwarded', async () => {
  for (const op of Object.keys(OPS)) {
    const r = await send(`ok ${op}`, OPS[op], { body: BODIES[op]() });
    assert.equal(r.status, 200, `${op}: ${r.body}`);
  }
  const tokens = secrets().filter((s) => s !== APP_SECRET && s !== SK);
  assert.ok(tokens.length >= 2, 'at least one AICC token and one C2 signature were observed on the wire');
  for (const { headers, url } of seen) {
    assert.ok(!JSON.stringify(headers).includes(SESSION), `the page's session token reached AICC at ${url}`);
  }
  assertNoLeak(responses);
});

test('every denial and malformed request leaks nothing', async () => {
  const c = OPS.createCall;
  await send('no session', c, { body: pair(0), headers: {} });
  await send('unknown session', c, { body: pair(0), headers: { Authorization: `Bearer ${APP_SECRET}` } });
  await send('caller not allowed', c, { body: pair(0, '88881111'), headers: { Authorization: `Bearer ${LIMITED}` } });
  await send('other agent', c, { body: { ...pair(0), agentWorkNo: '7' } });
  await send('operation not allowed', OPS.queryCallState, { body: BODIES.queryCallState(), headers: { Authorization: `Bearer ${LIMITED}` } });
  await send('origin not allowed', c, { body: pair(0), headers: { Authorization: `Bearer ${SESSION}`, Origin: 'https://evil.example' } });
  await send('preflight', c, { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' } });
  await send('GET', c, { method: 'GET' });
  await send('token path', '/apigovernance/api/oauth/tokenByAkSk', { body: { app_key: APP_KEY, app_secret: APP_SECRET } });
  await send('unknown path', '/nope', { body: {} });
  for (const [label, body] of [['invalid JSON', '{'], ['empty', ''], ['array', '[]'], ['html', '<html></html>'], ['wrong types', '{"caller":{}}'], ['bad number', '{"caller":"88881000","called":"1390000x"}']]) {
    const r = await send(label, c, { body });
    assert.equal(r.status, 400, `${label}: ${r.body}`);
  }
  const denied = responses.filter((r) => r.status >= 400);
  assert.ok(denied.length >= 14);
  assertNoLeak(responses);
});

test('upstream failures (faults on AICC, on the token endpoint and on CMS) leak nothing', async () => {
  const faults = [
    [PATHS.createCall, 'status:401', 'createCall'],
    [PATHS.createCall, 'expire-token', 'createCall'],
    [PATHS.queryCallState, 'expire-token', 'queryCallState'],
    [PATHS.createCall, 'status:503', 'createCall'],
    [PATHS.createCall, 'status:500', 'createCall'],
    [PATHS.createCall, 'drop', 'createCall'],
    [PATHS.createCall, 'html', 'createCall'],
    [PATHS.createCall, 'malformed', 'createCall'],
    [PATHS.createCall, 'empty', 'createCall'],
    [PATHS.queryCallState, 'status:503', 'queryCallState', 5],
    [PATHS.queryCallState, 'drop', 'queryCallState', 5],
    [PATHS.getCalledInfo, 'html', 'getCalledInfo', 5],
    [PATHS.queryCallInfoByCallId, 'malformed', 'queryCallInfoByCallId'],
    [PATHS.queryBasicCallInfo, 'status:401', 'queryBasicCallInfo'],
    [PATHS.queryBasicCallInfo, 'status:503', 'queryBasicCallInfo', 5],
  ];
  const statuses = [];
  for (const [path, fault, op, times = 1] of faults) {
    sim.reset(); // no fault left over from the previous case (it also revokes tokens: a 401 and a refresh)
    sim.fault({ path, fault, times });
    const r = await send(`${op} with ${fault}`, OPS[op], { body: BODIES[op]() });
    statuses.push(`${op}/${fault}: ${r.status} ${r.body.slice(0, 100)}`);
  }
  // The token endpoint itself refusing (a revoked token forces a new tokenByAkSk first).
  sim.reset();
  sim.fault({ path: PATHS.queryCallState, fault: 'expire-token' });
  sim.fault({ path: PATHS.token, fault: 'status:403', times: 3 });
  const refused = await send('token refused', OPS.queryCallState, { body: BODIES.queryCallState() });
  assert.equal(refused.status, 502, refused.body);
  assert.equal(JSON.parse(refused.body).error, 'upstreamAuthFailed');
  sim.reset();

  // Failures the client classifies become gateway JSON errors; others are AICC's own answer passed through.
  const byLabel = (label) => responses.find((r) => r.label === label);
  for (const label of ['createCall with drop', 'createCall with html', 'queryCallState with drop', 'getCalledInfo with html', 'queryBasicCallInfo with status:401']) {
    assert.equal(byLabel(label).status, 502, `${label}: ${statuses.join('\n')}`);
    assert.match(JSON.parse(byLabel(label).body).error, /^upstream/);
  }
  assert.equal(byLabel('createCall with status:503').status, 503);
  assert.equal(byLabel('createCall with status:401').status, 200, 'a 401 refreshes the token once and succeeds');
  assert.equal(byLabel('createCall with expire-token').status, 200, 'a revoked token is refreshed once');
  assert.match(JSON.parse(byLabel('createCall with drop').body).message, /may/, 'a dropped createCall says the outcome is unknown');
  assert.ok(secrets().length >= 5, 'several tokens were issued (expire-token forces new ones)');
  assertNoLeak(responses);

  // After all that the gateway still works.
  const ok = await send('after faults', OPS.createCall, { body: pair(0) });
  assert.equal(ok.status, 200, ok.body);
  assertNoLeak(responses);
});

test("the worker's console output holds no secret either", () => {
  const list = secrets();
  for (const line of logs) for (const s of list) assert.ok(!line.includes(s), `log line contains a secret: ${line}`);
});
