// HTTP routing: body reading, CORS, control endpoints, fault injection, auth and API handlers.
import { write, preflight, text, gatewayError, json } from './respond.mjs';
import { tokenByAkSk, requireBearer, bearerOf } from './tokens.mjs';
import { createCall, queryCallState } from './calls.mjs';
import { queryCallDetailRecord } from './records.mjs';
import { getCalledInfo, queryCallInfoByCallId } from './lookup.mjs';
import { requireC2, queryBasicCallInfo } from './cms.mjs';
import { faultReply } from './faults.mjs';
import { control } from './control.mjs';

export const PATHS = {
  token: '/apigovernance/api/oauth/tokenByAkSk',
  createCall: '/apiaccess/CC-Management/v1/mobileAgent/createCall',
  queryCallState: '/apiaccess/CC-Management/v1/mobileAgent/queryCallState',
  getCalledInfo: '/apiaccess/CC-Management/v1/mobileAgent/getCalledInfo',
  queryCallInfoByCallId: '/apiaccess/rest/workbench/v1/queryCallInfoByCallId',
  queryBasicCallInfo: '/rest/cmsapp/v1/openapi/calldata/querybasiccallinfo',
  queryCallDetailRecord: '/apiaccess/CC-Management/v1/mobileAgent/queryCallDetailRecord',
};

const ROUTES = new Map([
  [`POST ${PATHS.token}`, { auth: null, handler: tokenByAkSk }],
  [`POST ${PATHS.createCall}`, { auth: 'bearer', handler: createCall }],
  [`POST ${PATHS.queryCallState}`, { auth: 'bearer', handler: queryCallState }],
  [`POST ${PATHS.getCalledInfo}`, { auth: 'bearer', handler: getCalledInfo }],
  [`POST ${PATHS.queryCallInfoByCallId}`, { auth: 'bearer', handler: queryCallInfoByCallId }],
  [`POST ${PATHS.queryBasicCallInfo}`, { auth: 'c2', handler: queryBasicCallInfo }],
  [`POST ${PATHS.queryCallDetailRecord}`, { auth: 'bearer', handler: queryCallDetailRecord }],
]);

const MAX_BODY = 1024 * 1024;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => { size += c.length; if (size <= MAX_BODY) chunks.push(c); });
    req.on('end', () => resolve({ raw: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY }));
    req.on('error', reject);
  });
}

function parseBody(raw) {
  try { return { raw, ok: true, value: JSON.parse(raw) }; } catch { return { raw, ok: false, value: undefined }; }
}

function withoutAuthorization(headers) {
  const out = { ...headers };
  delete out.authorization;
  return out;
}

export function createHandler(ctx) {
  return async function handle(req, res) {
    let status = null;
    let record = null; // the /__sim/calls entry when this is a createCall
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    let answerLost = false; // the answer-lost fault: handled, then the connection is dropped
    let held = false; // the hold fault: handled, then no answer until the client (or close()) ends the connection
    const send = (reply) => {
      if (answerLost) { status = 'answer lost'; req.socket.destroy(); return; }
      if (held) { status = 'held'; ctx.hold(req.socket); return; }
      status = reply.status;
      write(req, res, reply);
    };
    try {
      const { raw, tooLarge } = await readBody(req);
      if (req.method === 'OPTIONS') return send(preflight(req));
      const body = parseBody(raw);

      if (path.startsWith('/__sim/')) {
        const answer = await control(req, path, body, ctx); // POST /__sim/advance answers once the timers ran
        return send(answer ?? text(404, `not expected: ${req.method} ${path}`));
      }

      const at = new Date(ctx.clock.now()).toISOString();
      if (req.method === 'POST' && path === PATHS.createCall) {
        record = { at, headers: withoutAuthorization(req.headers), body: body.ok ? body.value : null, retCode: null, status: null };
        if (!body.ok) record.rawBody = raw;
        ctx.recorded.push(record);
      }
      ctx.noteRequest({ method: req.method, path, at }); // wakes waitForRequests() once the request is recorded

      const fault = ctx.faults.take(path);
      if (fault) {
        if (record) record.fault = fault;
        ctx.log.verbose(`${req.method} ${path} -> fault ${fault}`);
        if (fault === 'drop') { req.socket.destroy(); return; }
        if (fault === 'answer-lost') answerLost = true;
        if (fault === 'hold') held = true;
        const reply = faultReply(fault);
        if (reply) return send(reply);
        if (fault.startsWith('delay:')) {
          const alive = await ctx.sleep(Number(fault.slice(6)));
          if (!alive) { req.socket.destroy(); return; }
        } else if (fault === 'expire-token') {
          const token = bearerOf(req);
          if (token) ctx.tokens.revoke(token);
        }
      }

      const route = ROUTES.get(`${req.method} ${path}`);
      if (!route) return send(text(404, `not expected: ${req.method} ${path}`));
      if (tooLarge) return send(gatewayError(413, 'Request body too large'));
      if (route.auth === 'bearer') {
        const denied = requireBearer(req, ctx);
        if (denied) return send(denied);
      } else if (route.auth === 'c2') {
        const denied = requireC2(req, body, ctx);
        if (denied) return send(denied);
      }
      if (!body.ok) return send(gatewayError(400, 'Invalid JSON body'));
      const out = route.handler(req, body, ctx);
      if (out && out.reply) {
        if (record) record.retCode = out.retCode;
        return send(out.reply);
      }
      return send(out);
    } catch (err) {
      ctx.log.error(`internal error on ${req.method} ${path}: ${err && err.message}`);
      if (!res.headersSent) send(json(500, { error_code: 'SIM.0500', error_msg: 'Simulator internal error' }));
      else res.destroy();
    } finally {
      if (record) record.status = status;
      if (!path.startsWith('/__sim/') && req.method !== 'OPTIONS') ctx.log.verbose(`${req.method} ${path} -> ${status ?? 'dropped'}`);
    }
  };
}
