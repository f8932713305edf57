// Makes the glue's futures queue (js-sys's, which polls every Rust future of the wasm) schedule its polls with
// `then()` on a settled promise instead of the global `queueMicrotask` (usage: node scripts/glue-microtasks.mjs
// pkg/<flavour>/aicc_call.js). The queue asks the global for `queueMicrotask` once, when it is made, and uses
// its own settled promise when there is none: the glue answers that there is none. Both run the poll as a
// microtask, in the same order. Why: a call polls four times, and workerd's `queueMicrotask` is an API call
// into the runtime (a wrapped callback each time) where `then()` stays in V8: in a workerd worker with fetch
// stubbed, queryCallState took 37 -> 31 µs of CPU (the fastest of 16 rounds of 1000 calls).
// The edit must apply exactly once: a wasm-bindgen upgrade that changes the glue fails the build.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const glue = readFileSync(file, 'utf8');
const from = 'const ret = arg0.queueMicrotask;';
const found = glue.split(from).length - 1;
if (found !== 1) throw new Error(`glue-microtasks: expected 1 of ${JSON.stringify(from)} in ${file}, found ${found}`);
writeFileSync(file, glue.replace(from, 'const ret = undefined; // scripts/glue-microtasks.mjs: the queue uses then()'));
