#!/usr/bin/env node
// `npm start`: the click-to-call demo on this machine. Installs/builds what is missing, then runs
//   the AICC simulator  ->  the example edge gateway (examples/worker in workerd, with its AiccGatewayState
//   Durable Object)  <-  the widget page (www/)
// all on 127.0.0.1, and prints `Open http://127.0.0.1:PORT/`. Ctrl-C stops everything.
// Usage: node scripts/start.mjs [--port N] [--speed X]
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../sim/index.mjs';
import { startDemoPage } from '../sim/demo.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

// Demo credentials: the simulator's defaults. They live only in the simulator and the worker, never in the page.
const DEMO = {
  appKey: 'demo-app-key', appSecret: 'demo-app-secret', ak: 'demo-ak', sk: 'demo-sk', agentWorkNo: '101',
  // The demo agent's phones: 88889050 to 88889059, and 99999001, which AICC refuses (out of the softphone range).
  callers: [...Array.from({ length: 10 }, (_, i) => `8888905${i}`), '99999001'],
};

/** Runs a long step, saying what it does and how long it usually takes before it, and how long it took after. */
function run(cmd, args, what, usually) {
  console.error(`[start] ${what} (${usually}): ${cmd} ${args.join(' ')}...`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
  console.error(`[start] ${what}: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

const BUILT = ['pkg/full/aicc_call_bg.wasm', 'pkg/web/aicc_call_bg.wasm'].map((f) => join(root, f));
const SOURCES = ['src', 'bindings', 'Cargo.toml', 'Cargo.lock'].map((f) => join(root, f));

/** The newest modification time under `path` (a file or a folder). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Installs node_modules (npm ci) when missing or older than package-lock.json, and builds pkg/ when missing or older than the Rust sources. */
export function ensureBuilt() {
  const modules = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(modules) || newest(modules) < newest(join(root, 'package-lock.json'))) {
    run('npm', ['ci'], 'installing the npm packages', 'about a minute');
  }
  const built = BUILT.every(existsSync) ? Math.min(...BUILT.map(newest)) : 0;
  if (built < Math.max(...SOURCES.map(newest))) {
    run('npm', ['run', 'build'], 'building the package from its Rust sources',
      built ? 'a few minutes after a change' : 'about 10 min the first time on 2 cores, toolchain included');
  }
}

/**
 * Starts simulator + gateway worker + widget server. `clock` is the simulator's (sim/README.md; tests pass
 * 'poll' so that the page's watch sees every state of a call); the demo keeps the real one. `mounts` adds
 * folders to the page's server (URL prefix -> folder), e.g. test pages.
 * @returns {Promise<{ url: string, gatewayUrl: string, sessionToken: string, sim: object, close: () => Promise<void> }>}
 */
export async function startDemo({ speed = 1, port = 0, pollIntervalMs, clock, mounts = {} } = {}) {
  const { startWorker } = await import('./worker-runner.mjs'); // after ensureBuilt: needs miniflare
  const closers = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c().catch(() => {});
  };
  try {
    const sim = await startSimulator({ port: 0, speed, clock, appKey: DEMO.appKey, appSecret: DEMO.appSecret, ak: DEMO.ak, sk: DEMO.sk });
    closers.push(() => sim.close());

    // The session token a CRM backend would issue for the demo agent: a JWT signed with a secret only this
    // process and the worker know.
    const jwtSecret = randomBytes(32).toString('hex');
    const { SignJWT } = await import('jose');
    const sessionToken = await new SignJWT({ agentWorkNo: DEMO.agentWorkNo, callers: DEMO.callers })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(new TextEncoder().encode(jwtSecret));
    const poll = pollIntervalMs ?? Math.max(100, Math.min(1000, Math.round(500 / speed)));
    let gatewayUrl = '';
    const web = await startDemoPage({ port, sim, gatewayUrl: () => gatewayUrl, sessionToken, poll, mounts });
    closers.push(() => web.close());

    const worker = await startWorker({
      bindings: {
        AICC_BASE_URL: sim.url,
        AICC_CMS_BASE_URL: sim.url,
        AICC_APP_KEY: DEMO.appKey,
        AICC_APP_SECRET: DEMO.appSecret,
        AICC_CMS_AK: DEMO.ak,
        AICC_CMS_SK: DEMO.sk,
        // The demo session acts as agent 101 (agentWorkNo is pinned) with the agent phones its token lists
        // (`callers`): only those may ring first, and its call records can be looked up (resolveOutcome).
        SESSION_JWT_SECRET: jwtSecret,
        ALLOWED_ORIGINS: web.url,
        // The deployment's limits, on the same Durable Object state a deployment uses.
        CREATE_CALL_PER_MINUTE: '30',
        CREATE_CALL_PER_DAY: '1000',
      },
    });
    closers.push(() => worker.close());
    gatewayUrl = worker.url;

    return { url: `${web.url}/`, gatewayUrl, sessionToken, sim, web, worker, close };
  } catch (e) {
    await close();
    throw e;
  }
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (name === '--port') opts.port = Number(value());
    else if (name === '--speed') opts.speed = Number(value());
    else if (name === '--help' || name === '-h') {
      console.log('usage: npm start [-- --port N] [--speed X]');
      process.exit(0);
    } else {
      console.error(`unknown argument: ${argv[i]} (usage: npm start [-- --port N] [--speed X])`);
      process.exit(2);
    }
  }
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port <= 65535)) {
    console.error('--port must be an integer 0..65535');
    process.exit(2);
  }
  if (opts.speed !== undefined && !(opts.speed > 0)) {
    console.error('--speed must be a positive number');
    process.exit(2);
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  ensureBuilt();
  const demo = await startDemo(opts);
  console.error(`[start] AICC simulator ${demo.sim.url} (speed ${opts.speed ?? 1}) · gateway ${demo.gatewayUrl}/aicc/`);
  console.error('[start] the last digit of the customer number picks the outcome (0 answered ... 7 busy ... 9 unreachable); Ctrl-C stops');
  console.log(`Open ${demo.url}`);
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) process.exit(1); // a second Ctrl-C: do not wait
    stopping = true;
    console.error(`[start] ${signal}: stopping`);
    await demo.close();
    process.exit(0);
  };
  // Miniflare's exit hook would process.exit(130) on the first signal before anything closes: replace it;
  // demo.close() disposes Miniflare (and its workerd) itself.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.removeAllListeners(signal);
    process.on(signal, () => stop(signal));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(`[start] ${e?.message ?? e}`);
    process.exit(1);
  });
}
