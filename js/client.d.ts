// Types of the aicc-call client, shared by every entry: `index.d.ts` (node, workerd, deno, `aicc-call/server`)
// and `browser.d.ts` re-export all of it, so the browser entry's types cannot drift from the others'.
// Hand-written to match the wasm bindings (bindings/src/) and the decoded results (src/ops/*.rs): fields are
// camelCase, optional fields are omitted (never null) when absent, phone numbers and ids come back as strings,
// and 64-bit call serials are exact decimal strings.

/** A phone number: digits with an optional leading `+`. Numbers are accepted and sent as strings. */
export type PhoneNumber = string | number;

/** Names of the operations, as used in errors, gateway policies and `operations` lists. */
export type OperationName =
  | 'createCall'
  | 'queryCallState'
  | 'getCalledInfo'
  | 'queryCallInfoByCallId'
  | 'queryBasicCallInfo'
  | 'queryCallDetailRecord';

/** Who or what a return code points at. */
export type CodeCategory =
  | 'ok'
  | 'input'
  | 'configuration'
  | 'permission'
  | 'limit'
  | 'platform'
  | 'agent'
  | 'customer'
  | 'network'
  | 'unknown';

import type { CodeName, ReasonName, StateName } from './names.js';
export type { CodeName, ReasonName, StateName };

/** A decoded code (a call's end reason, a release reason): a row of the page's tables, or `unknown`. */
export interface Code<Name extends string = string> {
  /** The code exactly as received, as decimal text (`"0"`, `"17"`). */
  code: string;
  /** A stable camelCase name to branch on (`"calledHungUp"`, `"userBusy"`), or `"unknown"`. */
  name: Name;
  /** The page's explanation, in plain words. */
  message: string;
  /** Who or what the code points at. */
  category: CodeCategory;
  /** Whether trying again later can help. */
  retryable: boolean;
}

/** Which table a row of {@link codes} belongs to. */
export type CodeTable = 'returnCode' | 'itaCode' | 'state' | 'reason' | 'releaseReason' | 'devType';

/** One row of {@link codes}: a return code, a call state, an end or release reason, a device type. */
export interface CodeRow {
  /** The table the row is from. */
  table: CodeTable;
  /** For return codes: the operation that answers it (ITA codes are answered for every service operation). */
  operation?: OperationName;
  /** The code exactly as AICC sends it. */
  code: string;
  /** The stable name to branch on. */
  name: CodeName | ReasonName | StateName | 'skillQueue' | 'number';
  /** The page's explanation, in plain words. */
  message: string;
  /** Who or what the code points at. */
  category: CodeCategory;
  /** Whether sending the same request again later can help. */
  retryable: boolean;
}

/**
 * Every return code, call state, end reason, release reason and device type the package decodes, from the
 * core's tables: for translating the messages or mapping names to an app's own. A new copy at each call.
 */
export function codes(): CodeRow[];

// ───────────────────────────── client options ─────────────────────────────

/** tokenByAkSk credentials: the app key and secret of the tenant's app (server or edge only). */
export interface AiccCredentials {
  /** The app key (`app_key`), also sent as `X-APP-Key`. */
  appKey: string;
  /** Server/edge only: the browser entry refuses it. */
  appSecret: string;
  /** Requested token lifetime (`X-Token-Expire`, 1..3600 s; AICC's default is 600). */
  tokenTtlSeconds?: number;
}

/** The AK/SK that sign CMS openapi requests (C2 `auth-v2`; server or edge only). */
export interface CmsCredentials {
  /** The access key. */
  ak: string;
  /** Server/edge only: the browser entry refuses it. */
  sk: string;
}

