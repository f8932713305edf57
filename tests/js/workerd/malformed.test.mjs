// The gateway in workerd survives malformed requests: every one is a clean 4xx JSON answer (400 with the
// field for validation errors), nothing malformed is forwarded to AICC, and afterwards the same worker (the
// same wasm instance) still places a call correctly: no panic, no dead instance.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startSimulator } from '../../../sim/index.mjs';
import { startWorker } from '../../../scripts/worker-runner.mjs';
import { APP_KEY, APP_SECRET, AK, SK, pairs, gatewayBindings, sessionTokens } from './helpers.mjs';

let sim;
let worker;
const pair = pairs(7000);
const T = await sessionTokens({ s1: { agentWorkNo: '101' } });
const AUTH = { Authorization: `Bearer ${T.s1}`, 'Content-Type': 'application/json' };
const CREATE = '/aicc/apiaccess/CC-Management/v1/mobileAgent/createCall';
const STATE = '/aicc/apiaccess/CC-Management/v1/mobileAgent/queryCallState';
const CMS = '/aicc/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo';
const CALLED_INFO = '/aicc/apiaccess/CC-Management/v1/mobileAgent/getCalledInfo';
const BY_CALL_ID = '/aicc/apiaccess/rest/workbench/v1/queryCallInfoByCallId';

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  worker = await startWorker({
    bindings: gatewayBindings(sim, { ALLOW_UNKNOWN_SERIALS: 'true' }),
  });
});
after(async () => {
  await worker?.close();
  await sim?.close();
});

async function send(path, body, { method = 'POST', headers = AUTH } = {}) {
  const res = await fetch(`${worker.url}${path}`, { method, headers, body });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, contentType: res.headers.get('content-type') };
}

/**
 * A request whose Content-Length announces `size` bytes, of which none is sent: what the gateway answers from
 * the headers alone. (Sending a body the gateway refuses unread races its answer: workerd closes the connection
 * while the client is still writing, and the client may see the reset before the answer.)
 */
