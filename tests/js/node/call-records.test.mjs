// client.callRecords(query): every record of every page, one request a page, no request after the loop is left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { serverClient, pairs } from './helpers.mjs';

const pair = pairs(8300);
let sim;
let client;
let placed;
let window;

const pagesAsked = () => sim.requests().filter((r) => r.path === PATHS.queryCallDetailRecord).length;

before(async () => {
  sim = await startSimulator({ port: 0, clock: 'manual', log: () => {} });
  client = serverClient(sim);
  const from = Date.now() - 1000;
  placed = [];
  for (let i = 0; i < 7; i++) placed.push((await client.createCall(pair(0))).callSerialNo);
  window = { startTime: from, endTime: Date.now() + 60_000 };
});
after(async () => {
  client?.free();
  await sim?.close();
});

test('every record of every page, once, a request a page', async () => {
  const before = pagesAsked();
  const serials = [];
  for await (const record of client.callRecords({ ...window, limit: 3 })) serials.push(record.callSerialNo);
  assert.deepEqual([...serials].sort(), [...placed].sort());
  assert.equal(serials.length, 7, 'each record once');
  assert.equal(pagesAsked() - before, 3, 'pages of 3, 3 and 1');
});

test('leaving the loop asks for no further page', async () => {
  const before = pagesAsked();
  let seen = 0;
  for await (const record of client.callRecords({ ...window, limit: 2 })) {
    assert.ok(placed.includes(record.callSerialNo));
    if (++seen === 3) break;
  }
  assert.equal(pagesAsked() - before, 2);
});

test('no matching record lists nothing; a bad query rejects before anything is sent', async () => {
  const none = [];
  for await (const record of client.callRecords({ ...window, caller: '99999999' })) none.push(record);
  assert.deepEqual(none, []);
  const before = pagesAsked();
  const iterator = client.callRecords({ startTime: 0, endTime: 30 * 24 * 3600 * 1000 });
  await assert.rejects(iterator.next(), (e) => e.kind === 'validation' && e.field === 'endTime');
  assert.equal(pagesAsked(), before, 'a window over 7 days is refused here');
});
