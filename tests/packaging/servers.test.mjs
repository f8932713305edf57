// The packed tarball on servers, as users install it: Node (ESM and CommonJS), Deno and Bun from their npm
// packages, and a minimal worker bundled by `wrangler deploy --dry-run` and run in workerd (Miniflare). Each
// makes one real call to the simulator.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { PATHS } from '../../sim/index.mjs';
import { ROOT, addFixture, bin, missing, projects, run, simulatorWithToken } from './harness.mjs';

let sim;
let proxy;
let work;
const rawCreateCallAnswers = [];

before(async () => {
  ({ sim } = await simulatorWithToken());
  // A pass-through proxy that keeps the raw text of every createCall answer (the exact serial digits).
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
  work = await projects(['node', 'worker']);
  addFixture(work.dirs.node, 'node');
  addFixture(work.dirs.worker, 'worker');
});

after(async () => {
  await new Promise((r) => proxy?.close(r));
  await sim?.close();
  work?.remove();
});

const proxied = () => `http://127.0.0.1:${proxy.address().port}`;

function assertCalled(stdout, { exactFrom } = {}) {
  const printed = JSON.parse(stdout.trim().split('\n').at(-1));
  assert.match(printed.serial ?? '', /^\d{18}$/, JSON.stringify(printed));
  if (exactFrom) {
    const exact = /"callSerialNo"\s*:\s*(\d+)/.exec(exactFrom)?.[1];
    assert.equal(printed.serial, exact, 'the exact digits the simulator sent as a bare JSON number');
  }
  assert.equal(printed.refused, 'validation:caller');
  assert.equal(printed.gateway, 'function', 'aicc-call/server has the gateway');
  assert.equal(printed.oneModule, true, "'aicc-call' and 'aicc-call/server' share one module (one wasm instance)");
}

test('Node, ES module: the call, with the serial exact', async () => {
  const before = rawCreateCallAnswers.length;
  const { stdout } = await run(process.execPath, ['call.mjs', proxied(), '13800001230'], { cwd: work.dirs.node });
  assert.equal(rawCreateCallAnswers.length, before + 1);
  assertCalled(stdout, { exactFrom: rawCreateCallAnswers.at(-1) });
});

test('Node, CommonJS: require() of the package works on this Node (^20.19 || >=22.12, as engines says)', async () => {
  const { stdout } = await run(process.execPath, ['call.cjs', sim.url, '13800001240'], { cwd: work.dirs.node });
  assertCalled(stdout);
});

test('Deno (npm package "deno"): the deno entry needs no --allow-read, only the network', { skip: missing('deno') }, async () => {
  const denoDir = mkdtempSync(join(work.work, 'deno-dir-'));
  const { stdout } = await run(bin('deno'), ['run', '--no-prompt', `--allow-net=127.0.0.1:${sim.port}`, 'call.mjs', sim.url, '13800001250'], {
    cwd: work.dirs.node,
    env: { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1' },
  });
  assertCalled(stdout);
});

test('Bun (npm package "bun")', { skip: missing('bun') }, async () => {
  const { stdout } = await run(bin('bun'), ['call.mjs', sim.url, '13800001260'], { cwd: work.dirs.node, env: { DO_NOT_TRACK: '1' } });
  assertCalled(stdout);
});

test('Cloudflare Workers: `wrangler deploy --dry-run` bundles a minimal worker, which runs in workerd', async () => {
  const outdir = join(work.dirs.worker, 'dist');
  await run(join(ROOT, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: work.dirs.worker,
    env: { WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'error' },
  });
  const files = readdirSync(outdir);
  assert.equal(files.filter((f) => f.endsWith('.wasm')).length, 1, `one wasm in the bundle: ${files.join(', ')}`);
  const mf = new Miniflare({
    modules: [
      { type: 'ESModule', path: join(outdir, 'index.js') },
      ...files.filter((f) => f.endsWith('.wasm')).map((f) => ({ type: 'CompiledWasm', path: join(outdir, f) })),
    ],
    modulesRoot: outdir,
    compatibilityDate: '2025-09-01',
    bindings: { AICC_BASE_URL: sim.url, AICC_APP_SECRET: 'demo-app-secret' },
    durableObjects: { AICC_STATE: 'AiccGatewayState' },
    host: '127.0.0.1',
    port: 0,
  });
  try {
    const answer = await mf.dispatchFetch('http://worker.test/');
    const text = await answer.text();
    assertCalled(text);
    const { own, stranger } = JSON.parse(text);
    assert.deepEqual({ own, stranger }, { own: 200, stranger: 403 }, 'the gateway state on the AiccGatewayState Durable Object');
  } finally {
    await mf.dispose();
  }
});
