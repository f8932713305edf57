// Types of the browser entry: the whole client (`client.d.ts`, shared with the server entries' `index.d.ts`, so
// the two cannot drift), without the gateway and callback helpers (they need secrets), and the wasm's loading.

/**
 * The package in a browser page (the `browser` and `default` conditions): the client only, and the loading of
 * its wasm (`init`, `ready`).
 * @module aicc-call
 */
export * from './client.js';

/** Where the wasm can come from: its URL (e.g. the default import of `aicc-call/wasm`), its answer, or the module. */
export type WasmSource = string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module;

/**
 * Loads the wasm from `source` instead of the package's own file (which the entry fetches by itself, right after
 * the importing module has run). Call it at the top of your entry, before anything else: once a load is under
 * way, `source` is only used if that load fails. Without `source`, the same as `ready`.
 */
export function init(source?: WasmSource): Promise<void>;

/**
 * Settles once the wasm is loaded, or rejects with why it could not be. Optional: every operation waits for it.
 * Once it has settled, the constructor checks a client's options (and refuses secrets); a client made before
 * checks them on its first call.
 */
export const ready: Promise<void>;
