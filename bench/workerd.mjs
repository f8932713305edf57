// A benchmark worker in workerd (Miniflare) on 127.0.0.1, an OS-chosen port, with the package's workerd entry
// linked as its modules (no bundler: workerd links every module the entry names, including those a bundler
// would drop when unused).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryGraph } from '../scripts/payload.mjs';

export const COMPATIBILITY_DATE = '2025-09-01';

/** The package's workerd modules, for Miniflare's `modules` (their paths under the repository root). */
export function packageModules() {
  const graph = entryGraph('workerd');
  return [
    ...[...graph.js, ...graph.onDemand].map((path) => ({ type: 'ESModule', path, contents: readFileSync(path, 'utf8') })),
    ...graph.wasm.map((path) => ({ type: 'CompiledWasm', path, contents: readFileSync(path) })),
  ];
}

/**
 * Starts `entry` (a worker module under the repository root, importing `../js/workerd.js` and the `also`
 * modules) with `bindings`. Resolves to { url, miniflare, close }.
 */
export async function startBenchWorker(root, { entry, also = [], bindings = {} }) {
  const { Miniflare } = await import('miniflare');
  const own = [entry, ...also].map((path) => ({ type: 'ESModule', path: join(root, path), contents: readFileSync(join(root, path), 'utf8') }));
  const miniflare = new Miniflare({
    modules: [...own, ...packageModules()],
    modulesRoot: root,
    compatibilityDate: COMPATIBILITY_DATE,
    bindings,
    host: '127.0.0.1',
    port: 0,
  });
  try {
    const url = await miniflare.ready;
    return { url: url.origin, miniflare, close: () => miniflare.dispose() };
  } catch (e) {
    await miniflare.dispose();
    throw e;
  }
}
