// The two sides of the per-call comparison, in any runtime (Node, workerd, Chromium: only fetch and the
// package's AiccClient): a plain fetch of the identical request (same URL, headers and body) against the
// package's queryCallState / createCall, and the rounds that time them in blocks of calls.
export const SERIAL = '645735364434067472'; // seeded in the simulator: always present, ended
export const QUERY_PATH = '/apiaccess/CC-Management/v1/mobileAgent/queryCallState';
export const CREATE_PATH = '/apiaccess/CC-Management/v1/mobileAgent/createCall';
export const APP_KEY = 'demo-app-key';
export const APP_SECRET = 'demo-app-secret';
const SERIAL_FIELD = /"callSerialNo"\s*:\s*"?(\d+)/;

function checkState(s) {
  if (s?.state !== 3 || s?.stateName !== 'ended') throw new Error(`unexpected call state from the package: ${JSON.stringify(s)}`);
}
function checkRaw(obj) {
  if (obj?.retCode !== '0' || obj?.result?.state !== 3) throw new Error(`unexpected answer to the baseline: ${JSON.stringify(obj)}`);
}
// Both sides must end with the exact 18-digit serial: the baseline reads it from the text (JSON.parse would round it).
export function checkSerial(serial) {
  if (!/^\d{18}$/.test(serial ?? '') || BigInt(Number(serial)) === BigInt(serial)) throw new Error(`not an exact 18-digit serial: ${serial}`);
}
export const serialOf = (text) => SERIAL_FIELD.exec(text)?.[1];

/**
 * { queryCallState: { baseline, package }, createCall: { baseline, package }, client }: each side one call.
 * `firstNumber` starts the caller/called numbers (the simulator refuses a second live call between two
 * numbers: each runtime of one run starts its own range).
 */
export function callSides({ AiccClient, simUrl, token, firstNumber }) {
  const headers = { 'Content-Type': 'application/json', 'X-APP-Key': APP_KEY, Authorization: `Bearer ${token}` };
  const post = (body) => ({ method: 'POST', headers, body: JSON.stringify(body) }); // what the package sends
  const client = new AiccClient({ baseUrl: simUrl, appKey: APP_KEY, token: async () => token });
  let next = firstNumber;
  const pair = () => ({ caller: `8${next++}`, called: `13${next++}` });
  const query = { callSerialNo: SERIAL };
  const queryUrl = `${simUrl}${QUERY_PATH}`;
  const createUrl = `${simUrl}${CREATE_PATH}`;
  return {
    client,
    queryCallState: {
      baseline: async () => checkRaw(JSON.parse(await (await fetch(queryUrl, post(query))).text())),
      package: async () => checkState(await client.queryCallState(query)),
    },
    createCall: {
      baseline: async () => {
        const text = await (await fetch(createUrl, post(pair()))).text();
        if (JSON.parse(text).retCode !== '0') throw new Error(`createCall answered ${text}`);
        checkSerial(serialOf(text));
      },
      package: async () => checkSerial((await client.createCall(pair())).callSerialNo),
    },
    // The simulator's own answers, for a fetch stubbed with them.
    answers: async () => ({
      query: await (await fetch(queryUrl, post(query))).text(),
      create: await (await fetch(createUrl, post(pair()))).text(),
    }),
  };
}

/** `count` calls of each side, alternating. */
export async function warm(sides, count) {
  for (let i = 0; i < count; i++) {
    await sides.baseline();
    await sides.package();
  }
}

/**
 * One round: `n` calls a side in blocks of `block` calls, the sides' blocks alternating and each pair of
 * blocks starting with the other side. Times a block as a whole (workerd's clock counts whole milliseconds,
 * Chromium's 0.1 ms): per side, each block's mean time a call, in ms.
 */
export async function blockRound(sides, { n, block }) {
  const times = { baseline: [], package: [] };
  const size = Math.max(1, Math.min(block, n));
  const blocks = Math.ceil(n / size);
  for (let b = 0; b < blocks; b++) {
    const calls = Math.min(size, n - b * size);
    for (const name of b % 2 ? ['package', 'baseline'] : ['baseline', 'package']) {
      const run = sides[name];
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) await run();
      times[name].push((performance.now() - t0) / calls);
    }
  }
  return times;
}
