// Headless Chromium for the benchmark (scripts/chromium.mjs), with a local static server for the package's
// files and the bench's pages (bench/page/), on 127.0.0.1.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../scripts/chromium.mjs';

/**
 * Resolves to { context, origin, requested, close }: a fresh profile, removed at close with the server;
 * requested(path) counts the server's requests for that path so far.
 */
export async function chromiumWithPages(root) {
  const { startStaticServer } = await import(pathToFileURL(join(root, 'sim/static-server.mjs')).href);
  const server = await startStaticServer({ mounts: { '/js/': join(root, 'js'), '/pkg/': join(root, 'pkg'), '/': join(root, 'bench/page') } });
  const counts = new Map();
  server.server.on('request', (req) => {
    const path = new URL(req.url, 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
  });
  let context;
  try {
    context = await launchChromium();
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    context,
    origin: server.url,
    requested: (path) => counts.get(path) ?? 0,
    async close() {
      await context.close();
      await server.close();
    },
  };
}