/** Options of `new AiccClient(options)`: where AICC (or your gateway) is, how to authenticate, timeouts, retries and hooks. */
export interface AiccClientOptions {
  /** `"https://service.besclouds.com"`, or a gateway prefix such as `"/aicc"`. */
  baseUrl: string;
  /** `"https://ip:port"` of the CMS openapi (queryBasicCallInfo); `baseUrl` when absent. */
  cmsBaseUrl?: string;
  /** Sent as `X-APP-Key` (defaults to `credentials.appKey`). */
  appKey?: string;
  /** tokenByAkSk credentials (server/edge only). Cannot be combined with `token`. */
  credentials?: AiccCredentials;
  /** Your own bearer-token source, asked before each request (and once more after a 401). */
  token?: () => string | Promise<string>;
  /** C2 auth-v2 AK/SK for the CMS openapi (server/edge only). */
  cmsCredentials?: CmsCredentials;
  /** Extra headers sent with every request: Latin-1 text without control characters (the constructor checks). */
  headers?: Record<string, string>;
  /** Time to wait for each answer, 1..600000 ms (default 10000). */
  timeoutMs?: number;
  /** Shorthand for `retry.maxRetries`. */
  maxRetries?: number;
  /**
   * When and how long to retry. Queries and the token fetch are retried on network errors, timeouts,
   * unreadable answers, HTTP 429/502/503/504 and return codes the tables call retryable; createCall never is.
   */
  retry?: RetryOptions;
  /** Told before each retry (also before the resend after a token refresh, with `delayMs` 0). What it throws is ignored. */
  onRetry?: (event: RetryEvent) => void;
  /** Told as each request leaves (no headers, bodies or secrets). What it throws is ignored. */
  onRequest?: (event: RequestEvent) => void;
  /** Told as each attempt ends (no headers, bodies or secrets). What it throws is ignored. */
  onResponse?: (event: ResponseEvent) => void;
}

/** When and how long a client retries (queries and the token fetch only; createCall never). */
export interface RetryOptions {
  /** Retries after the first attempt, 0..10 (default 2). */
  maxRetries?: number;
  /** The first backoff step, 1..60000 ms (default 200): retry n waits a random time up to `baseDelayMs * 2^(n-1)`, at least a tenth of it. */
  baseDelayMs?: number;
  /** The longest wait, `baseDelayMs`..300000 ms (default 5000). */
  maxDelayMs?: number;
}

/** What `onRetry` is told before each retry. */
export interface RetryEvent {
  /** The operation retried (`tokenByAkSk` for the token fetch). */
  operation: OperationName | 'tokenByAkSk';
  /** The attempt that failed, from 1. */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
  /** Why the attempt failed (no secrets). */
  error: AiccError;
}

// ───────────────────────────── requests and results ─────────────────────────────

/** A bidirectional call to place: AICC rings the agent's phone (`caller`), then the customer's (`called`). */
export interface CreateCallRequest {
  /** The agent's phone (calling party), at most 32 characters. */
  caller: PhoneNumber;
  /** The customer's phone (called party), at most 32 characters. */
  called: PhoneNumber;
  /** Agent work number, 1 to 5 digits. */
  agentWorkNo?: string | number;
  /** Data attached to the call, at most 1024 characters. */
  callData?: string;
  /** Number shown to the customer: an access code or 11-14 digits. */
  callerPresent?: string | number;
  /** Number shown to the agent: an access code or 11-14 digits. */
  agentPresent?: string | number;
  /** Release callback URL, http(s), only letters, digits and `-:./_#?&` (Base64-encoded on the wire for you). */
  callBackUrl?: string;
}

/** What createCall answers when AICC accepted the call. */
export interface CallPlaced {
  /** The call's serial, exact (18 digits), or null when AICC answered without one. */
  callSerialNo: string | null;
  /** AICC's message. */
  retMsg: string;
}

/** The call whose state to read. */
export interface QueryCallStateRequest {
  /** 1 to 50 digits, as a string: a JS number cannot hold an 18-digit serial exactly (the runtime accepts numbers, the types do not). */
  callSerialNo: string;
}

/** 0 toBeCalled, 1 calling, 2 talking, 3 ended. */
export type CallStateNumber = 0 | 1 | 2 | 3;
/** `"unknown"` only for a state value the pages do not list. */
/** A call state's name: the same as {@link StateName}. */
export type CallStateName = StateName;

