// Test worker: the package's runtime over pkg/trap, as the workerd entry loads pkg/full.
//   GET /state          -> queryCallState of the seeded call: { stateName } (client made once per isolate)
//   GET /gateway        -> the same through a gateway made once per isolate: { status }
//   GET /trap-now       -> a trap inside a synchronous call: { kind }
//   GET /trap-in-flight -> a query held by the simulator, then a trap in an async task: { query, trap }
//   POST /aicc/...      -> the gateway; with X-Trap-After-Ms, a trap in an async task that many ms later
import wasm from '../../../../../pkg/trap/aicc_call_bg.wasm';
import * as glue from '../../../../../pkg/trap/aicc_call.js';
import { bindRuntime } from '../../../../../js/runtime.js';
import { bindGateway } from '../../../../../js/gateway.js';
import { bindState } from '../../../../../js/state.js';

glue.initSync({ module: wasm });
const runtime = bindRuntime(glue, 'workerd');
const { createGateway } = bindGateway(glue, runtime, bindState(glue, runtime));
const SERIAL = '645735364434067472';
const STATE_PATH = '/apiaccess/CC-Management/v1/mobileAgent/queryCallState';

let client;
let gateway;
const options = (env) => ({ baseUrl: env.AICC_BASE_URL, credentials: { appKey: env.AICC_APP_KEY, appSecret: env.AICC_APP_SECRET } });
const json = (value) => new Response(JSON.stringify(value), { headers: { 'Content-Type': 'application/json' } });
const outcome = (settled) => (settled.status === 'fulfilled' ? { ok: true } : { kind: settled.reason?.kind, operation: settled.reason?.operation });

export default {
  async fetch(request, env) {
    client ??= new runtime.AiccClient(options(env));
    gateway ??= createGateway({ client, authorize: () => true, allowUnknownSerials: true });
    const { pathname } = new URL(request.url);
    if (pathname.startsWith('/aicc/')) {
      const after = request.headers.get('X-Trap-After-Ms');
      if (after) runtime.track('test', () => glue.trapLater(Number(after))).catch(() => {});
      return gateway.fetch(request);
    }
    if (pathname === '/state') return json({ stateName: (await client.queryCallState({ callSerialNo: SERIAL })).stateName });
    if (pathname === '/gateway') {
      const res = await gateway.fetch(
        new Request(`http://127.0.0.1/aicc${STATE_PATH}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ callSerialNo: SERIAL }),
        }),
      );
      return json({ status: res.status });
    }
    if (pathname === '/trap-now') {
      try {
        runtime.guard('test', () => glue.trapNow());
        return json({ kind: null });
      } catch (e) {
        return json({ kind: e.kind });
      }
    }
    if (pathname === '/trap-in-flight') {
      const [query, trap] = await Promise.allSettled([
        client.queryCallState({ callSerialNo: SERIAL }),
        runtime.track('test', () => glue.trapLater(100)),
      ]);
      return json({ query: outcome(query), trap: outcome(trap) });
    }
    return new Response('not found', { status: 404 });
  },
};
