// Cloudflare workerd entry: the .wasm is imported as a compiled module (workerd forbids compiling bytes).
import wasm from '../pkg/aicc_call_bg.wasm';
import { initSync, aiccErrorClass } from '../pkg/aicc_call.js';

initSync({ module: wasm });

export * from './surface.js';
export const AiccError = aiccErrorClass();
