// An AiccError that reaches the user's code carries the user's line in its stack, not only the package's frames.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../../../sim/index.mjs';
import { AiccError } from 'aicc-call';
import { serverClient } from './helpers.mjs';

const here = fileURLToPath(import.meta.url);
let sim;
let client;

before(async () => {
  sim = await startSimulator({ port: 0, log: () => {} });
  client = serverClient(sim);
});
after(async () => {
  client?.free();
  await sim?.close();
});

function placeFromMyCode() {
  return client.getCalledInfo({ caller: '8888888', called: '6666614' });
}

test("an API error's stack names the line of the code that made the call", async () => {
  const e = await placeFromMyCode().then(() => undefined, (error) => error);
  assert.ok(e instanceof AiccError);
  assert.equal(e.kind, 'api', 'the answer came from the simulator');
  assert.match(e.stack, /^AiccError: getCalledInfo: /);
  assert.ok(e.stack.includes(here), e.stack);
  assert.match(e.stack, /placeFromMyCode/);
});

test("a validation error's stack names it too", async () => {
  const e = await client.queryCallState({ callSerialNo: 'x' }).then(() => undefined, (error) => error);
  assert.equal(e.kind, 'validation');
  assert.ok(e.stack.includes(here), e.stack);
});
