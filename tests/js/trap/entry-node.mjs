// The package's runtime over the test-only wasm (pkg/trap, feature `trap-test`), whose exports trap on purpose.
import { readFileSync } from 'node:fs';
import * as glue from '../../../pkg/trap/aicc_call.js';
import { bindRuntime } from '../../../js/runtime.js';
import { bindGateway } from '../../../js/gateway.js';
import { bindState } from '../../../js/state.js';

glue.initSync({ module: readFileSync(new URL('../../../pkg/trap/aicc_call_bg.wasm', import.meta.url)) });
const runtime = bindRuntime(glue, 'node');

export const { AiccClient, AiccError } = runtime;
export const { createGateway } = bindGateway(glue, runtime, bindState(glue, runtime));
/** Traps inside a synchronous call. */
export const trapNow = () => runtime.guard('test', () => glue.trapNow());
/** Traps inside an async task after `ms`. */
export const trapLater = (ms) => runtime.track('test', () => glue.trapLater(ms));
