// Shared by the Node tests: a server-side client of a simulator with its demo credentials, and fresh numbers.
import { AiccClient } from 'aicc-call';

export const CREDENTIALS = { appKey: 'demo-app-key', appSecret: 'demo-app-secret' };
export const CMS_CREDENTIALS = { ak: 'demo-ak', sk: 'demo-sk' };

/** A client of `sim` with app and CMS credentials; `options` override the defaults. */
export function serverClient(sim, options = {}) {
  return new AiccClient({ baseUrl: sim.url, cmsBaseUrl: sim.url, credentials: CREDENTIALS, cmsCredentials: CMS_CREDENTIALS, ...options });
}

/** Fresh caller/called pairs, `called` ending in `lastDigit` (the simulator refuses a second live call between the same two numbers). */
export function pairs(start) {
  let next = start;
  return (lastDigit = 0) => ({ caller: `8888${next++}`, called: `1390${next++}${lastDigit}` });
}
