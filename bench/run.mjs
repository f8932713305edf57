// npm run bench: size, start-up and per-call overhead of aicc-call, each against a baseline measured in the
// same run (the machine is shared and noisy, so ratios are what to compare across runs, not milliseconds).
//
//   BENCH_N          calls per side in the per-call sections (default 500)
//   BENCH_STARTUP_N  fresh processes per side in the start-up section (default 40)
//
// Needs a built pkg/ (npm run build). The only server is the local simulator, on 127.0.0.1 with an
// OS-chosen port, closed before exit. Writes bench/results.json (git-ignored).
import { readFileSync, writeFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { gzipSync, constants as zlib } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import os from 'node:os';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const BUDGET_GZIP = 60 * 1024; // the project's browser payload budget: 60 KB gzip (KiB, 61,440 bytes)
const SERIAL = '645735364434067472'; // seeded in the simulator: always present, ended
const QUERY_PATH = '/apiaccess/CC-Management/v1/mobileAgent/queryCallState';
const APP_KEY = 'demo-app-key';
const APP_SECRET = 'demo-app-secret';

const N = positiveInt('BENCH_N', 500);
const STARTUP_N = positiveInt('BENCH_STARTUP_N', 40);
const WARMUP = Math.min(100, Math.max(20, Math.ceil(N / 5)));

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${name} must be a positive integer (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return n;
}

// ---------- statistics and formatting ----------

const sorted = (xs) => [...xs].sort((a, b) => a - b);
function quantile(xs, q) { // nearest rank
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const median = (xs) => {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, digits = 3) => Number(x.toFixed(digits));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x) => `${x.toFixed(2)} ms`;
const us = (x) => `${(x * 1000).toFixed(0)} µs`;
const ratio = (x) => `${x.toFixed(2)}x`;

function table(title, header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(all[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));
}

// ---------- 1. size ----------

// What an entry loads, followed from the entry through its relative imports: the JS modules (for the browser
// entry: js/browser.js, js/runtime.js, js/gateway.js if imported, the pkg/ glue and its snippets/**/*.js) and
// the .wasm it instantiates (`new URL('../pkg/…/x.wasm', import.meta.url)` or `import wasm from '…/x.wasm'`). Read from
// the entries rather than hard-coded, so the figures follow the layout of pkg/.
function moduleGraph(entry) {
  const js = new Set();
  const wasm = new Set();
  const visit = (file) => {
    if (js.has(file)) return;
    js.add(file);
    const text = readFileSync(file, 'utf8');
    const specifiers = /(?:\bfrom\s*|\bimport\s*\(?\s*|\bnew\s+URL\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;
    for (const [, , spec] of text.matchAll(specifiers)) {
      const target = resolve(dirname(file), spec);
      if (spec.endsWith('.wasm')) wasm.add(target);
      else if (/\.m?js$/.test(spec)) visit(target);
    }
  };
  visit(entry);
  return { js: [...js], wasm: [...wasm] };
}

function jsFilesUnder(dir) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.js')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function sizeOf(files) {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: zlib.Z_BEST_COMPRESSION }).length; // served file by file
  }
  return { raw, gzip };
}

const RUNTIMES = ['browser', 'node', 'workerd'];

function entryGraph(runtime) {
  const graph = moduleGraph(join(ROOT, `js/${runtime}.js`));
  const glues = graph.js.filter((f) => f.startsWith(join(ROOT, 'pkg') + '/') && f.endsWith('/aicc_call.js'));
  if (!glues.length) throw new Error(`${runtime}: no pkg/**/aicc_call.js reached from js/${runtime}.js`);
  for (const glue of glues) { // wasm-bindgen's snippets are imported by the glue: make sure none is missed
    const missing = jsFilesUnder(join(dirname(glue), 'snippets')).filter((f) => !graph.js.includes(f));
    if (missing.length) throw new Error(`${runtime}: snippets not reached: ${missing.map((f) => relative(ROOT, f)).join(', ')}`);
  }
  if (!graph.wasm.length) throw new Error(`${runtime}: no .wasm referenced from js/${runtime}.js's modules`);
  return graph;
}

function measureSize() {
  const runtimes = {};
  for (const runtime of RUNTIMES) {
    const graph = entryGraph(runtime);
    const wasm = { files: graph.wasm.map((f) => relative(ROOT, f)), ...sizeOf(graph.wasm) };
    const js = { files: graph.js.map((f) => relative(ROOT, f)), ...sizeOf(graph.js) };
    runtimes[runtime] = { wasm, js, total: { raw: wasm.raw + js.raw, gzip: wasm.gzip + js.gzip } };
  }
  const browser = runtimes.browser.total;
  const result = {
    runtimes,
    browserPayload: {
      raw: browser.raw,
      gzip: browser.gzip,
      budgetGzip: BUDGET_GZIP,
      ratioToBudget: round(browser.gzip / BUDGET_GZIP),
      withinBudget: browser.gzip <= BUDGET_GZIP,
    },
  };
  const rows = [];
  for (const [rt, r] of Object.entries(runtimes)) {
    rows.push([`${rt}: wasm (${r.wasm.files.join(', ')})`, r.wasm.files.length, kb(r.wasm.raw), kb(r.wasm.gzip)]);
    rows.push([`${rt}: JS modules`, r.js.files.length, kb(r.js.raw), kb(r.js.gzip)]);
    rows.push([`${rt}: total`, r.wasm.files.length + r.js.files.length, kb(r.total.raw), kb(r.total.gzip)]);
  }
  table('Size per runtime entry (gzip -9 file by file, node:zlib)', ['what', 'files', 'raw', 'gzip'], rows);
  console.log(`browser payload ${kb(browser.gzip)} gzip / budget ${kb(BUDGET_GZIP)}: ${ratio(result.browserPayload.ratioToBudget)}` +
    (result.browserPayload.withinBudget ? '  (within budget)' : '  ** OVER BUDGET **'));
  return result;
}

// ---------- 2. start-up ----------

// Both sides run `node --input-type=module -e ...`, so the ES module loader is started in both and the
// difference is the package itself: reading and compiling the wasm, instantiating it, evaluating the glue.
function measureStartup() {
  const entryUrl = pathToFileURL(join(ROOT, 'js/node.js')).href;
  const sides = {
    baseline: ['--input-type=module', '-e', '0'],
    package: ['--input-type=module', '-e', `await import(${JSON.stringify(entryUrl)})`],
  };
  const once = (args) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
    const t = performance.now() - t0;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
    return t;
  };
  once(sides.baseline); once(sides.package); // warm the file cache
  const times = { baseline: [], package: [] };
  for (let i = 0; i < STARTUP_N; i++) { // interleaved, alternating which side goes first
    const order = i % 2 ? ['package', 'baseline'] : ['baseline', 'package'];
    for (const side of order) times[side].push(once(sides[side]));
  }
  const b = median(times.baseline);
  const p = median(times.package);
  const result = {
    runs: STARTUP_N,
    baselineMedianMs: round(b, 2),
    packageMedianMs: round(p, 2),
    differenceMs: round(p - b, 2),
    ratio: round(p / b),
  };
  table(`Start-up: fresh process, median of ${STARTUP_N} (interleaved)`, ['process', 'median', 'ratio'], [
    ['baseline: node --input-type=module -e "0"', ms(b), ratio(1)],
    ['await import(js/node.js)', ms(p), ratio(result.ratio)],
  ]);
  console.log(`import cost: +${ms(p - b)} per process`);
  return result;
}

