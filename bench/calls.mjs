// Per-call cost: the package's queryCallState and createCall against a plain fetch doing the identical
// request (same URL, headers and body), with the simulator in its own process; then the package's own CPU
// with fetch stubbed by a function that returns a ready Response (no Request built on either side).
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { rounds, printRounds } from './stats.mjs';
import { spawnSimulator } from './simulator.mjs';

const SERIAL = '645735364434067472'; // seeded in the simulator: always present, ended
const QUERY_PATH = '/apiaccess/CC-Management/v1/mobileAgent/queryCallState';
const CREATE_PATH = '/apiaccess/CC-Management/v1/mobileAgent/createCall';
const APP_KEY = 'demo-app-key';
const APP_SECRET = 'demo-app-secret';
const SERIAL_FIELD = /"callSerialNo"\s*:\s*"?(\d+)/;

function checkState(s) {
  if (s?.state !== 3 || s?.stateName !== 'ended') throw new Error(`unexpected call state from the package: ${JSON.stringify(s)}`);
}
function checkRaw(obj) {
  if (obj?.retCode !== '0' || obj?.result?.state !== 3) throw new Error(`unexpected answer to the baseline: ${JSON.stringify(obj)}`);
}
// Both sides must end with the exact 18-digit serial: the baseline reads it from the text (JSON.parse would round it).
function checkSerial(serial) {
  if (!/^\d{18}$/.test(serial ?? '') || BigInt(Number(serial)) === BigInt(serial)) throw new Error(`not an exact 18-digit serial: ${serial}`);
}

export async function measureCalls(root, { n, roundCount, warmup }) {
  const { AiccClient } = await import(pathToFileURL(join(root, 'js/node.js')).href);
  const sim = await spawnSimulator(root);
  try {
    const tokenRes = await fetch(`${sim.url}/apigovernance/api/oauth/tokenByAkSk`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Token-Expire': '3600' },
      body: JSON.stringify({ app_key: APP_KEY, app_secret: APP_SECRET }),
    });
    const token = JSON.parse(await tokenRes.text()).AccessToken;
    if (!token) throw new Error('tokenByAkSk gave no AccessToken');
    const headers = { 'Content-Type': 'application/json', 'X-APP-Key': APP_KEY, Authorization: `Bearer ${token}` };
    const post = (body) => ({ method: 'POST', headers, body: JSON.stringify(body) }); // what the package sends
    const client = new AiccClient({ baseUrl: sim.url, appKey: APP_KEY, token: async () => token });
    let next = 10_000_000;
    const pair = () => ({ caller: `8${next++}`, called: `13${next++}` });

    const query = { callSerialNo: SERIAL };
    const queryUrl = `${sim.url}${QUERY_PATH}`;
    const createUrl = `${sim.url}${CREATE_PATH}`;
    const plainQuery = async () => checkRaw(JSON.parse(await (await fetch(queryUrl, post(query))).text()));
    const plainCreate = async () => {
      const text = await (await fetch(createUrl, post(pair()))).text();
      if (JSON.parse(text).retCode !== '0') throw new Error(`createCall answered ${text}`);
      checkSerial(SERIAL_FIELD.exec(text)?.[1]);
    };
    const packageQuery = async () => checkState(await client.queryCallState(query));
    const packageCreate = async () => checkSerial((await client.createCall(pair())).callSerialNo);
    const options = { n, rounds: roundCount, warmup };

    const queryCallState = await rounds({ baseline: plainQuery, package: packageQuery }, options);
    printRounds(`queryCallState against the simulator (own process): ${n} calls a side a round, interleaved`,
      ['fetch + JSON.parse', 'client.queryCallState'], queryCallState);
    const createCall = await rounds({ baseline: plainCreate, package: packageCreate }, options);
    printRounds(`createCall, 18-digit serial kept exact, against the simulator: ${n} calls a side a round`,
      ['fetch + exact serial from the text', 'client.createCall'], createCall);

    // The same without the network: fetch is a function answering a ready Response (the simulator's own
    // texts); neither side builds a Request in it. What remains is the package's own work.
    const queryText = await (await fetch(queryUrl, post(query))).text();
    const createText = await (await fetch(createUrl, post(pair()))).text();
    const realFetch = globalThis.fetch;
    const stubbed = {};
    try {
      globalThis.fetch = async () => new Response(queryText, { status: 200, headers: { 'Content-Type': 'application/json' } });
      stubbed.queryCallState = await rounds({ baseline: plainQuery, package: packageQuery }, options);
      printRounds(`queryCallState, fetch stubbed (a ready Response): ${n} calls a side a round`,
        ['stub + JSON.parse', 'client.queryCallState'], stubbed.queryCallState);
      globalThis.fetch = async () => new Response(createText, { status: 200, headers: { 'Content-Type': 'application/json' } });
      stubbed.createCall = await rounds({ baseline: plainCreate, package: packageCreate }, options);
      printRounds(`createCall, fetch stubbed (a ready Response): ${n} calls a side a round`,
        ['stub + exact serial from the text', 'client.createCall'], stubbed.createCall);
    } finally {
      globalThis.fetch = realFetch;
    }
    client.free();
    return { queryCallState, createCall, stubbed };
  } finally {
    await sim.close();
  }
}