/** A call's state, as queryCallState and `watchCall` give it. */
export interface CallState {
  /**
   * 0 toBeCalled, 1 calling, 2 talking, 3 ended (another value only if the platform adds states). Optional on
   * the page: absent when AICC leaves it out (`watchCall` then polls on).
   */
  state?: CallStateNumber | (number & {});
  /** `state` by name. */
  stateName?: CallStateName;
  /**
   * `reasonCode`, decoded, whenever AICC sends one (normally once `state` is 3). Values 0-6 are always read
   * with queryCallState's own table: the page sends ITA bidirectional calls to Table 4 for their reason codes,
   * but the answer carries nothing that tells an ITA call apart, so the client cannot pick that table.
   */
  reason?: Code<ReasonName>;
  /** AICC's message. */
  retMsg?: string;
  /** The agent's phone (calling party). */
  caller?: string;
  /** The customer's phone (called party). */
  called?: string;
  /** The data attached to the call by createCall. */
  callData?: string;
  /** Milliseconds since the Unix epoch. */
  startTime?: number;
  /** Milliseconds since the Unix epoch; once ended. */
  endTime?: number;
  /** The number shown to the customer. */
  callerPresent?: string;
  /** The number shown to the agent. */
  agentPresent?: string;
  /** Fields the pages do not list, kept as received (absent when there are none). */
  extra?: Record<string, unknown>;
}

/** The destination to look up. */
export interface GetCalledInfoRequest {
  /** The calling number, at most 32 characters. */
  caller: PhoneNumber;
  /** The called number, at most 32 characters. */
  called: PhoneNumber;
}

/** The device a called number reaches: a skill queue or a number. */
export interface CalledInfo {
  /** 0 skill queue, 1 number; optional on the page. */
  devType?: number;
  /** `devType` by name. */
  devTypeName?: 'skillQueue' | 'number' | 'unknown';
  /** The called number. */
  called?: string;
  /** "number (16)" on the page: exact decimal text, like the call serials. */
  skillId?: string;
  /** The skill queue's name (a skill queue only). */
  skillName?: string;
  /** AICC's message. */
  retMsg?: string;
  /** Fields the page does not list, kept as received. */
  extra?: Record<string, unknown>;
}

/** The call to look up on the agent workbench, and who asks. */
export interface QueryCallInfoByCallIdRequest {
  /** At most 64 characters (the page gives no format; the limit is ours). */
  callId: string;
  /** The user ID. */
  userId: string | number;
  /** The tenant ID. */
  tenantId: string | number;
  /** The agent ID (pinned to the session's agent through a gateway). */
  agentId: string | number;
}

/** What the agent workbench knows about a call. */
export interface CallInfo {
  /** The calling number. */
  caller?: string;
  /** The called number. */
  called?: string;
  /** The media type. */
  mediaAbility?: number;
  /** The page's `calldata`. */
  callData?: string;
  /** The call ID. */
  callId?: string;
  /** The call's skill ID. */
  callSkillId?: number;
  /** The call's skill description. */
  callSkill?: string;
  /** The call type. */
  callType?: number;
  /** Fields the page does not list, kept as received. */
  extra?: Record<string, unknown>;
}

/** Which call records to list: a time window of at most 7 days, one page of it. */
export interface QueryCallDetailRecordRequest {
  /** Calls that started from this time on, in ms since the Unix epoch. */
  startTime: number | string;
  /** Calls that started until this time, at most 7 days after `startTime`. */
  endTime: number | string;
  /** The first record of the page, from 0 (default 0). */
  offset?: number | string;
  /** Records per page, 1..100 (default 100). */
  limit?: number | string;
  /** Only this agent-side number's calls. Required through a gateway, and one of the session's `callers`. */
  caller?: PhoneNumber;
  /** "0" all but ITA bidirectional, "1" CEC bidirectional, "2" anonymous outbound, "3" voice notification, "4" ITA bidirectional. */
  taskType?: '0' | '1' | '2' | '3' | '4';
}

/** One page of call records. */
export interface CallRecords {
  /** How many records match, over every page. */
  total: number;
  /** The records of this page. */
  callInfo: CallRecord[];
}

