// Types of the aicc-call package's server entries (node, workerd, deno, `aicc-call/server`): the client
// (`client.d.ts`, which the browser entry shares) and the gateway, callbacks and state, which need secrets.

/**
 * The package in server code: `aicc-call` under the `node`, `workerd` and `deno` conditions, and
 * `aicc-call/server` everywhere. The client, the gateway, the release callbacks and the gateway's state.
 * @module aicc-call/server
 */
export * from './client.js';
import type { AiccClient, AiccClientOptions, Code, OperationName, ReasonName } from './client.js';

// ───────────────────────────── edge gateway and callbacks ─────────────────────────────

/**
 * What `authorize` may return instead of a plain boolean: a plain object, read strictly. A field of the wrong
 * type or `undefined`, an unknown field, or `status`/`reason` without `allow: false` refuses the request with
 * 500 (`badVerdict`) rather than widening access. `{}` allows everything.
 */
export interface AuthorizeVerdict {
  /** Default true when a verdict object is returned. */
  allow?: boolean;
  /** The status of a refusal: 401 (unknown session: the page's `token()` is asked again once) or 403 (default). */
  status?: 401 | 403;
  /** Why the request was refused (sent back to the page). */
  reason?: string;
  /** The agent this session acts as: forced into createCall's `agentWorkNo` and queryCallInfoByCallId's `agentId`; another value is refused. */
  agentWorkNo?: string | number;
  /**
   * The caller (agent-side) numbers this session may use in createCall, getCalledInfo and
   * queryCallDetailRecord. queryCallDetailRecord is refused (403) without them: it lists calls by number.
   */
  callers?: Array<string | number>;
  /** The operations this session may use. */
  operations?: OperationName[] | string[];
  /**
   * The release callback URL (plain text) put in the createCall; a page's own `callBackUrl` is always refused.
   * Sign one per request (`signCallbackUrl`): its nonce is reserved for that call before it is sent, and a
   * nonce used before is refused (500 `badVerdict`, nothing sent).
   */
  callBackUrl?: string;
  /**
   * Who owns the calls this request places and may read, and whose rate limits apply (an opaque string, up to
   * 256 characters). Default: the agent (`agentWorkNo`); a bare `true` verdict puts every request in one
   * shared session. The three kinds never collide: a `session` of `"101"` is not agent 101's session.
   */
  session?: string;
  /** This session's createCall limit per minute (1..1000), over the gateway's `createCallPerMinute`. */
  createCallPerMinute?: number;
  /** This session's createCall limit per day (1..5000), over the gateway's `createCallPerDay`. */
  createCallPerDay?: number;
}

/** `request`'s body may be read (the gateway reads a copy). */
export type Authorize = (
  request: Request,
  context: { operation: string },
) => boolean | AuthorizeVerdict | Promise<boolean | AuthorizeVerdict>;

/** What a gateway serves and to whom: `authorize` and the limits around it. */
export interface GatewayPolicy {
  /** Decides, per request, whether and how the page's session may call the operation. */
  authorize: Authorize;
  /** The operations served (default: all). */
  operations?: OperationName[] | string[];
  /** Origins allowed to call the gateway from a browser. */
  cors?: {
    /** Exact origins (`https://crm.example.com`); a request with another `Origin` is refused 403. */
    origins: string[];
  };
  /** The path prefix the gateway is mounted under (e.g. `"/aicc"`). */
  prefix?: string;
  /** The largest body read, 1..1048576 bytes (default 16384): a larger one is answered 413 before `authorize` runs. */
  maxBodyBytes?: number;
  /** The deadline for reading the body and for `authorize`, each, 1..60000 ms (default 5000): past it, 503. */
  authorizeTimeoutMs?: number;
  /**
   * Where the gateway records who placed which call and counts each session's calls. Default: a
   * `createMemoryState()` of this gateway's own, which only one process sees; on Workers pass
   * `durableObjectState(env.AICC_STATE)`.
   */
  state?: GatewayState;
  /**
   * Lets queryCallState read serials the state does not know (calls placed elsewhere; default false: 403
   * `notYourCall`). Another session's call is refused either way.
   */
  allowUnknownSerials?: boolean;
  /** createCalls per session in any 60 s (1..1000; default none): past it, 429 with `Retry-After`, nothing sent. */
  createCallPerMinute?: number;
  /** createCalls per session in any 24 h (1..5000; default none): past it, 429 with `Retry-After`, nothing sent. */
  createCallPerDay?: number;
  /** How long a call's owner and callback nonce are kept, 60000..2678400000 ms (default a day). */
  callTtlMs?: number;
  /** The deadline of each command of the shared state, 1..60000 ms (default 3000): past it, 503, nothing sent. */
  stateTimeoutMs?: number;
}

