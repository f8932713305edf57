// Per-call cost in each runtime: the same comparison (bench/page/call-sides.js: a plain fetch of the identical
// request against queryCallState / createCall) run inside Node, workerd (Miniflare) and Chromium, each against
// the one simulator in its own process over 127.0.0.1. workerd's clock counts whole milliseconds and
// Chromium's 0.1 ms, so calls are timed in blocks (bench/page/call-sides.js blockRound), in every runtime alike.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { compare, summarize, printRounds, ratio, table } from './stats.mjs';
import { spawnSimulator } from './simulator.mjs';
import { simulatorToken } from './calls.mjs';
import { callSides, warm, blockRound } from './page/call-sides.js';
import { startBenchWorker } from './workerd.mjs';
import { chromiumWithPages } from './chromium.mjs';

const OPERATIONS = ['queryCallState', 'createCall'];

// A driver runs the steps of call-sides.js in its runtime: start, warm(operation, count),
// round(operation, n, block) -> { baseline: [ms], package: [ms] }, close.
async function nodeDriver(root, simUrl, token) {
  const { AiccClient } = await import(pathToFileURL(join(root, 'js/node.js')).href);
  const sides = callSides({ AiccClient, simUrl, token, firstNumber: 40_000_000 });
  return {
    warm: (operation, count) => warm(sides[operation], count),
    round: (operation, n, block) => blockRound(sides[operation], { n, block }),
    close: async () => sides.client.free(),
  };
}

async function workerdDriver(root, simUrl, token) {
  const worker = await startBenchWorker(root, { entry: 'bench/calls-worker.js', also: ['bench/page/call-sides.js'] });
  const step = async (body) => {
    const res = await worker.miniflare.dispatchFetch(worker.url, { method: 'POST', body: JSON.stringify(body) });
    const out = await res.json();
    if (res.status !== 200) throw new Error(`the workerd bench worker failed: ${out.error}`);
    return out;
  };
  try {
    await step({ action: 'start', simUrl, token, firstNumber: 50_000_000 });
  } catch (e) {
    await worker.close();
    throw e;
  }
  return {
    warm: (operation, count) => step({ action: 'warm', operation, count }),
    round: (operation, n, block) => step({ action: 'round', operation, n, block }),
    close: async () => {
      try {
        await step({ action: 'free' });
      } finally {
        await worker.close();
      }
    },
  };
}

// The page (another origin than the simulator's) calls the simulator directly: the simulator answers CORS
// for any origin, its preflight cached 600 s (the warm-up makes it; both sides send the same headers).
async function chromiumDriver(root, simUrl, token) {
  const browser = await chromiumWithPages(root);
  try {
    const page = await browser.context.newPage();
    await page.goto(`${browser.origin}/index.html`);
    await page.evaluate(async ([origin, url, key]) => {
      const [{ AiccClient, ready }, harness] = await Promise.all([import(`${origin}/js/browser.js`), import(`${origin}/call-sides.js`)]);
      await ready;
      globalThis.bench = { harness, sides: harness.callSides({ AiccClient, simUrl: url, token: key, firstNumber: 60_000_000 }) };
    }, [browser.origin, simUrl, token]);
    return {
      warm: (operation, count) => page.evaluate(([op, c]) => bench.harness.warm(bench.sides[op], c), [operation, count]),
      round: (operation, n, block) => page.evaluate(([op, size, b]) => bench.harness.blockRound(bench.sides[op], { n: size, block: b }), [operation, n, block]),
      close: async () => {
        try {
          await page.evaluate(() => bench.sides.client.free());
        } finally {
          await browser.close();
        }
      },
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

const RUNTIMES = { node: ['Node', nodeDriver], workerd: ['workerd (Miniflare)', workerdDriver], chromium: ['Chromium', chromiumDriver] };
const LABELS = {
  queryCallState: ['fetch + JSON.parse', 'client.queryCallState'],
  createCall: ['fetch + exact serial from the text', 'client.createCall'],
};

export async function measureCallsByRuntime(root, { n, roundCount, warmup, block }) {
  const sim = await spawnSimulator(root);
  const result = {};
  try {
    const token = await simulatorToken(sim.url);
    for (const [key, [name, start]] of Object.entries(RUNTIMES)) {
      const driver = await start(root, sim.url, token);
      try {
        result[key] = {};
        for (const operation of OPERATIONS) {
          await driver.warm(operation, warmup);
          const out = [];
          for (let r = 0; r < roundCount; r++) {
            const times = await driver.round(operation, n, block);
            out.push(compare(times.baseline, times.package));
          }
          result[key][operation] = { ...summarize(n, out), block };
          printRounds(`${name}: ${operation} against the simulator, ${n} calls a side a round in blocks of ${block} (each block's mean a call)`,
            LABELS[operation], result[key][operation]);
        }
      } finally {
        await driver.close();
      }
    }
  } finally {
    await sim.close();
  }
  table(`Per call in each runtime, against a plain fetch in the same runtime (medians of the rounds; blocks of ${block})`,
    ['runtime', 'queryCallState', 'createCall'],
    Object.entries(RUNTIMES).map(([key, [name]]) => [name, ...OPERATIONS.map((op) => `${ratio(result[key][op].ratioMedian)} (${result[key][op].aboveBaselineMedianUs >= 0 ? '+' : ''}${result[key][op].aboveBaselineMedianUs} µs)`)]));
  return result;
}
