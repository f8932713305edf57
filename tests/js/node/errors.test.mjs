// AiccError: a real Error subclass, and no secret or token text in anything a thrown error exposes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { AiccClient, AiccError } from 'aicc-call';

const APP_SECRET = 'app-secret-Zq81XvT0';
const SK = 'cms-sk-Pp37WrM5';
let sim;
let client;
let echo;
const seenTokens = new Set();
const realFetch = globalThis.fetch;

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, appSecret: APP_SECRET, sk: SK, log: () => {} });
  // Record every token the client receives (the wasm glue calls the global fetch).
  globalThis.fetch = async (...args) => {
    const res = await realFetch(...args);
    const url = typeof args[0] === 'string' ? args[0] : args[0].url;
    if (url.endsWith(PATHS.token)) {
      const t = /"AccessToken"\s*:\s*"([^"]+)"/.exec(await res.clone().text())?.[1];
      if (t) seenTokens.add(t);
    }
    return res;
  };
  client = new AiccClient({
    baseUrl: sim.url, cmsBaseUrl: sim.url, timeoutMs: 10_000, maxRetries: 1,
    credentials: { appKey: 'demo-app-key', appSecret: APP_SECRET }, cmsCredentials: { ak: 'demo-ak', sk: SK },
  });
  // A hostile server that echoes back everything it receives (headers and body) in its error text.
  echo = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const said = `you sent ${JSON.stringify(req.headers)} ${body}`;
      if (req.url === PATHS.token) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ AccessToken: 'echo-token-Kk92LmQ4', Expires: '600' }));
        return;
      }
      const status = req.url.includes('queryCallState') ? 401 : req.url.includes('getCalledInfo') ? 500 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { retCode: '999', retMsg: said } : { message: said }));
    });
  });
  await new Promise((r) => echo.listen(0, '127.0.0.1', r));
});
after(async () => {
  globalThis.fetch = realFetch;
  await sim.close();
  await new Promise((r) => echo.close(r));
});

async function thrown(promiseOrFn) {
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    return e;
  }
  assert.fail('expected an error');
}

function assertClean(e, secrets) {
  assert.ok(e instanceof AiccError, `AiccError: ${e}`);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'AiccError');
  assert.equal(typeof e.kind, 'string');
  assert.equal(typeof e.operation, 'string');
  assert.equal(typeof e.retryable, 'boolean');
  const texts = { message: e.message, string: String(e), json: JSON.stringify(e), stack: e.stack ?? '', inspect: String(e.cause ?? '') };
  for (const [where, text] of Object.entries(texts)) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `${where} of a ${e.kind} error contains a secret: ${text}`);
  }
  const json = JSON.parse(JSON.stringify(e));
  assert.equal(json.name, 'AiccError');
  assert.equal(json.message, e.message);
  assert.equal(json.kind, e.kind);
  assert.ok(String(e).startsWith('AiccError: '), String(e));
}

test('AiccError is an Error subclass with its name, and the class every entry exports', async () => {
  const e = await thrown(client.createCall({ caller: 'x', called: '1' }));
  assert.ok(e instanceof AiccError && e instanceof Error);
  assert.equal(e.name, 'AiccError');
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(e)), Error.prototype);
  assert.ok(e.stack.includes('AiccError'));
  assert.equal(typeof AiccError, 'function');
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(e))).sort(), ['field', 'kind', 'message', 'name', 'operation', 'retryable', 'rule']);
});

