// Gateway throughput: createGateway against a hand-written proxy doing the same forward, in Node (both in one
// process of their own, bench/gateway-node.mjs) and in workerd (one Miniflare worker, bench/gateway-worker.js),
// the simulator in its own process. The load comes from this process over 127.0.0.1 (node:http, keep-alive):
// `n` requests a side a round, `CONCURRENCY` in flight, half queryCallState of the seeded serial and half
// createCall with fresh numbers. A round alternates the sides in slices of `SLICE` requests, each pair of
// slices starting with the other side, so that the machine's load moves both alike.
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { median, round, ratio, table } from './stats.mjs';
import { spawnSimulator } from './simulator.mjs';
import { simulatorToken } from './calls.mjs';
import { SERIAL, QUERY_PATH, CREATE_PATH, checkSerial, serialOf } from './page/call-sides.js';
import { startBenchWorker } from './workerd.mjs';

export const CONCURRENCY = 8;
export const SLICE = 200;
let next = 70_000_000;

function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Request i of a side: even ones query the seeded serial, odd ones place a call (its serial must be exact).
async function one(agent, base, i) {
  const create = i % 2 === 1;
  const body = create ? JSON.stringify({ caller: `8${next++}`, called: `13${next++}` }) : JSON.stringify({ callSerialNo: SERIAL });
  const { status, text } = await post(agent, `${base}${create ? CREATE_PATH : QUERY_PATH}`, body);
  if (status !== 200 || !/"retCode"\s*:\s*"0"/.test(text)) throw new Error(`${base} answered ${status} ${text}`);
  if (create) checkSerial(serialOf(text));
}

/** `count` requests to `base`, `CONCURRENCY` at a time: the time they took (ms). */
async function send(agent, base, count) {
  let issued = 0;
  const worker = async () => {
    while (issued < count) await one(agent, base, issued++);
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - t0;
}

async function compareSides(bases, { n, roundCount, warmup }) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    for (const base of Object.values(bases)) await send(agent, base, warmup);
    const rounds = [];
    for (let r = 0; r < roundCount; r++) {
      const ms = { proxy: 0, gateway: 0 };
      for (let done = 0, s = 0; done < n; done += SLICE, s++) {
        const count = Math.min(SLICE, n - done);
        for (const side of (r + s) % 2 ? ['gateway', 'proxy'] : ['proxy', 'gateway']) ms[side] += await send(agent, bases[side], count);
      }
      const rps = { proxy: n / (ms.proxy / 1000), gateway: n / (ms.gateway / 1000) };
      rounds.push({ proxyRps: round(rps.proxy, 1), gatewayRps: round(rps.gateway, 1), ratio: round(rps.gateway / rps.proxy) });
    }
    return { requests: n, concurrency: CONCURRENCY, slice: SLICE, rounds, ratioMedian: round(median(rounds.map((r) => r.ratio))) };
  } finally {
    agent.destroy();
  }
}

async function startNodeSides(root, simUrl, token) {
  const child = spawn(process.execPath, [join(root, 'bench/gateway-node.mjs'), simUrl, token], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const close = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
  try {
    const first = await new Promise((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`bench/gateway-node.mjs exited (${code}) before listening`)));
    });
    const { gateway, proxy } = JSON.parse(first);
    return { bases: { proxy: `${proxy}/aicc`, gateway: `${gateway}/aicc` }, close };
  } catch (e) {
    await close();
    throw e;
  }
}

async function startWorkerdSides(root, simUrl, token) {
  const worker = await startBenchWorker(root, { entry: 'bench/gateway-worker.js', also: ['bench/page/call-sides.js'], bindings: { SIM_URL: simUrl, TOKEN: token } });
  return { bases: { proxy: `${worker.url}/forward`, gateway: `${worker.url}/aicc` }, close: worker.close };
}

export async function measureGateway(root, options) {
  const sim = await spawnSimulator(root);
  const result = {};
  try {
    const token = await simulatorToken(sim.url);
    for (const [key, start] of Object.entries({ node: startNodeSides, workerd: startWorkerdSides })) {
      const sides = await start(root, sim.url, token);
      try {
        result[key] = await compareSides(sides.bases, options);
      } finally {
        await sides.close();
      }
    }
  } finally {
    await sim.close();
  }
  const rows = [];
  for (const [key, name] of [['node', 'Node'], ['workerd', 'workerd (Miniflare)']]) {
    result[key].rounds.forEach((r, i) => {
      rows.push([`${name}, round ${i + 1}: hand-written proxy`, r.proxyRps.toFixed(0), '']);
      rows.push([`${name}, round ${i + 1}: createGateway`, r.gatewayRps.toFixed(0), ratio(r.ratio)]);
    });
  }
  table(`Gateway throughput against a hand-written proxy doing the same forward: ${options.n} requests a side a round, ${CONCURRENCY} in flight, in alternating slices of ${SLICE}, half queryCallState, half createCall`,
    ['side', 'requests/s', 'ratio'], rows);
  console.log(`median of the rounds: Node ${ratio(result.node.ratioMedian)}, workerd ${ratio(result.workerd.ratioMedian)}`);
  return result;
}
