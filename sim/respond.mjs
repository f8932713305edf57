// Reply values and how they are written. Handlers return a reply; the router writes it.
export const JSON_TYPE = 'application/json;charset=UTF-8';

/** A JSON reply from a value (JSON.stringify). */
export function json(status, value, headers = {}) {
  return { status, type: JSON_TYPE, text: JSON.stringify(value), headers };
}

/** A JSON reply whose text is already written (used to splice bare big numbers). */
export function rawJson(status, text, headers = {}) {
  return { status, type: JSON_TYPE, text, headers };
}

export function text(status, body, type = 'text/plain;charset=UTF-8') {
  return { status, type, text: body, headers: {} };
}

/** Gateway-style error body shared by 400/401/403/404 replies. */
export function gatewayError(status, message) {
  return json(status, { error_code: `SIM.${String(status).padStart(4, '0')}`, error_msg: message });
}

export const CORS_ALLOW_METHODS = 'GET, POST, OPTIONS';
export const CORS_ALLOW_HEADERS = 'Authorization, Content-Type, X-APP-Key, X-Token-Expire, X-TenantSpaceID';

export function corsHeaders(req) {
  return { 'Access-Control-Allow-Origin': req.headers.origin || '*', Vary: 'Origin' };
}

export function preflight(req) {
  return {
    status: 204, type: null, text: '',
    headers: {
      'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
      'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
      'Access-Control-Max-Age': '600',
    },
  };
}

export function write(req, res, reply) {
  if (res.destroyed || res.writableEnded) return;
  const headers = { ...corsHeaders(req), ...reply.headers };
  if (reply.type) headers['Content-Type'] = reply.type;
  const body = Buffer.from(reply.text ?? '', 'utf8');
  headers['Content-Length'] = String(body.length);
  res.writeHead(reply.status, headers);
  res.end(body);
}
