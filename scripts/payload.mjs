// What each entry loads, followed from js/<runtime>.js through its relative imports: the JS modules (for the
// browser entry: js/browser.js, js/runtime.js, the pkg/ glue and its snippets) and the .wasm it instantiates
// (`new URL('../pkg/…/x.wasm', import.meta.url)` or `import wasm from '…/x.wasm'`), with raw and gzip -9
// sizes, file by file as a server sends them. Read from the entries, so the figures follow the layout of pkg/.
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { gzipSync, constants as zlib } from 'node:zlib';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The browser payload's budget (wasm + glue + entry JS, gzip -9): 60 KiB. */
export const BUDGET_GZIP = 60 * 1024;
export const RUNTIMES = ['browser', 'node', 'workerd'];

// Modules with side effects, as package.json's `sideEffects` lists them; any other module that an entry only
// re-exports from (`export { codes } from './codes.js'`) reaches a page only when the page uses that export:
// bundlers drop it otherwise. Those are counted apart, as `onDemand`.
const SIDE_EFFECTS = new Set(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).sideEffects.map((f) => resolve(ROOT, f)));
const reExported = (text) => [...text.matchAll(/^export\s*\{[^}]*\}\s*from\s*(['"])(\.{1,2}\/[^'"]+)\1/gm)].map(([, , spec]) => spec);
const imported = (text) => new Set([...text.matchAll(/^import\b[^;]*?(['"])(\.{1,2}\/[^'"]+)\1/gm)].map(([, , spec]) => spec));

function moduleGraph(entry) {
  const js = new Set();
  const wasm = new Set();
  const onDemand = new Set();
  const visit = (file) => {
    if (js.has(file)) return;
    js.add(file);
    const text = readFileSync(file, 'utf8');
    const used = imported(text);
    for (const spec of reExported(text)) {
      const target = resolve(dirname(file), spec);
      if (!used.has(spec) && !SIDE_EFFECTS.has(target)) onDemand.add(target);
    }
    const specifiers = /(?:\bfrom\s*|\bimport\s*\(?\s*|\bnew\s+URL\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;
    for (const [, , spec] of text.matchAll(specifiers)) {
      const target = resolve(dirname(file), spec);
      if (spec.endsWith('.wasm')) wasm.add(target);
      else if (/\.m?js$/.test(spec) && !onDemand.has(target)) visit(target);
    }
  };
  visit(entry);
  return { js: [...js], wasm: [...wasm], onDemand: [...onDemand].filter((f) => !js.has(f)) };
}

function jsFilesUnder(dir) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.js')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** The files of js/<runtime>.js's module graph; throws when a snippet of the glue is not reached. */
export function entryGraph(runtime) {
  const graph = moduleGraph(join(ROOT, `js/${runtime}.js`));
  const glues = graph.js.filter((f) => f.startsWith(join(ROOT, 'pkg') + '/') && f.endsWith('/aicc_call.js'));
  if (!glues.length) throw new Error(`${runtime}: no pkg/**/aicc_call.js reached from js/${runtime}.js`);
  for (const glue of glues) {
    const missing = jsFilesUnder(join(dirname(glue), 'snippets')).filter((f) => !graph.js.includes(f));
    if (missing.length) throw new Error(`${runtime}: snippets not reached: ${missing.map((f) => relative(ROOT, f)).join(', ')}`);
  }
  if (!graph.wasm.length) throw new Error(`${runtime}: no .wasm referenced from js/${runtime}.js's modules`);
  return graph;
}

/** Per file and in total: `{ files: [{ file, raw, gzip }], raw, gzip }`. */
export function sizeOf(files) {
  const rows = files.map((f) => {
    const bytes = readFileSync(f);
    return { file: relative(ROOT, f), raw: bytes.length, gzip: gzipSync(bytes, { level: zlib.Z_BEST_COMPRESSION }).length };
  });
  return { files: rows, raw: rows.reduce((s, r) => s + r.raw, 0), gzip: rows.reduce((s, r) => s + r.gzip, 0) };
}

/** Sizes of every entry: `{ browser: { wasm, js, total }, node: …, workerd: … }`. */
export function entrySizes() {
  const out = {};
  for (const runtime of RUNTIMES) {
    const graph = entryGraph(runtime);
    const wasm = sizeOf(graph.wasm);
    const js = sizeOf(graph.js);
    out[runtime] = { wasm, js, onDemand: sizeOf(graph.onDemand), total: { raw: wasm.raw + js.raw, gzip: wasm.gzip + js.gzip } };
  }
  return out;
}

/** The widget's budget: its own JS beyond the browser entry's payload, gzip -9 (issue 23): 6 KiB. */
export const WIDGET_BUDGET_GZIP = 6 * 1024;

/** What `import 'aicc-call/widget'` adds to a page that has the browser entry: `{ files, raw, gzip }`. */
export function widgetSize() {
  const entry = new Set(entryGraph('browser').js);
  return sizeOf(moduleGraph(join(ROOT, 'js/widget.js')).js.filter((f) => !entry.has(f)));
}
