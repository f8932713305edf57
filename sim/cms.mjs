// CMS openapi querybasiccallinfo, authenticated with C2 auth-v2 signatures.
import { json, rawJson, gatewayError } from './respond.mjs';
import { verify } from './c2.mjs';
import { CMS_CALLS, CMS_CC_ID, CMS_VDN } from './seed.mjs';

/** 401 reply when the request's auth-v2 signature does not verify, else null. */
export function requireC2(req, body, ctx) {
  const q = req.url.indexOf('?'); // sign over the raw path and query exactly as received
  const result = verify({
    authorization: req.headers.authorization,
    ak: ctx.options.ak,
    sk: ctx.options.sk,
    method: req.method,
    path: q < 0 ? req.url : req.url.slice(0, q),
    query: q < 0 ? '' : req.url.slice(q + 1),
    headers: req.headers,
    body: body.raw,
  });
  if (result.ok) return null;
  ctx.log.verbose(`C2 verification failed: ${result.reason}`);
  return gatewayError(401, `Unauthorized: auth-v2 signature verification failed (${result.reason})`);
}

const CALL_ID_RE = /^\d+-\d+$/;
const isInt = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;

/** POST /rest/cmsapp/v1/openapi/calldata/querybasiccallinfo */
export function queryBasicCallInfo(req, body) {
  const b = body.value;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return gatewayError(400, 'Request body must be a JSON object');
  const bad = (what) => json(200, { resultCode: '0100002', resultDesc: `Invalid parameter: ${what}` });
  if (!isInt(b.ccId, 1, 65535)) return bad('ccId must be an integer 1..65535');
  if (!isInt(b.vdn, 1, 5000)) return bad('vdn must be an integer 1..5000');
  if (typeof b.callId !== 'string' || b.callId.length > 20 || !CALL_ID_RE.test(b.callId)) {
    return bad('callId must be "<ms timestamp>-<seq>", at most 20 characters');
  }
  const text = b.ccId === CMS_CC_ID && b.vdn === CMS_VDN ? CMS_CALLS[b.callId] : undefined;
  if (!text) return json(200, { resultCode: '0100001', resultDesc: 'Failed: no call with this callId is in progress' });
  return rawJson(200, text);
}
