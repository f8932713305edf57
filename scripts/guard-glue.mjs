// Hardens the JS glue that wasm-bindgen generates, so that nothing a runtime or a bug does can throw through
// it unhandled (usage: node scripts/guard-glue.mjs pkg/<flavour>/aicc_call.js):
// - a trap (WebAssembly.RuntimeError) inside a callback (a microtask, a timer, a settled promise) is handed to
//   the handler that js/runtime.js installs, instead of escaping as an uncaught exception;
// - a callback of an instance that was replaced after a trap does nothing, instead of throwing.
// (fetch's failures are kept from gloo-net by a snippet, bindings/src/fetch.js, and the browser's AiccError class
// comes from pkg/web/aicc-error.js, which build.sh writes: neither edits the glue.)
// Each edit must apply exactly as expected: a wasm-bindgen upgrade that changes the glue fails the build.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
let glue = readFileSync(file, 'utf8');

function replaceExactly(from, to, count) {
  const found = glue.split(from).length - 1;
  if (found !== count) {
    throw new Error(`guard-glue: expected ${count} of ${JSON.stringify(from)} in ${file}, found ${found}`);
  }
  glue = glue.split(from).join(to);
}

replaceExactly("throw new Error('Cannot invoke closure from previous WASM instance');", 'return;', 1);
replaceExactly('return f(a, state.b, ...args);', 'return __aiccGuarded(f, a, state.b, args);', 1);

glue += `
let __aiccOnTrap = () => {};

/** Sets the function told about a trap inside a callback (js/runtime.js). */
export function __aiccSetTrapHandler(handler) {
    __aiccOnTrap = handler;
}

function __aiccGuarded(f, a, b, args) {
    try {
        return f(a, b, ...args);
    } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        __aiccOnTrap(e);
        return undefined;
    }
}
`;
writeFileSync(file, glue);
