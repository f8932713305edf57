// Browser entry: fetches and compiles the .wasm, and refuses secrets (use a gateway instead).
import init, { aiccErrorClass } from '../pkg/aicc_call.js';
import { AiccClient as CoreClient } from './surface.js';

await init({ module_or_path: new URL('../pkg/aicc_call_bg.wasm', import.meta.url) });

export class AiccClient extends CoreClient { constructor(options) { super(options, 'browser'); } }
export { CallWatch } from './surface.js';
export const AiccError = aiccErrorClass();
