// startSimulator(options): the local AICC simulator as a library (used by tests and sim/server.mjs).
import http from 'node:http';
import { createHandler, PATHS } from './router.mjs';
import { TokenStore } from './tokens.mjs';
import { CallBook } from './calls.mjs';
import { Callbacks, releaseBody } from './callback.mjs';
import { FaultBook } from './faults.mjs';
import { sign } from './c2.mjs';
import { makeClock } from './clock.mjs';

export { PATHS, sign as signC2 };

export const DEFAULTS = Object.freeze({
  port: 0,
  appKey: 'demo-app-key',
  appSecret: 'demo-app-secret',
  ak: 'demo-ak',
  sk: 'demo-sk',
  trial: false,
  speed: 1,
  clock: 'real',
  startTime: undefined,
  verbose: false,
});

/**
 * @param {{port?:number, appKey?:string, appSecret?:string, ak?:string, sk?:string, trial?:boolean,
 *          speed?:number, clock?:'real'|'manual'|'poll', startTime?:number, verbose?:boolean,
 *          log?:(line:string)=>void}} [opts]
 *   log receives warnings (e.g. failed callbacks) and, with verbose, one line per request. Default: stderr.
 *   Log lines never contain secrets, tokens or request bodies.
 *   clock: 'real' (default) wall time; 'manual' time moves only by advance(ms) (from startTime, default now);
 *   'poll' each call moves one state per queryCallState about it (see sim/README.md).
 */
export async function startSimulator(opts = {}) {
  const options = { ...DEFAULTS };
  for (const [k, v] of Object.entries(opts)) if (v !== undefined && k !== 'log') options[k] = v;
  options.speed = Number(options.speed);
  if (!(options.speed > 0)) throw new Error('speed must be a positive number');
  const sink = opts.log ?? ((line) => process.stderr.write(`[aicc-sim] ${line}\n`));

  const clock = makeClock(options.clock, options.startTime);
  const sleepers = new Set();
  const held = new Set(); // sockets of requests under the hold fault
  const waiters = new Set(); // waitForRequests() promises: { path, count, resolve }
  const log = { error: (m) => sink(m), verbose: (m) => { if (options.verbose) sink(m); } };
  const releases = []; // release callbacks delivered (answered or failed)
  const releaseWaiters = new Set();
  const callbacks = new Callbacks({
    log: log.error,
    clock,
    onSettled(entry) {
      releases.push({ ...entry, at: new Date(clock.now()).toISOString() });
      for (const w of releaseWaiters) if (releases.length >= w.count) { releaseWaiters.delete(w); w.resolve(); }
    },
  });
  const countOn = (path) => ctx.requests.reduce((n, r) => n + (path === undefined || r.path === path ? 1 : 0), 0);
  const ctx = {
    options,
    log,
    clock,
    tokens: new TokenStore(),
    calls: new CallBook({ speed: options.speed, clock, onPolledToEnd: (call) => { if (call.callBackUrl) callbacks.deliver(call.callBackUrl, releaseBody(call)); } }),
    callbacks,
    faults: new FaultBook(),
    recorded: [],
    requests: [],
    releases: () => releases,
    noteRequest(entry) {
      ctx.requests.push(entry);
      for (const w of waiters) {
        if (countOn(w.path) >= w.count) { waiters.delete(w); w.resolve(); }
      }
    },
    hold(socket) {
      held.add(socket);
      socket.once('close', () => held.delete(socket));
    },
    sleep(ms) {
      return new Promise((resolve) => {
        const s = { resolve, timer: clock.setTimeout(() => { sleepers.delete(s); resolve(true); }, ms) };
        sleepers.add(s);
      });
    },
    reset() {
      ctx.recorded.length = 0;
      ctx.requests.length = 0;
      releases.length = 0;
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
    /**
     * Resolves once `count` API requests (to `path`, or to any path when it is omitted) have been received since
     * the start or the last reset, counting those already received: wait on this instead of sleeping.
     */
    waitForRequests(path, count = 1) {
      if (countOn(path) >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ path, count, resolve }));
    },
    /** Every release callback sent so far and how it went: [{callSerialNo, status (null when it failed), error?, at}]. */
    releases: () => structuredClone(releases),
    /** Resolves once `count` release callbacks have been sent and answered (or failed) since the start or reset. */
    waitForReleases(count = 1) {
      if (releases.length >= count) return Promise.resolve();
      return new Promise((resolve) => releaseWaiters.add({ count, resolve }));
    },
    /** The state transitions of a call so far, [{state, name, at}] with simulated times; null when unknown. */
    transitions: (serial) => ctx.calls.transitions(String(serial)),
    /** The simulator's time (ms): Date.now() unless the clock is 'manual'. */
    now: () => clock.now(),
    /** 'manual' clock only: moves the time forward, running the timers that fall due (callbacks, delays). */
    advance(ms) {
      if (clock.kind !== 'manual') return Promise.reject(new Error("advance() needs the simulator's clock: 'manual'"));
      return clock.advance(ms);
    },
    /** Sign a CMS request with this simulator's AK/SK (for tests). */
    signC2: (req) => sign({ ak: options.ak, sk: options.sk, ...req }),
    close() {
      if (closing) return closing;
      ctx.callbacks.cancelAll();
      for (const s of sleepers) { clock.clearTimeout(s.timer); s.resolve(false); }
      sleepers.clear();
      for (const socket of held) socket.destroy();
      held.clear();
      closing = new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
