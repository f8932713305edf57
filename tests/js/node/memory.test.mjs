// Memory that waits for nothing: a watch frees its wasm state when it ends (done, an error, or return()),
// and a client dropped before its first call holds none, so the wasm memory stays flat over 50k of each
// without any garbage collection (a dropped wasm object is only freed by a major GC, which wasm memory never
// triggers). The memory is read from the very instance the entry uses (same module URL).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AiccClient } from 'aicc-call';
import { wasmMemoryPages } from '../../../pkg/full/aicc_call.js';
import { startSimulator } from '../../../sim/index.mjs';
import { serverClient } from './helpers.mjs';

const SERIAL = '645735364434067472'; // seeded: an ended call
const RUNS = 50_000;
let sim;
let client;

before(async () => {
  sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  client = serverClient(sim);
});
after(() => sim.close());

/** Runs `once` RUNS times, `width` at a time; the pages after a first 1000 and at the end. */
async function pagesOver(once, width = 50) {
  let next = 0;
  let warm;
  const worker = async () => {
    while (next < RUNS) {
      next += 1;
      await once();
      if (next === 1000 && warm === undefined) warm = wasmMemoryPages();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return { warm, end: wasmMemoryPages() };
}

test(`${RUNS} watches, ended by their last state or stopped before it, leave the wasm memory flat`, { timeout: 300_000 }, async () => {
  let i = 0;
  const { warm, end } = await pagesOver(async () => {
    i += 1;
    const watch = client.watchCall(SERIAL, { intervalMs: 100 });
    if (i % 4 === 0) {
      for await (const state of watch) assert.equal(state.stateName, 'ended'); // polls once, then done
    } else {
      assert.deepEqual(await watch.return(), { value: undefined, done: true }); // a page that stops watching
    }
  });
  assert.ok(end - warm <= 1, `wasm memory grew from ${warm} to ${end} pages over ${RUNS} watches`);
});

test(`${RUNS} clients dropped without free() leave the wasm memory flat`, { timeout: 120_000 }, async () => {
  const options = { baseUrl: sim.url, token: async () => 'token' };
  new AiccClient(options); // eslint-disable-line no-new
  const { warm, end } = await pagesOver(async () => {
    const dropped = new AiccClient(options);
    assert.equal(typeof dropped.queryCallState, 'function');
  });
  assert.ok(end - warm <= 1, `wasm memory grew from ${warm} to ${end} pages over ${RUNS} dropped clients`);
});
