// npm run bench: the package's size, start-up, per-call cost and memory, each against a baseline measured in
// the same run (the machine is shared and noisy: compare the ratios, not the milliseconds).
//
//   BENCH_N          calls per side in each round of the per-call sections (default 2000, at least 2000 for
//                    figures to report)
//   BENCH_ROUNDS     rounds of the per-call sections (default 3)
//   BENCH_STARTUP_N  samples per side of the Node and Chromium start-up (default 20; workerd half of it)
//   BENCH_MEMORY_N   watches and dropped clients in the memory section (default 50000)
//   BENCH_SECTIONS   the sections to run, comma-separated, among size, startup, calls, runtimes, gateway,
//                    memory (default all of them)
//
// Needs a built pkg/ (npm run build). The simulator runs in its own process on 127.0.0.1 with an OS-chosen
// port; every server is closed, and every workerd and Chromium stopped, before exit. Writes
// bench/results.json (the sections run).
import { writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { round, table, ratio } from './stats.mjs';
import { entrySizes, entryGraph, widgetSize, RUNTIMES, BUDGET_GZIP, WIDGET_BUDGET_GZIP } from '../scripts/payload.mjs';
import { measureStartup } from './startup.mjs';
import { measureCalls } from './calls.mjs';
import { measureMemory } from './memory.mjs';
import { measureCallsByRuntime } from './calls-runtimes.mjs';
import { measureGateway, CONCURRENCY, SLICE } from './gateway.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');

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

const N = positiveInt('BENCH_N', 2000);
const ROUNDS = positiveInt('BENCH_ROUNDS', 3);
const STARTUP_N = positiveInt('BENCH_STARTUP_N', 20);
const MEMORY_N = positiveInt('BENCH_MEMORY_N', 50_000);
const WARMUP = 200;
const BLOCK = 50; // calls a block in the per-runtime section
const SECTIONS = ['size', 'startup', 'calls', 'runtimes', 'gateway', 'memory'];
const chosen = (process.env.BENCH_SECTIONS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
for (const name of chosen) {
  if (!SECTIONS.includes(name)) {
    console.error(`BENCH_SECTIONS: unknown section ${JSON.stringify(name)} (known: ${SECTIONS.join(', ')})`);
    process.exit(2);
  }
}
const runs = (name) => chosen.length === 0 || chosen.includes(name);

function measureSize() {
  const runtimes = entrySizes();
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const rows = [];
  for (const [rt, r] of Object.entries(runtimes)) {
    for (const f of [...r.wasm.files, ...r.js.files]) rows.push([`${rt}: ${f.file}`, f.raw, f.gzip]);
    rows.push([`${rt}: total`, kb(r.total.raw), kb(r.total.gzip)]);
  }
  table('Size per entry (gzip -9 file by file)', ['file', 'raw', 'gzip'], rows);
  const browser = runtimes.browser.total;
  const payload = { raw: browser.raw, gzip: browser.gzip, budgetGzip: BUDGET_GZIP, ratioToBudget: round(browser.gzip / BUDGET_GZIP), withinBudget: browser.gzip <= BUDGET_GZIP };
  console.log(`browser payload ${browser.gzip} B gzip (${kb(browser.gzip)}) / budget ${BUDGET_GZIP} B: ${ratio(payload.ratioToBudget)}${payload.withinBudget ? '' : '  ** OVER BUDGET **'}`);
  const widget = widgetSize();
  console.log(`widget (aicc-call/widget beyond the browser payload) ${widget.gzip} B gzip (${kb(widget.gzip)}) / budget ${WIDGET_BUDGET_GZIP} B`);
  return { runtimes, browserPayload: payload, widget: { raw: widget.raw, gzip: widget.gzip, budgetGzip: WIDGET_BUDGET_GZIP } };
}

try {
  for (const runtime of RUNTIMES) for (const f of entryGraph(runtime).wasm) if (!existsSync(f)) throw new Error(`${relative(ROOT, f)} is missing`);
} catch (e) {
  console.error(`${e.code === 'ENOENT' ? `${relative(ROOT, e.path)} is missing` : e.message}: run \`npm run build\` first.`);
  process.exit(1);
}

const started = performance.now();
console.log(`aicc-call benchmarks — node ${process.version}, ${os.cpus().length} CPUs, BENCH_N=${N}, BENCH_ROUNDS=${ROUNDS}, BENCH_STARTUP_N=${STARTUP_N}, BENCH_MEMORY_N=${MEMORY_N}${chosen.length ? `, BENCH_SECTIONS=${chosen.join(',')}` : ''}`);
console.log('Times are noisy on a shared machine: compare the ratios (against the baseline of the same run).');
const size = runs('size') ? measureSize() : undefined;
const startup = runs('startup') ? await measureStartup(ROOT, STARTUP_N) : undefined;
const calls = runs('calls') ? await measureCalls(ROOT, { n: N, roundCount: ROUNDS, warmup: WARMUP }) : undefined;
const callsByRuntime = runs('runtimes') ? await measureCallsByRuntime(ROOT, { n: N, roundCount: ROUNDS, warmup: WARMUP, block: BLOCK }) : undefined;
const gateway = runs('gateway') ? await measureGateway(ROOT, { n: N, roundCount: ROUNDS, warmup: WARMUP }) : undefined;
const memory = runs('memory') ? await measureMemory(ROOT, MEMORY_N) : undefined;
const seconds = (performance.now() - started) / 1000;
const results = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpus: os.cpus().length,
  config: { BENCH_N: N, BENCH_ROUNDS: ROUNDS, BENCH_STARTUP_N: STARTUP_N, BENCH_MEMORY_N: MEMORY_N, BENCH_SECTIONS: chosen.length ? chosen : SECTIONS, warmup: WARMUP, block: BLOCK, gatewayConcurrency: CONCURRENCY, gatewaySlice: SLICE },
  size,
  startup,
  calls,
  callsByRuntime,
  gateway,
  memory,
  durationSeconds: round(seconds, 1),
};
writeFileSync(join(BENCH_DIR, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote bench/results.json (${seconds.toFixed(1)} s)`);
