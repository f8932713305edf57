// Headless Chromium for the browser tests, the bench and the widget's screenshot: playwright-core drives the
// Chromium of scripts/ensure-chromium.sh (we never download a browser), in a profile of its own.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ENSURE_CHROMIUM = fileURLToPath(new URL('./ensure-chromium.sh', import.meta.url));
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/**
 * A browser context in a fresh profile (`options` as playwright's `launchPersistentContext`: a viewport, a
 * colour scheme); `close()` closes it and removes the profile.
 */
export async function launchChromium(options = {}) {
  const executablePath = execFileSync('bash', [ENSURE_CHROMIUM], { encoding: 'utf8' }).trim();
  const profile = await mkdtemp(join(tmpdir(), 'aicc-chromium-'));
  const removeProfile = () => rm(profile, { recursive: true, force: true });
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: ARGS, ...options });
  } catch (e) {
    await removeProfile();
    throw e;
  }
  const close = context.close.bind(context);
  context.close = async (...args) => {
    try {
      await close(...args);
    } finally {
      await removeProfile();
    }
  };
  return context;
}
