// The worker's variables, checked before anything is served: a missing secret, a placeholder left from
// wrangler.toml or a callback set-up that cannot work is one error naming the variable, in the log and to the
// page, instead of a bare 500 or a feature silently turned off. Only names are ever reported, never values.

const PLACEHOLDER = /^replace-with-/;
const MIN_CALLBACK_SECRET_LENGTH = 16;
// An HS256 secret shorter than this could be guessed offline from one token.
const MIN_JWT_SECRET_LENGTH = 32;

const present = (value) => typeof value === 'string' && value.trim() !== '';
const allowedOrigins = (env) => (env.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);

function problems(env) {
  const found = [];
  const require = (name, how) => {
    if (!present(env[name])) found.push(`${name} is not set (${how})`);
    else if (PLACEHOLDER.test(env[name].trim())) found.push(`${name} is still the placeholder of wrangler.toml (${how})`);
  };
  const url = (name) => {
    if (!present(env[name])) return;
    try {
      const { protocol } = new URL(env[name].trim());
      if (protocol !== 'https:' && protocol !== 'http:') found.push(`${name} must be an http(s) URL`);
    } catch {
      found.push(`${name} must be an absolute URL such as https://example.com`);
    }
  };

  require('AICC_BASE_URL', 'a [vars] entry: the AICC service address');
  url('AICC_BASE_URL');
  require('AICC_APP_KEY', 'a [vars] entry: the app key of your AICC tenant');
  require('AICC_APP_SECRET', 'a secret: npx wrangler secret put AICC_APP_SECRET');

  if (present(env.SESSION_JWT_SECRET) && present(env.SESSION_JWT_PUBLIC_KEY)) {
    found.push('SESSION_JWT_SECRET and SESSION_JWT_PUBLIC_KEY are both set: keep one (HS256 secret or RS256 public key)');
  } else if (!present(env.SESSION_JWT_SECRET) && !present(env.SESSION_JWT_PUBLIC_KEY)) {
    found.push('SESSION_JWT_SECRET (HS256) or SESSION_JWT_PUBLIC_KEY (RS256) is not set: the gateway cannot check session tokens');
  } else if (present(env.SESSION_JWT_SECRET) && env.SESSION_JWT_SECRET.length < MIN_JWT_SECRET_LENGTH) {
    found.push(`SESSION_JWT_SECRET must be at least ${MIN_JWT_SECRET_LENGTH} characters`);
  }

  if (present(env.CALLBACK_SECRET)) {
    if (env.CALLBACK_SECRET.length < MIN_CALLBACK_SECRET_LENGTH) {
      found.push(`CALLBACK_SECRET must be at least ${MIN_CALLBACK_SECRET_LENGTH} characters (or unset, for no release callbacks)`);
    }
    if (!present(env.PUBLIC_URL)) found.push('PUBLIC_URL is not set: release callbacks (CALLBACK_SECRET) need the worker\'s public origin');
    url('PUBLIC_URL');
  }

  if (present(env.AICC_CMS_AK) !== present(env.AICC_CMS_SK)) {
    found.push('AICC_CMS_AK and AICC_CMS_SK go together: set both (for querybasiccallinfo) or neither');
  }
  if (present(env.AICC_CMS_AK)) url('AICC_CMS_BASE_URL');

  for (const name of ['CREATE_CALL_PER_MINUTE', 'CREATE_CALL_PER_DAY']) {
    if (present(env[name]) && !/^[1-9][0-9]*$/.test(env[name].trim())) found.push(`${name} must be a whole number above 0, or unset`);
  }
  return found;
}

/**
 * The worker's settings from its env, or the problems that stop it: `{ settings }` or `{ problems: string[] }`.
 * @param {Record<string, string | undefined>} env
 */
export function readConfig(env) {
  const found = problems(env);
  if (found.length > 0) return { problems: found };
  const publicUrl = present(env.PUBLIC_URL) ? env.PUBLIC_URL.trim().replace(/\/+$/, '') : undefined;
  const limit = (value) => (present(value) ? Number(value) : undefined);
  return {
    settings: {
      baseUrl: env.AICC_BASE_URL.trim(),
      cmsBaseUrl: present(env.AICC_CMS_BASE_URL) ? env.AICC_CMS_BASE_URL.trim() : undefined,
      credentials: { appKey: env.AICC_APP_KEY.trim(), appSecret: env.AICC_APP_SECRET },
      cmsCredentials: present(env.AICC_CMS_AK) ? { ak: env.AICC_CMS_AK, sk: env.AICC_CMS_SK } : undefined,
      origins: allowedOrigins(env),
      callbackSecret: present(env.CALLBACK_SECRET) ? env.CALLBACK_SECRET : undefined,
      publicUrl,
      allowUnknownSerials: env.ALLOW_UNKNOWN_SERIALS === 'true',
      createCallPerMinute: limit(env.CREATE_CALL_PER_MINUTE),
      createCallPerDay: limit(env.CREATE_CALL_PER_DAY),
    },
  };
}

/**
 * The answer to every request while the worker is misconfigured: 500 with a JSON body the page's AiccClient
 * shows (`error`, `message`), readable by an allowed origin.
 */
export function misconfigured(request, env, found) {
  const origin = request.headers.get('Origin');
  const allowed = origin !== null && allowedOrigins(env).includes(origin);
  const headers = { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' };
  if (allowed) Object.assign(headers, { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
  if (request.method === 'OPTIONS' && allowed) {
    // Lets the page's request through to the answer below, which says what is wrong.
    Object.assign(headers, { 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type, Authorization' });
    return new Response(null, { status: 204, headers });
  }
  const message = `the gateway is misconfigured: ${found.join('; ')}`;
  return new Response(JSON.stringify({ error: 'gatewayMisconfigured', message }), { status: 500, headers });
}
