// The simulator and the demo from the packed tarball, as a user gets them from npm: the `aicc-sim` bin (alone,
// and with --demo: the simulator, a gateway in Node on the shipped wasm and the page), the `aicc-call/simulator`
// export in a project's own test, and no browser or workerd build that can load it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projects, run } from './harness.mjs';

const TOKEN_PATH = '/apigovernance/api/oauth/tokenByAkSk';
const CREATE_CALL_PATH = '/apiaccess/CC-Management/v1/mobileAgent/createCall';

let work;
const running = new Set();

before(async () => {
  work = await projects(['crm', 'page']);
});

after(async () => {
  for (const child of running) child.kill('SIGTERM');
  work?.remove();
});

const aiccSim = () => join(work.installed, 'node_modules', '.bin', 'aicc-sim');

/**
 * Starts the installed `aicc-sim` bin and resolves with its first stdout line; `stderrLine(re)` resolves with the
 * first stderr line matching `re` (now or later), `stop()` sends SIGTERM and resolves with the exit code.
 */
async function startBin(args) {
  const child = spawn(aiccSim(), args, { cwd: work.installed, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const stderr = [];
  const waiting = new Set();
  createInterface({ input: child.stderr }).on('line', (line) => {
    stderr.push(line);
    for (const w of waiting) if (w.re.test(line)) { waiting.delete(w); w.resolve(line); }
  });
  const stderrLine = (re) => {
    const seen = stderr.find((line) => re.test(line));
    return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiting.add({ re, resolve }));
  };
  const exited = once(child, 'exit');
  const first = await Promise.race([
    once(createInterface({ input: child.stdout }), 'line').then(([line]) => line),
    exited.then(([code]) => { throw new Error(`aicc-sim exited with ${code} before printing its URL:\n${stderr.join('\n')}`); }),
  ]);
  const stop = async () => {
    child.kill('SIGTERM');
    const [code] = await exited;
    running.delete(child);
    return code;
  };
  return { first, stderrLine, stop };
}

test('npx aicc-sim resolves the bin of the installed package', async () => {
  const { stderr } = await run('npx', ['--no-install', 'aicc-sim', '--help'], { cwd: work.installed, env: { npm_config_offline: 'true' } });
  assert.match(stderr, /^usage: aicc-sim \[--port N\]/m);
});

test('aicc-sim serves the simulator: a token, a createCall recorded, a clean stop on SIGTERM', async () => {
  const sim = await startBin(['--port', '0', '--speed', '20']);
  const url = /^AICC simulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(sim.first)?.[1];
  assert.ok(url, sim.first);
  const post = (path, body, headers = {}) =>
    fetch(url + path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const { AccessToken } = await (await post(TOKEN_PATH, { app_key: 'demo-app-key', app_secret: 'demo-app-secret' })).json();
  assert.match(AccessToken, /^[0-9a-f]{64}$/);
  const answer = await post(CREATE_CALL_PATH, { caller: '88889050', called: '13800000000' }, { Authorization: `Bearer ${AccessToken}` });
  assert.match(await answer.text(), /"callSerialNo":\d{18}\}/);
  const calls = await (await fetch(`${url}/__sim/calls`)).json();
  assert.deepEqual(calls.map((c) => c.body.called), ['13800000000']);
  assert.equal(await sim.stop(), 0);
});

test("a CRM's own test: startSimulator from 'aicc-call/simulator' with the client from 'aicc-call'", async () => {
  writeFileSync(join(work.dirs.crm, 'crm.test.mjs'), `
import { PATHS, startSimulator } from 'aicc-call/simulator';
import { AiccClient } from 'aicc-call';
const sim = await startSimulator({ port: 0, speed: 20, clock: 'poll', log: () => {} });
try {
  const client = new AiccClient({ baseUrl: sim.url, credentials: { appKey: 'demo-app-key', appSecret: 'demo-app-secret' } });
  const { callSerialNo } = await client.createCall({ caller: '88889050', called: '13800000000', callData: 'order-1' });
  const states = [];
  for await (const s of client.watchCall(callSerialNo, { intervalMs: 100 })) states.push(s.stateName);
  sim.fault({ path: PATHS.queryCallState, fault: 'status:400' });
  const refused = await client.queryCallState({ callSerialNo }).catch((e) => e.kind);
  console.log(JSON.stringify({ states, refused, recorded: sim.calls().map((c) => c.body.callData), paths: sim.requests().length > 0 }));
} finally {
  await sim.close();
}
`);
  const { stdout } = await run(process.execPath, ['crm.test.mjs'], { cwd: work.dirs.crm });
  assert.deepEqual(JSON.parse(stdout.trim().split('\n').at(-1)), {
    states: ['toBeCalled', 'calling', 'talking', 'ended'], refused: 'http', recorded: ['order-1'], paths: true,
  });
});

test('no browser or workerd build can load the simulator (Node only)', async () => {
  const esbuild = await import('esbuild');
  writeFileSync(join(work.dirs.page, 'entry.js'), "import { startSimulator } from 'aicc-call/simulator';\nconsole.log(startSimulator);\n");
  for (const options of [{ platform: 'browser' }, { platform: 'neutral', conditions: ['workerd', 'worker', 'browser'] }]) {
    await assert.rejects(
      esbuild.build({ entryPoints: [join(work.dirs.page, 'entry.js')], bundle: true, write: false, logLevel: 'silent', absWorkingDir: work.dirs.page, ...options }),
      (e) => e.errors?.some((m) => /aicc-call\/simulator/.test(m.text)),
      `esbuild ${JSON.stringify(options)} must not resolve aicc-call/simulator`,
    );
  }
});

test('aicc-sim --demo: the page, a call placed through the Node gateway on the shipped wasm, seen by the simulator', async () => {
  const demo = await startBin(['--demo', '--port', '0', '--speed', '20']);
  try {
    const url = /^Open (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(demo.first)?.[1];
    assert.ok(url, demo.first);
    const simUrl = /AICC simulator (http:\/\/127\.0\.0\.1:\d+)/.exec(await demo.stderrLine(/AICC simulator http/))[1];

    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="app\.js"><\/script>/);
    for (const [path, type] of [['/app.js', /javascript/], ['/js/browser.js', /javascript/], ['/pkg/web/aicc_call_bg.wasm', /^application\/wasm$/]]) {
      const answer = await fetch(new URL(path, url));
      assert.equal(answer.status, 200, path);
      assert.match(answer.headers.get('content-type'), type, path);
      await answer.arrayBuffer();
    }
    const config = await (await fetch(new URL('/config.json', url))).json();
    assert.match(config.gatewayUrl, /^http:\/\/127\.0\.0\.1:\d+$/);

    // What the page does, from another project with the installed package: through the gateway with the
    // session token, never a secret.
    writeFileSync(join(work.dirs.page, 'call.mjs'), `
import { AiccClient } from 'aicc-call';
const [gatewayUrl, token] = process.argv.slice(2);
const client = new AiccClient({ baseUrl: gatewayUrl + '/aicc', token: async () => token });
const { callSerialNo } = await client.createCall({ caller: '88889051', called: '13800000001' });
const states = [];
for await (const s of client.watchCall(callSerialNo, { intervalMs: 100 })) states.push(s.stateName);
const stranger = new AiccClient({ baseUrl: gatewayUrl + '/aicc', token: async () => 'not-the-session' });
const refused = await stranger.queryCallState({ callSerialNo }).catch((e) => e.kind + ':' + e.status);
console.log(JSON.stringify({ callSerialNo, last: states.at(-1), refused }));
`);
    const { stdout } = await run(process.execPath, ['call.mjs', config.gatewayUrl, config.sessionToken], { cwd: work.dirs.page });
    const placed = JSON.parse(stdout.trim().split('\n').at(-1));
    assert.match(placed.callSerialNo, /^\d{18}$/);
    assert.equal(placed.last, 'ended');
    assert.equal(placed.refused, 'auth:401');

    const calls = await (await fetch(`${simUrl}/__sim/calls`)).json();
    assert.deepEqual(calls.map((c) => [c.body.caller, c.body.called, c.body.agentWorkNo]), [['88889051', '13800000001', '101']]);
  } finally {
    assert.equal(await demo.stop(), 0);
  }
});
