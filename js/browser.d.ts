// Types of the browser entry: the client only (the gateway and callback helpers need secrets and live in
// the node and workerd entries).
export { AiccClient, AiccError, CallWatch } from './index.js';
export type {
  AiccClientOptions, AiccErrorFields, AiccErrorKind, BasicCallInfo, CallInfo, CallPlaced, CallState, CallStateName,
  CallStateNumber, CalledInfo, Code, CodeCategory, CreateCallRequest, GetCalledInfoRequest, OperationName,
  PhoneNumber, QueryBasicCallInfoRequest, QueryCallInfoByCallIdRequest, QueryCallStateRequest, WatchCallOptions,
} from './index.js';
