// Answers read by the runtime's JSON.parse (the wasm has no JSON parser): 18-digit serials stay exact however
// the answer is written, and answers no parser should trust (cut short, nested without end, numbers beyond 64
// bits) end as clear errors or values, never as a trap. Node 20's JSON.parse has no reviver `context.source`,
// so this runs the text-scan path; the Chromium test runs the other one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { AiccClient } from 'aicc-call';

let server;
let answer = '{}';
let client;

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(answer);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  client = new AiccClient({ baseUrl: `http://127.0.0.1:${server.address().port}`, token: async () => 'token', maxRetries: 0 });
});
after(async () => {
  client.free();
  await new Promise((r) => server.close(r));
});

const placed = async (text) => {
  answer = text;
  return (await client.createCall({ caller: '88889050', called: '13800000000' })).callSerialNo;
};

test('an 18-digit serial as a bare number stays exact, next to other big numbers, strings of digits and numeric keys', async () => {
  assert.equal(await placed('{"retCode":"0","retMsg":"ok","result":{"callSerialNo":645735364434067472}}'), '645735364434067472');
  assert.equal(await placed('{"retCode":0,"result":{"callSerialNo":645735364434067473,"other":645735364434067472}}'), '645735364434067473');
  assert.equal(await placed('{"1":645735364434067999,"retCode":"0","result":{"x":"645735364434067475","callSerialNo":645735364434067474}}'), '645735364434067474');
  assert.equal(await placed('{"retCode":"0","result":{"callSerialNo":18446744073709551615}}'), '18446744073709551615');
  assert.equal(await placed('{"retCode":"0","result":{"callSerialNo":"645735364434067476"}}'), '645735364434067476');
  assert.equal(await placed('{"retCode":"0","retMsg":"[:,645735364434067479","result":{"callSerialNo":645735364434067477}}'), '645735364434067477', 'digits in a string are not a number');
});

test('a serial beyond 64 bits cannot be exact: a decode error, not a rounded serial', async () => {
  await assert.rejects(placed('{"retCode":"0","result":{"callSerialNo":99999999999999999999999}}'), (e) => e.kind === 'decode');
});

test('cut short, not JSON, or nested 100000 deep: decode errors, and the client keeps working', async () => {
  answer = '{"retCode":"0","result":{"state":3';
  await assert.rejects(client.queryCallState({ callSerialNo: '1' }), (e) => e.kind === 'decode' && /cut short/.test(e.message));
  answer = '{"retCode": nope}';
  await assert.rejects(client.queryCallState({ callSerialNo: '1' }), (e) => e.kind === 'decode' && /invalid JSON/.test(e.message));
  answer = `{"retCode":"0","deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
  await assert.rejects(client.queryCallState({ callSerialNo: '1' }), (e) => e.kind === 'decode');
  answer = `{"retCode":"0","deep":${'{"a":'.repeat(200)}1${'}'.repeat(200)}}`;
  await assert.rejects(client.queryCallState({ callSerialNo: '1' }), (e) => e.kind === 'decode');
  answer = '{"retCode":"0","result":{"state":3,"reasonCode":0,"unlisted":{"a":[1,2.5,true,null,"x"]}}}';
  const state = await client.queryCallState({ callSerialNo: '1' });
  assert.equal(state.stateName, 'ended');
  assert.deepEqual(state.extra, { unlisted: { a: [1, 2.5, true, null, 'x'] } });
});
