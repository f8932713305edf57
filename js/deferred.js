// The browser entry's classes, usable while the wasm is still loading. A client made before the load keeps
// its options and is created in the wasm on its first call, which waits for the load (its options are checked
// then); made after the load, it checks them at once, as in Node. Every call goes to js/runtime.js's classes.
//   load(): a promise of the bound runtime (bindRuntime's result)
//   glue: the wasm-bindgen glue, whose AiccClient prototype names the client's methods before the load
import { CallSession } from './call-session.js';

export function deferredClasses(load, glue) {
  let runtime;
  const loaded = () => (runtime ? Promise.resolve(runtime) : load().then((bound) => (runtime = bound)));

  class CallWatch {
    #watch; // the runtime's CallWatch, or a promise of it while the wasm loads
    #freed = false;

    constructor(watch) {
      this.#watch = watch;
      if (watch instanceof Promise) watch.catch(() => {}); // its error is what next() rejects with
    }

    async next() {
      if (this.#freed) return { value: undefined, done: true };
      return (await this.#watch).next();
    }

    async return() {
      if (this.#freed) return { value: undefined, done: true };
      return (await this.#watch).return();
    }

    free() {
      this.#freed = true;
      Promise.resolve(this.#watch).then((watch) => watch.free(), () => {});
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
    #client; // the runtime's AiccClient, once the wasm is there

    constructor(options) {
      this.#options = options;
      if (runtime) this.#client = new runtime.AiccClient(options);
    }

    #real() {
      if (runtime) return (this.#client ??= new runtime.AiccClient(this.#options));
      return loaded().then(() => this.#real());
    }

    // The operations and resolveOutcome: each async method of the wasm's client, by name.
    static {
      const skip = new Set(['constructor', 'free', 'watchCall', 'placeCall']);
      for (const name of Object.getOwnPropertyNames(glue.AiccClient.prototype)) {
        if (skip.has(name) || name.startsWith('__')) continue;
        this.prototype[name] = async function operation(...args) {
          return (await this.#real())[name](...args);
        };
      }
    }

    watchCall(callSerialNo, options) {
      if (runtime) return new CallWatch(this.#real().watchCall(callSerialNo, options));
      return new CallWatch(loaded().then(() => this.#real().watchCall(callSerialNo, options)));
    }

    placeCall(request, options) {
      return new CallSession(this, request, options, () => loaded().then(() => glue.sessionStep));
    }

    free() {
      this.#client?.free();
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  return { AiccClient, CallWatch };
}
