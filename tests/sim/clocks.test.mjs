// The simulator's clocks for tests: 'manual' (time moves only by advance(ms), also through POST /__sim/advance)
// and 'poll' (each call moves one state per queryCallState about it), so that no test races the wall clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { withSim, getToken, createCall, post, PATHS } from './helpers.mjs';

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const stateOf = async (sim, token, serial) => (await post(sim, PATHS.queryCallState, { callSerialNo: serial }, token)).json.result;

test("'poll': each query about a call answers its next state, whatever the time; the release goes with the end", async (t) => {
  const got = [];
  let arrived;
  const released = new Promise((resolve) => { arrived = resolve; });
  const rx = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => { got.push(JSON.parse(raw)); res.end('{"retCode":"0"}'); arrived(); });
  });
  await new Promise((r) => rx.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => rx.close(r)));
  const sim = await withSim(t, { speed: 0.001, clock: 'poll' }); // at real speed 0.001 nothing would move for hours
  const token = await getToken(sim);
  const answered = await createCall(sim, token, { caller: '88889050', called: '13800000000', callBackUrl: b64(`http://127.0.0.1:${rx.address().port}/cb`) });
  const busy = await createCall(sim, token, { caller: '88889050', called: '13800000007' });
  const seen = { answered: [], busy: [] };
  for (let i = 0; i < 5; i += 1) {
    seen.answered.push((await stateOf(sim, token, answered)).state);
    seen.busy.push((await stateOf(sim, token, busy)).state);
  }
  assert.deepEqual(seen.answered, [0, 1, 2, 3, 3]);
  assert.deepEqual(seen.busy, [0, 1, 3, 3, 3]);
  await released;
  assert.equal(got.length, 1, 'one release, when the end was first answered');
  assert.equal(got[0].callSerialNo, answered);
  const ended = await stateOf(sim, token, answered);
  assert.equal(ended.endTime - ended.startTime, 6500 / 0.001, 'the simulated times follow the speed');
  assert.deepEqual(sim.transitions(busy).map((x) => x.name), ['toBeCalled', 'calling', 'ended']);
  // Once ended, the same pair may call again; a call that was never polled stays live.
  await createCall(sim, token, { caller: '88889050', called: '13800000007' });
  const dup = await post(sim, PATHS.createCall, { caller: '88889050', called: '13800000007' }, token);
  assert.equal(dup.json.retCode, '1');
});

test("'manual': GET /__sim/clock and POST /__sim/advance; advance is refused on the real clock", async (t) => {
  const sim = await withSim(t, { clock: 'manual', startTime: 1_700_000_000_000 });
  assert.deepEqual(await (await fetch(`${sim.url}/__sim/clock`)).json(), { clock: 'manual', now: 1_700_000_000_000 });
  const token = await getToken(sim);
  const serial = await createCall(sim, token, { caller: '88889050', called: '13800000003' });
  assert.equal((await stateOf(sim, token, serial)).startTime, 1_700_000_000_000, 'calls start on the simulated clock');
  const moved = await fetch(`${sim.url}/__sim/advance`, { method: 'POST', body: JSON.stringify({ ms: 2500 }) });
  assert.deepEqual(await moved.json(), { clock: 'manual', now: 1_700_000_002_500 });
  assert.equal((await stateOf(sim, token, serial)).state, 3);
  assert.equal((await fetch(`${sim.url}/__sim/advance`, { method: 'POST', body: '{"ms":-1}' })).status, 400);
  assert.equal(sim.calls()[0].at, new Date(1_700_000_000_000).toISOString(), 'recorded times are simulated too');

  const real = await withSim(t);
  assert.equal((await fetch(`${real.url}/__sim/advance`, { method: 'POST', body: '{"ms":1}' })).status, 400);
  await assert.rejects(real.advance(1), /manual/);
  assert.equal((await (await fetch(`${real.url}/__sim/clock`)).json()).clock, 'real');
});

test('timers run in order, each at its own time, as advance() passes them', async (t) => {
  const got = [];
  let two;
  const both = new Promise((resolve) => { two = resolve; });
  const rx = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => { got.push(JSON.parse(raw)); res.end('{}'); if (got.length === 2) two(); });
  });
  await new Promise((r) => rx.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => rx.close(r)));
  const sim = await withSim(t, { speed: 1, clock: 'manual' });
  const start = sim.now();
  const token = await getToken(sim);
  const url = b64(`http://127.0.0.1:${rx.address().port}/cb`);
  const long = await createCall(sim, token, { caller: '88889050', called: '13800000000', callBackUrl: url }); // ends at 6500 ms
  const short = await createCall(sim, token, { caller: '88889050', called: '13800000002', callBackUrl: url }); // ends at 2500 ms
  await sim.advance(2499);
  assert.equal(sim.transitions(short).at(-1).name, 'calling');
  await sim.advance(10_000); // one step over both ends: each release is sent at its own time, in order
  await both;
  const released = got.map((b) => [b.callSerialNo, Number(b.releaseTime) - start]).sort((x, y) => x[1] - y[1]);
  assert.deepEqual(released, [[short, 2500], [long, 6500]]);
  assert.equal(sim.now() - start, 12_499);
});
