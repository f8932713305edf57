// Shared helpers for the workerd tests: run any worker (bundled exactly like `wrangler deploy`) in Miniflare,
// capture what the simulator received, and a few constants.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');

export const APP_KEY = 'demo-app-key';
export const APP_SECRET = 'demo-app-secret';
export const AK = 'demo-ak';
export const SK = 'demo-sk';
export const ORIGIN = 'http://127.0.0.1:1';

/**
 * Bundles the worker of `config` (a wrangler.toml, relative to the repo root) with `wrangler deploy --dry-run`
 * and serves it in Miniflare on 127.0.0.1. `onLog({level, message})` receives the worker's console output.
 */
export async function startWorkerFrom({ config, bindings, onLog }) {
  const outdir = await mkdtemp(join(tmpdir(), 'aicc-workerd-test-'));
  await promisify(execFile)(wrangler, ['deploy', '--dry-run', '--outdir', outdir, '-c', config], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'error', NO_COLOR: '1' },
  });
  const files = await readdir(outdir);
  const mf = new Miniflare({
    modules: [
      { type: 'ESModule', path: join(outdir, 'index.js') },
      ...files.filter((f) => f.endsWith('.wasm')).map((f) => ({ type: 'CompiledWasm', path: join(outdir, f) })),
    ],
    modulesRoot: outdir,
    compatibilityDate: '2025-09-01',
    bindings,
    host: '127.0.0.1',
    port: 0,
    // Miniflare validates the handler returns void: wrap it.
    ...(onLog ? { handleStructuredLogs: (entry) => { onLog(entry); } } : {}),
  });
  const url = await mf.ready;
  return {
    url: url.origin,
    miniflare: mf,
    async close() {
      await mf.dispose();
      await rm(outdir, { recursive: true, force: true });
    },
  };
}

/**
 * Records the headers of every request the simulator receives (its own `calls()` drops Authorization):
 * a second 'request' listener on its http.Server, reading headers only. Nothing in sim/ changes.
 */
export function recordSimHeaders(sim) {
  const seen = [];
  sim.server.on('request', (req) => seen.push({ method: req.method, url: req.url, headers: { ...req.headers } }));
  return seen;
}

/** A fresh caller/called pair: the simulator refuses a second live call between the same two numbers. */
export function pairs(start = 1000) {
  let next = start;
  return (lastDigit = 0, caller) => {
    next += 1;
    return { caller: caller ?? `8888${next}`, called: `1390000${next}${lastDigit}` };
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
