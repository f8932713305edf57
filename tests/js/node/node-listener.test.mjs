// toNodeListener(gateway) mounts the gateway on node:http and Express in one line: status, headers and CORS
// kept, the body streamed under maxBodyBytes (413 while it arrives, the socket still answered), a client that
// disconnects does no harm, and a body Express already parsed is forwarded as it was. A Next.js App Router
// route is `export const POST = (req) => gateway.fetch(req)`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, createServer, request as httpRequest } from 'node:http';
import express from 'express';
import { AiccClient, AiccError, createGateway, toNodeListener } from 'aicc-call/server';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { CREDENTIALS } from './helpers.mjs';

const ORIGIN = 'https://crm.example.com';
let sim;
let next = 60000;
const pair = () => ({ caller: `8888${next++}`, called: `1390${next++}0` });

before(async () => {
  sim = await startSimulator({ port: 0, log: () => {} });
});
after(() => sim.close());

const gatewayFor = (options = {}) =>
  createGateway({
    clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS },
    authorize: (req) => ({ agentWorkNo: (req.headers.get('Authorization') ?? '').replace(/^Bearer /, '') || '601' }),
    cors: { origins: [ORIGIN] },
    ...options,
  });

async function listen(handler) {
  const server = createServer(handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}

test('node:http: a page places and follows a call through toNodeListener(gateway)', async () => {
  const server = await listen(toNodeListener(gatewayFor()));
  try {
    const page = new AiccClient({ baseUrl: `${server.url}/aicc`, token: async () => '601', maxRetries: 0 });
    const { callSerialNo } = await page.createCall(pair());
    assert.match(callSerialNo, /^\d+$/);
    const state = await page.queryCallState({ callSerialNo });
    assert.ok(['toBeCalled', 'calling', 'talking', 'ended'].includes(state.stateName));
    const refused = await new AiccClient({ baseUrl: `${server.url}/aicc`, token: async () => '602', maxRetries: 0 })
      .queryCallState({ callSerialNo }).catch((e) => e);
    assert.ok(refused instanceof AiccError);
    assert.equal(refused.status, 403, 'the gateway decided, the listener only carried it');
  } finally {
    await server.close();
  }
});

test('node:http: CORS preflight and headers kept; a streamed body over maxBodyBytes is 413 on a socket that still answers', async () => {
  const server = await listen(toNodeListener(gatewayFor({ maxBodyBytes: 1024 })));
  try {
    const preflight = await fetch(`${server.url}/aicc${PATHS.createCall}`, {
      method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), ORIGIN);
    // A chunked body (no Content-Length) of 64 KiB: cut off while it arrives.
    const big = await new Promise((resolve, reject) => {
      const req = httpRequest(`${server.url}/aicc${PATHS.createCall}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: ORIGIN } }, (res) => {
        let text = '';
        res.on('data', (c) => { text += c; });
        res.on('end', () => resolve({ status: res.statusCode, cors: res.headers['access-control-allow-origin'], text }));
      });
      req.on('error', reject);
      req.write(`{"caller":"${'1'.repeat(32 * 1024)}`);
      req.end(`${'2'.repeat(32 * 1024)}"}`);
    });
    assert.equal(big.status, 413, big.text);
    assert.equal(big.cors, ORIGIN);
    assert.equal(JSON.parse(big.text).error, 'tooLarge');
  } finally {
    await server.close();
  }
});

test('node:http: a client that disconnects while its createCall is in flight does no harm; the call is still recorded', async () => {
  const gateway = gatewayFor();
  const answered = [];
  // The gateway's own answers, as the listener receives them (nobody is left to read this one).
  const watched = { fetch: async (request) => { const response = await gateway.fetch(request); answered.push(await response.clone().text()); return response; } };
  const server = await listen(toNodeListener(watched));
  try {
    sim.fault({ path: PATHS.createCall, fault: 'delay:1000' });
    const numbers = pair();
    await new Promise((resolve) => {
      const req = httpRequest(`${server.url}/aicc${PATHS.createCall}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer 603' } });
      req.on('error', () => resolve());
      req.end(JSON.stringify(numbers));
      // Gone as soon as AICC has the request, before its answer.
      const poll = setInterval(() => {
        if (!sim.calls().some((c) => c.body?.called === numbers.called)) return;
        clearInterval(poll);
        req.destroy();
        resolve();
      }, 5);
    });
    while (answered.length === 0) await new Promise((r) => setTimeout(r, 20));
    const serial = /"callSerialNo":"?(\d+)/.exec(answered[0])?.[1];
    assert.ok(serial, answered[0]);
    const page = new AiccClient({ baseUrl: `${server.url}/aicc`, token: async () => '603', maxRetries: 0 });
    assert.match((await page.queryCallState({ callSerialNo: serial })).stateName, /^\w+$/, 'recorded as the session\'s call');
    assert.equal(sim.calls().filter((c) => c.body?.called === numbers.called).length, 1, 'placed once');
    assert.match((await page.createCall(pair())).callSerialNo, /^\d+$/, 'the listener serves on');
  } finally {
    await server.close();
  }
});

test('Express: app.use(prefix, toNodeListener(gateway)) with and without express.json() in front', async () => {
  const app = express();
  const gateway = gatewayFor();
  app.use('/parsed/aicc', express.json(), toNodeListener(createGateway({
    clientOptions: { baseUrl: sim.url, credentials: CREDENTIALS }, authorize: () => ({ agentWorkNo: '604' }), prefix: '/parsed/aicc',
  })));
  app.use('/aicc', toNodeListener(gateway));
  const server = await listen(app);
  try {
    for (const base of [`${server.url}/aicc`, `${server.url}/parsed/aicc`]) {
      const page = new AiccClient({ baseUrl: base, token: async () => '604', maxRetries: 0 });
      const { callSerialNo } = await page.createCall(pair());
      assert.match(callSerialNo, /^\d+$/, base);
      const invalid = await page.createCall({ caller: '8888', called: '' }).catch((e) => e);
      assert.equal(invalid.kind, 'validation', base);
    }
  } finally {
    await server.close();
  }
});

test('Next.js App Router: a route module whose POST is the gateway fetch', async () => {
  const gateway = gatewayFor();
  const route = { POST: (req) => gateway.fetch(req) }; // app/aicc/[...path]/route.js: export const POST = ...
  const response = await route.POST(new Request(`http://127.0.0.1/aicc${PATHS.createCall}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer 605' }, body: JSON.stringify(pair()),
  }));
  assert.equal(response.status, 200);
  assert.match(await response.text(), /"callSerialNo"/);
  assert.throws(() => toNodeListener({}), (e) => e instanceof AiccError && e.field === 'gateway');
});

test('node:http behind a TLS-ending proxy: with trustProxy the page\'s own https origin is same-origin; without it, refused', async () => {
  const gateway = gatewayFor();
  const page = (url, headers) => fetch(`${url}/aicc${PATHS.queryCallState}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer 606', ...headers }, body: '{"callSerialNo":"1"}',
  });
  const trusting = await listen(toNodeListener(gateway, { trustProxy: true }));
  const plain = await listen(toNodeListener(gateway));
  try {
    const host = new URL(trusting.url).host;
    const behind = { Origin: `https://${host}`, 'X-Forwarded-Proto': 'https' };
    const answer = await page(trusting.url, behind);
    assert.equal((await answer.json()).error, 'notYourCall', 'it reached the state check, past CORS');
    const refused = await page(plain.url, { ...behind, Origin: `https://${new URL(plain.url).host}` });
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).error, 'originNotAllowed', 'forwarded headers are not trusted unless asked');
  } finally {
    await trusting.close();
    await plain.close();
  }
});

test('node:http: a body the gateway answers without reading (404) is drained, so the keep-alive socket serves the next request', { timeout: 60_000 }, async () => {
  const server = await listen(toNodeListener(gatewayFor()));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (path, body) => new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, { agent, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
  try {
    const big = `{"pad":"${'x'.repeat(4 * 1024 * 1024)}"}`;
    const notFound = await send('/aicc/no/such/operation', big);
    assert.equal(notFound.status, 404, notFound.text);
    const next = await send(`/aicc${PATHS.createCall}`, JSON.stringify(pair()));
    assert.equal(next.status, 200, `the one socket of the agent was freed: ${next.text}`);
  } finally {
    agent.destroy();
    await server.close();
  }
});

// One request over node:http: its status, headers and text. `body` is written whole unless `hold` is set,
// in which case the request is left unfinished after it.
function exchange(url, { method = 'POST', headers = { 'Content-Type': 'application/json' }, body = '', hold = false } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        resolve({ status: res.statusCode, headers: res.headers, text });
        req.destroy();
      });
    });
    req.on('error', reject);
    if (hold) req.write(body);
    else req.end(body);
  });
}

