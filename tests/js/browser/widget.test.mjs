// The demo page (www/, what `npm start` serves) in headless Chromium, used as a person would: through labels,
// roles and text. It is <aicc-click-to-call> plus the demo's number fields and simulator panel, and runs for
// real: www/ page -> example gateway in workerd -> local AICC simulator.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../../scripts/chromium.mjs';
import { AiccClient } from 'aicc-call';
import { ensureBuilt, startDemo } from '../../../scripts/start.mjs';
import { PATHS } from '../../../sim/index.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const results = join(root, 'test-results');
const SPEED = 20;

let demo;
let context;
let page;
const pageErrors = []; // uncaught exceptions and console errors, checked after every test
const requests = []; // every URL the page asked for

before(async () => {
  ensureBuilt();
  // clock 'poll': each poll of a call answers its next state, so the page's watch shows every state of it
  // (talking included) however slowly the machine runs it; the durations follow SPEED.
  demo = await startDemo({ speed: SPEED, clock: 'poll' });
  context = await launchChromium({
    viewport: { width: 520, height: 720 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(demo.url);
  await assertReady();
});

after(async () => {
  await context?.close().catch(() => {});
  await demo?.close();
});

async function assertReady() {
  await page.getByRole('button', { name: 'Call', exact: true }).waitFor();
  await page.waitForFunction(() => document.getElementById('phone').getAttribute('base-url'), null, { timeout: 15000 });
  assertNoPageErrors();
}

// allowed: console errors this test expects (Chromium logs every HTTP error answer as "Failed to load resource").
function assertNoPageErrors(allowed = []) {
  const unexpected = pageErrors.splice(0).filter((m) => !allowed.some((re) => re.test(m)));
  assert.deepEqual(unexpected, [], 'the page logged errors or threw');
}

async function simCalls() {
  const res = await fetch(`${demo.sim.url}/__sim/calls`);
  return res.json();
}

const phoneEvents = () => page.evaluate(() => window.phoneEvents ?? []);

// Fills the demo's fields and presses the element's Call button; its events are recorded for expectEnded.
async function call(agent, customer) {
  await page.evaluate(() => {
    if (!window.phoneEvents) {
      for (const type of ['aicc-placed', 'aicc-ended', 'aicc-error', 'aicc-unknown', 'aicc-resolved']) {
        document.addEventListener(type, () => window.phoneEvents.push(type));
      }
    }
    window.phoneEvents = [];
  });
  await page.getByLabel('Agent number').fill(agent);
  await page.getByLabel('Customer number').fill(customer);
  await page.getByRole('button', { name: 'Call', exact: true }).click();
}

async function expectEnded(reasonPattern) {
  await page.waitForFunction(() => window.phoneEvents.includes('aicc-ended'), null, { timeout: 20000 });
  const text = (await page.getByRole('status').innerText()).replace(/\s+/g, ' ');
  assert.match(text, /^Ended\b/, text);
  assert.match(text, reasonPattern, text);
  // the button is usable again once the call is over
  assert.equal(await page.getByRole('button', { name: 'Call', exact: true }).getAttribute('aria-disabled'), 'false');
  return text;
}

async function expectFailed() {
  await page.waitForFunction(() => window.phoneEvents.includes('aicc-error'), null, { timeout: 20000 });
  assert.equal(await page.getByRole('status').innerText(), 'Not placed');
  return (await page.locator('aicc-click-to-call').locator('[part=error]').innerText()).replace(/\s+/g, ' ');
}

describe('the demo page on <aicc-click-to-call>', () => {
  test('the page is accessible by its labels, says the AICC is simulated, and talks only to its own origin and the gateway', async () => {
    assert.equal(await page.getByLabel('Agent number').count(), 1);
    assert.equal(await page.getByLabel('Customer number').count(), 1);
    assert.equal(await page.getByRole('status').getAttribute('aria-live'), 'polite');
    assert.equal(await page.getByRole('button', { name: 'Call', exact: true }).getAttribute('aria-disabled'), 'false');
    assert.match(await page.getByText('simulated').innerText(), /no phone rings/);
    const origins = new Set(requests.map((u) => new URL(u).origin).filter((o) => o !== 'null'));
    for (const o of origins) assert.ok([new URL(demo.url).origin, demo.gatewayUrl].includes(o) || o.startsWith('data:'), `unexpected origin ${o}`);
  });

  test('last digit 0: the call is answered, watched live, and ends with the customer hanging up', async () => {
    const before = (await simCalls()).length;
    await call('88889050', '13800000000');
    // while the call runs the Call button is inert
    assert.equal(await page.getByRole('button', { name: 'Call', exact: true }).getAttribute('aria-disabled'), 'true');
    const text = await expectEnded(/called party \(customer side\) hangs up/);
    assert.doesNotMatch(text, /agent side/);
    const timeline = page.getByRole('list', { name: 'Call timeline' });
    const steps = await timeline.getByRole('listitem').allInnerTexts();
    assert.ok(steps.some((s) => /Talking/.test(s)), `timeline shows the talking state: ${steps.join(' | ')}`);
    assert.match(steps.at(-1), /Ended/);
    const serial = (await page.locator('#serial').innerText()).trim();
    assert.match(serial, /^\d{18}$/);
    assert.notEqual(BigInt(Number(serial)), BigInt(serial), 'the serial is beyond 2^53: JSON.parse would have rounded it');
    // Exact in the page: the simulator knows this very serial (a rounded one would be unknown to it, retCode 1).
    const server = new AiccClient({ baseUrl: demo.sim.url, credentials: { appKey: 'demo-app-key', appSecret: 'demo-app-secret' } });
    assert.equal((await server.queryCallState({ callSerialNo: serial })).stateName, 'ended');
    server.free();
    const calls = await simCalls();
    assert.equal(calls.length, before + 1);
    assert.equal(calls.at(-1).body.caller, '88889050');
    assert.equal(calls.at(-1).body.called, '13800000000');
    await mkdir(results, { recursive: true });
    await page.screenshot({ path: join(results, 'widget-ended.png'), fullPage: true });
    assertNoPageErrors();
  });

  test('last digit 7: the customer is busy', async () => {
    await call('88889050', '13800000007');
    await expectEnded(/user is busy/i);
    assert.equal(await page.locator('aicc-click-to-call').locator('[part=error]').isVisible(), false, 'no error is shown');
    assertNoPageErrors();
  });

  test('last digit 5: the customer does not answer', async () => {
    await call('88889050', '13800000005');
    await expectEnded(/called party \(customer side\) does not answer/);
    await page.screenshot({ path: join(results, 'widget-no-answer.png'), fullPage: true });
    assertNoPageErrors();
  });

  test('an invalid number is refused in the page, names the field, and sends nothing', async () => {
    const callsBefore = await simCalls();
    const requestsBefore = requests.length;
    await call('88889050', 'abc-not-a-number');
    const text = await expectFailed();
    assert.match(text, /called/);
    assert.match(text, /only digits/);
    assert.deepEqual(await simCalls(), callsBefore, 'the simulator received no createCall');
    const sent = requests.slice(requestsBefore).filter((u) => u.startsWith(demo.gatewayUrl));
    assert.deepEqual(sent, [], 'the page sent nothing to the gateway');
    await page.screenshot({ path: join(results, 'widget-invalid.png'), fullPage: true });
    assertNoPageErrors();
  });

  test('an API refusal is shown in words (agent number outside the softphone range)', async () => {
    await call('99999001', '13800000000');
    const text = await expectFailed();
    assert.ok(text.length > 40, text);
    assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0, 'not retryable: no "Try again"');
    assertNoPageErrors();
  });

  test('"Lose the next call\'s answer": the widget checks the call records, finds the call and follows it', async () => {
    await page.getByText('Demo outcomes').click();
    await page.getByRole('button', { name: 'Lose the next call\'s answer' }).click();
    await page.getByText('The next call\'s answer will be lost.').waitFor();
    await call('88889051', '13800000011');
    await expectEnded(/hangs up/);
    const steps = await page.getByRole('list', { name: 'Call timeline' }).getByRole('listitem').allInnerTexts();
    assert.deepEqual(steps.slice(0, 4), ['Placing the call…', 'The answer was lost: checking the call records…', 'Check: the call was placed', 'Placed']);
    assert.deepEqual((await phoneEvents()).slice(0, 3), ['aicc-unknown', 'aicc-resolved', 'aicc-placed']);
    assert.equal(demo.sim.calls().filter((c) => c.body?.called === '13800000011').length, 1);
    assert.match(await page.locator('#serial').innerText(), /^\d{18}$/);
    await page.screenshot({ path: join(results, 'widget-outcome-resolved.png'), fullPage: true });
    assertNoPageErrors([/^console: Failed to load resource/]);
  });

  test('the page\'s own createCall reply, without a serial: placed, and said that it cannot be followed', async () => {
    await call('88889052', '6666600');
    await page.waitForFunction(() => window.phoneEvents.includes('aicc-error'), null, { timeout: 20000 });
    assert.equal(await page.getByRole('status').innerText(), 'Following the call failed; the call goes on');
    assert.deepEqual((await phoneEvents()).slice(0, 2), ['aicc-placed', 'aicc-error']);
    assertNoPageErrors();
  });

  test('narrow screens: the card still fits and the ended state reads well', async () => {
    await page.setViewportSize({ width: 360, height: 760 });
    await call('88889050', '13800000009');
    await expectEnded(/unreachable/i);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling at 360 px');
    await page.screenshot({ path: join(results, 'widget-narrow.png'), fullPage: true });
    assertNoPageErrors();
  });

  test('the browser entry refuses secrets with an AiccError naming the option, and never echoes them', async () => {
    const refusals = await page.evaluate(async () => {
      const { AiccClient, AiccError } = await import('/js/browser.js');
      const attempt = (options) => {
        try {
          new AiccClient(options);
          return { thrown: false };
        } catch (e) {
          return { thrown: true, isAiccError: e instanceof AiccError, kind: e.kind, field: e.field, text: `${e.message} ${JSON.stringify(e)} ${e.stack}` };
        }
      };
      return [
        attempt({ baseUrl: 'https://aicc.example', credentials: { appKey: 'k', appSecret: 'browser-secret-123' } }),
        attempt({ baseUrl: 'https://aicc.example', cmsCredentials: { ak: 'a', sk: 'browser-sk-456' } }),
      ];
    });
    assert.deepEqual(refusals.map((r) => [r.thrown, r.isAiccError, r.kind, r.field]), [
      [true, true, 'validation', 'credentials'],
      [true, true, 'validation', 'cmsCredentials'],
    ]);
    for (const r of refusals) assert.ok(!/browser-secret-123|browser-sk-456/.test(r.text), r.text);
    assertNoPageErrors();
  });

  test('secrets in a fresh page: before ready the first call refuses and sends nothing; after ready the constructor throws', async () => {
    const fresh = await context.newPage(); // nothing of the entry has run in it: no client, no call
    const asked = [];
    fresh.on('request', (r) => asked.push(r.url()));
    try {
      await fresh.goto(new URL('style.css', demo.url).href); // a document of the page's origin that loads no script
      const simSaw = demo.sim.requests().length;
      const outcome = await fresh.evaluate(async (baseUrl) => {
        const { AiccClient, AiccError, ready } = await import('/js/browser.js');
        let isReady = false;
        ready.then(() => { isReady = true; });
        const refusal = (e) => ({ isAiccError: e instanceof AiccError, kind: e.kind, field: e.field });
        const early = new AiccClient({ baseUrl, credentials: { appKey: 'k', appSecret: 'browser-secret-123' } });
        const madeBeforeReady = !isReady;
        await ready; // no call has run yet: only the load makes the constructor check
        let constructor = null;
        try {
          new AiccClient({ baseUrl, cmsCredentials: { ak: 'a', sk: 'browser-sk-456' } });
        } catch (e) {
          constructor = refusal(e);
        }
        const firstCall = await early.queryCallState({ callSerialNo: '1' }).then(() => null, refusal);
        return { madeBeforeReady, firstCall, constructor };
      }, `${demo.gatewayUrl}/aicc`);
      assert.deepEqual(outcome, {
        madeBeforeReady: true,
        firstCall: { isAiccError: true, kind: 'validation', field: 'credentials' },
        constructor: { isAiccError: true, kind: 'validation', field: 'cmsCredentials' },
      });
      assert.deepEqual(asked.filter((url) => url.startsWith(demo.gatewayUrl)), [], 'the page sent nothing to the gateway');
      assert.equal(demo.sim.requests().length, simSaw, 'the simulator saw no request');
    } finally {
      await fresh.close();
    }
  });

  test('a trap in the page (the test-only wasm, pkg/trap) ends the call in flight as internal, the next call works, nothing is thrown uncaught', async () => {
    const fresh = await context.newPage();
    const uncaught = [];
    fresh.on('pageerror', (e) => uncaught.push(e.message));
    const lookups = []; // the page's getCalledInfo requests, each settled once it finished or failed
    const watchLookup = (r) => r.url().endsWith(PATHS.getCalledInfo) && r.method() === 'POST' && lookups.find((l) => l.request === r)?.settle();
    fresh.on('request', (r) => {
      if (!r.url().endsWith(PATHS.getCalledInfo) || r.method() !== 'POST') return;
      let settle;
      lookups.push({ request: r, done: new Promise((resolve) => { settle = resolve; }), settle: () => settle() });
    });
    fresh.on('requestfinished', watchLookup);
    fresh.on('requestfailed', watchLookup);
    try {
      await fresh.goto(new URL('style.css', demo.url).href);
      await fresh.evaluate(async ({ baseUrl, token }) => {
        const glue = await import('/pkg/trap/aicc_call.js');
        const { bindRuntime } = await import('/js/runtime.js');
        await glue.default({ module_or_path: '/pkg/trap/aicc_call_bg.wasm' });
        const runtime = bindRuntime(glue, 'test');
        window.trapTest = { glue, runtime, client: new runtime.AiccClient({ baseUrl, token: async () => token }) };
      }, { baseUrl: `${demo.gatewayUrl}/aicc`, token: demo.sessionToken });
      // Held by the simulator (never answered; the gateway gives up after its own 4 s): in flight at the trap.
      demo.sim.fault({ path: PATHS.getCalledInfo, fault: 'hold', times: 1 });
      const before = demo.sim.requests().filter((r) => r.path === PATHS.getCalledInfo).length;
      await fresh.evaluate(() => {
        const { client } = window.trapTest;
        const outcome = (e) => `${e.kind}:${e.operation}`;
        // Its own deadline (1 s) is a timer of the instance the trap replaces: it must do nothing when it fires.
        window.trapTest.held = client.getCalledInfo({ caller: '88889050', called: '6666601' }, { timeoutMs: 1000 }).then(() => 'answered', outcome);
      });
      await demo.sim.waitForRequests(PATHS.getCalledInfo, before + 1);
      const outcome = await fresh.evaluate(async () => {
        const { glue, runtime, client, held } = window.trapTest;
        const kind = (e) => `${e.kind}:${e.operation}`;
        let now = 'no trap';
        try {
          runtime.guard('test', () => glue.trapNow());
        } catch (e) {
          now = kind(e);
        }
        const later = await runtime.track('test', () => glue.trapLater(0)).then(() => 'no trap', kind);
        const next = await client.getCalledInfo({ caller: '88889050', called: '6666601' }).then((r) => typeof r.devTypeName, kind);
        return { now, later, held: await held, next };
      });
      assert.deepEqual(outcome, { now: 'internal:test', later: 'internal:test', held: 'internal:getCalledInfo', next: 'string' });
      // The held request settles later (the gateway's timeout) into the replaced instance: nothing may throw.
      assert.equal(lookups.length, 2, 'the held lookup and the next one');
      await Promise.all(lookups.map((l) => l.done));
      assert.deepEqual(uncaught, [], 'nothing was thrown uncaught in the page');
    } finally {
      await fresh.close();
    }
  });
});