test('no secret or token in any error of any kind (simulator)', async () => {
  await client.getCalledInfo({ caller: 1, called: 6666601 }); // a token is cached now
  const errors = [];
  errors.push(await thrown(client.createCall({ caller: '1', called: '2', callData: 'x'.repeat(2000) })));
  errors.push(await thrown(client.getCalledInfo({ caller: 1, called: 6666614 })));
  sim.fault({ path: PATHS.queryCallState, fault: 'status:503', times: 2 });
  errors.push(await thrown(client.queryCallState({ callSerialNo: '1' })));
  sim.fault({ path: PATHS.queryCallState, fault: 'drop', times: 2 });
  errors.push(await thrown(client.queryCallState({ callSerialNo: '1' })));
  sim.fault({ path: PATHS.queryCallState, fault: 'hold', times: 2 }); // never answered: a timeout on any machine
  errors.push(await thrown(client.queryCallState({ callSerialNo: '1' }, { timeoutMs: 300 })));
  sim.fault({ path: PATHS.queryCallState, fault: 'malformed', times: 2 });
  errors.push(await thrown(client.queryCallState({ callSerialNo: '1' })));
  sim.fault({ path: PATHS.queryCallState, fault: 'status:401', times: 2 });
  errors.push(await thrown(client.queryCallState({ callSerialNo: '1' })));
  sim.fault({ path: PATHS.createCall, fault: 'drop', times: 1 });
  errors.push(await thrown(client.createCall({ caller: '88886666', called: '13922223330' })));
  errors.push(await thrown(client.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1-1' })));
  const wrongSk = new AiccClient({ baseUrl: sim.url, cmsCredentials: { ak: 'demo-ak', sk: 'wrong-sk-Hh55' } });
  errors.push(await thrown(wrongSk.queryBasicCallInfo({ ccId: 1, vdn: 1, callId: '1453723531-574' })));
  const wrongSecret = new AiccClient({ baseUrl: sim.url, credentials: { appKey: 'demo-app-key', appSecret: 'wrong-secret-Gg44' } });
  errors.push(await thrown(wrongSecret.queryCallState({ callSerialNo: '1' })));
  errors.push(await thrown(() => new AiccClient({ baseUrl: 'nope', credentials: { appKey: 'k', appSecret: APP_SECRET } })));

  assert.ok(seenTokens.size >= 2, 'tokens were recorded');
  const secrets = [APP_SECRET, SK, 'wrong-sk-Hh55', 'wrong-secret-Gg44', ...seenTokens];
  assert.deepEqual(errors.map((e) => e.kind), ['validation', 'api', 'http', 'network', 'timeout', 'decode', 'auth', 'network', 'api', 'auth', 'auth', 'validation']);
  for (const e of errors) assertClean(e, secrets);
});

test('a server that echoes the request back: the app secret and the token are redacted from error text', async () => {
  const c = new AiccClient({ baseUrl: `http://127.0.0.1:${echo.address().port}`, credentials: { appKey: 'demo-app-key', appSecret: APP_SECRET }, maxRetries: 0 });
  const errors = [
    await thrown(c.getCalledInfo({ caller: 1, called: 6666601 })), // 500 with the headers (Bearer token) echoed
    await thrown(c.queryCallState({ callSerialNo: '1' })), // 401 twice, echoed
    await thrown(c.createCall({ caller: '1', called: '2' })), // retCode 999 with the echo in retMsg
  ];
  assert.deepEqual(errors.map((e) => e.kind), ['http', 'auth', 'api']);
  for (const e of errors) assertClean(e, [APP_SECRET, 'echo-token-Kk92LmQ4']);
});

// A server that echoes the request must not leak the bearer token of the caller's own token() source either.
test('echoed token from a token() source is not in error text either', async () => {
  const c = new AiccClient({ baseUrl: `http://127.0.0.1:${echo.address().port}`, token: async () => 'own-token-Vv31NnB7', maxRetries: 0 });
  const errors = [
    await thrown(c.getCalledInfo({ caller: 1, called: 6666601 })),
    await thrown(c.createCall({ caller: '1', called: '2' })),
  ];
  for (const e of errors) assertClean(e, ['own-token-Vv31NnB7']);
});

test('echoed app secret from a failing token endpoint is not in error text', async () => {
  const leaky = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `cannot parse ${body}` }));
    });
  });
  await new Promise((r) => leaky.listen(0, '127.0.0.1', r));
  try {
    const c = new AiccClient({ baseUrl: `http://127.0.0.1:${leaky.address().port}`, credentials: { appKey: 'demo-app-key', appSecret: APP_SECRET } });
    const e = await thrown(c.queryCallState({ callSerialNo: '1' }));
    assert.equal(e.kind, 'http');
    assertClean(e, [APP_SECRET]);
  } finally {
    await new Promise((r) => leaky.close(r));
  }
});
