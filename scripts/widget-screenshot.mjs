// `node scripts/widget-screenshot.mjs`: docs/widget.png, the demo's <aicc-click-to-call> (npm start's page) in
// headless Chromium after a call whose answer was lost: the check it ran, the call it found, followed to its end.
// The simulator's clock 'poll' moves the call one state per poll, so the picture does not depend on timing.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PATHS } from '../sim/index.mjs';
import { launchChromium } from './chromium.mjs';
import { ensureBuilt, startDemo } from './start.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = join(root, 'docs', 'widget.png');

ensureBuilt();
const demo = await startDemo({ speed: 20, clock: 'poll', pollIntervalMs: 100 });
const context = await launchChromium({
  viewport: { width: 560, height: 800 },
  deviceScaleFactor: 2,
  colorScheme: 'light',
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(demo.url);
  const phone = page.locator('#phone');
  const call = phone.getByRole('button', { name: 'Call', exact: true });
  await call.waitFor();
  demo.sim.fault({ path: PATHS.createCall, fault: 'answer-lost', times: 1 });
  await call.click();
  await phone.getByRole('status').filter({ hasText: /^Ended: / }).waitFor({ timeout: 30_000 });
  const box = await phone.boundingBox();
  const margin = 16; // the demo card around the element (8 px below: the next box starts there)
  await page.screenshot({ path: out, animations: 'disabled', clip: { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + margin + 8 } });
  process.stderr.write(`widget-screenshot: ${out}\n`);
} finally {
  await context.close();
  await demo.close();
}