/**
 * The gateway's shared state: records under keys, each changed only by the package's own rules. Any object
 * with this method is one; `createMemoryState()` and `durableObjectState()` ship.
 */
export interface GatewayState {
  /**
   * Runs `command` on the record under `key` and gives the outcome (texts opaque to the caller): at once, or a
   * promise of it. `createMemoryState()` gives it at once, which spares the gateway a promise and a timer.
   */
  apply(key: string, command: string): string | Promise<string>;
}

/** Options of `createMemoryState`. */
export interface MemoryStateOptions {
  /**
   * The most records kept (default 100000, about 30 MiB). Expired records are dropped first; past the cap a
   * command that would add a record fails and the gateway answers 503 (`stateUnavailable`).
   */
  maxRecords?: number;
  /** The clock, in milliseconds since the epoch (default `Date.now`): tests move it across a day. */
  now?: () => number;
}

/**
 * State in this process's memory: one Node process, tests, one gateway instance (never a Worker's isolates,
 * which each have their own). Expired records are dropped.
 */
export function createMemoryState(options?: MemoryStateOptions): GatewayState & {
  /** How many records it holds now. */
  readonly size: number;
};

/** A Durable Object namespace binding, as `env` gives it. */
export interface AiccStateNamespace {
  /** The object's ID for a key. */
  idFromName(name: string): unknown;
  /** The stub of an object. */
  get(id: any): {
    /** Runs a state command on the object's record. */
    apply(command: string): Promise<string>;
  };
}

/** State on Cloudflare Durable Objects: one `AiccGatewayState` object per key, seen alike by every isolate. */
export function durableObjectState(namespace: AiccStateNamespace): GatewayState;

/**
 * The Durable Object class behind `durableObjectState` (the `workerd` entry only): re-export it from the
 * Worker's main module and bind it (`[[durable_objects.bindings]]`, class_name `AiccGatewayState`).
 */
export class AiccGatewayState {
  /** Made by the Workers runtime, with the object's state and the Worker's `env`. */
  constructor(ctx: unknown, env: unknown);
  /** Runs a state command on this object's record (called through `durableObjectState`). */
  apply(command: string): Promise<string>;
  /** Deletes the record once it has expired (the Workers runtime calls it). */
  alarm(): Promise<void>;
}

/** Either an existing client (which stays usable) or the options to create one with. */
export type GatewayOptions =
  | (GatewayPolicy & {
      /** The client the gateway forwards with (server credentials). */
      client: AiccClient;
      /** Not with `client`. */
      clientOptions?: undefined;
    })
  | (GatewayPolicy & {
      /** The options of the client the gateway makes to forward with (server credentials). */
      clientOptions: AiccClientOptions;
      /** Not with `clientOptions`. */
      client?: undefined;
    });

/** A gateway, as `createGateway` makes it. */
export interface Gateway {
  /** Answers one request: an operation under the prefix (forwarded or refused) or a CORS preflight. */
  fetch(request: Request): Promise<Response>;
}

/** An edge handler that serves AICC's paths under its prefix, re-validating and adding credentials. */
export function createGateway(options: GatewayOptions): Gateway;