test('authorize can read the body the gateway read once, through fetch and toNodeListener; the answer goes out whole, with its Content-Length', async () => {
  const seen = [];
  const gateway = gatewayFor({
    authorize: async (req) => {
      seen.push(await req.json());
      return { agentWorkNo: '601' };
    },
  });
  const sides = [
    ['gateway.fetch', (url, body) => gateway.fetch(new Request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).then(async (r) => ({ status: r.status, text: await r.text() }))],
  ];
  const direct = await listen(toNodeListener(gateway));
  const wrapped = await listen(toNodeListener({ fetch: (request) => gateway.fetch(request) }));
  sides.push(['toNodeListener(gateway)', (url, body) => exchange(url.replace('http://gw', direct.url), { body })]);
  sides.push(['toNodeListener({ fetch })', (url, body) => exchange(url.replace('http://gw', wrapped.url), { body })]);
  try {
    for (const [side, send] of sides) {
      const numbers = pair();
      const res = await send(`http://gw/aicc${PATHS.createCall}`, JSON.stringify(numbers));
      assert.equal(res.status, 200, `${side}: ${res.text}`);
      assert.deepEqual(seen.at(-1), numbers, side);
      assert.equal(sim.calls().at(-1).body.called, numbers.called, `${side}: forwarded`);
    }
    const whole = await exchange(`${direct.url}/aicc${PATHS.createCall}`, { body: JSON.stringify(pair()) });
    assert.equal(whole.headers['content-length'], String(Buffer.byteLength(whole.text)));
    assert.equal(whole.headers['transfer-encoding'], undefined);
  } finally {
    await direct.close();
    await wrapped.close();
  }
});

