// The gateway's shared state in one Node process (createMemoryState, the default): who owns which call, the
// per-session rate limits, and release callbacks taken once. Pages talk to the gateway over real HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AiccClient, AiccError, createGateway, createMemoryState, durableObjectState, handleCallback, signCallbackUrl } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { CREDENTIALS, serveFetch, timersOf } from './helpers.mjs';

const SECRET = 'a-callback-secret-for-these-tests';
let sim;
let next = 20000;
const pair = (lastDigit = 0) => ({ caller: `8888${next++}`, called: `1390${next++}${lastDigit}` });

before(async () => {
  sim = await startSimulator({ port: 0, speed: 40, log: () => {} });
});
after(() => sim.close());

// The gateway of a CRM: the bearer token is the agent's work number, which is also its session.
async function startGateway(options = {}) {
  const gateway = createGateway({
    clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS },
    authorize: (request) => ({ agentWorkNo: (request.headers.get('Authorization') ?? '').replace(/^Bearer /, '') }),
    ...options,
  });
  const server = await serveFetch(gateway.fetch);
  return { ...server, page: (agent, extra = {}) => new AiccClient({ baseUrl: `${server.url}/aicc`, token: () => agent, maxRetries: 0, ...extra }) };
}

async function drain(watch) {
  const states = [];
  for await (const state of watch) states.push(state);
  return states;
}

test("a call is followed by the session that placed it; another session's page is refused with notYourCall", async () => {
  const gw = await startGateway();
  try {
    const [agent103, agent104] = [gw.page('103'), gw.page('104')];
    const numbers = pair();
    const { callSerialNo } = await agent103.createCall(numbers);
    const states = await drain(agent103.watchCall(callSerialNo, { intervalMs: 100 }));
    assert.equal(states.at(-1).stateName, 'ended');
    assert.equal(states[0].called, numbers.called);

    const refused = await agent104.queryCallState({ callSerialNo }).catch((e) => e);
    assert.ok(refused instanceof AiccError);
    assert.equal(refused.status, 403);
    assert.match(refused.message, /not placed by this session/);
    const watched = await drain(agent104.watchCall(callSerialNo, { intervalMs: 100 })).catch((e) => e);
    assert.equal(watched.status, 403, 'watchCall through the gateway follows only the session\'s own calls');

    const unknown = await agent103.queryCallState({ callSerialNo: '645735364434067472' }).catch((e) => e);
    assert.equal(unknown.status, 403, 'a serial the gateway never placed is refused by default');
  } finally {
    await gw.close();
  }
});

test('allowUnknownSerials reads calls placed elsewhere, but still never another session\'s', async () => {
  const gw = await startGateway({ allowUnknownSerials: true });
  try {
    const { callSerialNo } = await gw.page('103').createCall(pair());
    assert.equal((await gw.page('104').queryCallState({ callSerialNo: '645735364434067472' })).stateName, 'ended');
    assert.equal((await gw.page('104').queryCallState({ callSerialNo }).catch((e) => e)).status, 403);
  } finally {
    await gw.close();
  }
});

test('createCallPerMinute: past the limit the page gets a retryable 429 with retryAfterMs, and AICC never hears of it', async () => {
  const gw = await startGateway({ createCallPerMinute: 3 });
  try {
    const before = sim.calls().length;
    const page = gw.page('105');
    for (let i = 0; i < 3; i++) await page.createCall(pair());
    const limited = await page.createCall(pair()).catch((e) => e);
    assert.ok(limited instanceof AiccError);
    assert.equal(limited.kind, 'http');
    assert.equal(limited.status, 429);
    assert.equal(limited.retryable, true);
    assert.equal(limited.outcomeUnknown, undefined, 'a refused call is known not to be placed');
    assert.ok(limited.retryAfterMs > 50_000 && limited.retryAfterMs <= 60_000, String(limited.retryAfterMs));
    const raw = await fetch(`${gw.url}/aicc${PATHS.createCall}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer 105' },
      body: JSON.stringify(pair()),
    });
    assert.equal(raw.status, 429);
    assert.ok(Number(raw.headers.get('Retry-After')) >= 50, raw.headers.get('Retry-After'));
    assert.equal(sim.calls().length - before, 3, 'the simulator saw exactly 3 calls');
    await gw.page('106').createCall(pair()); // another session has its own count
  } finally {
    await gw.close();
  }
});

test('a release callback is handed on once, and only for the call its URL was signed for', async () => {
  const state = createMemoryState();
  const released = [];
  let publicUrl = '';
  const receiver = await serveFetch((request) => handleCallback(request, {
    secret: SECRET, publicUrl, state, onRelease: (event) => { released.push(event.callSerialNo); },
  }));
  publicUrl = receiver.url;
  const releaseUrl = `${publicUrl}/aicc/callback/release`;
  const gateway = createGateway({
    clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS },
    state,
    authorize: () => ({ agentWorkNo: '107', callBackUrl: signCallbackUrl(releaseUrl, SECRET) }),
  });
  try {
    const place = async () => {
      const res = await gateway.fetch(new Request(`http://127.0.0.1/aicc${PATHS.createCall}`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(pair()),
      }));
      assert.equal(res.status, 200);
      // The serial exactly: AICC sends it as an 18-digit JSON number.
      const serial = (await res.text()).match(/"callSerialNo":"?(\d+)/)[1];
      return { serial, url: Buffer.from(sim.calls().at(-1).body.callBackUrl, 'base64').toString() };
    };
    const first = await place();
    const second = await place();
    // The simulator pushes each call's release to its signed URL when the call ends.
    while (released.length < 2) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(released.sort(), [first.serial, second.serial].sort());

    const deliver = (url, serial) => fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ callSerialNo: serial, releaseReason: '0' }),
    });
    const replay = await deliver(first.url, first.serial);
    assert.equal(replay.status, 200, 'a replay is acknowledged so that AICC stops resending');
    assert.deepEqual(await replay.json(), { retCode: '0', retMsg: 'success' });
    assert.equal((await deliver(first.url, second.serial)).status, 403, 'a URL signed for one call cannot release another');
    assert.equal((await deliver(first.url, '645735364434067472')).status, 403, 'nor a call the gateway never placed');
    assert.equal(released.length, 2, 'onRelease ran once per call');
  } finally {
    await receiver.close();
  }
  await assert.rejects(
    handleCallback(new Request(releaseUrl, { method: 'POST', body: '{}' }), { state, onRelease() {} }),
    (e) => e instanceof AiccError && e.field === 'state',
    'one-shot releases need the signed URL',
  );
});

