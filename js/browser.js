// Browser entry: the client-only wasm, refusing secrets (use a gateway instead). No top-level await: the wasm's
// fetch and streaming compilation start right after this module (and the one importing it) has run, and the
// first awaited operation waits for them; `init(input)`, called before that, loads it from elsewhere (README
// "Install"). Once the wasm is there, a client refuses secrets in its constructor; before, on its first call.
import * as glue from '../pkg/web/aicc_call.js';
import { AiccError } from '../pkg/web/aicc-error.js';
import { bindRuntime } from './runtime.js';
import { loader } from './browser-loader.js';

const { AiccClient, CallWatch, load } = bindRuntime(glue, 'browser', { AiccError, load: loader(glue) });
export { AiccClient, CallWatch, AiccError };
export const init = (input) => load(input);
/** Settles once the wasm loaded at start (or through the first init()) is ready, or could not be loaded. */
export const ready = new Promise((resolve) => queueMicrotask(() => resolve(init())));
ready.catch(() => {}); // a failed load is also what every operation rejects with
export { codes } from './codes.js';
