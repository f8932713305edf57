// Node entry: reads the .wasm next to the glue and instantiates it synchronously.
import { readFileSync } from 'node:fs';
import { initSync, aiccErrorClass, CallWatch } from '../pkg/full/aicc_call.js';
import { makeAsyncIterable } from './surface.js';

initSync({ module: readFileSync(new URL('../pkg/full/aicc_call_bg.wasm', import.meta.url)) });
makeAsyncIterable(CallWatch);

export { AiccClient, CallWatch } from '../pkg/full/aicc_call.js';
export { createGateway, handleCallback, signCallbackUrl } from './gateway.js';
export const AiccError = aiccErrorClass();
