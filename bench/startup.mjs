// Start-up of each entry against a baseline doing nothing, interleaved sample by sample:
// - Node: a fresh `node` process importing js/node.js vs one evaluating `0`;
// - workerd (Miniflare): from creating the worker to its first answer, a worker that imports js/workerd.js and
//   makes a client vs one that answers at once;
// - Chromium: in a fresh page from a local server, `import()` of js/browser.js until a client can be made and
//   called (its calls wait for the wasm), and until the wasm is ready, each vs `import()` of a module that does
//   nothing; and what a page feels: from the navigation's start to the first call answered (the simulator in its
//   own process), a page importing js/browser.js, and the same page with a preload hint for the wasm in its
//   head, vs a page importing a no-op module and making the same plain fetch (bench/page/first-answer*.html).
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, round, ms, ratio, table } from './stats.mjs';
import { packageModules, COMPATIBILITY_DATE } from './workerd.mjs';
import { chromiumWithPages } from './chromium.mjs';
import { spawnSimulator } from './simulator.mjs';
import { simulatorToken } from './calls.mjs';

const WASM_PATH = '/pkg/web/aicc_call_bg.wasm';

async function interleaved(samples, sides) {
  const names = Object.keys(sides);
  for (const name of names) await sides[name](); // warm the file cache
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < samples; i++) {
    for (const name of i % 2 ? [...names].reverse() : names) times[name].push(await sides[name]());
  }
  const baseline = median(times.baseline);
  const pkg = median(times.package);
  const others = Object.fromEntries(names.filter((name) => name !== 'baseline' && name !== 'package').map((name) => [name, round(median(times[name]), 2)]));
  return { samples, ...(names.length > 2 ? { medianMs: { baseline: round(baseline, 2), package: round(pkg, 2), ...others } } : {}), baselineMedianMs: round(baseline, 2), packageMedianMs: round(pkg, 2), differenceMs: round(pkg - baseline, 2), ratio: round(pkg / baseline) };
}

function node(root, samples) {
  const entry = pathToFileURL(join(root, 'js/node.js')).href;
  const run = (args) => async () => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
    return performance.now() - t0;
  };
  return interleaved(samples, {
    baseline: run(['--input-type=module', '-e', '0']),
    package: run(['--input-type=module', '-e', `const { AiccClient } = await import(${JSON.stringify(entry)}); new AiccClient({ baseUrl: 'https://aicc.example', token: async () => 't' });`]),
  });
}

