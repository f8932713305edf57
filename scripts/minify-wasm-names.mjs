// Shortens the names between the browser build's wasm and its glue (usage: node scripts/minify-wasm-names.mjs
// pkg/web): wasm-bindgen names its imports `__wbg_<name>_<16 hex digits>` and its closure exports after their
// Rust types, about 5 KB of names that do not compress, written in both files. binaryen renames them in the
// .wasm (one import module, names of one or two letters) and prints the renaming; the same renaming is applied
// here to the glue, before it is minified. Every rename must apply exactly once: a wasm-bindgen upgrade that
// changes the glue's shape fails the build. The producers and target-features sections go too.
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const dir = process.argv[2];
const wasmFile = join(dir, 'aicc_call_bg.wasm');
const glueFile = join(dir, 'aicc_call.js');
const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-reference-types', '--enable-multivalue'];
const printed = execFileSync('node_modules/.bin/wasm-opt',
  [...features, '--minify-imports-and-exports-and-modules', '--strip-producers', '--strip-target-features', wasmFile, '-o', wasmFile], { encoding: 'utf8' });
// binaryen prints JSON with trailing commas
const renaming = JSON.parse(printed.slice(printed.indexOf('{')).replace(/,(\s*[\]}])/g, '$1'));
const [module, ...others] = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmFile))).map((i) => i.module));
if (others.length) throw new Error(`minify-wasm-names: expected one import module, found ${[module, ...others].join(', ')}`);

let glue = readFileSync(glueFile, 'utf8');
function replaceOnce(from, to) {
  const found = glue.split(from).length - 1;
  if (found !== 1) throw new Error(`minify-wasm-names: expected one ${JSON.stringify(from)} in ${glueFile}, found ${found}`);
  glue = glue.replace(from, to);
}

// The import object: `return { __proto__: null, "./aicc_call_bg.js": import0, "<snippet>": import1, ... };`
const returned = /return \{\n\s*__proto__: null,\n((?:\s*"[^"]+": import\d+,\n)+)\s*\};/.exec(glue);
if (!returned) throw new Error('minify-wasm-names: the import object of the glue was not found');
const variableOf = new Map([...returned[1].matchAll(/"([^"]+)": (import\d+)/g)].map(([, path, variable]) => [path, variable]));
const own = variableOf.get('./aicc_call_bg.js');
const fromSnippets = [];
for (const [from, name, to] of renaming.imports) {
  if (from === './aicc_call_bg.js') replaceOnce(`\n        ${name}: function(`, `\n        ${to}: function(`);
  else if (variableOf.has(from)) fromSnippets.push(`${to}: ${variableOf.get(from)}.${name}`);
  else throw new Error(`minify-wasm-names: no import variable for ${from}`);
}
replaceOnce(returned[0], `return { __proto__: null, ${JSON.stringify(module)}: { ...${own}, ${fromSnippets.join(', ')} } };`);

// Exports the glue never reads (wasm-bindgen's `__abort_handler`, `__instance_terminated`) keep no JS name.
for (const [name, to] of renaming.exports) glue = glue.replace(new RegExp(`\\bwasm\\.${name}\\b`, 'g'), `wasm.${to}`);
const exported = new Set(renaming.exports.map(([, to]) => to));
const stale = [...glue.matchAll(/\bwasm\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]).filter((name) => !exported.has(name));
if (stale.length) throw new Error(`minify-wasm-names: the glue reads exports the wasm no longer has: ${[...new Set(stale)].join(', ')}`);
writeFileSync(glueFile, glue);
