// getCalledInfo and queryCallInfoByCallId, answered from seed.mjs.
import { json, rawJson, gatewayError } from './respond.mjs';
import { CALLED_INFO, CALL_INFO } from './seed.mjs';

const asText = (v) => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);

/** POST /apiaccess/CC-Management/v1/mobileAgent/getCalledInfo — caller/called as strings or numbers. */
export function getCalledInfo(req, body) {
  const b = body.value;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return gatewayError(400, 'Request body must be a JSON object');
  const called = asText(b.called);
  if (!called) return json(200, { retMsg: 'The called party ID cannot be obtained', retCode: '4' });
  const info = CALLED_INFO[called];
  if (!info) return json(200, { retMsg: 'Called is not configured', retCode: '5' });
  return json(200, { retMsg: 'success', retCode: '0', result: info });
}

/** POST /apiaccess/rest/workbench/v1/queryCallInfoByCallId — matched on callId + tenantId. */
export function queryCallInfoByCallId(req, body) {
  const b = body.value;
  if (b === null || typeof b !== 'object' || Array.isArray(b)) return gatewayError(400, 'Request body must be a JSON object');
  const fields = ['callId', 'userId', 'tenantId', 'agentId'].map((k) => asText(b[k]));
  if (fields.some((v) => !v)) return gatewayError(400, 'callId, userId, tenantId and agentId are required');
  const [callId, , tenantId] = fields;
  const rec = CALL_INFO.find((r) => r.callId === callId && r.tenantId === tenantId);
  if (!rec) return gatewayError(404, 'Call not found');
  return rawJson(200, rec.text);
}
