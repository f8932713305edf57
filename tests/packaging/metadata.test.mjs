// The tarball as published: what `npm publish` would upload, the linters of package.json and of its types,
// and TypeScript consumers under each module resolution, strict.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, TARBALL, addFixture, bin, projects, run } from './harness.mjs';

let work;

before(async () => {
  work = await projects(['types']);
  addFixture(work.dirs.types, 'types');
});

after(() => work?.remove());

test('npm publish --dry-run lists only what a user needs: entries, types, both wasm flavours and their glue, LICENSE', async () => {
  const { stdout } = await run('npm', ['publish', '--dry-run', '--json', TARBALL], { cwd: work.work });
  const files = JSON.parse(stdout)['aicc-call'].files.map((f) => f.path).sort();
  const snippets = files.filter((f) => /^pkg\/(full|web)\/snippets\/[^/]+\/src\/[a-z-]+\.js$/.test(f));
  assert.deepEqual(files.filter((f) => !snippets.includes(f)), [
    'LICENSE', 'README.md',
    'js/browser.d.ts', 'js/browser.js', 'js/call-session.js', 'js/codes.js', 'js/deferred.js', 'js/deno.js', 'js/durable-state.js',
    'js/gateway.js', 'js/index.d.ts', 'js/names.d.ts', 'js/node-listener.js', 'js/node.js', 'js/runtime.js', 'js/state.js',
    'js/wasm.d.ts', 'js/widget-labels.js', 'js/widget.d.ts', 'js/widget.js', 'js/workerd.js',
    'package.json',
    'pkg/full/aicc_call.js', 'pkg/full/aicc_call_bg.wasm', 'pkg/web/aicc_call.js', 'pkg/web/aicc_call_bg.wasm',
  ]);
  assert.ok(snippets.length >= 2, `the glue's JS snippets: ${snippets.join(', ')}`);
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
  assert.deepEqual(Object.keys(report.analysis.entrypoints).sort(), ['.', './package.json', './server', './wasm', './widget']);
});

for (const resolution of ['bundler', 'node16', 'nodenext']) {
  test(`TypeScript, moduleResolution ${resolution}, strict: the server API from 'aicc-call/server'${resolution === 'bundler' ? ", and a page's init/ready/wasm URL" : ''}`, async () => {
    await run(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', `tsconfig.${resolution}.json`], { cwd: work.dirs.types });
  });
}
