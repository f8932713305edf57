// What the packaging tests share: the packed tarball (tests/packaging/pack.mjs makes it), tiny projects in a
// temp dir with the tarball installed, the pinned tools, the simulator and a token for pages.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSimulator, PATHS } from '../../sim/index.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TARBALL = join(ROOT, 'target', 'packaging', 'aicc-call.tgz');
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const TOOLS = fileURLToPath(new URL('./node_modules/', import.meta.url));

export const exec = promisify(execFile);
const quiet = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', NO_COLOR: '1' };

/** A tool's executable from tests/packaging/node_modules/.bin. */
export const bin = (name) => join(TOOLS, '.bin', name);

/** Why a tool's npm package brought no working binary on this machine (Bun and Deno ship per platform), or false. */
export function missing(name) {
  try {
    execFileSync(bin(name), ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return false;
  } catch (e) {
    return `${name} from npm does not run on this machine (${e.code ?? e.status})`;
  }
}

/** Runs a command; its output (stdout and stderr) is in the error when it fails. */
export async function run(cmd, args, { cwd, env = {}, timeout = 120_000 } = {}) {
  try {
    return await exec(cmd, args, { cwd, timeout, encoding: 'utf8', maxBuffer: 32 << 20, env: { ...process.env, ...quiet, ...env } });
  } catch (e) {
    e.message += `\n--- stdout\n${e.stdout ?? ''}\n--- stderr\n${e.stderr ?? ''}`;
    throw e;
  }
}

/** A temp folder holding one project per name, each with the tarball installed in its own node_modules. */
export async function projects(names, { type = 'module' } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'aicc-packaging-'));
  const base = join(work, '.install');
  mkdirSync(base);
  writeFileSync(join(base, 'package.json'), JSON.stringify({ name: 'install', private: true }));
  await run('npm', ['install', TARBALL, '--offline', '--no-package-lock', '--no-save'], { cwd: base });
  const dirs = {};
  for (const name of names) {
    const dir = join(work, name);
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    cpSync(join(base, 'node_modules', 'aicc-call'), join(dir, 'node_modules', 'aicc-call'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type }));
    dirs[name] = dir;
  }
  // installed: a project where npm itself installed the tarball (with its bin links in node_modules/.bin).
  return { dirs, work, installed: base, remove: () => rmSync(work, { recursive: true, force: true }) };
}

/** Copies a fixture folder (tests/packaging/fixtures/<name>) into a project. */
export function addFixture(dir, name) {
  cpSync(join(FIXTURES, name), dir, { recursive: true });
}

/** The simulator on 127.0.0.1 and a bearer token from it (what a page's `token()` would get from its server). */
export async function simulatorWithToken() {
  const sim = await startSimulator({ port: 0, speed: 20, log: () => {} });
  const answer = await fetch(sim.url + PATHS.token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ app_key: 'demo-app-key', app_secret: 'demo-app-secret' }),
  });
  const { AccessToken: token } = await answer.json();
  return { sim, token };
}