/** One call's record (times in ms since the Unix epoch, durations in seconds). */
export interface CallRecord {
  /** The call's serial, exact (19 digits in the page's example). */
  callSerialNo?: string;
  /** The calling (agent-side) number. */
  caller?: string;
  /** The called number. */
  called?: string;
  /** The number shown to the customer. */
  callerPresent?: string;
  /** The number shown to the agent. */
  agentPresent?: string;
  /** 0 toBeCalled, 1 calling, 2 talking, 3 ended. */
  state?: number;
  /** `state` by name. */
  stateName?: StateName;
  /** Why the call ended, decoded with queryCallState's table. */
  reason?: Code<ReasonName>;
  /** When the call was created. */
  startTime?: number;
  /** When it ended. */
  endTime?: number;
  /** When the customer's phone started ringing. */
  alertingTime?: number;
  /** When the customer answered. */
  talkingTime?: number;
  /** When the customer's leg was released. */
  releaseTime?: number;
  /** How long the customer talked, in seconds. */
  talkDuration?: number;
  /** When the agent's phone started ringing. */
  agentAlertingTime?: number;
  /** When the agent answered. */
  agentTalkingTime?: number;
  /** When the agent's leg was released. */
  agentReleaseTime?: number;
  /** How long the agent talked, in seconds. */
  agentTalkDuration?: number;
  /** Fields the page does not list, as received. */
  extra?: Record<string, unknown>;
}

/** Whether a lost createCall was placed (`resolveOutcome`). */
export type Resolution =
  | {
      /** The call was placed: it is in the records. */
      status: 'placed';
      /** Its serial, exact. */
      callSerialNo: string;
    }
  | {
      /** The call was not placed: every lookup answered, and no record matched (or the error says it was refused). */
      status: 'notPlaced';
    }
  | {
      /** The records could not be read: it may or may not have been placed. */
      status: 'unknown';
    };

/** Options of `resolveOutcome`. */
export interface ResolveOutcomeOptions {
  /** How long to wait for the platform's records, 0..120000 ms (default 15000). */
  maxWaitMs?: number;
}

/** The options of one call (the second argument of every operation). */
export interface CallOptions {
  /** Ends the call at once with an `aborted` AiccError (createCall: `outcomeUnknown` if its request was sent). */
  signal?: AbortSignal;
  /** Time to wait for each answer of this call, 1..600000 ms, instead of the client's `timeoutMs`. */
  timeoutMs?: number;
}

/** Told as each request leaves: never a header, a body or a secret. */
export interface RequestEvent {
  /** The operation (`tokenByAkSk` for the token fetch). */
  operation: OperationName | 'tokenByAkSk';
  /** The same for every attempt of one call. */
  requestId: string;
  /** The attempt, from 1. */
  attempt: number;
  /** The HTTP method. */
  method: string;
  /** The URL path (no host, no query). */
  path: string;
}

/** Told as each attempt ends. */
export interface ResponseEvent extends RequestEvent {
  /** The HTTP status, when an answer arrived. */
  status?: number;
  /** AICC's return code, when it refused the request. */
  retCode?: string;
  /** The kind of failure; absent on success. */
  error?: AiccErrorKind;
  /** How long the attempt took, in ms. */
  durationMs: number;
}

/** The call in progress to look up on the CMS (C2-signed), by its contact center, VDN and call ID. */
export interface QueryBasicCallInfoRequest {
  /** 1..65535. */
  ccId: number | string;
  /** 1..5000. */
  vdn: number | string;
  /** At most 64 characters (the page gives no format; the limit is ours). */
  callId: string;
}

/** What the CMS knows about a call in progress (the page's field descriptions; times in ms). */
export interface BasicCallInfo {
  /** Milliseconds since the Unix epoch. */
  time?: number;
  /** The call task ID. */
  dsn?: number;
  /** How many times the call task's control block was reused. */
  handle?: number;
  /** The ID of the media server processing the call. */
  server?: number;
  /** The call's unique ID. */
  keyId?: string;
  /** The calling number. */
  callingNum?: string;
  /** The called number. */
  calledNum?: string;
  /** The UAP module ID. */
  mid?: number;
  /** The trunk ID. */
  trunkNo?: number;
  /** The user level. */
  priority?: number;
  /** The type of the device processing the call (the page's Table 1). */
  deviceType?: number;
  /** The ID of the device processing the call. */
  deviceNo?: number;
  /** The skill queue's description. */
  callSkill?: string;
  /** How many devices the call went through. */
  partyNum?: number;
  /** The call feature (the page's Table 1). */
  callFeature?: number;
  /** The original called number, when it changed before the call reached the platform. */
  orgiCalledNum?: string;
  /** The media type (the page's Table 1). */
  mediaType?: number;
  /** The user's location (where the call came in). */
  place?: number;
  /** The time waited in a queue. */
  waitTime?: number;
  /** The call's duration. */
  totalTalkingTimes?: number;
  /** The total sign-in duration. */
  logonTimes?: number;
  /** The business type. */
  serviceType?: number;
  /** Why the call came in. */
  callInCause?: number;
  /** Why the call reached the device (the page's Table 1). */
  enterReason?: number;
  /** The multimedia report type. */
  mediaBillType?: string;
  /** Fields the page does not list, kept as received. */
  extra?: Record<string, unknown>;
}

