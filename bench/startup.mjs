// Start-up of each entry against a baseline doing nothing, interleaved sample by sample:
// - Node: a fresh `node` process importing js/node.js vs one evaluating `0`;
// - workerd (Miniflare): from creating the worker to its first answer, a worker that imports js/workerd.js and
//   makes a client vs one that answers at once;
// - Chromium: in a fresh page from a local server, `import()` of js/browser.js until a client can be made and
//   called (its calls wait for the wasm), and until the wasm is ready, each vs `import()` of a module that does
//   nothing.
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, round, ms, ratio, table } from './stats.mjs';
import { packageModules, COMPATIBILITY_DATE } from './workerd.mjs';
import { launchChromium } from './chromium.mjs';

async function interleaved(samples, sides) {
  const names = Object.keys(sides);
  for (const name of names) await sides[name](); // warm the file cache
  const times = Object.fromEntries(names.map((name) => [name, []]));
  for (let i = 0; i < samples; i++) {
    for (const name of i % 2 ? [...names].reverse() : names) times[name].push(await sides[name]());
  }
  const baseline = median(times.baseline);
  const pkg = median(times.package);
  return { samples, baselineMedianMs: round(baseline, 2), packageMedianMs: round(pkg, 2), differenceMs: round(pkg - baseline, 2), ratio: round(pkg / baseline) };
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
  const { context, origin, close } = await launchChromium(root);
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

export async function measureStartup(root, samples) {
  const result = { node: await node(root, samples), workerd: await workerd(root, Math.ceil(samples / 2)), chromium: await chromium(root, samples) };
  table('Start-up: medians, interleaved with a baseline doing nothing', ['entry', 'samples', 'baseline', 'entry', 'difference', 'ratio'],
    Object.entries({
      'Node: fresh process, import js/node.js + new AiccClient': result.node,
      'workerd (Miniflare): worker created to first answer': result.workerd,
      'Chromium: import() of js/browser.js to a first call (it waits for the wasm)': result.chromium.callable,
      'Chromium: import() of js/browser.js to the wasm ready': result.chromium.ready,
    }).map(([what, r]) => [what, r.samples, ms(r.baselineMedianMs), ms(r.packageMedianMs), `${r.differenceMs >= 0 ? "+" : ""}${ms(r.differenceMs)}`, ratio(r.ratio)]));
  return result;
}
