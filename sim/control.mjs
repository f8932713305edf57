// /__sim/ control endpoints: fault injection, recorded calls and requests, reset.
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
    case 'POST /__sim/reset': ctx.reset(); return json(200, { ok: true });
    case 'GET /__sim/health': return json(200, { ok: true });
    default: return null;
  }
}