async function workerd(root, samples) {
  const { Miniflare } = await import('miniflare');
  const modules = packageModules();
  const entryPath = join(root, 'bench-startup-worker.js');
  const entrySpec = `./${relative(root, join(root, 'js/workerd.js'))}`;
  const worker = (code, withPackage) => async () => {
    const t0 = performance.now();
    const mf = new Miniflare({
      modules: [{ type: 'ESModule', path: entryPath, contents: code }, ...(withPackage ? modules : [])],
      modulesRoot: root,
      compatibilityDate: COMPATIBILITY_DATE,
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const res = await mf.dispatchFetch('http://127.0.0.1/');
      if ((await res.text()) !== 'ok') throw new Error('the start-up worker did not answer ok');
      return performance.now() - t0;
    } finally {
      await mf.dispose();
    }
  };
  return interleaved(samples, {
    baseline: worker(`export default { fetch() { return new Response('ok'); } };`, false),
    package: worker(`import { AiccClient } from '${entrySpec}';
export default { fetch() { new AiccClient({ baseUrl: 'https://aicc.example', token: async () => 't' }); return new Response('ok'); } };`, true),
  });
}

async function chromium(root, samples) {
  const { context, origin, close } = await chromiumWithPages(root);
  try {
    // mode: 'noop' (the baseline), 'callable' (a client whose calls wait for the wasm) or 'ready' (the wasm loaded).
    const load = (url, mode) => async () => {
      const page = await context.newPage();
      try {
        await page.goto(`${origin}/index.html`);
        return await page.evaluate(async ([href, how]) => {
          const t0 = performance.now();
          const m = await import(href);
          if (how !== 'noop') {
            if (how === 'ready' && m.ready) await m.ready;
            const client = new m.AiccClient({ baseUrl: `${location.origin}/aicc`, token: async () => 't' });
            if (typeof client.queryCallState !== 'function') throw new Error('no queryCallState');
          }
          return performance.now() - t0;
        }, [`${origin}${url}`, mode]);
      } finally {
        await page.close();
      }
    };
    return {
      callable: await interleaved(samples, { baseline: load('/noop.js', 'noop'), package: load('/js/browser.js', 'callable') }),
      ready: await interleaved(samples, { baseline: load('/noop.js', 'noop'), package: load('/js/browser.js', 'ready') }),
    };
  } finally {
    await close();
  }
}

// Navigation start to the first call answered, three pages interleaved sample by sample, a fresh page each
// (the server answers no-store: nothing is cached between samples). Each page's wasm requests are counted at
// the server: a preload that the loader's fetch did not reuse would make two. `latencyMs` > 0 adds that much
// to every request's answer through Chromium's network emulation (DevTools throttling, bandwidth unlimited),
// as a page served from afar sees: the module graph's round trips come before the wasm's fetch unless a hint
// starts it.
const LATENCY_MS = 40;

async function firstAnswer(root, samples, latencyMs) {
  const sim = await spawnSimulator(root);
  try {
    const token = await simulatorToken(sim.url);
    const { context, origin, requested, close } = await chromiumWithPages(root);
    const wasmRequests = { package: [], preload: [] };
    const warnings = [];
    try {
      const load = (file, side) => async () => {
        const page = await context.newPage();
        if (latencyMs > 0) {
          const cdp = await context.newCDPSession(page);
          await cdp.send('Network.enable');
          await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: latencyMs, downloadThroughput: -1, uploadThroughput: -1 });
        }
        page.on('console', (m) => { if (/preload/i.test(m.text())) warnings.push(m.text()); });
        const before = requested(WASM_PATH);
        try {
          await page.goto(`${origin}/${file}?sim=${encodeURIComponent(sim.url)}&token=${encodeURIComponent(token)}`);
          await page.waitForFunction(() => globalThis.firstAnswer);
          const out = await page.evaluate(() => globalThis.firstAnswer);
          if (out.error) throw new Error(`${file}: ${out.error}`);
          wasmRequests[side]?.push(requested(WASM_PATH) - before);
          return out.ms;
        } finally {
          await page.close();
        }
      };
      const result = await interleaved(samples, {
        baseline: load('first-answer-fetch.html', 'baseline'),
        package: load('first-answer.html', 'package'),
        preload: load('first-answer-preload.html', 'preload'),
      });
      const { package: pkg, preload } = result.medianMs;
      const counts = (xs) => [...new Set(xs)].sort();
      return {
        ...result,
        latencyMs,
        preloadDifferenceMs: round(preload - result.baselineMedianMs, 2),
        preloadRatio: round(preload / result.baselineMedianMs),
        preloadVsPackageMs: round(preload - pkg, 2),
        preloadVsPackageRatio: round(preload / pkg),
        wasmRequestsPerPage: { package: counts(wasmRequests.package), preload: counts(wasmRequests.preload) },
        preloadWarnings: [...new Set(warnings)],
      };
    } finally {
      await close();
    }
  } finally {
    await sim.close();
  }
}

export async function measureStartup(root, samples) {
  const result = { node: await node(root, samples), workerd: await workerd(root, Math.ceil(samples / 2)), chromium: await chromium(root, samples) };
  result.chromium.firstAnswer = await firstAnswer(root, samples, 0);
  result.chromium.firstAnswerFar = await firstAnswer(root, samples, LATENCY_MS);
  const answers = [result.chromium.firstAnswer, result.chromium.firstAnswerFar];
  const where = (a) => (a.latencyMs ? `, +${a.latencyMs} ms latency a request` : ', local server');
  table('Start-up: medians, interleaved with a baseline doing nothing', ['entry', 'samples', 'baseline', 'entry', 'difference', 'ratio'],
    Object.entries({
      'Node: fresh process, import js/node.js + new AiccClient': result.node,
      'workerd (Miniflare): worker created to first answer': result.workerd,
      'Chromium: import() of js/browser.js to a client made (its calls wait for the wasm)': result.chromium.callable,
      'Chromium: import() of js/browser.js to the wasm ready': result.chromium.ready,
      ...Object.fromEntries(answers.flatMap((answer) => [
        [`Chromium page: navigation to the first call answered (vs no-op module + plain fetch)${where(answer)}`, answer],
        [`Chromium page: the same, the wasm preloaded by a <link rel=preload> in the head${where(answer)}`, { samples: answer.samples, baselineMedianMs: answer.baselineMedianMs, packageMedianMs: answer.medianMs.preload, differenceMs: answer.preloadDifferenceMs, ratio: answer.preloadRatio }],
      ])),
    }).map(([what, r]) => [what, r.samples, ms(r.baselineMedianMs), ms(r.packageMedianMs), `${r.differenceMs >= 0 ? "+" : ""}${ms(r.differenceMs)}`, ratio(r.ratio)]));
  for (const answer of answers) console.log(`Chromium page${where(answer)}, preloaded against not: ${answer.preloadVsPackageMs >= 0 ? '+' : ''}${ms(answer.preloadVsPackageMs)} (${ratio(answer.preloadVsPackageRatio)}); wasm requests a page: ${JSON.stringify(answer.wasmRequestsPerPage)}${answer.preloadWarnings.length ? `; Chromium warned: ${answer.preloadWarnings.join(' | ')}` : ''}`);
  return result;
}
