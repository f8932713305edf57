// Types of `aicc-call/simulator`: the local AICC simulator (Node only), for the tests of an application that
// uses aicc-call, as stripe-mock is for Stripe's. Its behaviour is described in sim/README.md.

/**
 * The local AICC simulator, for your own tests (Node only): `startSimulator()`. Also the `aicc-sim` command.
 * @module aicc-call/simulator
 */
/** Options of {@link startSimulator}; every one has a default. */
export interface SimulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** tokenByAkSk app key. Default `demo-app-key`. */
  appKey?: string;
  /** tokenByAkSk app secret. Default `demo-app-secret`. */
  appSecret?: string;
  /** C2 `auth-v2` access key of the CMS endpoint. Default `demo-ak`. */
  ak?: string;
  /** C2 `auth-v2` secret key of the CMS endpoint. Default `demo-sk`. */
  sk?: string;
  /** Behave as a trial tenant (retCode 16 for callers not starting `8888`, 21 after 10 calls a day). */
  trial?: boolean;
  /** Speed of the call state machine (10 = ten times faster). Default 1. */
  speed?: number;
  /**
   * `'real'` (default): wall time. `'manual'`: time moves only by {@link Simulator.advance}. `'poll'`: each call
   * moves one state per queryCallState about it, so a watch sees every state on any machine.
   */
  clock?: 'real' | 'manual' | 'poll';
  /** Start time (ms) of the `'manual'` clock. Default: the real time at start. */
  startTime?: number;
  /** Log one line per request. */
  verbose?: boolean;
  /** Receives log lines (failed callbacks; requests with `verbose`). Default: stderr. Never secrets or bodies. */
  log?: (line: string) => void;
}

/** A fault injected into the next requests to one API path. */
export interface SimulatorFault {
  /** The API path, e.g. `PATHS.createCall`. */
  path: string;
  /**
   * `status:<code>`, `html`, `malformed`, `empty`, `delay:<ms>`, `drop`, `answer-lost`, `hold` (handled, never
   * answered) or `expire-token`.
   */
  fault: string;
  /** How many requests get it. Default 1. */
  times?: number;
}

/** A createCall request the simulator received (recorded before any fault). */
export interface RecordedCall {
  /** When it arrived (ISO time, the simulator's clock). */
  at: string;
  /** Its headers, without `Authorization`. */
  headers: Record<string, string | string[] | undefined>;
  /** Its parsed JSON body, or null when unparsable (then `rawBody`). */
  body: Record<string, unknown> | null;
  /** The body's text when it was not JSON. */
  rawBody?: string;
  /** The return code answered, or null when the handler answered none. */
  retCode: string | null;
  /** The HTTP status answered, or a note (`'held'`, `'answer lost'`), or null. */
  status: number | string | null;
  /** The fault it got, if any. */
  fault?: string;
}

/** An API request the simulator received. */
export interface RecordedRequest {
  /** The HTTP method. */
  method: string;
  /** The URL path. */
  path: string;
  /** When it arrived (ISO time, the simulator's clock). */
  at: string;
}

/** A release callback the simulator sent. */
export interface RecordedRelease {
  /** The call it was about. */
  callSerialNo: string;
  /** The receiver's HTTP status, or null when the delivery failed. */
  status: number | null;
  /** Why the delivery failed. */
  error?: string;
  /** When it was settled (ISO time). */
  at: string;
}

/** One state a call went through. */
export interface Transition {
  /** 0 to be called, 1 calling, 2 talking, 3 ended. */
  state: number;
  /** The state's name. */
  name: string;
  /** When (ms, the simulator's clock). */
  at: number;
  /** The end's reason code (state 3 only). */
  reasonCode?: number;
}

/** A running simulator, as {@link startSimulator} returns it. */
export interface Simulator {
  /** `http://127.0.0.1:PORT`: the `baseUrl` (and `cmsBaseUrl`) of a client or gateway under test. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The options in effect, without the secrets. */
  readonly options: Readonly<Omit<SimulatorOptions, 'log' | 'appSecret' | 'sk'>>;
  /** Every createCall received, in order. */
  calls(): RecordedCall[];
  /** Every API request received, in order. */
  requests(): RecordedRequest[];
  /** Injects a fault into the next requests to a path; throws on an unknown kind. */
  fault(fault: SimulatorFault): void;
  /** Clears calls, requests, releases, faults, tokens, live calls, pending callbacks and daily counters. */
  reset(): void;
  /** Resolves once `count` requests reached `path` (any path when undefined) since the start or the last reset. */
  waitForRequests(path?: string, count?: number): Promise<void>;
  /** Every release callback sent so far. */
  releases(): RecordedRelease[];
  /** Resolves once `count` release callbacks were answered (or failed) since the start or the last reset. */
  waitForReleases(count?: number): Promise<void>;
  /** A call's state transitions so far; null for an unknown serial. */
  transitions(callSerialNo: string | number): Transition[] | null;
  /** The simulator's time (ms). */
  now(): number;
  /** Clock `'manual'` only: moves the time by `ms`, running the timers that fall due; rejects otherwise. */
  advance(ms: number): Promise<void>;
  /** The `auth-v2` Authorization header of a CMS request, signed with this simulator's AK/SK. */
  signC2(request: { method: string; path: string; query?: string; headers: Record<string, string>; body?: string; time?: number; signedHeaders?: string[] }): string;
  /** Stops it: closes connections and cancels pending callbacks and delayed or held answers. */
  close(): Promise<void>;
}

/** The API paths the simulator serves, by operation (`token` is tokenByAkSk). */
export declare const PATHS: Readonly<{
  /** tokenByAkSk. */
  token: string;
  /** createCall. */
  createCall: string;
  /** queryCallState. */
  queryCallState: string;
  /** getCalledInfo. */
  getCalledInfo: string;
  /** queryCallInfoByCallId. */
  queryCallInfoByCallId: string;
  /** querybasiccallinfo (CMS). */
  queryBasicCallInfo: string;
  /** queryCallDetailRecord. */
  queryCallDetailRecord: string;
}>;

/** The defaults of {@link SimulatorOptions}. */
export declare const DEFAULTS: Readonly<Required<Omit<SimulatorOptions, 'log' | 'startTime'>> & {
  /** The manual clock starts at the real time by default. */
  startTime: undefined;
}>;

/** Starts the simulator on 127.0.0.1. */
export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
