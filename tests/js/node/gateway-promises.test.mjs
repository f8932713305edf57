// What the gateway promises under conditions every deployment meets, in one Node process: a day limit holds
// over the whole day (a memory state whose clock the test moves), sessions of different kinds never collide,
// a serial has one spelling, the memory state has a cap, a state that never answers is a 503, and a call whose
// createCall answer was lost is still released once and followed by its own session (found by resolveOutcome).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AiccClient, AiccError, createGateway, createMemoryState, handleCallback, signCallbackUrl } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { CREDENTIALS, serveFetch } from './helpers.mjs';

const SECRET = 'a-callback-secret-for-these-tests';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let sim;
let next = 40000;
const pair = (lastDigit = 0) => ({ caller: `8888${next++}`, called: `1390${next++}${lastDigit}` });

before(async () => {
  sim = await startSimulator({ port: 0, speed: 40, log: () => {} });
});
after(() => sim.close());

// A gateway whose verdict is the JSON of the page's bearer token (the test plays the CRM).
function gatewayWith(options = {}) {
  return createGateway({
    clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS },
    authorize: (request) => JSON.parse((request.headers.get('Authorization') ?? '').replace(/^Bearer /, '') || 'false'),
    ...options,
  });
}

const post = (gateway, path, verdict, body) =>
  gateway.fetch(new Request(`http://127.0.0.1/aicc${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${JSON.stringify(verdict)}` },
    body: JSON.stringify(body),
  }));

const serialOf = async (response) => (await response.text()).match(/"callSerialNo":"?(\d+)/)?.[1];

test('createCallPerDay holds over the whole day: four bursts a minute apart place 5 of 12, and a day later one more fits', async () => {
  let now = Date.parse('2026-12-04T08:00:00Z');
  const gateway = gatewayWith({ state: createMemoryState({ now: () => now }), createCallPerMinute: 3, createCallPerDay: 5 });
  const agent = { agentWorkNo: '201' };
  const before = sim.calls().length;
  const statuses = [];
  for (let burst = 0; burst < 4; burst += 1) {
    for (let i = 0; i < 3; i += 1) statuses.push((await post(gateway, PATHS.createCall, agent, pair())).status);
    now += MINUTE + 1000;
  }
  assert.deepEqual(statuses.filter((s) => s === 200).length, 5, String(statuses));
  assert.ok(statuses.every((s) => s === 200 || s === 429), String(statuses));
  now += 12 * HOUR;
  const halfDay = await post(gateway, PATHS.createCall, agent, pair());
  assert.equal(halfDay.status, 429, 'still limited half a day later');
  assert.equal((await halfDay.json()).limit, 'createCallPerDay');
  now += 12 * HOUR;
  assert.equal((await post(gateway, PATHS.createCall, agent, pair())).status, 200, 'a day after the first calls');
  assert.equal(sim.calls().length - before, 6, 'the simulator saw exactly the admitted calls');
});

test("a CRM session named '101' is not agent 101's session: it neither reads its calls nor uses up its limit", async () => {
  const gateway = gatewayWith({ createCallPerMinute: 1 });
  const agent = { agentWorkNo: '101' };
  const crmUser = { session: '101' };
  const serial = await serialOf(await post(gateway, PATHS.createCall, agent, pair()));
  assert.ok(serial);
  const read = await post(gateway, PATHS.queryCallState, crmUser, { callSerialNo: serial });
  assert.equal(read.status, 403);
  assert.equal((await read.json()).error, 'notYourCall');
  assert.equal((await post(gateway, PATHS.createCall, crmUser, pair())).status, 200, 'its own limit');
  assert.equal((await post(gateway, PATHS.createCall, agent, pair())).status, 429, "agent 101's limit is its own");
  assert.equal((await post(gateway, PATHS.queryCallState, agent, { callSerialNo: serial })).status, 200);
});

test("with allowUnknownSerials, 00<serial> of another session's call is that call: refused, never forwarded", async () => {
  const gateway = gatewayWith({ allowUnknownSerials: true });
  const serial = await serialOf(await post(gateway, PATHS.createCall, { agentWorkNo: '102' }, pair()));
  const reads = sim.requests().filter((r) => r.path === PATHS.queryCallState).length;
  const padded = await post(gateway, PATHS.queryCallState, { agentWorkNo: '103' }, { callSerialNo: `00${serial}` });
  assert.equal(padded.status, 403);
  assert.equal(sim.requests().filter((r) => r.path === PATHS.queryCallState).length, reads, 'nothing reached AICC');
});

test('createMemoryState keeps at most maxRecords: past them new records are refused (503) until some expire', async () => {
  let now = Date.parse('2026-12-04T08:00:00Z');
  const state = createMemoryState({ maxRecords: 2, now: () => now });
  const gateway = gatewayWith({ state, callTtlMs: MINUTE });
  const owned = [];
  for (const agent of ['301', '302']) owned.push(await serialOf(await post(gateway, PATHS.createCall, { agentWorkNo: agent }, pair())));
  assert.equal(state.size, 2);
  const full = await post(gateway, PATHS.queryCallState, { agentWorkNo: '301' }, { callSerialNo: owned[0] });
  assert.equal(full.status, 200, 'reading an existing record still works when full');
  const third = await post(gateway, PATHS.createCall, { agentWorkNo: '303' }, pair());
  assert.equal(third.status, 200, 'AICC placed it; only its record could not be kept');
  assert.equal(state.size, 2, 'the cap holds');
  assert.throws(() => createMemoryState({ maxRecords: 0 }), (e) => e instanceof AiccError && e.field === 'maxRecords');
  now += 2 * MINUTE;
  await post(gateway, PATHS.createCall, { agentWorkNo: '304' }, pair());
  assert.equal(state.size, 1, 'expired records made room');
});

test('a state that never answers: the gateway answers 503 stateUnavailable and sends nothing; a callback answers 503', async () => {
  const silent = { apply: () => new Promise(() => {}) };
  const gateway = gatewayWith({ state: silent, stateTimeoutMs: 200 });
  const placed = sim.calls().length;
  const answer = await post(gateway, PATHS.createCall, { agentWorkNo: '401', createCallPerMinute: 5 }, pair());
  assert.equal(answer.status, 503);
  assert.equal((await answer.json()).error, 'stateUnavailable');
  assert.equal(sim.calls().length, placed, 'nothing the state could not allow is sent');
  const url = signCallbackUrl('http://127.0.0.1:9/aicc/callback/release', SECRET);
  const release = await handleCallback(
    new Request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"callSerialNo":"1","releaseReason":"0"}' }),
    { secret: SECRET, publicUrl: 'http://127.0.0.1:9', state: silent, timeoutMs: 200 },
  );
  assert.equal(release.status, 503, 'AICC sends it again later');
  assert.equal(createGateway({ clientOptions: { baseUrl: sim.url }, authorize: () => true, stateTimeoutMs: 60_000 }) !== undefined, true);
  assert.throws(() => gatewayWith({ stateTimeoutMs: 0 }), (e) => e instanceof AiccError && e.field === 'stateTimeoutMs');
});

