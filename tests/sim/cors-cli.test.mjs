import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withSim, PATHS } from './helpers.mjs';

const SERVER = fileURLToPath(new URL('../../sim/server.mjs', import.meta.url));

test('OPTIONS preflight answers 204 with the CORS headers on every path', async (t) => {
  const sim = await withSim(t);
  for (const path of [PATHS.createCall, PATHS.token, PATHS.queryBasicCallInfo, '/anything']) {
    const r = await fetch(sim.url + path, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(r.headers.get('access-control-allow-methods'), /POST/);
    for (const h of ['Authorization', 'Content-Type', 'X-APP-Key', 'X-Token-Expire', 'X-TenantSpaceID']) {
      assert.ok(r.headers.get('access-control-allow-headers').includes(h), h);
    }
    assert.ok(Number(r.headers.get('access-control-max-age')) > 0);
  }
  const normal = await fetch(sim.url + PATHS.token, { method: 'POST', headers: { Origin: 'http://x.test' }, body: '{}' });
  assert.equal(normal.headers.get('access-control-allow-origin'), 'http://x.test');
  const noOrigin = await fetch(sim.url + PATHS.token, { method: 'POST', body: '{}' });
  assert.equal(noOrigin.headers.get('access-control-allow-origin'), '*');
});

test('the CLI prints the listening line first and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--speed', '5', '--app-secret', 'top-secret-value', '--sk', 'sk-secret-value'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  const line = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (c) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const m = /^AICC simulator listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(line);
  assert.ok(m, line);
  assert.ok(Number(m[1]) > 0);
  const r = await fetch(`http://127.0.0.1:${m[1]}${PATHS.token}`, { method: 'POST', body: JSON.stringify({ app_key: 'demo-app-key', app_secret: 'top-secret-value' }) });
  assert.equal(r.status, 200);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
  assert.ok(!stderr.includes('top-secret-value') && !stderr.includes('sk-secret-value'), 'no secrets logged');
});

test('the CLI refuses unknown arguments', async () => {
  const child = spawn(process.execPath, [SERVER, '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 2);
});
