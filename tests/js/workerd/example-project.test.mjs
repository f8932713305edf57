// examples/worker as its own project: its package.json pins what it imports (at the versions these tests run),
// its .dev.vars.example starts a working gateway against the simulator, and a variable that is missing, left a
// placeholder or unusable stops it with one error naming the variable, in the log and to the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { SignJWT } from 'jose';
import { AiccClient } from 'aicc-call';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { startWorker, gatewayBindings, pairs, APP_SECRET, JWT_SECRET, ORIGIN } from './helpers.mjs';

const example = new URL('../../../examples/worker/', import.meta.url);
const read = (path) => readFileSync(new URL(path, example), 'utf8');
const pair = pairs(7000);
let sim;

before(async () => {
  sim = await startSimulator({ port: 0, log: () => {} });
});
after(async () => {
  await sim?.close();
});

test('the example pins every package it imports, at the versions the repository tests', () => {
  const own = JSON.parse(read('package.json'));
  const root = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  const pinned = { ...own.dependencies, ...own.devDependencies };
  assert.equal(pinned['aicc-call'], 'file:../..');
  assert.equal(pinned.jose, root.devDependencies.jose);
  assert.equal(pinned.wrangler, root.devDependencies.wrangler);
  for (const [name, version] of Object.entries(pinned)) {
    if (name !== 'aicc-call') assert.match(version, /^\d+\.\d+\.\d+$/, `${name} is pinned to one version`);
  }
  const sources = readdirSync(new URL('src/', example)).map((f) => read(`src/${f}`)).join('\n');
  const imported = new Set([...sources.matchAll(/from '([^'.][^']*)'/g)].map(([, name]) => name));
  assert.ok(imported.size >= 2);
  for (const name of imported) assert.ok(own.dependencies[name], `${name} is imported by src/ and listed in dependencies`);
});

// .dev.vars.example's values, pointed at this test's simulator instead of port 9001.
function devVars() {
  const vars = {};
  for (const line of read('.dev.vars.example').split('\n')) {
    const m = /^([A-Z_]+)="(.*)"$/.exec(line);
    if (m) vars[m[1]] = m[2].replaceAll('http://127.0.0.1:9001', sim.url);
  }
  return vars;
}

test('.dev.vars.example runs the gateway against the simulator, with a token signed by its session secret', async () => {
  const vars = devVars();
  for (const name of ['AICC_BASE_URL', 'AICC_APP_KEY', 'AICC_APP_SECRET', 'SESSION_JWT_SECRET', 'ALLOWED_ORIGINS']) {
    assert.ok(vars[name], `${name} is in .dev.vars.example`);
  }
  assert.match(vars.ALLOWED_ORIGINS, /http:\/\/localhost:5173/, 'a Vite dev server may call it');
  const worker = await startWorker({ bindings: vars });
  try {
    const token = await new SignJWT({ agentWorkNo: '101', callers: ['88889050'] })
      .setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h')
      .sign(new TextEncoder().encode(vars.SESSION_JWT_SECRET));
    const page = new AiccClient({ baseUrl: `${worker.url}/aicc`, token: async () => token, timeoutMs: 5000 });
    const placed = await page.createCall(pair(0, '88889050'));
    assert.match(placed.callSerialNo, /^\d+$/);
    assert.equal(sim.calls().at(-1).body.agentWorkNo, '101');
    page.free();
  } finally {
    await worker.close();
  }
});

// Starts the example with `bindings`, asks it for a createCall from an allowed origin, and returns what the
// page and the log saw; nothing may reach the simulator.
async function misconfiguredAnswer(bindings) {
  const logs = [];
  const before = sim.calls().length;
  const worker = await startWorker({ bindings, onLog: (entry) => logs.push(entry.message) });
  try {
    const res = await fetch(`${worker.url}/aicc${PATHS.createCall}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: ORIGIN, Authorization: 'Bearer x' },
      body: JSON.stringify(pair(0)),
    });
    const answer = { status: res.status, allowOrigin: res.headers.get('access-control-allow-origin'), body: await res.json() };
    const page = new AiccClient({ baseUrl: `${worker.url}/aicc`, token: async () => 'x', maxRetries: 0, timeoutMs: 5000 });
    const error = await page.createCall(pair(0)).then(() => undefined, (e) => e);
    page.free();
    assert.equal(sim.calls().length, before, 'nothing reaches AICC');
    return { answer, error, logs };
  } finally {
    await worker.close();
  }
}

test('a placeholder app key and a missing app secret stop the gateway with an error naming each variable', async () => {
  const { answer, error, logs } = await misconfiguredAnswer(gatewayBindings(sim, { AICC_APP_KEY: 'replace-with-your-app-key', AICC_APP_SECRET: '' }));
  assert.equal(answer.status, 500);
  assert.equal(answer.allowOrigin, ORIGIN, 'the page can read why');
  assert.equal(answer.body.error, 'gatewayMisconfigured');
  assert.match(answer.body.message, /AICC_APP_KEY is still the placeholder/);
  assert.match(answer.body.message, /AICC_APP_SECRET is not set \(a secret: npx wrangler secret put AICC_APP_SECRET\)/);
  assert.match(error.message, /AICC_APP_KEY is still the placeholder/, 'the page\'s AiccError says it');
  assert.equal(error.status, 500);
  assert.equal(logs.filter((l) => /misconfigured/.test(l)).length, 1, 'logged once');
  assert.match(logs.join('\n'), /AICC_APP_SECRET is not set/);
});

test('a short CALLBACK_SECRET, or one without PUBLIC_URL, is an error, not callbacks silently off', async () => {
  const short = await misconfiguredAnswer(gatewayBindings(sim, { CALLBACK_SECRET: 'too-short', PUBLIC_URL: 'http://127.0.0.1:1' }));
  assert.equal(short.answer.status, 500);
  assert.match(short.answer.body.message, /CALLBACK_SECRET must be at least 16 characters/);
  assert.doesNotMatch(JSON.stringify(short), /too-short/, 'the value is never shown');

  const noUrl = await misconfiguredAnswer(gatewayBindings(sim, { CALLBACK_SECRET: 'callback-secret-long-enough-0123' }));
  assert.match(noUrl.answer.body.message, /PUBLIC_URL is not set/);
  assert.match(noUrl.error.message, /PUBLIC_URL is not set/);
});

test('session keys: none, both, or a short HS256 secret is named; the app secret never appears', async () => {
  const none = await misconfiguredAnswer(gatewayBindings(sim, { SESSION_JWT_SECRET: '' }));
  assert.match(none.answer.body.message, /SESSION_JWT_SECRET \(HS256\) or SESSION_JWT_PUBLIC_KEY \(RS256\) is not set/);
  const both = await misconfiguredAnswer(gatewayBindings(sim, { SESSION_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----' }));
  assert.match(both.answer.body.message, /SESSION_JWT_SECRET and SESSION_JWT_PUBLIC_KEY are both set/);
  const short = await misconfiguredAnswer(gatewayBindings(sim, { SESSION_JWT_SECRET: 'short', CREATE_CALL_PER_DAY: 'ten' }));
  assert.match(short.answer.body.message, /SESSION_JWT_SECRET must be at least 32 characters/);
  assert.match(short.answer.body.message, /CREATE_CALL_PER_DAY must be a whole number/);
  for (const seen of [none, both, short]) {
    assert.doesNotMatch(JSON.stringify(seen), new RegExp(`${APP_SECRET}|${JWT_SECRET}`));
  }
});
