// The AiccGatewayState Durable Object's alarm, in workerd: a record past its expiry is deleted, a storm of
// expired keys (many objects) is cleared, and a live record is never deleted early (an alarm that runs before
// its expiry re-arms and keeps it). The test worker (alarm-worker/) subclasses the package's class with a clock
// the test moves, so every case runs at chosen times without waiting; one case lets workerd fire the alarm itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorker } from './helpers.mjs';

const HOUR = 3_600_000;
const T0 = Date.now();
let worker;

before(async () => {
  worker = await startWorker({ config: 'tests/js/workerd/alarm-worker/wrangler.toml', durableObjects: { STATE: 'TestGatewayState' } });
});
after(() => worker?.close());

// Steps per request: one request fanning out to hundreds of objects could outlast workerd's patience on a
// machine whose cores are busy (it dropped the connection once); batches keep each request small.
const BATCH = 25;

/** Runs [{ name, method, args }] on the objects (a batch at once); the values, in order (throws on any error). */
async function run(steps) {
  const values = [];
  for (let start = 0; start < steps.length; start += BATCH) {
    const batch = steps.slice(start, start + BATCH);
    const res = await fetch(`${worker.url}/do`, { method: 'POST', body: JSON.stringify(batch) });
    assert.equal(res.status, 200);
    const out = await res.json();
    for (const [i, r] of out.entries()) assert.equal(r.error, undefined, `${batch[i].name}.${batch[i].method}: ${r.error}`);
    values.push(...out.map((r) => r.value));
  }
  return values;
}
const one = async (name, method, ...args) => (await run([{ name, method, args }]))[0];
const record = (session, ttlMs) => JSON.stringify({ do: 'record', session, nonce: null, ttlMs });
const owner = (session) => JSON.stringify({ do: 'owner', session });
const admit = (perMinute) => JSON.stringify({ do: 'admit', perMinute, perDay: null });
const is = (outcome) => JSON.parse(outcome).is;

test('a record past its expiry is deleted by the alarm, and only then', async () => {
  const name = 'call:111';
  await one(name, 'setClock', T0);
  assert.equal(is(await one(name, 'apply', record('s1', HOUR))), 'recorded');
  const kept = await one(name, 'inspect');
  assert.deepEqual(kept.keys, ['record']);
  assert.equal(kept.record.expiresAt, T0 + HOUR);
  assert.equal(kept.alarm, T0 + HOUR, 'the alarm is set for the expiry');

  await one(name, 'setClock', T0 + HOUR - 1);
  const early = await one(name, 'runAlarm');
  assert.deepEqual(early.keys, ['record'], 'kept 1 ms before its expiry');
  assert.equal(early.alarm, T0 + HOUR, 're-armed for the expiry');
  assert.equal(is(await one(name, 'apply', owner('s1'))), 'mine');

  await one(name, 'setClock', T0 + HOUR);
  const gone = await one(name, 'runAlarm');
  assert.deepEqual(gone, { keys: [], record: null, alarm: null }, 'deleted at its expiry, no alarm left');
  assert.equal(is(await one(name, 'apply', owner('s1'))), 'unknown');
  assert.deepEqual(await one(name, 'runAlarm'), { keys: [], record: null, alarm: null }, 'an alarm on an empty object is harmless');
});

test('a live record is never deleted early: a session whose window moved is kept by an alarm of its old expiry', async () => {
  const name = 'session:s2';
  await one(name, 'setClock', T0);
  assert.equal(is(await one(name, 'apply', admit(2))), 'admitted');
  assert.equal((await one(name, 'inspect')).alarm, T0 + 60_000);
  await one(name, 'setClock', T0 + 50_000);
  assert.equal(is(await one(name, 'apply', admit(2))), 'admitted');
  const moved = await one(name, 'inspect');
  assert.equal(moved.record.expiresAt, T0 + 110_000, 'kept a minute after the last call');
  assert.equal(moved.alarm, T0 + 110_000, 'the alarm follows the expiry');

  // The alarm of the first expiry runs anyway (as one already due would): it must keep the record.
  await one(name, 'setClock', T0 + 60_000);
  const early = await one(name, 'runAlarm');
  assert.deepEqual(early.keys, ['record']);
  assert.equal(early.alarm, T0 + 110_000, 're-armed for the new expiry');
  // The counts survived: the call at T0 + 50 s is still in the minute, so a limit of 1 is reached.
  await one(name, 'setClock', T0 + 60_001);
  const limited = JSON.parse(await one(name, 'apply', admit(1)));
  assert.equal(limited.is, 'limited');
  assert.equal(limited.retryAfterMs, 49_999);

  await one(name, 'setClock', T0 + 110_000);
  assert.deepEqual(await one(name, 'runAlarm'), { keys: [], record: null, alarm: null });
});

