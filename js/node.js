// Node entry: reads the .wasm next to the glue and instantiates it synchronously.
import { readFileSync } from 'node:fs';
import { initSync, aiccErrorClass } from '../pkg/aicc_call.js';

initSync({ module: readFileSync(new URL('../pkg/aicc_call_bg.wasm', import.meta.url)) });

export * from './surface.js';
export const AiccError = aiccErrorClass();
