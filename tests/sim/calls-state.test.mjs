import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { withSim, getToken, createCall, post, sleep, PATHS } from './helpers.mjs';

const EXPECTED = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 17, 8: 21, 9: 20 };
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

const QUERY = PATHS.queryCallState;
const stateOf = async (sim, token, serial) => (await post(sim, QUERY, { callSerialNo: serial }, token)).json.result;

// The clock is the test's own ('manual'): each phase is stepped into and read back, so no state can be missed
// however slow the machine is, and the durations are exact.
test('the called number\'s last digit picks the outcome; only 0 and 1 pass through talking', async (t) => {
  const sim = await withSim(t, { speed: 20, clock: 'manual' });
  const token = await getToken(sim);
  const start = sim.now();
  const serials = {};
  for (const digit of Object.keys(EXPECTED)) {
    serials[digit] = await createCall(sim, token, { caller: '88889050', called: `1380000000${digit}` });
  }
  const all = async () => Object.fromEntries(await Promise.all(Object.entries(serials).map(async ([d, s]) => [d, await stateOf(sim, token, s)])));
  const expectStates = async (wanted, when) => {
    for (const [digit, result] of Object.entries(await all())) {
      assert.equal(result.state, wanted(digit), `digit ${digit} ${when}`);
      assert.equal(result.startTime, start, `digit ${digit} startTime`);
      assert.equal('reasonCode' in result, result.state === 3, `digit ${digit}: reasonCode only once ended`);
    }
  };
  const answered = (digit) => digit === '0' || digit === '1';
  // At speed 20: to be called 25 ms, calling 100 ms, then talking 200 ms for answered calls only.
  await expectStates(() => 0, 'at the start');
  await sim.advance(24);
  await expectStates(() => 0, 'at 24 ms');
  await sim.advance(1);
  await expectStates(() => 1, 'at 25 ms');
  await sim.advance(99);
  await expectStates(() => 1, 'at 124 ms');
  await sim.advance(1);
  await expectStates((d) => (answered(d) ? 2 : 3), 'at 125 ms');
  await sim.advance(199);
  await expectStates((d) => (answered(d) ? 2 : 3), 'at 324 ms');
  await sim.advance(1);
  await expectStates(() => 3, 'at 325 ms');
  for (const [digit, result] of Object.entries(await all())) {
    assert.equal(result.reasonCode, EXPECTED[digit], `digit ${digit}`);
    assert.equal(result.endTime - result.startTime, answered(digit) ? 325 : 125, `digit ${digit} duration`);
    // The transitions log says the same, with the simulated times.
    const steps = sim.transitions(serials[digit]).map((x) => [x.name, x.at - start]);
    const expected = answered(digit) ? [['toBeCalled', 0], ['calling', 25], ['talking', 125], ['ended', 325]] : [['toBeCalled', 0], ['calling', 25], ['ended', 125]];
    assert.deepEqual(steps, expected, `digit ${digit} transitions`);
  }
});

test('the transitions log holds only the states reached so far, also through GET /__sim/transitions', async (t) => {
  const sim = await withSim(t, { speed: 20, clock: 'manual' });
  const token = await getToken(sim);
  const serial = await createCall(sim, token, { caller: '88889050', called: '13800000007' });
  const start = sim.now();
  assert.deepEqual(sim.transitions(serial), [{ state: 0, name: 'toBeCalled', at: start }]);
  await sim.advance(30);
  const http = await (await fetch(`${sim.url}/__sim/transitions?callSerialNo=${serial}`)).json();
  assert.deepEqual(http, [{ state: 0, name: 'toBeCalled', at: start }, { state: 1, name: 'calling', at: start + 25 }]);
  await sim.advance(1000);
  assert.deepEqual(sim.transitions(serial).at(-1), { state: 3, name: 'ended', at: start + 125, reasonCode: 17 });
  assert.equal(sim.transitions('1'), null);
  assert.equal((await fetch(`${sim.url}/__sim/transitions?callSerialNo=1`)).status, 404);
});

test('a new call between the same pair is allowed once the previous one has ended', async (t) => {
  const sim = await withSim(t, { speed: 50, clock: 'manual' });
  const token = await getToken(sim);
  const first = await createCall(sim, token, { caller: '88889050', called: '13800000002' });
  await sim.advance(49); // unanswered at speed 50: ends at 2500 / 50 = 50 ms
  const refused = await post(sim, PATHS.createCall, { caller: '88889050', called: '13800000002' }, token);
  assert.equal(refused.json.retCode, '1', 'still live just before its end');
  await sim.advance(1);
  assert.equal((await stateOf(sim, token, first)).state, 3);
  const second = await createCall(sim, token, { caller: '88889050', called: '13800000002' });
  assert.notEqual(first, second);
});

function startReceiver(t) {
  const got = [];
  const waiting = new Set();
  const notify = () => { for (const w of waiting) if (got.length >= w.n) { waiting.delete(w); w.resolve(); } };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      got.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: JSON.parse(raw) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"retCode":"0","retMsg":"success"}');
      notify();
    });
  });
  t.after(() => new Promise((r) => server.close(r)));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    port: server.address().port,
    got,
    /** Resolves when the next callback has arrived. */
    next: () => new Promise((resolve) => waiting.add({ n: got.length + 1, resolve })),
    /** Resolves once n callbacks have arrived in all. */
    count: (n) => new Promise((resolve) => { waiting.add({ n, resolve }); notify(); }),
  })));
}

