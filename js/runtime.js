// The classes every entry exports, over one wasm instance that can be replaced. A trap in the wasm (a panic,
// which a bug could cause; `WebAssembly.RuntimeError`) kills its instance. When that happens, every operation
// in flight on any client rejects with an AiccError of kind 'internal', and the next call, on any client or
// gateway, runs on a fresh instance: a client re-creates its core from the options it was given. A watch
// whose instance died ends with that error.
// The browser entry binds them before its wasm has loaded (`browser.load()` loads it): a client made then
// keeps its options, checks them on its first call, which waits for the load; made after, it checks them at once.
import { CallSession } from './call-session.js';

const CORE = Symbol('aicc-call core');

export function bindRuntime(glue, runtime, browser) {
  const AiccError = browser?.AiccError ?? glue.aiccErrorClass();
  let loaded = !browser;
  // The core's answer for work lost to a trap, by operation (one with an effect is outcome-unknown), read once
  // the wasm is there: a trapped instance cannot be asked.
  let trapErrors = loaded ? glue.trapErrors() : undefined;
  const load = (input) => browser.load(input).then(() => {
    trapErrors ??= glue.trapErrors();
    loaded = true;
  });
  // Runs `start` once the wasm is there.
  const whenLoaded = (start) => (loaded ? start() : load().then(start));
  let generation = 0;
  let dead = false;
  const inFlight = new Set(); // { reject, operation }

  function internalError(operation) {
    const fields = trapErrors[operation] ?? trapErrors.other;
    return new AiccError({ ...fields, operation, message: `${operation}: ${fields.message}` });
  }

  // Replaced at once: the old instance's pending callbacks then do nothing.
  function trapped() {
    if (dead) return;
    dead = true;
    for (const call of inFlight) call.reject(internalError(call.operation));
    inFlight.clear();
    queueMicrotask(live);
  }
  glue.__aiccSetTrapHandler(trapped);

  // The live instance: a new one after a trap.
  function live() {
    if (dead) {
      glue.__wbg_reset_state();
      glue.__aiccSetTrapHandler(trapped);
      dead = false;
      generation += 1;
    }
    return generation;
  }

  // Runs a synchronous call into the wasm; a trap there becomes an 'internal' AiccError.
  function guard(operation, fn) {
    live();
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      trapped();
      throw internalError(operation);
    }
  }

  // Runs an async call into the wasm; its promise settles even if the instance dies meanwhile. `calledAt`, an
  // Error made where the user called, gives a rejection's stack the user's frames instead of only ours.
  function track(operation, start, calledAt) {
    return new Promise((resolve, reject) => {
      const fail = (error) => reject(fromCaller(error, calledAt));
      const call = { reject: fail, operation };
      let promise;
      try {
        promise = guard(operation, start);
      } catch (e) {
        fail(e);
        return;
      }
      inFlight.add(call);
      promise.then(
        (value) => { inFlight.delete(call); resolve(value); },
        (error) => { inFlight.delete(call); fail(error); },
      );
    });
  }

  // Where the user called from: a few frames, the fewer the cheaper to capture on every call.
  function callerFrames() {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 4;
    const calledAt = new Error();
    Error.stackTraceLimit = limit;
    return calledAt;
  }

  function fromCaller(error, calledAt) {
    const frames = calledAt?.stack?.split('\n').slice(1);
    if (error instanceof AiccError && frames?.length) error.stack = [`${error.name}: ${error.message}`, ...frames].join('\n');
    return error;
  }

  class CallWatch {
    #core;
    #generation = -1;
    #opening; // while the wasm loads: the promise that opens the watch

    constructor(open) {
      if (loaded) this.#open(open);
      else (this.#opening = load().then(() => this.#open(open))).catch(() => {}); // next() rejects with it
    }

    #open(open) {
      this.#core = guard('queryCallState', open);
      this.#generation = generation;
      this.#opening = undefined; // kept when opening failed: next() rejects with why
    }

    // The Rust state is freed as soon as the watch ends (done, an error or return()), not at garbage collection.
    next() {
      if (this.#opening) return this.#opening.then(() => this.next());
      if (!this.#core) return Promise.resolve({ value: undefined, done: true });
      if (this.#generation !== live()) return Promise.reject(internalError('queryCallState'));
      return track('queryCallState', () => this.#core.next()).then(
        (step) => {
          if (step.done) this.free();
          return step;
        },
        (error) => {
          this.free();
          throw error;
        },
      );
    }

    return() {
      if (this.#opening) return this.#opening.then(() => this.return());
      if (this.#generation !== live() || !this.#core) return Promise.resolve({ value: undefined, done: true });
      return track('queryCallState', () => this.#core.return()).finally(() => this.free());
    }

    free() {
      this.#opening?.then(() => this.free(), () => {});
      this.#opening = undefined;
      if (this.#generation === live()) this.#core?.free();
      this.#core = undefined;
      this.#generation = -1;
    }

    [Symbol.dispose]() {
      this.free();
    }

    [Symbol.asyncIterator]() {
      return this;
    }
  }

  class AiccClient {
    #options;
    #core;
    #generation = -1;

    // The options are checked now; the wasm client is made at the first call, so a client that is dropped
    // before it calls holds no wasm memory (a dropped wasm object is only freed by a major GC).
    constructor(options) {
      this.#options = options;
      if (loaded) guard('configuration', () => new glue.AiccClient(options, runtime).free());
      Object.defineProperty(this, CORE, { value: () => this.#live() });
    }

    #live() {
      if (this.#generation !== live()) {
        this.#core = new glue.AiccClient(this.#options, runtime);
        this.#generation = generation;
      }
      return this.#core;
    }

    // One method per operation of the core's list (createCall, queryCallState, ...): the wasm client's other
    // methods, which its class has before the wasm is loaded.
    static {
      for (const name of Object.getOwnPropertyNames(glue.AiccClient.prototype)) {
        if (name in this.prototype || name.startsWith('__')) continue;
        this.prototype[name] = function operation(request, options) {
          const calledAt = callerFrames();
          return whenLoaded(() => track(name, () => this.#live()[name](request, options), calledAt));
        };
      }
    }

    // Every record of every page of a queryCallDetailRecord query (its window and page size as the page
    // allows); which page comes next is the core's.
    async *callRecords(query, options) {
      let page = await this.queryCallDetailRecord(query, options);
      let offset = Number(query?.offset ?? 0);
      for (;;) {
        yield* page.callInfo;
        const next = guard('queryCallDetailRecord', () => glue.nextRecordsOffset(offset, page.callInfo.length, page.total));
        if (next === undefined) return;
        offset = next;
        page = await this.queryCallDetailRecord({ ...query, offset }, options);
      }
    }

    resolveOutcome(error, options) {
      const calledAt = callerFrames();
      return whenLoaded(() => track('queryCallDetailRecord', () => this.#live().resolveOutcome(error, options), calledAt));
    }

    watchCall(callSerialNo, options) {
      return new CallWatch(() => this.#live().watchCall(callSerialNo, options));
    }

    placeCall(request, options) {
      const check = () => guard('createCall', () => glue.checkPlaceCallOptions(options));
      return new CallSession(this, request, options, () => whenLoaded(() => glue.sessionStep), check);
    }

    // Frees the wasm memory now; a later call re-creates the client from its options.
    free() {
      if (this.#generation === live()) this.#core?.free();
      this.#core = undefined;
      this.#generation = -1;
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  return { AiccClient, CallWatch, AiccError, guard, track, live, load };
}

// The wasm client inside an AiccClient, on the live instance (for createGateway's `client` option).
export function coreOf(client) {
  return typeof client?.[CORE] === 'function' ? client[CORE]() : undefined;
}
