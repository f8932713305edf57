// The gateway against a hostile internet: bounded bodies (413 before authorize or the wasm sees a byte),
// JSON only (415), a deadline on the body and on authorize (503), verdicts read exactly once, no redirects
// followed, upstream echoes scrubbed of every secret, and configuration mistakes refused at creation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import * as glue from '../../../pkg/full/aicc_call.js';
import { AiccClient, AiccError, createGateway, handleCallback } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { CREDENTIALS, CMS_CREDENTIALS, pairs, timersOf } from './helpers.mjs';

const STATE_URL = `http://127.0.0.1/aicc${PATHS.queryCallState}`;
const CREATE_URL = `http://127.0.0.1/aicc${PATHS.createCall}`;
const JSON_TYPE = { 'Content-Type': 'application/json' };
const MB = 1024 * 1024;
let sim;
const pair = pairs(9800);
const wasmBytes = () => glue.initSync().memory.buffer.byteLength;

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
});
after(() => sim.close());

function counted(verdict = true) {
  const calls = { n: 0 };
  const authorize = () => {
    calls.n += 1;
    return verdict;
  };
  // The seeded serial was placed elsewhere: allowUnknownSerials lets the gateway read it.
  return { calls, gateway: createGateway({ clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorize, allowUnknownSerials: true }) };
}

// A body of `total` bytes produced on demand, never held whole.
function stream(total, chunk = 64 * 1024) {
  let sent = 0;
  const block = new Uint8Array(chunk).fill(0x20);
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk;
      controller.enqueue(block);
    },
  });
}

test('64 MB, with a Content-Length or chunked, with and without a session, and to handleCallback: 413, nothing read', async () => {
  const { calls, gateway } = counted();
  await gateway.fetch(new Request(STATE_URL, { method: 'POST', headers: JSON_TYPE, body: '{"callSerialNo":"1"}' }));
  calls.n = 0;
  global.gc?.();
  const [memory, rss] = [wasmBytes(), process.memoryUsage().rss];
  const requests = [
    () => new Request(STATE_URL, { method: 'POST', headers: { ...JSON_TYPE, 'Content-Length': String(64 * MB) }, body: '{}' }),
    () => new Request(STATE_URL, { method: 'POST', headers: JSON_TYPE, body: stream(64 * MB), duplex: 'half' }),
    () => new Request(STATE_URL, { method: 'POST', headers: { ...JSON_TYPE, Authorization: 'Bearer s1' }, body: stream(64 * MB), duplex: 'half' }),
  ];
  for (const make of requests) {
    const res = await gateway.fetch(make());
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error, 'tooLarge');
  }
  const callback = await handleCallback(new Request('http://127.0.0.1/cb', { method: 'POST', body: stream(64 * MB), duplex: 'half' }), {});
  assert.equal(callback.status, 413);
  assert.equal(calls.n, 0, 'authorize never ran');
  assert.equal(wasmBytes(), memory, 'not one byte was copied into wasm memory');
  const growth = process.memoryUsage().rss - rss;
  assert.ok(growth < 20 * MB, `RSS grew ${(growth / MB).toFixed(1)} MB`);
  console.log(`# 64 MB bodies: wasm memory ${memory} -> ${wasmBytes()} bytes, RSS growth ${(growth / MB).toFixed(1)} MB`);
});

test('a POST that is not application/json is 415 before authorize: a cross-site form cannot drive the gateway', async () => {
  const { calls, gateway } = counted();
  for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const headers = type ? { 'Content-Type': type } : {};
    const res = await gateway.fetch(new Request(STATE_URL, { method: 'POST', headers, body: '{"callSerialNo":"645735364434067472"}' }));
    if (!type) {
      // A string body gets text/plain from fetch itself.
      assert.equal(res.status, 415);
      continue;
    }
    assert.equal(res.status, 415, type);
    assert.equal((await res.json()).error, 'unsupportedMediaType');
  }
  const ok = await gateway.fetch(new Request(STATE_URL, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '{"callSerialNo":"645735364434067472"}' }));
  assert.equal(ok.status, 200);
  assert.equal(calls.n, 1);
});

