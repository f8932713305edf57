// The gateway's shared state: records under keys, each changed only by the core's `applyLedger`. A state is
// any object with `apply(key, command)` resolving to the outcome text; these two ship.

// Expired records are dropped on access, and all of them once every this many commands.
const SWEEP_EVERY = 1024;
// About 30 MiB of records at most by default (a record is a few hundred bytes).
const DEFAULT_MAX_RECORDS = 100_000;

export function bindState(glue, rt) {
  const invalid = (field, rule) =>
    new rt.AiccError({ message: `configuration: ${field} ${rule}`, kind: 'validation', operation: 'configuration', retryable: false, field, rule });

  // One process: Node, tests, a single gateway instance. Every isolate of a Worker would have its own.
  // At most `maxRecords` records: expired ones are dropped first, then a command that would add a record
  // fails (the gateway answers 503) until records expire. `now` is the clock (tests move it).
  function createMemoryState({ maxRecords = DEFAULT_MAX_RECORDS, now = Date.now } = {}) {
    if (!Number.isInteger(maxRecords) || maxRecords < 1) throw invalid('maxRecords', 'must be a whole number of at least 1');
    if (typeof now !== 'function') throw invalid('now', 'must be a function returning milliseconds since the epoch');
    const records = new Map(); // key -> { text, expiresAt }
    let commands = 0;
    const sweep = (at) => {
      for (const [key, entry] of records) if (entry.expiresAt <= at) records.delete(key);
    };
    return {
      async apply(key, command) {
        const at = now();
        if (++commands % SWEEP_EVERY === 0) sweep(at);
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
    if (typeof namespace?.idFromName !== 'function' || typeof namespace?.get !== 'function') {
      throw invalid('state', 'must be the Durable Object namespace binding of AiccGatewayState (env.AICC_STATE)');
    }
    return {
      apply: (key, command) => namespace.get(namespace.idFromName(key)).apply(command),
    };
  }

  return { createMemoryState, durableObjectState };
}