/**
 * The gateway as a `node:http` / Express / Connect listener (the `node` entry and `aicc-call/server` in Node):
 * `createServer(toNodeListener(gateway))` or `app.use('/aicc', toNodeListener(gateway))`. The body is read as it
 * arrives (the gateway's `maxBodyBytes` and `authorizeTimeoutMs` apply while it arrives; a body an Express parser already
 * read is forwarded as JSON), status and headers (CORS included) are kept, and a client that disconnects gets
 * nothing written while the gateway finishes its work (a createCall in flight is still recorded).
 */
export function toNodeListener(gateway: Gateway, options?: NodeListenerOptions): NodeListener;

/** Options of `toNodeListener`. */
export interface NodeListenerOptions {
  /**
   * Behind a proxy that ends TLS: take the request's scheme and host from `X-Forwarded-Proto` and
   * `X-Forwarded-Host`, so that the page's own `https://` origin is same-origin for the gateway. Only behind a
   * proxy that sets them: any client can send them. Default false.
   */
  trustProxy?: boolean;
}

/** A `node:http` request listener: `req` is an `IncomingMessage`, `res` its `ServerResponse` (Express's too). */
export type NodeListener = (req: unknown, res: unknown) => void;

/** A decoded callback from AICC. */
export interface CallbackEvent {
  /** `release` (the call ended, to createCall's `callBackUrl`) or `connect` (the connection callback). */
  kind: 'release' | 'connect';
  /** The call's serial, exact, or null when missing. */
  callSerialNo: string | null;
  /** Release callbacks: `releaseReason`, decoded. */
  releaseReason?: Code<ReasonName>;
  /** Every field as received, as strings. */
  fields: Record<string, string>;
}

/** What `handleCallback` does with AICC's callbacks, and how it checks them. */
export interface CallbackHandlers {
  /** Told when a call ended (the release callback to createCall's `callBackUrl`). */
  onRelease?: (event: CallbackEvent) => void | Promise<void>;
  /** Told when a call connected (the connection callback configured on AICC). */
  onConnect?: (event: CallbackEvent) => void | Promise<void>;
  /**
   * When set (at least 16 characters), callbacks whose URL does not carry a valid, unexpired `signCallbackUrl`
   * signature are refused (403). Needs `publicUrl`.
   */
  secret?: string;
  /** The public origin the callback URLs were signed for (`https://gw.example.com`): checked instead of the request's Host. */
  publicUrl?: string;
  /** The largest callback body read (default 16384 bytes): a larger one is answered 413. */
  maxBodyBytes?: number;
  /** How long reading the body may take, and each command of `state` (default 5000 ms): past them, 408 and 503. */
  timeoutMs?: number;
  /**
   * The gateway's state (the same one as its `state`): a release is then handed to `onRelease` only when its
   * URL's nonce was reserved by the gateway for a call and its `callSerialNo` is that call, and once `onRelease`
   * has run it is confirmed: a replay answers 200 with no second `onRelease`; a mismatch, 403; a state that
   * cannot answer, 503 so that AICC sends it again. A delivery whose `onRelease` never completed is handed on
   * again (key it on `callSerialNo`). A release of a call whose createCall answer was lost makes the call its
   * session's. Needs `secret`.
   */
  state?: GatewayState;
  /** How long a call made its session's by its release is kept (default a day; the gateway's `callTtlMs`). */
  callTtlMs?: number;
}

/** Reads one callback request, calls the matching handler and answers what AICC expects. */
export function handleCallback(request: Request, handlers?: CallbackHandlers): Promise<Response>;

/**
 * Signs a callback URL for one call (still a valid `callBackUrl`): an expiry (`ttlMs` from now, a day by
 * default), a random nonce and the signature of both; `secret` at least 16 characters.
 */
export function signCallbackUrl(url: string, secret: string, options?: { ttlMs?: number; nonce?: string }): string;
