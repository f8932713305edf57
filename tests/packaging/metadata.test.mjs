// The tarball as published: what `npm publish` would upload, the linters of package.json and of its types,
// and TypeScript consumers under each module resolution, strict.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TARBALL, addFixture, bin, projects, run } from './harness.mjs';

let work;

// The simulator, its CLI (bin aicc-sim) and the demo it serves with --demo.
const SIMULATOR = [
  'sim/c2.mjs', 'sim/callback.mjs', 'sim/calls.mjs', 'sim/clock.mjs', 'sim/cms.mjs', 'sim/control.mjs', 'sim/demo.mjs',
  'sim/faults.mjs', 'sim/index.d.ts', 'sim/index.mjs', 'sim/lookup.mjs', 'sim/outcomes.mjs', 'sim/records.mjs',
  'sim/respond.mjs', 'sim/router.mjs', 'sim/seed.mjs', 'sim/server.mjs', 'sim/static-server.mjs', 'sim/tokens.mjs',
  'www/app.js', 'www/index.html', 'www/style.css',
];

before(async () => {
  work = await projects(['types']);
  addFixture(work.dirs.types, 'types');
});

after(() => work?.remove());

test('npm publish --dry-run lists only what a user needs: entries, types, both wasm flavours and their glue, the simulator, LICENSE, CHANGELOG', async () => {
  const { stdout } = await run('npm', ['publish', '--dry-run', '--json', TARBALL], { cwd: work.work });
  const files = JSON.parse(stdout)['aicc-call'].files.map((f) => f.path).sort();
  const snippets = files.filter((f) => /^pkg\/(full|web)\/snippets\/[^/]+\/src\/[a-z-]+\.js$/.test(f));
  assert.deepEqual(files.filter((f) => !snippets.includes(f)), [
    'CHANGELOG.md', 'LICENSE', 'README.md',
    'js/browser-loader.js', 'js/browser.d.ts', 'js/browser.js', 'js/call-session.js', 'js/client.d.ts', 'js/codes.js', 'js/deno.js',
    'js/durable-state.js', 'js/gateway.js', 'js/index.d.ts', 'js/names.d.ts', 'js/node-listener.js', 'js/node.js', 'js/runtime.js',
    'js/state.js', 'js/wasm.d.ts', 'js/widget-labels.js', 'js/widget-react.d.ts', 'js/widget-react.js', 'js/widget.d.ts', 'js/widget.js',
    'js/workerd.js',
    'package.json',
    'pkg/full/aicc_call.js', 'pkg/full/aicc_call_bg.wasm', 'pkg/web/aicc-error.js', 'pkg/web/aicc_call.js', 'pkg/web/aicc_call_bg.wasm',
    ...SIMULATOR,
  ]);
  assert.ok(snippets.length >= 2, `the glue's JS snippets: ${snippets.join(', ')}`);
});

test("the tarball's CHANGELOG.md has a dated section for its package.json version, and a Versioning paragraph", async () => {
  const read = async (file) => (await run('tar', ['-xzf', TARBALL, '-O', `package/${file}`])).stdout;
  const { version } = JSON.parse(await read('package.json'));
  const changelog = await read('CHANGELOG.md');
  const escaped = version.replace(/\./g, '\\.');
  assert.match(changelog, new RegExp(`^## ${escaped} — \\d{4}-\\d{2}-\\d{2}$`, 'm'), `no "## ${version} — YYYY-MM-DD" section`);
  assert.match(changelog, /^## Versioning$/m);
});

test("the tarball's README.md, as the npm page shows it: at most 250 lines, its contents list every section, every link absolute to a file of the repository", async () => {
  const readme = (await run('tar', ['-xzf', TARBALL, '-O', 'package/README.md'])).stdout;
  assert.ok(readme.split('\n').length <= 250, `${readme.split('\n').length} lines`);
  const anchor = (heading) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
  const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]).filter((h) => h !== 'Contents');
  const contents = readme.slice(readme.indexOf('## Contents'), readme.indexOf('\n## ', readme.indexOf('## Contents') + 1));
  assert.deepEqual([...contents.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]), sections.map(anchor));
  const REPO = 'https://github.com/aicc-call/aicc-call/';
  for (const [, target] of readme.matchAll(/\]\(([^)]+)\)/g)) {
    if (target.startsWith('#')) continue;
    assert.ok(/^https:\/\//.test(target), `a relative link breaks on the npm page: ${target}`);
    if (!target.startsWith(REPO)) continue;
    const path = target.slice(REPO.length).replace(/^(blob|tree)\/main\//, '').replace(/#.*$/, '');
    assert.ok(existsSync(join(ROOT, path)), `${target}: no ${path} in the repository`);
  }
});

test('publint finds nothing, not even a suggestion', async () => {
  const { stdout } = await run(bin('publint'), ['run', TARBALL, '--strict', '--level', 'suggestion']);
  assert.match(stdout, /All good!/, stdout);
});

test('@arethetypeswrong/cli --profile esm-only finds no problem in any entry point', async () => {
  const { stdout } = await run(bin('attw'), [TARBALL, '--profile', 'esm-only', '--format', 'json']);
  const report = JSON.parse(stdout); // it exits non-zero on a problem the profile counts; its JSON lists them all
  const counted = report.analysis.problems.filter((p) => !['node10', 'node16-cjs'].includes(p.resolutionKind));
  assert.deepEqual(counted, [], JSON.stringify(counted, null, 2));
  assert.deepEqual(Object.keys(report.analysis.entrypoints).sort(), ['.', './package.json', './server', './simulator', './wasm', './widget', './widget/react']);
});

for (const resolution of ['bundler', 'node16', 'nodenext']) {
  test(`TypeScript, moduleResolution ${resolution}, strict: the server API from 'aicc-call/server'${resolution === 'bundler' ? ", and a page's init/ready/wasm URL" : ", and a test on 'aicc-call/simulator'"}`, async () => {
    await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${resolution}.json`], { cwd: work.dirs.types });
  });
}
