// The packed tarball in browser pages, built the way users build them and loaded in Chromium: Vite (current,
// 7 and 5; build and dev server, with no configuration), webpack 5, esbuild and Rollup (one line each: the
// asset import of 'aicc-call/wasm' handed to init()), and an import map without a bundler. Each page makes one
// real call to the simulator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startStaticServer } from '../../sim/static-server.mjs';
import { ROOT, addFixture, projects, simulatorWithToken } from './harness.mjs';

const VITES = { vite: 'current', vite7: '7', vite5: '5' };
const CASES = [...Object.keys(VITES), 'webpack', 'esbuild', 'rollup', 'importmap'];

let sim;
let token;
let work;
let context;
let called = 13800001280;

before(async () => {
  ({ sim, token } = await simulatorWithToken());
  work = await projects(CASES);
  for (const name of CASES) addFixture(work.dirs[name], 'page');
  addFixture(work.dirs.importmap, 'importmap');
  context = await launchChromium();
});

after(async () => {
  await context?.close().catch(() => {});
  await sim?.close();
  work?.remove();
});

// Opens the page at `origin`, waits for its call and checks it: a serial from the simulator, the refusal as an
// AiccError, the wasm fetched as wasm, and nothing logged as an error or thrown.
async function assertPageCalls(origin) {
  const page = await context.newPage();
  const problems = [];
  const wasm = [];
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(`${r.status()} ${r.headers()['content-type']}`); });
  try {
    called += 1;
    const query = new URLSearchParams({ sim: sim.url, token, called: String(called) });
    await page.goto(`${origin}/?${query}`);
    await page.waitForFunction(() => document.getElementById('out')?.textContent, null, { timeout: 20_000 });
    const result = JSON.parse(await page.locator('#out').textContent());
    assert.deepEqual(problems, [], 'the page logged errors or threw');
    assert.equal(result.error, undefined, result.error);
    assert.match(result.serial, /^\d{18}$/);
    assert.equal(result.refused, 'validation:caller');
    assert.ok(wasm.includes('200 application/wasm'), `the wasm was fetched: ${wasm.join(', ')}`);
    const made = sim.calls().filter((c) => c.body?.called === String(called));
    assert.equal(made.length, 1, 'the simulator got the call');
  } finally {
    await page.close();
  }
}

async function served(dir, check) {
  const server = await startStaticServer({ mounts: { '/': dir } });
  try {
    await check(server.url);
  } finally {
    await server.close();
  }
}

for (const [tool, version] of Object.entries(VITES)) {
  describe(`Vite ${version}, no configuration`, () => {
    test('build, served as static files', async () => {
      const vite = await import(tool);
      const dir = work.dirs[tool];
      await vite.build({ root: dir, configFile: false, logLevel: 'error', build: { outDir: join(dir, 'dist') } });
      const assets = join(dir, 'dist', 'assets');
      const bundled = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
      assert.ok(bundled.length > 0);
      assert.doesNotMatch(bundled, /callerNotInSoftphoneRange/, 'a page that does not call codes() does not carry the code list');
      await served(join(dir, 'dist'), assertPageCalls);
    });

    test('dev server (dependency pre-bundling)', async () => {
      const vite = await import(tool);
      // Vite's own listen() takes port 0 as "the default port" before Vite 8: serve its middlewares on ours.
      const http = createServer();
      const server = await vite.createServer({
        root: work.dirs[tool], configFile: false, logLevel: 'error', server: { middlewareMode: true, hmr: { server: http } },
      });
      http.on('request', server.middlewares);
      await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
      try {
        await assertPageCalls(`http://127.0.0.1:${http.address().port}`);
      } finally {
        await server.close();
        await new Promise((resolve) => { http.close(resolve); http.closeAllConnections(); });
      }
    });
  });
}

test('webpack 5, no configuration beyond the entry', async () => {
  const { default: webpack } = await import('webpack');
  const dir = work.dirs.webpack;
  const stats = await new Promise((resolve, reject) => {
    webpack({ mode: 'production', context: dir, entry: './main.js', output: { path: join(dir, 'dist'), filename: 'main.js' } }, (e, s) => (e ? reject(e) : resolve(s)));
  });
  assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
  copyFileSync(join(dir, 'index.html'), join(dir, 'dist', 'index.html'));
  await served(join(dir, 'dist'), assertPageCalls);
});

test("esbuild: the wasm as a file (loader '.wasm': 'file') handed to init()", async () => {
  const esbuild = await import('esbuild');
  const dir = work.dirs.esbuild;
  await esbuild.build({
    absWorkingDir: dir, entryPoints: ['main-init.js'], bundle: true, format: 'esm', outfile: 'dist/main.js',
    loader: { '.wasm': 'file' }, logLevel: 'error',
  });
  copyFileSync(join(dir, 'index.html'), join(dir, 'dist', 'index.html'));
  await served(join(dir, 'dist'), assertPageCalls);
});

test('Rollup: the wasm through @rollup/plugin-url handed to init()', async () => {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const { default: url } = await import('@rollup/plugin-url');
  const dir = work.dirs.rollup;
  const bundle = await rollup({
    input: join(dir, 'main-init.js'),
    plugins: [nodeResolve({ browser: true }), url({ include: ['**/*.wasm'], limit: 0 })],
    onwarn: (warning) => { throw new Error(`rollup: ${warning.message}`); },
  });
  await bundle.write({ dir: join(dir, 'dist'), format: 'es', entryFileNames: 'main.js' });
  await bundle.close();
  copyFileSync(join(dir, 'index.html'), join(dir, 'dist', 'index.html'));
  await served(join(dir, 'dist'), assertPageCalls);
});

test('an import map, no bundler: the page imports node_modules/aicc-call/js/browser.js as is', async () => {
  await served(work.dirs.importmap, assertPageCalls);
});

test('the browser entry while its wasm loads: usable classes, options checked on the first call, ready, init after the load', async () => {
  await served(work.dirs.importmap, async (origin) => {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    try {
      await page.goto(`${origin}/lazy.html`);
      await page.waitForFunction(() => document.getElementById('out')?.textContent, null, { timeout: 20_000 });
      assert.deepEqual(JSON.parse(await page.locator('#out').textContent()), {
        watchIsCallWatch: true,
        earlyCall: 'validation:baseUrl',
        earlyWatch: 'validation:baseUrl',
        ready: 'loaded',
        lateConstructor: 'validation:baseUrl',
        initAfterLoad: 'kept',
      });
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});

