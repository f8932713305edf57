import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { withSim, getToken, createCall, pollUntilEnded, sleep } from './helpers.mjs';

const EXPECTED = { 0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 17, 8: 21, 9: 20 };
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

test('the called number\'s last digit picks the outcome; only 0 and 1 pass through talking', async (t) => {
  const sim = await withSim(t, { speed: 20 });
  const token = await getToken(sim);
  await Promise.all(Object.entries(EXPECTED).map(async ([digit, reason]) => {
    const before = Date.now();
    const serial = await createCall(sim, token, { caller: '88889050', called: `1380000000${digit}` });
    const { states, result } = await pollUntilEnded(sim, token, serial);
    assert.equal(result.reasonCode, reason, `digit ${digit}`);
    assert.equal(states.has(2), digit === '0' || digit === '1', `digit ${digit} states ${[...states]}`);
    assert.ok(states.has(1), `digit ${digit} visits calling`);
    assert.equal(typeof result.endTime, 'number');
    assert.ok(result.startTime >= before - 5 && result.endTime > result.startTime);
    // At speed 20: 25 ms + 100 ms (+ 200 ms talking when answered).
    const expected = digit <= '1' ? 325 : 125;
    assert.ok(Math.abs(result.endTime - result.startTime - expected) <= 2, `duration ${result.endTime - result.startTime}`);
  }));
});

test('a new call between the same pair is allowed once the previous one has ended', async (t) => {
  const sim = await withSim(t, { speed: 50 });
  const token = await getToken(sim);
  const first = await createCall(sim, token, { caller: '88889050', called: '13800000002' });
  await pollUntilEnded(sim, token, first);
  const second = await createCall(sim, token, { caller: '88889050', called: '13800000002' });
  assert.notEqual(first, second);
});

function startReceiver(t) {
  const got = [];
  let notify;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      got.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: JSON.parse(raw) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"retCode":"0","retMsg":"success"}');
      notify?.();
    });
  });
  t.after(() => new Promise((r) => server.close(r)));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    port: server.address().port,
    got,
    next: () => new Promise((r) => { notify = r; }),
  })));
}

const CALLBACK_FIELDS = ['callSerialNo', 'serviceNo', 'called', 'caller', 'callerPresent', 'callData', 'createCallTime', 'alertingTime',
  'talkingTime', 'releaseTime', 'talkDuration', 'recordfile', 'locationId', 'releaseReason', 'agentAlertingTime', 'agentTalkingTime',
  'agentReleaseTime', 'agentTalkDuration'];

test('the release callback is POSTed to the decoded callBackUrl when the call ends, every field a string', async (t) => {
  const sim = await withSim(t, { speed: 20 });
  const rx = await startReceiver(t);
  const token = await getToken(sim);
  const arrived = rx.next();
  const serial = await createCall(sim, token, {
    caller: '88889050', called: '13800000000', callData: 'order-42', callerPresent: '640003',
    callBackUrl: b64(`http://127.0.0.1:${rx.port}/release/cb?a&b`),
  });
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
  assert.ok(Number(body.releaseTime) > Number(body.talkingTime));
  assert.ok(Number(body.talkingTime) > Number(body.createCallTime));
  const q = await pollUntilEnded(sim, token, serial);
  assert.equal(String(q.result.endTime), body.releaseTime);
});

test('release reasons follow the callback table; unanswered calls have no talking time', async (t) => {
  const sim = await withSim(t, { speed: 20 });
  const rx = await startReceiver(t);
  const token = await getToken(sim);
  const wanted = { 1: '1', 2: '2', 4: '4', 5: '5', 7: '3' };
  for (const digit of Object.keys(wanted)) {
    await createCall(sim, token, { caller: '88889050', called: `1390000000${digit}`, callBackUrl: b64(`http://localhost:${rx.port}/cb`) });
  }
  const deadline = Date.now() + 3000;
  while (rx.got.length < 5 && Date.now() < deadline) await sleep(20);
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
  const sim = await withSim(t, { speed: 50 });
  const token = await getToken(sim);
  const closed = http.createServer();
  await new Promise((r) => closed.listen(0, '127.0.0.1', r));
  const deadPort = closed.address().port;
  await new Promise((r) => closed.close(r));
  await createCall(sim, token, { caller: '88889050', called: '13800000002', callBackUrl: b64('http://example.com/cb') });
  await createCall(sim, token, { caller: '88889050', called: '13800000003', callBackUrl: b64(`http://127.0.0.1:${deadPort}/cb`) });
  const deadline = Date.now() + 2000;
  while (sim.logLines.length < 2 && Date.now() < deadline) await sleep(20);
  assert.ok(sim.logLines.some((l) => l.includes('skipped') && l.includes('example.com')), sim.logLines.join('\n'));
  assert.ok(sim.logLines.some((l) => l.includes('failed')), sim.logLines.join('\n'));
  // Still serving.
  assert.ok(await getToken(sim));
});

test('close() cancels pending callbacks', async (t) => {
  const sim = await withSim(t, { speed: 1 });
  const rx = await startReceiver(t);
  const token = await getToken(sim);
  await createCall(sim, token, { caller: '88889050', called: '13800000000', callBackUrl: b64(`http://127.0.0.1:${rx.port}/cb`) });
  await sim.close();
  await sleep(100);
  assert.equal(rx.got.length, 0);
});
