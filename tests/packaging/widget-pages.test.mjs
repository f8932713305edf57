// <aicc-click-to-call> from the packed tarball where softphone widgets live, each page loaded in Chromium: a
// plain page with an import map, a Vite + React 19 page and a Vite + Vue 3 page. Each places its calls through
// a gateway on the package's own Node entry (createGateway, as `aicc-sim --demo` runs it) in front of the
// simulator, whose clock 'poll' moves each call one state per poll: a call placed and followed to its end, then
// a lost answer resolved to placed and followed. The pages log the element's events from their own code (React
// state, a Vue ref, a listener), and the test reads those logs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startStaticServer } from '../../sim/static-server.mjs';
import { DEFAULTS, PATHS, startSimulator } from '../../sim/index.mjs';
import { ROOT, addFixture, projects, run } from './harness.mjs';

const TOOLS = join(ROOT, 'tests', 'packaging', 'node_modules');
const PAGES = {
  importmap: { packages: [] },
  react: { packages: ['react', 'react-dom', '@types/react', '@types/react-dom'] },
  vue: { packages: ['vue'] },
};
const CALLER = '88889050';
const isCustomElement = (tag) => tag.startsWith('aicc-'); // what docs/widget.md tells a Vue app

let sim;
let work;
let context;
let gateway;
const servers = {}; // page name -> its static server
const sessionToken = randomBytes(24).toString('base64url');
let called = 13800002000; // last digit 0: the customer answers, talks, and hangs up

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, clock: 'poll', log: () => {} });
  work = await projects(Object.keys(PAGES));
  for (const [name, { packages }] of Object.entries(PAGES)) {
    const dir = work.dirs[name];
    addFixture(dir, `widget-${name}`);
    addFixture(dir, 'widget-common');
    // The framework as the app's own dependency (the pinned copy of tests/packaging, linked).
    for (const pkg of packages) {
      mkdirSync(join(dir, 'node_modules', pkg, '..'), { recursive: true });
      symlinkSync(join(TOOLS, pkg), join(dir, 'node_modules', pkg), 'dir');
    }
    servers[name] = await startStaticServer({ mounts: { '/': name === 'importmap' ? dir : join(dir, 'dist') } });
  }
  gateway = await startGateway(Object.values(servers).map((s) => s.url));
  context = await launchChromium();
});

after(async () => {
  await context?.close().catch(() => {});
  await gateway?.close();
  for (const server of Object.values(servers)) await server.close();
  await sim?.close();
  work?.remove();
});