const CALLBACK_FIELDS = ['callSerialNo', 'serviceNo', 'called', 'caller', 'callerPresent', 'callData', 'createCallTime', 'alertingTime',
  'talkingTime', 'releaseTime', 'talkDuration', 'recordfile', 'locationId', 'releaseReason', 'agentAlertingTime', 'agentTalkingTime',
  'agentReleaseTime', 'agentTalkDuration'];

test('the release callback is POSTed to the decoded callBackUrl when the call ends, every field a string', async (t) => {
  const sim = await withSim(t, { speed: 20, clock: 'manual' });
  const rx = await startReceiver(t);
  const token = await getToken(sim);
  const arrived = rx.next();
  const serial = await createCall(sim, token, {
    caller: '88889050', called: '13800000000', callData: 'order-42', callerPresent: '640003',
    callBackUrl: b64(`http://127.0.0.1:${rx.port}/release/cb?a&b`),
  });
  await sim.advance(324);
  assert.equal(rx.got.length, 0, 'not before the call ends');
  await sim.advance(1);
  await arrived;
  assert.equal(rx.got.length, 1);
  const { method, url, type, body } = rx.got[0];
  assert.equal(method, 'POST');
  assert.equal(url, '/release/cb?a&b');
  assert.match(type, /^application\/json/);
  assert.deepEqual(Object.keys(body).sort(), [...CALLBACK_FIELDS].sort());
  for (const f of CALLBACK_FIELDS) assert.equal(typeof body[f], 'string', f);
  assert.equal(body.callSerialNo, serial);
  assert.equal(body.called, '13800000000');
  assert.equal(body.caller, '88889050');
  assert.equal(body.callerPresent, '640003');
  assert.equal(body.callData, 'order-42');
  assert.equal(body.releaseReason, '0');
  // Simulated times at speed 20: talking from 125 ms, released at 325 ms.
  assert.equal(Number(body.talkingTime) - Number(body.createCallTime), 125);
  assert.equal(Number(body.releaseTime) - Number(body.createCallTime), 325);
  const q = await stateOf(sim, token, serial);
  assert.equal(q.state, 3);
  assert.equal(String(q.endTime), body.releaseTime);
  await sim.waitForReleases(1);
  assert.deepEqual(sim.releases().map((r) => [r.callSerialNo, r.status]), [[serial, 200]]);
  assert.deepEqual(await (await fetch(`${sim.url}/__sim/releases`)).json(), sim.releases());
});

test('release reasons follow the callback table; unanswered calls have no talking time', async (t) => {
  const sim = await withSim(t, { speed: 20, clock: 'manual' });
  const rx = await startReceiver(t);
  const token = await getToken(sim);
  const wanted = { 1: '1', 2: '2', 4: '4', 5: '5', 7: '3' };
  for (const digit of Object.keys(wanted)) {
    await createCall(sim, token, { caller: '88889050', called: `1390000000${digit}`, callBackUrl: b64(`http://localhost:${rx.port}/cb`) });
  }
  const five = rx.count(5);
  await sim.advance(1000);
  await five;
  assert.equal(rx.got.length, 5);
  for (const { body } of rx.got) {
    const digit = body.called.slice(-1);
    assert.equal(body.releaseReason, wanted[digit], `digit ${digit}`);
    if (digit !== '1') {
      assert.equal(body.talkingTime, '');
      assert.equal(body.talkDuration, '0');
    }
  }
});

test('non-loopback callback URLs are logged and skipped; an unreachable receiver is not fatal', async (t) => {
  let twoLines;
  const logged = new Promise((resolve) => { twoLines = resolve; });
  const lines = [];
  const sim = await withSim(t, { speed: 50, clock: 'manual', log: (l) => { lines.push(l); if (lines.length === 2) twoLines(); } });
  sim.logLines = lines;
  const token = await getToken(sim);
  const closed = http.createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = closed.address().port;
  await new Promise((r) => closed.close(r));
  await createCall(sim, token, { caller: '88889050', called: '13800000002', callBackUrl: b64('http://example.com/cb') });
  await createCall(sim, token, { caller: '88889050', called: '13800000003', callBackUrl: b64(`http://127.0.0.1:${deadPort}/cb`) });
  await sim.advance(1000);
  await logged;
  assert.ok(sim.logLines.some((l) => l.includes('skipped') && l.includes('example.com')), sim.logLines.join('\n'));
  assert.ok(sim.logLines.some((l) => l.includes('failed')), sim.logLines.join('\n'));
  await sim.waitForReleases(1);
  assert.deepEqual(sim.releases().map((r) => [r.status, typeof r.error]), [[null, 'string']], 'the failed delivery is listed; the skipped one is not');
  // Still serving.
  assert.ok(await getToken(sim));
});

test('close() cancels pending callbacks', async (t) => {
  const sim = await withSim(t, { speed: 1, clock: 'manual' });
  const rx = await startReceiver(t);
  const token = await getToken(sim);
  await createCall(sim, token, { caller: '88889050', called: '13800000000', callBackUrl: b64(`http://127.0.0.1:${rx.port}/cb`) });
  await sim.close();
  await sim.advance(60_000); // past the call's end: a callback still pending would be sent now
  await sleep(100);
  assert.equal(rx.got.length, 0);
});