test('reading the body and authorize each have a deadline: past it, 503 and nothing forwarded', async () => {
  const before = sim.requests().length;
  const slow = createGateway({ clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorizeTimeoutMs: 100, authorize: () => new Promise(() => {}) });
  const res = await slow.fetch(new Request(STATE_URL, { method: 'POST', headers: JSON_TYPE, body: '{"callSerialNo":"1"}' }));
  assert.equal(res.status, 503);
  assert.equal((await res.json()).error, 'authorizeTimeout');
  const stalled = new ReadableStream({ pull: () => new Promise(() => {}) });
  const { gateway } = counted();
  const fast = createGateway({ clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorizeTimeoutMs: 100, authorize: () => true });
  const trickle = await fast.fetch(new Request(STATE_URL, { method: 'POST', headers: JSON_TYPE, body: stalled, duplex: 'half' }));
  assert.equal(trickle.status, 503);
  const stalledCallback = new ReadableStream({ pull: () => new Promise(() => {}) });
  const late = await handleCallback(new Request('http://127.0.0.1/cb', { method: 'POST', body: stalledCallback, duplex: 'half' }), { timeoutMs: 100 });
  assert.equal(late.status, 408, 'a callback body that never ends is given up');
  assert.equal(sim.requests().length, before, 'nothing reached AICC');
  assert.ok(gateway);
  assert.throws(() => createGateway({ clientOptions: { baseUrl: sim.url }, authorize: () => true, authorizeTimeoutMs: 0 }), (e) => e.field === 'authorizeTimeoutMs');
  assert.throws(() => createGateway({ clientOptions: { baseUrl: sim.url }, authorize: () => true, maxBodyBytes: 0 }), (e) => e.field === 'maxBodyBytes');
});

test("authorize's deadline is armed only for a verdict that comes later, and cleared once it came", async () => {
  const AUTHORIZE_MS = 4322; // told apart from every other timer by its delay
  const timers = async (authorize) => {
    const gateway = createGateway({ clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorizeTimeoutMs: AUTHORIZE_MS, authorize });
    const body = '{"callSerialNo":"645735364434067472"}';
    const { value: status, armed, pending } = await timersOf(AUTHORIZE_MS, async () =>
      (await gateway.fetch(new Request(STATE_URL, { method: 'POST', headers: JSON_TYPE, body }))).status);
    return { status, armed, pending };
  };
  const later = async () => ({ allow: false, reason: 'checked later' });
  // The body's read has the same deadline: one timer either way.
  assert.deepEqual(await timers(() => ({ allow: false })), { status: 403, armed: 1, pending: 0 }, 'a verdict given at once');
  assert.deepEqual(await timers(later), { status: 403, armed: 2, pending: 0 }, 'a promise of a verdict');
});

test('verdicts are read exactly once from own properties: non-enumerable, getters, toJSON, null prototypes, Proxies', async (t) => {
  const create = async (verdict, body = { caller: '88880001', called: '13900000000' }) => {
    const gateway = createGateway({ clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorize: () => verdict });
    const res = await gateway.fetch(new Request(CREATE_URL, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify({ ...body, ...pair(0), caller: body.caller }) }));
    return { status: res.status, body: await res.json() };
  };
  const hidden = {};
  Object.defineProperty(hidden, 'callers', { value: ['88889999'], enumerable: false });
  assert.equal((await create(hidden)).status, 403, 'a non-enumerable restriction holds');
  let reads = 0;
  const getter = { get callers() { reads += 1; return reads === 1 ? ['88889999'] : ['88880001']; } };
  assert.equal((await create(getter)).status, 403, 'the first read decides');
  assert.equal(reads, 1, 'the getter is read once');
  Object.prototype.toJSON = () => ({ allow: true }); // eslint-disable-line no-extend-native
  t.after(() => delete Object.prototype.toJSON);
  assert.equal((await create({ allow: false })).status, 403, 'a polluted toJSON does not turn a refusal into an allow');
  delete Object.prototype.toJSON;
  const bare = Object.assign(Object.create(null), { callers: ['88880001'] });
  assert.equal((await create(bare)).status, 200, 'Object.create(null) is a plain verdict');
  const extra = { callers: ['88880001'] };
  Object.defineProperty(extra, 'admin', { value: true, enumerable: false });
  const unknown = await create(extra);
  assert.deepEqual([unknown.status, unknown.body.error], [500, 'badVerdict'], 'an unknown key, even hidden');
  const trap = () => { throw new Error('trap'); };
  for (const handler of [{ ownKeys: trap }, { getPrototypeOf: trap }, { getOwnPropertyDescriptor: trap }]) {
    const r = await create(new Proxy({ callers: ['88880001'] }, handler));
    assert.deepEqual([r.status, r.body.error], [500, 'badVerdict'], Object.keys(handler)[0]);
  }
  // A throwing `get` trap already fails where a promise looks for `then` on the verdict: a refusal too.
  const getter403 = await create(new Proxy({ callers: ['88880001'] }, { get: trap }));
  assert.equal(getter403.status, 403);
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  const revoked = await create(proxy);
  assert.equal(revoked.status, 403, 'a revoked Proxy fails like a throwing authorize: refused');
  assert.equal((await create({ callers: ['88880001'] })).status, 200, 'and the gateway still works');
});

