// The gateway's shared state: records under keys, each changed only by the core's `applyLedger`. A state is
// any object with `apply(key, command)` resolving to the outcome text; these two ship.

// Expired records are dropped on access, and all of them once every this many commands.
const SWEEP_EVERY = 1024;

export function bindState(glue, rt) {
  // One process: Node, tests, a single gateway instance. Every isolate of a Worker would have its own.
  function createMemoryState() {
    const records = new Map(); // key -> { text, expiresAt }
    let commands = 0;
    const sweep = (now) => {
      for (const [key, entry] of records) if (entry.expiresAt <= now) records.delete(key);
    };
    return {
      async apply(key, command) {
        const now = Date.now();
        if (++commands % SWEEP_EVERY === 0) sweep(now);
        let entry = records.get(key);
        if (entry && entry.expiresAt <= now) {
          records.delete(key);
          entry = undefined;
        }
        const applied = rt.guard('gateway', () => glue.applyLedger(command, entry?.text, now));
        if (applied.write !== undefined) records.set(key, { text: applied.write, expiresAt: applied.expiresAt });
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
      const rule = 'must be the Durable Object namespace binding of AiccGatewayState (env.AICC_STATE)';
      throw new rt.AiccError({ message: `configuration: state ${rule}`, kind: 'validation', operation: 'configuration', retryable: false, field: 'state', rule });
    }
    return {
      apply: (key, command) => namespace.get(namespace.idFromName(key)).apply(command),
    };
  }

  return { createMemoryState, durableObjectState };
}
