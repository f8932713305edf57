// The classes every entry exports, over one wasm instance that can be replaced. A trap in the wasm (a panic,
// which a bug could cause; `WebAssembly.RuntimeError`) kills its instance. When that happens, every operation
// in flight on any client rejects with an AiccError of kind 'internal', and the next call, on any client or
// gateway, runs on a fresh instance: a client re-creates its core from the options it was given. A watch
// whose instance died ends with that error.
import { CallSession } from './call-session.js';

const CORE = Symbol('aicc-call core');

export function bindRuntime(glue, runtime) {
  const AiccError = glue.aiccErrorClass();
  let generation = 0;
  let dead = false;
  const inFlight = new Set(); // { reject, operation }

  function internalError(operation) {
    const fields = {
      message: `${operation}: internal error: the WebAssembly module trapped and was restarted; this call's outcome is lost`,
      kind: 'internal',
      operation,
      retryable: true,
    };
    if (operation === 'createCall') Object.assign(fields, { retryable: false, outcomeUnknown: true });
    return new AiccError(fields);
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

  // Runs an async call into the wasm; its promise settles even if the instance dies meanwhile.
  function track(operation, start) {
    return new Promise((resolve, reject) => {
      const call = { reject, operation };
      let promise;
      try {
        promise = guard(operation, start);
      } catch (e) {
        reject(e);
        return;
      }
      inFlight.add(call);
      promise.then(
        (value) => { inFlight.delete(call); resolve(value); },
        (error) => { inFlight.delete(call); reject(error); },
      );
    });
  }

  class CallWatch {
    #core;
    #generation;

    constructor(core, atGeneration) {
      this.#core = core;
      this.#generation = atGeneration;
    }

    // The Rust state is freed as soon as the watch ends (done, an error or return()), not at garbage collection.
    next() {
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
      if (this.#generation !== live() || !this.#core) return Promise.resolve({ value: undefined, done: true });
      return track('queryCallState', () => this.#core.return()).finally(() => this.free());
    }

    free() {
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
    #generation;

    // The options are checked now; the wasm client is made at the first call, so a client that is dropped
    // before it calls holds no wasm memory (a dropped wasm object is only freed by a major GC).
    constructor(options) {
      this.#options = options;
      guard('configuration', () => new glue.AiccClient(options, runtime).free());
      this.#generation = -1;
      Object.defineProperty(this, CORE, { value: () => this.#live() });
    }

    #live() {
      if (this.#generation !== live()) {
        this.#core = new glue.AiccClient(this.#options, runtime);
        this.#generation = generation;
      }
      return this.#core;
    }

    // One method per operation of the core's list (createCall, queryCallState, ...).
    static {
      for (const name of glue.operationNames()) {
        this.prototype[name] = function operation(request, options) {
          return track(name, () => this.#live()[name](request, options));
        };
      }
    }

    resolveOutcome(error, options) {
      return track('queryCallDetailRecord', () => this.#live().resolveOutcome(error, options));
    }

    watchCall(callSerialNo, options) {
      const core = guard('queryCallState', () => this.#live().watchCall(callSerialNo, options));
      return new CallWatch(core, generation);
    }

    placeCall(request, options) {
      return new CallSession(this, request, options, () => glue.sessionStep);
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

  return { AiccClient, CallWatch, AiccError, guard, track, live };
}

// The wasm client inside an AiccClient, on the live instance (for createGateway's `client` option).
export function coreOf(client) {
  return typeof client?.[CORE] === 'function' ? client[CORE]() : undefined;
}