/** Options of `watchCall`. */
export interface WatchCallOptions {
  /** Polling interval, 100..60000 ms (default 1000). */
  intervalMs?: number;
  /**
   * Deadline for the whole watch, 1..86400000 ms (none by default): past it, the watch ends with an
   * `AiccError` of kind `"timeout"` (`retryable: false`), also while a poll is in flight.
   */
  timeoutMs?: number;
  /**
   * Stops the watch: an abort ends the iteration as done at once, also while a poll is in flight (its answer
   * is not awaited). The watch adds one listener to the signal and removes it when it ends.
   */
  signal?: AbortSignal;
}

/** Options of `placeCall`. */
export interface PlaceCallOptions {
  /** The watch's polling interval, 100..60000 ms (default 1000); checked before the createCall is sent. */
  intervalMs?: number;
  /**
   * How long resolving a lost answer waits for the platform's records, 0..120000 ms (default 15000); checked,
   * like every option here, before the createCall is sent.
   */
  maxWaitMs?: number;
  /** Aborting it is `stop()`. */
  signal?: AbortSignal;
}

/** Where a call session is; the last six are the end. */
export type CallSessionPhase =
  | 'idle' | 'placing' | 'placed' | 'following' | 'unknown'
  | 'ended' | 'notPlaced' | 'unresolved' | 'failed' | 'lost' | 'stopped';

/**
 * One update of a call session, in order: `placing`; `placed` (the serial); a `state` for every state seen,
 * then `ended`; or `unknown` (the createCall's answer was lost: `resolveOutcome` runs by itself), `resolved`,
 * then `placed` (followed) or `notPlaced` or `unresolved`; or `failed` (createCall refused or never sent),
 * `lost` (following failed; the call exists), `stopped` (by `stop()`).
 */
export type CallSessionUpdate =
  | {
      /** The createCall is being sent. */
      type: 'placing';
    }
  | {
      /** The call is placed. */
      type: 'placed';
      /** Its serial. */
      callSerialNo: string;
    }
  | {
      /** A state was seen. */
      type: 'state';
      /** The state. */
      state: CallState;
    }
  | {
      /** The call ended. */
      type: 'ended';
      /** Its last state, with the end reason. */
      state: CallState;
    }
  | {
      /** The createCall's answer was lost. */
      type: 'unknown';
      /** The createCall's error (`outcomeUnknown`). */
      error: AiccError;
    }
  | {
      /** `resolveOutcome` answered. */
      type: 'resolved';
      /** Its answer. */
      resolution: Resolution;
    }
  | {
      /** The call was not placed. */
      type: 'notPlaced';
      /** How that is known. */
      resolution: Resolution;
    }
  | {
      /** Whether the call was placed is still unknown. */
      type: 'unresolved';
      /** The last answer, if any. */
      resolution?: Resolution;
      /** The lookup's error, if any. */
      error?: AiccError;
    }
  | {
      /** createCall was refused or never sent. */
      type: 'failed';
      /** Why. */
      error: AiccError;
      /** Whether the same call may be placed again. */
      mayTryAgain: boolean;
    }
  | {
      /** Following failed; the call exists. */
      type: 'lost';
      /** Why. */
      error: AiccError;
    }
  | {
      /** `stop()` ended the session. */
      type: 'stopped';
    };

/** The event a call session dispatches for each update: its type is the update's, its `detail` the update. */
export interface CallSessionEvent<U extends CallSessionUpdate = CallSessionUpdate> extends Event {
  /** The update's kind. */
  readonly type: U['type'];
  /** The update. */
  readonly detail: U;
}

/** The event of each update type, for `addEventListener`. */
export type CallSessionEventMap = { [U in CallSessionUpdate as U['type']]: CallSessionEvent<U> };

// ───────────────────────────── classes ─────────────────────────────

/**
 * One call's life (`placeCall`): an async iterable of its updates (each from the first; leaving a `for await`
 * loop stops the session) and an `EventTarget` of the same updates. It sends one createCall, never two.
 * Which phase follows which is decided by the core.
 */
