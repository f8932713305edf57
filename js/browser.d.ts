// Types of the browser entry: the client only (the gateway and callback helpers need secrets and live in
// the node and workerd entries), and the wasm's loading.

/**
 * The package in a browser page (the `browser` and `default` conditions): the client only, and the loading of
 * its wasm (`init`, `ready`).
 * @module aicc-call
 */
export { AiccClient, AiccError, CallWatch, codes } from './index.js';
export type {
  AiccClientOptions, AiccErrorFields, AiccErrorKind, BasicCallInfo, CallInfo, CallPlaced, CallSession, CallSessionEvent,
  CallSessionEventMap, CallSessionPhase, CallSessionUpdate, CallState, CallStateName, CallStateNumber, CalledInfo, Code,
  CodeCategory, CodeName, CodeRow, CodeTable, ReasonName, StateName, CreateCallRequest, GetCalledInfoRequest, OperationName,
  PlaceCallOptions, Resolution,
  PhoneNumber, QueryBasicCallInfoRequest, QueryCallInfoByCallIdRequest, QueryCallStateRequest, WatchCallOptions,
} from './index.js';

/** Where the wasm can come from: its URL (e.g. the default import of `aicc-call/wasm`), its answer, or the module. */
export type WasmSource = string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module;

/**
 * Loads the wasm from `source` instead of the package's own file (which the entry fetches by itself, right after
 * the importing module has run). Call it at the top of your entry, before anything else: once a load is under
 * way, `source` is only used if that load fails. Without `source`, the same as `ready`.
 */
export function init(source?: WasmSource): Promise<void>;

/**
 * Settles once the wasm is loaded, or rejects with why it could not be. Optional: every operation waits for it.
 * A client made before it checks its options on its first call instead of in the constructor.
 */
export const ready: Promise<void>;
