// Per-call cost in Node: the package's queryCallState and createCall against a plain fetch doing the
// identical request (same URL, headers and body; bench/page/call-sides.js), with the simulator in its own
// process; then the package's own CPU with fetch stubbed by a function that returns a ready Response (no
// Request built on either side).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { rounds, printRounds } from './stats.mjs';
import { spawnSimulator } from './simulator.mjs';
import { callSides, APP_KEY, APP_SECRET } from './page/call-sides.js';

/** An access token from the simulator (tokenByAkSk), for both sides of every comparison. */
export async function simulatorToken(simUrl) {
  const res = await fetch(`${simUrl}/apigovernance/api/oauth/tokenByAkSk`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Token-Expire': '3600' },
    body: JSON.stringify({ app_key: APP_KEY, app_secret: APP_SECRET }),
  });
  const token = JSON.parse(await res.text()).AccessToken;
  if (!token) throw new Error('tokenByAkSk gave no AccessToken');
  return token;
}

export async function measureCalls(root, { n, roundCount, warmup }) {
  const { AiccClient } = await import(pathToFileURL(join(root, 'js/node.js')).href);
  const sim = await spawnSimulator(root);
  try {
    const token = await simulatorToken(sim.url);
    const sides = callSides({ AiccClient, simUrl: sim.url, token, firstNumber: 10_000_000 });
    const options = { n, rounds: roundCount, warmup };

    const queryCallState = await rounds(sides.queryCallState, options);
    printRounds(`queryCallState against the simulator (own process): ${n} calls a side a round, interleaved`,
      ['fetch + JSON.parse', 'client.queryCallState'], queryCallState);
    const createCall = await rounds(sides.createCall, options);
    printRounds(`createCall, 18-digit serial kept exact, against the simulator: ${n} calls a side a round`,
      ['fetch + exact serial from the text', 'client.createCall'], createCall);

    // The same without the network: fetch is a function answering a ready Response (the simulator's own
    // texts); neither side builds a Request in it. What remains is the package's own work.
    const answers = await sides.answers();
    const realFetch = globalThis.fetch;
    const stubbed = {};
    try {
      globalThis.fetch = async () => new Response(answers.query, { status: 200, headers: { 'Content-Type': 'application/json' } });
      stubbed.queryCallState = await rounds(sides.queryCallState, options);
      printRounds(`queryCallState, fetch stubbed (a ready Response): ${n} calls a side a round`,
        ['stub + JSON.parse', 'client.queryCallState'], stubbed.queryCallState);
      globalThis.fetch = async () => new Response(answers.create, { status: 200, headers: { 'Content-Type': 'application/json' } });
      stubbed.createCall = await rounds(sides.createCall, options);
      printRounds(`createCall, fetch stubbed (a ready Response): ${n} calls a side a round`,
        ['stub + exact serial from the text', 'client.createCall'], stubbed.createCall);
    } finally {
      globalThis.fetch = realFetch;
    }
    sides.client.free();
    return { queryCallState, createCall, stubbed };
  } finally {
    await sim.close();
  }
}
