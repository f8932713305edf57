// codes(): the core's tables as data, from every server entry; what the client decodes (an error's codeName,
// a state's stateName and reason) is a row of it with the same message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator } from '../../../sim/index.mjs';
import { AiccError, codes } from 'aicc-call';
import { codes as serverCodes } from 'aicc-call/server';
import { serverClient, pairs } from './helpers.mjs';

const pair = pairs(8100);
let sim;
let client;

before(async () => {
  sim = await startSimulator({ port: 0, clock: 'poll', log: () => {} });
  client = serverClient(sim);
});
after(async () => {
  client?.free();
  await sim?.close();
});

const row = (table, name, operation) => codes().find((r) => r.table === table && r.name === name && (operation === undefined || r.operation === operation));

test('every table is listed, each row complete, each name once per table and operation', () => {
  const rows = codes();
  const tables = new Set(rows.map((r) => r.table));
  assert.deepEqual([...tables].sort(), ['devType', 'itaCode', 'reason', 'releaseReason', 'returnCode', 'state']);
  const operations = new Set(rows.filter((r) => r.table === 'returnCode').map((r) => r.operation));
  assert.deepEqual([...operations].sort(), ['createCall', 'getCalledInfo', 'queryBasicCallInfo', 'queryCallDetailRecord', 'queryCallState']);
  const seen = new Set();
  for (const r of rows) {
    assert.equal(typeof r.code, 'string');
    assert.ok(r.name && r.message && r.category, JSON.stringify(r));
    assert.equal(typeof r.retryable, 'boolean');
    const key = `${r.table}/${r.operation ?? ''}/${r.code}`;
    assert.ok(!seen.has(key), `${key} twice`);
    seen.add(key);
  }
  assert.ok(row('reason', 'userBusy'), 'the long reason table');
  assert.equal(row('state', 'talking').code, '2');
  assert.deepEqual(serverCodes(), rows, 'the same list from aicc-call/server');
});

test('a new copy at each call: an app may change what it gets', () => {
  const mine = codes();
  mine[0].message = 'changed';
  mine.length = 0;
  assert.notEqual(codes()[0].message, 'changed');
  assert.ok(codes().length > 100);
});

test("an API error's codeName and a watched call's states and reason are rows of codes(), with the same messages", async () => {
  const refused = await client.getCalledInfo({ caller: '8888888', called: '6666614' }).then(() => undefined, (e) => e);
  assert.ok(refused instanceof AiccError);
  const r = row('returnCode', refused.codeName, 'getCalledInfo');
  assert.ok(r, `${refused.codeName} is listed`);
  assert.equal(refused.codeMessage, r.message);
  assert.equal(refused.retCode, r.code);

  const { callSerialNo } = await client.createCall(pair(0));
  let last;
  for await (const state of client.watchCall(callSerialNo, { intervalMs: 100 })) {
    assert.ok(row('state', state.stateName), state.stateName);
    last = state;
  }
  assert.equal(last.stateName, 'ended');
  assert.equal(row('reason', last.reason.name)?.message, last.reason.message);
});
