// The gateway's shared state: records under keys, each changed only by the core's `applyLedger`. A state is
// any object with `apply(key, command)` returning the outcome text or a promise of it; these two ship.

export function bindState(glue, rt) {
  // One process: Node, tests, a single gateway instance. Every isolate of a Worker would have its own.
  // At most `maxRecords` records: expired ones are dropped first, then a command that would add a record
  // fails (the gateway answers 503) until records expire. `now` is the clock (tests move it). The core checks
  // the options and gives the defaults; expired records are dropped on access, and all of them every
  // `sweepEvery` commands.
  function createMemoryState(options = {}) {
    const { maxRecords, sweepEvery } = rt.guard('configuration', () => glue.memoryStateLimits(options));
    const now = options.now ?? Date.now;
    const records = new Map(); // key -> { text, expiresAt }
    let commands = 0;
    const sweep = (at) => {
      for (const [key, entry] of records) if (entry.expiresAt <= at) records.delete(key);
    };
    return {
      // The outcome at once, not a promise: the gateway then waits on no promise and arms no timer for it.
      apply(key, command) {
        const at = now();
        if (++commands % sweepEvery === 0) sweep(at);
        let entry = records.get(key);
        if (entry && entry.expiresAt <= at) {
          records.delete(key);
          entry = undefined;
        }
        const applied = rt.guard('gateway', () => glue.applyLedger(command, entry?.text, at));
        if (applied.write !== undefined) {
          if (!entry && records.size >= maxRecords) sweep(at);
          if (!entry && records.size >= maxRecords) throw new Error(`the memory state is full (${maxRecords} records)`);
          records.set(key, { text: applied.write, expiresAt: applied.expiresAt });
        }
        return applied.outcome;
      },
      get size() {
        return records.size;
      },
    };
  }

  // Cloudflare: one AiccGatewayState Durable Object per key (a session's counters, a call's owner), so each
  // decision runs in one place for every isolate, and the load spreads over many objects.
  function durableObjectState(namespace) {
    rt.guard('configuration', () => glue.checkStateNamespace(namespace));
    return {
      apply: (key, command) => namespace.get(namespace.idFromName(key)).apply(command),
    };
  }

  return { createMemoryState, durableObjectState };
}
