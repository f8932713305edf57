// Browser entry: the client-only wasm, fetched and compiled; refuses secrets (use a gateway instead).
import * as glue from '../pkg/web/aicc_call.js';
import { bindRuntime } from './runtime.js';

await glue.default({ module_or_path: new URL('../pkg/web/aicc_call_bg.wasm', import.meta.url) });

export const { AiccClient, CallWatch, AiccError } = bindRuntime(glue, 'browser');