test('redirects are never followed: a token endpoint that answers 307 to another host never gets the secret', async () => {
  const seen = [];
  const thief = createServer((req, res) => {
    seen.push(req.url);
    res.end('{}');
  });
  await new Promise((r) => thief.listen(0, '127.0.0.1', r));
  const redirector = createServer((req, res) => {
    res.writeHead(307, { Location: `http://127.0.0.1:${thief.address().port}${req.url}` });
    res.end();
  });
  await new Promise((r) => redirector.listen(0, '127.0.0.1', r));
  try {
    const client = new AiccClient({ baseUrl: `http://127.0.0.1:${redirector.address().port}`, credentials: CREDENTIALS, maxRetries: 0 });
    const e = await client.queryCallState({ callSerialNo: '1' }).catch((x) => x);
    assert.ok(e instanceof AiccError);
    assert.equal(e.status, 307);
    assert.deepEqual(seen, [], 'nothing reached the other host');
  } finally {
    await new Promise((r) => thief.close(r));
    await new Promise((r) => redirector.close(r));
  }
});

test('an upstream that echoes every request: no 8 characters of any secret in any gateway answer or client error', async () => {
  const tokens = [];
  let n = 0;
  const echo = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const echoed = JSON.stringify({ headers: req.headers, body });
      if (req.url.endsWith(PATHS.token)) {
        n += 1;
        if (n % 2 === 1) {
          res.writeHead(400, { 'Content-Type': 'application/json' });
          return res.end(JSON.stringify({ error: 'bad', message: echoed }));
        }
        const token = `echo-token-${n}-Qw7Zr2Lp`;
        tokens.push(token);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ AccessToken: token, Expires: '600' }));
      }
      const status = [200, 400, 403, 500][n++ % 4];
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ retCode: '0', retMsg: echoed, message: echoed, result: { callSerialNo: '1', echoed } }));
    });
  });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${echo.address().port}`;
    // Secrets that share no 8 characters with the app key or the AK, which are not secret and are echoed.
    const credentials = { appKey: 'key-1', appSecret: 'S3cr3t-Zq9Vb7Xy5-app' };
    const cms = { ak: 'ak-1', sk: 'Sk-9Hh3Jj5Kk7Ll-cms' };
    const options = { baseUrl: base, cmsBaseUrl: base, credentials, cmsCredentials: cms, maxRetries: 0 };
    const gateway = createGateway({ clientOptions: options, authorize: () => true });
    const client = new AiccClient(options);
    const texts = [];
    for (let i = 0; i < 8; i += 1) {
      for (const [path, body] of [[PATHS.queryCallState, { callSerialNo: '1' }], [PATHS.queryBasicCallInfo, { ccId: 1, vdn: 1, callId: '1-1' }]]) {
        const res = await gateway.fetch(new Request(`http://127.0.0.1/aicc${path}`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(body) }));
        texts.push(await res.text());
      }
      const e = await client.queryCallState({ callSerialNo: '1' }).catch((x) => x);
      if (e instanceof AiccError) texts.push(JSON.stringify(e), e.message);
    }
    assert.ok(tokens.length > 0);
    const all = texts.join('\n');
    assert.match(all, /redacted/, 'the echoes were there, scrubbed');
    for (const secret of [credentials.appSecret, cms.sk, ...tokens]) {
      for (let i = 0; i + 8 <= secret.length; i += 1) assert.ok(!all.includes(secret.slice(i, i + 8)), `a piece of a secret: ${secret.slice(i, i + 8)} in ${all.slice(Math.max(0, all.indexOf(secret.slice(i, i + 8)) - 300), all.indexOf(secret.slice(i, i + 8)) + 60)}`);
    }
  } finally {
    await new Promise((r) => echo.close(r));
  }
});