// ---------- 3. per-call overhead ----------

function summarize(times) {
  return { medianMs: round(median(times), 4), p95Ms: round(quantile(times, 0.95), 4) };
}

// Runs both sides `n` times each, interleaved and alternating which goes first, after `warmup` rounds.
async function interleave(sides, n, warmup) {
  const names = Object.keys(sides);
  for (let i = 0; i < warmup; i++) for (const name of names) await sides[name]();
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < n; i++) {
    const order = i % 2 ? [...names].reverse() : names;
    for (const name of order) {
      const t0 = performance.now();
      await sides[name]();
      times[name].push(performance.now() - t0);
    }
  }
  return times;
}

function report(title, labels, times) {
  const b = summarize(times.baseline);
  const p = summarize(times.package);
  const result = {
    calls: times.baseline.length,
    warmup: WARMUP,
    baseline: b,
    package: p,
    ratioMedian: round(p.medianMs / b.medianMs),
    ratioP95: round(p.p95Ms / b.p95Ms),
    differenceMedianMs: round(p.medianMs - b.medianMs, 4),
  };
  table(title, ['side', 'median', 'p95', 'ratio (median)', 'ratio (p95)'], [
    [labels.baseline, us(b.medianMs), us(b.p95Ms), ratio(1), ratio(1)],
    [labels.package, us(p.medianMs), us(p.p95Ms), ratio(result.ratioMedian), ratio(result.ratioP95)],
  ]);
  console.log(`package overhead: ${result.differenceMedianMs >= 0 ? '+' : ''}${us(result.differenceMedianMs)} per call (median)`);
  return result;
}