test('500 sessions at once each place a call and follow it to its end: none sees another\'s call', { timeout: 240_000 }, async () => {
  // Each status query moves a call one state (the poll clock), and every answer may take as long as a busy
  // machine needs: what is checked is who sees which call, never how fast.
  const polled = await startSimulator({ port: 0, clock: 'poll', log: () => {} });
  const gw = await startGateway({ clientOptions: { baseUrl: polled.url, credentials: CREDENTIALS, timeoutMs: 120_000 } });
  try {
    const sessions = Array.from({ length: 500 }, (_, i) => ({ agent: String(30000 + i), numbers: pair(i % 10) }));
    const placed = await Promise.all(sessions.map(async (s) => {
      const page = gw.page(s.agent, { timeoutMs: 120_000 });
      const { callSerialNo } = await page.createCall(s.numbers);
      const states = await drain(page.watchCall(callSerialNo, { intervalMs: 100 }));
      return { ...s, page, callSerialNo, states };
    }));
    assert.equal(new Set(placed.map((p) => p.callSerialNo)).size, 500);
    for (const p of placed) {
      assert.equal(p.states.at(-1).stateName, 'ended', p.agent);
      assert.ok(p.states.every((s) => s.caller === undefined || s.caller === p.numbers.caller), `${p.agent} saw only its own call`);
    }
    // Every session tries the next session's serial: all refused.
    const crossed = await Promise.all(placed.map((p, i) =>
      p.page.queryCallState({ callSerialNo: placed[(i + 1) % 500].callSerialNo }).then(() => 200, (e) => e.status)));
    assert.deepEqual(new Set(crossed), new Set([403]));
  } finally {
    await gw.close();
    await polled.close();
  }
});

test('a state that is not one is refused where it is given, naming the option', () => {
  for (const state of [{}, { apply: 'no' }, 42]) {
    assert.throws(() => createGateway({ clientOptions: { baseUrl: sim.url }, authorize: () => true, state }), (e) => e instanceof AiccError && e.field === 'state');
  }
  assert.throws(() => durableObjectState(undefined), (e) => e instanceof AiccError && e.field === 'state' && /AICC_STATE/.test(e.rule));
  for (const [option, value] of [['createCallPerMinute', 0], ['createCallPerDay', 5001], ['callTtlMs', 1000], ['allowUnknownSerials', 'yes']]) {
    assert.throws(() => createGateway({ clientOptions: { baseUrl: sim.url }, authorize: () => true, [option]: value }), (e) => e instanceof AiccError && e.field === option, option);
  }
});

// A call through a gateway whose state is `state` (createMemoryState() when none): the timers armed with the
// state's deadline (stateTimeoutMs), and those of them still pending once both requests were answered.
async function deadlineTimers(state) {
  const STATE_MS = 4321; // stateTimeoutMs: the deadline of each command to the state, told apart by its delay
  const gateway = createGateway({
    clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS },
    authorize: () => ({ agentWorkNo: '105' }),
    stateTimeoutMs: STATE_MS,
    ...(state ? { state } : {}),
  });
  const post = (path, body) => gateway.fetch(new Request(`http://127.0.0.1/aicc${path}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  }));
  try {
    const { armed, pending } = await timersOf(STATE_MS, async () => {
      const placed = await post(PATHS.createCall, pair());
      const text = await placed.text();
      assert.equal(placed.status, 200, text);
      const callSerialNo = /"callSerialNo"\s*:\s*"?(\d+)/.exec(text)?.[1]; // 18 digits: JSON.parse would round them
      const state = await post(PATHS.queryCallState, { callSerialNo });
      assert.equal(state.status, 200, await state.text());
    });
    return { armed, pending };
  } finally {
    gateway.free?.();
  }
}

test("a call through the gateway leaves none of its state's deadline timers behind (a process can exit at once)", async () => {
  const memory = createMemoryState();
  const answersLater = { apply: async (key, command) => memory.apply(key, command) }; // as a Durable Object does
  const { armed, pending } = await deadlineTimers(answersLater);
  assert.ok(armed >= 2, `the state's deadline was armed for its commands (${armed})`);
  assert.equal(pending, 0, `${pending} of ${armed} deadline timers still pending`);
});

test('the memory state answers at once: no deadline timer is armed for its commands', async () => {
  assert.deepEqual(await deadlineTimers(), { armed: 0, pending: 0 });
});
