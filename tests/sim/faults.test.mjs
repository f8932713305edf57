import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSim, getToken, post, PATHS } from './helpers.mjs';

const fault = (sim, body) => fetch(sim.url + '/__sim/fault', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const CALL = { caller: '88889050', called: '13800000000' };

test('status:<code> answers that status with a small JSON body, for N requests', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  assert.equal((await fault(sim, { path: PATHS.queryCallState, fault: 'status:503', times: 2 })).status, 200);
  for (let i = 0; i < 2; i++) {
    const r = await post(sim, PATHS.queryCallState, { callSerialNo: '1' }, token);
    assert.equal(r.status, 503);
    assert.equal(typeof r.json.error_msg, 'string');
  }
  assert.equal((await post(sim, PATHS.queryCallState, { callSerialNo: '1' }, token)).status, 200);
});

test('status faults also apply to tokenByAkSk (e.g. a WAF 429)', async (t) => {
  const sim = await withSim(t);
  sim.fault({ path: PATHS.token, fault: 'status:429' });
  const r = await post(sim, PATHS.token, { app_key: 'demo-app-key', app_secret: 'demo-app-secret' });
  assert.equal(r.status, 429);
  assert.ok(await getToken(sim));
});

test('html answers 502 with an HTML page', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  await fault(sim, { path: PATHS.createCall, fault: 'html' });
  const r = await post(sim, PATHS.createCall, CALL, token);
  assert.equal(r.status, 502);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /<html>/);
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
});

test('malformed answers 200 with JSON cut in the middle; empty answers 200 with no body', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  await fault(sim, { path: PATHS.getCalledInfo, fault: 'malformed' });
  const m = await post(sim, PATHS.getCalledInfo, { caller: '1', called: '6666601' }, token);
  assert.equal(m.status, 200);
  assert.ok(m.text.startsWith('{'));
  assert.throws(() => JSON.parse(m.text));
  await fault(sim, { path: PATHS.getCalledInfo, fault: 'empty' });
  const e = await post(sim, PATHS.getCalledInfo, { caller: '1', called: '6666601' }, token);
  assert.equal(e.status, 200);
  assert.equal(e.text, '');
});

test('delay:<ms> waits then answers normally, and is recorded', async (t) => {
  const sim = await withSim(t, { clock: 'manual' }); // the delay runs on the test's clock
  const token = await getToken(sim);
  await fault(sim, { path: PATHS.createCall, fault: 'delay:300' });
  let answered = false;
  const pending = post(sim, PATHS.createCall, CALL, token).then((r) => { answered = true; return r; });
  await sim.waitForRequests(PATHS.createCall);
  await sim.advance(299);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(answered, false, 'not answered before the delay');
  assert.equal(sim.calls()[0].retCode, null, 'not handled yet');
  await sim.advance(1);
  const r = await pending;
  assert.equal(r.json.retCode, '0');
  const [rec] = sim.calls();
  assert.equal(rec.fault, 'delay:300');
  assert.equal(rec.retCode, '0');
});

test('hold: handled (a createCall is placed), then no answer until the client gives up', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  await fault(sim, { path: PATHS.createCall, fault: 'hold' });
  const ac = new AbortController();
  const pending = post(sim, PATHS.createCall, CALL, token, { }, ac.signal).catch((e) => e);
  await sim.waitForRequests(PATHS.createCall);
  const [rec] = sim.calls();
  assert.equal(rec.fault, 'hold');
  assert.equal(rec.retCode, '0', 'handled: the call is placed');
  assert.equal(rec.status, 'held');
  ac.abort();
  assert.equal((await pending).name, 'AbortError');
  // A held query is also released by close().
  await fault(sim, { path: PATHS.queryCallState, fault: 'hold' });
  const held = post(sim, PATHS.queryCallState, { callSerialNo: '645735364434067472' }, token).catch((e) => e);
  await sim.waitForRequests(PATHS.queryCallState);
  await sim.close();
  assert.ok((await held) instanceof TypeError, 'the connection is closed without an answer');
});

test('waitForRequests resolves once the count on a path is reached, counting earlier requests', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  await sim.waitForRequests(PATHS.token, 1); // already received
  let seen = false;
  const two = sim.waitForRequests(PATHS.getCalledInfo, 2).then(() => { seen = true; });
  await post(sim, PATHS.getCalledInfo, { caller: '1', called: '6666601' }, token);
  await new Promise((r) => setImmediate(r));
  assert.equal(seen, false);
  await post(sim, PATHS.getCalledInfo, { caller: '1', called: '6666601' }, token);
  await two;
  await sim.waitForRequests(undefined, 3); // any path
});

test('drop destroys the socket without answering; calls() still records the createCall', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  sim.fault({ path: PATHS.createCall, fault: 'drop' });
  await assert.rejects(post(sim, PATHS.createCall, CALL, token), TypeError);
  const calls = await (await fetch(sim.url + '/__sim/calls')).json();
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].body, CALL);
  assert.equal(calls[0].fault, 'drop');
  assert.equal(calls[0].retCode, null);
  // The next request goes through.
  const r = await post(sim, PATHS.createCall, CALL, token);
  assert.equal(r.json.retCode, '0');
  assert.equal(sim.calls().length, 2);
});

test('status faults on createCall are recorded too', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  sim.fault({ path: PATHS.createCall, fault: 'status:500' });
  assert.equal((await post(sim, PATHS.createCall, CALL, token)).status, 500);
  const [rec] = sim.calls();
  assert.equal(rec.status, 500);
  assert.equal(rec.fault, 'status:500');
});

test('expire-token revokes the presented token: 401 now and afterwards', async (t) => {
  const sim = await withSim(t);
  const token = await getToken(sim);
  await fault(sim, { path: PATHS.createCall, fault: 'expire-token' });
  const r = await post(sim, PATHS.createCall, CALL, token);
  assert.equal(r.status, 401);
  assert.equal(r.json.error_code, 'SIM.0401');
  assert.equal((await post(sim, PATHS.queryCallState, { callSerialNo: '1' }, token)).status, 401);
  assert.equal(sim.calls().length, 1, 'the faulted request reached the handler and is recorded');
  const fresh = await getToken(sim);
  assert.equal((await post(sim, PATHS.createCall, CALL, fresh)).json.retCode, '0');
});

test('bad fault requests are 400; reset clears faults, calls and tokens', async (t) => {
  const sim = await withSim(t);
  for (const body of [{ path: PATHS.createCall, fault: 'explode' }, { fault: 'html' }, { path: PATHS.createCall, fault: 'html', times: 0 }, { path: PATHS.createCall, fault: 'status:99' }]) {
    assert.equal((await fault(sim, body)).status, 400, JSON.stringify(body));
  }
  const token = await getToken(sim);
  await post(sim, PATHS.createCall, CALL, token);
  await fault(sim, { path: PATHS.createCall, fault: 'html', times: 3 });
  const reset = await fetch(sim.url + '/__sim/reset', { method: 'POST' });
  assert.equal(reset.status, 200);
  assert.deepEqual(sim.calls(), []);
  assert.equal((await post(sim, PATHS.createCall, CALL, token)).status, 401, 'tokens cleared');
  const fresh = await getToken(sim);
  const r = await post(sim, PATHS.createCall, CALL, fresh);
  assert.equal(r.json.retCode, '0', 'faults cleared, and the earlier live call is forgotten');
  const reqs = await (await fetch(sim.url + '/__sim/requests')).json();
  assert.deepEqual(reqs.map((q) => q.path), [PATHS.createCall, PATHS.token, PATHS.createCall], 'requests since the reset');
});