test('node:http: a body that stops arriving is 503 after authorizeTimeoutMs, nothing forwarded; a TRACE or a URL with credentials is 400, as a Request refuses them', async () => {
  const gateway = gatewayFor({ authorizeTimeoutMs: 100 });
  const servers = [await listen(toNodeListener(gateway)), await listen(toNodeListener({ fetch: (request) => gateway.fetch(request) }))];
  try {
    for (const server of servers) {
      const before = sim.requests().length;
      const stalled = await exchange(`${server.url}/aicc${PATHS.createCall}`, { body: '{"caller":"8888', hold: true });
      assert.equal(stalled.status, 503, stalled.text);
      assert.equal(JSON.parse(stalled.text).error, 'authorizeTimeout');
      assert.equal(sim.requests().length, before, 'nothing reached AICC');
      const trace = await exchange(`${server.url}/aicc${PATHS.createCall}`, { method: 'TRACE', headers: {} });
      assert.equal(trace.status, 400, trace.text);
      assert.equal(JSON.parse(trace.text).error, 'invalidRequest');
      const host = `user:pw@${new URL(server.url).host}`;
      const credentials = await exchange(`${server.url}/aicc${PATHS.createCall}`, { headers: { 'Content-Type': 'application/json', Host: host }, body: JSON.stringify(pair()) });
      assert.equal(credentials.status, 400, `a Host that makes a URL with credentials: ${credentials.text}`);
      assert.equal(JSON.parse(credentials.text).error, 'invalidRequest', 'the listener answered, not the HTTP parser');
      assert.equal(sim.requests().length, before, 'nothing reached AICC');
    }
  } finally {
    for (const server of servers) await server.close();
  }
});
