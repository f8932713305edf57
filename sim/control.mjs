// /__sim/ control endpoints: fault injection, recorded calls and requests, call transitions, the manual clock, reset.
import { json, gatewayError } from './respond.mjs';

export function control(req, path, body, ctx) {
  const route = `${req.method} ${path}`;
  switch (route) {
    case 'POST /__sim/fault': {
      if (!body.ok || body.value === null || typeof body.value !== 'object') return gatewayError(400, 'Invalid JSON body');
      try { ctx.faults.add(body.value); } catch (err) { return gatewayError(400, err.message); }
      return json(200, { ok: true, faults: ctx.faults.list() });
    }
    case 'GET /__sim/faults': return json(200, ctx.faults.list());
    case 'GET /__sim/calls': return json(200, ctx.recorded);
    case 'GET /__sim/requests': return json(200, ctx.requests);
    case 'GET /__sim/releases': return json(200, ctx.releases());
    case 'GET /__sim/transitions': {
      const serial = new URL(req.url, 'http://sim').searchParams.get('callSerialNo') ?? '';
      const transitions = ctx.calls.transitions(serial);
      return transitions ? json(200, transitions) : gatewayError(404, 'Call not found');
    }
    case 'GET /__sim/clock': return json(200, { clock: ctx.clock.kind, now: ctx.clock.now() });
    case 'POST /__sim/advance': {
      if (ctx.clock.kind !== 'manual') return gatewayError(400, "advance needs the simulator's clock: 'manual'");
      const ms = body.ok && body.value !== null && typeof body.value === 'object' ? body.value.ms : undefined;
      if (!Number.isFinite(ms) || ms < 0) return gatewayError(400, 'ms must be a number >= 0');
      return ctx.clock.advance(ms).then(() => json(200, { clock: 'manual', now: ctx.clock.now() }));
    }
    case 'POST /__sim/reset': ctx.reset(); return json(200, { ok: true });
    case 'GET /__sim/health': return json(200, { ok: true });
    default: return null;
  }
}
