// What every runtime entry shares: the wasm classes, made async-iterable where the contract says so.
import { CallWatch } from '../pkg/aicc_call.js';

CallWatch.prototype[Symbol.asyncIterator] = function asyncIterator() {
  return this;
};

export { AiccClient, CallWatch } from '../pkg/aicc_call.js';
export { createGateway, handleCallback, signCallbackUrl } from './gateway.js';
