// The Durable Object behind durableObjectState(): one object per key holds that key's record, and runs each
// command with the core's `applyLedger` between a read and a write of its storage, which no other event of
// the object can interleave. An alarm deletes the record once it has expired. The time is read through now()
// (Date.now()), which tests override to move an object's clock without waiting.
import { DurableObject } from 'cloudflare:workers';

const RECORD = 'record';

export function bindDurableState(glue, rt) {
  return class AiccGatewayState extends DurableObject {
    /** The time the records are judged by, in milliseconds. */
    now() {
      return Date.now();
    }

    async apply(command) {
      const storage = this.ctx.storage;
      const stored = await storage.get(RECORD);
      const now = this.now();
      const live = stored && stored.expiresAt > now ? stored.text : undefined;
      const applied = rt.guard('gateway', () => glue.applyLedger(command, live, now));
      if (applied.write !== undefined) {
        storage.put(RECORD, { text: applied.write, expiresAt: applied.expiresAt });
        if (applied.expiresAt !== stored?.expiresAt) storage.setAlarm(applied.expiresAt);
      }
      return applied.outcome;
    }

    async alarm() {
      const stored = await this.ctx.storage.get(RECORD);
      if (stored && stored.expiresAt > this.now()) await this.ctx.storage.setAlarm(stored.expiresAt);
      else await this.ctx.storage.deleteAll();
    }
  };
}
