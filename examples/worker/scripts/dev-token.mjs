// Prints a session token for local development, as the CRM backend would issue it: signed with
// SESSION_JWT_SECRET from .dev.vars, for agent 101 with caller 88889050, valid 8 hours.
// usage: npm run token [-- <agentWorkNo> <caller>]
import { readFileSync } from 'node:fs';
import { SignJWT } from 'jose';

const vars = Object.fromEntries(
  readFileSync(new URL('../.dev.vars', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => /^\s*([A-Z_]+)\s*=\s*"?([^"]*)"?\s*$/.exec(line))
    .filter(Boolean)
    .map(([, name, value]) => [name, value]),
);
if (!vars.SESSION_JWT_SECRET) throw new Error('.dev.vars has no SESSION_JWT_SECRET (copy .dev.vars.example to .dev.vars)');
const [agentWorkNo = '101', caller = '88889050'] = process.argv.slice(2);
const token = await new SignJWT({ agentWorkNo, callers: [caller] })
  .setProtectedHeader({ alg: 'HS256' })
  .setIssuedAt()
  .setExpirationTime('8h')
  .sign(new TextEncoder().encode(vars.SESSION_JWT_SECRET));
process.stdout.write(`${token}\n`);
