// Types of `aicc-call/wasm`: the browser's wasm file, as a bundler's asset import gives it (its URL), for init().

/**
 * The browser's wasm file, for bundlers that need it handed to `init()` (esbuild, Rollup).
 * @module aicc-call/wasm
 */
/** The URL of the browser's wasm file, as the bundler emits it: hand it to `init()`. */
declare const wasmUrl: string;
export default wasmUrl;
