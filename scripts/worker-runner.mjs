// Runs examples/worker in workerd (Miniflare) on 127.0.0.1: bundles it exactly as `wrangler deploy` would,
// then serves the bundle with the given bindings. Used by `npm start` and the workerd tests.
import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Miniflare } from 'miniflare';

const root = fileURLToPath(new URL('..', import.meta.url));
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');

// The example depends on `aicc-call` as `file:../..` (its package.json): `npm install` there links
// node_modules/aicc-call to this repository. Made here the same way when absent, so the tests bundle the
// example as its own project does without installing its tools a second time (jose and wrangler resolve from
// the repository's node_modules, at the versions the example pins: tests/js/workerd/example-project.test.mjs).
async function linkExamplePackage() {
  const link = join(root, 'examples', 'worker', 'node_modules', 'aicc-call');
  try {
    await lstat(link);
  } catch {
    await mkdir(dirname(link), { recursive: true });
    await symlink(join('..', '..', '..'), link, 'dir');
  }
}

// config: a wrangler.toml, relative to the repository root.
export async function bundleWorker(config = 'examples/worker/wrangler.toml') {
  if (config.startsWith('examples/worker/')) await linkExamplePackage();
  const outdir = await mkdtemp(join(tmpdir(), 'aicc-worker-'));
  await promisify(execFile)(wrangler, ['deploy', '--dry-run', '--outdir', outdir, '-c', config], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG: 'error', NO_COLOR: '1' },
  });
  return outdir;
}

const EXAMPLE = 'examples/worker/wrangler.toml';
// The example worker's Durable Object binding, as its wrangler.toml declares it.
const EXAMPLE_OBJECTS = { AICC_STATE: 'AiccGatewayState' };

async function bundledModules(config) {
  const outdir = await bundleWorker(config);
  const files = await readdir(outdir);
  const modules = [
    { type: 'ESModule', path: join(outdir, 'index.js') },
    ...files.filter((f) => f.endsWith('.wasm')).map((f) => ({ type: 'CompiledWasm', path: join(outdir, f) })),
  ];
  return { outdir, worker: { modules, modulesRoot: outdir, compatibilityDate: '2025-09-01' } };
}

// bindings: the worker's env (AICC_BASE_URL, AICC_APP_KEY, AICC_APP_SECRET, SESSION_JWT_SECRET,
// ALLOWED_ORIGINS, ...); the example worker also gets its AICC_STATE Durable Object (in memory, or under
// `persist`, a folder), another worker the `durableObjects` it names ({ BINDING: 'ClassName' }).
// onLog({ level, message }) receives the worker's console output.
export async function startWorker({ config = EXAMPLE, bindings, port = 0, log = false, onLog, persist, durableObjects } = {}) {
  const { outdir, worker } = await bundledModules(config);
  const objects = durableObjects ?? (config === EXAMPLE ? EXAMPLE_OBJECTS : undefined);
  const mf = new Miniflare({
    ...worker,
    bindings,
    ...(objects ? { durableObjects: objects, durableObjectsPersist: persist ?? false } : {}),
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

// Two copies of the example worker, each its own isolate on its own 127.0.0.1 port, sharing one
// AiccGatewayState namespace (the first defines it): two places of one deployed Worker.
// Resolves to { urls: [a, b], close }.
export async function startWorkerPair({ bindings, ports = [0, 0], onLog } = {}) {
  const { outdir, worker } = await bundledModules(EXAMPLE);
  const names = ['gateway-a', 'gateway-b'];
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    ...(onLog ? { handleStructuredLogs: (entry) => { onLog(entry); } } : {}),
    workers: names.map((name, i) => ({
      ...worker,
      name,
      bindings,
      durableObjects: i === 0 ? EXAMPLE_OBJECTS : { AICC_STATE: { className: 'AiccGatewayState', scriptName: names[0] } },
      unsafeDirectSockets: [{ host: '127.0.0.1', port: ports[i] }],
    })),
  });
  await mf.ready;
  const urls = await Promise.all(names.map(async (name) => (await mf.unsafeGetDirectURL(name)).origin));
  return {
    urls,
    miniflare: mf,
    async close() {
      await mf.dispose();
      await rm(outdir, { recursive: true, force: true });
    },
  };
}