test('a call whose createCall answer was lost: its release is handed on once, and resolveOutcome finds it for its session, which then follows it', async () => {
  const state = createMemoryState();
  const released = [];
  let publicUrl = '';
  const receiver = await serveFetch((request) => handleCallback(request, {
    secret: SECRET, publicUrl, state, onRelease: (event) => { released.push(event.callSerialNo); },
  }));
  publicUrl = receiver.url;
  const releaseUrl = `${publicUrl}/aicc/callback/release`;
  const gateway = createGateway({
    clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS, maxRetries: 0 },
    state,
    authorize: (request) => {
      const agent = (request.headers.get('Authorization') ?? '').replace(/^Bearer /, '');
      return { agentWorkNo: agent, callers: [`8888${agent}`], callBackUrl: signCallbackUrl(releaseUrl, SECRET) };
    },
  });
  const server = await serveFetch(gateway.fetch);
  const page = (agent) => new AiccClient({ baseUrl: `${server.url}/aicc`, token: () => agent, maxRetries: 0 });
  try {
    const numbers = { caller: '8888501', called: `13900${next++}0` };
    sim.fault({ path: PATHS.createCall, fault: 'answer-lost' });
    const lost = await page('501').createCall(numbers).catch((e) => e);
    assert.ok(lost instanceof AiccError, String(lost));
    assert.equal(lost.outcomeUnknown, true, lost.message);
    const placedAt = sim.calls().at(-1);
    assert.equal(placedAt.body.called, numbers.called, 'AICC placed it');

    const resolution = await page('501').resolveOutcome(lost);
    assert.equal(resolution.status, 'placed', JSON.stringify(resolution));
    const serial = resolution.callSerialNo;
    const states = [];
    for await (const s of page('501').watchCall(serial, { intervalMs: 100 })) states.push(s.stateName);
    assert.equal(states.at(-1), 'ended', 'its own session follows the call it resolved');
    const stranger = await page('502').queryCallState({ callSerialNo: serial }).catch((e) => e);
    assert.equal(stranger.status, 403, 'and no one else');

    // The simulator pushes the release to the signed URL when the call ends: handed on exactly once.
    while (!released.includes(serial)) await new Promise((r) => setTimeout(r, 20));
    const url = Buffer.from(placedAt.body.callBackUrl, 'base64').toString();
    const replay = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ callSerialNo: serial, releaseReason: '0' }) });
    assert.equal(replay.status, 200);
    assert.deepEqual(released.filter((s) => s === serial), [serial]);
  } finally {
    await server.close();
    await receiver.close();
  }
});
