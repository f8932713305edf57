// C2 "auth-v2" signing and verification (CMS openapi, e.g. querybasiccallinfo).
//
// prefix     = "auth-v2/" + AK + "/" + ts + "/" + signedHeaders
// signingKey = hex(HMAC-SHA256(SK, prefix))          (used as an ASCII key)
// canonical  = METHOD \n URI \n [query \n] signedHeaders \n headers \n enc(body)
//   query    = sorted enc(k)=enc(v) joined by "&" (line present only when there is a query)
//   headers  = sorted enc(lower(name)):enc(value) joined by "\n"
// signature  = hex(HMAC-SHA256(signingKey, canonical))
// Authorization: prefix + "/" + signature
import { createHmac, timingSafeEqual } from 'node:crypto';

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encode every UTF-8 byte except A-Z a-z 0-9 - . _ ~ (uppercase %XX). */
export function encode(value) {
  let out = '';
  for (const byte of Buffer.from(String(value), 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** UTC "yyyy-MM-dd'T'HH:mm:ss'Z'" for a millisecond timestamp. */
export function formatTimestamp(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function hmacHex(key, message) {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/** Parse a raw query string ("a=1&b=2", without "?") into [key, value] pairs. */
export function parseQuery(query) {
  if (!query) return [];
  return query.split('&').filter(Boolean).map((part) => {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    return [safeDecode(k), safeDecode(v)];
  });
}

function safeDecode(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

/**
 * Canonical request text.
 * @param {{method:string, path:string, query?:Array<[string,string]>|string, signedHeaders:string[],
 *          headers:Record<string,string>, body?:string}} r  headers keyed by lowercase name
 */
export function canonicalRequest({ method, path, query = [], signedHeaders, headers, body = '' }) {
  const pairs = typeof query === 'string' ? parseQuery(query) : query;
  const lines = [method.toUpperCase(), path];
  if (pairs.length) {
    lines.push(pairs.map(([k, v]) => [encode(k), encode(v)])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`).join('&'));
  }
  const names = [...signedHeaders].map((n) => n.toLowerCase()).sort();
  lines.push(names.join(';'));
  lines.push(names.map((n) => `${encode(n)}:${encode(String(headers[n] ?? '').trim())}`).join('\n'));
  lines.push(encode(body));
  return lines.join('\n');
}

/**
 * Build the Authorization value.
 * @param {{ak:string, sk:string, method:string, path:string, query?:any, headers:Record<string,string>,
 *          body?:string, time?:number, signedHeaders?:string[]}} r
 */
export function sign({ ak, sk, method, path, query, headers, body = '', time = Date.now(), signedHeaders = ['host'] }) {
  const lower = lowerKeys(headers);
  const names = [...signedHeaders].map((n) => n.toLowerCase()).sort();
  const prefix = `auth-v2/${ak}/${formatTimestamp(time)}/${names.join(';')}`;
  const signingKey = hmacHex(sk, prefix);
  const signature = hmacHex(signingKey, canonicalRequest({ method, path, query, signedHeaders: names, headers: lower, body }));
  return `${prefix}/${signature}`;
}

function lowerKeys(headers) {
  const out = {};
  for (const [k, v] of Object.entries(headers || {})) out[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : String(v);
  return out;
}

const AUTH_RE = /^auth-v2\/([^/]+)\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)\/([a-z0-9\-_;]+)\/([0-9a-f]{64})$/;

/**
 * Verify an Authorization value against a received request.
 * @returns {{ok:true} | {ok:false, reason:string}}  (reason never contains secrets)
 */
export function verify({ authorization, ak, sk, method, path, query, headers, body = '', now = Date.now(), skewMs = 15 * 60 * 1000 }) {
  const m = AUTH_RE.exec(String(authorization || '').trim());
  if (!m) return { ok: false, reason: 'malformed auth-v2 Authorization' };
  const [, gotAk, ts, signed, signature] = m;
  if (gotAk !== ak) return { ok: false, reason: 'unknown AK' };
  const time = Date.parse(ts);
  if (!Number.isFinite(time) || Math.abs(now - time) > skewMs) return { ok: false, reason: 'timestamp outside the allowed window' };
  const names = signed.split(';');
  if (!names.includes('host')) return { ok: false, reason: 'host must be signed' };
  const lower = lowerKeys(headers);
  for (const n of names) if (!(n in lower)) return { ok: false, reason: `signed header missing: ${n}` };
  const expected = sign({ ak, sk, method, path, query, headers: lower, body, time, signedHeaders: names });
  const a = Buffer.from(expected.slice(expected.lastIndexOf('/') + 1));
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
