// <aicc-click-to-call> in headless Chromium, on a plain page (pages/click-to-call.html) served by the demo's
// server with its strict Content-Security-Policy (so the example gateway in workerd lets it in), placing calls
// through that gateway at the local AICC simulator, whose clock 'poll' moves each call one state per poll. Used as a person would: by role, name and keyboard; axe-core checks it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../../scripts/chromium.mjs';
import { ensureBuilt, startDemo } from '../../../scripts/start.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CREATE_CALL = '/apiaccess/CC-Management/v1/mobileAgent/createCall';

let demo;
let context;
let page;
let axeSource;
const pageErrors = [];
const loaded = []; // every URL the page asked for

before(async () => {
  ensureBuilt();
  axeSource = await readFile(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
  demo = await startDemo({ speed: 20, clock: 'poll', pollIntervalMs: 100, mounts: { '/test/': join(root, 'tests/js/browser/pages') } });
  context = await launchChromium({
    viewport: { width: 520, height: 720 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => pageErrors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`); });
  page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
});

after(async () => {
  await context?.close().catch(() => {});
  await demo?.close();
});

async function fresh({ colorScheme = 'light' } = {}) {
  await page.emulateMedia({ colorScheme });
  await page.goto(`${demo.url}test/click-to-call.html`);
  await page.waitForFunction(() => window.widgetReady === true);
  return page.getByRole('button', { name: 'Call', exact: true });
}

function assertNoPageErrors(allowed = []) {
  const unexpected = pageErrors.splice(0).filter((m) => !allowed.some((re) => re.test(m)));
  assert.deepEqual(unexpected, [], 'the page logged errors or threw');
}

const createCallsTo = (called) => demo.sim.calls().filter((c) => c.body?.called === called).length;
const setNumbers = (caller, called) => page.evaluate(([a, b]) => {
  const w = document.getElementById('w');
  w.setAttribute('caller', a);
  w.setAttribute('called', b);
}, [caller, called]);
const status = () => page.getByRole('status');
const events = () => page.evaluate(() => window.events);

const clearEvents = () => page.evaluate(() => { window.events.length = 0; });

// Waits for the element's aicc-ended event (clear the events before the call), then reads the status.
async function endedWith(pattern) {
  await page.waitForFunction(() => window.events.some((e) => e.type === 'aicc-ended'), null, { timeout: 20000 });
  const text = await status().innerText();
  assert.match(text, pattern);
  return text;
}

async function axe() {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('<aicc-click-to-call>', () => {
  test('a call placed, followed to its end: status, timeline, talk time, and the events, bubbling and composed', async () => {
    const call = await fresh();
    assert.equal(await status().getAttribute('aria-live'), 'polite');
    assert.equal(await status().innerText(), 'Ready');
    await setNumbers('88889050', '13800000010');
    await call.click();
    await endedWith(/called party \(customer side\) hangs up/);
    const timeline = page.getByRole('list', { name: 'Call timeline' });
    const steps = await timeline.getByRole('listitem').allInnerTexts();
    assert.deepEqual(steps.slice(0, 5), ['Placing the call…', 'Placed', 'Waiting to call', 'Calling', 'Talking']);
    assert.match(steps.at(-1), /^Ended: /);
    assert.match(await page.getByRole('timer').innerText(), /^\d\d:\d\d$/, 'the talk time was shown while talking');
    const sent = await events();
    assert.deepEqual(sent.map((e) => e.type), ['aicc-placed', 'aicc-state', 'aicc-state', 'aicc-state', 'aicc-state', 'aicc-ended']);
    assert.ok(sent.every((e) => e.composed));
    assert.match(sent[0].detail.callSerialNo, /^\d{18}$/);
    assert.equal(sent[4].detail.stateName, 'ended');
    assert.equal(sent[5].detail.reason.name, sent[5].detail.state.reason.name);
    assert.equal(createCallsTo('13800000010'), 1);
    assert.equal(await page.evaluate(() => window.liveIntervals()), 0, 'the ticker stopped with the call');
    assert.equal(await call.getAttribute('aria-disabled'), 'false');
    // The element loads the browser entry and the client-only wasm, never the gateway's code.
    assert.ok(loaded.includes('/pkg/web/aicc_call_bg.wasm'), loaded.join(' '));
    assert.deepEqual(loaded.filter((p) => p.startsWith('/pkg/full/') || /\/js\/(gateway|node|state)\.js$/.test(p)), []);
    assertNoPageErrors();
  });

  test('keyboard only: Tab to the button, Enter places the call; Enter then click and a double click place one each', async () => {
    await fresh();
    await setNumbers('88889051', '13800000020');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('part'));
    assert.equal(focused, 'button');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement.shadowRoot.activeElement).outlineStyle);
    assert.equal(outline, 'solid', 'focus is visible');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // inert while the call is placed or followed
    await endedWith(/hangs up/);
    assert.deepEqual(await page.evaluate(() => window.clicks.splice(0)), ['false', 'true'], 'the second Enter came while the call was followed');
    assert.equal(createCallsTo('13800000020'), 1);

    await setNumbers('88889051', '13800000030');
    await clearEvents();
    const call = page.getByRole('button', { name: 'Call', exact: true });
    await call.focus();
    await page.keyboard.press('Enter');
    await call.click({ force: true }); // as a person clicks: without waiting for aria-disabled to go
    await endedWith(/hangs up/);
    assert.deepEqual(await page.evaluate(() => window.clicks.splice(0)), ['false', 'true'], 'the click came while the call was followed');
    assert.equal(createCallsTo('13800000030'), 1, 'Enter then click: one createCall');

    await setNumbers('88889051', '13800000040');
    await clearEvents();
    await call.dblclick();
    await endedWith(/hangs up/);
    assert.deepEqual(await page.evaluate(() => window.clicks.splice(0)), ['false', 'true']);
    assert.equal(createCallsTo('13800000040'), 1, 'a double click: one createCall');
    assertNoPageErrors();
  });

  test('a lost answer: the check runs by itself, finds the call placed, and follows it to its end', async () => {
    const call = await fresh();
    await setNumbers('88889052', '13800000050');
    demo.sim.fault({ path: CREATE_CALL, fault: 'answer-lost', times: 1 });
    await call.click();
    await endedWith(/hangs up/);
    const steps = await page.getByRole('list', { name: 'Call timeline' }).getByRole('listitem').allInnerTexts();
    assert.deepEqual(steps.slice(0, 4), ['Placing the call…', 'The answer was lost: checking the call records…', 'Check: the call was placed', 'Placed']);
    const types = (await events()).map((e) => e.type);
    assert.deepEqual(types.slice(0, 3), ['aicc-unknown', 'aicc-resolved', 'aicc-placed']);
    assert.equal((await events())[1].detail.status, 'placed');
    assert.equal(createCallsTo('13800000050'), 1);
    assertNoPageErrors([/^console: Failed to load resource/]);
  });

  test('a refusal shows the platform\'s message; "Try again" only for a retryable one, and it places the call', async () => {
    const call = await fresh();
    await setNumbers('99999001', '13800000060'); // caller 99999…: retCode 8, not retryable
    await call.click();
    const error = page.locator('aicc-click-to-call').locator('[part=error]');
    await status().filter({ hasText: 'Not placed' }).waitFor({ timeout: 20000 });
    assert.ok((await error.innerText()).length > 10);
    assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);
    assert.equal((await events()).at(-1).type, 'aicc-error');

    await setNumbers('88889053', '13800000070');
    demo.sim.fault({ path: CREATE_CALL, fault: 'status:503', times: 1 }); // createCall is never retried
    await call.click();
    const again = page.getByRole('button', { name: 'Try again' });
    await again.waitFor({ timeout: 20000 });
    assert.equal((await events()).at(-1).detail.retryable, true);
    await again.click();
    await endedWith(/hangs up/);
    assert.equal(createCallsTo('13800000070'), 2, 'the refused one (503) and the one "Try again" placed');
    assertNoPageErrors([/^console: Failed to load resource/]);
  });

  test('axe-core: no WCAG 2 A/AA violation, light and dark, idle and after a call', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const call = await fresh({ colorScheme });
      assert.deepEqual(await axe(), [], `${colorScheme}, idle`);
      await setNumbers('99999001', '13800000080');
      await call.click();
      await status().filter({ hasText: 'Not placed' }).waitFor({ timeout: 20000 });
      assert.deepEqual(await axe(), [], `${colorScheme}, refused`);
      await setNumbers('88889054', `1380000009${colorScheme === 'light' ? 0 : 7}`);
      await clearEvents();
      await call.click();
      await endedWith(/./);
      assert.deepEqual(await axe(), [], `${colorScheme}, ended`);
    }
    assertNoPageErrors([/^console: Failed to load resource/]);
  });

  test('themable by custom properties and ::part(); page styles do not leak in', async () => {
    await fresh();
    const styles = await page.evaluate(() => {
      const w = document.getElementById('w');
      w.style.setProperty('--aicc-accent', 'rgb(1, 2, 3)');
      w.style.setProperty('--aicc-radius', '7px');
      const button = w.shadowRoot.querySelector('[part=button]');
      const css = getComputedStyle(button);
      return { background: css.backgroundColor, radius: css.borderTopLeftRadius, color: css.color,
        timeline: getComputedStyle(w.shadowRoot.querySelector('[part=timeline]')).letterSpacing };
    });
    assert.deepEqual(styles, { background: 'rgb(1, 2, 3)', radius: '7px', color: 'rgb(255, 255, 255)', timeline: '1px' });
  });

  test('labels and lang: zh-CN texts, and the page\'s own text for an end reason by its name', async () => {
    await fresh();
    await page.evaluate(() => document.getElementById('w').setAttribute('lang', 'zh-CN'));
    assert.equal(await page.getByRole('button', { name: '呼叫' }).count(), 1);
    await page.evaluate(() => {
      const w = document.getElementById('w');
      w.removeAttribute('lang');
      w.labels = { call: 'Dial', ended: 'Over', userBusy: 'Busy line (our words)' };
    });
    await setNumbers('88889055', '13800000107'); // last digit 7: customer busy
    await page.getByRole('button', { name: 'Dial' }).click();
    await page.waitForFunction(() => window.events.some((e) => e.type === 'aicc-ended'), null, { timeout: 20000 });
    assert.equal(await status().innerText(), 'Over: Busy line (our words)');
    assertNoPageErrors();
  });

  test('a new token or client mid-call takes effect for the next call; the call keeps its client to its end; none is left', async () => {
    await fresh();
    // Which client places each call and which are freed, seen on the browser entry's class the element uses.
    await page.evaluate(async () => {
      const { AiccClient } = await import('/js/browser.js');
      const { placeCall, free } = AiccClient.prototype;
      const placedBy = (window.placedBy = []);
      const freed = (window.freed = new Set());
      AiccClient.prototype.placeCall = function (...args) {
        placedBy.push(this);
        return placeCall.apply(this, args);
      };
      AiccClient.prototype.free = function () {
        freed.add(this);
        return free.call(this);
      };
      const w = document.getElementById('w');
      const token = await w.token();
      const calls = (window.tokenCalls = { first: 0, second: 0 });
      w.token = async () => (calls.first += 1, token);
      window.secondToken = async () => (calls.second += 1, token);
      window.pageClient = new AiccClient({ baseUrl: w.getAttribute('base-url'), token: window.secondToken });
      // Deterministic (the simulator's clock 'poll': the call moves one state a poll): at the call's first state,
      // a new token function, as a React page writing token={() => ...} sets on every render.
      window.whileFollowed = [];
      document.addEventListener('aicc-state', (e) => {
        if (e.detail.stateName === 'toBeCalled') w[window.swap] = window.swap === 'token' ? window.secondToken : window.pageClient;
        if (e.detail.stateName !== 'ended') window.whileFollowed.push(window.freed.has(window.placedBy.at(-1)));
      });
    });
    const clientsOf = () => page.evaluate(() => ({
      placedBy: window.placedBy.map((c) => [window.placedBy.indexOf(c), c === window.pageClient]),
      freed: window.placedBy.map((c) => window.freed.has(c)),
      whileFollowed: window.whileFollowed.splice(0),
    }));

    await page.evaluate(() => { window.swap = 'token'; });
    await setNumbers('88889057', '13800000200');
    await clearEvents();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await endedWith(/hangs up/);
    await page.waitForFunction(() => window.freed.has(window.placedBy[0])); // once its call is over
    let seen = await clientsOf();
    assert.deepEqual(seen.whileFollowed, [false, false, false], 'the call kept its client while it was followed');
    assert.deepEqual(seen.placedBy, [[0, false]]);
    assert.equal(createCallsTo('13800000200'), 1);
    assert.deepEqual((await events()).map((e) => e.type), ['aicc-placed', 'aicc-state', 'aicc-state', 'aicc-state', 'aicc-state', 'aicc-ended']);
    const firstCalls = await page.evaluate(() => window.tokenCalls.first);

    // The next call: a new client, on the new token function; the same function again changes nothing.
    await page.evaluate(() => { window.swap = ''; });
    await setNumbers('88889057', '13800000210');
    await clearEvents();
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await endedWith(/hangs up/);
    await page.evaluate(() => { const w = document.getElementById('w'); w.token = window.secondToken; w.token = w.token; });
    await setNumbers('88889057', '13800000220');
    await clearEvents();
    await page.evaluate(() => { window.swap = 'client'; });
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await endedWith(/hangs up/);
    await page.waitForFunction(() => window.freed.has(window.placedBy[1]));
    seen = await clientsOf();
    assert.deepEqual(seen.placedBy, [[0, false], [1, false], [1, false]], 'a new client for the new function, kept when set again');
    assert.deepEqual(seen.whileFollowed, [false, false, false, false, false, false], 'a page client set mid-call does not free the call\'s');
    assert.equal(await page.evaluate(() => window.tokenCalls.first), firstCalls, 'the old function is not asked again');
    assert.ok(await page.evaluate(() => window.tokenCalls.second) > 0, 'the new function gave the next calls their token');
    assert.equal(createCallsTo('13800000210') + createCallsTo('13800000220'), 2);

    // Then the page's client places the call; removed, the element leaves no client of its own behind.
    await setNumbers('88889057', '13800000230');
    await clearEvents();
    await page.evaluate(() => { window.swap = ''; });
    await page.getByRole('button', { name: 'Call', exact: true }).click();
    await endedWith(/hangs up/);
    await page.evaluate(() => document.getElementById('w').remove());
    seen = await clientsOf();
    assert.deepEqual(seen.placedBy.at(-1), [3, true]);
    assert.deepEqual(seen.freed, [true, true, true, false], 'every client the element made is freed; the page\'s is the page\'s');
    assertNoPageErrors();
  });

  test('defined once; removed while following, it stops; 1,000 connect/disconnect cycles leave no interval or call', async () => {
    const call = await fresh();
    const again = await page.evaluate(async () => {
      await import('/js/widget.js?again');
      return customElements.get('aicc-click-to-call') === document.getElementById('w').constructor;
    });
    assert.equal(again, true, 'a second copy of the module does not redefine it');
    await setNumbers('88889056', '13800000110');
    await call.click();
    await page.waitForFunction(() => window.events.some((e) => e.type === 'aicc-state'));
    const stopped = await page.evaluate(async () => {
      const w = document.getElementById('w');
      const parent = w.parentNode;
      parent.append(w); // a move keeps the call
      await Promise.resolve();
      const moved = w.shadowRoot.querySelector('[part=status]').textContent;
      w.remove();
      await new Promise((r) => setTimeout(r, 0));
      const status = w.shadowRoot.querySelector('[part=status]').textContent;
      for (let i = 0; i < 1000; i += 1) {
        parent.append(w);
        w.remove();
        await Promise.resolve();
      }
      return { moved, status, intervals: window.liveIntervals() };
    });
    assert.notEqual(stopped.moved, 'Stopped following; the call goes on');
    assert.deepEqual([stopped.status, stopped.intervals], ['Stopped following; the call goes on', 0]);
    assert.equal(createCallsTo('13800000110'), 1);
    assertNoPageErrors();
  });
});