export interface CallSession extends EventTarget, AsyncIterable<CallSessionUpdate> {
  /** Where the session is now. */
  readonly phase: CallSessionPhase;
  /** The call's serial, once known. */
  readonly callSerialNo: string | undefined;
  /** The last state seen. */
  readonly state: CallState | undefined;
  /** The error of `failed`, `lost`, `unknown` (the createCall's) or `unresolved`. */
  readonly error: AiccError | undefined;
  /** `resolveOutcome`'s answer, after a lost createCall answer. */
  readonly resolution: Resolution | undefined;
  /** Only after a createCall refused with a `retryable` error and a known outcome: the same call may be placed again. */
  readonly mayTryAgain: boolean;
  /** Settles with the last update once the session is over. */
  readonly finished: Promise<CallSessionUpdate>;
  /**
   * Stops following the call and frees its watch. The pages have no hang-up operation: the call itself goes on.
   * A createCall already started is still sent; its answer is not followed.
   */
  stop(): Promise<void>;
  /** The updates from the first; leaving the loop stops the session. */
  [Symbol.asyncIterator](): AsyncIterableIterator<CallSessionUpdate>;
  addEventListener<K extends keyof CallSessionEventMap>(type: K, listener: (event: CallSessionEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}


/**
 * Follows a call: yields each new state, and ends after `ended`. Use with `for await`. Its first error ends it
 * (rejects `next()`). For 5 s after it starts, retCode 1 (the platform does not know the serial yet, as right
 * after createCall) is not an error: it polls on.
 */
export class CallWatch implements AsyncIterableIterator<CallState> {
  private constructor();
  /** The next new state; done after `ended`, `return()` or an abort. */
  next(): Promise<IteratorResult<CallState, undefined>>;
  /** Stops watching (what `break` in a `for await` loop calls); a pending `next()` ends as done at once. */
  return(): Promise<IteratorResult<CallState, undefined>>;
  /** The watch itself, for `for await`. */
  [Symbol.asyncIterator](): CallWatch;
  /**
   * Frees the wasm object now instead of at garbage collection; the watch ends. A watch frees itself when it
   * ends (its last state, an error, `return()`). Also `[Symbol.dispose]()`, for `using` where the runtime has it.
   */
  free(): void;
}

/**
 * The client of AICC's call APIs (or of your gateway): one method per operation, `watchCall` and
 * `resolveOutcome`. Every method rejects with an `AiccError` only.
 */
export class AiccClient {
  /** Throws an `AiccError` (kind `"validation"`, operation `"configuration"`) naming the option at fault. */
  constructor(options: AiccClientOptions);
  /**
   * Places a bidirectional call. Never retried: when its outcome is unknown the error says so
   * (`outcomeUnknown`), and `resolveOutcome` finds out.
   */
  createCall(request: CreateCallRequest, options?: CallOptions): Promise<CallPlaced>;
  /** Reads a call's state once (`watchCall` follows it). retCode 1, an unknown serial, is not retryable. */
  queryCallState(request: QueryCallStateRequest, options?: CallOptions): Promise<CallState>;
  /** Which device a called number reaches: a skill queue or a number. */
  getCalledInfo(request: GetCalledInfoRequest, options?: CallOptions): Promise<CalledInfo>;
  /** What the agent workbench knows about a call, by its call ID. */
  queryCallInfoByCallId(request: QueryCallInfoByCallIdRequest, options?: CallOptions): Promise<CallInfo>;
  /** What the CMS knows about a call in progress (C2-signed with `cmsCredentials`; both answer shapes read). */
  queryBasicCallInfo(request: QueryBasicCallInfoRequest, options?: CallOptions): Promise<BasicCallInfo>;
  /** One page of call records; no matching record (retCode 1, "no data") is `{ total: 0, callInfo: [] }`. */
  queryCallDetailRecord(request: QueryCallDetailRecordRequest, options?: CallOptions): Promise<CallRecords>;
  /**
   * Every record of a queryCallDetailRecord query, page after page (`limit` records a request, 100 by default,
   * from `offset`), within the page's 7-day window: `for await (const record of client.callRecords(query))`.
   * Leaving the loop sends no further request; an error of any page rejects the iteration.
   */
  callRecords(query: QueryCallDetailRecordRequest, options?: CallOptions): AsyncGenerator<CallRecord, void, undefined>;
  /**
   * Finds out whether the createCall behind `error` was placed. An outcome-unknown error (it carries `call`)
   * is looked up in the call records by caller, called number and time, waiting out the platform's lag; any
   * other createCall error (refused, or never sent) is `notPlaced` at once, with no lookup. An error of
   * another operation is a validation error.
   */
  resolveOutcome(error: AiccError, options?: ResolveOutcomeOptions): Promise<Resolution>;
  /** Follows a call until it ends (see `CallWatch`). Throws an `AiccError` at once for a bad serial or option. */
  watchCall(callSerialNo: string, options?: WatchCallOptions): CallWatch;
  /**
   * Places one call and follows it to its end: createCall, then watchCall; a lost answer is resolved by
   * `resolveOutcome` on its own, and a placed call followed. Never sends createCall twice.
   */
  placeCall(request: CreateCallRequest, options?: PlaceCallOptions): CallSession;
  /**
   * Frees the wasm object now instead of at garbage collection; a later call re-creates it from the options.
   * A client holds wasm memory only from its first call. Also `[Symbol.dispose]()`, for `using`.
   */
  free(): void;
}

/**
 * `internal`: the WebAssembly module trapped (a bug) and was restarted. Every operation in flight at that
 * moment rejects with it (createCall with `outcomeUnknown: true`); the next call works on a fresh instance.
 */
export type AiccErrorKind = 'validation' | 'api' | 'http' | 'auth' | 'network' | 'timeout' | 'decode' | 'internal' | 'aborted';

/** What an `AiccError` carries (also what `toJSON()` returns, plus `name`). */
export interface AiccErrorFields {
  /** What went wrong, in words a person can act on (never a secret). */
  message: string;
  /** What kind of failure it is: see `AiccErrorKind`. */
  kind: AiccErrorKind;
  /**
   * The operation that failed, or `"configuration"` for bad client or gateway options (`"gateway"` and
   * `"callback"` only for `internal` errors of createGateway and handleCallback).
   */
  operation: OperationName | 'tokenByAkSk' | 'configuration' | 'gateway' | 'callback';
  /**
   * Validation: the request field or option that broke a rule (wire name, e.g. `"callBackUrl"`); `"options"`
   * for an option the package does not know (the rule names it and the nearest known one).
   */
  field?: string;
  /** Validation: the rule, in words. */
  rule?: string;
  /** API errors: the return code as AICC sent it (`"5"`, `"0100002"`). */
  retCode?: string;
  /** API errors: the code's stable name, or `"unknown"`. */
  codeName?: CodeName;
  /** API errors: the code's explanation. */
  codeMessage?: string;
  /** API errors: who or what the code points at. */
  category?: CodeCategory;
  /** The HTTP status, when an answer arrived. */
  status?: number;
  /** Whether sending the same request again can help. */
  retryable: boolean;
  /** createCall only: the call may or may not have been placed (timeout, dropped connection, 502/504, unreadable answer). */
  outcomeUnknown?: boolean;
  /** How many requests were sent for it, token fetches included (absent when nothing was sent). */
  attempts?: number;
  /** A gateway's rate-limit refusal (status 429): how long to wait before the next call, in ms. */
  retryAfterMs?: number;
  /** createCall with `outcomeUnknown`: what `resolveOutcome` needs to find the call. */
  call?: {
    /** The createCall's caller. */
    caller: string;
    /** The createCall's called number. */
    called: string;
    /** When it was sent, in ms since the Unix epoch. */
    sentAtMs: number;
  };
}

/** The one error every operation throws (rejects with). Never contains a secret or a token. */
export class AiccError extends Error {
  /** Made by the package; `cause` keeps what `fetch` threw for a network error. */
  constructor(fields: AiccErrorFields & { cause?: unknown });
  /** Always `"AiccError"`. */
  name: 'AiccError';
  /** Its fields as a plain object, for logs (no secrets, no `cause`). */
  toJSON(): AiccErrorFields & {
    /** Always `"AiccError"`. */
    name: 'AiccError';
  };
}
/** Its fields, merged into the class. */
export interface AiccError extends AiccErrorFields {}
