// Runs examples/worker in workerd (Miniflare) on 127.0.0.1: bundles it exactly as `wrangler deploy` would,
// then serves the bundle with the given bindings. Used by `npm start` and the workerd tests.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';

const root = fileURLToPath(new URL('..', import.meta.url));
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');

// config: a wrangler.toml, relative to the repository root.
export async function bundleWorker(config = 'examples/worker/wrangler.toml') {
  const outdir = await mkdtemp(join(tmpdir(), 'aicc-worker-'));
  await promisify(execFile)(wrangler, ['deploy', '--dry-run', '--outdir', outdir, '-c', config], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'error', NO_COLOR: '1' },
  });
  return outdir;
}

// bindings: the worker's env (AICC_BASE_URL, AICC_APP_KEY, AICC_APP_SECRET, SESSIONS, ALLOWED_ORIGINS, ...);
// onLog({ level, message }) receives the worker's console output.
export async function startWorker({ config, bindings, port = 0, log = false, onLog } = {}) {
  const outdir = await bundleWorker(config);
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
    port,
    verbose: log,
    // Miniflare checks that the handler returns nothing: wrap it.
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
