// Browser entry: the client-only wasm, fetched and compiled; refuses secrets (use a gateway instead).
import init, { aiccErrorClass, AiccClient as CoreClient, CallWatch } from '../pkg/web/aicc_call.js';
import { makeAsyncIterable } from './surface.js';

await init({ module_or_path: new URL('../pkg/web/aicc_call_bg.wasm', import.meta.url) });
makeAsyncIterable(CallWatch);

export class AiccClient extends CoreClient { constructor(options) { super(options, 'browser'); } }
export { CallWatch };
export const AiccError = aiccErrorClass();