// The gateway of `aicc-sim --demo` (sim/demo.mjs), from the installed tarball: the pages' origins may call it
// with the session token; the app's credentials stay in this process.
async function startGateway(origins) {
  const entry = join(work.installed, 'node_modules', 'aicc-call', 'js', 'node.js');
  const { createGateway, toNodeListener } = await import(pathToFileURL(entry).href);
  const handler = createGateway({
    prefix: '/aicc',
    clientOptions: {
      baseUrl: sim.url,
      cmsBaseUrl: sim.url,
      credentials: { appKey: DEFAULTS.appKey, appSecret: DEFAULTS.appSecret },
      cmsCredentials: { ak: DEFAULTS.ak, sk: DEFAULTS.sk },
      timeoutMs: 4000,
      maxRetries: 0,
    },
    cors: { origins },
    authorize: (request) =>
      request.headers.get('Authorization') === `Bearer ${sessionToken}`
        ? { agentWorkNo: '101', callers: [CALLER], createCallPerMinute: 60, createCallPerDay: 1000 }
        : { allow: false, status: 401, reason: 'unknown session token' },
  });
  const server = createServer(toNodeListener(handler));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/aicc`,
    close: () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }),
  };
}

async function viteBuild(name, plugins) {
  const vite = await import('vite');
  const dir = work.dirs[name];
  await vite.build({ root: dir, base: './', configFile: false, logLevel: 'error', plugins, build: { outDir: join(dir, 'dist') } });
}

// docs/start-up.md's Vite plugin, as a reader copies it.
async function docsViteHint() {
  const docs = readFileSync(join(ROOT, 'docs', 'start-up.md'), 'utf8');
  const source = docs.match(/```js\n([\s\S]*?export function preloadAiccWasm[\s\S]*?)```/)?.[1];
  assert.ok(source, 'docs/start-up.md has the Vite plugin');
  return import(`data:text/javascript,${encodeURIComponent(source)}`);
}

const createCallsTo = (number) => sim.calls().filter((c) => c.body?.called === number).length;

// Opens the page for one call, clicks its button (named by the labels the page set as a property), and waits
// for the page's own log of the element's events to reach aicc-ended. Returns that log, the element's status
// and timeline, and what went wrong on the page.
async function callFrom(name, { loseAnswer = false } = {}) {
  const page = await context.newPage();
  const problems = [];
  const wasmFetches = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('.wasm')) wasmFetches.push(r.url()); });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  try {
    called += 10;
    const number = String(called);
    const query = new URLSearchParams({ gateway: gateway.url, token: sessionToken, caller: CALLER, called: number });
    await page.goto(`${servers[name].url}/?${query}`);
    const button = page.getByRole('button', { name: 'Call the customer', exact: true });
    await button.waitFor({ timeout: 20_000 });
    if (loseAnswer) sim.fault({ path: PATHS.createCall, fault: 'answer-lost', times: 1 });
    await button.click();
    const log = page.locator('#log li');
    await log.filter({ hasText: /^aicc-ended / }).waitFor({ timeout: 30_000 });
    const widget = page.locator('aicc-click-to-call');
    return {
      log: await log.allInnerTexts(),
      status: await widget.getByRole('status').innerText(),
      timeline: await widget.getByRole('list', { name: 'Call timeline' }).getByRole('listitem').allInnerTexts(),
      createCalls: createCallsTo(number),
      wasmFetches,
      // A lost answer is a dropped response: Chromium logs the failed fetch.
      problems: problems.filter((p) => !(loseAnswer && /^console: Failed to load resource/.test(p))),
    };
  } finally {
    await page.close();
  }
}

function assertFollowedToItsEnd(result) {
  assert.deepEqual(result.problems, [], 'the page logged errors or threw');
  const serial = result.log.find((line) => line.startsWith('aicc-placed '));
  assert.match(serial ?? '', /^aicc-placed \d{18}$/, result.log.join(' | '));
  const states = result.log.filter((line) => line.startsWith('aicc-state ')).map((line) => line.slice('aicc-state '.length));
  assert.deepEqual(states, ['toBeCalled', 'calling', 'talking', 'ended'], result.log.join(' | '));
  assert.match(result.log.at(-1), /^aicc-ended \w+$/);
  assert.match(result.status, /^Ended: .*hangs up/);
  assert.match(result.timeline.at(-1), /^Ended: /);
  assert.equal(result.createCalls, 1, 'one createCall reached the simulator');
  assert.equal(result.wasmFetches.length, 1, `the wasm fetched once: ${result.wasmFetches.join(', ')}`);
}

async function assertPageCalls(name) {
  const placed = await callFrom(name);
  assertFollowedToItsEnd(placed);
  assert.equal(placed.log[0].split(' ')[0], 'aicc-placed', placed.log.join(' | '));
  assert.deepEqual(placed.timeline.slice(0, 2), ['Placing the call…', 'Placed']);

  const lost = await callFrom(name, { loseAnswer: true });
  assertFollowedToItsEnd(lost);
  assert.deepEqual(lost.log.slice(0, 2), ['aicc-unknown', 'aicc-resolved placed'], lost.log.join(' | '));
  assert.match(lost.log[2], /^aicc-placed \d{18}$/);
  assert.deepEqual(lost.timeline.slice(0, 4),
    ['Placing the call…', 'The answer was lost: checking the call records…', 'Check: the call was placed', 'Placed']);
}

describe('<aicc-click-to-call> from the tarball, through the gateway, in Chromium', () => {
  test('a plain page with an import map: a call followed to its end; a lost answer resolved to placed and followed', async () => {
    await assertPageCalls('importmap');
  });

  test('Vite + React 19: properties and onaicc-* props; a call followed to its end; a lost answer resolved and followed', async () => {
    const { default: react } = await import('@vitejs/plugin-react');
    const { preloadAiccWasm } = await docsViteHint();
    await viteBuild('react', [react(), preloadAiccWasm()]);
    const html = readFileSync(join(work.dirs.react, 'dist', 'index.html'), 'utf8');
    assert.match(html, /<link rel="preload" href="\.\/assets\/aicc_call_bg-[\w-]+\.wasm" as="fetch" type="application\/wasm" crossorigin>/,
      "docs/start-up.md's plugin puts the hint in the built page's head");
    await assertPageCalls('react'); // the wasm fetched once: the loader's fetch took the preloaded answer
  });

  test('Vite + Vue 3 (isCustomElement): properties and @aicc-* listeners; a call followed to its end; a lost answer resolved and followed', async () => {
    const { default: vue } = await import('@vitejs/plugin-vue');
    await viteBuild('vue', [vue({ template: { compilerOptions: { isCustomElement } } })]);
    await assertPageCalls('vue');
  });

  test("docs/widget.md's Vue example compiles with its isCustomElement: the element stays an element, bound and listened to", async () => {
    const { compileScript, compileTemplate, parse } = await import('vue/compiler-sfc');
    const docs = readFileSync(join(ROOT, 'docs', 'widget.md'), 'utf8');
    const source = docs.match(/```vue\n([\s\S]*?)```/)?.[1];
    assert.ok(source, 'docs/widget.md has a vue example');
    const { descriptor, errors } = parse(source, { filename: 'Phone.vue', templateParseOptions: { isCustomElement } });
    assert.deepEqual(errors, []);
    const script = compileScript(descriptor, { id: 'docs', inlineTemplate: true, templateOptions: { compilerOptions: { isCustomElement } } });
    assert.doesNotMatch(script.content, /resolveComponent/, 'a custom element, not a component to resolve');
    assert.match(script.content, /"aicc-click-to-call"/);
    for (const bound of ['token', 'labels', 'onAiccPlaced', 'onAiccEnded', 'onAiccError']) assert.match(script.content, new RegExp(`${bound}:`), bound);
    const template = compileTemplate({ source: descriptor.template.content, filename: 'Phone.vue', id: 'docs', compilerOptions: { isCustomElement } });
    assert.deepEqual(template.errors, []);
  });

  test("TypeScript, strict: 'aicc-call/widget/react' puts the element, its properties and typed events in React 19's JSX; docs/widget.md's React example checks", async () => {
    const docs = readFileSync(join(ROOT, 'docs', 'widget.md'), 'utf8');
    const example = docs.match(/```tsx\n([\s\S]*?)```/)?.[1];
    assert.ok(example, 'docs/widget.md has a tsx example');
    writeFileSync(join(work.dirs.react, 'docs-example.tsx'), example);
    await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], { cwd: work.dirs.react });
  });
});
