// startSimulator(options): the local AICC simulator as a library (used by tests and sim/server.mjs).
import http from 'node:http';
import { createHandler, PATHS } from './router.mjs';
import { TokenStore } from './tokens.mjs';
import { CallBook } from './calls.mjs';
import { Callbacks } from './callback.mjs';
import { FaultBook } from './faults.mjs';
import { sign } from './c2.mjs';

export { PATHS, sign as signC2 };

export const DEFAULTS = Object.freeze({
  port: 0,
  appKey: 'demo-app-key',
  appSecret: 'demo-app-secret',
  ak: 'demo-ak',
  sk: 'demo-sk',
  trial: false,
  speed: 1,
  verbose: false,
});

/**
 * @param {{port?:number, appKey?:string, appSecret?:string, ak?:string, sk?:string, trial?:boolean,
 *          speed?:number, verbose?:boolean, log?:(line:string)=>void}} [opts]
 *   log receives warnings (e.g. failed callbacks) and, with verbose, one line per request. Default: stderr.
 *   Log lines never contain secrets, tokens or request bodies.
 */
export async function startSimulator(opts = {}) {
  const options = { ...DEFAULTS };
  for (const [k, v] of Object.entries(opts)) if (v !== undefined && k !== 'log') options[k] = v;
  options.speed = Number(options.speed);
  if (!(options.speed > 0)) throw new Error('speed must be a positive number');
  const sink = opts.log ?? ((line) => process.stderr.write(`[aicc-sim] ${line}\n`));

  const sleepers = new Set();
  const log = { error: (m) => sink(m), verbose: (m) => { if (options.verbose) sink(m); } };
  const ctx = {
    options,
    log,
    tokens: new TokenStore(),
    calls: new CallBook({ speed: options.speed }),
    callbacks: new Callbacks({ log: log.error }),
    faults: new FaultBook(),
    recorded: [],
    requests: [],
    sleep(ms) {
      return new Promise((resolve) => {
        const s = { resolve, timer: setTimeout(() => { sleepers.delete(s); resolve(true); }, ms) };
        sleepers.add(s);
      });
    },
    reset() {
      ctx.recorded.length = 0;
      ctx.requests.length = 0;
      ctx.faults.clear();
      ctx.tokens.clear();
      ctx.callbacks.cancelAll();
      ctx.calls.reset();
    },
  };

  const server = http.createServer(createHandler(ctx));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;

  let closing = null;
  return {
    url,
    port,
    server,
    options: { ...options, appSecret: undefined, sk: undefined },
    /** Every createCall request received, in order ({at, headers, body, retCode, status, fault?}). */
    calls: () => structuredClone(ctx.recorded),
    /** Every API request ({method, path, at}). */
    requests: () => structuredClone(ctx.requests),
    reset: () => ctx.reset(),
    fault: ({ path, fault, times = 1 }) => ctx.faults.add({ path, fault, times }),
    /** Sign a CMS request with this simulator's AK/SK (for tests). */
    signC2: (req) => sign({ ak: options.ak, sk: options.sk, ...req }),
    close() {
      if (closing) return closing;
      ctx.callbacks.cancelAll();
      for (const s of sleepers) { clearTimeout(s.timer); s.resolve(false); }
      sleepers.clear();
      closing = new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
