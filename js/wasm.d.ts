// Types of `aicc-call/wasm`: the browser's wasm file, as a bundler's asset import gives it (its URL), for init().
declare const wasmUrl: string;
export default wasmUrl;