test('echoes written with JSON escapes, and of two CMS requests in flight at once: no 8 characters of a secret once the page decodes them', async () => {
  const tokens = [];
  let held = null;
  const escapeAll = (text) => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const echo = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (req.url.endsWith(PATHS.token)) {
        const token = `esc-token-${tokens.length}-Mn4Bv6Cx8`;
        tokens.push(token);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ AccessToken: token, Expires: '600' }));
      }
      const echoed = JSON.stringify({ headers: req.headers, body });
      // Two forms JSON.parse decodes to the very text: every character as \uXXXX, and / as \/.
      const raw = `{"retCode":"0","retMsg":"${escapeAll(echoed)}","message":${JSON.stringify(echoed).replaceAll('/', '\\/')},"result":{"callSerialNo":"1"}}`;
      const answer = () => { res.writeHead(200, { 'Content-Type': 'application/json' }); res.end(raw); };
      // The first CMS request is answered only after the second one: both signatures are in flight at once.
      if (req.url.includes('querybasiccallinfo') && !held) { held = answer; return; }
      answer();
      if (held && req.url.includes('querybasiccallinfo')) held();
    });
  });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${echo.address().port}`;
    const credentials = { appKey: 'key-2', appSecret: 'S3cr3t-Pp8Oo6Ii4-app' };
    const cms = { ak: 'ak-2', sk: 'Sk-2Ww4Ee6Rr8Tt-cms' };
    const gateway = createGateway({
      clientOptions: { baseUrl: base, cmsBaseUrl: base, credentials, cmsCredentials: cms, maxRetries: 0 }, authorize: () => true, allowUnknownSerials: true,
    });
    const send = (path, body) => gateway.fetch(new Request(`http://127.0.0.1/aicc${path}`, { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(body) }));
    const answers = await Promise.all([
      send(PATHS.queryBasicCallInfo, { ccId: 1, vdn: 1, callId: '1-1' }),
      send(PATHS.queryBasicCallInfo, { ccId: 2, vdn: 2, callId: '2-2' }),
      send(PATHS.queryCallState, { callSerialNo: '1' }),
    ]);
    const texts = await Promise.all(answers.map((a) => a.text()));
    // What the page reads: the raw text and every string JSON.parse gives it.
    const decoded = texts.map((t) => JSON.stringify(JSON.parse(t), null, 0)).map((t) => JSON.parse(t));
    const strings = [];
    const collect = (v) => (typeof v === 'string' ? strings.push(v) : v && typeof v === 'object' && Object.values(v).forEach(collect));
    decoded.forEach(collect);
    const all = [...texts, ...strings].join('\n');
    assert.ok(tokens.length > 0, texts.join('\n'));
    assert.match(all, /redacted/, 'the echoes reached the page, scrubbed');
    assert.ok(strings.some((s) => s.includes('auth-v2/ak-2/')), 'the C2 Authorization header was echoed (its non-secret prefix stays)');
    for (const secret of [credentials.appSecret, cms.sk, ...tokens]) {
      for (let i = 0; i + 8 <= secret.length; i += 1) assert.ok(!all.includes(secret.slice(i, i + 8)), `a piece of a secret: ${secret.slice(i, i + 8)}`);
    }
    // The signatures of both CMS requests: the 64 hex digits at the end of each echoed auth-v2 value.
    const signatures = [...all.matchAll(/auth-v2\/ak-2\/[^"\\]*?\/host\/([0-9a-f]{8,})/g)].map((m) => m[1]);
    assert.deepEqual(signatures, [], 'no signature of either request in flight');
  } finally {
    await new Promise((r) => echo.close(r));
  }
});

test('configuration mistakes are refused at creation, naming the option', async () => {
  assert.throws(() => createGateway({ clientOptions: { baseUrl: sim.url }, authorize: () => true, cors: { origins: ['https://crm.example.com/app'] } }), (e) => e.field === 'cors.origins');
  assert.throws(() => new AiccClient({ baseUrl: 'http://aicc.example.com', credentials: CREDENTIALS }), (e) => e instanceof AiccError && e.field === 'baseUrl');
  assert.throws(() => new AiccClient({ baseUrl: sim.url, cmsBaseUrl: 'http://10.22.26.181:28080', cmsCredentials: CMS_CREDENTIALS }), (e) => e.field === 'cmsBaseUrl');
  assert.ok(new AiccClient({ baseUrl: 'http://localhost:8080', credentials: CREDENTIALS }));
  await assert.rejects(handleCallback(new Request('http://127.0.0.1/cb', { method: 'POST', body: '{}' }), { secret: 'short' }), (e) => e instanceof AiccError && e.field === 'secret');
});
