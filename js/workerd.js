// Cloudflare workerd entry: the .wasm is imported as a compiled module (workerd forbids compiling bytes).
import wasm from '../pkg/full/aicc_call_bg.wasm';
import * as glue from '../pkg/full/aicc_call.js';
import { bindRuntime } from './runtime.js';
import { bindGateway } from './gateway.js';
import { bindState } from './state.js';
import { bindDurableState } from './durable-state.js';

glue.initSync({ module: wasm });
const runtime = bindRuntime(glue, 'workerd');

export const { AiccClient, CallWatch, AiccError } = runtime;
export const { createMemoryState, durableObjectState } = bindState(glue, runtime);
export const { createGateway, handleCallback, signCallbackUrl } = bindGateway(glue, runtime, { createMemoryState });
export const AiccGatewayState = bindDurableState(glue, runtime);
export { codes } from './codes.js';