test('a storm of expired keys is cleared: 300 expired objects deleted, 30 live ones kept and re-armed', async () => {
  const expired = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `session:storm-${i}` : `call:storm-${i}`));
  const live = Array.from({ length: 30 }, (_, i) => `call:live-${i}`);
  const command = (name, i) => (name.startsWith('session:') ? admit(5) : record(`s${i}`, name.includes('live') ? 3 * HOUR : HOUR + i));
  const all = [...expired, ...live];
  await run(all.map((name) => ({ name, method: 'setClock', args: [T0] })));
  const written = await run(all.map((name, i) => ({ name, method: 'apply', args: [command(name, i)] })));
  assert.ok(written.every((o) => ['recorded', 'admitted'].includes(is(o))));
  const armed = await run(all.map((name) => ({ name, method: 'inspect' })));
  assert.ok(armed.every((s) => s.keys.length === 1 && s.alarm === s.record.expiresAt), 'every object has its alarm');

  const later = T0 + 2 * HOUR;
  await run(all.map((name) => ({ name, method: 'setClock', args: [later] })));
  const after = await run(all.map((name) => ({ name, method: 'runAlarm' })));
  const left = after.slice(0, expired.length).map((s, i) => [expired[i], s]).filter(([, s]) => s.keys.length || s.alarm !== null);
  assert.deepEqual(left, [], 'every expired object is empty, with no alarm');
  for (const [i, s] of after.slice(expired.length).entries()) {
    assert.deepEqual(s.keys, ['record'], live[i]);
    assert.equal(s.alarm, T0 + 3 * HOUR, `${live[i]} re-armed`);
  }
  const owners = await run(live.map((name, i) => ({ name, method: 'apply', args: [owner(`s${expired.length + i}`)] })));
  assert.ok(owners.every((o) => is(o) === 'mine'), 'the live records still answer');
});

test('workerd fires the alarm it was given, and the alarm deletes the expired record', { timeout: 30_000 }, async () => {
  const name = 'call:real-alarm';
  // Recorded "an hour ago" for an hour: it expires 200 ms from now, and the object reads the real clock again.
  const expiresAt = Date.now() + 200;
  await one(name, 'setClock', expiresAt - HOUR);
  await one(name, 'apply', record('s9', HOUR));
  await one(name, 'setClock', null);
  assert.equal((await one(name, 'inspect')).alarm, expiresAt);
  // Waits for workerd's own alarm (an event), checking every 50 ms, for at most 20 s.
  const deadline = Date.now() + 20_000;
  let state = await one(name, 'inspect');
  while (state.keys.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    state = await one(name, 'inspect');
  }
  assert.deepEqual(state, { keys: [], record: null, alarm: null });
  assert.ok(Date.now() >= expiresAt, 'not before its expiry');
});

test('createCallPerDay holds for the whole day on the Durable Object: its alarm keeps the counts between bursts a minute apart', async () => {
  const name = 'session:agent:day-test';
  const admitDay = JSON.stringify({ do: 'admit', perMinute: 3, perDay: 5 });
  let clock = T0;
  const outcomes = [];
  for (let burst = 0; burst < 4; burst += 1) {
    await one(name, 'setClock', clock);
    for (let i = 0; i < 3; i += 1) outcomes.push(is(await one(name, 'apply', admitDay)));
    // Past the minute window: the alarm may run, as workerd runs it once the record's expiry has passed.
    clock += 61_000;
    await one(name, 'setClock', clock);
    await one(name, 'runAlarm');
  }
  assert.deepEqual(outcomes.filter((o) => o === 'admitted').length, 5, outcomes.join(','));
  await one(name, 'setClock', clock + 12 * HOUR);
  const halfDay = await one(name, 'runAlarm');
  assert.equal(halfDay.keys.length, 1, 'still kept half a day later');
  assert.equal(is(await one(name, 'apply', admitDay)), 'limited');
  await one(name, 'setClock', T0 + 24 * HOUR + 4 * 61_000);
  const dayLater = await one(name, 'runAlarm');
  assert.deepEqual(dayLater.keys, [], 'deleted once its last call left the day');
  assert.equal(is(await one(name, 'apply', admitDay)), 'admitted');
});
