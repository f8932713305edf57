// Node entry: reads the .wasm next to the glue and instantiates it synchronously.
import { readFileSync } from 'node:fs';
import * as glue from '../pkg/full/aicc_call.js';
import { bindRuntime } from './runtime.js';
import { bindGateway } from './gateway.js';
import { bindState } from './state.js';
import { bindNodeListener } from './node-listener.js';

glue.initSync({ module: readFileSync(new URL('../pkg/full/aicc_call_bg.wasm', import.meta.url)) });
const runtime = bindRuntime(glue, 'node');

export const { AiccClient, CallWatch, AiccError } = runtime;
export const { createMemoryState, durableObjectState } = bindState(glue, runtime);
export const { createGateway, handleCallback, signCallbackUrl } = bindGateway(glue, runtime, { createMemoryState });
export const toNodeListener = bindNodeListener(runtime);
export { codes } from './codes.js';
