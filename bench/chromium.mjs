// Headless Chromium for the benchmark (playwright-core drives the Chromium of scripts/ensure-chromium.sh,
// never a downloaded one) and the local server of its pages: bench/page at /, js/ and pkg/ beside it.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Resolves to { context, origin, requested, close }: a fresh profile, removed at close with the server;
 * requested(path) counts the server's requests for that path so far.
 */
export async function launchChromium(root) {
  const { chromium } = await import('playwright-core');
  const { startStaticServer } = await import(pathToFileURL(join(root, 'sim/static-server.mjs')).href);
  const executablePath = execFileSync('bash', [join(root, 'scripts/ensure-chromium.sh')], { encoding: 'utf8' }).trim();
  const server = await startStaticServer({ mounts: { '/js/': join(root, 'js'), '/pkg/': join(root, 'pkg'), '/': join(root, 'bench/page') } });
  const counts = new Map();
  server.server.on('request', (req) => {
    const path = new URL(req.url, 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
  });
  const profile = await mkdtemp(join(tmpdir(), 'aicc-bench-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    });
  } catch (e) {
    await server.close();
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    origin: server.url,
    requested: (path) => counts.get(path) ?? 0,
    async close() {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
