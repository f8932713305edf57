// Cloudflare workerd entry: the .wasm is imported as a compiled module (workerd forbids compiling bytes).
import wasm from '../pkg/full/aicc_call_bg.wasm';
import { initSync, aiccErrorClass, CallWatch } from '../pkg/full/aicc_call.js';
import { makeAsyncIterable } from './surface.js';

initSync({ module: wasm });
makeAsyncIterable(CallWatch);

export { AiccClient, CallWatch } from '../pkg/full/aicc_call.js';
export { createGateway, handleCallback, signCallbackUrl } from './gateway.js';
export const AiccError = aiccErrorClass();
