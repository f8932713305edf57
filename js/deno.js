// Deno entry: the .wasm is imported as a compiled module (a source-phase import), so loading it needs no
// --allow-read, which reading the file would.
import source wasm from '../pkg/full/aicc_call_bg.wasm';
import * as glue from '../pkg/full/aicc_call.js';
import { bindRuntime } from './runtime.js';
import { bindGateway } from './gateway.js';
import { bindState } from './state.js';

glue.initSync({ module: wasm });
const runtime = bindRuntime(glue, 'deno');

export const { AiccClient, CallWatch, AiccError } = runtime;
export const { createMemoryState, durableObjectState } = bindState(glue, runtime);
export const { createGateway, handleCallback, signCallbackUrl } = bindGateway(glue, runtime, { createMemoryState });
export { codes } from './codes.js';
