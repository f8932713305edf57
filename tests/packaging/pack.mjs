// Run before the packaging tests (scripts/test.sh): installs their pinned tools (tests/packaging/package-lock.json,
// again only when the lock changed) and packs the tarball once, the way a publish does: from a clean copy of the
// sources without pkg/, so that `prepack` has to build it. The copy keeps the files' times and sits at a fixed
// path, and its target/ is the repository's, so cargo's build stays incremental.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARBALL } from './harness.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tools = join(root, 'tests', 'packaging');
const work = join(root, 'target', 'packaging');
const copy = join(work, 'source');
const quiet = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...quiet, ...env } });

const lock = createHash('sha256').update(readFileSync(join(tools, 'package-lock.json'))).digest('hex');
const stamp = join(tools, 'node_modules', '.aicc-lock-sha256');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lock) {
  process.stderr.write('packaging: npm ci of the pinned tools (tests/packaging/package-lock.json)\n');
  run('npm', ['ci', '--no-audit', '--no-fund'], tools);
  writeFileSync(stamp, lock);
}

rmSync(copy, { recursive: true, force: true });
mkdirSync(copy, { recursive: true });
const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root)
  .split('\0')
  .filter((f) => f && existsSync(join(root, f)) && !f.startsWith('pkg/'));
execFileSync('tar', ['-c', '--null', '-T', '-', '-f', join(work, 'source.tar')], { cwd: root, input: files.join('\0') });
execFileSync('tar', ['-x', '-p', '-f', join(work, 'source.tar')], { cwd: copy });
rmSync(join(work, 'source.tar'));
symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
symlinkSync(join(root, 'target'), join(copy, 'target'));

process.stderr.write('packaging: npm pack from a clean copy (prepack builds pkg/)\n');
const out = run('npm', ['pack', '--json', '--pack-destination', work], copy);
const packed = JSON.parse(out.slice(out.search(/^\[/m))); // after whatever the build printed
renameSync(join(work, packed[0].filename), TARBALL);
process.stderr.write(`packaging: ${TARBALL} (${packed[0].entryCount} files, ${packed[0].size} bytes)\n`);