function checkState(s) {
  if (s?.state !== 3 || s?.stateName !== 'ended') throw new Error(`unexpected call state from the package: ${JSON.stringify(s)}`);
}
function checkRaw(obj) {
  if (obj?.retCode !== '0' || obj?.result?.state !== 3) throw new Error(`unexpected answer to the baseline: ${JSON.stringify(obj)}`);
}

async function measureCalls() {
  const { startSimulator } = await import(pathToFileURL(join(ROOT, 'sim/index.mjs')).href);
  const { AiccClient } = await import(pathToFileURL(join(ROOT, 'js/node.js')).href);
  const sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  try {
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(sim.url)) throw new Error(`simulator not on 127.0.0.1: ${sim.url}`);
    // One token, fetched by hand, used by both sides.
    const tokenRes = await fetch(`${sim.url}/apigovernance/api/oauth/tokenByAkSk`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Token-Expire': '3600' },
      body: JSON.stringify({ app_key: APP_KEY, app_secret: APP_SECRET }),
    });
    if (!tokenRes.ok) throw new Error(`tokenByAkSk answered ${tokenRes.status}`);
    const token = JSON.parse(await tokenRes.text()).AccessToken;
    if (!token) throw new Error('tokenByAkSk gave no AccessToken');

    const request = { callSerialNo: SERIAL };
    const url = `${sim.url}${QUERY_PATH}`;
    const init = () => ({ // the same headers and body the package sends
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-APP-Key': APP_KEY, Authorization: `Bearer ${token}` },
      body: JSON.stringify(request),
    });
    const client = new AiccClient({ baseUrl: sim.url, appKey: APP_KEY, token: async () => token });
    checkState(await client.queryCallState(request));
    const answerText = await (await fetch(url, init())).text();
    checkRaw(JSON.parse(answerText));

    // 3a. Against the simulator, over HTTP.
    const network = report(
      `Per call against the simulator (127.0.0.1): ${N} calls each, interleaved, after ${WARMUP} warm-up`,
      { baseline: 'baseline: fetch + JSON.parse', package: 'client.queryCallState' },
      await interleave({
        baseline: async () => checkRaw(JSON.parse(await (await fetch(url, init())).text())),
        package: async () => checkState(await client.queryCallState(request)),
      }, N, WARMUP),
    );

    // 3b. The same without the network: the global fetch (which the wasm glue calls by name) replaced by a stub
    // that builds the Request and answers the simulator's recorded text. What remains is the package's own work
    // (validation, headers, timeout timer, JS<->wasm crossings, decoding) against fetch + JSON.parse.
    const realFetch = globalThis.fetch;
    let stubbed;
    globalThis.fetch = async (input, options) => {
      new Request(input, options);
      return new Response(answerText, { status: 200, headers: { 'Content-Type': 'application/json;charset=UTF-8' } });
    };
    try {
      checkState(await client.queryCallState(request));
      stubbed = report(
        `Per call in-process, fetch stubbed (no network): ${N} calls each, interleaved, after ${WARMUP} warm-up`,
        { baseline: 'baseline: fetch + JSON.parse', package: 'client.queryCallState' },
        await interleave({
          baseline: async () => checkRaw(JSON.parse(await (await fetch(url, init())).text())),
          package: async () => checkState(await client.queryCallState(request)),
        }, N, WARMUP),
      );
    } finally {
      globalThis.fetch = realFetch;
    }
    client.free();
    return { network, inProcess: stubbed };
  } finally {
    await sim.close();
  }
}

// ---------- main ----------

try {
  for (const runtime of RUNTIMES) {
    for (const f of entryGraph(runtime).wasm) if (!existsSync(f)) throw new Error(`${relative(ROOT, f)} is missing`);
  }
} catch (e) {
  console.error(`${e.code === 'ENOENT' ? `${relative(ROOT, e.path)} is missing` : e.message}: run \`npm run build\` first.`);
  process.exit(1);
}

const started = performance.now();
console.log(`aicc-call benchmarks — node ${process.version}, ${os.cpus().length} CPUs, BENCH_N=${N}, BENCH_STARTUP_N=${STARTUP_N}`);
console.log('Times are noisy on a shared machine: compare the ratios (against the baseline of the same run).');
const size = measureSize();
const startup = measureStartup();
const calls = await measureCalls();
const seconds = (performance.now() - started) / 1000;
const results = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: os.cpus().length,
  config: { BENCH_N: N, BENCH_STARTUP_N: STARTUP_N, warmup: WARMUP },
  size,
  startup,
  calls,
  durationSeconds: round(seconds, 1),
};
writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote bench/results.json (${seconds.toFixed(1)} s)`);
