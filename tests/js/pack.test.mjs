// The package as users get it: npm pack, npm install of the tarball into an empty folder, a plain Node script
// that imports 'aicc-call' and talks to a simulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, PATHS } from '../../sim/index.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

let work;
let tarball;
let files;
let sim;
let proxy;
const rawCreateCallAnswers = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'aicc-pack-'));
  const packed = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT));
  tarball = join(work, packed[0].filename);
  files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));

  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  // A pass-through proxy that keeps the raw text of every createCall answer.
  proxy = http.createServer((req, res) => {
    const up = http.request(`${sim.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.url === PATHS.createCall) rawCreateCallAnswers.push(body.toString('utf8'));
        res.writeHead(answer.statusCode, answer.headers);
        res.end(body);
      });
    });
    req.pipe(up);
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
});

after(async () => {
  await new Promise((r) => proxy.close(r));
  await sim.close();
  rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the wasm, the glue, the entries and the types, and nothing of the sources', () => {
  for (const f of ['package.json', 'README.md', 'pkg/full/aicc_call_bg.wasm', 'pkg/full/aicc_call.js', 'pkg/web/aicc_call_bg.wasm', 'pkg/web/aicc_call.js', 'js/index.d.ts', 'js/browser.d.ts', 'js/node.js', 'js/browser.js', 'js/workerd.js', 'js/runtime.js', 'js/gateway.js']) {
    assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
  }
  for (const f of files) {
    assert.doesNotMatch(f, /^(src|sim|tests|target|www|examples|scripts|bench|node_modules)\//, f);
    assert.doesNotMatch(f, /\.rs$|Cargo\.(toml|lock)$/, f);
  }
});

test('installed from the tarball into an empty folder, a plain Node script places a call and reads it back', async () => {
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  npm(['install', tarball, '--no-audit', '--no-fund', '--offline', '--no-package-lock'], app);
  const installed = join(app, 'node_modules', 'aicc-call');
  assert.ok(existsSync(join(installed, 'pkg', 'full', 'aicc_call_bg.wasm')));
  const exportsMap = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')).exports['.'];
  assert.equal(exportsMap.node.types, './js/index.d.ts');
  assert.equal(exportsMap.browser.types, './js/browser.d.ts');
  assert.ok(existsSync(join(installed, 'js', 'browser.d.ts')));

  writeFileSync(join(app, 'run.mjs'), `
import { AiccClient, AiccError } from 'aicc-call';
const client = new AiccClient({
  baseUrl: process.env.AICC_URL,
  credentials: { appKey: 'demo-app-key', appSecret: 'demo-app-secret' },
  timeoutMs: 5000,
});
const placed = await client.createCall({ caller: '88881234', called: 13800001230 });
const state = await client.queryCallState({ callSerialNo: placed.callSerialNo });
let refused = null;
try { await client.createCall({ caller: 'x', called: '1' }); } catch (e) { refused = e instanceof AiccError && e instanceof Error && e.kind + ':' + e.field; }
console.log(JSON.stringify({ serial: placed.callSerialNo, caller: state.caller, called: state.called, refused }));
`);
  // Asynchronously: the simulator and the proxy live in this process and must keep answering.
  const { stdout: out } = await promisify(execFile)(process.execPath, ['run.mjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, AICC_URL: `http://127.0.0.1:${proxy.address().port}` } });
  const printed = JSON.parse(out.trim().split('\n').at(-1));

  assert.equal(rawCreateCallAnswers.length, 1);
  const exact = /"callSerialNo"\s*:\s*(\d+)/.exec(rawCreateCallAnswers[0])?.[1];
  assert.match(exact, /^\d{18}$/);
  assert.equal(printed.serial, exact, 'the exact digits the simulator sent as a bare JSON number');
  assert.equal(printed.caller, '88881234');
  assert.equal(printed.called, '13800001230');
  assert.equal(printed.refused, 'validation:caller');
});
