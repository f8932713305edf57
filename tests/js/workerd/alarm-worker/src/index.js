// Test worker: the package's AiccGatewayState with a movable clock and test-only RPC methods, so a test can run
// its alarm at any simulated time without waiting for it.
//   POST /do  [{ name, method, args }]  -> runs each method on the object named `name` (all at once) and answers
//                                          their results in order ({ error } for one that threw)
// Methods: apply(commandText) (the package's), setClock(ms) (null: back to Date.now()), runAlarm(), inspect().
import { AiccGatewayState } from 'aicc-call';

export class TestGatewayState extends AiccGatewayState {
  clock = null;

  now() {
    return this.clock ?? Date.now();
  }

  setClock(ms) {
    this.clock = ms;
    return this.now();
  }

  /**
   * Runs the alarm handler now, at the object's clock, as workerd does when the alarm fires: the alarm that fired
   * is no longer set while the handler runs (it stays set only if the handler sets it again).
   */
  async runAlarm() {
    await this.ctx.storage.deleteAlarm();
    await this.alarm();
    return this.inspect();
  }

  /** What the object keeps: every storage key, the record, and the alarm set (ms, or null). */
  async inspect() {
    const storage = this.ctx.storage;
    const keys = [...(await storage.list()).keys()];
    return { keys, record: (await storage.get('record')) ?? null, alarm: await storage.getAlarm() };
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/do') return new Response('not found', { status: 404 });
    const steps = await request.json();
    const results = await Promise.all(steps.map(async ({ name, method, args = [] }) => {
      try {
        const stub = env.STATE.get(env.STATE.idFromName(name));
        return { value: await stub[method](...args) };
      } catch (e) {
        return { error: String(e?.message ?? e) };
      }
    }));
    return Response.json(results);
  },
};
