// Hardens the JS glue that wasm-bindgen generates, so that nothing a runtime or a bug does can throw through
// it unhandled (usage: node scripts/guard-glue.mjs pkg/<flavour>/aicc_call.js):
// - a trap (WebAssembly.RuntimeError) inside a callback (a microtask, a timer, a settled promise) is handed to
//   the handler that js/runtime.js installs, instead of escaping as an uncaught exception;
// - a callback of an instance that was replaced after a trap does nothing, instead of throwing;
// - fetch's failures reach gloo-net as Error instances and its answers as Response objects (gloo-net panics
//   on anything else), and a fetch that throws synchronously becomes a rejected promise.
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
replaceExactly('const ret = fetch(arg0);', 'const ret = __aiccFetch(arg0);', 1);

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

function __aiccAsError(e) {
    if (e instanceof Error) return e;
    return new TypeError(typeof e === 'string' ? \`fetch failed: \${e.slice(0, 200)}\` : 'fetch failed with a value that is not an Error');
}

function __aiccFetch(request) {
    let answer;
    try {
        answer = fetch(request);
    } catch (e) {
        answer = Promise.reject(e);
    }
    return Promise.resolve(answer).then(
        (response) => (response instanceof Response ? response : Promise.reject(new TypeError('fetch answered something other than a Response'))),
        (e) => {
            try {
                request.__aiccCause = e; // read back as the AiccError's cause (bindings/src/transport.rs)
            } catch {
                // a frozen request: the error still carries the message
            }
            return Promise.reject(__aiccAsError(e));
        },
    );
}
`;
writeFileSync(file, glue);
