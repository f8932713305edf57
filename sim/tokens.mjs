// Bearer tokens issued by tokenByAkSk; they expire after their ttl on the simulator's clock (real time by default).
import { randomBytes } from 'node:crypto';
import { json, gatewayError } from './respond.mjs';

export const DEFAULT_TTL = 600;
export const MAX_TTL = 3600;

export class TokenStore {
  #tokens = new Map(); // token -> { expiresAt, appKey }

  issue(appKey, ttlSeconds, now = Date.now()) {
    const token = randomBytes(32).toString('hex');
    this.#tokens.set(token, { appKey, expiresAt: now + ttlSeconds * 1000 });
    return token;
  }

  /** The token's record if it is known and unexpired, else null. */
  check(token, now = Date.now()) {
    const rec = this.#tokens.get(token);
    if (!rec) return null;
    if (now >= rec.expiresAt) { this.#tokens.delete(token); return null; }
    return rec;
  }

  revoke(token) { this.#tokens.delete(token); }
  clear() { this.#tokens.clear(); }
}

/** The bearer token of a request, or null. */
export function bearerOf(req) {
  const m = /^Bearer (\S+)\s*$/i.exec(req.headers.authorization || '');
  return m ? m[1] : null;
}

/** null when the request carries a valid bearer token (and a matching X-APP-Key if any), else a 401 reply. */
export function requireBearer(req, ctx) {
  const token = bearerOf(req);
  if (!token) return gatewayError(401, 'Unauthorized: missing Authorization: Bearer <AccessToken>');
  const rec = ctx.tokens.check(token, ctx.clock.now());
  if (!rec) return gatewayError(401, 'Unauthorized: invalid or expired access token');
  const appKey = req.headers['x-app-key'];
  if (appKey !== undefined && appKey !== rec.appKey) return gatewayError(401, 'Unauthorized: X-APP-Key does not match the token');
  return null;
}

/** POST /apigovernance/api/oauth/tokenByAkSk */
export function tokenByAkSk(req, body, ctx) {
  if (!body.ok) return gatewayError(400, 'Invalid JSON body');
  const { app_key: appKey, app_secret: appSecret } = body.value || {};
  if (appKey !== ctx.options.appKey || appSecret !== ctx.options.appSecret) {
    return gatewayError(403, 'Forbidden: invalid app_key or app_secret');
  }
  let ttl = DEFAULT_TTL;
  const raw = req.headers['x-token-expire'];
  if (raw !== undefined) {
    ttl = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!(ttl > 0 && ttl <= MAX_TTL)) return gatewayError(400, `X-Token-Expire must be 1..${MAX_TTL} seconds`);
  }
  const now = ctx.clock.now();
  const token = ctx.tokens.issue(appKey, ttl, now);
  return json(200, {
    AccessToken: token,
    ApplyType: 'Bearer',
    CreateTime: String(Math.floor(now / 1000)),
    Expires: String(ttl),
    Scope: 'default',
    AppKey: appKey,
    UserID: 'Anonymous',
  });
}
