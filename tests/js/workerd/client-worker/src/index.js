// Test worker: AiccClient runs inside workerd with its own credentials (env), no gateway in between.
//   POST /call   {caller, called, intervalMs?}  -> places a call, watches it to "ended": {callSerialNo, states, reason}
//   POST /session {caller, called} -> placeCall's session to its end: {types, events, callSerialNo, phase}
//   GET  /invalid                  -> a validation error thrown by the client: {isAiccError, kind, field, ...}
import { AiccClient, AiccError } from 'aicc-call';

const clientOf = (env) =>
  new AiccClient({
    baseUrl: env.AICC_BASE_URL,
    credentials: { appKey: env.AICC_APP_KEY, appSecret: env.AICC_APP_SECRET },
    timeoutMs: 5000,
  });

const json = (value, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'Content-Type': 'application/json' } });

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    try {
      if (pathname === '/call' && request.method === 'POST') {
        const { caller, called, intervalMs = 100 } = await request.json();
        const client = clientOf(env);
        const placed = await client.createCall({ caller, called });
        const states = [];
        let last;
        for await (const state of client.watchCall(placed.callSerialNo, { intervalMs })) {
          if (states.at(-1) !== state.stateName) states.push(state.stateName);
          last = state;
        }
        return json({ callSerialNo: placed.callSerialNo, states, reason: last?.reason ?? null, last });
      }
      if (pathname === '/session' && request.method === 'POST') {
        const { caller, called } = await request.json();
        const session = clientOf(env).placeCall({ caller, called }, { intervalMs: 100 });
        const events = [];
        for (const type of ['placing', 'placed', 'state', 'ended']) session.addEventListener(type, (e) => events.push(e.detail.type));
        const types = [];
        for await (const update of session) types.push(update.type);
        return json({ types, events, callSerialNo: session.callSerialNo, phase: session.phase });
      }
      if (pathname === '/invalid') {
        // callerPresent must be 11..14 digits (or the access code): "12" is refused before any I/O.
        await clientOf(env).createCall({ caller: '88881000', called: '13900001000', callerPresent: '12ab' });
        return json({ thrown: false });
      }
      return json({ error: 'notFound' }, 404);
    } catch (e) {
      return json({
        thrown: true,
        isAiccError: e instanceof AiccError,
        isError: e instanceof Error,
        kind: e?.kind,
        field: e?.field,
        operation: e?.operation,
        message: String(e?.message ?? e),
      });
    }
  },
};
