// Browser entry: the client-only wasm, refusing secrets (use a gateway instead). No top-level await: the wasm's
// fetch and streaming compilation start right after this module (and the one importing it) has run, and the
// first awaited operation waits for them. `init(input)`, called before that, loads it from elsewhere: the URL
// of a bundler's asset import of 'aicc-call/wasm', a Response or a WebAssembly.Module.
import * as glue from '../pkg/web/aicc_call.js';
import { bindRuntime } from './runtime.js';
import { deferredClasses } from './deferred.js';

let loading; // a promise of the bound runtime: the load under way or done

// Loads the wasm from `input` (anything the glue takes), or when absent from the package's own file; once
// a load is under way, `input` is only used if that one fails.
export function init(input) {
  return load(input).then(() => undefined);
}

function load(input) {
  if (loading === undefined) loading = instantiate(input);
  else if (input !== undefined) loading = loading.catch(() => instantiate(input));
  return loading;
}

/** Settles once the wasm loaded at start (or through the first init()) is ready, or could not be loaded. */
export const ready = new Promise((resolve) => queueMicrotask(() => resolve(init())));
ready.catch(() => {}); // a failed load is also what every operation rejects with

async function instantiate(input) {
  await glue.default({ module_or_path: input ?? (await packagedWasm()) });
  return bindRuntime(glue, 'browser');
}

// The package's wasm beside this module. Bundlers that follow `new URL(literal, import.meta.url)` (Vite, webpack,
// Parcel) copy it and rewrite the URL; esbuild and Rollup leave it, and the page then needs init().
async function packagedWasm() {
  let url;
  try {
    url = new URL('../pkg/web/aicc_call_bg.wasm', import.meta.url);
  } catch {
    throw new Error('aicc-call: this bundle has no import.meta.url to find the wasm from; call init() with the URL of \'aicc-call/wasm\' (README "Install")');
  }
  const answer = await fetch(url);
  if (isWasm(answer)) return answer;
  const copy = prebundledCopy(url);
  if (copy) {
    const second = await fetch(copy);
    if (isWasm(second)) return second;
  }
  throw new Error(`aicc-call: ${url} answered HTTP ${answer.status} ${answer.headers.get('content-type') ?? ''}, not the wasm; call init() with the URL of 'aicc-call/wasm' (README "Install")`);
}

function isWasm(answer) {
  return answer.ok && !/^text\/html\b/i.test(answer.headers.get('content-type') ?? '');
}

// Vite 5 to 7 pre-bundle this module in dev into <root>/node_modules/.vite/deps/ and leave the wasm behind (their
// dev server answers its URL with index.html): the package's own file is then in <root>/node_modules/aicc-call/.
function prebundledCopy(url) {
  const left = /\/node_modules\/\.vite\/pkg\/web\/aicc_call_bg\.wasm$/;
  if (!left.test(url.pathname)) return undefined;
  const copy = new URL(url);
  copy.pathname = url.pathname.replace(left, '/node_modules/aicc-call/pkg/web/aicc_call_bg.wasm');
  return copy;
}

export const AiccError = glue.__aiccErrorClass;
export const { AiccClient, CallWatch } = deferredClasses(() => load(), glue);
export { codes } from './codes.js';
