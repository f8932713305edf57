// Per-call cost in Node: the package's queryCallState and createCall against a plain fetch doing the
// identical request (same URL, headers and body; bench/page/call-sides.js), with the simulator in its own
// process; what fetch itself charges for the options the package gives it (the same plain fetch with them);
// then the package's own CPU with fetch stubbed by a function that returns a ready Response (no Request built
// on either side).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { rounds, printRounds } from './stats.mjs';
import { spawnSimulator } from './simulator.mjs';
import { callSides, APP_KEY, APP_SECRET, SERIAL, QUERY_PATH } from './page/call-sides.js';

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

// The plain queryCallState fetch with what the package adds to every fetch it makes (bindings/src/transport.rs):
// the headers in a Headers, `redirect: 'manual'`, and an AbortController's signal aborted by the attempt's
// timer, cleared after. The timeout and the refusal to follow a redirect are the package's promises; this
// side shows what fetch charges for them.
function fetchWithPackageOptions(simUrl, token) {
  const url = `${simUrl}${QUERY_PATH}`;
  const body = JSON.stringify({ callSerialNo: SERIAL });
  return async () => {
    const headers = new Headers();
    headers.set('Content-Type', 'application/json');
    headers.set('X-APP-Key', APP_KEY);
    headers.set('Authorization', `Bearer ${token}`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: controller.signal });
      const obj = JSON.parse(await res.text());
      if (obj?.retCode !== '0' || obj?.result?.state !== 3) throw new Error(`unexpected answer: ${JSON.stringify(obj)}`);
    } finally {
      clearTimeout(timer);
    }
  };
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
    const fetchOptions = await rounds({ baseline: sides.queryCallState.baseline, package: fetchWithPackageOptions(sim.url, token) }, options);
    printRounds(`queryCallState's plain fetch, and the same with the package's fetch options: ${n} calls a side a round`,
      ['fetch + JSON.parse', 'the same, with a timeout signal, redirect: manual, a Headers'], fetchOptions);
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
    return { queryCallState, fetchOptions, createCall, stubbed };
  } finally {
    await sim.close();
  }
}
