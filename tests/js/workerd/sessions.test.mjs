// The example worker's sessions: JWTs the CRM backend issues, verified in the worker with jose (Web Crypto).
// RS256 with SESSION_JWT_PUBLIC_KEY, HS256 with SESSION_JWT_SECRET; expired, foreign and unsigned tokens and
// tokens without an agent are 401 and reach nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, exportSPKI, generateKeyPair } from 'jose';
import { startSimulator, PATHS } from '../../../sim/index.mjs';
import { startWorker, gatewayBindings, pairs, sessionToken, JWT_SECRET } from './helpers.mjs';

const ISSUER = 'https://crm.example.com';
const pair = pairs(4000);
let sim;
let rs;
let hs;
let keys;

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  keys = await generateKeyPair('RS256', { extractable: true });
  rs = await startWorker({
    bindings: { ...gatewayBindings(sim, { SESSION_JWT_ISSUER: ISSUER }), SESSION_JWT_SECRET: '', SESSION_JWT_PUBLIC_KEY: await exportSPKI(keys.publicKey) },
  });
  hs = await startWorker({ bindings: gatewayBindings(sim) });
});
after(async () => {
  await rs?.close();
  await hs?.close();
  await sim?.close();
});

const rsToken = (claims, { key = keys.privateKey, issuer = ISSUER, expires = '10m', alg = 'RS256' } = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg }).setIssuer(issuer).setIssuedAt().setExpirationTime(expires).sign(key);

const place = (url, token, numbers = pair(0)) => fetch(`${url}/aicc${PATHS.createCall}`, {
  method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(numbers),
});

test('RS256: a token of the CRM places a call as its agent, with its callers', async () => {
  const token = await rsToken({ agentWorkNo: '121', callers: ['88884444'] });
  const ok = await place(rs.url, token, pair(0, '88884444'));
  assert.equal(ok.status, 200);
  assert.equal(sim.calls().at(-1).body.agentWorkNo, '121');
  const other = await place(rs.url, token, pair(0, '88885555'));
  assert.equal(other.status, 403, 'a caller number the token does not list');
});

test('RS256: another key, another issuer, an expired or HS256 token is 401 and nothing is sent', async () => {
  const before = sim.calls().length;
  const stranger = await generateKeyPair('RS256');
  for (const token of [
    await rsToken({ agentWorkNo: '121' }, { key: stranger.privateKey }),
    await rsToken({ agentWorkNo: '121' }, { issuer: 'https://evil.example' }),
    await rsToken({ agentWorkNo: '121' }, { expires: Math.floor(Date.now() / 1000) - 60 }),
    await sessionToken({ agentWorkNo: '121' }),
    await rsToken({ callers: ['1'] }),
    undefined,
  ]) {
    const res = await place(rs.url, token);
    assert.equal(res.status, 401, String(token));
    assert.equal((await res.json()).error, 'unauthorized');
  }
  assert.equal(sim.calls().length, before);
});

test('HS256: the shared secret signs; a token with another secret or `alg: none` is 401', async () => {
  assert.equal((await place(hs.url, await sessionToken({ agentWorkNo: '122' }))).status, 200);
  assert.equal((await place(hs.url, await sessionToken({ agentWorkNo: '122' }, { secret: 'another-secret-of-enough-length-000' }))).status, 401);
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ agentWorkNo: '122', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
  assert.equal((await place(hs.url, `${header}.${payload}.`)).status, 401);
});

test('HS256: a token expired within the 30 s clock tolerance is accepted; one expired 5 minutes ago is not', async () => {
  const now = Math.floor(Date.now() / 1000);
  const signed = (exp) => new SignJWT({ agentWorkNo: '131' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now - 600).setExpirationTime(exp)
    .sign(new TextEncoder().encode(JWT_SECRET));
  assert.equal((await place(hs.url, await signed(now - 5))).status, 200, 'a CRM clock a few seconds ahead');
  assert.equal((await place(hs.url, await signed(now - 300))).status, 401);
});