function sendHeadersOnly(path, size) {
  const { hostname, port } = new URL(worker.url);
  const head = [`POST ${path} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(AUTH).map(([k, v]) => `${k}: ${v}`),
    `Content-Length: ${size}`, 'Connection: close', '', ''].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(head));
    const chunks = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [headers, ...rest] = raw.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]);
      const contentType = /^content-type: *(.*)$/im.exec(headers)?.[1];
      const chunked = /^transfer-encoding: *chunked/im.test(headers);
      let text = rest.join('\r\n\r\n');
      if (chunked) text = text.split('\r\n').filter((_, i) => i % 2 === 1).join('');
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      resolve({ status, text: raw, json, contentType });
    });
  });
}

/**
 * A 400 JSON `invalidRequest` (naming `field` when given), or 413 `tooLarge` for a body over the gateway's
 * 16 KiB (refused from its Content-Length: the body is never sent); and nothing reached the simulator.
 */
async function assertRefused(label, path, body, field) {
  const before = sim.requests().length;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  const tooLarge = size > 16 * 1024;
  const r = tooLarge ? await sendHeadersOnly(path, size) : await send(path, body);
  const [status, error] = tooLarge ? [413, 'tooLarge'] : [400, 'invalidRequest'];
  assert.equal(r.status, status, `${label}: ${r.status} ${r.text.slice(0, 200)}`);
  assert.match(r.contentType ?? '', /application\/json/, label);
  assert.ok(r.json, `${label}: JSON body`);
  assert.equal(r.json.error, error, label);
  if (status === 413) field = undefined;
  assert.equal(typeof r.json.message, 'string', label);
  if (field) assert.equal(r.json.field, field, `${label}: field in ${r.text}`);
  assert.equal(sim.requests().length, before, `${label}: nothing was forwarded`);
  return r;
}

test('bodies that are not a JSON object are 400 invalidRequest (413 tooLarge over 16 KiB)', async () => {
  const bodies = {
    'invalid JSON': '{',
    'empty body': '',
    'HTML body': '<!doctype html><html><body>hi</body></html>',
    'JSON array': '[{"caller":"88881000","called":"13900001000"}]',
    'JSON string': '"createCall"',
    'JSON null': 'null',
    'JSON number': '42',
    'trailing garbage': '{"caller":"88881000","called":"13900001000"} x',
    'deeply nested': '['.repeat(5000) + ']'.repeat(5000), // under 16 KiB: the parser's depth limit refuses it
    'nested object': `{"a":${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}}`,
    'invalid UTF-8': new Uint8Array([0x7b, 0x22, 0x63, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    '1 MB of garbage': 'x'.repeat(1024 * 1024),
  };
  for (const [label, body] of Object.entries(bodies)) await assertRefused(label, CREATE, body);
  for (const path of [STATE, CMS, CALLED_INFO, BY_CALL_ID]) await assertRefused(`invalid JSON to ${path}`, path, '{');
});

test('a 1 MB JSON body is refused as too large (413) before it is read, and nothing is forwarded', async () => {
  const big = JSON.stringify({ ...pair(0), callData: 'x'.repeat(1024 * 1024) });
  await assertRefused('1 MB callData', CREATE, big, 'callData');
  const bigCaller = JSON.stringify({ caller: '8'.repeat(1024 * 1024), called: '13900001000' });
  await assertRefused('1 MB caller', CREATE, bigCaller, 'caller');
  const manyKeys = JSON.stringify(Object.fromEntries(Array.from({ length: 40000 }, (_, i) => [`k${i}`, i])));
  await assertRefused('40000 unknown keys, no caller', CREATE, manyKeys, 'caller');
});

test('wrong types and invalid numbers are 400 with the field', async () => {
  const cases = [
    ['caller is an object', CREATE, { caller: {}, called: '13900001000' }, 'caller'],
    ['caller is an array', CREATE, { caller: ['88881000'], called: '13900001000' }, 'caller'],
    ['caller is true', CREATE, { caller: true, called: '13900001000' }, 'caller'],
    ['caller missing', CREATE, { called: '13900001000' }, 'caller'],
    ['called is null', CREATE, { caller: '88881000', called: null }, 'called'],
    ['called with a letter', CREATE, { caller: '88881000', called: '1390000x' }, 'called'],
    ['called too long', CREATE, { caller: '88881000', called: '1'.repeat(33) }, 'called'],
    ['called a float', CREATE, { caller: '88881000', called: 1.5 }, 'called'],
    ['called negative', CREATE, { caller: '88881000', called: -13900001000 }, 'called'],
    ['callerPresent with letters', CREATE, { ...pair(0), callerPresent: '12ab' }, 'callerPresent'],
    ['agentPresent letters', CREATE, { ...pair(0), agentPresent: 'abcdefghijk' }, 'agentPresent'],
    ['callData an object', CREATE, { ...pair(0), callData: { a: 1 } }, 'callData'],
    ['callSerialNo letters', STATE, { callSerialNo: 'abc' }, 'callSerialNo'],
    ['callSerialNo an object', STATE, { callSerialNo: {} }, 'callSerialNo'],
    ['callSerialNo missing', STATE, {}, 'callSerialNo'],
    ['ccId 0', CMS, { ccId: 0, vdn: 1, callId: '1453723531-574' }, 'ccId'],
    ['ccId 65536', CMS, { ccId: 65536, vdn: 1, callId: '1453723531-574' }, 'ccId'],
    ['ccId 1.5', CMS, { ccId: 1.5, vdn: 1, callId: '1453723531-574' }, 'ccId'],
    // A number beyond any numeric type makes the whole body unreadable: still a 400, without a field.
    ['ccId 1e400', CMS, '{"ccId":1e400,"vdn":1,"callId":"1453723531-574"}', undefined],
    ['vdn 5001', CMS, { ccId: 1, vdn: 5001, callId: '1453723531-574' }, 'vdn'],
    ['vdn "abc"', CMS, { ccId: 1, vdn: 'abc', callId: '1453723531-574' }, 'vdn'],
    ['callId too long', CMS, { ccId: 1, vdn: 1, callId: '12345678901234567-89' + '0' }, 'callId'],
    ['callId no dash', CMS, { ccId: 1, vdn: 1, callId: '1453723531574' }, 'callId'],
    ['getCalledInfo called missing', CALLED_INFO, { caller: '88881000' }, 'called'],
    ['queryCallInfoByCallId tenantId missing', BY_CALL_ID, { callId: '1652317325-339', userId: 'u', agentId: '101' }, 'tenantId'],
  ];
  for (const [label, path, body, field] of cases) {
    await assertRefused(label, path, typeof body === 'string' ? body : JSON.stringify(body), field);
  }
});

test('a trailing slash or a query string still names the operation; a wrong method is 405', async () => {
  const slash = await send(`${CREATE}/`, JSON.stringify(pair(0)));
  assert.equal(slash.status, 200, slash.text);
  assert.equal(slash.json.retCode, '0');
  const query = await send(`${CREATE}?debug=1&x=%00`, JSON.stringify(pair(0)));
  assert.equal(query.status, 200, query.text);
  assert.equal(query.json.retCode, '0');
  const hash = await send(`${STATE}?#frag`, JSON.stringify({ callSerialNo: '645735364434067472' }));
  assert.equal(hash.status, 200, hash.text);
  const before = sim.requests().length;
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    const r = await send(CREATE, method === 'GET' ? undefined : '{', { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.json.error, 'methodNotAllowed');
  }
  const head = await fetch(`${worker.url}${CREATE}`, { method: 'HEAD', headers: AUTH });
  assert.equal(head.status, 405, 'HEAD');
  const doubled = await send('/aicc//apiaccess/CC-Management/v1/mobileAgent/createCall', JSON.stringify(pair(0)));
  assert.equal(doubled.status, 404, 'a doubled slash is not an operation');
  assert.equal(sim.requests().length, before, 'none of these was forwarded');
});

test('after all of that the same worker still places and finds a call (the wasm instance is alive)', async () => {
  // Concurrent malformed requests mixed with valid ones, then a clean createCall + queryCallState.
  const noise = await Promise.all([
    send(CREATE, '{'),
    send(CREATE, '['.repeat(50000)),
    send(CREATE, JSON.stringify({ caller: {}, called: [] })),
    send(CREATE, JSON.stringify(pair(0))),
    send(STATE, JSON.stringify({ callSerialNo: '645735364434067472' })),
  ]);
  assert.deepEqual(noise.map((r) => r.status), [400, 413, 400, 200, 200]);
  const { caller, called } = pair(0);
  const placed = await send(CREATE, JSON.stringify({ caller, called }));
  assert.equal(placed.status, 200, placed.text);
  const serial = placed.text.match(/"callSerialNo"\s*:\s*(\d{18})\b/)?.[1];
  assert.ok(serial, placed.text);
  const rec = sim.calls().at(-1);
  assert.equal(rec.body.caller, caller);
  assert.equal(rec.body.called, called);
  assert.equal(rec.body.agentWorkNo, '101');
  const state = await send(STATE, JSON.stringify({ callSerialNo: serial }));
  assert.equal(state.status, 200);
  assert.equal(state.json.retCode, '0');
  assert.equal(state.json.result.called, called);
});
